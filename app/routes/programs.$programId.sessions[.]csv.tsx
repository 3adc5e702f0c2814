import type { LoaderFunctionArgs } from "@remix-run/node";
import { SESSION_CSV_COLUMNS, SESSION_LIST_SPEC, sessionCsvChunks } from "~/models/coaching/session-history.server";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";

// Every session the history's URL filters match (?q=…&team=…&type=…&from=…&to=…&coach=…), newest
// first, with the full notes: a coach gets their own sessions, the PLO everyone's. Streamed in
// chunks read by keyset, so a large program's export starts at once and never sits in memory.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:read");
  const list = parseListParams(new URL(request.url).searchParams, SESSION_LIST_SPEC);
  return csvResponse(`sessions-${program.name}`, SESSION_CSV_COLUMNS, sessionCsvChunks(getDb(), viewer, program.id, list));
}
