// Builders of OKR cycles, team sets and the people around them, for the check-in tests, the
// demo and the bench. They write rows directly (the cycles and objectives forms belong to the
// cycles area); the check-ins themselves go through the app's models.
import { randomBytes } from "node:crypto";
import type { CycleState, KeyResultKind, ObjectiveState } from "../../db/schema";
import { addDays, today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { createTestProgram, createTestUser, TEST_PASSWORD } from "./builders";

const unique = () => randomBytes(4).toString("hex");

export interface CycleSpec {
  name?: string;
  startsOn: Day;
  endsOn: Day;
  state?: CycleState;
  cadence?: number;
  previousCycleId?: string | null;
  maxObjectives?: number;
}

export async function insertCycle(db: DB, programId: string, spec: CycleSpec): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto("cycles")
    .values({
      id,
      program_id: programId,
      name: spec.name ?? `Cycle ${unique()}`,
      starts_on: spec.startsOn,
      ends_on: spec.endsOn,
      state: spec.state ?? "executing",
      checkin_cadence_days: spec.cadence ?? 14,
      max_objectives: spec.maxObjectives ?? 3,
      previous_cycle_id: spec.previousCycleId ?? null,
    })
    .execute();
  return id;
}

export interface KeyResultSpec {
  title: string;
  kind?: KeyResultKind;
  start?: number | null;
  target?: number | null;
  current?: number | null;
  unit?: string;
  direction?: "increase" | "decrease";
  done?: boolean;
  weight?: number;
  ownerPersonId?: string | null;
  lastCheckInAt?: Date | null;
  score?: number | null;
}

export interface ObjectiveSpec {
  title: string;
  state?: ObjectiveState;
  standaloneReason?: string | null;
  alignedTo?: string[];
  score?: number | null;
  carriedFromId?: string | null;
  keyResults: KeyResultSpec[];
}

/** Inserts a team's objectives and key results; returns their ids in order. */
export async function insertTeamSet(
  db: DB,
  where: { programId: string; cycleId: string; teamId: string },
  objectives: ObjectiveSpec[],
): Promise<Array<{ id: string; keyResultIds: string[] }>> {
  const out: Array<{ id: string; keyResultIds: string[] }> = [];
  for (const [i, o] of objectives.entries()) {
    const id = crypto.randomUUID();
    await db
      .insertInto("objectives")
      .values({
        id,
        cycle_id: where.cycleId,
        program_id: where.programId,
        level: "team",
        team_id: where.teamId,
        title: o.title,
        state: o.state ?? "active",
        standalone_reason: o.standaloneReason === undefined ? "A team improvement of its own." : o.standaloneReason,
        score: o.score ?? null,
        carried_from_id: o.carriedFromId ?? null,
        position: i,
      })
      .execute();
    if (o.alignedTo?.length)
      await db
        .insertInto("objective_alignments")
        .values(o.alignedTo.map((parent) => ({ child_id: id, parent_id: parent })))
        .execute();
    const keyResultIds: string[] = [];
    for (const [j, kr] of o.keyResults.entries()) {
      const krId = crypto.randomUUID();
      const kind = kr.kind ?? "metric";
      await db
        .insertInto("key_results")
        .values({
          id: krId,
          objective_id: id,
          cycle_id: where.cycleId,
          title: kr.title,
          kind,
          start_value: kind === "metric" ? (kr.start ?? 0) : null,
          target_value: kind === "metric" ? (kr.target === undefined ? 100 : kr.target) : null,
          current_value: kind === "metric" ? (kr.current ?? null) : null,
          unit: kr.unit ?? "",
          direction: kr.direction ?? "increase",
          milestone_done: kr.done ?? false,
          weight: kr.weight ?? 1,
          owner_person_id: kr.ownerPersonId ?? null,
          last_check_in_at: kr.lastCheckInAt ?? null,
          last_confidence: kr.lastCheckInAt ? "on_track" : null,
          score: kr.score ?? null,
          position: j,
        })
        .execute();
      keyResultIds.push(krId);
    }
    out.push({ id, keyResultIds });
  }
  return out;
}

export async function insertUnit(db: DB, name: string, parentId: string | null = null): Promise<string> {
  const id = crypto.randomUUID();
  await db.insertInto("org_units").values({ id, name, parent_id: parentId }).execute();
  return id;
}

export async function insertPerson(
  db: DB,
  input: { name: string; unitId: string; teamId?: string | null; userId?: string | null; email?: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto("people")
    .values({
      id,
      name: input.name,
      email: (input.email ?? `${input.name.replace(/\W+/g, ".").toLowerCase()}.${unique()}@example.com`).toLowerCase(),
      unit_id: input.unitId,
      team_id: input.teamId ?? null,
      user_id: input.userId ?? null,
    })
    .execute();
  return id;
}

/** A team in a unit, taking part in the program (optionally in a wave), with a lead person. */
export async function insertProgramTeam(
  db: DB,
  input: { programId: string; unitId: string; name: string; waveId?: string | null; leadUserId?: string | null },
): Promise<{ teamId: string; leadPersonId: string }> {
  const teamId = crypto.randomUUID();
  await db.insertInto("teams").values({ id: teamId, name: input.name, unit_id: input.unitId, lead_person_id: null }).execute();
  const leadPersonId = await insertPerson(db, {
    name: `${input.name} Lead`,
    unitId: input.unitId,
    teamId,
    userId: input.leadUserId ?? null,
  });
  await db.updateTable("teams").set({ lead_person_id: leadPersonId }).where("id", "=", teamId).execute();
  await db
    .insertInto("program_teams")
    .values({ program_id: input.programId, team_id: teamId, wave_id: input.waveId ?? null, status: "first_cycle" })
    .execute();
  return { teamId, leadPersonId };
}

export async function insertWave(db: DB, programId: string, name: string, position: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.insertInto("waves").values({ id, program_id: programId, name, position, starts_on: null, ends_on: null }).execute();
  return id;
}

export interface CheckInWorld {
  password: string;
  users: Record<"admin" | "plo" | "coach" | "sponsor" | "teamLead" | "member" | "otherLead", { id: string; email: string; name: string }>;
  programId: string;
  waveId: string;
  unitId: string;
  teamId: string;
  otherTeamId: string;
  memberPersonId: string;
  cycleId: string;
  nextCycleId: string;
  objectiveIds: string[];
  /** [metric owned by the member, metric owned by the lead, milestone owned by nobody, metric of objective 2]. */
  keyResultIds: string[];
  otherKeyResultId: string;
}

/**
 * A program with one running cycle (started 30 days ago, 90 days long, cadence 14) and its next
 * cycle; a team led by the team lead account, with a member account owning one key result; a
 * coach account coaching the team; another team led by another lead.
 */
export async function checkInWorld(db: DB, day: Day = todayDay()): Promise<CheckInWorld> {
  const mk = async (role: "admin" | "plo" | "coach" | "sponsor" | "team_lead" | "member", name: string) => {
    const u = await createTestUser(db, { role, name, password: TEST_PASSWORD });
    return { id: u.id, email: u.email, name: u.name };
  };
  const users = {
    admin: await mk("admin", "Ada Admin"),
    plo: await mk("plo", "Paula PLO"),
    coach: await mk("coach", "Cora Coach"),
    sponsor: await mk("sponsor", "Sam Sponsor"),
    teamLead: await mk("team_lead", "Tess Lead"),
    member: await mk("member", "Max Member"),
    otherLead: await mk("team_lead", "Olga Otherlead"),
  };
  const program = await createTestProgram(
    db,
    { id: users.plo.id, name: users.plo.name },
    { name: `Rollout ${unique()}`, status: "active" },
  );
  const waveId = await insertWave(db, program.id, "Wave 1", 1);
  const unitId = await insertUnit(db, `Operations ${unique()}`);
  const { teamId } = await insertProgramTeam(db, {
    programId: program.id,
    unitId,
    name: "Warehouse",
    waveId,
    leadUserId: users.teamLead.id,
  });
  const { teamId: otherTeamId } = await insertProgramTeam(db, {
    programId: program.id,
    unitId,
    name: "Transport",
    waveId,
    leadUserId: users.otherLead.id,
  });
  const memberPersonId = await insertPerson(db, { name: "Max Member", unitId, teamId, userId: users.member.id });
  const coachPersonId = await insertPerson(db, { name: "Cora Coach", unitId, userId: users.coach.id });
  const coachId = crypto.randomUUID();
  await db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: coachPersonId, capacity: 5 }).execute();
  await db
    .insertInto("coach_assignments")
    .values({
      id: crypto.randomUUID(),
      program_id: program.id,
      coach_id: coachId,
      team_id: teamId,
      starts_on: addDays(day, -60),
      ends_on: null,
    })
    .execute();
  const lead = await db.selectFrom("teams").select("lead_person_id").where("id", "=", teamId).executeTakeFirstOrThrow();
  const cycleId = await insertCycle(db, program.id, {
    name: "2026-Q4",
    startsOn: addDays(day, -30),
    endsOn: addDays(day, 60),
    cadence: 14,
  });
  const nextCycleId = await insertCycle(db, program.id, {
    name: "2027-Q1",
    startsOn: addDays(day, 61),
    endsOn: addDays(day, 150),
    state: "planning",
    previousCycleId: cycleId,
  });
  const set = await insertTeamSet(db, { programId: program.id, cycleId, teamId }, [
    {
      title: "Ship orders faster",
      keyResults: [
        { title: "Orders shipped same day", start: 60, target: 90, current: 70, unit: "%", ownerPersonId: memberPersonId },
        { title: "Picking errors per week", start: 40, target: 10, current: 35, direction: "decrease", ownerPersonId: lead.lead_person_id },
        { title: "New packing line running", kind: "milestone" },
      ],
    },
    {
      title: "A safer warehouse",
      keyResults: [{ title: "Near misses reported", start: 0, target: 20, current: 4, ownerPersonId: lead.lead_person_id }],
    },
  ]);
  const other = await insertTeamSet(db, { programId: program.id, cycleId, teamId: otherTeamId }, [
    { title: "On-time deliveries", keyResults: [{ title: "Deliveries on time", start: 80, target: 95, current: 85 }] },
  ]);
  return {
    password: TEST_PASSWORD,
    users,
    programId: program.id,
    waveId,
    unitId,
    teamId,
    otherTeamId,
    memberPersonId,
    cycleId,
    nextCycleId,
    objectiveIds: set.map((o) => o.id),
    keyResultIds: [...set[0].keyResultIds, ...set[1].keyResultIds],
    otherKeyResultId: other[0].keyResultIds[0],
  };
}
