import { beforeAll, describe, expect, it } from "vitest";
import { carryForward, carryForwardPreview } from "~/models/cycles/carry-forward.server";
import { retroPage, saveRetro } from "~/models/cycles/retros.server";
import { saveScores, scoreSheet } from "~/models/cycles/scoring.server";
import { ConflictError, ForbiddenError } from "~/models/errors";
import { today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";

// The end of a cycle: scores per key result and weighted per objective, the team's
// retrospective (feeding the learnings library once), and carrying unfinished objectives forward.

const TODAY = today();
let w: CheckInWorld;
let t: ReturnType<typeof useTestDatabase>;

const as = (key: keyof CheckInWorld["users"], role: "admin" | "plo" | "coach" | "sponsor" | "team_lead" | "member") => ({
  id: w.users[key].id,
  name: w.users[key].name,
  role,
});

describe("closing a cycle", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await checkInWorld(t.db, TODAY);
  });

  it("suggests scores from progress and weighs objective scores by key result weights", async () => {
    await t.db.updateTable("key_results").set({ weight: 3 }).where("id", "=", w.keyResultIds[0]).execute();
    const sheet = await scoreSheet(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY);
    const krs = sheet.objectives[0].keyResults;
    expect(krs[0].flags.progress).toBeCloseTo(10 / 30);
    const rows = krs.map((kr, i) => ({ keyResultId: kr.id, version: kr.version, score: [1, 0.4, 0][i] }));
    await saveScores(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, rows);
    const objective = await t.db.selectFrom("objectives").select("score").where("id", "=", w.objectiveIds[0]).executeTakeFirstOrThrow();
    expect(objective.score).toBe(0.68); // (3·1 + 1·0.4 + 1·0) / 5
  });

  it("refuses scores from members, coaches, and at a stale version", async () => {
    const kr = await t.db.selectFrom("key_results").select(["id", "version"]).where("id", "=", w.keyResultIds[3]).executeTakeFirstOrThrow();
    const row = { keyResultId: kr.id, version: kr.version, score: 0.5 };
    await expect(saveScores(t.db, as("member", "member"), w.programId, w.cycleId, w.teamId, [row])).rejects.toThrow(ForbiddenError);
    await expect(saveScores(t.db, as("coach", "coach"), w.programId, w.cycleId, w.teamId, [row])).rejects.toThrow(/never enter/);
    await saveScores(t.db, as("plo", "plo"), w.programId, w.cycleId, w.teamId, [row]);
    await expect(saveScores(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, [row])).rejects.toThrow(ConflictError);
  });

  it("records the retrospective, lets the coach facilitate it, and shares it to the library once", async () => {
    const input = {
      wentWell: "Weekly check-ins",
      toImprove: "Fewer key results",
      processFeedback: "Drafting took too long",
      heldOn: TODAY,
      version: 0,
      share: true,
    };
    const first = await saveRetro(t.db, as("coach", "coach"), w.programId, w.cycleId, w.teamId, input, TODAY);
    expect(first.created).toBe(true);
    expect(first.learningId).not.toBeNull();
    const again = await saveRetro(
      t.db,
      as("teamLead", "team_lead"),
      w.programId,
      w.cycleId,
      w.teamId,
      { ...input, version: 1, toImprove: "Two key results" },
      TODAY,
    );
    expect(again.learningId).toBe(first.learningId);
    const learnings = await t.db.selectFrom("learnings").select(["body"]).where("team_id", "=", w.teamId).execute();
    expect(learnings).toHaveLength(1);
    expect(learnings[0].body).toContain("Two key results");
    await expect(saveRetro(t.db, as("plo", "plo"), w.programId, w.cycleId, w.teamId, { ...input, version: 1 }, TODAY)).rejects.toThrow(
      ConflictError,
    );
    await expect(retroPage(t.db, as("sponsor", "sponsor"), w.programId, w.cycleId, w.teamId, TODAY)).rejects.toThrow(ForbiddenError);
    const member = await retroPage(t.db, as("member", "member"), w.programId, w.cycleId, w.teamId, TODAY);
    expect(member.rights).toEqual({ read: true, edit: false });
  });

  it("carries unfinished objectives and their unfinished key results forward once, linked to their source", async () => {
    await t.db.updateTable("key_results").set({ milestone_done: true }).where("id", "=", w.keyResultIds[2]).execute();
    const preview = await carryForwardPreview(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId);
    expect(preview.next?.id).toBe(w.nextCycleId);
    expect(preview.objectives.map((o) => o.keyResults.length)).toEqual([2, 1]);
    const first = await carryForward(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY);
    expect(first).toMatchObject({ created: 2, skipped: 0 });
    const second = await carryForward(t.db, as("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY);
    expect(second).toMatchObject({ created: 0, skipped: 2 });
    const copies = await t.db
      .selectFrom("objectives")
      .select(["id", "carried_from_id", "state"])
      .where("cycle_id", "=", w.nextCycleId)
      .where("team_id", "=", w.teamId)
      .execute();
    expect(copies.map((c) => c.carried_from_id).sort()).toEqual([...w.objectiveIds].sort());
    expect(copies.every((c) => c.state === "draft")).toBe(true);
    const krs = await t.db
      .selectFrom("key_results")
      .select(["title", "start_value", "target_value"])
      .where("cycle_id", "=", w.nextCycleId)
      .orderBy("title")
      .execute();
    expect(krs.map((kr) => kr.title)).toEqual(["Near misses reported", "Orders shipped same day", "Picking errors per week"]);
    expect(krs.find((kr) => kr.title === "Orders shipped same day")?.start_value).toBe(70);
    await expect(carryForward(t.db, as("member", "member"), w.programId, w.cycleId, w.teamId, TODAY)).rejects.toThrow(ForbiddenError);
  });
});
