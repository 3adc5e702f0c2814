import type { LoaderFunctionArgs } from "@remix-run/node";
import { allProgramTeams, PROGRAM_TEAM_CSV_COLUMNS, programTeamCsvRows } from "~/models/plan/program-teams.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { PROGRAM_TEAM_LIST_SPEC } from "~/validation/plan";

// Every team matching the team list's URL filters (all pages), in the list's order.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const list = parseListParams(new URL(request.url).searchParams, PROGRAM_TEAM_LIST_SPEC);
  const rows = await allProgramTeams(getDb(), program.id, list);
  return csvResponse(`teams-${program.name}`, PROGRAM_TEAM_CSV_COLUMNS, programTeamCsvRows(rows));
}
