import { describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { ConflictError } from "~/models/errors";
import { clearOverride, liveStatus, setOverride } from "~/models/reports/status.server";
import { addDays, today as todayDay } from "~/utils/dates";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { buildSmallRollout } from "../support/reports";

describe("the live status of a program", () => {
  const t = useTestDatabase();
  const today = todayDay();

  async function setUp() {
    const user = await createTestUser(t.db, { role: "plo" });
    const actor: Actor = { id: user.id, name: user.name };
    const rollout = await buildSmallRollout(t.db, actor, today);
    const program = (await t.db.selectFrom("programs").selectAll().where("id", "=", rollout.programId).executeTakeFirstOrThrow())!;
    return { actor, rollout, program };
  }

  it("judges each dimension on the program's figures, with its reason", async () => {
    const { program } = await setUp();
    const status = await liveStatus(t.db, program, { unitId: null }, today);
    const byKey = Object.fromEntries(status.dimensions.map((d) => [d.key, d]));
    expect(byKey.schedule.computed).toMatchObject({ colour: "red", reason: "3 milestones more than 14 days late" });
    expect(byKey.schedule.computed.figures).toMatchObject({
      lateMilestones: 4,
      lateOverThreshold: 3,
      teamsInStartedWaves: 4,
      teamsNotStartedLate: 2,
    });
    expect(byKey.coverage.computed).toMatchObject({ colour: "red", reason: "3 teams of 6 in waves without a primary coach (50%)" });
    expect(byKey.risks.computed).toMatchObject({ colour: "red", figures: { active: 2, high: 1, highUnmitigated: 1 } });
    expect(byKey.stakeholders.computed).toMatchObject({ colour: "amber", figures: { total: 2, overdue: 1, overdueHighInfluence: 1 } });
    expect(byKey.budget.computed).toMatchObject({ colour: "not_measured", figures: { coachingHours: 3 } });
    expect(byKey.decisions.computed.colour).toBe("green");
    expect(byKey.enablement.computed.colour).toBe("not_measured");
    expect(byKey.adoption.computed.colour).toBe("not_measured");
    expect(status.overall).toEqual({ colour: "red", reason: "Red: schedule, coach coverage, risks." });
  });

  it("never carries a session note or a stakeholder attitude", async () => {
    const { program } = await setUp();
    const text = JSON.stringify(await liveStatus(t.db, program, { unitId: null }, today)).toLowerCase();
    expect(text).not.toContain("sceptic");
    expect(text).not.toContain("private note");
  });

  it("draws the burn-up from the status history and the plan from the waves' start dates", async () => {
    const { program } = await setUp();
    const { charts } = await liveStatus(t.db, program, { unitId: null }, today);
    expect(charts.burnUp.actual).toEqual([
      { day: addDays(today, -25), teams: 1 },
      { day: addDays(today, -22), teams: 2 },
    ]);
    expect(charts.burnUp.plan).toEqual([
      { day: addDays(today, -30), teams: 4, wave: "Wave 1" },
      { day: addDays(today, 30), teams: 6, wave: "Wave 2" },
    ]);
    expect(charts.coverage.map((b) => [b.wave, b.teams, b.withCoach])).toEqual([
      ["Wave 1", 4, 3],
      ["Wave 2", 2, 0],
    ]);
    expect(charts.healthByWave).toEqual([
      { wave: "Wave 1", score: null },
      { wave: "Wave 2", score: null },
    ]);
  });

  it("scoped to a division, counts only that division's teams", async () => {
    const { program, rollout } = await setUp();
    const status = await liveStatus(t.db, program, { unitId: rollout.units.sales }, today);
    const coverage = status.dimensions.find((d) => d.key === "coverage")!;
    expect(coverage.computed.figures).toMatchObject({ teamsInWaves: 2, teamsWithCoach: 1 });
    const schedule = status.dimensions.find((d) => d.key === "schedule")!;
    expect(schedule.computed.figures).toMatchObject({ teamsInStartedWaves: 1, teamsNotStartedLate: 1 });
  });

  it("counts the coaching held up to today through every change of the sessions, in the program and scope only", async () => {
    const { actor, program, rollout } = await setUp();
    const hours = async (unitId: string | null = null, day = today) => {
      const status = await liveStatus(t.db, program, { unitId }, day);
      return status.dimensions.find((d) => d.key === "budget")!.computed.figures.coachingHours;
    };
    const session = (teamIndex: number, heldIn: number, minutes: number) => ({
      id: crypto.randomUUID(),
      program_id: rollout.programId,
      coach_id: rollout.coachId,
      team_id: rollout.teams[teamIndex],
      held_on: addDays(today, heldIn),
      type: "drafting" as const,
      duration_minutes: minutes,
    });
    expect(await hours()).toBe(3); // the rollout's two sessions of 90 minutes
    const later = session(3, 10, 60);
    const sales = session(3, -1, 30);
    await t.db
      .insertInto("support_sessions")
      .values([later, sales, session(4, -2, 45)])
      .execute();
    // The session in ten days is not held yet; it counts from its day on.
    expect(await hours()).toBe(4.3);
    expect(await hours(null, addDays(today, 10))).toBe(5.3);
    expect(await hours(rollout.units.sales)).toBe(0.5);
    await t.db
      .updateTable("support_sessions")
      .set({ duration_minutes: 90, team_id: rollout.teams[0] })
      .where("id", "=", sales.id)
      .execute();
    expect(await hours()).toBe(5.3);
    expect(await hours(rollout.units.sales)).toBe(0);
    await t.db
      .updateTable("support_sessions")
      .set({ held_on: addDays(today, -3) })
      .where("id", "=", later.id)
      .execute();
    expect(await hours()).toBe(6.3);
    await t.db.deleteFrom("support_sessions").where("id", "in", [later.id, sales.id]).execute();
    expect(await hours()).toBe(3.8);
    // Another program's sessions of the same team never count here.
    const other = await createTestProgram(t.db, actor, { status: "active" });
    await t.db
      .insertInto("support_sessions")
      .values({ ...session(0, -1, 600), program_id: other.id })
      .execute();
    expect(await hours()).toBe(3.8);
    // An archived team leaves the figure (as it leaves every figure of the status).
    await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", rollout.teams[4]).execute();
    expect(await hours()).toBe(3);
  });

  it("a PLO override counts, keeps the computed colour beside it, is audited and can be cleared once", async () => {
    const { program, actor } = await setUp();
    await setOverride(t.db, actor, program.id, { dimension: "coverage", colour: "amber", reason: "Two coaches start on Monday" });
    let status = await liveStatus(t.db, program, { unitId: null }, today);
    const coverage = status.dimensions.find((d) => d.key === "coverage")!;
    expect(coverage.colour).toBe("amber");
    expect(coverage.computed.colour).toBe("red");
    expect(coverage.override).toMatchObject({ colour: "amber", reason: "Two coaches start on Monday", by: actor.name });

    // A second override replaces the first.
    await setOverride(t.db, actor, program.id, { dimension: "coverage", colour: "green", reason: "Covered from next week" });
    status = await liveStatus(t.db, program, { unitId: null }, today);
    expect(status.dimensions.find((d) => d.key === "coverage")!.override?.reason).toBe("Covered from next week");

    await clearOverride(t.db, actor, program.id, "coverage");
    status = await liveStatus(t.db, program, { unitId: null }, today);
    expect(status.dimensions.find((d) => d.key === "coverage")!).toMatchObject({ colour: "red", override: null });
    await expect(clearOverride(t.db, actor, program.id, "coverage")).rejects.toBeInstanceOf(ConflictError);

    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("program_id", "=", program.id)
      .where("entity_type", "=", "status_override")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["status.overridden", "status.overridden", "status.override_cleared"]);
    expect(audit[0].summary).toBe("Set coach coverage to amber: “Two coaches start on Monday”");
  });
});
