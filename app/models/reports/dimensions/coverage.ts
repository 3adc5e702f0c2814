import { percent, type Dimension, type DimensionStatus } from "./types";
import { plural } from "~/utils/numbers";

export interface CoverageFigures {
  /** Active teams placed in a wave. */
  teamsInWaves: number;
  /** Of those, teams with a current primary coach. */
  teamsWithCoach: number;
  /** Coaches over their capacity. */
  overloadedCoaches: number;
}

/** Share of uncovered teams past which coverage is red. */
export const COVERAGE_RED_SHARE = 0.2;

export const coverage: Dimension<CoverageFigures> = {
  key: "coverage",
  label: "Coach coverage",
  rule:
    `Red when more than ${percent(COVERAGE_RED_SHARE)} of the teams in waves have no primary coach; amber when any team in a wave has none ` +
    `or a coach is over capacity; green otherwise; not measured while no team is in a wave.`,
  figureLabels: {
    teamsInWaves: "Teams in waves",
    teamsWithCoach: "Teams with a primary coach",
    coveredPercent: "Coverage (%)",
    overloadedCoaches: "Coaches over capacity",
  },
  judge(f): DimensionStatus {
    if (!f || f.teamsInWaves === 0) return { colour: "not_measured", reason: "No team is placed in a wave yet.", figures: {} };
    const uncovered = f.teamsInWaves - f.teamsWithCoach;
    const share = uncovered / f.teamsInWaves;
    const figures = {
      teamsInWaves: f.teamsInWaves,
      teamsWithCoach: f.teamsWithCoach,
      coveredPercent: Math.round((f.teamsWithCoach / f.teamsInWaves) * 100),
      overloadedCoaches: f.overloadedCoaches,
    };
    if (share > COVERAGE_RED_SHARE)
      return {
        colour: "red",
        reason: `${plural(uncovered, "team")} of ${f.teamsInWaves} in waves without a primary coach (${percent(share)})`,
        figures,
      };
    if (uncovered > 0) return { colour: "amber", reason: `${plural(uncovered, "team")} in waves without a primary coach`, figures };
    if (f.overloadedCoaches > 0)
      return { colour: "amber", reason: `${plural(f.overloadedCoaches, "coach", "coaches")} over capacity`, figures };
    return { colour: "green", reason: `All ${plural(f.teamsInWaves, "team")} in waves have a primary coach.`, figures };
  },
};
