import { sql } from "kysely";
import { TASK_VERBS } from "~/models/cycles/quality";
import { statesCte } from "~/models/enablement/resolve.server";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { problemMask, teamHealth, type TeamCycleFacts } from "./metrics";

// The facts behind process health (./metrics.ts), gathered by SQL for every team of a program and
// every started cycle (or some of them) in one statement, whatever the number of teams, cycles
// and check-ins: the check-ins are read once, grouped by team, cycle and window.
//
// A team takes part in a cycle when its wave started by the cycle's end, or when it drafted
// objectives in the cycle (a team without a wave, or ahead of its wave). Waves are today's: the
// plan keeps no history of wave moves.

/** The cycles of a program that have started by `today`, oldest first (one query). */
export interface HealthCycle {
  id: string;
  name: string;
  startsOn: Day;
  endsOn: Day;
  state: string;
  cadence: number;
}

export async function startedCycles(db: DB, programId: string, today: Day): Promise<HealthCycle[]> {
  return db
    .selectFrom("cycles")
    .select(["id", "name", "starts_on as startsOn", "ends_on as endsOn", "state", "checkin_cadence_days as cadence"])
    .where("program_id", "=", programId)
    .where("starts_on", "<=", today)
    .orderBy("starts_on")
    .orderBy("id")
    .execute();
}

export interface TeamFactsRow extends TeamCycleFacts {
  teamName: string;
  waveId: string | null;
  unitId: string;
}

interface FactsSqlRow {
  team_id: string;
  team_name: string;
  wave_id: string | null;
  unit_id: string;
  cycle_id: string;
  past_deadline: boolean;
  ended: boolean;
  max_objectives: number;
  windows_due: number;
  objectives: number | null;
  drafted_on_time: boolean | null;
  aligned: number | null;
  kr_count_ok: number | null;
  krs: number | null;
  complete: number | null;
  task_like: number | null;
  scored: number | null;
  updated: number | null;
  windows_kept: number | null;
  conf_first: number | string | null;
  conf_second: number | string | null;
  retro_held: boolean | null;
  retro_by_team: boolean | null;
  support_minutes: number | null;
}

/** The task-wording check of the drafting quality (~/models/cycles/quality.ts isTaskLike) as a regular expression for SQL. */
const TASK_REGEX = `^(${TASK_VERBS.map((v) => v.replace(" ", "[[:space:]]+")).join("|")})\\y`;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** The stored facts (columns of team_cycle_facts, null when the team has no row) and the cycle's own figures, as TeamCycleFacts. */
export type StoredFactsRow = Omit<FactsSqlRow, "team_name" | "wave_id" | "unit_id">;

/** The cycle's own figures beside a team's stored facts (see cycleCtes): select them with `cycleFigures`. */
export const cycleFigures = (day: Day) =>
  sql`(${day}::date > cyw.deadline) as past_deadline, cyw.ended, cyw.max_objectives, cyw.windows_due`;

/** The stored fact columns of `f` (team_cycle_facts), for reads that score or show teams. */
export const factColumns = sql`f.objectives, f.drafted_on_time, f.aligned, f.kr_count_ok, f.krs, f.complete, f.task_like, f.scored,
  f.updated, f.windows_kept, f.conf_first, f.conf_second, f.retro_held, f.retro_by_team, f.support_minutes`;

export function factsOf(r: StoredFactsRow): TeamCycleFacts {
  return {
    teamId: r.team_id,
    cycleId: r.cycle_id,
    pastDraftingDeadline: r.past_deadline,
    ended: r.ended,
    maxObjectives: Number(r.max_objectives),
    objectives: Number(r.objectives ?? 0),
    draftedOnTime: Boolean(r.drafted_on_time),
    alignedObjectives: Number(r.aligned ?? 0),
    objectivesWithKrCountOk: Number(r.kr_count_ok ?? 0),
    keyResults: Number(r.krs ?? 0),
    completeKeyResults: Number(r.complete ?? 0),
    taskLikeKeyResults: Number(r.task_like ?? 0),
    scoredKeyResults: Number(r.scored ?? 0),
    updatedKeyResults: Number(r.updated ?? 0),
    windowsDue: Number(r.windows_due),
    windowsKept: Number(r.windows_kept ?? 0),
    confidenceFirstHalf: num(r.conf_first),
    confidenceSecondHalf: num(r.conf_second),
    retroHeld: Boolean(r.retro_held),
    retroByTeam: Boolean(r.retro_by_team),
    supportMinutes: Number(r.support_minutes ?? 0),
    trained: null,
  };
}

/**
 * The program's cycles (some of them, or all) judged on `day`: the evaluation day (the day, or the
 * cycle's last day once it is past), the cadence, the drafting deadline (the first alignment
 * event, else 14 days after the start), the complete check-in windows due and the middle of the
 * elapsed cycle. Two CTEs, `cy` and `cyw`.
 */
export function cycleCtes(programId: string, day: Day, cycleIds: readonly string[] | null) {
  const only = cycleIds ? sql`and c.id in (${sql.join(cycleIds)})` : sql``;
  return sql`
    cy as (
      select c.id, c.name, c.state, c.starts_on, c.ends_on, c.max_objectives, greatest(c.checkin_cadence_days, 1) as cad,
             least(${day}::date, c.ends_on) as eval_day,
             (${day}::date > c.ends_on or c.state in ('reviewing', 'closed')) as ended,
             coalesce((select min(e.occurs_on) from cycle_events e
                        where e.cycle_id = c.id and e.kind = 'alignment' and e.state <> 'cancelled'), c.starts_on + 14) as deadline
        from cycles c
       where c.program_id = ${programId} ${only}
    ),
    cyw as (
      select cy.*, greatest(0, (cy.eval_day - cy.starts_on) / cy.cad) as windows_due,
             cy.starts_on + (cy.eval_day - cy.starts_on) / 2 as mid
        from cy
    )`;
}

/**
 * Computes the facts of the given cycles of the program (every team of them, or only `teamIds`)
 * on `day` and stores them in team_cycle_facts, replacing what was there: one statement reads
 * the check-ins once, grouped by team, cycle and window, and writes a row per team with any OKR
 * data in the cycle (objectives, a retrospective, support sessions). Teams without a row have
 * none: the read treats them as zeros.
 */
async function storeFacts(db: DB, programId: string, cycleIds: readonly string[], day: Day, teamIds: readonly string[] | null) {
  if (cycleIds.length === 0 || teamIds?.length === 0) return;
  const teamsOnly = (column: string) => (teamIds ? sql`and ${sql.ref(column)} in (${sql.join(teamIds)})` : sql``);
  await db
    .deleteFrom("team_cycle_facts")
    .where("cycle_id", "in", cycleIds)
    .$if(teamIds !== null, (q) => q.where("team_id", "in", teamIds!))
    .execute();
  const { rows } = await sql<StoredFactsRow>`
    with ${cycleCtes(programId, day, cycleIds)},
    obj as (
      select o.id, o.cycle_id, o.team_id, o.created_at,
             (exists (select 1 from objective_alignments a where a.child_id = o.id)
               or coalesce(o.standalone_reason, '') <> '') as aligned
        from objectives o
        join cy on cy.id = o.cycle_id
       where o.level = 'team' and o.team_id is not null and o.state <> 'abandoned' ${teamsOnly("o.team_id")}
    ),
    kr as (
      select k.id, obj.cycle_id, obj.team_id, k.objective_id, k.kind, k.target_value, k.owner_person_id, k.title,
             k.score, k.milestone_done, k.last_check_in_at
        from key_results k join obj on obj.id = k.objective_id
    ),
    per_obj as (
      select obj.id, obj.cycle_id, obj.team_id, obj.aligned, obj.created_at, count(kr.id) as krs
        from obj left join kr on kr.objective_id = obj.id
       group by obj.id, obj.cycle_id, obj.team_id, obj.aligned, obj.created_at
    ),
    obj_team as (
      select po.cycle_id, po.team_id,
             count(*)::int as objectives,
             (count(*) filter (where po.aligned))::int as aligned,
             (count(*) filter (where po.krs between 2 and 5))::int as kr_count_ok,
             min(po.created_at) as first_created
        from per_obj po group by po.cycle_id, po.team_id
    ),
    kr_team as (
      select kr.cycle_id, kr.team_id,
             count(*)::int as krs,
             (count(*) filter (where (kr.kind = 'milestone' or kr.target_value is not null) and kr.owner_person_id is not null))::int as complete,
             (count(*) filter (where btrim(kr.title) ~* ${TASK_REGEX} and kr.title !~ '[0-9]'))::int as task_like,
             count(kr.score)::int as scored,
             (count(*) filter (where (kr.kind = 'milestone' and kr.milestone_done)
                or (kr.last_check_in_at is not null and kr.last_check_in_at::date > cyw.eval_day - cyw.cad)))::int as updated
        from kr join cyw on cyw.id = kr.cycle_id
       group by kr.cycle_id, kr.team_id
    ),
    ci as (
      select kr.cycle_id, kr.team_id, c.at::date as day,
             case c.confidence when 'on_track' then 1.0 when 'needs_attention' then 0.5 else 0.0 end as conf
        from check_ins c join kr on kr.id = c.key_result_id
    ),
    ci_team as (
      select ci.cycle_id, ci.team_id,
             (count(distinct (ci.day - cyw.starts_on) / cyw.cad)
                filter (where ci.day >= cyw.starts_on and ci.day < cyw.starts_on + cyw.cad * cyw.windows_due))::int as kept,
             avg(ci.conf) filter (where ci.day >= cyw.starts_on and ci.day < cyw.mid) as conf_first,
             avg(ci.conf) filter (where ci.day >= cyw.mid and ci.day <= cyw.eval_day) as conf_second
        from ci join cyw on cyw.id = ci.cycle_id
       group by ci.cycle_id, ci.team_id
    ),
    retro as (
      select r.cycle_id, r.team_id,
             bool_or(r.held_on is not null) as held,
             bool_or(r.held_on is not null and r.created_by is not null and exists (
               select 1 from people p
                where p.user_id = r.created_by and p.archived_at is null
                  and (p.team_id = r.team_id or p.id = (select t.lead_person_id from teams t where t.id = r.team_id)))) as by_team
        from team_retrospectives r join cy on cy.id = r.cycle_id
       where true ${teamsOnly("r.team_id")}
       group by r.cycle_id, r.team_id
    ),
    support as (
      select cy.id as cycle_id, s.team_id, sum(s.duration_minutes)::int as minutes
        from support_sessions s join cy on s.held_on between cy.starts_on and cy.ends_on
       where s.program_id = ${programId} ${teamsOnly("s.team_id")}
       group by cy.id, s.team_id
    ),
    keys as (
      select cycle_id, team_id from obj_team
      union select cycle_id, team_id from retro
      union select cycle_id, team_id from support
    )
    select k.cycle_id, k.team_id, ${cycleFigures(day)},
           coalesce(ot.objectives, 0) as objectives, coalesce(ot.first_created::date <= cyw.deadline, false) as drafted_on_time,
           coalesce(ot.aligned, 0) as aligned, coalesce(ot.kr_count_ok, 0) as kr_count_ok, coalesce(kt.krs, 0) as krs,
           coalesce(kt.complete, 0) as complete, coalesce(kt.task_like, 0) as task_like, coalesce(kt.scored, 0) as scored,
           coalesce(kt.updated, 0) as updated, coalesce(ct.kept, 0) as windows_kept, ct.conf_first, ct.conf_second,
           coalesce(r.held, false) as retro_held, coalesce(r.by_team, false) as retro_by_team, coalesce(sp.minutes, 0) as support_minutes
      from keys k
      join cyw on cyw.id = k.cycle_id
      left join obj_team ot on ot.cycle_id = k.cycle_id and ot.team_id = k.team_id
      left join kr_team kt on kt.cycle_id = k.cycle_id and kt.team_id = k.team_id
      left join ci_team ct on ct.cycle_id = k.cycle_id and ct.team_id = k.team_id
      left join retro r on r.cycle_id = k.cycle_id and r.team_id = k.team_id
      left join support sp on sp.cycle_id = k.cycle_id and sp.team_id = k.team_id
     where exists (select 1 from teams t where t.id = k.team_id)`.execute(db);

  // Stored with the score, band and problems they give on the day (./metrics.ts teamHealth), for
  // the roll-ups in SQL; written once (no update after the insert: no dead rows to vacuum).
  for (let i = 0; i < rows.length; i += STORE_BATCH) {
    await db
      .insertInto("team_cycle_facts")
      .values(
        rows.slice(i, i + STORE_BATCH).map((r) => {
          const health = teamHealth(factsOf(r));
          return {
            cycle_id: r.cycle_id,
            team_id: r.team_id,
            program_id: programId,
            as_of: day,
            objectives: Number(r.objectives),
            drafted_on_time: Boolean(r.drafted_on_time),
            aligned: Number(r.aligned),
            kr_count_ok: Number(r.kr_count_ok),
            krs: Number(r.krs),
            complete: Number(r.complete),
            task_like: Number(r.task_like),
            scored: Number(r.scored),
            updated: Number(r.updated),
            windows_kept: Number(r.windows_kept),
            conf_first: num(r.conf_first),
            conf_second: num(r.conf_second),
            retro_held: Boolean(r.retro_held),
            retro_by_team: Boolean(r.retro_by_team),
            support_minutes: Number(r.support_minutes),
            score: health.score,
            band: health.band,
            problems: problemMask(health.problems),
          };
        }),
      )
      .execute();
  }
}

/** Rows per insert statement (22 parameters each, well below PostgreSQL's 65,535). */
const STORE_BATCH = 1_000;

/** Above this many teams marked in one cycle, the whole cycle is computed again (one pass is cheaper than a long list). */
const WHOLE_CYCLE_FROM = 200;

/**
 * Brings the program's stored facts up to `day` (ADR 0021): the pairs the triggers marked since
 * the last read, and the cycles whose facts were computed on another day while the cycle ran
 * (check-in windows, "updated in the last window" and the halves of the cycle move with the
 * day; an ended cycle's facts do not). One query when nothing changed; otherwise one
 * transaction, serialized per program, that computes only what is stale.
 */
export async function refreshFacts(db: DB, programId: string, day: Day): Promise<void> {
  const staleCycles = sql`
    select c.id from cycles c
     where c.program_id = ${programId} and c.starts_on <= ${day}::date
       and (exists (select 1 from team_cycle_facts f where f.cycle_id = c.id and f.as_of < least(${day}::date, c.ends_on + 1))
         or (${day}::date <= c.ends_on and exists (select 1 from team_cycle_facts f where f.cycle_id = c.id and f.as_of > ${day}::date)))`;
  const { rows } = await sql<{ stale: boolean }>`
    select exists (select 1 from health_dirty d join cycles c on c.id = d.cycle_id where c.program_id = ${programId})
        or exists (${staleCycles}) as stale`.execute(db);
  if (!rows[0]?.stale) return;
  await inTransaction(db, async (trx) => {
    // One refresher per program at a time; those who waited find nothing left to do.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`health:${programId}`}, 0))`.execute(trx);
    const dirty = await sql<{ cycle_id: string; team_id: string }>`
      delete from health_dirty d using cycles c
       where c.id = d.cycle_id and c.program_id = ${programId}
      returning d.cycle_id, d.team_id`.execute(trx);
    const dated = await sql<{ id: string }>`${staleCycles}`.execute(trx);
    const whole = new Set(dated.rows.map((r) => r.id));
    const teamsByCycle = new Map<string, Set<string>>();
    for (const r of dirty.rows) {
      if (r.team_id === "") whole.add(r.cycle_id);
      else teamsByCycle.set(r.cycle_id, (teamsByCycle.get(r.cycle_id) ?? new Set()).add(r.team_id));
    }
    for (const [cycleId, teams] of teamsByCycle) if (teams.size >= WHOLE_CYCLE_FROM) whole.add(cycleId);
    const partialCycles = [...teamsByCycle.keys()].filter((id) => !whole.has(id));
    const partialTeams = [...new Set(partialCycles.flatMap((id) => [...teamsByCycle.get(id)!]))];
    await storeFacts(trx, programId, [...whole], day, null);
    await storeFacts(trx, programId, partialCycles, day, partialTeams);
  });
}

/**
 * The facts of every taking-part team in each of the given cycles (ids of the program's started
 * cycles), on `today`. `teamIds` narrows the teams. The stored facts are brought up to date
 * first (./refreshFacts: one query when nothing changed), then read in one query: the cycles'
 * own figures (deadline passed, ended, windows due) joined with the program's teams and their
 * stored facts.
 */
export async function teamCycleFacts(
  db: DB,
  programId: string,
  cycleIds: readonly string[],
  today: Day,
  teamIds?: readonly string[],
): Promise<TeamFactsRow[]> {
  if (cycleIds.length === 0 || teamIds?.length === 0) return [];
  await refreshFacts(db, programId, today);
  const teamFilter = teamIds ? sql`and pt.team_id in (${sql.join(teamIds)})` : sql``;
  const { rows } = await sql<FactsSqlRow>`
    with ${cycleCtes(programId, today, cycleIds)},
    pt as (
      select pt.team_id, pt.wave_id, t.unit_id, t.name as team_name, w.starts_on as wave_starts_on
        from program_teams pt
        join teams t on t.id = pt.team_id
        join org_units u on u.id = t.unit_id
        left join waves w on w.id = pt.wave_id
       where pt.program_id = ${programId} and t.archived_at is null and u.archived_at is null ${teamFilter}
    )
    select pt.team_id, pt.team_name, pt.wave_id, pt.unit_id, cyw.id as cycle_id, ${cycleFigures(today)}, ${factColumns}
      from cyw cross join pt
      left join team_cycle_facts f on f.cycle_id = cyw.id and f.team_id = pt.team_id
     where cyw.starts_on <= ${today}::date
       and (f.objectives > 0 or (pt.wave_starts_on is not null and pt.wave_starts_on <= cyw.ends_on))`.execute(db);
  return rows.map((r) => ({ ...factsOf(r), teamName: r.team_name, waveId: r.wave_id, unitId: r.unit_id }));
}

/**
 * Per team of the program (or of `teamIds`): how many of its people (members and lead) with
 * required training have every required module met or waived, today. One query.
 */
export async function teamTrainedShares(
  db: DB,
  programId: string,
  today: Day,
  teamIds?: readonly string[],
): Promise<Map<string, { done: number; total: number }>> {
  const result = new Map<string, { done: number; total: number }>();
  if (teamIds?.length === 0) return result;
  // Without the teams' drafting events: they only set due dates, and "met or waived" does not
  // depend on when a module is due (computing them costs more than the rest).
  const cte = statesCte(
    programId,
    today,
    { necessity: "required", audiences: ["team_member", "team_lead"], ...(teamIds ? { teamIds } : {}) },
    { draftingDays: false },
  );
  const { rows } = await sql<{ team_id: string; total: number; done: number }>`${cte},
    per_person as (
      select team_id, person_id, bool_and(state in ('met', 'waived')) as trained
        from states where team_id is not null group by team_id, person_id
    )
    select team_id, count(*)::int as total, (count(*) filter (where trained))::int as done
      from per_person group by team_id`.execute(db);
  for (const r of rows) result.set(r.team_id, { done: Number(r.done), total: Number(r.total) });
  return result;
}
