import { describe, expect, it } from "vitest";
import { checkQuality } from "~/models/cycles/quality";
import { aggregate, bandOf, changeOf, metricsOf, qualityScoreOf, teamHealth, type TeamCycleFacts } from "~/models/health/metrics";

// Process health of one team in one cycle, on hand-made facts whose answer is worked out by hand.

/** A team that did everything right in a cycle that ended: 5 of 5 windows, 2 key results. */
function model(overrides: Partial<TeamCycleFacts> = {}): TeamCycleFacts {
  return {
    teamId: "t1",
    cycleId: "c1",
    pastDraftingDeadline: true,
    ended: true,
    objectives: 1,
    draftedOnTime: true,
    alignedObjectives: 1,
    objectivesWithKrCountOk: 1,
    maxObjectives: 3,
    keyResults: 2,
    completeKeyResults: 2,
    taskLikeKeyResults: 0,
    scoredKeyResults: 2,
    updatedKeyResults: 2,
    windowsDue: 5,
    windowsKept: 5,
    confidenceFirstHalf: 1,
    confidenceSecondHalf: 1,
    retroHeld: true,
    retroByTeam: true,
    supportMinutes: 90,
    trained: { done: 4, total: 5 },
    ...overrides,
  };
}

describe("the metrics of a team in a cycle", () => {
  it("reads drafting, alignment, execution, closing, coaching and enablement from the facts", () => {
    const m = metricsOf(model({ windowsKept: 4, updatedKeyResults: 1, scoredKeyResults: 1, confidenceSecondHalf: 0.5 }));
    expect(m).toEqual({
      drafted: true,
      draftedOnTime: true,
      qualityScore: 100,
      alignedShare: 1,
      windowsDue: 5,
      windowsKept: 4,
      windowsMissed: 1,
      windowsShare: 0.8,
      updatedShare: 0.5,
      confidenceTrend: -0.5,
      scoredShare: 0.5,
      retroHeld: true,
      retroByTeam: true,
      supportMinutes: 90,
      trainedShare: 0.8,
    });
  });

  it("leaves shares unknown where there is nothing to divide by", () => {
    const m = metricsOf(model({ objectives: 0, keyResults: 0, windowsDue: 0, windowsKept: 0, trained: null, confidenceFirstHalf: null }));
    expect(m).toMatchObject({
      drafted: false,
      draftedOnTime: false,
      qualityScore: 0,
      alignedShare: null,
      windowsShare: null,
      updatedShare: null,
      scoredShare: null,
      confidenceTrend: null,
      trainedShare: null,
    });
  });

  it("never counts more windows kept than are due (a check-in in the window under way)", () => {
    expect(metricsOf(model({ windowsDue: 2, windowsKept: 3 }))).toMatchObject({ windowsKept: 2, windowsMissed: 0, windowsShare: 1 });
  });

  it("weighs the quality of a set exactly as the drafting quality checks do", () => {
    // One objective with one key result worded as a task, a milestone without an owner, aligned by a reason.
    const quality = checkQuality(
      [
        {
          id: "o1",
          title: "A better portal",
          state: "active",
          aligned: false,
          standaloneReason: "Our own improvement",
          keyResults: [{ id: "k1", title: "Launch the portal", kind: "milestone", targetValue: null, ownerPersonId: null }],
        },
      ],
      3,
    );
    const facts = model({ objectivesWithKrCountOk: 0, keyResults: 1, completeKeyResults: 0, taskLikeKeyResults: 1 });
    expect(quality.score).toBe(40);
    expect(qualityScoreOf(facts)).toBe(quality.score);
  });
});

describe("the health score", () => {
  it("gives a model team 100 and the band healthy, with no reason against it", () => {
    expect(teamHealth(model())).toMatchObject({ score: 100, band: "healthy", reasons: [], problems: [] });
  });

  it("adds the due parts' points and names what cost points, most costly first", () => {
    // 10 on time + 10 quality + 15 aligned + 20 (4 of 5 windows) + 0 updated + 0 confidence (falling) + 15 scored + 10 retro = 80 of 100.
    const health = teamHealth(model({ windowsKept: 4, updatedKeyResults: 0, confidenceFirstHalf: 0.83, confidenceSecondHalf: 0 }));
    expect(health.score).toBe(80);
    expect(health.band).toBe("healthy");
    expect(health.reasons).toEqual(["0 of 2 key results updated in the last window", "confidence falling"]);
    expect(health.problems).toEqual(["not_updated", "confidence_falling"]);
  });

  it("scores only what is due: before the end of the cycle, closing does not count", () => {
    // Due: drafting 20 + alignment 15 + execution 40 = 75; earned 75 → 100.
    expect(teamHealth(model({ ended: false, scoredKeyResults: 0, retroHeld: false })).score).toBe(100);
    // In the first window nothing of the execution is due yet: drafting and alignment only.
    expect(teamHealth(model({ ended: false, windowsDue: 0, windowsKept: 0, draftedOnTime: false })).score).toBe(71); // 25 of 35
  });

  it("has no score before the drafting deadline for a team that has not drafted yet", () => {
    const health = teamHealth(
      model({ pastDraftingDeadline: false, ended: false, windowsDue: 0, objectives: 0, keyResults: 0, windowsKept: 0 }),
    );
    expect(health).toMatchObject({ score: null, band: "not_measured", reasons: [] });
  });

  it("gives a team that never drafted nothing, and says so first", () => {
    const health = teamHealth(
      model({
        objectives: 0,
        alignedObjectives: 0,
        objectivesWithKrCountOk: 0,
        keyResults: 0,
        completeKeyResults: 0,
        scoredKeyResults: 0,
        updatedKeyResults: 0,
        windowsKept: 0,
        confidenceFirstHalf: null,
        confidenceSecondHalf: null,
        retroHeld: false,
        retroByTeam: false,
      }),
    );
    expect(health.score).toBe(0);
    expect(health.band).toBe("at_risk");
    expect(health.reasons[0]).toBe("no OKR set drafted");
    expect(health.problems).toEqual(expect.arrayContaining(["not_drafted", "missed_windows", "not_scored", "no_retro"]));
  });

  it("calls missing two check-in windows a problem, one not", () => {
    expect(teamHealth(model({ windowsKept: 4 })).problems).not.toContain("missed_windows");
    const two = teamHealth(model({ windowsKept: 3 }));
    expect(two.problems).toContain("missed_windows");
    expect(two.reasons).toContain("missed 2 of 5 check-in windows");
    expect(two.score).toBe(90); // 25 × 3/5 = 15: 10 points lost
  });

  it("bands scores at 75 and 50", () => {
    expect([bandOf(100), bandOf(75), bandOf(74), bandOf(50), bandOf(49), bandOf(null)]).toEqual([
      "healthy",
      "healthy",
      "watch",
      "watch",
      "at_risk",
      "not_measured",
    ]);
  });
});

describe("aggregates and the change since the previous cycle", () => {
  it("averages the measured teams and words the most common problems as counts of teams", () => {
    const teams = [
      { score: 90, band: "healthy" as const, problems: [] },
      { score: 60, band: "watch" as const, problems: ["missed_windows" as const, "no_retro" as const] },
      { score: 30, band: "at_risk" as const, problems: ["missed_windows" as const, "not_updated" as const] },
      { score: null, band: "not_measured" as const, problems: [] },
    ];
    const a = aggregate(teams);
    expect(a.score).toBe(60);
    expect(a.band).toBe("watch");
    expect(a.teams).toBe(4);
    expect(a.measured).toBe(3);
    expect(a.bands).toEqual({ healthy: 1, watch: 1, at_risk: 1, not_measured: 1 });
    expect(a.reasons).toEqual([
      "Average score 60 over 3 teams: 1 healthy, 1 need attention, 1 at risk.",
      "2 of 4 teams missed 2 check-in windows or more.",
      "1 of 4 teams updated less than half of their key results in the last window.",
      "1 of 4 teams held no retrospective.",
    ]);
  });

  it("says why there is no score", () => {
    expect(aggregate([]).reasons).toEqual(["No team takes part in this cycle."]);
    expect(aggregate([{ score: null, band: "not_measured", problems: [] }]).reasons).toEqual(["Nothing is due yet in this cycle."]);
  });

  it("compares with the previous cycle: 3 points or more is better or worse, less is the same", () => {
    expect(changeOf(70, 66)).toEqual({ change: "better", delta: 4 });
    expect(changeOf(70, 73)).toEqual({ change: "worse", delta: -3 });
    expect(changeOf(70, 71)).toEqual({ change: "same", delta: -1 });
    expect(changeOf(70, null)).toEqual({ change: "new", delta: null });
    expect(changeOf(null, 70)).toEqual({ change: "new", delta: null });
  });
});
