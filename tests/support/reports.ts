// A small, hand-made rollout for the reporting tests: a program with dates, two divisions with
// teams, two waves, milestones (some late), a coach, risks, stakeholders. Written straight into
// the tables so each figure of the live status is known in advance.
import { randomUUID } from "node:crypto";
import type { Actor } from "~/models/audit/audit.server";
import { addDays, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { createTestProgram } from "./builders";

export interface SmallRollout {
  programId: string;
  units: { ops: string; sales: string };
  teams: string[];
  waves: { first: string; second: string };
  coachId: string;
  riskIds: string[];
}

const uuid = () => randomUUID();

/**
 * Program from today−100 to today+265 (about 27% elapsed). Wave 1 started 30 days ago with 4
 * teams (Ops: 3, Sales: 1), 2 of them still not started, 3 coached; wave 2 starts in 30 days
 * with 2 teams. Milestones: 3 more than 14 days late, 1 late by 5 days, 1 done, 1 upcoming.
 * Risks: one scoring 20 (open), one scoring 4. Stakeholders: one high influence overdue, one on
 * schedule.
 */
export async function buildSmallRollout(db: DB, actor: Actor, today: Day): Promise<SmallRollout> {
  const program = await createTestProgram(db, actor, {
    startsOn: addDays(today, -100),
    endsOn: addDays(today, 265),
    status: "active",
  });
  const programId = program.id;
  const root = uuid();
  const ops = uuid();
  const sales = uuid();
  await db
    .insertInto("org_units")
    .values([
      { id: root, name: `Company ${root.slice(0, 4)}`, parent_id: null, external_id: null, archived_at: null },
      { id: ops, name: `Operations ${ops.slice(0, 4)}`, parent_id: root, external_id: null, archived_at: null },
      { id: sales, name: `Sales ${sales.slice(0, 4)}`, parent_id: root, external_id: null, archived_at: null },
    ])
    .execute();
  const teamUnits = [ops, ops, ops, sales, ops, sales];
  const teams = teamUnits.map(() => uuid());
  await db
    .insertInto("teams")
    .values(
      teams.map((id, i) => ({
        id,
        name: `Team ${i + 1} ${id.slice(0, 4)}`,
        unit_id: teamUnits[i],
        lead_person_id: null,
        size: 5,
        external_id: null,
        archived_at: null,
      })),
    )
    .execute();
  const first = uuid();
  const second = uuid();
  await db
    .insertInto("waves")
    .values([
      { id: first, program_id: programId, name: "Wave 1", position: 1, starts_on: addDays(today, -30), ends_on: addDays(today, 60) },
      { id: second, program_id: programId, name: "Wave 2", position: 2, starts_on: addDays(today, 30), ends_on: addDays(today, 120) },
    ])
    .execute();
  const statuses = ["onboarding", "running", "not_started", "not_started", "not_started", "not_started"] as const;
  await db
    .insertInto("program_teams")
    .values(
      teams.map((team_id, i) => ({
        program_id: programId,
        team_id,
        wave_id: i < 4 ? first : second,
        status: statuses[i],
        status_changed_on: statuses[i] === "not_started" ? null : addDays(today, -20 + i),
      })),
    )
    .execute();
  await db
    .insertInto("team_status_changes")
    .values([
      {
        program_id: programId,
        team_id: teams[0],
        from_status: "not_started",
        to_status: "onboarding",
        changed_on: addDays(today, -25),
        changed_by: null,
      },
      {
        program_id: programId,
        team_id: teams[1],
        from_status: "not_started",
        to_status: "onboarding",
        changed_on: addDays(today, -22),
        changed_by: null,
      },
      {
        program_id: programId,
        team_id: teams[1],
        from_status: "onboarding",
        to_status: "running",
        changed_on: addDays(today, -10),
        changed_by: null,
      },
    ])
    .execute();
  const person = uuid();
  await db
    .insertInto("people")
    .values({
      id: person,
      name: "Cora Coach",
      email: `cora-${person.slice(0, 8)}@example.com`,
      unit_id: ops,
      team_id: null,
      user_id: null,
      external_id: null,
      archived_at: null,
    })
    .execute();
  const coachId = uuid();
  await db.insertInto("coaches").values({ id: coachId, program_id: programId, person_id: person, capacity: 5 }).execute();
  await db
    .insertInto("coach_assignments")
    .values(
      [0, 1, 3].map((i) => ({
        id: uuid(),
        program_id: programId,
        coach_id: coachId,
        team_id: teams[i],
        kind: "primary" as const,
        starts_on: addDays(today, -40),
        ends_on: null,
      })),
    )
    .execute();
  await db
    .insertInto("support_sessions")
    .values(
      [0, 1].map((i) => ({
        id: uuid(),
        program_id: programId,
        coach_id: coachId,
        team_id: teams[i],
        held_on: addDays(today, -5),
        type: "drafting" as const,
        duration_minutes: 90,
        notes: "Private note: the lead is sceptical.",
      })),
    )
    .execute();
  const milestone = (title: string, dueIn: number, status: "planned" | "done" = "planned") => ({
    id: uuid(),
    program_id: programId,
    wave_id: null,
    title,
    due_on: addDays(today, dueIn),
    owner_person_id: null,
    status,
    done_on: status === "done" ? addDays(today, dueIn) : null,
  });
  await db
    .insertInto("milestones")
    .values([
      milestone("Kick-off deck", -40),
      milestone("Coach training", -30),
      milestone("OKR tool chosen", -20),
      milestone("Wave 1 drafting", -5),
      milestone("Sponsor briefing", -50, "done"),
      milestone("Wave 2 kick-off", 30),
    ])
    .execute();
  const riskIds = [uuid(), uuid()];
  await db
    .insertInto("risks")
    .values([
      {
        id: riskIds[0],
        program_id: programId,
        title: "Managers treat OKRs as appraisal",
        likelihood: 4,
        impact: 5,
        status: "open",
        owner_person_id: null,
        wave_id: null,
        unit_id: null,
      },
      {
        id: riskIds[1],
        program_id: programId,
        title: "Tool licences late",
        likelihood: 2,
        impact: 2,
        status: "mitigating",
        owner_person_id: null,
        wave_id: null,
        unit_id: null,
      },
    ])
    .execute();
  const sceptic = uuid();
  const supporter = uuid();
  await db
    .insertInto("people")
    .values([
      {
        id: sceptic,
        name: "Sven Sceptic",
        email: `sven-${sceptic.slice(0, 8)}@example.com`,
        unit_id: sales,
        team_id: null,
        user_id: null,
        external_id: null,
        archived_at: null,
      },
      {
        id: supporter,
        name: "Sara Supporter",
        email: `sara-${supporter.slice(0, 8)}@example.com`,
        unit_id: ops,
        team_id: null,
        user_id: null,
        external_id: null,
        archived_at: null,
      },
    ])
    .execute();
  await db
    .insertInto("stakeholders")
    .values([
      {
        id: uuid(),
        program_id: programId,
        person_id: sceptic,
        influence: "high",
        interest: "low",
        attitude: "sceptic",
        contact_every_days: 30,
        last_contact_on: addDays(today, -60),
      },
      {
        id: uuid(),
        program_id: programId,
        person_id: supporter,
        influence: "low",
        interest: "high",
        attitude: "supporter",
        contact_every_days: 30,
        last_contact_on: addDays(today, -3),
      },
    ])
    .execute();
  return { programId, units: { ops, sales }, teams, waves: { first, second }, coachId, riskIds };
}
