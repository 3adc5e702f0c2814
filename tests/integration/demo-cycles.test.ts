import { describe, expect, it } from "vitest";
import { seedDemo } from "../../db/seed/demo";
import { cycleChecklists } from "~/models/cycles/checklist.server";
import { useTestDatabase } from "../support/database";

// The demo's OKR cycles: the finished pilot has two closed quarters that were checked in on,
// scored and looked back on; the rollout's current cycle is mid-way with teams in every state of
// the checklist, from no set at all to model teams checking in on cadence.

// Loading the whole demo takes a while on a busy machine: a generous limit, not a speed assertion.
describe("the demo's OKR cycles", { timeout: 300_000 }, () => {
  const t = useTestDatabase({ demo: true });

  it("gives the pilot two closed cycles with check-ins, scores, retrospectives and a carried-forward objective", async () => {
    await seedDemo(t.db);
    const pilot = await t.db.selectFrom("programs").select("id").where("status", "=", "completed").executeTakeFirstOrThrow();
    const cycles = await t.db
      .selectFrom("cycles")
      .select(["id", "name", "state"])
      .where("program_id", "=", pilot.id)
      .orderBy("starts_on")
      .execute();
    expect(cycles.map((c) => [c.name, c.state])).toEqual([
      ["2026-Q1", "closed"],
      ["2026-Q2", "closed"],
    ]);
    for (const cycle of cycles) {
      const krs = await t.db
        .selectFrom("key_results")
        .select(["id", "score", "last_check_in_at"])
        .where("cycle_id", "=", cycle.id)
        .execute();
      expect(krs.length).toBeGreaterThan(5);
      expect(
        krs.every((k) => k.score !== null && k.last_check_in_at !== null),
        `every key result of ${cycle.name} scored`,
      ).toBe(true);
      const checkIns = await t.db
        .selectFrom("check_ins as c")
        .innerJoin("key_results as k", "k.id", "c.key_result_id")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("k.cycle_id", "=", cycle.id)
        .executeTakeFirstOrThrow();
      expect(Number(checkIns.n)).toBeGreaterThanOrEqual(krs.length * 4);
      const objectives = await t.db
        .selectFrom("objectives")
        .select(["score"])
        .where("cycle_id", "=", cycle.id)
        .where("level", "=", "team")
        .execute();
      expect(objectives.every((o) => o.score !== null && o.score >= 0 && o.score <= 1)).toBe(true);
      const checklists = await cycleChecklists(t.db, pilot.id, cycle.id);
      const withSets = checklists.filter((c) => c.drafted);
      expect(withSets.length).toBe(5);
      expect(withSets.every((c) => c.scored && c.retroHeld)).toBe(true);
    }
    const carried = await t.db
      .selectFrom("objectives")
      .select("id")
      .where("cycle_id", "=", cycles[1].id)
      .where("carried_from_id", "is not", null)
      .execute();
    expect(carried.length).toBeGreaterThan(0);
  });

  it("puts the rollout's current cycle mid-way, with teams not drafted, drafting, stale and on cadence", async () => {
    await seedDemo(t.db);
    const rollout = await t.db.selectFrom("programs").select("id").where("status", "=", "active").executeTakeFirstOrThrow();
    const cycle = await t.db.selectFrom("cycles").select(["id", "state"]).where("program_id", "=", rollout.id).executeTakeFirstOrThrow();
    expect(cycle.state).toBe("executing");
    const checklists = await cycleChecklists(t.db, rollout.id, cycle.id);
    const notDrafted = checklists.filter((c) => !c.drafted);
    const drafting = checklists.filter((c) => c.drafted && !c.qualityPassed);
    const onCadence = checklists.filter((c) => c.onCadence);
    const stale = checklists.filter((c) => c.drafted && c.approved && !c.onCadence);
    expect(notDrafted.length).toBeGreaterThan(0);
    expect(drafting.length).toBeGreaterThan(0);
    expect(onCadence.length).toBeGreaterThanOrEqual(2);
    expect(onCadence.every((c) => c.qualityPassed && c.aligned && c.approved)).toBe(true);
    expect(stale.length).toBeGreaterThanOrEqual(1);
    expect(checklists.some((c) => c.midReviewHeld)).toBe(true);
  });
});
