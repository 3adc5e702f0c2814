import { sql } from "kysely";
import { unitSubtree } from "~/models/org/org.server";
import { type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type Page } from "~/utils/list-params";
import { compareNames } from "~/utils/collate";
import { fetchPage } from "~/utils/paging.server";
import { type AssignmentSort, type GapSort } from "~/validation/coaching";
import * as dates from "~/utils/dates";
import { currentOn, primaryCoveredTeams } from "./coach-sql.server";

// ---------------------------------------------------------------------------------------------
// Teams with their coaches (the bulk assignment list)

export interface TeamCoachRow {
  id: string;
  name: string;
  unitName: string;
  waveId: string | null;
  waveName: string | null;
  leadName: string | null;
  primary: string | null;
  secondaries: string[];
}

export interface TeamCoachFilters {
  q?: string;
  /** a wave id, or "none" */
  wave?: string;
  unit?: string;
  /** yes | no: has a current primary coach */
  primary?: string;
}

export function activeTeams(db: DB, programId: string) {
  return db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null);
}

type TeamsQuery = ReturnType<typeof activeTeams>;

export function filterTeams(query: TeamsQuery, programId: string, filters: TeamCoachFilters, day: string): TeamsQuery {
  let q = query;
  if (filters.wave === "none") q = q.where("pt.wave_id", "is", null);
  else if (filters.wave) q = q.where("pt.wave_id", "=", filters.wave);
  if (filters.unit) q = q.where("t.unit_id", "in", unitSubtree([filters.unit]));
  if (filters.primary === "yes") q = q.where("t.id", "in", primaryCoveredTeams(programId, day));
  else if (filters.primary === "no") q = q.where("t.id", "not in", primaryCoveredTeams(programId, day));
  if (filters.q) {
    const like = likePattern(filters.q);
    const leads = sql<string>`(select lp.id from people lp where lp.archived_at is null and lp.name ilike ${like})`;
    q = q.where((eb) => eb.or([eb("t.name", "ilike", like), eb("u.name", "ilike", like), eb("t.lead_person_id", "in", leads)]));
  }
  return q;
}

export function teamColumns(query: TeamsQuery) {
  // The lead's name comes with the page's other details (see `pageDetailsOf`): joining people
  // here would read every person of the organization to name one page of teams.
  return query.select(["t.id", "t.name", "u.name as unitName", "pt.wave_id as waveId", "w.name as waveName", "t.lead_person_id as leadId"]);
}

export function orderTeams<Q extends ReturnType<typeof teamColumns>>(query: Q, sort: AssignmentSort | GapSort, dir: "asc" | "desc") {
  const by = (() => {
    switch (sort) {
      case "unit":
        return query.orderBy(sql`lower(u.name)`, dir);
      case "wave":
        return query.orderBy(sql`w.position`, (ob) => (dir === "asc" ? ob.asc() : ob.desc()).nullsLast());
      default:
        return query;
    }
  })();
  return by.orderBy(sql`lower(t.name)`, sort === "team" ? dir : "asc").orderBy("t.id");
}

interface TeamDetails {
  leadName: string | null;
  primary: string | null;
  secondaries: string[];
}

/** The lead (active person) and current coaches (of active coaches) of a page of teams, one query. */
export async function pageDetailsOf(db: DB, programId: string, teams: Array<{ id: string; leadId: string | null }>, day: string) {
  const byTeam = new Map<string, TeamDetails>(teams.map((t) => [t.id, { leadName: null, primary: null, secondaries: [] }]));
  if (teams.length === 0) return byTeam;
  const ids = teams.map((t) => t.id);
  const leadIds = teams.map((t) => t.leadId).filter((id): id is string => id !== null);
  const coaches = db
    .selectFrom("coach_assignments as a")
    .innerJoin("coaches as c", "c.id", "a.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["a.team_id as teamId", sql<string>`a.kind`.as("kind"), "p.name as name"])
    .where("a.program_id", "=", programId)
    .where("a.team_id", "in", ids)
    .where("c.active", "=", true)
    .where(currentOn("a", day));
  const rows = await (
    leadIds.length
      ? coaches.unionAll(
          db
            .selectFrom("teams as lt")
            .innerJoin("people as lp", "lp.id", "lt.lead_person_id")
            .select(["lt.id as teamId", sql<string>`'lead'`.as("kind"), "lp.name as name"])
            .where("lt.id", "in", ids)
            .where("lp.id", "in", leadIds)
            .where("lp.archived_at", "is", null),
        )
      : coaches
  ).execute();
  rows.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : compareNames(a.name, b.name)));
  for (const r of rows) {
    const entry = byTeam.get(r.teamId);
    if (!entry) continue;
    if (r.kind === "lead") entry.leadName = r.name;
    else if (r.kind === "primary" && entry.primary === null) entry.primary = r.name;
    else if (!entry.secondaries.includes(r.name)) entry.secondaries.push(r.name);
  }
  return byTeam;
}

const noDetails: TeamDetails = { leadName: null, primary: null, secondaries: [] };

/** One page of the organization's active teams with their wave and current coaches (two queries). */
export async function listTeamCoaches(
  db: DB,
  programId: string,
  params: ListParams<AssignmentSort>,
  day = dates.today(),
): Promise<Page<TeamCoachRow>> {
  const query = orderTeams(
    teamColumns(filterTeams(activeTeams(db, programId), programId, { q: params.q, ...params.filters }, day)),
    params.sort,
    params.dir,
  );
  const page = await fetchPage(query, params);
  const details = await pageDetailsOf(db, programId, page.rows, day);
  return {
    ...page,
    rows: page.rows.map(({ leadId: _leadId, ...r }) => ({ ...r, ...(details.get(r.id) ?? noDetails) })),
  };
}
