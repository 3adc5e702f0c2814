// Process health of one team in one OKR cycle (issue 16): the metrics, the 0–100 score and the
// band, each with the reason behind it, as pure functions of the facts SQL gathers
// (./facts.server.ts). No database here, so pages import the labels and the tests feed hand-made
// facts whose answer is known.
//
// The metrics of a team in a cycle, judged on the cycle's evaluation day (today while it runs,
// its last day once it ended):
//
//   drafting     draftedOnTime  the team had an objective by the drafting deadline (the cycle's
//                               first alignment event, else 14 days after its start)
//                qualityScore   0–100, the drafting quality checks' score of the set
//   alignment    alignedShare   objectives aligned to a parent objective, or saying why not
//   execution    windowsKept / windowsDue   check-in windows kept: the cycle is cut into windows
//                               of its cadence from its start; a window is kept when the team
//                               checked in on any key result within it (complete windows only)
//                updatedShare   key results checked in within the last cadence window (a done
//                               milestone counts as updated)
//                confidenceTrend  the average confidence of the check-ins of the second half of
//                               the elapsed cycle minus that of the first half (on track 1, needs
//                               attention ½, off track 0); null without check-ins in both halves
//   closing      scoredShare    key results scored
//                retroHeld      the team's retrospective has a held-on date
//   coaching     supportMinutes support sessions of the team within the cycle (not scored)
//   enablement   trainedShare   people of the team (members and lead) with every required
//                               module met or waived, today (not scored; null: nobody to train)
//
// The score adds the points of the parts that are due and scales them to 100:
//
//   drafting   20  (10 drafted on time, 10 × quality score)   due after the deadline or once drafted
//   alignment  15  (× aligned share)                          due with drafting
//   execution  40  (25 × windows kept, 10 × updated share, 5 when confidence is not falling)
//                                                             due once a window is complete
//   closing    25  (15 × scored share, 10 retrospective)      due once the cycle ended
//
// Nothing due (a cycle's first days, no set yet): no score ("not measured yet"). Coaching and
// enablement are shown beside the score, not in it: more coaching is an input, not health, and
// training has its own dimension in the sponsor report.

export const BANDS = ["healthy", "watch", "at_risk"] as const;
export type Band = (typeof BANDS)[number];
export type BandOrNone = Band | "not_measured";

export const BAND_LABELS: Record<BandOrNone, string> = {
  healthy: "Healthy",
  watch: "Needs attention",
  at_risk: "At risk",
  not_measured: "Not measured yet",
};

/** Scores at or above are healthy; at or above WATCH_SCORE need attention; below are at risk. */
export const HEALTHY_SCORE = 75;
export const WATCH_SCORE = 50;

/** A change of the average by at least this many points is "better" or "worse"; less is "same". */
export const CHANGE_POINTS = 3;

/** Missing this many check-in windows or more makes a team "stale". */
export const STALE_MISSED_WINDOWS = 2;

/** A confidence drop of more than this between the halves of the cycle is "falling". */
export const CONFIDENCE_FALL = 0.1;

export const WEIGHTS = { drafting: 20, alignment: 15, execution: 40, closing: 25 } as const;

/** What SQL gathers per team and cycle (see ./facts.server.ts). */
export interface TeamCycleFacts {
  teamId: string;
  cycleId: string;
  /** The cycle's evaluation day is past its drafting deadline. */
  pastDraftingDeadline: boolean;
  /** The cycle ended (its end is past, or it is in review or closed). */
  ended: boolean;
  /** Team objectives of the cycle (abandoned ones excluded). */
  objectives: number;
  /** The first objective was created on or before the drafting deadline. */
  draftedOnTime: boolean;
  /** Objectives aligned to a parent, or with a stated reason. */
  alignedObjectives: number;
  /** Objectives within 2–5 key results. */
  objectivesWithKrCountOk: number;
  /** The cycle's maximum of objectives per team. */
  maxObjectives: number;
  keyResults: number;
  /** Key results with a target (or milestones) and an owner. */
  completeKeyResults: number;
  /** Key results worded as tasks. */
  taskLikeKeyResults: number;
  scoredKeyResults: number;
  /** Key results checked in within the last cadence window before the evaluation day. */
  updatedKeyResults: number;
  windowsDue: number;
  windowsKept: number;
  /** Average confidence (0–1) of the check-ins of each half of the elapsed cycle; null: none there. */
  confidenceFirstHalf: number | null;
  confidenceSecondHalf: number | null;
  retroHeld: boolean;
  /** The retrospective was recorded by someone of the team (its lead or a member), not by a coach or the PLO. */
  retroByTeam: boolean;
  supportMinutes: number;
  /** People of the team fully trained / people with required training; null when not measured. */
  trained: { done: number; total: number } | null;
}

export interface TeamCycleMetrics {
  drafted: boolean;
  draftedOnTime: boolean;
  qualityScore: number;
  alignedShare: number | null;
  windowsDue: number;
  windowsKept: number;
  windowsMissed: number;
  /** windowsKept / windowsDue, null before the first window is complete. */
  windowsShare: number | null;
  updatedShare: number | null;
  confidenceTrend: number | null;
  scoredShare: number | null;
  retroHeld: boolean;
  retroByTeam: boolean;
  supportMinutes: number;
  trainedShare: number | null;
}

export interface TeamHealth {
  metrics: TeamCycleMetrics;
  /** 0–100, null when nothing is due yet. */
  score: number | null;
  band: BandOrNone;
  /** What cost points, most costly first ("missed 2 of 5 check-in windows"). */
  reasons: string[];
  /** The problems behind the reasons, for the aggregates' counts. */
  problems: Problem[];
}

/** A problem a team can have; aggregates count the teams that have each. */
export const PROBLEMS = [
  "not_drafted",
  "drafted_late",
  "low_quality",
  "not_aligned",
  "missed_windows",
  "not_updated",
  "confidence_falling",
  "not_scored",
  "no_retro",
] as const;
export type Problem = (typeof PROBLEMS)[number];

/** The problems as a bit set (bit i: PROBLEMS[i]), as SQL stores and counts them. */
export function problemMask(problems: readonly Problem[]): number {
  let mask = 0;
  for (const p of problems) mask |= 1 << PROBLEMS.indexOf(p);
  return mask;
}

/** "N of M teams …" — how aggregates word each problem. */
export const PROBLEM_PHRASES: Record<Problem, string> = {
  not_drafted: "drafted no OKR set",
  drafted_late: "drafted after the deadline",
  low_quality: "have a set below the quality bar",
  not_aligned: "aligned less than half of their objectives",
  missed_windows: `missed ${STALE_MISSED_WINDOWS} check-in windows or more`,
  not_updated: "updated less than half of their key results in the last window",
  confidence_falling: "report falling confidence",
  not_scored: "have not scored every key result",
  no_retro: "held no retrospective",
};

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The quality score of a set from its counts, as the cycles area's checkQuality weighs it (15/25/25/25/10). */
export function qualityScoreOf(f: TeamCycleFacts): number {
  if (f.objectives === 0) return 0;
  const countOk = f.objectives >= 1 && f.objectives <= f.maxObjectives;
  const part = (good: number, total: number) => (total === 0 ? 0 : good / total);
  return Math.round(
    15 * (countOk ? 1 : 0) +
      25 * part(f.objectivesWithKrCountOk, f.objectives) +
      25 * part(f.completeKeyResults, f.keyResults) +
      25 * part(f.alignedObjectives, f.objectives) +
      10 * (f.keyResults === 0 ? 0 : part(f.keyResults - f.taskLikeKeyResults, f.keyResults)),
  );
}

/** Every metric of a team in a cycle, from its facts. */
export function metricsOf(f: TeamCycleFacts): TeamCycleMetrics {
  const drafted = f.objectives > 0;
  const kept = Math.min(f.windowsKept, f.windowsDue);
  return {
    drafted,
    draftedOnTime: drafted && f.draftedOnTime,
    qualityScore: qualityScoreOf(f),
    alignedShare: share(f.alignedObjectives, f.objectives),
    windowsDue: f.windowsDue,
    windowsKept: kept,
    windowsMissed: f.windowsDue - kept,
    windowsShare: share(kept, f.windowsDue),
    updatedShare: share(f.updatedKeyResults, f.keyResults),
    confidenceTrend:
      f.confidenceFirstHalf === null || f.confidenceSecondHalf === null ? null : round1(f.confidenceSecondHalf - f.confidenceFirstHalf),
    scoredShare: share(f.scoredKeyResults, f.keyResults),
    retroHeld: f.retroHeld,
    retroByTeam: f.retroHeld && f.retroByTeam,
    supportMinutes: f.supportMinutes,
    trainedShare: f.trained ? share(f.trained.done, f.trained.total) : null,
  };
}

export function bandOf(score: number | null): BandOrNone {
  if (score === null) return "not_measured";
  if (score >= HEALTHY_SCORE) return "healthy";
  if (score >= WATCH_SCORE) return "watch";
  return "at_risk";
}

const pct = (n: number) => `${Math.round(n * 100)} %`;

/** The score of a team in a cycle, its band and what cost it points. */
export function teamHealth(f: TeamCycleFacts): TeamHealth {
  const m = metricsOf(f);
  let due = 0;
  let earned = 0;
  const lost: Array<{ points: number; reason: string; problem: Problem }> = [];
  const take = (weight: number, got: number, problem: Problem, reason: string, isProblem: boolean) => {
    earned += got;
    if (isProblem) lost.push({ points: weight - got, reason, problem });
  };

  if (f.pastDraftingDeadline || m.drafted) {
    due += WEIGHTS.drafting + WEIGHTS.alignment;
    if (!m.drafted) {
      take(WEIGHTS.drafting + WEIGHTS.alignment, 0, "not_drafted", "no OKR set drafted", true);
    } else {
      take(10, m.draftedOnTime ? 10 : 0, "drafted_late", "drafted after the deadline", !m.draftedOnTime);
      take(10, (m.qualityScore / 100) * 10, "low_quality", `quality score ${m.qualityScore}`, m.qualityScore < 80);
      const aligned = m.alignedShare ?? 0;
      take(
        WEIGHTS.alignment,
        aligned * WEIGHTS.alignment,
        "not_aligned",
        `${f.objectives - f.alignedObjectives} of ${f.objectives} objectives not aligned`,
        aligned < 0.5,
      );
    }
  }

  if (m.windowsDue > 0) {
    due += WEIGHTS.execution;
    const windows = m.windowsShare ?? 0;
    take(
      25,
      windows * 25,
      "missed_windows",
      `missed ${m.windowsMissed} of ${m.windowsDue} check-in window${m.windowsDue === 1 ? "" : "s"}`,
      m.windowsMissed >= STALE_MISSED_WINDOWS,
    );
    const updated = m.updatedShare ?? 0;
    take(
      10,
      updated * 10,
      "not_updated",
      f.keyResults === 0 ? "no key results to update" : `${f.updatedKeyResults} of ${f.keyResults} key results updated in the last window`,
      updated < 0.5,
    );
    const steady = m.confidenceTrend !== null && m.confidenceTrend >= -CONFIDENCE_FALL;
    take(
      5,
      steady ? 5 : 0,
      "confidence_falling",
      m.confidenceTrend === null ? "too few check-ins to read confidence" : "confidence falling",
      m.confidenceTrend !== null && !steady,
    );
  }

  if (f.ended) {
    due += WEIGHTS.closing;
    const scored = m.scoredShare ?? 0;
    take(
      15,
      scored * 15,
      "not_scored",
      f.keyResults === 0 ? "nothing to score" : `${f.keyResults - f.scoredKeyResults} of ${f.keyResults} key results not scored`,
      scored < 1,
    );
    take(10, m.retroHeld ? 10 : 0, "no_retro", "no retrospective", !m.retroHeld);
  }

  const score = due === 0 ? null : Math.round((earned / due) * 100);
  lost.sort((a, b) => b.points - a.points);
  return { metrics: m, score, band: bandOf(score), reasons: lost.map((l) => l.reason), problems: lost.map((l) => l.problem) };
}

// ---------------------------------------------------------------------------------------------
// Aggregates: a wave, a unit, the program

export interface Aggregate {
  /** Teams taking part (with or without a score). */
  teams: number;
  /** Teams with a score. */
  measured: number;
  /** The average score of the measured teams, null when none is. */
  score: number | null;
  band: BandOrNone;
  /** Teams per band. */
  bands: Record<BandOrNone, number>;
  /** Teams per problem. */
  problems: Record<Problem, number>;
  /** The sentences behind the band: the average, then the most common problems ("12 of 40 teams missed …"). */
  reasons: string[];
}

/** What an aggregate counts (in Node below, or in SQL: ./health-page.server.ts). */
export interface AggregateCounts {
  teams: number;
  measured: number;
  /** The sum of the measured teams' scores. */
  sum: number;
  bands: Record<BandOrNone, number>;
  problems: Record<Problem, number>;
}

/** Adds up teams' health: the average score, its band and the most common problems in words. */
export function aggregate(teams: ReadonlyArray<Pick<TeamHealth, "score" | "band" | "problems">>, topProblems = 3): Aggregate {
  const bands: Record<BandOrNone, number> = { healthy: 0, watch: 0, at_risk: 0, not_measured: 0 };
  const problems = Object.fromEntries(PROBLEMS.map((p) => [p, 0])) as Record<Problem, number>;
  let sum = 0;
  let measured = 0;
  for (const t of teams) {
    bands[t.band] += 1;
    for (const p of new Set(t.problems)) problems[p] += 1;
    if (t.score !== null) {
      sum += t.score;
      measured += 1;
    }
  }
  return aggregateOf({ teams: teams.length, measured, sum, bands, problems }, topProblems);
}

/** The aggregate of counts: the average score, its band and the most common problems in words. */
export function aggregateOf(counts: AggregateCounts, topProblems = 3): Aggregate {
  const { bands, problems, measured } = counts;
  const score = measured === 0 ? null : Math.round(counts.sum / measured);
  const band = bandOf(score);
  const n = counts.teams;
  const reasons: string[] = [];
  if (score === null) {
    reasons.push(n === 0 ? "No team takes part in this cycle." : "Nothing is due yet in this cycle.");
  } else {
    reasons.push(
      `Average score ${score} over ${measured} team${measured === 1 ? "" : "s"}: ${bands.healthy} healthy, ${bands.watch} need attention, ${bands.at_risk} at risk.`,
    );
    const common = PROBLEMS.filter((p) => problems[p] > 0)
      .sort((a, b) => problems[b] - problems[a] || PROBLEMS.indexOf(a) - PROBLEMS.indexOf(b))
      .slice(0, topProblems);
    for (const p of common) reasons.push(`${problems[p]} of ${n} team${n === 1 ? "" : "s"} ${PROBLEM_PHRASES[p]}.`);
  }
  return { teams: n, measured, score, band, bands: { ...bands }, problems: { ...problems }, reasons };
}

export type Change = "better" | "worse" | "same" | "new";

export const CHANGE_LABELS: Record<Change, string> = { better: "Better", worse: "Worse", same: "Same", new: "No earlier cycle" };

/** Compared with the previous cycle's score: better / worse by CHANGE_POINTS or more, else the same. */
export function changeOf(current: number | null, previous: number | null | undefined): { change: Change; delta: number | null } {
  if (current === null || previous === null || previous === undefined) return { change: "new", delta: null };
  const delta = current - previous;
  return { change: delta >= CHANGE_POINTS ? "better" : delta <= -CHANGE_POINTS ? "worse" : "same", delta };
}

export { pct as percentText };
