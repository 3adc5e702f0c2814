import { beforeAll, describe, expect, it } from "vitest";
import { getTeamPlace } from "~/models/plan/program-teams.server";
import { decideProposals, freedCapacity, graduationProposals, recentDecisions, saveRules } from "~/models/health/graduation.server";
import { loadHealthData } from "~/models/health/health.server";
import { today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";

// Graduation proposals from the data, confirmed or rejected in bulk in one transaction, with the
// status history, the decisions and the audit log; rejected proposals stay away; freed capacity.

const TODAY = today();
let w: GraduationWorld;
let t: ReturnType<typeof useTestDatabase>;

async function proposals() {
  return graduationProposals(t.db, w.programId, await loadHealthData(t.db, w.programId, TODAY));
}

const actor = () => ({ id: w.users.plo.id, name: w.users.plo.name });

describe("graduation", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await graduationWorld(t.db, TODAY);
  });

  it("proposes what the data supports, with the evidence", async () => {
    const { proposals: rows, rules } = await proposals();
    expect(rules.custom).toBe(false);
    expect(rows.map((p) => [p.teamName, p.from, p.to])).toEqual([
      ["Alpha", "running", "self_sufficient"],
      ["Bravo", "running", "self_sufficient"],
      ["Charlie", "running", "self_sufficient"],
      ["Echo", "onboarding", "first_cycle"],
      ["Foxtrot", "onboarding", "first_cycle"],
    ]);
    expect(rows[0].evidence.map((e) => e.text)).toEqual([
      "2026-Q2: 5 of 5 check-in windows kept (100 %)",
      "2026-Q2: 100 % of the key results scored",
      "2026-Q3: 5 of 5 check-in windows kept (100 %)",
      "2026-Q3: 100 % of the key results scored",
      "2026-Q3: retrospective run by the team itself",
      expect.stringMatching(/^Coach's latest maturity rating: 4 of 5/),
      "No required training for the team's people",
    ]);
  });

  it("confirms in bulk in one transaction: statuses, status history, decisions and one audit event", async () => {
    const { proposals: rows } = await proposals();
    const chosen = rows.filter((p) => ["Alpha", "Bravo", "Echo"].includes(p.teamName)).map((p) => p.key);
    const result = await decideProposals(t.db, actor(), w.programId, { decision: "confirm", proposal: chosen, reason: "" }, TODAY);
    expect(result.decided).toBe(3);
    expect(result.stale).toEqual([]);
    const alpha = await getTeamPlace(t.db, w.programId, w.teams.alpha);
    expect(alpha?.place.status).toBe("self_sufficient");
    expect(alpha?.history[0]).toMatchObject({ fromStatus: "running", toStatus: "self_sufficient", changedOn: TODAY });
    expect((await getTeamPlace(t.db, w.programId, w.teams.echo))?.place.status).toBe("first_cycle");
    const events = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "graduation.confirmed").execute();
    expect(events).toHaveLength(1);
    expect(events[0].summary).toBe("Confirmed the status moves of 3 teams: 2 Running → Self-sufficient, 1 Onboarding → First cycle");
    expect((await recentDecisions(t.db, w.programId)).map((d) => d.decision)).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect((await proposals()).proposals.map((p) => p.teamName)).toEqual(["Charlie", "Foxtrot"]);
  });

  it("leaves a proposal that no longer stands alone, and refuses when none stands", async () => {
    const stale = `${w.teams.alpha}:running:self_sufficient`;
    const { proposals: rows } = await proposals();
    const charlie = rows.find((p) => p.teamName === "Charlie")!.key;
    await expect(
      decideProposals(t.db, actor(), w.programId, { decision: "confirm", proposal: [stale], reason: "" }, TODAY),
    ).rejects.toThrow(/no longer stands|None of the selected/);
    const result = await decideProposals(
      t.db,
      actor(),
      w.programId,
      { decision: "reject", proposal: [stale, charlie], reason: "Wait a cycle" },
      TODAY,
    );
    expect(result).toMatchObject({ decided: 1, stale: [stale] });
    expect((await getTeamPlace(t.db, w.programId, w.teams.charlie))?.place.status).toBe("running");
    const after = await proposals();
    expect(after.proposals.map((p) => p.teamName)).toEqual(["Foxtrot"]);
    expect(after.rejectedHidden).toBe(1);
  });

  it("follows the rules the PLO sets: two windows of five are enough for Delta with one cycle at 40 %", async () => {
    await saveRules(t.db, actor(), w.programId, {
      consecutiveCycles: 1,
      minWindowsPercent: 40,
      requireScored: true,
      requireTeamRetro: true,
      minMaturity: 4,
      requireTraining: true,
    });
    expect((await proposals()).proposals.map((p) => p.teamName)).toEqual(["Delta", "Foxtrot"]);
  });

  it("shows the coach places self-sufficient teams still hold", async () => {
    await t.db
      .insertInto("coach_assignments")
      .values({ id: crypto.randomUUID(), program_id: w.programId, coach_id: w.coachId, team_id: w.teams.alpha, starts_on: "2026-01-01" })
      .execute();
    const freed = await freedCapacity(t.db, w.programId, TODAY);
    expect(freed).toMatchObject({ teams: 1, places: 1 });
    expect(freed.byCoach[0].teams).toEqual(["Alpha"]);
  });
});
