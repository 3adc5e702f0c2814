import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { SESSION_CSV_COLUMNS, SESSION_LIST_SPEC, sessionCsvChunks } from "~/models/coaching/sessions.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireCoachingViewer } from "~/utils/coaching-http.server";

// Every session the history's URL filters match (?q=…&team=…&type=…&from=…&to=…&coach=…), newest
// first, with the full notes: a coach gets their own sessions, the PLO everyone's. Streamed in
// chunks read by keyset, so a large program's export starts at once and never sits in memory.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:read");
  const list = parseListParams(new URL(request.url).searchParams, SESSION_LIST_SPEC);
  const chunks = sessionCsvChunks(getDb(), viewer, program.id, list);
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(
          encoder.encode(`\uFEFF${Papa.unparse({ fields: [...SESSION_CSV_COLUMNS], data: [] }, { newline: "\r\n" })}\r\n`),
        );
        return;
      }
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      const rows = next.value.map((row) => SESSION_CSV_COLUMNS.map((column) => row[column]));
      // escapeFormulae: notes typed as "=HYPERLINK(…)" stay text in a spreadsheet.
      controller.enqueue(encoder.encode(`${Papa.unparse(rows, { newline: "\r\n", escapeFormulae: true })}\r\n`));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="sessions-${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
