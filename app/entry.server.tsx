import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./utils/nonce";
import { RequestIdProvider } from "./utils/request-id";
import { withoutNulBytes } from "./utils/nul-bytes.server";

// What the Node server (server/index.js) needs from the bundle: one module instance of the
// database, so PGlite is opened once per process.
export { closeDatabase, getDb, migrateDatabase, readiness } from "./utils/db.server";
export { ensureInstallation } from "~/models/accounts/installation.server";
export { currentRequestContext, runWithRequestContext } from "./utils/request-context.server";
export { bodyLimitFor, bodyLimitMessage } from "./utils/request-limits.server";
export { metricsText, recordRequest } from "./utils/metrics.server";
export { startBackupSchedule } from "./utils/backups.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  const requestId = typeof loadContext.requestId === "string" ? loadContext.requestId : "";
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // Cleared once the page is complete: nothing is left to abort then (and a timer per request
    // would otherwise stay for 5 s).
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const send = () => {
      shellRendered = true;
      // Not destroyed (and so not closed) when it ends: React aborts the render when its
      // destination closes, which after a complete page only builds an error nobody reads. A
      // client that goes away still cancels the stream (destroying it), which aborts the render.
      const body = withoutNulBytes({ autoDestroy: false });
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RequestIdProvider value={requestId}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </RequestIdProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!bot) send();
        },
        onAllReady() {
          clearTimeout(timer);
          if (bot) send();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
