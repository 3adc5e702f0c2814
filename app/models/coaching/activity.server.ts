import { addDays, format, parseISO, startOfWeek } from "date-fns";
import { sql, type Expression, type RawBuilder } from "kysely";
import { type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { ACTIVITY_WEEKS, quietWeeks, type ActivitySort } from "~/validation/coaching";
import * as dates from "~/utils/dates";
import type { CsvRecord } from "~/utils/csv";
import { activeTeams, filterTeams, orderTeams, pageDetailsOf, teamColumns } from "./coach-teams.server";
import { coachedTeams } from "./coach-sql.server";

// ---------------------------------------------------------------------------------------------
// Coaching activity (aggregates only: counts, minutes, dates; never notes)

/** The Mondays of the last `weeks` weeks up to the week of `day`, oldest first. */
export function activityWeeks(day: string, weeks = ACTIVITY_WEEKS): string[] {
  const monday = startOfWeek(parseISO(day), { weekStartsOn: 1 });
  return Array.from({ length: weeks }, (_, i) => format(addDays(monday, (i - weeks + 1) * 7), "yyyy-MM-dd"));
}

const weekOf = sql<string>`(s.held_on - (extract(isodow from s.held_on)::int - 1))`;

export interface ActivityFilters {
  q?: string;
  wave?: string;
  unit?: string;
  /** Weeks without a session that make a team "quiet" (default 4). */
  weeks?: string;
  /** yes: only quiet teams (no session in the last `weeks` weeks). */
  quiet?: string;
}

/** Ids of the teams with a session in the program between `from` and `day`. */
function teamsWithSessions(programId: string, from: string, day: string): RawBuilder<string> {
  return sql<string>`(select rs.team_id from support_sessions rs where rs.program_id = ${programId} and rs.held_on >= ${from}::date and rs.held_on <= ${day}::date)`;
}

/** The first day of the "quiet" window: a team is quiet with no session from this day to `day`. */
export function quietSince(day: string, weeks: number): string {
  return dates.addDays(day, -7 * weeks + 1);
}

/**
 * Teams whose coaching the activity page follows: coached now, or in a wave that has started
 * (teams of later waves without a coach are not "quiet" yet: nobody is meant to meet them).
 */
function activityTeams(db: DB, programId: string, filters: ActivityFilters, day: string) {
  let q = filterTeams(activeTeams(db, programId), programId, { q: filters.q, wave: filters.wave, unit: filters.unit }, day).where((eb) =>
    eb.or([eb("w.starts_on", "<=", day), eb("t.id", "in", coachedTeams(programId, day))]),
  );
  if (filters.quiet === "yes") q = q.where("t.id", "not in", teamsWithSessions(programId, quietSince(day, quietWeeks(filters.weeks)), day));
  return q;
}

export interface WeeklyCounts {
  /** Sessions per week, oldest first (see `activityWeeks`). */
  weeks: number[];
  sessions: number;
  minutes: number;
  lastHeldOn: string | null;
}

export interface TeamActivityRow extends WeeklyCounts {
  id: string;
  name: string;
  unitName: string;
  waveName: string | null;
  primary: string | null;
  /** No session in the last `weeks` weeks. */
  quiet: boolean;
}

export interface CoachActivityRow extends WeeklyCounts {
  id: string;
  name: string;
  active: boolean;
  /** Distinct teams with a session in the 12 weeks. */
  teams: number;
  /** No session (with the filtered teams) in the last `weeks` weeks. */
  quiet: boolean;
}

function emptyCounts(): WeeklyCounts {
  return { weeks: Array.from({ length: ACTIVITY_WEEKS }, () => 0), sessions: 0, minutes: 0, lastHeldOn: null };
}

/**
 * Weekly session counts, minutes, last session (and, for coaches, distinct teams met) of the
 * given teams or coaches, in one query: per id, lateral lookups that walk the (team_id, held_on)
 * or (coach_id, held_on) index, so the cost follows the page's rows, not the program's sessions.
 */
async function weeklyCounts(
  db: DB,
  programId: string,
  by: "team_id" | "coach_id",
  ids: string[],
  day: string,
  teamScope: Expression<unknown> | null = null,
) {
  const result = new Map(ids.map((id) => [id, { ...emptyCounts(), teams: 0 }]));
  if (ids.length === 0) return result;
  const weeks = activityWeeks(day);
  const index = new Map(weeks.map((w, i) => [w, i]));
  const key = sql.ref(`s.${by}`);
  const scope = teamScope ? sql`and s.team_id in ${teamScope}` : sql``;
  // Distinct teams met: per coach (once per id, not per week row).
  const teamsMet =
    by === "coach_id"
      ? sql`select count(distinct s.team_id) as teams from support_sessions s
          where ${key} = x.id and s.program_id = ${programId} and s.held_on >= ${weeks[0]}::date and s.held_on <= ${day}::date ${scope}`
      : sql`select 0 as teams`;
  const { rows } = await sql<{
    id: string;
    week: string | null;
    n: number | null;
    minutes: number | null;
    last: string | null;
    teams: number;
  }>`
    select x.id, w.week, w.n, w.minutes, l.last, tm.teams::int as teams
    from (values ${sql.join(ids.map((id) => sql`(${id})`))}) as x(id)
    left join lateral (
      select max(s.held_on) as last from support_sessions s
      where ${key} = x.id and s.program_id = ${programId} and s.held_on <= ${day}::date ${scope}
    ) l on true
    left join lateral (${teamsMet}) tm on true
    left join lateral (
      select ${weekOf} as week, count(*)::int as n, sum(s.duration_minutes)::int as minutes from support_sessions s
      where ${key} = x.id and s.program_id = ${programId} and s.held_on >= ${weeks[0]}::date and s.held_on <= ${day}::date ${scope}
      group by 1
    ) w on true`.execute(db);
  for (const r of rows) {
    const entry = result.get(r.id);
    if (!entry) continue;
    entry.lastHeldOn = r.last === null ? null : String(r.last);
    entry.teams = Number(r.teams);
    const i = r.week === null ? undefined : index.get(String(r.week));
    if (i === undefined) continue;
    entry.weeks[i] += Number(r.n);
    entry.sessions += Number(r.n);
    entry.minutes += Number(r.minutes);
  }
  return result;
}

/** One page of teams with their weekly sessions of the last 12 weeks (three queries). */
export async function listTeamActivity(
  db: DB,
  programId: string,
  params: ListParams<ActivitySort>,
  day = dates.today(),
): Promise<Page<TeamActivityRow>> {
  const filters = { q: params.q, ...params.filters };
  const base = teamColumns(activityTeams(db, programId, filters, day));
  const weeksFrom = activityWeeks(day)[0];
  const lastExpr = sql`(select max(ls.held_on) from support_sessions ls where ls.team_id = t.id and ls.program_id = ${programId} and ls.held_on <= ${day}::date)`;
  const countExpr = sql`(select count(*) from support_sessions cs where cs.team_id = t.id and cs.program_id = ${programId} and cs.held_on >= ${weeksFrom}::date and cs.held_on <= ${day}::date)`;
  const ordered =
    params.sort === "last"
      ? base
          .orderBy(lastExpr, (ob) => (params.dir === "asc" ? ob.asc() : ob.desc()).nullsFirst())
          .orderBy(sql`lower(t.name)`)
          .orderBy("t.id")
      : params.sort === "sessions"
        ? base
            .orderBy(countExpr, params.dir)
            .orderBy(sql`lower(t.name)`)
            .orderBy("t.id")
        : orderTeams(base, params.sort === "name" ? "team" : params.sort, params.dir);
  const page = await fetchPage(ordered, params);
  const ids = page.rows.map((r) => r.id);
  const [counts, details] = await Promise.all([
    weeklyCounts(db, programId, "team_id", ids, day),
    pageDetailsOf(
      db,
      programId,
      page.rows.map((r) => ({ id: r.id, leadId: null })),
      day,
    ),
  ]);
  const since = quietSince(day, quietWeeks(params.filters.weeks));
  return {
    ...page,
    rows: page.rows.map((r) => {
      const { teams: _teams, ...c } = counts.get(r.id) ?? { ...emptyCounts(), teams: 0 };
      return {
        id: r.id,
        name: r.name,
        unitName: r.unitName,
        waveName: r.waveName,
        primary: details.get(r.id)?.primary ?? null,
        ...c,
        quiet: c.lastHeldOn === null || c.lastHeldOn < since,
      };
    }),
  };
}

/**
 * One page of the program's coaches (deactivated ones too: their past sessions count) with
 * their weekly sessions; with a wave or unit filter only sessions with teams of that wave or
 * unit count (two queries).
 */
export async function listCoachActivity(
  db: DB,
  programId: string,
  params: ListParams<ActivitySort>,
  day = dates.today(),
): Promise<Page<CoachActivityRow>> {
  const weeksFrom = activityWeeks(day)[0];
  const scope = teamScopeOf(db, programId, params.filters, day);
  const scoped = scope ? sql`and cs.team_id in ${scope}` : sql``;
  const countExpr = sql<number>`(select count(*) from support_sessions cs where cs.coach_id = c.id and cs.program_id = ${programId} and cs.held_on >= ${weeksFrom}::date and cs.held_on <= ${day}::date ${scoped})`;
  const lastExpr = sql`(select max(cs.held_on) from support_sessions cs where cs.coach_id = c.id and cs.program_id = ${programId} and cs.held_on <= ${day}::date ${scoped})`;
  let query = db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "p.name", "c.active"])
    .where("c.program_id", "=", programId);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("p.name", "ilike", like), eb("c.focus", "ilike", like)]));
  }
  if (params.filters.quiet === "yes") {
    const since = quietSince(day, quietWeeks(params.filters.weeks));
    query = query.where(
      "c.id",
      "not in",
      sql<string>`(select rs.coach_id from support_sessions rs where rs.program_id = ${programId} and rs.held_on >= ${since}::date and rs.held_on <= ${day}::date ${scope ? sql`and rs.team_id in ${scope}` : sql``})`,
    );
  }
  const ordered = (
    params.sort === "sessions"
      ? query.orderBy(countExpr, params.dir)
      : params.sort === "last"
        ? query.orderBy(lastExpr, (ob) => (params.dir === "asc" ? ob.asc() : ob.desc()).nullsFirst())
        : query.orderBy(sql`lower(p.name)`, params.dir)
  )
    .orderBy(sql`lower(p.name)`)
    .orderBy("c.id");
  const page = await fetchPage(ordered, params);
  const counts = await weeklyCounts(
    db,
    programId,
    "coach_id",
    page.rows.map((r) => r.id),
    day,
    scope,
  );
  const since = quietSince(day, quietWeeks(params.filters.weeks));
  return {
    ...page,
    rows: page.rows.map((r) => {
      const { teams, ...c } = counts.get(r.id) ?? { ...emptyCounts(), teams: 0 };
      return { id: r.id, name: r.name, active: Boolean(r.active), teams, ...c, quiet: c.lastHeldOn === null || c.lastHeldOn < since };
    }),
  };
}

/** With a wave or unit filter, the ids of the teams it names (as a subquery); else null. */
function teamScopeOf(db: DB, programId: string, filters: { wave?: string; unit?: string }, day: string): Expression<unknown> | null {
  if (!filters.wave && !filters.unit) return null;
  return filterTeams(activeTeams(db, programId), programId, { wave: filters.wave, unit: filters.unit }, day).select("t.id");
}

export interface ActivitySummary {
  /** The window: the last `quietWeeks` weeks, from `since` to today. */
  quietWeeks: number;
  since: string;
  /** Sessions and minutes with the followed teams in the window. */
  sessions: number;
  minutes: number;
  /** Teams followed (wave/unit filter applied) and how many of them had no session in the window. */
  teams: number;
  quietTeams: number;
}

/**
 * The activity page's headline figures over the last N weeks (the "quiet" window), in one
 * query: only that window's sessions are read, through the (program_id, held_on) index.
 */
export async function activitySummary(db: DB, programId: string, filters: ActivityFilters, day = dates.today()): Promise<ActivitySummary> {
  const n = quietWeeks(filters.weeks);
  const since = quietSince(day, n);
  const followed = activityTeams(db, programId, { wave: filters.wave, unit: filters.unit }, day).select("t.id");
  const { rows } = await sql<{ teams: number; quiet: number; sessions: number; minutes: number }>`
    select count(*)::int as teams, (count(*) filter (where r.team_id is null))::int as quiet,
      coalesce(sum(r.n), 0)::int as sessions, coalesce(sum(r.minutes), 0)::int as minutes
    from ${followed} as ft
    left join (
      select s.team_id, count(*) as n, sum(s.duration_minutes) as minutes from support_sessions s
      where s.program_id = ${programId} and s.held_on >= ${since}::date and s.held_on <= ${day}::date
      group by s.team_id
    ) r on r.team_id = ft.id`.execute(db);
  const row = rows[0];
  return {
    quietWeeks: n,
    since,
    sessions: Number(row?.sessions ?? 0),
    minutes: Number(row?.minutes ?? 0),
    teams: Number(row?.teams ?? 0),
    quietTeams: Number(row?.quiet ?? 0),
  };
}

/** Every row of the activity view matching the filters (for the CSV export): a bounded number of queries. */
export async function allActivity(db: DB, programId: string, params: ListParams<ActivitySort>, day = dates.today()) {
  const all = { ...params, page: 1, size: 100_000 };
  return params.filters.view === "coaches"
    ? { view: "coaches" as const, rows: (await listCoachActivity(db, programId, all, day)).rows }
    : { view: "teams" as const, rows: (await listTeamActivity(db, programId, all, day)).rows };
}

/** The activity page's CSV: its columns (with one per week) and rows, for `csvResponse`. */
export function activityCsvTable(
  result: Awaited<ReturnType<typeof allActivity>>,
  day: string,
): { columns: string[]; rows: CsvRecord<string>[] } {
  const weeks = activityWeeks(day);
  const weekColumns = weeks.map((w) => `week_of_${w}`);
  if (result.view === "coaches") {
    return {
      rows: result.rows.map((r) => ({
        coach: r.name,
        status: r.active ? "active" : "deactivated",
        teams_supported: r.teams,
        sessions_12_weeks: r.sessions,
        minutes_12_weeks: r.minutes,
        last_session: r.lastHeldOn ?? "",
        ...Object.fromEntries(weekColumns.map((c, i) => [c, r.weeks[i]])),
      })),
      columns: ["coach", "status", "teams_supported", "sessions_12_weeks", "minutes_12_weeks", "last_session", ...weekColumns],
    };
  }
  return {
    rows: result.rows.map((r) => ({
      team: r.name,
      unit: r.unitName,
      wave: r.waveName ?? "",
      primary_coach: r.primary ?? "",
      sessions_12_weeks: r.sessions,
      minutes_12_weeks: r.minutes,
      last_session: r.lastHeldOn ?? "",
      quiet: r.quiet ? "yes" : "no",
      ...Object.fromEntries(weekColumns.map((c, i) => [c, r.weeks[i]])),
    })),
    columns: ["team", "unit", "wave", "primary_coach", "sessions_12_weeks", "minutes_12_weeks", "last_session", "quiet", ...weekColumns],
  };
}
