import type { LoaderFunctionArgs } from "@remix-run/node";
import { activityCsvTable, allActivity } from "~/models/coaching/coaches.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { ACTIVITY_LIST_SPEC } from "~/validation/coaching";

// The activity page's rows (by team or by coach, as its URL says) with their weekly session
// counts, every row matching the filters. Aggregates only: no session notes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "coaching:read");
  const list = parseListParams(new URL(request.url).searchParams, ACTIVITY_LIST_SPEC);
  const day = today();
  const result = await allActivity(getDb(), program.id, list, day);
  const { columns, rows } = activityCsvTable(result, day);
  return csvResponse(`coaching-activity-${result.view}-${program.name}`, columns, rows);
}
