import type { LoaderFunctionArgs } from "@remix-run/node";
import { CYCLE_CSV_COLUMNS, cycleCsvRows } from "~/models/cycles/okr-export.server";
import { orErrorResponse } from "~/utils/action.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// A cycle's key results of every team with their latest check-in and score, as CSV (PLO).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "programs:write");
  const { cycle, rows } = await orErrorResponse(() => cycleCsvRows(getDb(), program.id, params.cycleId ?? ""));
  return csvResponse(`okrs-${cycle.name}`, CYCLE_CSV_COLUMNS, rows);
}
