import { sql, type RawBuilder } from "kysely";
import type { OnboardingStatus } from "../../../db/schema";
import { unitSubtree } from "~/models/org/org.server";
import { FIGURE_SOURCES } from "~/models/reports/plug-ins.server";
import { addDays, daysBetween, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import type { ProgramFigures } from "./dimensions";
import { HIGH_RISK_SCORE } from "./dimensions/risks";
import { LATE_DAYS } from "./dimensions/schedule";

// Gathers the figures every dimension judges, for a program (or one unit of it), in a bounded
// number of queries whatever the size of the program: one row of aggregates (scalar subqueries),
// one query of per-wave counts, one of onboarding dates for the burn-up, and the figures the
// other areas hand in through ./plug-ins.server.ts.

export interface ReportScope {
  /** Null: the whole program. */
  unitId: string | null;
}

export interface ProgramDates {
  id: string;
  starts_on: Day | null;
  ends_on: Day | null;
}

/** The teams of the scope: active teams (and units), in the unit's subtree when scoped. */
function scopeTeams(scope: ReportScope): RawBuilder<string> {
  const inUnit = scope.unitId ? sql`and st.unit_id in ${unitSubtree([scope.unitId])}` : sql``;
  return sql<string>`(select st.id from teams st join org_units su on su.id = st.unit_id
    where st.archived_at is null and su.archived_at is null ${inUnit})`;
}

function primaryCovered(programId: string, day: Day): RawBuilder<string> {
  return sql<string>`(select pa.team_id from coach_assignments pa join coaches pc on pc.id = pa.coach_id
    where pa.program_id = ${programId} and pa.kind = 'primary' and pc.active
      and pa.starts_on <= ${day}::date and (pa.ends_on is null or pa.ends_on >= ${day}::date))`;
}

interface AggregateRow {
  waves: number;
  waves_started: number;
  teams_in_started_waves: number;
  teams_not_started_late: number;
  teams_in_waves: number;
  teams_with_coach: number;
  overloaded_coaches: number;
  milestones: number;
  late_milestones: number;
  late_over_threshold: number;
  risks_total: number;
  risks_active: number;
  risks_high: number;
  risks_high_unmitigated: number;
  stakeholders_total: number;
  stakeholders_overdue: number;
  stakeholders_overdue_high: number;
  budget_planned: number;
  budget_spent: number;
  coaching_minutes: number;
  decisions_open: number;
  decisions_overdue: number;
  decisions_decided: number;
}

/**
 * Every number of the live status in one query (scalar subqueries, each on an index). Coaching
 * minutes are the sessions held up to today: the per-team totals a trigger keeps (migration 0140,
 * ADR 0027) less the sessions dated after today, so the read never sums the program's sessions.
 */
async function aggregates(db: DB, programId: string, scope: ReportScope, today: Day): Promise<AggregateRow> {
  const lateBefore = addDays(today, -LATE_DAYS);
  // The scope's teams once (a CTE is computed once however often it is read), and the plan's
  // four team counts in one pass over the program's teams of the scope.
  const { rows } = await sql<AggregateRow>`
    with scope_teams as materialized ${scopeTeams(scope)},
    plan as (
      select count(*) filter (where w.starts_on <= ${today}::date)::int as teams_in_started_waves,
        count(*) filter (where w.starts_on < ${lateBefore}::date and pt.status = 'not_started')::int as teams_not_started_late,
        count(*) filter (where pt.wave_id is not null)::int as teams_in_waves,
        count(*) filter (where pt.wave_id is not null and pt.team_id in ${primaryCovered(programId, today)})::int as teams_with_coach
      from program_teams pt left join waves w on w.id = pt.wave_id
      where pt.program_id = ${programId} and pt.team_id in (select id from scope_teams)
    )
    select
      (select count(*)::int from waves w where w.program_id = ${programId}) as waves,
      (select count(*)::int from waves w where w.program_id = ${programId} and w.starts_on <= ${today}::date) as waves_started,
      plan.teams_in_started_waves, plan.teams_not_started_late, plan.teams_in_waves, plan.teams_with_coach,
      (select count(*)::int from (
        select c.id from coaches c
        join coach_assignments a on a.coach_id = c.id and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
        where c.program_id = ${programId} and c.active
        group by c.id, c.capacity having count(distinct a.team_id) > c.capacity) o) as overloaded_coaches,
      (select count(*)::int from milestones m where m.program_id = ${programId}) as milestones,
      (select count(*)::int from milestones m where m.program_id = ${programId} and m.status <> 'done' and m.due_on < ${today}::date) as late_milestones,
      (select count(*)::int from milestones m where m.program_id = ${programId} and m.status <> 'done' and m.due_on < ${lateBefore}::date) as late_over_threshold,
      (select count(*)::int from risks r where r.program_id = ${programId}) as risks_total,
      (select count(*)::int from risks r where r.program_id = ${programId} and r.status <> 'closed') as risks_active,
      (select count(*)::int from risks r where r.program_id = ${programId} and r.status <> 'closed'
        and r.likelihood * r.impact >= ${HIGH_RISK_SCORE}) as risks_high,
      (select count(*)::int from risks r where r.program_id = ${programId} and r.status = 'open'
        and r.likelihood * r.impact >= ${HIGH_RISK_SCORE}) as risks_high_unmitigated,
      (select count(*)::int from stakeholders s where s.program_id = ${programId}) as stakeholders_total,
      (select count(*)::int from stakeholders s where s.program_id = ${programId}
        and (s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)) as stakeholders_overdue,
      (select count(*)::int from stakeholders s where s.program_id = ${programId} and s.influence = 'high'
        and (s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)) as stakeholders_overdue_high,
      (select coalesce(sum(b.planned_amount), 0)::int from budget_lines b where b.program_id = ${programId}) as budget_planned,
      (select coalesce(sum(a.amount), 0)::int from budget_actuals a where a.program_id = ${programId} and a.month <= ${today}::date) as budget_spent,
      ((select coalesce(sum(m.minutes), 0) from team_coaching_minutes m
         where m.program_id = ${programId} and m.team_id in (select id from scope_teams))
        - (select coalesce(sum(ss.duration_minutes), 0) from support_sessions ss
            where ss.program_id = ${programId} and ss.held_on > ${today}::date and ss.team_id in (select id from scope_teams)))::int
        as coaching_minutes,
      (select count(*)::int from report_decisions d where d.program_id = ${programId} and d.state = 'open') as decisions_open,
      (select count(*)::int from report_decisions d where d.program_id = ${programId} and d.state = 'open' and d.due_on < ${today}::date) as decisions_overdue,
      (select count(*)::int from report_decisions d where d.program_id = ${programId} and d.state = 'decided') as decisions_decided
    from plan`.execute(db);
  return rows[0];
}

/** Share of the program's time elapsed on `today` (0–1), null without both dates. */
export function elapsedShare(program: Pick<ProgramDates, "starts_on" | "ends_on">, today: Day): number | null {
  if (!program.starts_on || !program.ends_on) return null;
  const total = Math.max(1, daysBetween(program.starts_on, program.ends_on));
  return Math.min(1, Math.max(0, daysBetween(program.starts_on, today) / total));
}

/** Gathers every figure of the live status (a bounded number of queries). */
export async function gatherFigures(db: DB, program: ProgramDates, scope: ReportScope, today: Day): Promise<ProgramFigures> {
  const [row, adoption, enablement, health] = await Promise.all([
    aggregates(db, program.id, scope, today),
    FIGURE_SOURCES.adoption(db, program.id, today),
    FIGURE_SOURCES.enablement(db, program.id, today),
    FIGURE_SOURCES.health(db, program.id, today),
  ]);
  return {
    schedule: {
      lateMilestones: row.late_milestones,
      lateOverThreshold: row.late_over_threshold,
      wavesStarted: row.waves_started,
      teamsInStartedWaves: row.teams_in_started_waves,
      teamsNotStartedLate: row.teams_not_started_late,
      milestones: row.milestones,
      waves: row.waves,
    },
    coverage: { teamsInWaves: row.teams_in_waves, teamsWithCoach: row.teams_with_coach, overloadedCoaches: row.overloaded_coaches },
    enablement,
    adoption,
    health,
    risks: { total: row.risks_total, active: row.risks_active, high: row.risks_high, highUnmitigated: row.risks_high_unmitigated },
    stakeholders: { total: row.stakeholders_total, overdue: row.stakeholders_overdue, overdueHighInfluence: row.stakeholders_overdue_high },
    budget: {
      planned: row.budget_planned,
      spent: row.budget_spent,
      elapsedShare: elapsedShare(program, today),
      coachingHours: Math.round(row.coaching_minutes / 6) / 10,
      trainingHours: enablement?.trainingHours ?? null,
    },
    decisions: { open: row.decisions_open, overdue: row.decisions_overdue, decided: row.decisions_decided },
  };
}

// ---------------------------------------------------------------------------------------------
// Chart data

export interface WaveBar {
  wave: string;
  startsOn: Day | null;
  teams: number;
  withCoach: number;
}

export interface ChartData {
  /** Teams onboarded (left "not started") by day, cumulative, against the plan by wave start. */
  burnUp: { actual: Array<{ day: Day; teams: number }>; plan: Array<{ day: Day; teams: number; wave: string }>; total: number };
  coverage: WaveBar[];
  /** From the adoption area; null scores are drawn as "not measured". */
  healthByWave: Array<{ wave: string; score: number | null }>;
}

const ONBOARDED: readonly OnboardingStatus[] = ["onboarding", "first_cycle", "running", "self_sufficient"];

/** Per wave: its teams in scope and how many have a primary coach (one query). */
async function waveBars(db: DB, programId: string, scope: ReportScope, today: Day): Promise<WaveBar[]> {
  const { rows } = await sql<{ wave: string; starts_on: Day | null; teams: number; with_coach: number }>`
    select w.name as wave, w.starts_on,
      count(pt.team_id)::int as teams,
      (count(pt.team_id) filter (where pt.team_id in ${primaryCovered(programId, today)}))::int as with_coach
    from waves w
    left join program_teams pt on pt.wave_id = w.id and pt.program_id = ${programId} and pt.team_id in ${scopeTeams(scope)}
    where w.program_id = ${programId}
    group by w.id, w.name, w.starts_on, w.position
    order by w.position, w.id`.execute(db);
  return rows.map((r) => ({ wave: r.wave, startsOn: r.starts_on, teams: r.teams, withCoach: r.with_coach }));
}

/**
 * The day each team of the scope first left "not started", from the status history the plan
 * keeps (falling back to the day its current status was set), counted per day (one query).
 */
async function onboardingDays(db: DB, programId: string, scope: ReportScope): Promise<Array<{ day: Day; teams: number }>> {
  const { rows } = await sql<{ day: Day; teams: number }>`
    select day, count(*)::int as teams from (
      select pt.team_id, coalesce(
        (select min(c.changed_on) from team_status_changes c
          where c.program_id = pt.program_id and c.team_id = pt.team_id and c.from_status = 'not_started'),
        pt.status_changed_on) as day
      from program_teams pt
      where pt.program_id = ${programId} and pt.status in (${sql.join([...ONBOARDED])}) and pt.team_id in ${scopeTeams(scope)}
    ) firsts
    where day is not null
    group by day order by day`.execute(db);
  return rows;
}

/** Chart series of the live status (two queries, plus the adoption area's health per wave). */
export async function gatherCharts(db: DB, programId: string, scope: ReportScope, today: Day, figures: ProgramFigures): Promise<ChartData> {
  const [bars, days] = await Promise.all([waveBars(db, programId, scope, today), onboardingDays(db, programId, scope)]);
  let running = 0;
  const actual = days.map((d) => ({ day: d.day, teams: (running += d.teams) }));
  let planned = 0;
  const plan = bars
    .filter((b) => b.startsOn !== null && b.teams > 0)
    .sort((a, b) => (a.startsOn! < b.startsOn! ? -1 : a.startsOn! > b.startsOn! ? 1 : 0))
    .map((b) => ({ day: b.startsOn!, teams: (planned += b.teams), wave: b.wave }));
  const healthByWave = figures.health?.byWave ?? figures.adoption?.healthByWave ?? bars.map((b) => ({ wave: b.wave, score: null }));
  return { burnUp: { actual, plan, total: Math.max(planned, running) }, coverage: bars, healthByWave };
}
