import type { LoaderFunctionArgs } from "@remix-run/node";
import { activityCsv, allActivity } from "~/models/coaching/coaches.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { ACTIVITY_LIST_SPEC } from "~/validation/coaching";
import * as dates from "~/utils/dates";

// The activity page's rows (by team or by coach, as its URL says) with their weekly session
// counts, every row matching the filters. Aggregates only: no session notes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "coaching:read");
  const list = parseListParams(new URL(request.url).searchParams, ACTIVITY_LIST_SPEC);
  const today = dates.today();
  const result = await allActivity(getDb(), program.id, list, today);
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${activityCsv(result, today)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="coaching-activity-${result.view}-${name}.csv"`,
    },
  });
}
