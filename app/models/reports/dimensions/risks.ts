import { type Dimension, type DimensionStatus } from "./types";
import { plural } from "~/utils/numbers";

export interface RiskFigures {
  /** Risks in the register, whatever their status. */
  total: number;
  /** Open, mitigating or accepted. */
  active: number;
  /** Active risks scoring HIGH_RISK_SCORE or more (likelihood × impact). */
  high: number;
  /** Of the high ones, those still "open" (no mitigation under way). */
  highUnmitigated: number;
}

export const HIGH_RISK_SCORE = 15;

export const risks: Dimension<RiskFigures> = {
  key: "risks",
  label: "Risks",
  rule:
    `Red when 2 or more active risks score ${HIGH_RISK_SCORE} or more (likelihood × impact), or one of them has no mitigation under way; ` +
    `amber when one does; green otherwise; not measured while the register is empty.`,
  figureLabels: { active: "Active risks", high: `Risks scoring ${HIGH_RISK_SCORE}+`, highUnmitigated: "High risks not mitigated" },
  judge(f): DimensionStatus {
    if (!f || f.total === 0) return { colour: "not_measured", reason: "The risk register is empty.", figures: {} };
    const figures = { active: f.active, high: f.high, highUnmitigated: f.highUnmitigated };
    if (f.high >= 2) return { colour: "red", reason: `${plural(f.high, "active risk")} scoring ${HIGH_RISK_SCORE} or more`, figures };
    if (f.highUnmitigated > 0)
      return { colour: "red", reason: `A risk scoring ${HIGH_RISK_SCORE} or more has no mitigation under way`, figures };
    if (f.high === 1) return { colour: "amber", reason: `1 active risk scoring ${HIGH_RISK_SCORE} or more, being mitigated`, figures };
    return { colour: "green", reason: `No active risk scores ${HIGH_RISK_SCORE} or more (${plural(f.active, "active risk")}).`, figures };
  },
};
