import type { RagColour } from "../../../../db/schema";

// The report's dimensions form a registry: one module per dimension, each exporting a rule that
// takes plain figures (numbers gathered by ../figures.server.ts, or handed in by the area that
// owns them) and answers a colour with its reason. Rules are pure functions: unit-tested on
// hand-made figures, run again on a snapshot's frozen figures, never touching the database.

export type { RagColour };

/** A figure as shown and frozen: a number, a short text, or null when unknown. */
export type FigureValue = number | string | null;

export interface DimensionStatus {
  colour: RagColour;
  /** One sentence a sponsor reads: "3 milestones more than 14 days late". */
  reason: string;
  /** The figures the colour was judged on, by key (shown with their trend since the last report). */
  figures: Record<string, FigureValue>;
}

export interface Dimension<F> {
  key: DimensionKey;
  label: string;
  /** The rule in words, shown beside the colour and in the README. */
  rule: string;
  /** Labels of the figures the status shows, by key, in display order. */
  figureLabels: Record<string, string>;
  /** Null figures: the area that owns them is not there yet (or has nothing yet). */
  judge(figures: F | null): DimensionStatus;
}

export const DIMENSION_KEYS = [
  "schedule",
  "coverage",
  "enablement",
  "adoption",
  "health",
  "risks",
  "stakeholders",
  "budget",
  "decisions",
] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

export const COLOUR_LABELS: Record<RagColour, string> = {
  red: "Red",
  amber: "Amber",
  green: "Green",
  not_measured: "Not measured yet",
};

/** Worst first: red, amber, green; "not measured" never makes the overall colour worse. */
export const COLOUR_RANK: Record<RagColour, number> = { red: 3, amber: 2, green: 1, not_measured: 0 };

/** 0.4567 → "46%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
