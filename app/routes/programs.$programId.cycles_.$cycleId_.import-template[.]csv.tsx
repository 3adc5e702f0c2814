import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCycleRef } from "~/models/cycles/checkins.server";
import { importTemplate } from "~/models/cycles/import-parse";
import { orErrorResponse } from "~/utils/action.server";
import { csvResponse } from "~/utils/csv.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { getDb } from "~/utils/db.server";

// The templates of a cycle's imports (?kind=okrs, the default, or ?kind=checkins): the header
// the importer reads and two example lines.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireCycles(request, params, "okrs:import");
  const cycle = await orErrorResponse(() => getCycleRef(getDb(), program.id, params.cycleId ?? ""));
  const kind = new URL(request.url).searchParams.get("kind") === "checkins" ? "checkins" : "okrs";
  const { columns, rows } = importTemplate(kind);
  return csvResponse(`${kind === "okrs" ? "okr-sets" : "check-ins"}-${cycle.name}-template`, columns, rows);
}
