// The demo's process health, graduation and wave lifecycle (issue 16) for the company-wide
// rollout: wave 1 is active (its entry criteria recorded at its start on 5 October), the pilot's
// Customer Operations teams and its model team — Warehouse Operations Hamburg, whose lead Diego
// Álvarez signs in — ran two bridge cycles "2026-Q2" and "2026-Q3" before the rollout (closed:
// drafted, checked in every two weeks, scored, retrospective held), and the current cycle's sets
// get check-ins — most teams every two weeks, two teams stale since October. So the health page
// has three cycles to compare, bands with reasons and stale teams to send to a clinic; the
// graduation page proposes onboarding teams that drafted for "first cycle" (the drift the issue
// describes), the pilot teams for "running", and the model team — running, both bridge cycles
// kept and scored, its retrospective run by its lead, its coach rating it 5 of 5, its people
// trained — for "self-sufficient", each from the data, to confirm in bulk.
//
// Goes through the models where there is one (the wave's start, scores); check-ins and sets of
// the closed cycle are written directly, as the bench does. Safe to run again: skips a rollout
// that has the bridge cycle.
import { sql } from "kysely";
import type { Actor } from "~/models/audit/audit.server";
import { setStatus } from "~/models/plan/program-teams.server";
import { changeWaveState } from "~/models/plan/wave-lifecycle.server";
import { addDays, minDay, today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";

const BRIDGE = "2026-Q3";
/** The two bridge cycles of the pilot teams, oldest first (84 days each: six check-in windows of 14 days). */
const BRIDGES = [
  { name: "2026-Q2", startsOn: "2026-04-06", endsOn: "2026-06-28" },
  { name: BRIDGE, startsOn: "2026-07-06", endsOn: "2026-09-27" },
] as const;

export async function seedDemoHealth(db: DB, plo: Actor, rolloutId: string): Promise<{ bridgeTeams: number; checkIns: number } | null> {
  const exists = await db
    .selectFrom("cycles")
    .select("id")
    .where("program_id", "=", rolloutId)
    .where("name", "=", BRIDGE)
    .executeTakeFirst();
  if (exists) return null;

  // Wave 1 started on 5 October: its entry criteria are recorded as they stood then.
  const wave1 = await db
    .selectFrom("waves")
    .select(["id", "state"])
    .where("program_id", "=", rolloutId)
    .orderBy("position")
    .limit(1)
    .executeTakeFirst();
  if (wave1?.state === "planned") await changeWaveState(db, plo, rolloutId, wave1.id, "active", "2026-10-05");

  // The bridge cycle of the pilot teams, before the rollout's first cycle.
  const current = await db
    .selectFrom("cycles")
    .select(["id", "starts_on", "ends_on", "checkin_cadence_days"])
    .where("program_id", "=", rolloutId)
    .orderBy("starts_on")
    .executeTakeFirst();
  const bridgeIds: string[] = [];
  for (const bridge of BRIDGES) {
    const id = crypto.randomUUID();
    await db
      .insertInto("cycles")
      .values({
        id,
        program_id: rolloutId,
        name: bridge.name,
        starts_on: bridge.startsOn,
        ends_on: bridge.endsOn,
        state: "closed",
        checkin_cadence_days: 14,
        max_objectives: 3,
        previous_cycle_id: bridgeIds.at(-1) ?? null,
        created_by: plo.id,
      })
      .execute();
    bridgeIds.push(id);
  }
  if (current)
    await db
      .updateTable("cycles")
      .set({ previous_cycle_id: bridgeIds.at(-1)! })
      .where("id", "=", current.id)
      .execute();

  const bridgeTeamsQuery = db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .innerJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", rolloutId))
    .leftJoin("people as p", "p.id", "t.lead_person_id")
    .select(["t.id", "t.name", "p.id as leadPersonId", "p.user_id as leadUserId"])
    .where("t.archived_at", "is", null);
  const pilotTeams = await bridgeTeamsQuery.where("u.name", "ilike", "%customer%").orderBy("t.name").limit(5).execute();
  // The pilot's model team: the team whose lead signs in as the demo's team lead.
  const model = await bridgeTeamsQuery
    .innerJoin("users as lu", "lu.id", "p.user_id")
    .where("lu.role", "=", "team_lead")
    .orderBy("t.name")
    .limit(1)
    .executeTakeFirst();
  const bridgeTeams = [...pilotTeams];
  if (model && !pilotTeams.some((t) => t.id === model.id)) bridgeTeams.unshift(model);
  let checkIns = 0;
  for (const [i, team] of bridgeTeams.entries()) {
    // The last pilot team skipped half its check-ins and never held its retrospective.
    const diligent = i < bridgeTeams.length - 1;
    for (const [b, bridge] of BRIDGES.entries()) {
      checkIns += await insertSet(db, {
        programId: rolloutId,
        cycle: { id: bridgeIds[b], startsOn: bridge.startsOn, endsOn: bridge.endsOn, cadence: 14 },
        teamId: team.id,
        ownerPersonId: team.leadPersonId,
        createdOn: addDays(bridge.startsOn, -3),
        checkInDays: diligent ? [1, 15, 29, 43, 57, 71, 80] : [1, 29, 57],
        scored: true,
      });
      if (diligent) {
        await db
          .insertInto("team_retrospectives")
          .values({
            id: crypto.randomUUID(),
            team_id: team.id,
            cycle_id: bridgeIds[b],
            went_well: "Check-ins every other Monday, owned by the team; honest confidence.",
            to_improve: "Fewer key results, more focus on customer outcomes.",
            process_feedback: "The scoring session was too short.",
            held_on: addDays(bridge.endsOn, -2),
            // Recorded by the team's lead where the lead has an account, else by the PLO for them.
            created_by: team.leadUserId ?? plo.id,
          })
          .execute();
      }
    }
  }
  if (model) await readyToStandAlone(db, plo, rolloutId, model.id);

  // The sets made by the cycles seed were drafted in the drafting workshop before the cycle's
  // alignment event on its first day (drafts later): their dates say so.
  if (current) {
    await db
      .updateTable("objectives")
      .set({ created_at: sql`${`${addDays(current.starts_on, -3)}T09:00:00Z`}::timestamptz` })
      .where("cycle_id", "=", current.id)
      .where("level", "=", "team")
      .where("state", "in", ["active", "approved", "in_review"])
      .execute();
  }

  const fresh = new Set<string>();
  // The pilot teams that have no set in the current cycle yet drafted theirs at the kick-off and
  // check in every two weeks, like in the bridge cycle.
  if (current) {
    const drafted = new Set(
      (await db.selectFrom("objectives").select("team_id").where("cycle_id", "=", current.id).where("level", "=", "team").execute()).map(
        (o) => o.team_id,
      ),
    );
    for (const team of pilotTeams.filter((t) => !drafted.has(t.id))) {
      fresh.add(team.id);
      checkIns += await insertSet(db, {
        programId: rolloutId,
        cycle: { id: current.id, startsOn: current.starts_on, endsOn: current.ends_on, cadence: current.checkin_cadence_days },
        teamId: team.id,
        ownerPersonId: team.leadPersonId,
        createdOn: addDays(current.starts_on, -3),
        checkInDays: [2, 16, 30, 44, 58, 72],
        scored: false,
        state: "active",
      });
    }
  }

  // Check-ins in the current cycle: every two weeks on the active and approved sets, except two
  // teams that stopped after their first check-in.
  if (current) {
    const until = minDay(todayDay(), current.ends_on);
    const keyResults = await db
      .selectFrom("key_results as k")
      .innerJoin("objectives as o", "o.id", "k.objective_id")
      .select(["k.id", "o.team_id", "o.state"])
      .where("k.cycle_id", "=", current.id)
      .where("o.level", "=", "team")
      .where("o.state", "in", ["active", "approved"])
      .orderBy("o.team_id")
      .orderBy("k.position")
      .execute();
    const teams = [...new Set(keyResults.map((k) => k.team_id))].filter((id) => !fresh.has(id!));
    const stale = new Set(teams.slice(-2));
    const rows: Array<{
      id: string;
      key_result_id: string;
      value: number;
      confidence: "on_track" | "needs_attention" | "off_track";
      at: Date;
      by_label: string;
    }> = [];
    const last = new Map<string, Date>();
    for (const [i, kr] of keyResults.entries()) {
      if (fresh.has(kr.team_id!)) continue;
      const days = stale.has(kr.team_id!) ? [2] : [2, 16, 30, 44, 58, 72];
      for (const [n, offset] of days.entries()) {
        const day: Day = addDays(current.starts_on, offset);
        if (day > until) break;
        const at = new Date(`${day}T08:30:00Z`);
        const confidence = (i + n) % 7 === 3 ? "off_track" : (i + n) % 4 === 1 ? "needs_attention" : "on_track";
        rows.push({ id: crypto.randomUUID(), key_result_id: kr.id, value: 10 + n * 5, confidence, at, by_label: "Team lead" });
        last.set(kr.id, at);
      }
    }
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto("check_ins")
        .values(rows.slice(i, i + 500))
        .execute();
    for (const [id, at] of last)
      await db.updateTable("key_results").set({ last_check_in_at: at, last_confidence: "on_track" }).where("id", "=", id).execute();
    checkIns += rows.length;
  }
  // The rollout's figures changed: cached pages read afresh (ADR 0011).
  await db
    .updateTable("programs")
    .set({ data_version: sql`data_version + 1` })
    .where("id", "=", rolloutId)
    .execute();
  return { bridgeTeams: bridgeTeams.length, checkIns };
}

/**
 * What the rest of the self-sufficiency rules read about the model team, as it would stand after
 * the pilot: it has been running since mid-November, its coach's latest session rated it 5 of 5,
 * and its people completed their required training (imported from the learning platform).
 */
async function readyToStandAlone(db: DB, plo: Actor, programId: string, teamId: string): Promise<void> {
  const place = await db
    .selectFrom("program_teams")
    .select("status")
    .where("program_id", "=", programId)
    .where("team_id", "=", teamId)
    .executeTakeFirst();
  if (place && place.status !== "running") await setStatus(db, plo, programId, { teamIds: [teamId] }, "running", "2026-11-16");

  const coach =
    (await db
      .selectFrom("coach_assignments")
      .select("coach_id")
      .where("program_id", "=", programId)
      .where("team_id", "=", teamId)
      .orderBy(sql`kind = 'primary'`, "desc")
      .orderBy("starts_on", "desc")
      .executeTakeFirst()) ??
    (await db.selectFrom("coaches").select("id as coach_id").where("program_id", "=", programId).orderBy("id").executeTakeFirst());
  if (coach) {
    const latest = await db
      .selectFrom("support_sessions")
      .select((eb) => eb.fn.max("held_on").as("on"))
      .where("team_id", "=", teamId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    await db
      .insertInto("support_sessions")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: coach.coach_id,
        team_id: teamId,
        held_on: latest?.on && latest.on > "2026-11-20" ? latest.on : "2026-11-20",
        type: "review",
        duration_minutes: 30,
        notes: "The team ran its check-ins and its retrospective on its own; it no longer needs me in its meetings.",
        maturity: 5,
      })
      .execute();
  }

  // Every required module of the team's people (members and lead), completed where missing.
  await sql`
    insert into enablement_completions (id, person_id, module_id, module_version, completed_on, source, evidence)
    select gen_random_uuid()::text, p.id, m.id, m.version, '2026-09-18', 'import', 'Imported from the learning platform'
      from people p
      join teams t on t.id = ${teamId}
      join enablement_requirements r on r.program_id = ${programId} and r.necessity = 'required'
       and ((r.audience = 'team_member' and p.team_id = t.id) or (r.audience = 'team_lead' and p.id = t.lead_person_id))
      join enablement_modules m on m.id = r.module_id
     where p.archived_at is null and (p.team_id = t.id or p.id = t.lead_person_id)
       and not exists (select 1 from enablement_completions c where c.person_id = p.id and c.module_id = m.id)
     group by p.id, m.id, m.version`.execute(db);
}

async function insertSet(
  db: DB,
  spec: {
    programId: string;
    cycle: { id: string; startsOn: Day; endsOn: Day; cadence: number };
    teamId: string;
    ownerPersonId: string | null;
    createdOn: Day;
    checkInDays: number[];
    scored: boolean;
    state?: "achieved" | "active";
  },
): Promise<number> {
  const objectiveId = crypto.randomUUID();
  await db
    .insertInto("objectives")
    .values({
      id: objectiveId,
      cycle_id: spec.cycle.id,
      program_id: spec.programId,
      level: "team",
      team_id: spec.teamId,
      title: "Customers get answers the same day",
      state: spec.state ?? "achieved",
      standalone_reason: "Pilot team: customer service first",
      score: spec.scored ? 0.7 : null,
      created_at: new Date(`${spec.createdOn}T09:00:00Z`),
    })
    .execute();
  const krs = [
    { title: "First-response time from 9 h to 3 h", start: 9, target: 3, direction: "decrease" as const, score: 0.8 },
    { title: "Tickets solved on first contact from 55% to 70%", start: 55, target: 70, direction: "increase" as const, score: 0.6 },
  ];
  const rows = [];
  for (const [i, kr] of krs.entries()) {
    const id = crypto.randomUUID();
    const days = spec.checkInDays.map((d) => addDays(spec.cycle.startsOn, d));
    const past = days.filter((d) => d <= todayDay());
    await db
      .insertInto("key_results")
      .values({
        id,
        objective_id: objectiveId,
        cycle_id: spec.cycle.id,
        title: kr.title,
        kind: "metric",
        start_value: kr.start,
        target_value: kr.target,
        current_value: kr.target,
        direction: kr.direction,
        owner_person_id: spec.ownerPersonId,
        score: spec.scored ? kr.score : null,
        last_check_in_at: past.length ? new Date(`${past.at(-1)}T08:30:00Z`) : null,
        last_confidence: past.length ? "on_track" : null,
        position: i,
      })
      .execute();
    for (const day of days) {
      if (day > todayDay()) continue;
      rows.push({
        id: crypto.randomUUID(),
        key_result_id: id,
        value: kr.start,
        confidence: "on_track" as const,
        at: new Date(`${day}T08:30:00Z`),
        by_label: "Team lead",
      });
    }
  }
  if (rows.length) await db.insertInto("check_ins").values(rows).execute();
  return rows.length;
}
