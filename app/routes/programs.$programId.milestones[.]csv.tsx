import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { milestoneCsvRecord } from "~/components/plan-details/milestone-table";
import { listMilestones } from "~/models/plan/milestones.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { parseMilestoneFilter } from "~/validation/plan-details";
import { today } from "~/utils/dates";

// Every milestone matching the list's filters (?status=…&wave=…), for people without JavaScript
// and for spreadsheets.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const filter = parseMilestoneFilter(new URL(request.url).searchParams);
  const rows = await listMilestones(getDb(), program.id, today(), filter);
  const csv = Papa.unparse(
    {
      fields: ["title", "due_on", "status", "done_on", "owner", "owner_email", "wave", "notes"],
      data: rows.map(milestoneCsvRecord),
    },
    { escapeFormulae: true, newline: "\r\n" },
  );
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="milestones-${name}.csv"`,
    },
  });
}
