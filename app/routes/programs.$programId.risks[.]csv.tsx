import type { LoaderFunctionArgs } from "@remix-run/node";
import { RISK_CSV_COLUMNS, riskCsvRecord } from "~/components/plan-details/risk-table";
import { listRisks } from "~/models/plan/risks.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseRiskFilter } from "~/validation/plan-details";

// Every risk matching the list's filters (?likelihood=…&impact=…&status=…&wave=…), highest score first.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseRiskFilter(new URL(request.url).searchParams);
  const rows = await listRisks(getDb(), program.id, filter);
  return csvResponse(`risks-${program.name}`, RISK_CSV_COLUMNS, rows.map(riskCsvRecord));
}
