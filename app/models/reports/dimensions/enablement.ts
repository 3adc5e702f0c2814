import { percent, type Dimension, type DimensionStatus } from "./types";

/**
 * What the enablement area hands in (see ../plug-ins.server.ts): people required to complete
 * training by now, how many did (or hold a waiver), and how many are overdue.
 */
export interface EnablementFigures {
  /** People × required modules due by today. */
  requiredDue: number;
  /** Of those, completed or waived. */
  completed: number;
  /** Of those, past their due date and not completed. */
  overdue: number;
  /** Training effort delivered, in hours (feeds the budget's effort). */
  trainingHours: number;
}

export const ENABLEMENT_RED_SHARE = 0.6;
export const ENABLEMENT_GREEN_SHARE = 0.85;

export const enablement: Dimension<EnablementFigures> = {
  key: "enablement",
  label: "Enablement",
  rule:
    `Share of the training due by today that is completed or waived: red below ${percent(ENABLEMENT_RED_SHARE)}, amber below ` +
    `${percent(ENABLEMENT_GREEN_SHARE)}, green from there; not measured until enablement is tracked in Rollout Desk.`,
  figureLabels: { requiredDue: "Trainings due", completed: "Completed or waived", completedPercent: "Completed (%)", overdue: "Overdue" },
  judge(f): DimensionStatus {
    if (!f) return { colour: "not_measured", reason: "Not measured yet: enablement is not tracked in Rollout Desk yet.", figures: {} };
    if (f.requiredDue === 0) return { colour: "not_measured", reason: "No training is due yet.", figures: { requiredDue: 0 } };
    const share = f.completed / f.requiredDue;
    const figures = { requiredDue: f.requiredDue, completed: f.completed, completedPercent: Math.round(share * 100), overdue: f.overdue };
    const words = `${percent(share)} of the training due is completed (${f.overdue.toLocaleString("en")} overdue)`;
    if (share < ENABLEMENT_RED_SHARE) return { colour: "red", reason: words, figures };
    if (share < ENABLEMENT_GREEN_SHARE) return { colour: "amber", reason: words, figures };
    return { colour: "green", reason: words, figures };
  },
};
