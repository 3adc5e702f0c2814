import { adoption, type AdoptionFigures } from "./adoption";
import { budget, type BudgetFigures } from "./budget";
import { coverage, type CoverageFigures } from "./coverage";
import { decisions, type DecisionFigures } from "./decisions";
import { enablement, type EnablementFigures } from "./enablement";
import { health, type HealthFigures } from "./health";
import { risks, type RiskFigures } from "./risks";
import { schedule, type ScheduleFigures } from "./schedule";
import { stakeholders, type StakeholderFigures } from "./stakeholders";
import { COLOUR_RANK, type Dimension, type DimensionKey, type DimensionStatus, type RagColour } from "./types";

export * from "./types";
export type {
  AdoptionFigures,
  BudgetFigures,
  CoverageFigures,
  DecisionFigures,
  EnablementFigures,
  HealthFigures,
  RiskFigures,
  ScheduleFigures,
  StakeholderFigures,
};

/** Every figure the dimensions judge; null where the owning area gives none (yet). */
export interface ProgramFigures {
  schedule: ScheduleFigures | null;
  coverage: CoverageFigures | null;
  enablement: EnablementFigures | null;
  adoption: AdoptionFigures | null;
  health: HealthFigures | null;
  risks: RiskFigures | null;
  stakeholders: StakeholderFigures | null;
  budget: BudgetFigures | null;
  decisions: DecisionFigures | null;
}

/** The registry, in the order a report shows the dimensions. Adding a dimension: a module, a line here. */
export const DIMENSIONS: { [K in DimensionKey]: Dimension<NonNullable<ProgramFigures[K]>> } = {
  schedule,
  coverage,
  enablement,
  adoption,
  health,
  risks,
  stakeholders,
  budget,
  decisions,
};

export const DIMENSION_LIST = Object.values(DIMENSIONS) as Array<Dimension<unknown>>;

export function isDimensionKey(value: string): value is DimensionKey {
  return Object.hasOwn(DIMENSIONS, value);
}

/** A standing PLO override of a dimension's colour (always with its reason). */
export interface ColourOverride {
  colour: RagColour;
  reason: string;
  by: string;
  at: string;
}

export interface JudgedDimension {
  key: DimensionKey;
  label: string;
  rule: string;
  figureLabels: Record<string, string>;
  /** What the rule says. */
  computed: DimensionStatus;
  /** The PLO's override, if any; shown next to the computed colour. */
  override: ColourOverride | null;
  /** The colour that counts: the override's, else the computed one. */
  colour: RagColour;
}

export interface OverallStatus {
  colour: RagColour;
  reason: string;
}

/** Runs every rule on the figures and applies the standing overrides. */
export function judgeAll(figures: ProgramFigures, overrides: Partial<Record<DimensionKey, ColourOverride>> = {}): JudgedDimension[] {
  return (Object.keys(DIMENSIONS) as DimensionKey[]).map((key) => {
    const dimension = DIMENSIONS[key] as Dimension<unknown>;
    const computed = dimension.judge(figures[key]);
    const override = overrides[key] ?? null;
    return {
      key,
      label: dimension.label,
      rule: dimension.rule,
      figureLabels: dimension.figureLabels,
      computed,
      override,
      colour: override?.colour ?? computed.colour,
    };
  });
}

export const OVERALL_RULE =
  "The overall status is the worst colour of the measured dimensions (overrides included): red when any is red, amber when any is amber, " +
  "green when all measured ones are green; not measured when none is.";

/** The overall colour: the worst of the measured dimensions, with the names of the ones that make it so. */
export function overallStatus(dimensions: ReadonlyArray<Pick<JudgedDimension, "label" | "colour">>): OverallStatus {
  const worst = dimensions.reduce<RagColour>((acc, d) => (COLOUR_RANK[d.colour] > COLOUR_RANK[acc] ? d.colour : acc), "not_measured");
  if (worst === "not_measured") return { colour: worst, reason: "No dimension can be measured yet." };
  if (worst === "green") return { colour: worst, reason: "Every measured dimension is green." };
  const names = dimensions.filter((d) => d.colour === worst).map((d) => d.label.toLowerCase());
  return { colour: worst, reason: `${worst === "red" ? "Red" : "Amber"}: ${names.join(", ")}.` };
}
