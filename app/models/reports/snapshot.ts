import type { DecisionState, RiskStatus } from "../../../db/schema";
import type { JudgedDimension, OverallStatus, ProgramFigures } from "./dimensions";
import type { ChartData, ReportScope } from "./figures.server";

// What a published report freezes: the live status as it was (figures, colours with their
// reasons and overrides, charts), the trend of every figure since the previous report, the
// risks the PLO picked, the decisions requested and still open, the sponsor's commitments and
// the budget. Readers render this object, never a live query, so a report read in March says
// what it said in January. `version` lets a later release read older snapshots.

export const SNAPSHOT_VERSION = 1;

/** Change of each numeric figure since the previous report, by dimension and figure key. */
export type Trends = Record<string, Record<string, number | null>>;

export interface SnapshotRisk {
  id: string;
  title: string;
  likelihood: number;
  impact: number;
  score: number;
  status: RiskStatus;
  mitigation: string;
  ownerName: string | null;
}

export interface SnapshotDecision {
  id: string;
  question: string;
  options: string;
  recommendation: string;
  dueOn: string;
  impactIfLate: string;
  state: DecisionState;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Asked in an earlier report and still open. */
  carried: boolean;
}

export interface SnapshotCommitment {
  id: string;
  title: string;
  dueOn: string;
  doneAt: string | null;
  overdue: boolean;
}

export interface BudgetSummary {
  lines: Array<{ id: string; category: string; planned: number; spent: number }>;
  months: Array<{ month: string; amount: number }>;
  planned: number;
  spent: number;
  coachingHours: number;
  trainingHours: number | null;
}

export interface ReportSnapshot {
  version: number;
  /** The day the figures were taken (the publication day). */
  takenOn: string;
  programName: string;
  scopeLabel: string;
  scope: ReportScope;
  figures: ProgramFigures;
  dimensions: JudgedDimension[];
  overall: OverallStatus;
  charts: ChartData;
  trends: Trends | null;
  previous: { id: string; periodEnd: string; revision: number } | null;
  risks: SnapshotRisk[];
  decisions: SnapshotDecision[];
  commitments: SnapshotCommitment[];
  budget: BudgetSummary;
}

/** Each numeric figure's change since the previous report's (null when it had none). */
export function computeTrends(current: readonly JudgedDimension[], previous: readonly JudgedDimension[] | null): Trends | null {
  if (!previous) return null;
  const before = new Map(previous.map((d) => [d.key, d.computed.figures]));
  const trends: Trends = {};
  for (const d of current) {
    const old = before.get(d.key) ?? {};
    trends[d.key] = {};
    for (const [key, value] of Object.entries(d.computed.figures)) {
      const prior = old[key];
      trends[d.key][key] = typeof value === "number" && typeof prior === "number" ? Math.round((value - prior) * 10) / 10 : null;
    }
  }
  return trends;
}

export interface FrozenFigureRow {
  dimension: string;
  dimension_label: string;
  colour: string;
  computed_colour: string;
  override_reason: string;
  reason: string;
  figure: string;
  figure_label: string;
  value: string | number | null;
  change_since_previous: number | null;
}

export const FROZEN_FIGURE_COLUMNS = [
  "dimension",
  "dimension_label",
  "colour",
  "computed_colour",
  "override_reason",
  "reason",
  "figure",
  "figure_label",
  "value",
  "change_since_previous",
] as const satisfies ReadonlyArray<keyof FrozenFigureRow>;

/** One row per frozen figure (a dimension without figures gets one row of its colour), for CSV. */
export function frozenFigureRows(snapshot: ReportSnapshot): FrozenFigureRow[] {
  const rows: FrozenFigureRow[] = [
    {
      dimension: "overall",
      dimension_label: "Overall",
      colour: snapshot.overall.colour,
      computed_colour: snapshot.overall.colour,
      override_reason: "",
      reason: snapshot.overall.reason,
      figure: "",
      figure_label: "",
      value: null,
      change_since_previous: null,
    },
  ];
  for (const d of snapshot.dimensions) {
    const base = {
      dimension: d.key,
      dimension_label: d.label,
      colour: d.colour,
      computed_colour: d.computed.colour,
      override_reason: d.override?.reason ?? "",
      reason: d.computed.reason,
    };
    const entries = Object.entries(d.computed.figures);
    if (entries.length === 0) rows.push({ ...base, figure: "", figure_label: "", value: null, change_since_previous: null });
    for (const [key, value] of entries) {
      rows.push({
        ...base,
        figure: key,
        figure_label: d.figureLabels[key] ?? key,
        value,
        change_since_previous: snapshot.trends?.[d.key]?.[key] ?? null,
      });
    }
  }
  return rows;
}
