import { sql } from "kysely";
import { type DB } from "~/utils/db.server";
import { type ListParams, type Page } from "~/utils/list-params";
import { compareNames } from "~/utils/collate";
import { fetchPage } from "~/utils/paging.server";
import { COACH_LOAD_PAGE_SIZE, type GapSort } from "~/validation/coaching";
import * as dates from "~/utils/dates";
import { loadExpr, primaryCoveredTeams } from "./coach-sql.server";
import { activeTeams, filterTeams, orderTeams, pageDetailsOf, teamColumns } from "./coach-teams.server";
import { AccountState, CoachOption, accountState, coachesQuery } from "./coach-list.server";

// ---------------------------------------------------------------------------------------------
// Coverage board

export interface WaveRef {
  id: string;
  name: string;
  position: number;
  startsOn: string | null;
  endsOn: string | null;
}

/**
 * The current wave (its dates contain `day`; else the latest one started) and the next one (the
 * following one by position; the first wave when none has started yet).
 */
export function currentAndNextWave(waves: WaveRef[], day: string): { current: WaveRef | null; next: WaveRef | null } {
  const ordered = [...waves].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const started = ordered.filter((w) => w.startsOn !== null && w.startsOn <= day);
  const current =
    started.find((w) => w.endsOn === null || w.endsOn >= day) ??
    [...started].sort((a, b) => (a.startsOn! < b.startsOn! ? 1 : a.startsOn! > b.startsOn! ? -1 : b.position - a.position))[0] ??
    null;
  const next = current ? (ordered[ordered.indexOf(current) + 1] ?? null) : (ordered[0] ?? null);
  return { current, next };
}

/** The program's waves in order (one query). */
export async function listWaveRefs(db: DB, programId: string): Promise<WaveRef[]> {
  return db
    .selectFrom("waves")
    .select(["id", "name", "position", "starts_on as startsOn", "ends_on as endsOn"])
    .where("program_id", "=", programId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/** Per wave: active teams in it and how many of them have no current primary coach (one query). */
export async function waveCoverage(
  db: DB,
  programId: string,
  waveIds: string[],
  day = dates.today(),
): Promise<Map<string, { teams: number; withoutPrimary: number }>> {
  const result = new Map(waveIds.map((id) => [id, { teams: 0, withoutPrimary: 0 }]));
  if (waveIds.length === 0) return result;
  const { rows } = await sql<{ wave_id: string; teams: number; without_primary: number }>`
    select pt.wave_id, count(*)::int as teams,
      (count(*) filter (where t.id not in ${primaryCoveredTeams(programId, day)}))::int as without_primary
    from program_teams pt
    join teams t on t.id = pt.team_id
    join org_units u on u.id = t.unit_id
    where pt.program_id = ${programId} and pt.wave_id in (${sql.join(waveIds)})
      and t.archived_at is null and u.archived_at is null
    group by pt.wave_id`.execute(db);
  for (const r of rows) result.set(r.wave_id, { teams: Number(r.teams), withoutPrimary: Number(r.without_primary) });
  return result;
}

/**
 * For the wave-readiness criterion "every team has a coach": per wave id, the number of active
 * teams in the wave without a current primary coach on `today` (0 when all are covered). One query.
 */
export async function teamsWithoutPrimaryCoach(db: DB, programId: string, waveIds: string[], today: string): Promise<Map<string, number>> {
  const coverage = await waveCoverage(db, programId, waveIds, today);
  return new Map([...coverage].map(([id, c]) => [id, c.withoutPrimary]));
}

export interface CoverageSummary {
  coaches: number;
  overloaded: number;
  full: number;
  /** Places left with coaches under capacity. */
  freePlaces: number;
  capacity: number;
  load: number;
  withoutAccount: number;
  /** Coaches who left the organization: their teams are gaps until the PLO replaces them. */
  left: number;
}

export interface GapTeamRow {
  id: string;
  name: string;
  unitName: string;
  waveId: string | null;
  waveName: string | null;
  leadName: string | null;
  /** Current secondary coaches: candidates to become the primary. */
  secondaries: string[];
}

function gapQuery(db: DB, programId: string, waveIds: string[], filters: { q?: string; unit?: string }, day: string) {
  return filterTeams(activeTeams(db, programId), programId, { q: filters.q, unit: filters.unit }, day)
    .where("pt.wave_id", "in", waveIds)
    .where("t.id", "not in", primaryCoveredTeams(programId, day));
}

/** Teams of the given waves without a current primary coach, one page (two queries). */
export async function listGapTeams(
  db: DB,
  programId: string,
  waveIds: string[],
  params: ListParams<GapSort>,
  day = dates.today(),
): Promise<Page<GapTeamRow>> {
  if (waveIds.length === 0) return { rows: [], total: 0, page: params.page, size: params.size };
  const query = orderTeams(
    teamColumns(gapQuery(db, programId, waveIds, { q: params.q, unit: params.filters.unit }, day)),
    params.sort,
    params.dir,
  );
  const page = await fetchPage(query, params);
  const details = await pageDetailsOf(db, programId, page.rows, day);
  return {
    ...page,
    rows: page.rows.map(({ leadId: _leadId, ...r }) => ({
      ...r,
      leadName: details.get(r.id)?.leadName ?? null,
      secondaries: details.get(r.id)?.secondaries ?? [],
    })),
  };
}

/** Up to `limit` gap teams of the given waves, by wave and name, for a picker (one query). */
export async function gapTeamOptions(db: DB, programId: string, waveIds: string[], day = dates.today(), limit = 300) {
  if (waveIds.length === 0) return [];
  return orderTeams(teamColumns(gapQuery(db, programId, waveIds, {}, day)), "wave", "asc")
    .limit(limit)
    .execute();
}

export interface CoachLoadRow {
  id: string;
  name: string;
  focus: string;
  capacity: number;
  load: number;
  account: AccountState;
  /** The day the coach's person left the organization (archived by an HR import): replace them. */
  leftOn: dates.Day | null;
}

/** Every active coach with their load (one query; a program has a few hundred coaches at most). */
async function activeCoachLoads(db: DB, programId: string, day: string): Promise<CoachLoadRow[]> {
  const rows = await coachesQuery(db, programId, day)
    .where("c.active", "=", true)
    .select([
      "c.id",
      "p.name",
      "c.focus",
      "c.capacity",
      loadExpr.as("load"),
      "usr.id as userId",
      "usr.role as userRole",
      "usr.active as userActive",
      "p.archived_at as leftAt",
    ])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    focus: r.focus,
    capacity: Number(r.capacity),
    load: Number(r.load),
    account: accountState({ id: r.userId, role: r.userRole, active: r.userActive }),
    leftOn: r.leftAt ? dates.today(new Date(r.leftAt)) : null,
  }));
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The board's figures from the coaches' loads. */
export function summarizeLoads(rows: CoachLoadRow[]): CoverageSummary {
  return {
    coaches: rows.length,
    overloaded: rows.filter((r) => r.load > r.capacity).length,
    full: rows.filter((r) => r.load === r.capacity).length,
    freePlaces: rows.reduce((sum, r) => sum + Math.max(0, r.capacity - r.load), 0),
    capacity: rows.reduce((sum, r) => sum + r.capacity, 0),
    load: rows.reduce((sum, r) => sum + r.load, 0),
    withoutAccount: rows.filter((r) => r.account !== "coach").length,
    left: rows.filter((r) => r.leftOn !== null).length,
  };
}

/** One page of coaches, the most loaded (relative to capacity) first, optionally only overloaded / full / free ones. */
export function pageOfLoads(rows: CoachLoadRow[], filter: string | undefined, page: number): Page<CoachLoadRow> {
  const kept = rows
    .filter((r) =>
      filter === "overloaded"
        ? r.load > r.capacity
        : filter === "full"
          ? r.load === r.capacity
          : filter === "free"
            ? r.load < r.capacity
            : filter === "left"
              ? r.leftOn !== null
              : true,
    )
    .sort((a, b) => b.load / Math.max(b.capacity, 1) - a.load / Math.max(a.capacity, 1) || byName(a, b));
  const pages = Math.max(1, Math.ceil(kept.length / COACH_LOAD_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  return {
    rows: kept.slice((current - 1) * COACH_LOAD_PAGE_SIZE, current * COACH_LOAD_PAGE_SIZE),
    total: kept.length,
    page: current,
    size: COACH_LOAD_PAGE_SIZE,
  };
}

/** Active coaches by load, one page (one query). */
export async function listCoachLoads(
  db: DB,
  programId: string,
  filter: string | undefined,
  page: number,
  day = dates.today(),
): Promise<Page<CoachLoadRow>> {
  return pageOfLoads(await activeCoachLoads(db, programId, day), filter, page);
}

export interface CoverageBoard {
  today: string;
  current: WaveRef | null;
  next: WaveRef | null;
  waves: WaveRef[];
  coverage: Array<WaveRef & { teams: number; withoutPrimary: number; role: "current" | "next" }>;
  summary: CoverageSummary;
  coaches: Page<CoachLoadRow>;
  gaps: Page<GapTeamRow>;
  /** Active coaches with free places, most free first. */
  coachOptions: CoachOption[];
}

/**
 * Everything the coverage board shows, in five queries whatever the size: waves, coverage of the
 * current and next wave, every active coach's load (the summary, one page of loads and the
 * picker's options come from it), one page of gap teams (filter `wave`: "current", "next" or
 * empty for both) and their secondary coaches.
 */
export async function loadCoverageBoard(
  db: DB,
  programId: string,
  options: { gaps: ListParams<GapSort>; coachFilter?: string; coachPage?: number },
  day = dates.today(),
): Promise<CoverageBoard> {
  const waves = await listWaveRefs(db, programId);
  const { current, next } = currentAndNextWave(waves, day);
  const focus = [current, next].filter((w): w is WaveRef => w !== null);
  const waveFilter = options.gaps.filters.wave;
  const gapWaves = focus
    .filter((w) => !waveFilter || (waveFilter === "current" ? w === current : waveFilter === "next" ? w === next : w.id === waveFilter))
    .map((w) => w.id);
  const [coverage, loads, gaps] = await Promise.all([
    waveCoverage(
      db,
      programId,
      focus.map((w) => w.id),
      day,
    ),
    activeCoachLoads(db, programId, day),
    listGapTeams(db, programId, gapWaves, options.gaps, day),
  ]);
  const summary = summarizeLoads(loads);
  const coaches = pageOfLoads(loads, options.coachFilter, options.coachPage ?? 1);
  // The board's pickers offer coaches with free places, most free first (to overload someone on
  // purpose, the PLO uses the assignment list, which offers every coach).
  const coachOptions = loads
    .filter((c) => c.load < c.capacity && c.leftOn === null)
    .sort((a, b) => b.capacity - b.load - (a.capacity - a.load) || byName(a, b))
    .map(({ id, name, capacity, load }) => ({ id, name, capacity, load }));
  return {
    today: day,
    current,
    next,
    waves,
    coverage: focus.map((w) => ({
      ...w,
      ...(coverage.get(w.id) ?? { teams: 0, withoutPrimary: 0 }),
      role: w === current ? "current" : "next",
    })),
    summary,
    coaches,
    gaps,
    coachOptions,
  };
}
