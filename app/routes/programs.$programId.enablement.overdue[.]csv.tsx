import type { LoaderFunctionArgs } from "@remix-run/node";
import { allOverdue, OVERDUE_LIST_SPEC } from "~/models/enablement/overdue.server";
import { csvResponse } from "~/utils/csv.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";

// Every overdue required training item of the program the list's search and filters match (all
// of them without any), for spreadsheets and reminders.

const COLUMNS = ["person", "email", "audience", "module", "due_on"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const list = parseListParams(new URL(request.url).searchParams, OVERDUE_LIST_SPEC);
  const rows = await allOverdue(getDb(), program.id, today(), list);
  return csvResponse(
    `overdue-training-${program.name}`,
    COLUMNS,
    rows.map((r) => ({ person: r.personName, email: r.personEmail, audience: r.audience, module: r.moduleTitle, due_on: r.dueOn })),
  );
}
