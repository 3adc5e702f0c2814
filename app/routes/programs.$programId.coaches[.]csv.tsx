import type { LoaderFunctionArgs } from "@remix-run/node";
import { allCoaches, COACH_CSV_COLUMNS, coachCsvRows } from "~/models/coaching/coaches.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { COACH_LIST_SPEC } from "~/validation/coaching";

// Every coach matching the coach list's URL filters (all pages), in the list's order.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "coaching:read");
  const list = parseListParams(new URL(request.url).searchParams, COACH_LIST_SPEC);
  const rows = await allCoaches(getDb(), program.id, list);
  return csvResponse(`coaches-${program.name}`, COACH_CSV_COLUMNS, coachCsvRows(rows));
}
