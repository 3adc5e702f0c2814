import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAllTeams, loadUnitIndex, TEAM_CSV_COLUMNS, TEAM_LIST_SPEC, teamCsvRow } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";

// Every team matching the list's URL filters (search, unit, status) in the list's order.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:read");
  const params = parseListParams(new URL(request.url).searchParams, TEAM_LIST_SPEC);
  const db = getDb();
  const index = await loadUnitIndex(db);
  const teams = await listAllTeams(db, params, index);
  return csvResponse("teams", TEAM_CSV_COLUMNS, teams.map(teamCsvRow));
}
