import { describe, expect, it } from "vitest";
import { DIMENSIONS, DIMENSION_KEYS, judgeAll, overallStatus, type ProgramFigures } from "~/models/reports/dimensions";
import type { ScheduleFigures } from "~/models/reports/dimensions/schedule";

// Every dimension's rule on hand-made figures: the colour and the sentence a sponsor reads.

const schedule = (f: Partial<ScheduleFigures> = {}): ScheduleFigures => ({
  lateMilestones: 0,
  lateOverThreshold: 0,
  wavesStarted: 1,
  teamsInStartedWaves: 10,
  teamsNotStartedLate: 0,
  milestones: 5,
  waves: 2,
  ...f,
});

describe("schedule", () => {
  const judge = DIMENSIONS.schedule.judge;
  it("is not measured while the plan has no waves or milestones", () => {
    expect(judge(schedule({ milestones: 0, waves: 0 })).colour).toBe("not_measured");
    expect(judge(null).colour).toBe("not_measured");
  });
  it("is red with 3 milestones more than 14 days late, and says so", () => {
    const status = judge(schedule({ lateMilestones: 4, lateOverThreshold: 3 }));
    expect(status).toMatchObject({ colour: "red", reason: "3 milestones more than 14 days late" });
    expect(status.figures).toMatchObject({ lateMilestones: 4, lateOverThreshold: 3 });
  });
  it("is red when more than a quarter of the teams of started waves have not started", () => {
    expect(judge(schedule({ teamsInStartedWaves: 8, teamsNotStartedLate: 3 }))).toMatchObject({
      colour: "red",
      reason: "3 teams of 8 in started waves not started after 14 days",
    });
  });
  it("is amber with one late milestone", () => {
    expect(judge(schedule({ lateMilestones: 1 }))).toMatchObject({ colour: "amber", reason: "1 milestone late" });
    expect(judge(schedule({ lateMilestones: 2, lateOverThreshold: 2 })).reason).toBe("2 milestones late, 2 by more than 14 days");
  });
  it("is amber with a few teams not started in a started wave", () => {
    expect(judge(schedule({ teamsNotStartedLate: 1 })).colour).toBe("amber");
  });
  it("is green when nothing is late", () => {
    expect(judge(schedule()).colour).toBe("green");
  });
});

describe("coverage", () => {
  const judge = DIMENSIONS.coverage.judge;
  it("is not measured while no team is in a wave", () => {
    expect(judge({ teamsInWaves: 0, teamsWithCoach: 0, overloadedCoaches: 0 }).colour).toBe("not_measured");
  });
  it("is red past 20% of teams without a primary coach", () => {
    expect(judge({ teamsInWaves: 10, teamsWithCoach: 7, overloadedCoaches: 0 })).toMatchObject({
      colour: "red",
      reason: "3 teams of 10 in waves without a primary coach (30%)",
    });
  });
  it("is amber with 20% or fewer uncovered, or an overloaded coach", () => {
    expect(judge({ teamsInWaves: 10, teamsWithCoach: 8, overloadedCoaches: 0 }).colour).toBe("amber");
    expect(judge({ teamsInWaves: 10, teamsWithCoach: 10, overloadedCoaches: 1 })).toMatchObject({
      colour: "amber",
      reason: "1 coach over capacity",
    });
  });
  it("is green when every team has a primary coach, with the coverage in percent", () => {
    const status = judge({ teamsInWaves: 4, teamsWithCoach: 4, overloadedCoaches: 0 });
    expect(status.colour).toBe("green");
    expect(status.figures.coveredPercent).toBe(100);
  });
});

describe("risks", () => {
  const judge = DIMENSIONS.risks.judge;
  it("is not measured with an empty register", () => {
    expect(judge({ total: 0, active: 0, high: 0, highUnmitigated: 0 }).colour).toBe("not_measured");
  });
  it("is red with two high risks or a high risk not mitigated", () => {
    expect(judge({ total: 5, active: 4, high: 2, highUnmitigated: 0 }).colour).toBe("red");
    expect(judge({ total: 5, active: 4, high: 1, highUnmitigated: 1 }).colour).toBe("red");
  });
  it("is amber with one high risk being mitigated, green without", () => {
    expect(judge({ total: 5, active: 4, high: 1, highUnmitigated: 0 }).colour).toBe("amber");
    expect(judge({ total: 5, active: 4, high: 0, highUnmitigated: 0 }).colour).toBe("green");
  });
});

describe("stakeholders", () => {
  const judge = DIMENSIONS.stakeholders.judge;
  it("judges contacts only, never attitudes", () => {
    const status = judge({ total: 6, overdue: 3, overdueHighInfluence: 3 });
    expect(status).toMatchObject({ colour: "red", reason: "3 high-influence stakeholders overdue for a contact" });
    expect(Object.keys(status.figures)).toEqual(["total", "overdue", "overdueHighInfluence"]);
    expect(JSON.stringify(status).toLowerCase()).not.toMatch(/sceptic|attitude/);
  });
  it("is amber with an overdue contact, green without, not measured with nobody listed", () => {
    expect(judge({ total: 6, overdue: 1, overdueHighInfluence: 0 }).colour).toBe("amber");
    expect(judge({ total: 6, overdue: 0, overdueHighInfluence: 0 }).colour).toBe("green");
    expect(judge({ total: 0, overdue: 0, overdueHighInfluence: 0 }).colour).toBe("not_measured");
  });
});

describe("budget", () => {
  const judge = DIMENSIONS.budget.judge;
  const base = { planned: 100_000, spent: 40_000, elapsedShare: 0.4, coachingHours: 12.5, trainingHours: null };
  it("is green when spend keeps pace with time", () => {
    expect(judge(base)).toMatchObject({ colour: "green", reason: "40% of the budget spent at 40% of the time" });
  });
  it("is amber more than 10 points ahead, red more than 20 points ahead or over budget", () => {
    expect(judge({ ...base, spent: 55_000 }).colour).toBe("amber");
    expect(judge({ ...base, spent: 65_000 }).colour).toBe("red");
    expect(judge({ ...base, spent: 120_000, elapsedShare: 1 })).toMatchObject({
      colour: "red",
      reason: expect.stringMatching(/^Over budget/),
    });
  });
  it("is not measured without a planned budget or program dates, but shows the coaching effort", () => {
    const none = judge({ ...base, planned: 0 });
    expect(none.colour).toBe("not_measured");
    expect(none.figures.coachingHours).toBe(12.5);
    expect(judge({ ...base, elapsedShare: null }).reason).toBe("The program has no start and end dates.");
  });
});

describe("decisions", () => {
  const judge = DIMENSIONS.decisions.judge;
  it("an overdue open decision turns it amber", () => {
    expect(judge({ open: 2, overdue: 1, decided: 0 })).toMatchObject({ colour: "amber", reason: "1 decision past its due date" });
  });
  it("three overdue decisions turn it red", () => {
    expect(judge({ open: 3, overdue: 3, decided: 1 }).colour).toBe("red");
  });
  it("is green with open decisions not yet due, and with none requested", () => {
    expect(judge({ open: 2, overdue: 0, decided: 1 })).toMatchObject({ colour: "green", reason: "2 open decisions, none overdue." });
    expect(judge({ open: 0, overdue: 0, decided: 0 }).colour).toBe("green");
  });
});

describe("enablement and adoption (plugged in by their areas)", () => {
  it("say “not measured yet” until their areas hand in figures", () => {
    expect(DIMENSIONS.enablement.judge(null)).toMatchObject({ colour: "not_measured", reason: expect.stringMatching(/^Not measured yet/) });
    expect(DIMENSIONS.adoption.judge(null)).toMatchObject({ colour: "not_measured", reason: expect.stringMatching(/^Not measured yet/) });
  });
  it("enablement: red below 60% of due training completed, amber below 85%, green from there", () => {
    const judge = DIMENSIONS.enablement.judge;
    expect(judge({ requiredDue: 100, completed: 50, overdue: 20, trainingHours: 10 }).colour).toBe("red");
    expect(judge({ requiredDue: 100, completed: 70, overdue: 5, trainingHours: 10 }).colour).toBe("amber");
    expect(judge({ requiredDue: 100, completed: 90, overdue: 0, trainingHours: 10 })).toMatchObject({
      colour: "green",
      reason: "90% of the training due is completed (0 overdue)",
    });
    expect(judge({ requiredDue: 0, completed: 0, overdue: 0, trainingHours: 0 }).colour).toBe("not_measured");
  });
  it("adoption: red below half of the cycle's teams on track, amber below 80%", () => {
    const judge = DIMENSIONS.adoption.judge;
    const f = { cycleName: "2027-Q1", teamsInCycle: 10, teamsOnTrack: 4, healthScore: 55, healthByWave: [] };
    expect(judge(f)).toMatchObject({ colour: "red", reason: "40% of the teams in 2027-Q1 are on track" });
    expect(judge({ ...f, teamsOnTrack: 7 }).colour).toBe("amber");
    expect(judge({ ...f, teamsOnTrack: 8 }).colour).toBe("green");
  });
});

describe("process health", () => {
  const judge = DIMENSIONS.health.judge;
  it("is not measured before a cycle has something due, and bands the program's score at 50 and 75", () => {
    expect(judge(null).colour).toBe("not_measured");
    const f = {
      cycleName: "2027-Q2",
      previousCycleName: "2027-Q1",
      score: 62,
      previousScore: 55,
      teams: 40,
      atRisk: 12,
      topProblem: "12 of 40 teams missed 2 check-in windows or more.",
      byWave: [],
    };
    expect(judge({ ...f, score: null }).colour).toBe("not_measured");
    expect(judge(f)).toMatchObject({
      colour: "amber",
      reason: "Health 62 of 100 in 2027-Q2 (55 in 2027-Q1); 30% of the teams at risk. 12 of 40 teams missed 2 check-in windows or more.",
      figures: { score: 62, previousScore: 55, teams: 40, atRisk: 12 },
    });
    expect(judge({ ...f, score: 49 }).colour).toBe("red");
    expect(judge({ ...f, score: 75 }).colour).toBe("green");
  });
});

describe("the registry and the overall status", () => {
  const figures: ProgramFigures = {
    schedule: schedule({ lateMilestones: 1 }),
    coverage: { teamsInWaves: 4, teamsWithCoach: 4, overloadedCoaches: 0 },
    enablement: null,
    adoption: null,
    health: null,
    risks: { total: 1, active: 1, high: 0, highUnmitigated: 0 },
    stakeholders: { total: 0, overdue: 0, overdueHighInfluence: 0 },
    budget: null,
    decisions: { open: 0, overdue: 0, decided: 0 },
  };
  it("judges every registered dimension, in the report's order", () => {
    expect(judgeAll(figures).map((d) => d.key)).toEqual([...DIMENSION_KEYS]);
  });
  it("the overall colour is the worst measured one and names it", () => {
    const judged = judgeAll(figures);
    expect(overallStatus(judged)).toEqual({ colour: "amber", reason: "Amber: schedule." });
  });
  it("an override counts instead of the computed colour, which stays visible", () => {
    const judged = judgeAll(figures, { coverage: { colour: "red", reason: "Two coaches leave in January", by: "Jonas", at: "x" } });
    const coverage = judged.find((d) => d.key === "coverage")!;
    expect(coverage.colour).toBe("red");
    expect(coverage.computed.colour).toBe("green");
    expect(overallStatus(judged)).toEqual({ colour: "red", reason: "Red: coach coverage." });
  });
  it("is not measured when nothing can be measured, green when all measured ones are", () => {
    expect(overallStatus([{ label: "A", colour: "not_measured" }]).colour).toBe("not_measured");
    expect(
      overallStatus([
        { label: "A", colour: "green" },
        { label: "B", colour: "not_measured" },
      ]).colour,
    ).toBe("green");
  });
});
