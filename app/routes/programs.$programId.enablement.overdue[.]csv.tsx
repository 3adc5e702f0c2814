import type { LoaderFunctionArgs } from "@remix-run/node";
import { listStates } from "~/models/enablement/resolve.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// Every overdue required training item of the program, for spreadsheets and reminders.

const COLUMNS = ["person", "email", "audience", "module", "due_on"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const rows = await listStates(getDb(), program.id, today(), { states: ["overdue"], necessity: "required" });
  return csvResponse(
    `overdue-training-${program.name}`,
    COLUMNS,
    rows.map((r) => ({ person: r.personName, email: r.personEmail, audience: r.audience, module: r.moduleTitle, due_on: r.dueOn })),
  );
}
