// The Node entry of Rollout Desk: Express in front of the Remix request handler.
// It owns what must happen before any route runs: security headers, the cross-site request
// check, the health check, per-request context (query counting), migrations at boot, and a
// clean shutdown (PGlite must be closed, or it recovers on the next start).
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import morgan from "morgan";
import onHeaders from "on-headers";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(pathToFileURL(path.join(root, "build", "index.js")).href);
/** Server-side helpers exported by app/entry.server.tsx (one module instance of the database). */
const app$ = build.entry.module;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses state-changing requests from another origin, or that cannot show where they come from. */
function sameOriginOnly(req, res, next) {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  const expected = `${req.protocol}://${req.get("host")}`;
  const ok = origin ? origin === expected : req.get("sec-fetch-site") === "same-origin";
  if (ok) return next();
  res.status(403).type("text/plain").send("Cross-site request refused: this form must be sent from Rollout Desk itself.");
}

export async function createServer() {
  const migrated = await app$.migrateDatabase();
  for (const line of migrated) console.log(`[db] ${line}`);
  const secret = await app$.ensureInstallation(app$.getDb());
  process.env.SESSION_SECRET ||= secret;

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY === "true" ? true : process.env.TRUST_PROXY);

  app.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'self'"],
          "object-src": ["'none'"],
        },
      },
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // JSON answers here are a few hundred bytes (a saved cell, a logged session): gzip's setup
  // would cost more than it saves. Remix streams bodies without a length, so compression's own
  // size threshold never sees them.
  app.use(
    compression({
      filter: (req, res) => !/^application\/json\b/i.test(String(res.getHeader("Content-Type") ?? "")) && compression.filter(req, res),
    }),
  );
  if (process.env.LOG_REQUESTS !== "0") app.use(morgan("tiny"));

  // A missing asset is a 404, not a page: stale hashed files must not fall through to Remix.
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y", fallthrough: false }));
  // Public files all have an extension; pages don't, so they skip the file-system lookup.
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h", index: false });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.get("/healthz", async (_req, res) => {
    try {
      await app$
        .getDb()
        .selectNoFrom((eb) => eb.lit(1).as("ok"))
        .execute();
      res.json({ status: "ok", database: "ok" });
    } catch (error) {
      res.status(503).json({ status: "error", database: error instanceof Error ? error.message : "unreachable" });
    }
  });

  app.use(sameOriginOnly);

  // Every request runs in its own context: the client IP for the audit log, a query counter.
  app.use((req, res, next) => {
    app$.runWithRequestContext(req.ip ?? null, () => {
      if (process.env.EXPOSE_QUERY_COUNT === "1") {
        const context = app$.currentRequestContext();
        onHeaders(res, () => res.setHeader("X-Query-Count", String(context?.queries ?? 0)));
      }
      next();
    });
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      // Production unless asked otherwise: development mode would send error stacks to the browser.
      mode: process.env.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
    }),
  );
  return app;
}

const isMain = process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const app = await createServer();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  const server = app.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    const backend = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env.DATA_DIR || "./data"}`;
    console.log(`Rollout Desk listening on http://localhost:${actualPort} — database: ${backend}`);
  });
  let closing = false;
  const shutdown = (signal) => {
    if (closing) return;
    closing = true;
    console.log(`${signal} received: closing…`);
    server.close(async () => {
      await app$.closeDatabase();
      process.exit(0);
    });
    server.closeAllConnections?.();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
