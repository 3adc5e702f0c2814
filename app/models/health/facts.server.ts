import { sql } from "kysely";
import { TASK_VERBS } from "~/models/cycles/quality";
import { statesFor } from "~/models/enablement/resolve.server";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import type { TeamCycleFacts } from "./metrics";

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
  objectives: number | null;
  drafted_on_time: boolean | null;
  aligned: number | null;
  kr_count_ok: number | null;
  krs: number | null;
  complete: number | null;
  task_like: number | null;
  scored: number | null;
  updated: number | null;
  windows_due: number;
  windows_kept: number | null;
  conf_first: number | string | null;
  conf_second: number | string | null;
  retro_held: boolean;
  retro_by_team: boolean;
  support_minutes: number | null;
}

/** The task-wording check of the drafting quality (~/models/cycles/quality.ts isTaskLike) as a regular expression for SQL. */
const TASK_REGEX = `^(${TASK_VERBS.map((v) => v.replace(" ", "[[:space:]]+")).join("|")})\\y`;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * The facts of every taking-part team in each of the given cycles (ids of the program's started
 * cycles), on `today`. `teamIds` narrows the teams. One query.
 */
export async function teamCycleFacts(
  db: DB,
  programId: string,
  cycleIds: readonly string[],
  today: Day,
  teamIds?: readonly string[],
): Promise<TeamFactsRow[]> {
  if (cycleIds.length === 0 || teamIds?.length === 0) return [];
  const teamFilter = teamIds ? sql`and pt.team_id in (${sql.join(teamIds)})` : sql``;
  const { rows } = await sql<FactsSqlRow>`
    with
    cy as (
      select c.id, c.starts_on, c.ends_on, c.max_objectives, greatest(c.checkin_cadence_days, 1) as cad,
             least(${today}::date, c.ends_on) as eval_day,
             (${today}::date > c.ends_on or c.state in ('reviewing', 'closed')) as ended,
             coalesce((select min(e.occurs_on) from cycle_events e
                        where e.cycle_id = c.id and e.kind = 'alignment' and e.state <> 'cancelled'), c.starts_on + 14) as deadline
        from cycles c
       where c.program_id = ${programId} and c.starts_on <= ${today}::date and c.id in (${sql.join(cycleIds)})
    ),
    cyw as (
      select cy.*, greatest(0, (cy.eval_day - cy.starts_on) / cy.cad) as windows_due,
             cy.starts_on + (cy.eval_day - cy.starts_on) / 2 as mid
        from cy
    ),
    pt as (
      select pt.team_id, pt.wave_id, t.unit_id, t.name as team_name, t.lead_person_id, w.starts_on as wave_starts_on
        from program_teams pt
        join teams t on t.id = pt.team_id
        join org_units u on u.id = t.unit_id
        left join waves w on w.id = pt.wave_id
       where pt.program_id = ${programId} and t.archived_at is null and u.archived_at is null ${teamFilter}
    ),
    obj as (
      select o.id, o.cycle_id, o.team_id, o.created_at,
             (exists (select 1 from objective_alignments a where a.child_id = o.id)
               or coalesce(o.standalone_reason, '') <> '') as aligned
        from objectives o
        join cy on cy.id = o.cycle_id
        join pt on pt.team_id = o.team_id
       where o.level = 'team' and o.state <> 'abandoned'
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
       group by r.cycle_id, r.team_id
    ),
    support as (
      select cy.id as cycle_id, s.team_id, sum(s.duration_minutes)::int as minutes
        from support_sessions s join cy on s.held_on between cy.starts_on and cy.ends_on
       where s.program_id = ${programId}
       group by cy.id, s.team_id
    )
    select pt.team_id, pt.team_name, pt.wave_id, pt.unit_id, cyw.id as cycle_id,
           (${today}::date > cyw.deadline) as past_deadline, cyw.ended, cyw.max_objectives,
           ot.objectives, (ot.first_created::date <= cyw.deadline) as drafted_on_time, ot.aligned, ot.kr_count_ok,
           kt.krs, kt.complete, kt.task_like, kt.scored, kt.updated,
           cyw.windows_due, ct.kept as windows_kept, ct.conf_first, ct.conf_second,
           coalesce(r.held, false) as retro_held, coalesce(r.by_team, false) as retro_by_team,
           sp.minutes as support_minutes
      from cyw cross join pt
      left join obj_team ot on ot.cycle_id = cyw.id and ot.team_id = pt.team_id
      left join kr_team kt on kt.cycle_id = cyw.id and kt.team_id = pt.team_id
      left join ci_team ct on ct.cycle_id = cyw.id and ct.team_id = pt.team_id
      left join retro r on r.cycle_id = cyw.id and r.team_id = pt.team_id
      left join support sp on sp.cycle_id = cyw.id and sp.team_id = pt.team_id
     where ot.team_id is not null or (pt.wave_starts_on is not null and pt.wave_starts_on <= cyw.ends_on)`.execute(db);
  return rows.map((r) => ({
    teamId: r.team_id,
    teamName: r.team_name,
    waveId: r.wave_id,
    unitId: r.unit_id,
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
    retroHeld: r.retro_held,
    retroByTeam: r.retro_by_team,
    supportMinutes: Number(r.support_minutes ?? 0),
    trained: null,
  }));
}

/**
 * Per team of the program (or of `teamIds`): how many of its people (members and lead) with
 * required training have every required module met or waived, today. Two queries.
 */
export async function teamTrainedShares(
  db: DB,
  programId: string,
  today: Day,
  teamIds?: readonly string[],
): Promise<Map<string, { done: number; total: number }>> {
  const result = new Map<string, { done: number; total: number }>();
  if (teamIds?.length === 0) return result;
  const cte = await statesFor(db, programId, today, {
    necessity: "required",
    audiences: ["team_member", "team_lead"],
    ...(teamIds ? { teamIds } : {}),
  });
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
