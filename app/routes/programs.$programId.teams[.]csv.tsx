import type { LoaderFunctionArgs } from "@remix-run/node";
import { allProgramTeams, programTeamsCsv } from "~/models/plan/program-teams.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { TEAM_LIST_SPEC } from "~/validation/plan";

// Every team matching the team list's URL filters (all pages), in the list's order.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const list = parseListParams(new URL(request.url).searchParams, TEAM_LIST_SPEC);
  const rows = await allProgramTeams(getDb(), program.id, list);
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${programTeamsCsv(rows)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="teams-${name}.csv"`,
    },
  });
}
