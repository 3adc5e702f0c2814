import { type Dimension, type DimensionStatus } from "./types";
import { plural } from "~/utils/numbers";

// Deliberately blind to attitudes: the sponsor sees how well stakeholders are kept informed,
// never who is a sceptic (attitudes are for the PLO's eyes only).
export interface StakeholderFigures {
  total: number;
  /** Never contacted, or last contact + interval before today. */
  overdue: number;
  /** Of those, stakeholders of high influence. */
  overdueHighInfluence: number;
}

export const stakeholders: Dimension<StakeholderFigures> = {
  key: "stakeholders",
  label: "Stakeholders",
  rule:
    "Red when 3 or more high-influence stakeholders are overdue for a contact; amber when any stakeholder is; green otherwise; " +
    "not measured while no stakeholder is listed.",
  figureLabels: { total: "Stakeholders", overdue: "Overdue for a contact", overdueHighInfluence: "High influence, overdue" },
  judge(f): DimensionStatus {
    if (!f || f.total === 0) return { colour: "not_measured", reason: "No stakeholder is listed yet.", figures: {} };
    const figures = { total: f.total, overdue: f.overdue, overdueHighInfluence: f.overdueHighInfluence };
    if (f.overdueHighInfluence >= 3)
      return { colour: "red", reason: `${plural(f.overdueHighInfluence, "high-influence stakeholder")} overdue for a contact`, figures };
    if (f.overdue > 0) return { colour: "amber", reason: `${plural(f.overdue, "stakeholder")} overdue for a contact`, figures };
    return { colour: "green", reason: `All ${plural(f.total, "stakeholder")} contacted on schedule.`, figures };
  },
};
