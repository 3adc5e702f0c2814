import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { loadOkrViewer } from "~/models/cycles/access.server";
import { createFeedToken, renderFeed, revokeFeedTokens, userForFeedSecret } from "~/models/cycles/calendar-feed.server";
import { createCycle, createEvent, createNextCycle, firstDraftingEvents, listCycleEvents } from "~/models/cycles/cycles.server";
import {
  addComment,
  changeObjectiveState,
  createKeyResult,
  createObjective,
  resolveComment,
  setQuality,
  teamObjectives,
  updateKeyResult,
  updateObjective,
} from "~/models/cycles/okrs.server";
import { checkQuality, isTaskLike } from "~/models/cycles/quality";
import { ConflictError, ForbiddenError } from "~/models/errors";
import type { DB } from "~/utils/db.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";

// OKR cycles against a real database: the next cycle's shifted calendar, who may change a team's
// set, the version check on concurrent edits, the quality score, comments, the iCal feed.

const TODAY = "2027-01-10";
const unique = () => randomBytes(3).toString("hex");

async function person(db: DB, userId: string | null, teamId: string | null = null) {
  const id = crypto.randomUUID();
  await db
    .insertInto("people")
    .values({ id, name: `Person ${unique()}`, email: `p-${unique()}@example.com`, user_id: userId, team_id: teamId })
    .execute();
  return id;
}

async function world(db: DB) {
  const admin = await createTestUser(db, { role: "admin" });
  const program = await createTestProgram(db, admin, { name: `Program ${unique()}` });
  const unitId = crypto.randomUUID();
  await db
    .insertInto("org_units")
    .values({ id: unitId, name: `Unit ${unique()}` })
    .execute();
  const teamId = crypto.randomUUID();
  await db
    .insertInto("teams")
    .values({ id: teamId, name: `Team ${unique()}`, unit_id: unitId })
    .execute();
  const account = async (role: Role, link: "lead" | "member" | "coach" | null = null) => {
    const user = await createTestUser(db, { role });
    const personId = await person(db, user.id, link === "member" ? teamId : null);
    if (link === "lead") await db.updateTable("teams").set({ lead_person_id: personId }).where("id", "=", teamId).execute();
    if (link === "coach") {
      const coachId = crypto.randomUUID();
      await db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: personId, capacity: 5 }).execute();
      await db
        .insertInto("coach_assignments")
        .values({ id: crypto.randomUUID(), program_id: program.id, coach_id: coachId, team_id: teamId, starts_on: "2026-12-01" })
        .execute();
    }
    return { user, personId, viewer: await loadOkrViewer(db, user) };
  };
  const plo = await account("plo");
  const { id: cycleId } = await createCycle(db, plo.viewer, program.id, {
    name: "2027-Q1",
    startsOn: "2027-01-04",
    endsOn: "2027-03-28",
    checkinCadenceDays: 14,
    maxObjectives: 2,
    template: true,
  });
  return { program, unitId, teamId, cycleId, plo, account };
}

const objective = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  description: "",
  type: "committed" as const,
  ownerEmail: null,
  parentIds: [] as string[],
  standaloneReason: null as string | null,
  ...extra,
});

const keyResult = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  kind: "metric" as const,
  startValue: 10,
  targetValue: 50,
  unit: "%",
  direction: "increase" as const,
  weight: 1,
  ownerEmail: null as string | null,
  ...extra,
});

describe("OKR cycles", () => {
  const t = useTestDatabase();

  it("the next cycle starts the day after, lasts as long and gets the events shifted by the cycle's length", async () => {
    const { program, cycleId, plo } = await world(t.db);
    await createEvent(t.db, plo.viewer, program.id, cycleId, {
      kind: "other",
      title: "Drafting clinic",
      occursOn: "2027-01-06",
      startsAt: "13:00",
      durationMinutes: 60,
      scope: "all",
      waveId: null,
      unitId: null,
      facilitatorEmail: null,
      location: "Room 4",
      state: "held",
      notes: "",
    });
    const before = await listCycleEvents(t.db, cycleId);
    const { id, shiftDays } = await createNextCycle(t.db, plo.viewer, program.id, cycleId, "2027-Q2");
    expect(shiftDays).toBe(84);
    const next = await t.db.selectFrom("cycles").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect([next.starts_on, next.ends_on, next.previous_cycle_id, next.max_objectives]).toEqual(["2027-03-29", "2027-06-20", cycleId, 2]);
    const after = await listCycleEvents(t.db, id);
    expect(after.map((e) => e.occursOn)).toEqual(before.map((e) => addDaysIso(e.occursOn, 84)));
    const clinic = after.find((e) => e.title === "Drafting clinic");
    expect(clinic).toMatchObject({ occursOn: "2027-03-31", startsAt: "13:00", location: "Room 4", state: "planned" });
  });

  it("a team lead edits their set, a coach only drafts of a team they coach, a sponsor and a member nothing", async () => {
    const { program, cycleId, teamId, account } = await world(t.db);
    const lead = await account("team_lead", "lead");
    const coach = await account("coach", "coach");
    const sponsor = await account("sponsor");
    const member = await account("member", "member");
    const target = { level: "team" as const, teamId };
    const { id } = await createObjective(t.db, lead.viewer, program.id, cycleId, target, objective("Delight customers"), TODAY);
    await expect(createObjective(t.db, sponsor.viewer, program.id, cycleId, target, objective("No"), TODAY)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(createObjective(t.db, member.viewer, program.id, cycleId, target, objective("No"), TODAY)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await updateObjective(t.db, coach.viewer, program.id, id, { ...objective("Delight our customers"), version: 1 }, TODAY);
    await changeObjectiveState(t.db, lead.viewer, program.id, id, "in_review", 2, TODAY);
    await changeObjectiveState(t.db, lead.viewer, program.id, id, "approved", 3, TODAY);
    const refused = updateObjective(t.db, coach.viewer, program.id, id, { ...objective("Coach edit"), version: 4 }, TODAY);
    await expect(refused).rejects.toThrow(/only drafts can be changed by a coach/);
    await expect(changeObjectiveState(t.db, coach.viewer, program.id, id, "active", 4, TODAY)).rejects.toBeInstanceOf(ForbiddenError);
    const [set] = await teamObjectives(t.db, cycleId, teamId);
    expect([set.title, set.state]).toEqual(["Delight our customers", "approved"]);
  });

  it("two edits of the same key result from the same version: the second gets a conflict with the first one's values", async () => {
    const { program, cycleId, teamId, account } = await world(t.db);
    const lead = await account("team_lead", "lead");
    const { id: objectiveId } = await createObjective(
      t.db,
      lead.viewer,
      program.id,
      cycleId,
      { level: "team", teamId },
      objective("O"),
      TODAY,
    );
    const { id } = await createKeyResult(t.db, lead.viewer, program.id, objectiveId, keyResult("NPS from 10 to 50"), TODAY);
    await updateKeyResult(t.db, lead.viewer, program.id, id, { ...keyResult("NPS from 10 to 60", { targetValue: 60 }), version: 1 }, TODAY);
    const error = await updateKeyResult(
      t.db,
      lead.viewer,
      program.id,
      id,
      { ...keyResult("NPS 10 → 70", { targetValue: 70 }), version: 1 },
      TODAY,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect((error as ConflictError).current).toMatchObject({ title: "NPS from 10 to 60", targetValue: 60, version: 2 });
  });

  it("the quality score rises as the set meets the checks", async () => {
    const { program, cycleId, teamId, account } = await world(t.db);
    const lead = await account("team_lead", "lead");
    const leadEmail = (await t.db.selectFrom("people").select("email").where("id", "=", lead.personId).executeTakeFirstOrThrow()).email;
    const score = async () => setQuality(await teamObjectives(t.db, cycleId, teamId), 2);
    expect((await score()).score).toBe(0);
    const { id } = await createObjective(
      t.db,
      lead.viewer,
      program.id,
      cycleId,
      { level: "team", teamId },
      objective("Faster releases"),
      TODAY,
    );
    await createKeyResult(t.db, lead.viewer, program.id, id, keyResult("Launch the new pipeline", { kind: "milestone" }), TODAY);
    const first = await score();
    expect(first.passed).toBe(false);
    await createKeyResult(
      t.db,
      lead.viewer,
      program.id,
      id,
      keyResult("Lead time from 10 to 2 days", { direction: "decrease", startValue: 10, targetValue: 2, ownerEmail: leadEmail }),
      TODAY,
    );
    await updateObjective(
      t.db,
      lead.viewer,
      program.id,
      id,
      { ...objective("Faster releases", { standaloneReason: "Team health" }), version: 1 },
      TODAY,
    );
    const second = await score();
    expect(second.score).toBeGreaterThan(first.score);
    expect(second.checks.find((c) => c.id === "wording")?.ok).toBe(false);
    expect(second.checks.find((c) => c.id === "targets_owners")?.problems).toEqual(["“Launch the new pipeline” needs an owner."]);
  });

  it("scores a complete set 100 and flags task-like wording only as a hint", () => {
    const kr = (title: string) => ({ id: title, title, kind: "metric" as const, targetValue: 5, ownerPersonId: "p" });
    const set = [
      {
        id: "o",
        title: "O",
        state: "draft",
        aligned: true,
        standaloneReason: null,
        keyResults: [kr("Churn from 8% to 5%"), kr("NPS to 40")],
      },
    ];
    expect(checkQuality(set, 3)).toMatchObject({ score: 100, passed: true });
    expect(isTaskLike("Implement SSO")).toBe(true);
    expect(isTaskLike("Complete 3 customer interviews")).toBe(false);
    const tasky = checkQuality([{ ...set[0], keyResults: [kr("Implement SSO"), kr("Launch the app")] }], 3);
    expect([tasky.score, tasky.passed]).toEqual([90, true]);
  });

  it("a coach's comment on a draft stays after the lead resolves it", async () => {
    const { program, cycleId, teamId, account } = await world(t.db);
    const lead = await account("team_lead", "lead");
    const coach = await account("coach", "coach");
    const other = await account("coach");
    const { id } = await createObjective(t.db, lead.viewer, program.id, cycleId, { level: "team", teamId }, objective("O"), TODAY);
    const { id: commentId } = await addComment(
      t.db,
      coach.viewer,
      program.id,
      { body: "Too vague?", objectiveId: id, keyResultId: null },
      TODAY,
    );
    await expect(
      addComment(t.db, other.viewer, program.id, { body: "Hi", objectiveId: id, keyResultId: null }, TODAY),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await resolveComment(t.db, lead.viewer, program.id, commentId, TODAY);
    const [set] = await teamObjectives(t.db, cycleId, teamId);
    expect(set.comments).toHaveLength(1);
    expect(set.comments[0]).toMatchObject({ body: "Too vague?", resolvedByLabel: lead.user.name });
  });

  it("the first drafting workshop of each team, and the lead's feed, revoked: no feed", async () => {
    const { program, cycleId, teamId, account } = await world(t.db);
    const drafting = await firstDraftingEvents(t.db, program.id);
    expect(drafting.get(teamId)).toBe("2026-12-28");
    const lead = await account("team_lead", "lead");
    const { secret } = await createFeedToken(t.db, lead.user);
    const stored = await t.db
      .selectFrom("calendar_feed_tokens")
      .select("secret_hash")
      .where("user_id", "=", lead.user.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(secret);
    const feedUser = await userForFeedSecret(t.db, secret);
    expect(feedUser?.id).toBe(lead.user.id);
    const ics = (await renderFeed(t.db, feedUser!, TODAY, "https://rollout.example.com")).replace(/\r\n /g, "");
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("SUMMARY:Drafting workshop · 2027-Q1");
    expect(ics).toContain(`https://rollout.example.com/programs/${program.id}/cycles/${cycleId}`);
    expect(await revokeFeedTokens(t.db, lead.user)).toBe(true);
    expect(await userForFeedSecret(t.db, secret)).toBeNull();
  });
});

function addDaysIso(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
