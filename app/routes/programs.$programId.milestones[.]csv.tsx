import type { LoaderFunctionArgs } from "@remix-run/node";
import { MILESTONE_CSV_COLUMNS, milestoneCsvRecord } from "~/components/plan-details/milestone-table";
import { listMilestones } from "~/models/plan/milestones.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseMilestoneFilter } from "~/validation/plan-details";

// Every milestone matching the list's filters (?status=…&wave=…), for people without JavaScript
// and for spreadsheets.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseMilestoneFilter(new URL(request.url).searchParams);
  const rows = await listMilestones(getDb(), program.id, today(), filter);
  return csvResponse(`milestones-${program.name}`, MILESTONE_CSV_COLUMNS, rows.map(milestoneCsvRecord));
}
