// A check-in world (okr-builders) with what a team lead's home shows besides OKRs: cycle events
// for every team, for another wave and a cancelled one; a training session the lead is invited to
// and one they are not; a required module nobody in the team has completed yet.
import { addDays, today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { checkInWorld, insertWave, type CheckInWorld } from "./okr-builders";

export interface TeamHomeWorld extends CheckInWorld {
  leadPersonId: string;
  moduleTitle: string;
}

export async function teamHomeWorld(db: DB, day: Day = todayDay()): Promise<TeamHomeWorld> {
  const w = await checkInWorld(db, day);
  const otherWave = await insertWave(db, w.programId, "Wave 2", 2);
  const event = (title: string, occursOn: Day, extra: { scope?: "all" | "wave"; wave_id?: string; state?: "cancelled" } = {}) => ({
    id: crypto.randomUUID(),
    cycle_id: w.cycleId,
    program_id: w.programId,
    kind: "check_in" as const,
    title,
    occurs_on: occursOn,
    starts_at: "10:00",
    duration_minutes: 30,
    scope: extra.scope ?? "all",
    wave_id: extra.wave_id ?? null,
    unit_id: null,
    facilitator_user_id: null,
    state: (extra.state ?? "planned") as "planned" | "cancelled",
  });
  await db
    .insertInto("cycle_events")
    .values([
      event("Company check-in", addDays(day, 5)),
      event("Wave 1 alignment", addDays(day, 7), { scope: "wave", wave_id: w.waveId }),
      event("Wave 2 kick-off", addDays(day, 6), { scope: "wave", wave_id: otherWave }),
      event("Cancelled review", addDays(day, 8), { state: "cancelled" }),
    ])
    .execute();
  const lead = await db.selectFrom("teams").select("lead_person_id").where("id", "=", w.teamId).executeTakeFirstOrThrow();
  const leadPersonId = lead.lead_person_id!;
  const moduleId = crypto.randomUUID();
  const moduleTitle = "OKR Fundamentals";
  await db
    .insertInto("enablement_modules")
    .values({
      id: moduleId,
      program_id: w.programId,
      title: moduleTitle,
      kind: "other",
      delivery: "live",
      duration_minutes: 90,
      validity_months: null,
    })
    .execute();
  await db
    .insertInto("enablement_requirements")
    .values({
      id: crypto.randomUUID(),
      program_id: w.programId,
      module_id: moduleId,
      audience: "team_member",
      scope: "all",
      necessity: "required",
      due_rule: "fixed",
      due_days: null,
      due_on: addDays(day, 20),
    })
    .execute();
  const session = (id: string, inDays: number) => ({
    id,
    program_id: w.programId,
    module_id: moduleId,
    starts_at: new Date(`${addDays(day, inDays)}T09:00:00Z`),
    duration_minutes: 90,
    time_zone: "UTC",
    location: "Room 4",
    trainer_user_id: null,
    capacity: 12,
    state: "open" as const,
  });
  const invited = crypto.randomUUID();
  const notInvited = crypto.randomUUID();
  await db
    .insertInto("enablement_sessions")
    .values([session(invited, 9), session(notInvited, 10)])
    .execute();
  await db.insertInto("enablement_roster").values({ session_id: invited, person_id: leadPersonId, status: "invited" }).execute();
  return { ...w, leadPersonId, moduleTitle };
}
