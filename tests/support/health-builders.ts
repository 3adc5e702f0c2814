// Builders of cycle histories for process health and graduation (issue 16): a team's set in a
// cycle with check-ins in chosen windows, scores and a retrospective, and a world of teams whose
// graduation proposals are known. Shared by the integration, HTTP and browser tests and the bench.
import type { OnboardingStatus } from "../../db/schema";
import { addDays, today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { createTestUser, TEST_PASSWORD } from "./builders";
import { checkInWorld, insertCycle, insertPerson, insertTeamSet, type CheckInWorld } from "./okr-builders";

export interface TeamCycleSpec {
  programId: string;
  cycle: { id: string; startsOn: Day; cadence: number };
  teamId: string;
  ownerPersonId: string | null;
  /** Check-ins in the first N windows of the cycle (one per window, on its second day). */
  windows: number;
  /** Also a check-in on this day (e.g. just before the cycle's end: key results updated in its last days). */
  finalCheckInOn?: Day;
  scored?: boolean;
  /** Who recorded the held retrospective (a user id), or null for none. */
  retroBy?: string | null;
  retroOn?: Day;
}

/** One objective with two key results for a team in a cycle, with check-ins, scores and a retrospective as asked. */
export async function insertTeamCycle(db: DB, spec: TeamCycleSpec): Promise<void> {
  const [objective] = await insertTeamSet(db, { programId: spec.programId, cycleId: spec.cycle.id, teamId: spec.teamId }, [
    {
      title: "Customers served faster",
      keyResults: [
        {
          title: "Lead time from 10 to 5 days",
          start: 10,
          target: 5,
          direction: "decrease",
          ownerPersonId: spec.ownerPersonId,
          score: spec.scored ? 0.7 : null,
        },
        {
          title: "On-time rate from 80 to 95 %",
          start: 80,
          target: 95,
          ownerPersonId: spec.ownerPersonId,
          score: spec.scored ? 0.6 : null,
        },
      ],
    },
  ]);
  const rows = [];
  const days = Array.from({ length: spec.windows }, (_, k) => addDays(spec.cycle.startsOn, k * spec.cycle.cadence + 1));
  if (spec.finalCheckInOn) days.push(spec.finalCheckInOn);
  for (const day of days) {
    const at = new Date(`${day}T09:00:00Z`);
    for (const keyResultId of objective.keyResultIds) {
      rows.push({ id: crypto.randomUUID(), key_result_id: keyResultId, value: 1, confidence: "on_track" as const, at });
    }
  }
  if (rows.length) {
    await db.insertInto("check_ins").values(rows).execute();
    const last = rows.at(-1)!.at;
    await db
      .updateTable("key_results")
      .set({ last_check_in_at: last, last_confidence: "on_track" })
      .where("objective_id", "=", objective.id)
      .execute();
  }
  if (spec.retroBy !== undefined && spec.retroBy !== null) {
    await db
      .insertInto("team_retrospectives")
      .values({
        id: crypto.randomUUID(),
        team_id: spec.teamId,
        cycle_id: spec.cycle.id,
        went_well: "Check-ins every two weeks",
        held_on: spec.retroOn ?? addDays(spec.cycle.startsOn, 80),
        created_by: spec.retroBy,
      })
      .execute();
  }
}

export interface GraduationWorld extends CheckInWorld {
  /** The two ended cycles before the running one, oldest first. */
  endedCycleIds: string[];
  coachId: string;
  teams: Record<"alpha" | "bravo" | "charlie" | "delta" | "echo" | "foxtrot", string>;
}

/**
 * The check-in world (its running cycle started 30 days before `day`) with two ended cycles
 * before it and six more teams in its wave:
 *   Alpha, Bravo, Charlie  running; both ended cycles kept 5 of 5 windows, scored, retrospective
 *                          recorded by their lead; coach's maturity rating 4 → self-sufficient
 *   Delta                  running; 2 of 5 windows in the latest ended cycle → no proposal
 *   Echo, Foxtrot          onboarding; drafted in the running cycle → first cycle
 * Warehouse and Transport (first cycle, no ended cycle) get no proposal. `extraTeams` more teams
 * like Alpha make a bigger program of the same shape (for query counts).
 */
export async function graduationWorld(db: DB, day: Day = todayDay(), { extraTeams = 0 } = {}): Promise<GraduationWorld> {
  const w = await checkInWorld(db, day);
  await db
    .updateTable("waves")
    .set({ starts_on: addDays(day, -220), ends_on: addDays(day, 60) })
    .where("id", "=", w.waveId)
    .execute();
  const c1 = { id: "", startsOn: addDays(day, -200), endsOn: addDays(day, -117), cadence: 14 };
  const c2 = { id: "", startsOn: addDays(day, -116), endsOn: addDays(day, -33), cadence: 14 };
  c1.id = await insertCycle(db, w.programId, { name: "2026-Q2", startsOn: c1.startsOn, endsOn: c1.endsOn, state: "closed" });
  c2.id = await insertCycle(db, w.programId, {
    name: "2026-Q3",
    startsOn: c2.startsOn,
    endsOn: c2.endsOn,
    state: "closed",
    previousCycleId: c1.id,
  });
  await db.updateTable("cycles").set({ previous_cycle_id: c2.id }).where("id", "=", w.cycleId).execute();
  const coach = await db.selectFrom("coaches").select("id").where("program_id", "=", w.programId).executeTakeFirstOrThrow();

  const teams = {} as GraduationWorld["teams"];
  const make = async (key: keyof GraduationWorld["teams"] | null, name: string, status: OnboardingStatus) => {
    const teamId = crypto.randomUUID();
    await db.insertInto("teams").values({ id: teamId, name, unit_id: w.unitId, lead_person_id: null }).execute();
    const lead = await createTestUser(db, { role: "team_lead", name: `${name} Lead`, password: TEST_PASSWORD });
    const personId = await insertPerson(db, { name: `${name} Lead`, unitId: w.unitId, teamId, userId: lead.id });
    await db.updateTable("teams").set({ lead_person_id: personId }).where("id", "=", teamId).execute();
    await db.insertInto("program_teams").values({ program_id: w.programId, team_id: teamId, wave_id: w.waveId, status }).execute();
    if (key) teams[key] = teamId;
    return { teamId, personId, leadUserId: lead.id };
  };
  const running: Array<[keyof GraduationWorld["teams"] | null, string]> = [
    ["alpha", "Alpha"],
    ["bravo", "Bravo"],
    ["charlie", "Charlie"],
    ["delta", "Delta"],
    ...Array.from({ length: extraTeams }, (_, i): [null, string] => [null, `Extra ${i + 1}`]),
  ];
  for (const [key, name] of running) {
    const t = await make(key, name, "running");
    for (const cycle of [c1, c2]) {
      const windows = key === "delta" && cycle === c2 ? 2 : 5;
      await insertTeamCycle(db, {
        programId: w.programId,
        cycle,
        teamId: t.teamId,
        ownerPersonId: t.personId,
        windows,
        scored: true,
        retroBy: t.leadUserId,
      });
    }
    await db
      .insertInto("support_sessions")
      .values({
        id: crypto.randomUUID(),
        program_id: w.programId,
        coach_id: coach.id,
        team_id: t.teamId,
        held_on: addDays(day, -40),
        type: "review",
        duration_minutes: 45,
        maturity: 4,
      })
      .execute();
  }
  for (const [key, name] of [
    ["echo", "Echo"],
    ["foxtrot", "Foxtrot"],
  ] as const) {
    const t = await make(key, name, "onboarding");
    await insertTeamCycle(db, {
      programId: w.programId,
      cycle: { id: w.cycleId, startsOn: addDays(day, -30), cadence: 14 },
      teamId: t.teamId,
      ownerPersonId: t.personId,
      windows: 2,
    });
  }
  return { ...w, endedCycleIds: [c1.id, c2.id], coachId: coach.id, teams };
}
