import { percent, type Dimension, type DimensionStatus } from "./types";

/**
 * What process health hands in (see ../plug-ins.server.ts and ~/models/health): the program's
 * health score in its latest started cycle, the previous cycle's for comparison, the teams taking
 * part and how many are at risk, the most common problem, and the score per wave (the "health by
 * wave" chart).
 */
export interface HealthFigures {
  cycleName: string;
  previousCycleName: string | null;
  /** 0–100, null while nothing is due in the cycle. */
  score: number | null;
  previousScore: number | null;
  teams: number;
  atRisk: number;
  /** "12 of 40 teams missed 2 check-in windows or more.", or null. */
  topProblem: string | null;
  byWave: Array<{ wave: string; score: number | null }>;
}

export const HEALTH_GREEN_SCORE = 75;
export const HEALTH_RED_SCORE = 50;

export const health: Dimension<HealthFigures> = {
  key: "health",
  label: "Process health",
  rule:
    `The average health score (0–100) of the teams in the latest cycle — drafting, alignment, check-ins kept, key results ` +
    `updated, confidence, scoring and the retrospective: red below ${HEALTH_RED_SCORE}, amber below ${HEALTH_GREEN_SCORE}, ` +
    `green from there; not measured before the first cycle has something due.`,
  figureLabels: { score: "Health score", previousScore: "Previous cycle", teams: "Teams in the cycle", atRisk: "Teams at risk" },
  judge(f): DimensionStatus {
    if (!f) return { colour: "not_measured", reason: "Not measured yet: no OKR cycle has started.", figures: {} };
    const figures = { score: f.score, previousScore: f.previousScore, teams: f.teams, atRisk: f.atRisk };
    if (f.score === null) return { colour: "not_measured", reason: `Nothing is due yet in ${f.cycleName}.`, figures };
    const since = f.previousScore === null || !f.previousCycleName ? "" : ` (${f.previousScore} in ${f.previousCycleName})`;
    const share = f.teams === 0 ? "" : `; ${percent(f.atRisk / f.teams)} of the teams at risk`;
    const words = `Health ${f.score} of 100 in ${f.cycleName}${since}${share}${f.topProblem ? `. ${f.topProblem}` : ""}`;
    if (f.score < HEALTH_RED_SCORE) return { colour: "red", reason: words, figures };
    if (f.score < HEALTH_GREEN_SCORE) return { colour: "amber", reason: words, figures };
    return { colour: "green", reason: words, figures };
  },
};
