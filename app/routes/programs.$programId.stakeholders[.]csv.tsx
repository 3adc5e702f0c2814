import type { LoaderFunctionArgs } from "@remix-run/node";
import { STAKEHOLDER_CSV_COLUMNS, stakeholderCsvRecord } from "~/components/plan-details/stakeholder-table";
import { hideAttitude, listStakeholders } from "~/models/plan/stakeholders.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { can } from "~/utils/permissions";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseStakeholderFilter } from "~/validation/plan-details";

// Every stakeholder matching the list's filters (?quadrant=…&attitude=…&overdue=1). Attitudes
// (column and filter) only for the PLO and admins: for anyone else they are left out.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  // Attitudes ("Sceptic"…) are the PLO's working knowledge: nobody else gets the column.
  const showAttitudes = can(user.role, "stakeholders:attitudes");
  const parsed = parseStakeholderFilter(new URL(request.url).searchParams);
  const filter = showAttitudes ? parsed : { ...parsed, attitude: null };
  const found = await listStakeholders(getDb(), program.id, today(), filter);
  const rows = showAttitudes ? found : found.map(hideAttitude);
  const columns = showAttitudes ? STAKEHOLDER_CSV_COLUMNS : STAKEHOLDER_CSV_COLUMNS.filter((c) => c !== "attitude");
  return csvResponse(`stakeholders-${program.name}`, columns, rows.map(stakeholderCsvRecord));
}
