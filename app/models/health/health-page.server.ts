import { sql, type RawBuilder } from "kysely";
import type { OnboardingStatus } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { cachedRead } from "~/utils/read-cache.server";
import { cycleCtes, cycleFigures, factColumns, factsOf, refreshFacts, teamTrainedShares, type StoredFactsRow } from "./facts.server";
import {
  directName,
  type GroupHealth,
  type HealthCycle,
  type HealthFocus,
  type HealthView,
  type TeamHealthRow,
  type TrendPoint,
  type UnitRef,
} from "./health.server";
import {
  aggregateOf,
  BANDS,
  changeOf,
  PROBLEMS,
  problemMask,
  teamHealth,
  type AggregateCounts,
  type BandOrNone,
  type Problem,
  type TeamCycleFacts,
} from "./metrics";

// The health page read in SQL (ADR 0021): the roll-ups per cycle, wave and unit are counted by
// the database over the stored scores of team_cycle_facts (one GROUP BY GROUPING SETS), the
// team table reads only the rows it shows, and the recommendations only the stale and at-risk
// teams. Same rules and same figures as healthView (./health.server.ts), which adds up every
// team in Node; an integration test holds the two to each other. A constant number of queries,
// whatever the number of teams, cycles and check-ins.

export interface HealthBasics {
  today: Day;
  /** The started cycles, oldest first, with their own figures on `today`. */
  cycles: Array<HealthCycle & CycleFigures>;
  waves: Array<{ id: string; name: string; position: number }>;
  units: UnitRef[];
}

interface CycleFigures {
  pastDeadline: boolean;
  ended: boolean;
  maxObjectives: number;
  windowsDue: number;
}

/** The program's started cycles, waves and units, the facts brought up to date first (three queries, four when something changed). */
export async function healthBasics(db: DB, programId: string, today: Day): Promise<HealthBasics> {
  await refreshFacts(db, programId, today);
  const [cycles, waves, units] = await Promise.all([
    sql<{
      id: string;
      name: string;
      starts_on: Day;
      ends_on: Day;
      state: string;
      cad: number;
      past_deadline: boolean;
      ended: boolean;
      max_objectives: number;
      windows_due: number;
    }>`
      with ${cycleCtes(programId, today, null)}
      select cyw.id, cyw.name, cyw.starts_on, cyw.ends_on, cyw.state, cyw.cad, ${cycleFigures(today)}
        from cyw where cyw.starts_on <= ${today}::date order by cyw.starts_on, cyw.id`.execute(db),
    db
      .selectFrom("waves")
      .select(["id", "name", "position"])
      .where("program_id", "=", programId)
      .orderBy("position")
      .orderBy("id")
      .execute(),
    db.selectFrom("org_units").select(["id", "name", "parent_id as parentId"]).where("archived_at", "is", null).execute(),
  ]);
  return {
    today,
    cycles: cycles.rows.map((c) => ({
      id: c.id,
      name: c.name,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      state: c.state,
      cadence: Number(c.cad),
      pastDeadline: c.past_deadline,
      ended: c.ended,
      maxObjectives: Number(c.max_objectives),
      windowsDue: Number(c.windows_due),
    })),
    waves,
    units,
  };
}

export interface HealthPageTeam extends TeamHealthRow {
  status: OnboardingStatus;
}

/** A team of the recommendations: stale (missed windows, not updated) or at risk. */
export interface HealthPageFlagged {
  teamId: string;
  teamName: string;
  unitId: string;
  unitPath: string[];
  band: BandOrNone;
  problems: Problem[];
  score: number | null;
}

/** The page's view: the roll-ups of `HealthView` (computed in SQL), one page of team rows and the flagged teams. */
export interface HealthPage extends Omit<HealthView, "teams"> {
  /** The focus's teams of the cycle (in `band` when given), lowest scores first: `teamRows` of them from `teamOffset`. */
  teams: HealthPageTeam[];
  /** How many teams the table would list without its limit. */
  matching: number;
  /** With `flagged`: the focus's stale and at-risk teams of the cycle, worst first. */
  flagged: HealthPageFlagged[];
}

export interface HealthPageOptions {
  cycleId?: string | null;
  focus?: HealthFocus;
  band?: BandOrNone | null;
  /** Team rows to list (0: none, for those who see aggregates only), after skipping `teamOffset`. */
  teamRows?: number;
  teamOffset?: number;
  /** Read the stale and at-risk teams, for the recommendations. */
  flagged?: boolean;
  /**
   * Count the cycle and the one before it only, for the whole focus and per wave: no unit rows,
   * and a trend of these two cycles. What the sponsor report reads (./report-figures.server),
   * a quarter of the work on a program with eight cycles.
   */
  summaryOnly?: boolean;
}

type TeamSqlRow = StoredFactsRow & {
  team_name: string;
  wave_id: string | null;
  unit_id: string;
  status: OnboardingStatus;
  previous_score: number | null;
};

const NO_COUNTS = (): AggregateCounts => ({
  teams: 0,
  measured: 0,
  sum: 0,
  bands: { healthy: 0, watch: 0, at_risk: 0, not_measured: 0 },
  problems: Object.fromEntries(PROBLEMS.map((p) => [p, 0])) as Record<Problem, number>,
});

interface GroupRow {
  cycle_id: string;
  wave_id: string | null;
  g1: string | null;
  g2: string | null;
  by_wave: number;
  by_g1: number;
  by_g2: number;
  teams: number;
  measured: number;
  sum: number;
  healthy: number;
  watch: number;
  at_risk: number;
  not_measured: number;
  [problem: `p${number}`]: number;
}

/**
 * The health page of a program for one cycle (the latest started unless `cycleId` names another)
 * and a focus (a wave, a unit with or without the units below it): the focus's aggregate with its
 * change since the previous cycle, per wave and per unit, the trend over every cycle, and, when
 * asked, the team rows and the teams to act on. Three queries at most (with `basics`).
 */
export async function healthPage(db: DB, programId: string, basics: HealthBasics, options: HealthPageOptions = {}): Promise<HealthPage> {
  const focus = options.focus ?? {};
  const { today, cycles } = basics;
  const index = options.cycleId ? cycles.findIndex((c) => c.id === options.cycleId) : cycles.length - 1;
  const cycle = cycles[index] ?? null;
  const previousCycle = index > 0 ? cycles[index - 1] : null;
  const unitName = new Map(basics.units.map((u) => [u.id, u.name]));
  const waveName = new Map(basics.waves.map((w) => [w.id, w.name]));
  const focusUnitName = focus.unitId ? (unitName.get(focus.unitId) ?? "Unknown unit") : null;
  const focusParts = [
    focus.waveId ? (focus.waveId === "none" ? "No wave" : (waveName.get(focus.waveId) ?? "Unknown wave")) : null,
    focusUnitName !== null && focus.direct ? directName(focusUnitName) : focusUnitName,
  ].filter((p): p is string => p !== null);

  // The units in the focus, each with the row it counts in: g1 the rows of the focus unit's units
  // (the top units without a focus), g2 without a focus the rows under a lone top unit.
  const unitPath = unitPaths(basics.units);
  const grouping: Array<[string, string, string | null]> = [];
  const direct = (id: string) => `direct:${id}`;
  for (const u of basics.units) {
    const path = unitPath(u.id); // the unit, its parent, …, its top unit
    if (!focus.unitId) {
      const top = path.at(-1)!;
      grouping.push([u.id, top, path.length >= 2 ? path.at(-2)! : direct(top)]);
    } else if (focus.direct) {
      if (u.id === focus.unitId) grouping.push([u.id, direct(u.id), null]);
    } else {
      const at = path.indexOf(focus.unitId);
      if (at === 0) grouping.push([u.id, direct(u.id), null]);
      else if (at > 0) grouping.push([u.id, path[at - 1], null]);
    }
  }

  // A team without a stored row has no OKR data in the cycle: its health is that of zero facts.
  const zero = cycles.map((c) => {
    const h = teamHealth(zeroFacts(c));
    return sql`(${c.id}, ${h.score}::int, ${h.band}, ${problemMask(h.problems)}::int)`;
  });
  const units = grouping.length
    ? sql`g(unit_id, g1, g2) as (values ${sql.join(grouping.map(([id, g1, g2]) => sql`(${id}, ${g1}, ${g2}::text)`))})`
    : sql`g(unit_id, g1, g2) as (select null::text, null::text, null::text where false)`;
  const waveFilter = !focus.waveId ? sql`` : focus.waveId === "none" ? sql`and pt.wave_id is null` : sql`and pt.wave_id = ${focus.waveId}`;
  const ctes = (cycleIds: readonly string[]) => sql`
    with ${cycleCtes(programId, today, cycleIds)},
    z(cycle_id, score, band, problems) as (values ${sql.join(zero)}),
    ${units},
    pt as (
      select pt.team_id, pt.wave_id, pt.status, t.unit_id, t.name as team_name, w.starts_on as wave_starts_on, g.g1, g.g2
        from program_teams pt
        join teams t on t.id = pt.team_id
        join org_units u on u.id = t.unit_id
        join g on g.unit_id = t.unit_id
        left join waves w on w.id = pt.wave_id
       where pt.program_id = ${programId} and t.archived_at is null and u.archived_at is null ${waveFilter}
    )`;
  const takesPart = (f: string, c: string) => sql`(${sql.ref(`${f}.objectives`)} > 0 or pt.wave_starts_on <= ${sql.ref(`${c}.ends_on`)})`;
  const health = (f: string) => sql`
    case when ${sql.ref(`${f}.team_id`)} is null then z.score else ${sql.ref(`${f}.score`)} end as score,
    coalesce(${sql.ref(`${f}.band`)}, z.band) as band, coalesce(${sql.ref(`${f}.problems`)}, z.problems) as problems`;

  if (cycles.length === 0) {
    const none = aggregateOf(NO_COUNTS());
    return {
      cycles: [],
      cycle: null,
      previousCycle: null,
      focusName: focusParts.join(" · ") || null,
      overall: { id: "program", name: focusParts.join(" · ") || "Whole program", ...none, previousScore: null, ...changeOf(null, null) },
      waves: [],
      units: [],
      trend: [],
      teams: [],
      matching: 0,
      flagged: [],
    };
  }

  const problemCounts = sql.join(
    PROBLEMS.map((_, i) => sql`(count(*) filter (where r.problems & ${sql.lit(1 << i)} <> 0))::int as ${sql.ref(`p${i}`)}`),
  );
  const summaryOnly = options.summaryOnly === true;
  const rolledUp = summaryOnly ? [previousCycle, cycle].filter((c) => c !== null) : cycles;
  const groupingSets = summaryOnly
    ? sql`(r.cycle_id), (r.cycle_id, r.wave_id)`
    : sql`(r.cycle_id), (r.cycle_id, r.wave_id), (r.cycle_id, r.g1), (r.cycle_id, r.g2)`;
  const unitGroups = summaryOnly
    ? sql`null::text as g1, null::text as g2, 1 as by_g1, 1 as by_g2`
    : sql`r.g1, r.g2, grouping(r.g1)::int as by_g1, grouping(r.g2)::int as by_g2`;
  const groupsQuery = sql<GroupRow>`
    ${ctes(rolledUp.map((c) => c.id))},
    r as (
      select cyw.id as cycle_id, pt.wave_id, pt.g1, pt.g2, ${health("f")}
        from cyw cross join pt
        join z on z.cycle_id = cyw.id
        left join team_cycle_facts f on f.cycle_id = cyw.id and f.team_id = pt.team_id
       where ${takesPart("f", "cyw")}
    )
    select r.cycle_id, r.wave_id, grouping(r.wave_id)::int as by_wave, ${unitGroups},
           count(*)::int as teams, count(r.score)::int as measured, coalesce(sum(r.score), 0)::int as sum,
           (count(*) filter (where r.band = 'healthy'))::int as healthy, (count(*) filter (where r.band = 'watch'))::int as watch,
           (count(*) filter (where r.band = 'at_risk'))::int as at_risk, (count(*) filter (where r.band = 'not_measured'))::int as not_measured,
           ${problemCounts}
      from r
     group by grouping sets (${groupingSets})`;

  const teamRows = cycle && options.teamRows ? options.teamRows : 0;
  const latest = cycle?.id === cycles.at(-1)?.id;
  const bandFilter = options.band ? sql`and coalesce(f.band, z.band) = ${options.band}` : sql``;
  const previousJoin = previousCycle
    ? sql`left join team_cycle_facts pf on pf.cycle_id = ${previousCycle.id} and pf.team_id = pt.team_id
          left join z pz on pz.cycle_id = ${previousCycle.id}
          left join cy pc on pc.id = ${previousCycle.id}`
    : sql``;
  const previousScore = previousCycle
    ? sql`case when (pf.objectives > 0 or pt.wave_starts_on <= pc.ends_on) then (case when pf.team_id is null then pz.score else pf.score end) end`
    : sql`null::int`;
  const teamsQuery = (cycleId: string, filter: RawBuilder<unknown>, limit: number | null, offset = 0) => sql<TeamSqlRow>`
    ${ctes(previousCycle ? [cycleId, previousCycle.id] : [cycleId])}
    select pt.team_id, pt.team_name, pt.wave_id, pt.unit_id, pt.status, cyw.id as cycle_id, ${cycleFigures(today)}, ${factColumns},
           ${previousScore} as previous_score
      from cyw cross join pt
      join z on z.cycle_id = cyw.id
      left join team_cycle_facts f on f.cycle_id = cyw.id and f.team_id = pt.team_id
      ${previousJoin}
     where cyw.id = ${cycleId} and ${takesPart("f", "cyw")} ${filter}
     order by case when f.team_id is null then z.score else f.score end nulls last, pt.team_name, pt.team_id
     ${limit === null ? sql`` : sql`limit ${limit} offset ${offset}`}`;
  const staleMask = problemMask(["missed_windows", "not_updated"]);

  const noRows = { rows: [] as TeamSqlRow[] };
  const [groups, teamsResult, flaggedResult] = await Promise.all([
    groupsQuery.execute(db),
    teamRows > 0 && cycle ? teamsQuery(cycle.id, bandFilter, teamRows, Math.max(0, options.teamOffset ?? 0)).execute(db) : noRows,
    options.flagged && cycle
      ? teamsQuery(
          cycle.id,
          sql`and ((coalesce(f.problems, z.problems) & ${sql.lit(staleMask)}) <> 0 or coalesce(f.band, z.band) = 'at_risk')`,
          null,
        ).execute(db)
      : noRows,
  ]);

  // Counts per cycle and group.
  const counts = new Map<string, AggregateCounts>();
  const keyOf = (r: GroupRow) =>
    r.by_wave === 0
      ? `${r.cycle_id}|w|${r.wave_id ?? "none"}`
      : r.by_g1 === 0
        ? `${r.cycle_id}|g|${r.g1}`
        : r.by_g2 === 0
          ? `${r.cycle_id}|g2|${r.g2}`
          : `${r.cycle_id}|all`;
  for (const r of groups.rows) {
    const c = NO_COUNTS();
    c.teams = Number(r.teams);
    c.measured = Number(r.measured);
    c.sum = Number(r.sum);
    for (const b of [...BANDS, "not_measured"] as const) c.bands[b] = Number(r[b]);
    PROBLEMS.forEach((p, i) => (c.problems[p] = Number(r[`p${i}`])));
    counts.set(keyOf(r), c);
  }
  const countsOf = (cycleId: string | undefined, key: string) => (cycleId ? counts.get(`${cycleId}|${key}`) : undefined) ?? NO_COUNTS();
  const group = (id: string, name: string, key: string, isDirect = false): GroupHealth => {
    const current = aggregateOf(countsOf(cycle?.id, key));
    const previous = previousCycle ? aggregateOf(countsOf(previousCycle.id, key)).score : null;
    return { id, name, ...(isDirect ? { direct: true } : {}), ...current, previousScore: previous, ...changeOf(current.score, previous) };
  };

  const waves = [...basics.waves.map((w) => ({ id: w.id, name: w.name })), { id: "none", name: "No wave" }]
    .filter((w) => w.id !== "none" || countsOf(cycle?.id, "w|none").teams > 0)
    .filter((w) => !focus.waveId || focus.waveId === w.id)
    .map((w) => group(w.id, w.name, `w|${w.id}`));

  const byName = (a: UnitRef, b: UnitRef) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const groupsUnder = (parent: UnitRef | null, level: "g" | "g2"): GroupHealth[] => {
    const rows = basics.units
      .filter((u) => u.parentId === (parent?.id ?? null))
      .sort(byName)
      .map((u) => group(u.id, u.name, `${level}|${u.id}`));
    if (parent) rows.push(group(parent.id, directName(parent.name), `${level}|${direct(parent.id)}`, true));
    return rows.filter((g) => g.teams > 0);
  };
  let unitRows: GroupHealth[] = [];
  if (summaryOnly) {
    // Not counted.
  } else if (!focus.unitId) {
    unitRows = groupsUnder(null, "g");
    if (unitRows.length === 1) {
      const top = basics.units.find((u) => u.id === unitRows[0].id)!;
      const below = groupsUnder(top, "g2");
      if (below.some((g) => !g.direct)) unitRows = below;
    }
  } else if (!focus.direct) {
    const parent = basics.units.find((u) => u.id === focus.unitId);
    if (parent) unitRows = groupsUnder(parent, "g");
  }

  const trend = rolledUp.map((c): TrendPoint => {
    const a = aggregateOf(countsOf(c.id, "all"), 0);
    return { cycleId: c.id, name: c.name, startsOn: c.startsOn, score: a.score, band: a.band, teams: a.teams };
  });

  // The rows shown: scored again in Node from their facts (for the metrics and reasons), with
  // today's training for the latest cycle (two queries, for these teams only).
  const shownTrained =
    latest && teamsResult.rows.length > 0
      ? await teamTrainedShares(
          db,
          programId,
          today,
          teamsResult.rows.map((r) => r.team_id),
        )
      : new Map<string, { done: number; total: number }>();
  const teams = teamsResult.rows
    .map((r): HealthPageTeam => {
      const h = teamHealth({ ...factsOf(r), trained: latest ? (shownTrained.get(r.team_id) ?? null) : null });
      const previousScore = r.previous_score === null ? null : Number(r.previous_score);
      return {
        teamId: r.team_id,
        teamName: r.team_name,
        waveId: r.wave_id,
        unitId: r.unit_id,
        unitPath: unitPath(r.unit_id),
        status: r.status,
        score: h.score,
        band: h.band,
        reasons: h.reasons,
        problems: h.problems,
        metrics: h.metrics,
        previousScore,
        ...changeOf(h.score, previousScore),
      };
    })
    .sort(worstFirst);
  const matching = options.band ? countsOf(cycle?.id, "all").bands[options.band] : countsOf(cycle?.id, "all").teams;

  const flagged = flaggedResult.rows
    .map((r): HealthPageFlagged => {
      const h = teamHealth(factsOf(r));
      return {
        teamId: r.team_id,
        teamName: r.team_name,
        unitId: r.unit_id,
        unitPath: unitPath(r.unit_id),
        band: h.band,
        problems: h.problems,
        score: h.score,
      };
    })
    .sort(worstFirst);

  return {
    cycles: cycles.map(({ id, name, startsOn, endsOn, state, cadence }) => ({ id, name, startsOn, endsOn, state, cadence })),
    cycle: cycle ? plain(cycle) : null,
    previousCycle: previousCycle ? plain(previousCycle) : null,
    focusName: focusParts.length ? focusParts.join(" · ") : null,
    overall: group("program", focusParts.join(" · ") || "Whole program", "all"),
    waves,
    units: unitRows,
    trend,
    teams,
    matching,
    flagged,
  };
}

const plain = ({ id, name, startsOn, endsOn, state, cadence }: HealthCycle): HealthCycle => ({
  id,
  name,
  startsOn,
  endsOn,
  state,
  cadence,
});

function worstFirst(
  a: { score: number | null; teamName: string; teamId: string },
  b: { score: number | null; teamName: string; teamId: string },
) {
  return (a.score ?? 101) - (b.score ?? 101) || a.teamName.localeCompare(b.teamName) || a.teamId.localeCompare(b.teamId);
}

/** The facts of a team with no OKR data in a cycle. */
function zeroFacts(c: CycleFigures & { id: string }): TeamCycleFacts {
  return {
    ...factsOf({
      team_id: "",
      cycle_id: c.id,
      past_deadline: c.pastDeadline,
      ended: c.ended,
      max_objectives: c.maxObjectives,
      windows_due: c.windowsDue,
      objectives: null,
      drafted_on_time: null,
      aligned: null,
      kr_count_ok: null,
      krs: null,
      complete: null,
      task_like: null,
      scored: null,
      updated: null,
      windows_kept: null,
      conf_first: null,
      conf_second: null,
      retro_held: null,
      retro_by_team: null,
      support_minutes: null,
    }),
  };
}

/** A unit's path: the unit and the units above it, nearest first (as TeamHealthRow.unitPath). */
function unitPaths(units: readonly UnitRef[]): (unitId: string) => string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const known = new Map<string, string[]>();
  return (unitId) => {
    const hit = known.get(unitId);
    if (hit) return hit;
    const path: string[] = [];
    for (let u = byId.get(unitId); u && path.length < 50; u = u.parentId ? byId.get(u.parentId) : undefined) path.push(u.id);
    known.set(unitId, path);
    return path;
  };
}

/** The program's health in brief: the latest cycle's aggregate and its waves', and per wave the teams that scored a whole ended cycle. */
export interface HealthSummary {
  cycle: { id: string; name: string } | null;
  previousCycle: { id: string; name: string } | null;
  overall: GroupHealth;
  waves: GroupHealth[];
  /** Per wave: its teams that scored every key result of an ended cycle (a wave's exit criterion). */
  scoredACycle: Map<string, number>;
}

/**
 * The health summary of the overview, the wave pages and a wave's closing
 * (five queries, whatever the size; six when facts were stale).
 */
export async function healthSummary(db: DB, programId: string, today: Day): Promise<HealthSummary> {
  const basics = await healthBasics(db, programId, today);
  const [page, scored] = await Promise.all([
    healthPage(db, programId, basics),
    sql<{ wave_id: string; teams: number }>`
      select pt.wave_id, count(distinct f.team_id)::int as teams
        from team_cycle_facts f
        join cycles c on c.id = f.cycle_id
        join program_teams pt on pt.program_id = c.program_id and pt.team_id = f.team_id
        join teams t on t.id = pt.team_id
        join org_units u on u.id = t.unit_id
       where c.program_id = ${programId} and c.starts_on <= ${today}::date
         and (${today}::date > c.ends_on or c.state in ('reviewing', 'closed'))
         and f.krs > 0 and f.scored = f.krs and pt.wave_id is not null
         and t.archived_at is null and u.archived_at is null
       group by pt.wave_id`.execute(db),
  ]);
  return {
    cycle: page.cycle ? { id: page.cycle.id, name: page.cycle.name } : null,
    previousCycle: page.previousCycle ? { id: page.previousCycle.id, name: page.previousCycle.name } : null,
    overall: page.overall,
    waves: page.waves,
    scoredACycle: new Map(scored.rows.map((r) => [r.wave_id, Number(r.teams)])),
  };
}

/** The health summary through the read cache (ADR 0011), keyed by the program's data version and the day. */
export function cachedHealthSummary(db: DB, programId: string, dataVersion: string, today: Day): Promise<HealthSummary> {
  return cachedRead(`health-summary|${dataVersion}|${today}`, () => healthSummary(db, programId, today));
}
