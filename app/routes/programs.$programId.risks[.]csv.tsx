import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { riskCsvRecord } from "~/components/plan-details/risk-table";
import { listRisks } from "~/models/plan/risks.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseRiskFilter } from "~/validation/plan-details";

// Every risk matching the list's filters (?likelihood=…&impact=…&status=…&wave=…), highest score first.

const FIELDS = ["title", "score", "likelihood", "impact", "status", "owner", "owner_email", "wave", "unit", "description", "mitigation"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseRiskFilter(new URL(request.url).searchParams);
  const rows = await listRisks(getDb(), program.id, filter);
  const csv = Papa.unparse({ fields: FIELDS, data: rows.map(riskCsvRecord) }, { escapeFormulae: true, newline: "\r\n" });
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="risks-${name}.csv"`,
    },
  });
}
