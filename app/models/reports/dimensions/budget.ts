import { percent, type Dimension, type DimensionStatus } from "./types";

export interface BudgetFigures {
  /** Sum of the planned amounts (whole currency units). */
  planned: number;
  /** Sum of the actuals recorded up to today. */
  spent: number;
  /** Share of the program's time elapsed (0–1); null without start and end dates. */
  elapsedShare: number | null;
  /** Coaching effort from the coaching log, in hours. */
  coachingHours: number;
  /** Training effort, in hours (null until enablement lands). */
  trainingHours: number | null;
}

/** Spend ahead of the elapsed time by more than this (percentage points) is amber, twice that red. */
export const BUDGET_AMBER_MARGIN = 0.1;
export const BUDGET_RED_MARGIN = 0.2;

export const budget: Dimension<BudgetFigures> = {
  key: "budget",
  label: "Budget",
  rule:
    `Compares the share of the budget spent with the share of the program's time elapsed: red when spend runs more than ` +
    `${percent(BUDGET_RED_MARGIN)} points ahead of time (or above the budget), amber when more than ${percent(BUDGET_AMBER_MARGIN)} ` +
    `points ahead, green otherwise; not measured without a planned budget or program dates.`,
  figureLabels: {
    planned: "Planned",
    spent: "Spent",
    spentPercent: "Spent (%)",
    elapsedPercent: "Time elapsed (%)",
    coachingHours: "Coaching effort (hours)",
    trainingHours: "Training effort (hours)",
  },
  judge(f): DimensionStatus {
    if (!f || f.planned <= 0 || f.elapsedShare === null)
      return {
        colour: "not_measured",
        reason: !f || f.planned <= 0 ? "No budget is planned yet." : "The program has no start and end dates.",
        figures: f ? { coachingHours: f.coachingHours, trainingHours: f.trainingHours } : {},
      };
    const spentShare = f.spent / f.planned;
    const ahead = spentShare - f.elapsedShare;
    const figures = {
      planned: f.planned,
      spent: f.spent,
      spentPercent: Math.round(spentShare * 100),
      elapsedPercent: Math.round(f.elapsedShare * 100),
      coachingHours: f.coachingHours,
      trainingHours: f.trainingHours,
    };
    const words = `${percent(spentShare)} of the budget spent at ${percent(f.elapsedShare)} of the time`;
    if (spentShare > 1) return { colour: "red", reason: `Over budget: ${words}`, figures };
    if (ahead > BUDGET_RED_MARGIN) return { colour: "red", reason: words, figures };
    if (ahead > BUDGET_AMBER_MARGIN) return { colour: "amber", reason: words, figures };
    return { colour: "green", reason: words, figures };
  },
};
