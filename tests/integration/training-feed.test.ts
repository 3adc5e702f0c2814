import { describe, expect, it } from "vitest";
import { renderFeed, userForFeedSecret, createFeedToken } from "~/models/cycles/calendar-feed.server";
import "~/models/enablement/calendar.server";
import { addDays, today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { checkInWorld } from "../support/okr-builders";

// Enablement's training sessions in the per-user iCal feed: a participant and the trainer see
// their sessions at their instant (in UTC), a cancelled session and other people's are not there.

describe("training sessions in the calendar feed", () => {
  const t = useTestDatabase();

  it("puts a member's and a trainer's training sessions into their feeds, at the session's instant", async () => {
    const TODAY = today();
    const w = await checkInWorld(t.db, TODAY);
    const moduleId = crypto.randomUUID();
    await t.db
      .insertInto("enablement_modules")
      .values({
        id: moduleId,
        program_id: w.programId,
        title: "Writing key results",
        kind: "fundamentals",
        delivery: "live",
        duration_minutes: 90,
      })
      .execute();
    const day = addDays(TODAY, 10);
    const session = async (state: "open" | "cancelled", hour: string) => {
      const id = crypto.randomUUID();
      await t.db
        .insertInto("enablement_sessions")
        .values({
          id,
          program_id: w.programId,
          module_id: moduleId,
          starts_at: new Date(`${day}T${hour}:00:00Z`),
          duration_minutes: 90,
          time_zone: "Europe/Berlin",
          location: "Room 4",
          trainer_user_id: w.users.coach.id,
          capacity: 10,
          state,
        })
        .execute();
      await t.db.insertInto("enablement_roster").values({ session_id: id, person_id: w.memberPersonId, status: "registered" }).execute();
      return id;
    };
    const open = await session("open", "13");
    await session("cancelled", "08");

    const feedOf = async (user: { id: string; name: string }) => {
      const { secret } = await createFeedToken(t.db, user);
      const feedUser = await userForFeedSecret(t.db, secret);
      return (await renderFeed(t.db, feedUser!, TODAY, "https://rollout.example.com")).replace(/\r\n /g, "");
    };
    const member = await feedOf(w.users.member);
    expect(member).toContain(`UID:training-${open}@rollout-desk`);
    expect(member).toContain("SUMMARY:Training: Writing key results");
    expect(member).toContain(`DTSTART:${day.replaceAll("-", "")}T130000Z`);
    expect(member).toContain(`DTEND:${day.replaceAll("-", "")}T143000Z`);
    expect(member).toContain("LOCATION:Room 4");
    expect(member).toContain("You are registered.");
    expect(member).toContain(`URL;VALUE=URI:https://rollout.example.com/programs/${w.programId}/enablement/mine`);
    expect(member.match(/UID:training-/g)).toHaveLength(1);

    const trainer = await feedOf(w.users.coach);
    expect(trainer).toContain("SUMMARY:Training (you train): Writing key results");
    expect(trainer).toContain(`/programs/${w.programId}/enablement/sessions/${open}`);

    const sponsor = await feedOf(w.users.sponsor);
    expect(sponsor).not.toContain("UID:training-");
  });
});
