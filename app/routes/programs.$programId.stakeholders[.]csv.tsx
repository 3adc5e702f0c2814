import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { stakeholderCsvRecord } from "~/components/plan-details/stakeholder-table";
import { listStakeholders } from "~/models/plan/stakeholders.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseStakeholderFilter } from "~/validation/plan-details";
import { today } from "~/utils/dates";

// Every stakeholder matching the list's filters (?quadrant=…&attitude=…&overdue=1).

const FIELDS = [
  "name",
  "email",
  "title",
  "unit",
  "influence",
  "interest",
  "quadrant",
  "attitude",
  "communication_plan",
  "contact_every_days",
  "last_contact_on",
  "next_contact_on",
  "contact_overdue",
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseStakeholderFilter(new URL(request.url).searchParams);
  const rows = await listStakeholders(getDb(), program.id, today(), filter);
  const csv = Papa.unparse({ fields: FIELDS, data: rows.map(stakeholderCsvRecord) }, { escapeFormulae: true, newline: "\r\n" });
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="stakeholders-${name}.csv"`,
    },
  });
}
