import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, describeRules, proposeFor, type TeamHistory } from "~/models/health/graduation";
import type { TeamCycleMetrics } from "~/models/health/metrics";

// The graduation rules on hand-made histories: which status move the app proposes, with what evidence.

function metrics(overrides: Partial<TeamCycleMetrics> = {}): TeamCycleMetrics {
  return {
    drafted: true,
    draftedOnTime: true,
    qualityScore: 90,
    alignedShare: 1,
    windowsDue: 6,
    windowsKept: 5,
    windowsMissed: 1,
    windowsShare: 5 / 6,
    updatedShare: 1,
    confidenceTrend: 0,
    scoredShare: 1,
    retroHeld: true,
    retroByTeam: true,
    supportMinutes: 0,
    trainedShare: null,
    ...overrides,
  };
}

function history(
  status: TeamHistory["status"],
  cycles: Array<[boolean, TeamCycleMetrics | null]>,
  extra: Partial<TeamHistory> = {},
): TeamHistory {
  return {
    teamId: "t1",
    status,
    cycles: cycles.map(([ended, m], i) => ({ id: `c${i + 1}`, name: `Q${i + 1}`, ended, metrics: m })),
    maturity: { rating: 4, on: "2027-03-20" },
    trained: { done: 6, total: 6 },
    ...extra,
  };
}

describe("graduation proposals", () => {
  it("proposes a running team with two good ended cycles as self-sufficient, with every piece of evidence", () => {
    const p = proposeFor(
      history("running", [
        [true, metrics()],
        [true, metrics({ windowsKept: 6, windowsShare: 1 })],
        [false, metrics()],
      ]),
      DEFAULT_RULES,
    );
    expect(p).toMatchObject({ from: "running", to: "self_sufficient", direction: "up", basis: "c3/c2" });
    expect(p!.evidence.map((e) => e.text)).toEqual([
      "Q1: 5 of 6 check-in windows kept (83 %)",
      "Q1: 100 % of the key results scored",
      "Q2: 6 of 6 check-in windows kept (100 %)",
      "Q2: 100 % of the key results scored",
      "Q2: retrospective run by the team itself",
      "Coach's latest maturity rating: 4 of 5 (2027-03-20)",
      "Required training met by 6 of 6 people",
    ]);
    expect(p!.evidence.every((e) => e.ok)).toBe(true);
  });

  it("holds a running team back on any unmet rule", () => {
    const good: Array<[boolean, TeamCycleMetrics | null]> = [
      [true, metrics()],
      [true, metrics()],
    ];
    expect(proposeFor(history("running", [[true, metrics()]]), DEFAULT_RULES)).toBeNull(); // one ended cycle only
    expect(proposeFor(history("running", [[true, metrics({ windowsKept: 4, windowsShare: 4 / 6 })], good[1]]), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", [[true, null], good[1]]), DEFAULT_RULES)).toBeNull(); // did not take part
    expect(proposeFor(history("running", [good[0], [true, metrics({ scoredShare: 0.5 })]]), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", [good[0], [true, metrics({ retroByTeam: false })]]), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", good, { maturity: { rating: 3, on: "2027-03-01" } }), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", good, { maturity: null }), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", good, { trained: { done: 5, total: 6 } }), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("running", good), DEFAULT_RULES)).not.toBeNull();
  });

  it("follows the program's own rules", () => {
    const h = history("running", [[true, metrics({ windowsKept: 4, windowsShare: 4 / 6, retroByTeam: false })]], {
      maturity: null,
      trained: { done: 1, total: 6 },
    });
    const lenient = {
      consecutiveCycles: 1,
      minWindowsPercent: 60,
      requireScored: true,
      requireTeamRetro: false,
      minMaturity: null,
      requireTraining: false,
    };
    expect(proposeFor(h, lenient)?.to).toBe("self_sufficient");
    expect(describeRules(lenient)).toEqual([
      "1 consecutive ended cycle with at least 60 % of the check-in windows kept",
      "every key result scored in that cycle",
    ]);
  });

  it("moves a team that drafted out of onboarding, and a team that closed a cycle to running", () => {
    expect(proposeFor(history("onboarding", [[false, metrics({ qualityScore: 70 })]]), DEFAULT_RULES)).toMatchObject({
      to: "first_cycle",
      evidence: [{ ok: true, text: "Q1: drafted an OKR set (quality score 70)" }],
    });
    expect(proposeFor(history("onboarding", [[false, metrics({ drafted: false })]]), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("first_cycle", [[true, metrics()]]), DEFAULT_RULES)?.to).toBe("running");
    expect(proposeFor(history("first_cycle", [[true, metrics({ retroHeld: false })]]), DEFAULT_RULES)).toBeNull();
    expect(proposeFor(history("first_cycle", [[false, metrics()]]), DEFAULT_RULES)).toBeNull(); // not ended yet
  });

  it("proposes a self-sufficient team back to running when its latest ended cycle fell short", () => {
    const back = proposeFor(
      history("self_sufficient", [
        [true, metrics()],
        [true, metrics({ windowsKept: 2, windowsShare: 2 / 6 })],
      ]),
      DEFAULT_RULES,
    );
    expect(back).toMatchObject({ to: "running", direction: "back" });
    expect(back!.evidence).toEqual([{ ok: false, text: "Q2: 2 of 6 check-in windows kept (33 %), below 80 %" }]);
    expect(proposeFor(history("self_sufficient", [[true, metrics()]]), DEFAULT_RULES)).toBeNull();
  });
});
