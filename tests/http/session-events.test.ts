import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, today } from "~/utils/dates";
import { HttpClient } from "../support/http-client";
import { decodeEntities, signIn } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Over HTTP, as a browser without JavaScript: a coach logs a support session naming the cycle
// event it delivered, and the PLO sees it on the event's page; the member's calendar feed holds
// their training session.

const TODAY = today();
let server: RunningServer;
let w: CheckInWorld & { eventId: string; trainingId: string };

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer(async (db) => {
    const world = await checkInWorld(db, TODAY);
    const eventId = crypto.randomUUID();
    await db
      .insertInto("cycle_events")
      .values({
        id: eventId,
        cycle_id: world.cycleId,
        program_id: world.programId,
        kind: "mid_cycle_review",
        occurs_on: addDays(TODAY, -1),
        state: "held",
      })
      .execute();
    const moduleId = crypto.randomUUID();
    await db
      .insertInto("enablement_modules")
      .values({
        id: moduleId,
        program_id: world.programId,
        title: "Check-ins that matter",
        kind: "fundamentals",
        delivery: "live",
        duration_minutes: 60,
      })
      .execute();
    const trainingId = crypto.randomUUID();
    await db
      .insertInto("enablement_sessions")
      .values({
        id: trainingId,
        program_id: world.programId,
        module_id: moduleId,
        starts_at: new Date(`${addDays(TODAY, 5)}T09:00:00Z`),
        duration_minutes: 60,
        capacity: 12,
        state: "open",
      })
      .execute();
    await db
      .insertInto("enablement_roster")
      .values({ session_id: trainingId, person_id: world.memberPersonId, status: "invited" })
      .execute();
    return { ...world, eventId, trainingId };
  }));
});
afterAll(async () => {
  await server?.stop();
});

describe("a session that delivered a cycle event", () => {
  it("the coach picks the event on the session form; the PLO sees the session on the event's page", async () => {
    const coach = await signIn(server.url, { email: w.users.coach.email, password: w.password });
    const form = decodeEntities(await (await coach.get(`/programs/${w.programId}/sessions/new?team=${w.teamId}`)).text());
    expect(form).toContain("Cycle event it delivered");
    expect(form).toContain(`<option value="${w.eventId}">Mid-cycle review · ${addDays(TODAY, -1)} (2026-Q4)</option>`);
    const session = {
      teamId: w.teamId,
      heldOn: TODAY,
      type: "review",
      durationMinutes: "45",
      attendees: "6",
      notes: "Private notes of the coach",
    };
    const far = await coach.post(`/programs/${w.programId}/sessions/new`, { ...session, cycleEventId: "not-an-event" });
    expect(far.status).toBe(400);
    expect(decodeEntities(await far.text())).toContain("Choose one of this program's events within 21 days of the session's date.");
    const logged = await coach.post(`/programs/${w.programId}/sessions/new`, { ...session, cycleEventId: w.eventId });
    expect(logged.status).toBe(302);

    const plo = await signIn(server.url, { email: w.users.plo.email, password: w.password });
    const page = decodeEntities(await (await plo.get(`/programs/${w.programId}/cycles/${w.cycleId}/events/${w.eventId}`)).text());
    expect(page).toMatch(/Support sessions that delivered it[\s\S]*Warehouse[\s\S]*Cora Coach[\s\S]*Review/);
    expect(page).not.toContain("Private notes of the coach");
  });

  it("the member's calendar feed holds the training session they are invited to", async () => {
    const member = await signIn(server.url, { email: w.users.member.email, password: w.password });
    const made = await member.post("/account/calendar", { intent: "create" });
    const url = /value="(https?:\/\/[^"]+\/calendar\/[\w-]+\.ics)"/.exec(await made.text())?.[1];
    if (!url) throw new Error("no feed address on the page");
    const feed = (await (await new HttpClient(server.url).get(new URL(url).pathname)).text()).replace(/\r\n /g, "");
    expect(feed).toContain(`UID:training-${w.trainingId}@rollout-desk`);
    expect(feed).toContain("SUMMARY:Training: Check-ins that matter");
    expect(feed).toContain(`DTSTART:${addDays(TODAY, 5).replaceAll("-", "")}T090000Z`);
  });
});
