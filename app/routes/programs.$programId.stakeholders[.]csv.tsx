import type { LoaderFunctionArgs } from "@remix-run/node";
import { STAKEHOLDER_CSV_COLUMNS, stakeholderCsvRecord } from "~/components/plan-details/stakeholder-table";
import { listStakeholders } from "~/models/plan/stakeholders.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseStakeholderFilter } from "~/validation/plan-details";

// Every stakeholder matching the list's filters (?quadrant=…&attitude=…&overdue=1).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseStakeholderFilter(new URL(request.url).searchParams);
  const rows = await listStakeholders(getDb(), program.id, today(), filter);
  return csvResponse(`stakeholders-${program.name}`, STAKEHOLDER_CSV_COLUMNS, rows.map(stakeholderCsvRecord));
}
