// The OKR cycles of the bench's measured program (issue 14), on top of ./dataset.ts's organization
// and plan: 8 quarterly cycles (six closed, one executing today, the next in planning) with their
// calendars (the standard template, plus wave-scoped drafting workshops and unit-scoped syncs),
// company and unit objectives, the planned teams' sets (a team joins the cycles in the cycle of
// its wave's number and keeps a set in every cycle after; every fifth team drafts the next cycle
// already), ~50,000 key results and ~500,000 check-ins (weekly in closed cycles, weekly so far in
// the current one, a sixth of the current sets gone stale), scores and retrospectives of the
// closed cycles, and a coach with ten teams and a known calendar-feed secret.
//
// Cycles go through the model (createCycle / createNextCycle: the template's events and the
// audit log); everything else is set-based SQL (INSERT … SELECT over generate_series), so it
// loads in seconds on PostgreSQL and on PGlite alike. Reusable: the process-health bench (#16)
// loads the same data with `loadCyclesDataset(db, programId, now, actor)`.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../../db/schema";
import { hashFeedSecret } from "~/models/cycles/calendar-feed.server";
import { createCycle, createNextCycle } from "~/models/cycles/cycles.server";
import { hashPassword } from "~/utils/password.server";

export const CYCLES_SIZE = {
  cycles: 8,
  /** Index (0-based, by start) of the cycle running today; the one after it is in planning. */
  currentCycle: 6,
  cycleDays: 91,
  /** Check-ins a key result gets in a closed cycle (weekly). */
  closedCheckIns: 12,
  feedCoachTeams: 10,
} as const;

/** A coach account whose feed is measured: ten teams, the feed address /calendar/<secret>.ics. */
export const BENCH_FEED_COACH = {
  email: "feed-coach@bench.rollout-desk.test",
  password: "bench-feed-coach-password",
  name: "Bench Feed Coach",
  feedSecret: "bench-feed-secret-0123456789abcdef",
};

export interface CyclesDatasetSummary {
  cycles: number;
  cycleEvents: number;
  objectives: number;
  keyResults: number;
  checkIns: number;
  /** The cycle running today. */
  currentCycleId: string;
  /** Teams with a set in the current cycle, with their key result count (for the check-in bench), in team order. */
  checkInTeams: Array<{ teamId: string; keyResults: number }>;
}

const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The team's number in the organization (0-based), from its generated external id `T-<n>`. */
const TEAM_NO = sql`(substring(t.external_id from 3)::int - 1)`;

/**
 * Loads the cycles of `programId` (its waves, planned teams and coaches must exist), as `actor`
 * (a PLO account). Returns what the bench measures on.
 */
export async function loadCyclesDataset(
  db: Kysely<Database>,
  programId: string,
  now: number,
  actor: { id: string; name: string },
): Promise<CyclesDatasetSummary> {
  const viewer = { userId: actor.id, name: actor.name, role: "plo" as const, personId: null, manage: true };
  const today = isoDate(now);

  // Cycles: the current one started 45 days ago; the first six quarters before it.
  const firstStart = now - (45 + CYCLES_SIZE.currentCycle * CYCLES_SIZE.cycleDays) * DAY;
  const cycleIds: string[] = [];
  const first = await createCycle(db, viewer, programId, {
    name: "Cycle 01",
    startsOn: isoDate(firstStart),
    endsOn: isoDate(firstStart + (CYCLES_SIZE.cycleDays - 1) * DAY),
    checkinCadenceDays: 14,
    maxObjectives: 3,
    template: true,
  });
  cycleIds.push(first.id);
  for (let c = 1; c < CYCLES_SIZE.cycles; c++) {
    const next = await createNextCycle(db, viewer, programId, cycleIds[c - 1], `Cycle ${String(c + 1).padStart(2, "0")}`);
    cycleIds.push(next.id);
  }
  // cy: the program's cycles with their index (0-based, by start).
  const cy = sql`(select id, starts_on, ends_on, (row_number() over (order by starts_on) - 1)::int as no
    from cycles where program_id = ${programId})`;
  await sql`update cycles c set state = case when x.no < ${CYCLES_SIZE.currentCycle} then 'closed'
      when x.no = ${CYCLES_SIZE.currentCycle} then 'executing' else 'planning' end
    from ${cy} x where x.id = c.id`.execute(db);

  // More events: a drafting workshop per wave and a sync per department (unit-scoped), per cycle.
  await sql`insert into cycle_events (id, cycle_id, program_id, kind, title, occurs_on, starts_at, duration_minutes, scope, wave_id, location)
    select gen_random_uuid()::text, x.id, ${programId}, 'drafting_workshop', 'Drafting workshop — ' || w.name,
           x.starts_on - 10 + w.position, '13:00', 180, 'wave', w.id, 'Online'
    from ${cy} x cross join waves w where w.program_id = ${programId}`.execute(db);
  await sql`insert into cycle_events (id, cycle_id, program_id, kind, title, occurs_on, starts_at, duration_minutes, scope, unit_id, location)
    select gen_random_uuid()::text, x.id, ${programId}, 'other', 'OKR sync — ' || u.name,
           x.starts_on + 20 + ((hashtext(u.id) & 2147483647) % 10), '11:00', 45, 'unit', u.id, u.name || ' meeting room'
    from ${cy} x cross join org_units u where u.parent_id is not null and u.archived_at is null`.execute(db);
  await sql`update cycle_events set state = 'held' where program_id = ${programId} and occurs_on < ${today}::date`.execute(db);

  // Company objectives (3 a cycle) and one objective per department and cycle.
  await sql`insert into objectives (id, cycle_id, program_id, level, title, type, state, position, created_by)
    select gen_random_uuid()::text, x.id, ${programId}, 'company', 'Company objective ' || g || ' of cycle ' || (x.no + 1),
           'committed', case when x.no < ${CYCLES_SIZE.currentCycle} then 'achieved' when x.no = ${CYCLES_SIZE.currentCycle} then 'active' else 'draft' end,
           g, ${actor.id}
    from ${cy} x cross join generate_series(1, 3) g`.execute(db);
  await sql`insert into objectives (id, cycle_id, program_id, level, unit_id, title, type, state, position, created_by)
    select gen_random_uuid()::text, x.id, ${programId}, 'unit', u.id, u.name || ' objective of cycle ' || (x.no + 1),
           'committed', case when x.no < ${CYCLES_SIZE.currentCycle} then 'achieved' when x.no = ${CYCLES_SIZE.currentCycle} then 'active' else 'draft' end,
           0, ${actor.id}
    from ${cy} x cross join org_units u where u.parent_id is not null and u.archived_at is null
      and exists (select 1 from teams t where t.unit_id = u.id)`.execute(db);

  // Team sets: a planned team joins in the cycle of its wave's position and keeps a set in every
  // cycle up to the current one; every fifth team has a draft of the next cycle. Two or three
  // objectives, aligned to the unit's objective or saying why not (one team in seven neither).
  await sql`insert into objectives (id, cycle_id, program_id, level, team_id, title, description, owner_person_id, type, state,
                                    standalone_reason, score, position, created_by)
    select gen_random_uuid()::text, x.id, ${programId}, 'team', t.id,
           'Objective ' || g || ' of ' || t.name || ', cycle ' || (x.no + 1), '',
           t.lead_person_id,
           (array['committed', 'committed', 'aspirational', 'learning'])[1 + (${TEAM_NO} + g) % 4],
           case
             when x.no > ${CYCLES_SIZE.currentCycle} then 'draft'
             when x.no < ${CYCLES_SIZE.currentCycle} then case when (${TEAM_NO} + g + x.no) % 20 = 0 then 'abandoned' else 'achieved' end
             else (array['active', 'active', 'active', 'active', 'active', 'active', 'approved', 'in_review', 'draft', 'active'])[1 + ${TEAM_NO} % 10]
           end,
           case when g = 1 or ${TEAM_NO} % 7 = 0 then null else 'Team health first' end,
           null, g, ${actor.id}
    from ${cy} x
    join program_teams pt on pt.program_id = ${programId}
    join waves w on w.id = pt.wave_id
    join teams t on t.id = pt.team_id
    cross join lateral generate_series(1, case when x.no > ${CYCLES_SIZE.currentCycle} then 1 when ${TEAM_NO} % 3 = 0 then 2 else 3 end) g
    where t.archived_at is null
      and ((x.no between w.position and ${CYCLES_SIZE.currentCycle}) or (x.no > ${CYCLES_SIZE.currentCycle} and ${TEAM_NO} % 5 = 0))`.execute(
    db,
  );
  await sql`insert into objective_alignments (child_id, parent_id)
    select o.id, u.id from objectives o
    join teams t on t.id = o.team_id
    join objectives u on u.cycle_id = o.cycle_id and u.level = 'unit' and u.unit_id = t.unit_id
    where o.program_id = ${programId} and o.level = 'team' and o.position = 1 and ${TEAM_NO} % 7 <> 0`.execute(db);

  await sql`analyze objectives, objective_alignments`.execute(db);
  // Key results: two or three per objective (the third a milestone), owned by a team member (one
  // in eleven teams leaves a key result without an owner).
  await sql`insert into key_results (id, objective_id, cycle_id, title, kind, start_value, target_value, unit, direction, weight,
                                     owner_person_id, position)
    select gen_random_uuid()::text, o.id, o.cycle_id,
           case when k = 3 then 'Milestone ' || o.position || '.' || k || ' delivered' else 'Key result ' || o.position || '.' || k || ' from ' || (10 * k) || ' to ' || (40 * k) end,
           case when k = 3 then 'milestone' else 'metric' end,
           case when k = 3 then null else 10 * k end,
           case when k = 3 then null else 40 * k end,
           case when k = 3 then '' when k = 1 then '%' else 'customers' end,
           'increase', 1,
           case when ${TEAM_NO} % 11 = 0 and k = 2 then null else p.id end,
           k
    from objectives o
    join teams t on t.id = o.team_id
    cross join lateral generate_series(1, 2 + ((${TEAM_NO} + o.position) % 2)) k
    left join people p on p.external_id = 'E-' || lpad((${TEAM_NO} * 10 + 1 + (o.position + k) % 9)::text, 6, '0')
    where o.program_id = ${programId} and o.level = 'team'`.execute(db);

  // Check-ins: weekly. Closed cycles: twelve per key result. The current cycle: one a week so far,
  // but a sixth of the teams stopped after the third week (stale). Values move towards the target
  // with a little noise; confidence mostly on track.
  const current = cycleIds[CYCLES_SIZE.currentCycle];
  await sql`insert into check_ins (id, key_result_id, value, confidence, note, blockers, by_user_id, by_label, at)
    select gen_random_uuid()::text, kr.id,
           case when kr.kind = 'metric' then round(kr.start_value + (kr.target_value - kr.start_value) * (g::numeric / 13) * (0.7 + ((hashtext(kr.id) & 2147483647) % 40) / 100.0), 1) end,
           (array['on_track', 'on_track', 'on_track', 'needs_attention', 'on_track', 'off_track', 'on_track'])[1 + ((hashtext(kr.id) & 2147483647) + g) % 7],
           case when g % 4 = 0 then 'Weekly check-in ' || g || ': the team reviewed progress and next steps.' else '' end,
           case when ((hashtext(kr.id) & 2147483647) + g) % 9 = 0 then 'Waiting for data from another team.' else '' end,
           null, 'Team lead',
           (c.starts_on + g * 7)::timestamp + interval '9 hours' + ((hashtext(kr.id) & 2147483647) % 480) * interval '1 minute'
    from key_results kr
    join cycles c on c.id = kr.cycle_id
    join objectives o on o.id = kr.objective_id
    join teams t on t.id = o.team_id
    cross join lateral generate_series(1,
      case when c.state = 'closed' then ${CYCLES_SIZE.closedCheckIns}
           when c.id = ${current} then case when ${TEAM_NO} % 6 = 5 then 3 else ((${today}::date - c.starts_on) / 7) end
           else 0 end) g
    where c.program_id = ${programId} and o.state <> 'draft'`.execute(db);

  // Fresh statistics first: without them the planner joins half a million check-ins by nested loops (minutes).
  await sql`analyze objectives, key_results, check_ins`.execute(db);
  // The key results' denormalized latest check-in (ADR 0016), milestones done, scores of closed cycles.
  await sql`update key_results kr set current_value = l.value, last_check_in_at = l.at, last_confidence = l.confidence,
      milestone_done = (kr.kind = 'milestone' and l.n >= 10),
      version = 1 + l.n
    from (select key_result_id, count(*) over (partition by key_result_id)::int as n, value, at, confidence,
                 row_number() over (partition by key_result_id order by at desc) as r
          from check_ins c where c.key_result_id in (select id from key_results where cycle_id in (select id from cycles where program_id = ${programId}))) l
    where l.key_result_id = kr.id and l.r = 1`.execute(db);
  await sql`update key_results kr set score = case when kr.kind = 'milestone' then (case when kr.milestone_done then 1 else 0.3 end)
      else least(1, greatest(0, round((coalesce(kr.current_value, kr.start_value) - kr.start_value) / nullif(kr.target_value - kr.start_value, 0), 2))) end
    from cycles c where c.id = kr.cycle_id and c.program_id = ${programId} and c.state = 'closed'`.execute(db);
  await sql`update objectives o set score = s.score
    from (select objective_id, round(avg(score), 2) as score from key_results where score is not null group by objective_id) s
    where s.objective_id = o.id and o.program_id = ${programId} and o.level = 'team'`.execute(db);

  // Retrospectives of the closed cycles (nine teams in ten held theirs).
  await sql`insert into team_retrospectives (id, team_id, cycle_id, went_well, to_improve, process_feedback, held_on, created_by)
    select gen_random_uuid()::text, s.team_id, s.cycle_id, 'Weekly check-ins kept us honest.', 'Fewer key results next time.', '',
           case when ((hashtext(s.team_id) & 2147483647) + s.no) % 10 = 0 then null else s.ends_on - 2 end, ${actor.id}
    from (select distinct o.team_id, o.cycle_id, x.ends_on, x.no from objectives o join ${cy} x on x.id = o.cycle_id
          where o.program_id = ${programId} and o.level = 'team' and x.no < ${CYCLES_SIZE.currentCycle}) s`.execute(db);

  // A few coach comments on current drafts.
  await sql`insert into okr_comments (id, objective_id, author_label, body)
    select gen_random_uuid()::text, o.id, 'Coach 001 Bench', 'Is this a key result or a task? What changes for customers?'
    from objectives o where o.cycle_id = ${current} and o.level = 'team' and o.state in ('draft', 'in_review')`.execute(db);

  await loadFeedCoach(db, programId);
  await sql`analyze cycles, cycle_events, objectives, objective_alignments, key_results, check_ins, team_retrospectives, okr_comments`.execute(
    db,
  );

  const count = async (query: RawBuilder<{ n: number }>) => (await query.execute(db)).rows[0].n;
  const checkInTeams = await sql<{ teamId: string; keyResults: number }>`
    select o.team_id as "teamId", count(kr.id)::int as "keyResults" from objectives o join key_results kr on kr.objective_id = o.id
    join teams t on t.id = o.team_id
    where o.cycle_id = ${current} and o.level = 'team' group by o.team_id, t.name order by t.name limit 50`.execute(db);
  return {
    cycles: cycleIds.length,
    cycleEvents: await count(sql<{ n: number }>`select count(*)::int as n from cycle_events where program_id = ${programId}`),
    objectives: await count(sql<{ n: number }>`select count(*)::int as n from objectives where program_id = ${programId}`),
    keyResults: await count(
      sql<{
        n: number;
      }>`select count(*)::int as n from key_results kr join cycles c on c.id = kr.cycle_id where c.program_id = ${programId}`,
    ),
    checkIns: await count(sql<{ n: number }>`select count(*)::int as n from check_ins`),
    currentCycleId: current,
    checkInTeams: checkInTeams.rows,
  };
}

/** The feed coach: an account linked to a coach of the program with ten teams across waves and units, and its feed secret. */
async function loadFeedCoach(db: Kysely<Database>, programId: string): Promise<void> {
  const userId = crypto.randomUUID();
  const personId = crypto.randomUUID();
  const coachId = crypto.randomUUID();
  await db
    .insertInto("users")
    .values({
      id: userId,
      email: BENCH_FEED_COACH.email,
      name: BENCH_FEED_COACH.name,
      password_hash: await hashPassword(BENCH_FEED_COACH.password),
      role: "coach",
    })
    .execute();
  await db
    .insertInto("people")
    .values({ id: personId, name: BENCH_FEED_COACH.name, email: BENCH_FEED_COACH.email, title: "OKR Coach", user_id: userId })
    .execute();
  await db.insertInto("coaches").values({ id: coachId, program_id: programId, person_id: personId, capacity: 10, focus: "Feed" }).execute();
  // Ten planned teams spread over the waves and departments (every 97th planned team).
  await sql`insert into coach_assignments (id, program_id, coach_id, team_id, kind, starts_on)
    select gen_random_uuid()::text, ${programId}, ${coachId}, s.team_id, 'secondary', current_date - 200
    from (select pt.team_id, row_number() over (order by pt.team_id) as r from program_teams pt where pt.program_id = ${programId}) s
    where s.r % 97 = 0 order by s.r limit ${CYCLES_SIZE.feedCoachTeams}`.execute(db);
  await db
    .insertInto("calendar_feed_tokens")
    .values({ id: crypto.randomUUID(), user_id: userId, secret_hash: hashFeedSecret(BENCH_FEED_COACH.feedSecret) })
    .execute();
}
