import { type Dimension, type DimensionStatus } from "./types";
import { plural } from "~/utils/numbers";

export interface ScheduleFigures {
  /** Milestones not done whose due date has passed. */
  lateMilestones: number;
  /** Of those, the ones more than LATE_DAYS days late. */
  lateOverThreshold: number;
  /** Waves whose start date has passed. */
  wavesStarted: number;
  /** Teams in started waves. */
  teamsInStartedWaves: number;
  /** Of those, teams still "not started" more than LATE_DAYS days after their wave began. */
  teamsNotStartedLate: number;
  /** Milestones and waves in the plan (nothing planned: not measured). */
  milestones: number;
  waves: number;
}

export const LATE_DAYS = 14;
export const SCHEDULE_RED_LATE = 3;
/** Share of teams of started waves still not started, past which the schedule is red. */
export const SCHEDULE_RED_NOT_STARTED_SHARE = 0.25;

export const schedule: Dimension<ScheduleFigures> = {
  key: "schedule",
  label: "Schedule",
  rule:
    `Red when ${SCHEDULE_RED_LATE} or more milestones are more than ${LATE_DAYS} days late, or more than a quarter of the teams of started ` +
    `waves have not started ${LATE_DAYS} days after their wave began; amber when any milestone is late or any such team has not started; ` +
    `green otherwise; not measured while the plan has no waves or milestones.`,
  figureLabels: {
    lateMilestones: "Late milestones",
    lateOverThreshold: `Milestones more than ${LATE_DAYS} days late`,
    wavesStarted: "Waves started",
    teamsInStartedWaves: "Teams in started waves",
    teamsNotStartedLate: "Teams not started in time",
  },
  judge(f): DimensionStatus {
    if (!f || (f.milestones === 0 && f.waves === 0)) {
      return { colour: "not_measured", reason: "The plan has no waves or milestones yet.", figures: {} };
    }
    const figures = {
      lateMilestones: f.lateMilestones,
      lateOverThreshold: f.lateOverThreshold,
      wavesStarted: f.wavesStarted,
      teamsInStartedWaves: f.teamsInStartedWaves,
      teamsNotStartedLate: f.teamsNotStartedLate,
    };
    const notStartedShare = f.teamsInStartedWaves > 0 ? f.teamsNotStartedLate / f.teamsInStartedWaves : 0;
    if (f.lateOverThreshold >= SCHEDULE_RED_LATE)
      return { colour: "red", reason: `${plural(f.lateOverThreshold, "milestone")} more than ${LATE_DAYS} days late`, figures };
    if (notStartedShare > SCHEDULE_RED_NOT_STARTED_SHARE)
      return {
        colour: "red",
        reason: `${plural(f.teamsNotStartedLate, "team")} of ${f.teamsInStartedWaves} in started waves not started after ${LATE_DAYS} days`,
        figures,
      };
    if (f.lateMilestones > 0)
      return {
        colour: "amber",
        reason: `${plural(f.lateMilestones, "milestone")} late${f.lateOverThreshold > 0 ? `, ${f.lateOverThreshold} by more than ${LATE_DAYS} days` : ""}`,
        figures,
      };
    if (f.teamsNotStartedLate > 0)
      return {
        colour: "amber",
        reason: `${plural(f.teamsNotStartedLate, "team")} in started waves not started after ${LATE_DAYS} days`,
        figures,
      };
    return { colour: "green", reason: "No milestone is late and every team of a started wave has started.", figures };
  },
};
