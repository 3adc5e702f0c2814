import { type Dimension, type DimensionStatus } from "./types";
import { plural } from "~/utils/numbers";

export interface DecisionFigures {
  open: number;
  /** Open decisions whose due date has passed. */
  overdue: number;
  decided: number;
}

export const DECISIONS_RED_OVERDUE = 3;

export const decisions: Dimension<DecisionFigures> = {
  key: "decisions",
  label: "Decisions",
  rule: `Red when ${DECISIONS_RED_OVERDUE} or more open decisions are past their due date; amber when one is; green otherwise.`,
  figureLabels: { open: "Open decisions", overdue: "Overdue decisions", decided: "Decided" },
  judge(f): DimensionStatus {
    const figures = { open: f?.open ?? 0, overdue: f?.overdue ?? 0, decided: f?.decided ?? 0 };
    if (!f || f.open + f.decided === 0) return { colour: "green", reason: "No decision has been requested.", figures };
    if (f.overdue >= DECISIONS_RED_OVERDUE)
      return { colour: "red", reason: `${plural(f.overdue, "decision")} past their due date`, figures };
    if (f.overdue > 0) return { colour: "amber", reason: `${plural(f.overdue, "decision")} past its due date`, figures };
    return { colour: "green", reason: f.open > 0 ? `${plural(f.open, "open decision")}, none overdue.` : "No decision is open.", figures };
  },
};
