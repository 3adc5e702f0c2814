import { sql, type RawBuilder } from "kysely";
import { today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { CHECKLIST_ITEMS, type ChecklistItem } from "./checklist-items";

export { CHECKLIST_ITEMS, CHECKLIST_LABELS, type ChecklistItem } from "./checklist-items";

// The per-team cycle checklist (issue 14), derived from data and never ticked by hand. One SQL
// statement computes it for every team of a program (or the given teams), so the team page, the
// coach's "My teams", the PLO overview (counts per wave) and the sponsor's adoption figures issue
// a constant number of queries whatever the number of teams. Objectives abandoned don't count.
//
//   drafted          the team has at least one objective in the cycle
//   qualityPassed    the set passes the drafting quality checks: 1..max_objectives objectives,
//                    2–5 key results each, every key result with a target (or a milestone) and an
//                    owner, every objective aligned or saying why not. This is exactly "passed" of
//                    the cycles area's checkQuality (~/models/cycles/quality.ts): with those four
//                    checks passing, its score is at least 90 ≥ QUALITY_PASS_SCORE, and the wording
//                    check is a hint only.
//   aligned          every objective is aligned to a parent objective or gives a standalone reason
//   approved         every objective is approved, active or achieved
//   onCadence        at least ON_CADENCE_SHARE of the key results were checked in within the
//                    cycle's cadence (done milestones count as on cadence; before its first check-in
//                    a key result counts from the cycle's start). `onCadenceShare` is that share,
//                    null before the cycle starts or without key results.
//   midReviewHeld    a mid-cycle review event of the cycle is held for the team's scope: the whole
//                    program, the team's wave, or the team's unit or a unit above it
//   scored           every key result has a score
//   retroHeld        the team's retrospective of the cycle has a held-on date
// `next` is the first item not met among those due: the drafting items always; being on cadence
// once the cycle started; the mid-cycle review from half time; scores and the retrospective once
// the cycle ended (or is in review or closed).

export const ON_CADENCE_SHARE = 0.8;

export interface TeamChecklist extends Record<ChecklistItem, boolean> {
  teamId: string;
  teamName: string;
  waveId: string | null;
  waveName: string | null;
  objectives: number;
  keyResults: number;
  onCadenceShare: number | null;
  /** The first item due and not met, or null when the team is where it should be. */
  next: ChecklistItem | null;
}

interface CycleTimes {
  id: string;
  name: string;
  startsOn: Day;
  endsOn: Day;
  state: string;
}

/** The items due on `today` for a cycle (see the rules above). */
export function dueItems(cycle: Pick<CycleTimes, "startsOn" | "endsOn" | "state">, today: Day): ChecklistItem[] {
  const started = today >= cycle.startsOn;
  const half = midpoint(cycle.startsOn, cycle.endsOn) <= today;
  const ended = today >= cycle.endsOn || cycle.state === "reviewing" || cycle.state === "closed";
  return CHECKLIST_ITEMS.filter((item) => {
    if (item === "onCadence") return started && cycle.state !== "closed";
    if (item === "midReviewHeld") return half;
    if (item === "scored" || item === "retroHeld") return ended;
    return true;
  });
}

function midpoint(startsOn: Day, endsOn: Day): Day {
  const a = Date.parse(`${startsOn}T00:00:00Z`);
  const b = Date.parse(`${endsOn}T00:00:00Z`);
  return new Date(a + Math.floor((b - a) / 86_400_000 / 2) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The per-team rows of the checklist as one SQL relation (team_id, wave_id, the items…), for one
 * cycle of a program on `today`; `teamIds` narrows it to some teams.
 */
function checklistRelation(programId: string, cycleId: string, today: Day, teamIds?: readonly string[]): RawBuilder<unknown> {
  const teamFilter = teamIds ? (teamIds.length ? sql`and pt.team_id in (${sql.join(teamIds)})` : sql`and false`) : sql``;
  return sql`
    with recursive
    cy as (
      select id, starts_on, ends_on, state, checkin_cadence_days as cadence, max_objectives,
             least(${today}::date, ends_on) as eval_day
        from cycles where id = ${cycleId} and program_id = ${programId}
    ),
    pt as (
      select pt.team_id, pt.wave_id, t.name as team_name, t.unit_id
        from program_teams pt join teams t on t.id = pt.team_id
       where pt.program_id = ${programId} and t.archived_at is null ${teamFilter}
    ),
    held as (
      select e.scope, e.wave_id, e.unit_id from cycle_events e
       where e.cycle_id = ${cycleId} and e.kind = 'mid_cycle_review' and e.state = 'held'
    ),
    held_units (unit_id) as (
      select unit_id from held where scope = 'unit'
      union
      select u.id from org_units u join held_units h on u.parent_id = h.unit_id
    ),
    obj as (
      select o.id, o.team_id, o.state,
             (exists (select 1 from objective_alignments a where a.child_id = o.id)
               or coalesce(o.standalone_reason, '') <> '') as aligned
        from objectives o join pt on pt.team_id = o.team_id
       where o.cycle_id = ${cycleId} and o.level = 'team' and o.state <> 'abandoned'
    ),
    per_obj as (
      select obj.id, obj.team_id, obj.state, obj.aligned,
             count(kr.id)::int as krs,
             count(kr.id) filter (where (kr.kind = 'milestone' or kr.target_value is not null) and kr.owner_person_id is not null)::int as complete,
             count(kr.score)::int as scored,
             count(kr.id) filter (where (kr.kind = 'milestone' and kr.milestone_done)
                 or (cy.eval_day - coalesce((kr.last_check_in_at)::date, cy.starts_on)) <= cy.cadence)::int as on_cadence
        from obj cross join cy left join key_results kr on kr.objective_id = obj.id
       group by obj.id, obj.team_id, obj.state, obj.aligned
    ),
    per_team as (
      select team_id,
             count(*)::int as objectives,
             sum(krs)::int as krs,
             bool_and(aligned) as aligned,
             bool_and(state in ('approved', 'active', 'achieved')) as approved,
             bool_and(krs between 2 and 5) as kr_counts_ok,
             sum(complete)::int as complete,
             sum(scored)::int as scored,
             sum(on_cadence)::int as on_cadence
        from per_obj group by team_id
    )
    select pt.team_id, pt.team_name, pt.wave_id, w.name as wave_name, coalesce(w.position, 2147483647) as wave_position,
           coalesce(p.objectives, 0) as objectives,
           coalesce(p.krs, 0) as key_results,
           coalesce(p.objectives, 0) > 0 as drafted,
           coalesce(p.objectives between 1 and cy.max_objectives and p.kr_counts_ok and p.krs > 0 and p.complete = p.krs and p.aligned, false) as quality_passed,
           coalesce(p.objectives > 0 and p.aligned, false) as aligned,
           coalesce(p.objectives > 0 and p.approved, false) as approved,
           case when ${today}::date < cy.starts_on or coalesce(p.krs, 0) = 0 then null
                else p.on_cadence::float8 / p.krs end as on_cadence_share,
           coalesce(${today}::date >= cy.starts_on and p.krs > 0 and p.on_cadence >= ${ON_CADENCE_SHARE}::float8 * p.krs, false) as on_cadence,
           exists (
             select 1 from held h
              where h.scope = 'all' or (h.scope = 'wave' and h.wave_id = pt.wave_id)
                 or (h.scope = 'unit' and pt.unit_id in (select unit_id from held_units))
           ) as mid_review_held,
           coalesce(p.krs > 0 and p.scored = p.krs, false) as scored,
           exists (select 1 from team_retrospectives r where r.cycle_id = cy.id and r.team_id = pt.team_id and r.held_on is not null) as retro_held
      from pt cross join cy
      left join per_team p on p.team_id = pt.team_id
      left join waves w on w.id = pt.wave_id`;
}

interface ChecklistSqlRow {
  team_id: string;
  team_name: string;
  wave_id: string | null;
  wave_name: string | null;
  wave_position: number;
  objectives: number;
  key_results: number;
  drafted: boolean;
  quality_passed: boolean;
  aligned: boolean;
  approved: boolean;
  on_cadence_share: number | null;
  on_cadence: boolean;
  mid_review_held: boolean;
  scored: boolean;
  retro_held: boolean;
}

async function cycleTimes(db: DB, programId: string, cycleId: string): Promise<CycleTimes | null> {
  return (
    (await db
      .selectFrom("cycles")
      .select(["id", "name", "starts_on as startsOn", "ends_on as endsOn", "state"])
      .where("id", "=", cycleId)
      .where("program_id", "=", programId)
      .executeTakeFirst()) ?? null
  );
}

/**
 * The checklist of every team of the program (or of `teamIds`) for a cycle: two queries, whatever
 * the number of teams. Ordered by wave, then team name. Empty when the cycle is not the program's.
 */
export async function cycleChecklists(
  db: DB,
  programId: string,
  cycleId: string,
  teamIds?: readonly string[],
  today: Day = todayDay(),
): Promise<TeamChecklist[]> {
  const cycle = await cycleTimes(db, programId, cycleId);
  if (!cycle) return [];
  const due = dueItems(cycle, today);
  const { rows } = await sql<ChecklistSqlRow>`select * from (${checklistRelation(programId, cycleId, today, teamIds)}) c
    order by wave_position, wave_name, team_name, team_id`.execute(db);
  return rows.map((r) => {
    const items: Record<ChecklistItem, boolean> = {
      drafted: r.drafted,
      qualityPassed: r.quality_passed,
      aligned: r.aligned,
      approved: r.approved,
      onCadence: r.on_cadence,
      midReviewHeld: r.mid_review_held,
      scored: r.scored,
      retroHeld: r.retro_held,
    };
    return {
      teamId: r.team_id,
      teamName: r.team_name,
      waveId: r.wave_id,
      waveName: r.wave_name,
      objectives: Number(r.objectives),
      keyResults: Number(r.key_results),
      onCadenceShare: r.on_cadence_share === null ? null : Number(r.on_cadence_share),
      ...items,
      next: due.find((item) => !items[item]) ?? null,
    };
  });
}

export interface WaveChecklistCounts extends Record<ChecklistItem, number> {
  /** Null for the teams in no wave. */
  waveId: string | null;
  waveName: string | null;
  teams: number;
}

/** How many teams of each wave meet each checklist item of a cycle: one query (rows per wave, in wave order). */
export async function checklistCountsByWave(
  db: DB,
  programId: string,
  cycleId: string,
  today: Day = todayDay(),
): Promise<WaveChecklistCounts[]> {
  const { rows } = await sql<{
    wave_id: string | null;
    wave_name: string | null;
    teams: number;
    drafted: number;
    quality_passed: number;
    aligned: number;
    approved: number;
    on_cadence: number;
    mid_review_held: number;
    scored: number;
    retro_held: number;
  }>`select wave_id, wave_name, count(*)::int as teams,
            count(*) filter (where drafted)::int as drafted,
            count(*) filter (where quality_passed)::int as quality_passed,
            count(*) filter (where aligned)::int as aligned,
            count(*) filter (where approved)::int as approved,
            count(*) filter (where on_cadence)::int as on_cadence,
            count(*) filter (where mid_review_held)::int as mid_review_held,
            count(*) filter (where scored)::int as scored,
            count(*) filter (where retro_held)::int as retro_held
       from (${checklistRelation(programId, cycleId, today)}) c
      group by wave_id, wave_name, wave_position
      order by wave_position, wave_name`.execute(db);
  return rows.map((r) => ({
    waveId: r.wave_id,
    waveName: r.wave_name,
    teams: r.teams,
    drafted: r.drafted,
    qualityPassed: r.quality_passed,
    aligned: r.aligned,
    approved: r.approved,
    onCadence: r.on_cadence,
    midReviewHeld: r.mid_review_held,
    scored: r.scored,
    retroHeld: r.retro_held,
  }));
}

/** The cycle a program is in on `today`: the one running (not closed), else the latest started, else the next to start. */
export async function currentCycleOf(db: DB, programId: string, today: Day = todayDay()): Promise<CycleTimes | null> {
  const rows = await db
    .selectFrom("cycles")
    .select(["id", "name", "starts_on as startsOn", "ends_on as endsOn", "state"])
    .where("program_id", "=", programId)
    .orderBy("starts_on")
    .execute();
  return (
    rows.find((c) => c.startsOn <= today && today <= c.endsOn && c.state !== "closed") ??
    [...rows].reverse().find((c) => c.startsOn <= today) ??
    rows[0] ??
    null
  );
}

export interface AdoptionCounts {
  teams: number;
  drafted: number;
  approved: number;
  onCadence: number;
  scored: number;
  retroHeld: number;
  /** onCadence / drafted (teams with a set), 0–1; null when no team drafted. */
  onCadenceShare: number | null;
}

/**
 * Adoption figures for the sponsor report, for the program's current cycle (see `currentCycleOf`):
 *
 *   {
 *     cycle: { id, name, startsOn, endsOn, state } | null,   // null: the program has no cycle
 *     total: AdoptionCounts,                                  // every team of the program
 *     waves: Array<AdoptionCounts & { waveId: string | null, waveName: string | null }>,
 *   }
 *
 * Counts are teams meeting the checklist item (drafted, approved, checking in on cadence, scored,
 * retrospective held); `onCadenceShare` is the share of teams with a set that check in on cadence.
 * Two queries.
 */
export async function adoptionFigures(
  db: DB,
  programId: string,
  today: Day = todayDay(),
): Promise<{
  cycle: CycleTimes | null;
  total: AdoptionCounts;
  waves: Array<AdoptionCounts & { waveId: string | null; waveName: string | null }>;
}> {
  const cycle = await currentCycleOf(db, programId, today);
  const pick = (c: {
    teams: number;
    drafted: number;
    approved: number;
    onCadence: number;
    scored: number;
    retroHeld: number;
  }): AdoptionCounts => ({
    teams: c.teams,
    drafted: c.drafted,
    approved: c.approved,
    onCadence: c.onCadence,
    scored: c.scored,
    retroHeld: c.retroHeld,
    onCadenceShare: c.drafted === 0 ? null : Math.round((c.onCadence / c.drafted) * 1000) / 1000,
  });
  if (!cycle) return { cycle: null, total: pick({ teams: 0, drafted: 0, approved: 0, onCadence: 0, scored: 0, retroHeld: 0 }), waves: [] };
  const waves = await checklistCountsByWave(db, programId, cycle.id, today);
  const sum = (key: "teams" | "drafted" | "approved" | "onCadence" | "scored" | "retroHeld") => waves.reduce((n, w) => n + w[key], 0);
  return {
    cycle,
    total: pick({
      teams: sum("teams"),
      drafted: sum("drafted"),
      approved: sum("approved"),
      onCadence: sum("onCadence"),
      scored: sum("scored"),
      retroHeld: sum("retroHeld"),
    }),
    waves: waves.map((w) => ({ waveId: w.waveId, waveName: w.waveName, ...pick(w) })),
  };
}

/** The checklists of some teams for the program's current cycle (for the team page and "My teams"): three queries. */
export async function currentChecklists(
  db: DB,
  programId: string,
  teamIds: readonly string[],
  today: Day = todayDay(),
): Promise<{ cycle: CycleTimes | null; checklists: TeamChecklist[] }> {
  const cycle = await currentCycleOf(db, programId, today);
  if (!cycle || teamIds.length === 0) return { cycle, checklists: [] };
  return { cycle, checklists: await cycleChecklists(db, programId, cycle.id, teamIds, today) };
}

/** The PLO overview's cycle card: the current cycle and its checklist counts per wave (two queries), or null. */
export async function cycleOverview(
  db: DB,
  programId: string,
  today: Day = todayDay(),
): Promise<{ cycle: CycleTimes; waves: WaveChecklistCounts[] } | null> {
  const cycle = await currentCycleOf(db, programId, today);
  if (!cycle) return null;
  return { cycle, waves: await checklistCountsByWave(db, programId, cycle.id, today) };
}
