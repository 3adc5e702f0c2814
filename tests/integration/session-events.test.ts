import { beforeAll, describe, expect, it } from "vitest";
import { getSupportSession } from "~/models/coaching/session-history.server";
import { logSession, updateSession } from "~/models/coaching/sessions.server";
import { loadViewer } from "~/models/coaching/viewer.server";
import { eventChoicesNear, sessionsOfEvent, UNKNOWN_EVENT_MESSAGE } from "~/models/cycles/cycles.server";
import { FieldError } from "~/models/errors";
import { addDays, today } from "~/utils/dates";
import { sessionSchema, type SessionInput } from "~/validation/sessions";
import { useTestDatabase } from "../support/database";
import { checkInWorld, insertCycle, type CheckInWorld } from "../support/okr-builders";
import { createTestProgram } from "../support/builders";

// A coach's support session linked to the cycle event it delivered: chosen among the program's
// events near the session's date, checked by the model, listed on the event.

const TODAY = today();
let w: CheckInWorld;
let t: ReturnType<typeof useTestDatabase>;
let near: string;
let far: string;
let cancelled: string;
let elsewhere: string;

async function event(programId: string, cycleId: string, occursOn: string, state: "planned" | "held" | "cancelled" = "held") {
  const id = crypto.randomUUID();
  await t.db
    .insertInto("cycle_events")
    .values({ id, cycle_id: cycleId, program_id: programId, kind: "drafting_workshop", occurs_on: occursOn, state })
    .execute();
  return id;
}

describe("sessions that delivered a cycle event", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await checkInWorld(t.db, TODAY);
    near = await event(w.programId, w.cycleId, addDays(TODAY, -2));
    far = await event(w.programId, w.cycleId, addDays(TODAY, -40));
    cancelled = await event(w.programId, w.cycleId, addDays(TODAY, -1), "cancelled");
    const other = await createTestProgram(t.db, { id: w.users.plo.id, name: w.users.plo.name }, { name: "Another rollout" });
    elsewhere = await event(
      other.id,
      await insertCycle(t.db, other.id, { startsOn: addDays(TODAY, -30), endsOn: addDays(TODAY, 30) }),
      TODAY,
    );
  });

  const input = (extra: Partial<SessionInput> = {}): SessionInput => ({
    ...sessionSchema().parse({ teamId: w.teamId, heldOn: TODAY, type: "drafting", durationMinutes: "60", attendees: "6" }),
    ...extra,
  });

  it("offers the program's events near the date, nearest first, never cancelled ones or another program's", async () => {
    const choices = await eventChoicesNear(t.db, w.programId, TODAY);
    expect(choices.map((c) => c.id)).toEqual([near]);
    expect(choices[0].label).toBe(`Drafting workshop · ${addDays(TODAY, -2)} (2026-Q4)`);
    expect((await eventChoicesNear(t.db, w.programId, TODAY, far)).map((c) => c.id)).toEqual([near, far]);
  });

  it("a coach links their session to the event; it is listed on the event, and a later edit without the field keeps it", async () => {
    const coach = await loadViewer(t.db, { id: w.users.coach.id, name: w.users.coach.name, role: "coach" }, w.programId);
    const logged = await logSession(t.db, coach, w.programId, input({ cycleEventId: near }));
    expect((await getSupportSession(t.db, coach, w.programId, logged.id))?.cycleEventId).toBe(near);
    expect(await sessionsOfEvent(t.db, w.programId, near)).toMatchObject([
      { id: logged.id, teamName: "Warehouse", coachName: "Cora Coach", type: "drafting", durationMinutes: 60 },
    ]);
    await updateSession(t.db, coach, w.programId, logged.id, { ...input({ durationMinutes: 90 }), cycleEventId: undefined });
    expect((await getSupportSession(t.db, coach, w.programId, logged.id))?.cycleEventId).toBe(near);
    await updateSession(t.db, coach, w.programId, logged.id, input({ cycleEventId: null }));
    expect(await sessionsOfEvent(t.db, w.programId, near)).toEqual([]);
  });

  it("an event far from the date, a cancelled one or another program's is a 400 beside the field", async () => {
    const coach = await loadViewer(t.db, { id: w.users.coach.id, name: w.users.coach.name, role: "coach" }, w.programId);
    for (const id of [far, cancelled, elsewhere, "nope"]) {
      const refused = logSession(t.db, coach, w.programId, input({ cycleEventId: id }));
      await expect(refused).rejects.toBeInstanceOf(FieldError);
      await expect(refused).rejects.toMatchObject({ fields: { cycleEventId: UNKNOWN_EVENT_MESSAGE } });
    }
  });
});
