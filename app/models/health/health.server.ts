import { sql } from "kysely";
import type { OnboardingStatus } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { cachedRead } from "~/utils/read-cache.server";
import { startedCycles, teamCycleFacts, teamTrainedShares, type HealthCycle } from "./facts.server";
import {
  aggregate,
  changeOf,
  teamHealth,
  type Aggregate,
  type BandOrNone,
  type Change,
  type Problem,
  type TeamCycleMetrics,
} from "./metrics";

// Process health of a program (issue 16), computed on read (ADR 0017): the facts of every team
// in every started cycle (one query), the organization's units and the program's waves (one
// query each), the trained share of the teams for the latest cycle (two queries). Scores, bands,
// roll-ups per wave, unit and program, the comparison with the previous cycle and the trend are
// pure functions over those rows (./metrics.ts). Pages cache the result by the program's data
// version (ADR 0011), which every check-in, score, retrospective and plan change bumps.

export type { HealthCycle };

export interface TeamHealthRow {
  teamId: string;
  teamName: string;
  waveId: string | null;
  unitId: string;
  /** The team's unit and the units above it, nearest first. */
  unitPath: string[];
  score: number | null;
  band: BandOrNone;
  reasons: string[];
  problems: Problem[];
  metrics: TeamCycleMetrics;
  previousScore: number | null;
  change: Change;
  delta: number | null;
}

export interface GroupHealth extends Aggregate {
  id: string;
  name: string;
  /** A unit's row of the teams sitting directly in it (not in a unit below it). */
  direct?: boolean;
  previousScore: number | null;
  change: Change;
  delta: number | null;
}

export interface TrendPoint {
  cycleId: string;
  name: string;
  startsOn: Day;
  score: number | null;
  band: BandOrNone;
  teams: number;
}

export interface UnitRef {
  id: string;
  name: string;
  parentId: string | null;
}

/** Everything the health page and its summaries read, for every started cycle. Cache it whole. */
export interface HealthData {
  today: Day;
  cycles: HealthCycle[];
  /** Per team: its people with required training and how many met all of it, today. */
  trained: Record<string, { done: number; total: number }>;
  waves: Array<{ id: string; name: string; position: number }>;
  units: UnitRef[];
  /** Per cycle id: the rows of its taking-part teams. */
  teams: Record<string, TeamHealthRow[]>;
}

/** The program's health data on `today` (five queries, whatever the size); `teamIds` narrows it to some teams. */
export async function loadHealthData(db: DB, programId: string, today: Day, teamIds?: readonly string[]): Promise<HealthData> {
  const cycles = await startedCycles(db, programId, today);
  const latest = cycles.at(-1);
  const [facts, waves, units, trained] = await Promise.all([
    teamCycleFacts(
      db,
      programId,
      cycles.map((c) => c.id),
      today,
      teamIds,
    ),
    db
      .selectFrom("waves")
      .select(["id", "name", "position"])
      .where("program_id", "=", programId)
      .orderBy("position")
      .orderBy("id")
      .execute(),
    db.selectFrom("org_units").select(["id", "name", "parent_id as parentId"]).where("archived_at", "is", null).execute(),
    latest ? teamTrainedShares(db, programId, today, teamIds) : Promise.resolve(new Map<string, { done: number; total: number }>()),
  ]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const pathOf = new Map<string, string[]>();
  const unitPath = (unitId: string): string[] => {
    const known = pathOf.get(unitId);
    if (known) return known;
    const path: string[] = [];
    for (let u = unitById.get(unitId); u && path.length < 50; u = u.parentId ? unitById.get(u.parentId) : undefined) path.push(u.id);
    pathOf.set(unitId, path);
    return path;
  };
  const teams: Record<string, TeamHealthRow[]> = {};
  const previousOf = new Map(cycles.map((c, i) => [c.id, cycles[i - 1]?.id ?? null]));
  const scoreIn = new Map<string, number | null>();
  for (const f of facts) {
    const withTraining = f.cycleId === latest?.id ? { ...f, trained: trained.get(f.teamId) ?? null } : f;
    const health = teamHealth(withTraining);
    scoreIn.set(`${f.cycleId}:${f.teamId}`, health.score);
    (teams[f.cycleId] ??= []).push({
      teamId: f.teamId,
      teamName: f.teamName,
      waveId: f.waveId,
      unitId: f.unitId,
      unitPath: unitPath(f.unitId),
      score: health.score,
      band: health.band,
      reasons: health.reasons,
      problems: health.problems,
      metrics: health.metrics,
      previousScore: null,
      change: "new",
      delta: null,
    });
  }
  for (const [cycleId, rows] of Object.entries(teams)) {
    const previous = previousOf.get(cycleId);
    for (const row of rows) {
      row.previousScore = previous ? (scoreIn.get(`${previous}:${row.teamId}`) ?? null) : null;
      Object.assign(row, changeOf(row.score, row.previousScore));
    }
    rows.sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || a.teamName.localeCompare(b.teamName) || a.teamId.localeCompare(b.teamId));
  }
  return {
    today,
    cycles,
    trained: Object.fromEntries(trained),
    waves,
    units: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })),
    teams,
  };
}

/**
 * The program's health data through the read cache (ADR 0011), keyed by the program's data
 * version (`requireProgram`'s `dataVersion`) and the day: the health page, graduation, the waves
 * and the overview share one computation between two changes.
 */
export function cachedHealthData(db: DB, programId: string, dataVersion: string, today: Day): Promise<HealthData> {
  return cachedRead(`health|${dataVersion}|${today}`, () => loadHealthData(db, programId, today));
}

/** A cycle has ended once its last day is past, or once it is in review or closed. */
export function cycleEnded(cycle: Pick<HealthCycle, "endsOn" | "state">, today: Day): boolean {
  return today > cycle.endsOn || cycle.state === "reviewing" || cycle.state === "closed";
}

/**
 * Teams matching a drill-down: a wave ("none": no wave) and/or a unit with the units below it
 * (`direct`: only the teams sitting in the unit itself).
 */
export interface HealthFocus {
  waveId?: string | null;
  unitId?: string | null;
  direct?: boolean;
}

/** The team sits in the unit (directly, or in a unit below it unless `direct`). */
export function inUnit(row: Pick<TeamHealthRow, "unitId" | "unitPath">, unitId: string, direct = false): boolean {
  return direct ? row.unitId === unitId : row.unitPath.includes(unitId);
}

export function teamsIn(rows: readonly TeamHealthRow[], focus: HealthFocus): TeamHealthRow[] {
  return rows.filter(
    (r) =>
      (!focus.waveId || (focus.waveId === "none" ? r.waveId === null : r.waveId === focus.waveId)) &&
      (!focus.unitId || inUnit(r, focus.unitId, focus.direct)),
  );
}

function group(
  id: string,
  name: string,
  rows: readonly TeamHealthRow[],
  previousRows: readonly TeamHealthRow[] | null,
  direct = false,
): GroupHealth {
  const current = aggregate(rows);
  const previous = previousRows ? aggregate(previousRows).score : null;
  return { id, name, ...(direct ? { direct } : {}), ...current, previousScore: previous, ...changeOf(current.score, previous) };
}

/** The name of a unit's row of the teams sitting directly in it. */
export const directName = (unitName: string) => `Directly in ${unitName}`;

export interface HealthView {
  cycles: HealthCycle[];
  cycle: HealthCycle | null;
  previousCycle: HealthCycle | null;
  /** The focus's name ("Wave 1 · Operations"), null for the whole program. */
  focusName: string | null;
  overall: GroupHealth;
  waves: GroupHealth[];
  /** The units below the focus unit (the top units without one). */
  units: GroupHealth[];
  trend: TrendPoint[];
  /** The teams of the focus, worst first (only for those who may see them). */
  teams: TeamHealthRow[];
}

/**
 * The page's view of the data: one cycle (the latest started unless `cycleId` names another),
 * the focus's aggregate with its change since the previous cycle, per wave and per unit, the
 * trend over every cycle, and the focus's teams.
 */
export function healthView(data: HealthData, options: { cycleId?: string | null; focus?: HealthFocus } = {}): HealthView {
  const focus = options.focus ?? {};
  const index = options.cycleId ? data.cycles.findIndex((c) => c.id === options.cycleId) : data.cycles.length - 1;
  const cycle = data.cycles[index] ?? null;
  const previousCycle = index > 0 ? data.cycles[index - 1] : null;
  const rowsOf = (c: HealthCycle | null) => (c ? (data.teams[c.id] ?? []) : []);
  const current = teamsIn(rowsOf(cycle), focus);
  const previous = previousCycle ? teamsIn(rowsOf(previousCycle), focus) : null;
  const unitName = new Map(data.units.map((u) => [u.id, u.name]));
  const waveName = new Map(data.waves.map((w) => [w.id, w.name]));
  const focusUnitName = focus.unitId ? (unitName.get(focus.unitId) ?? "Unknown unit") : null;
  const focusParts = [
    focus.waveId ? (focus.waveId === "none" ? "No wave" : (waveName.get(focus.waveId) ?? "Unknown wave")) : null,
    focusUnitName !== null && focus.direct ? directName(focusUnitName) : focusUnitName,
  ].filter((p): p is string => p !== null);

  const waves = [...data.waves.map((w) => ({ id: w.id, name: w.name })), { id: "none", name: "No wave" }]
    .map((w) => ({ w, rows: current.filter((r) => (w.id === "none" ? r.waveId === null : r.waveId === w.id)) }))
    .filter(({ w, rows }) => rows.length > 0 || w.id !== "none")
    .filter(({ w }) => !focus.waveId || focus.waveId === w.id)
    .map(({ w, rows }) =>
      group(w.id, w.name, rows, previous ? previous.filter((r) => (w.id === "none" ? r.waveId === null : r.waveId === w.id)) : null),
    );

  // Without a focus unit: the top units, or the units under the company when there is one top
  // unit whose teams sit in units below it. Below a unit, the teams sitting directly in it (not
  // in a unit below) have a row of their own, last, so that every team is in one row.
  const groupsUnder = (parent: { id: string; name: string } | null): GroupHealth[] => {
    const rows = data.units
      .filter((u) => u.parentId === (parent?.id ?? null))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((u) =>
        group(
          u.id,
          u.name,
          current.filter((r) => inUnit(r, u.id)),
          previous ? previous.filter((r) => inUnit(r, u.id)) : null,
        ),
      );
    if (parent)
      rows.push(
        group(
          parent.id,
          directName(parent.name),
          current.filter((r) => inUnit(r, parent.id, true)),
          previous ? previous.filter((r) => inUnit(r, parent.id, true)) : null,
          true,
        ),
      );
    return rows.filter((g) => g.teams > 0);
  };
  let units: GroupHealth[] = [];
  if (!focus.unitId) {
    units = groupsUnder(null);
    if (units.length === 1) {
      const below = groupsUnder(units[0]);
      if (below.some((g) => !g.direct)) units = below;
    }
  } else if (!focus.direct) {
    units = groupsUnder({ id: focus.unitId, name: focusUnitName ?? "" });
  }

  const trend = data.cycles.map((c): TrendPoint => {
    const a = aggregate(teamsIn(rowsOf(c), focus), 0);
    return { cycleId: c.id, name: c.name, startsOn: c.startsOn, score: a.score, band: a.band, teams: a.teams };
  });

  return {
    cycles: data.cycles,
    cycle,
    previousCycle,
    focusName: focusParts.length ? focusParts.join(" · ") : null,
    overall: group("program", focusParts.join(" · ") || "Whole program", current, previous),
    waves,
    units,
    trend,
    teams: current,
  };
}

// ---------------------------------------------------------------------------------------------
// What the PLO can act on from the health page

export interface Recommendation {
  kind: "clinic" | "coach";
  /** The unit of a clinic. */
  unitId: string | null;
  unitName: string | null;
  teamIds: string[];
  teamNames: string[];
  text: string;
}

const STALE: readonly Problem[] = ["missed_windows", "not_updated"];

/**
 * Recommendations for the viewed teams: a check-in clinic for the stale teams of each unit shown
 * (missed check-in windows or key results not updated), a coach for the at-risk teams without a
 * current primary coach. `coached` are the teams with one.
 */
export function recommendations(
  view: {
    units: readonly GroupHealth[];
    teams: ReadonlyArray<Pick<TeamHealthRow, "teamId" | "teamName" | "unitId" | "unitPath" | "problems" | "band">>;
  },
  coached: ReadonlySet<string>,
  unitNames: ReadonlyMap<string, string>,
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const unit of view.units) {
    const stale = view.teams.filter((t) => inUnit(t, unit.id, unit.direct) && t.problems.some((p) => STALE.includes(p)));
    if (stale.length === 0) continue;
    out.push({
      kind: "clinic",
      unitId: unit.id,
      unitName: unitNames.get(unit.id) ?? unit.name,
      teamIds: stale.map((t) => t.teamId),
      teamNames: stale.map((t) => t.teamName),
      text: `Schedule a check-in clinic for the ${stale.length} stale team${stale.length === 1 ? "" : "s"} ${
        unit.direct ? `sitting directly in ${unitNames.get(unit.id) ?? unit.name}` : `of ${unit.name}`
      }.`,
    });
  }
  const uncoached = view.teams.filter((t) => t.band === "at_risk" && !coached.has(t.teamId));
  if (uncoached.length > 0) {
    out.push({
      kind: "coach",
      unitId: null,
      unitName: null,
      teamIds: uncoached.map((t) => t.teamId),
      teamNames: uncoached.map((t) => t.teamName),
      text: `Assign a coach to the ${uncoached.length} at-risk team${uncoached.length === 1 ? "" : "s"} without a primary coach.`,
    });
  }
  return out.sort((a, b) => b.teamIds.length - a.teamIds.length);
}

/** Of the given teams, those with a current primary coach on `today` (one query). */
export async function teamsWithPrimaryCoach(db: DB, programId: string, teamIds: readonly string[], today: Day): Promise<Set<string>> {
  if (teamIds.length === 0) return new Set();
  const { rows } = await sql<{ team_id: string }>`
    select distinct a.team_id from coach_assignments a join coaches c on c.id = a.coach_id
     where a.program_id = ${programId} and a.kind = 'primary' and c.active
       and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
       and a.team_id in (${sql.join(teamIds)})`.execute(db);
  return new Set(rows.map((r) => r.team_id));
}

/** The onboarding status of teams, for the drill-down table (one query). */
export async function statusesOf(db: DB, programId: string, teamIds: readonly string[]): Promise<Map<string, OnboardingStatus>> {
  if (teamIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("program_teams")
    .select(["team_id", "status"])
    .where("program_id", "=", programId)
    .where("team_id", "in", teamIds)
    .execute();
  return new Map(rows.map((r) => [r.team_id, r.status]));
}
