import { percent, type Dimension, type DimensionStatus } from "./types";

/**
 * What the OKR cycles area hands in (see ../plug-ins.server.ts), for the current cycle: the teams
 * expected to run it, how many have their cycle checklist on track, and the program's health.
 */
export interface AdoptionFigures {
  /** The current cycle's name, e.g. "2027-Q1" (null when none is running). */
  cycleName: string | null;
  /** Teams expected to take part in the current cycle. */
  teamsInCycle: number;
  /** Of those, teams whose checklist is on track (drafted, aligned, checking in on cadence…). */
  teamsOnTrack: number;
  /** Program health score 0–100, null when not computed. */
  healthScore: number | null;
  /** Per wave: name and health score 0–100 (null: not measured), for the "health by wave" chart. */
  healthByWave: Array<{ wave: string; score: number | null }>;
}

export const ADOPTION_RED_SHARE = 0.5;
export const ADOPTION_GREEN_SHARE = 0.8;

export const adoption: Dimension<AdoptionFigures> = {
  key: "adoption",
  label: "Adoption",
  rule:
    `Share of the current cycle's teams whose cycle checklist is on track: red below ${percent(ADOPTION_RED_SHARE)}, amber below ` +
    `${percent(ADOPTION_GREEN_SHARE)}, green from there; not measured until OKR cycles are tracked in Rollout Desk.`,
  figureLabels: {
    teamsInCycle: "Teams in the cycle",
    teamsOnTrack: "Checklist on track",
    onTrackPercent: "On track (%)",
    healthScore: "Health score",
  },
  judge(f): DimensionStatus {
    if (!f) return { colour: "not_measured", reason: "Not measured yet: OKR cycles are not tracked in Rollout Desk yet.", figures: {} };
    if (f.teamsInCycle === 0)
      return { colour: "not_measured", reason: "No team takes part in a running cycle.", figures: { teamsInCycle: 0 } };
    const share = f.teamsOnTrack / f.teamsInCycle;
    const figures = {
      teamsInCycle: f.teamsInCycle,
      teamsOnTrack: f.teamsOnTrack,
      onTrackPercent: Math.round(share * 100),
      healthScore: f.healthScore,
    };
    const words = `${percent(share)} of the teams in ${f.cycleName ?? "the cycle"} are on track`;
    if (share < ADOPTION_RED_SHARE) return { colour: "red", reason: words, figures };
    if (share < ADOPTION_GREEN_SHARE) return { colour: "amber", reason: words, figures };
    return { colour: "green", reason: words, figures };
  },
};
