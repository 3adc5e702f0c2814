import type { CheckInConfidence, KeyResultDirection, KeyResultKind } from "../../../db/schema";
import { daysBetween, type Day } from "~/utils/dates";

// Progress of a key result and the two flags of a check-in (issue 14), pure so the check-in
// screen, the scoring suggestion, the checklist and the tests agree. The SQL of the checklist
// (checklist.server.ts) spells the stale rule the same way.
//
// Progress, 0–1:
//   metric     (current − start) / (target − start), clamped to 0–1. The formula honours the
//              direction by itself: for a "decrease" key result target < start, so a falling
//              value makes progress. No current value yet counts as the start (0). When start
//              equals target, progress is 1 once the target is reached in the key result's
//              direction, else 0. Without a start or a target there is no progress (null).
//   milestone  1 when done, else 0.
// Elapsed share of the cycle: (day − starts_on) / (ends_on − starts_on), clamped to 0–1, where
//   `day` is today, or ends_on for a cycle that is over.
// At risk (only while the cycle runs: starts_on ≤ today, state not closed, objective still open):
//   - the last check-in said "off track", or
//   - a metric's progress lags the elapsed share by more than AT_RISK_LAG (25 points): at half
//     time a key result below 25 % is at risk, or
//   - a milestone not done once AT_RISK_MILESTONE_SHARE (75 %) of the cycle has passed.
// Stale (only while the cycle runs): more than `checkin_cadence_days` days between the last
//   check-in (or the cycle's start when there was none) and today. Done milestones are never stale.

export const AT_RISK_LAG = 0.25;
export const AT_RISK_MILESTONE_SHARE = 0.75;

export interface ProgressInput {
  kind: KeyResultKind;
  startValue: number | null;
  targetValue: number | null;
  currentValue: number | null;
  direction: KeyResultDirection;
  milestoneDone: boolean;
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

export function progressOf(kr: ProgressInput): number | null {
  if (kr.kind === "milestone") return kr.milestoneDone ? 1 : 0;
  if (kr.startValue === null || kr.targetValue === null) return null;
  const current = kr.currentValue ?? kr.startValue;
  if (kr.targetValue === kr.startValue) {
    const reached = kr.direction === "decrease" ? current <= kr.targetValue : current >= kr.targetValue;
    return reached ? 1 : 0;
  }
  return clamp01((current - kr.startValue) / (kr.targetValue - kr.startValue));
}

export interface CycleClock {
  startsOn: Day;
  endsOn: Day;
  state: string;
  checkinCadenceDays: number;
}

/** The share of the cycle elapsed on `today` (0 before it starts, 1 after it ends). */
export function elapsedShare(cycle: Pick<CycleClock, "startsOn" | "endsOn">, today: Day): number {
  const length = daysBetween(cycle.startsOn, cycle.endsOn);
  if (length <= 0) return today >= cycle.startsOn ? 1 : 0;
  return clamp01(daysBetween(cycle.startsOn, today) / length);
}

/** The cycle runs: it has started, is not over and not closed. */
export function cycleRunning(cycle: CycleClock, today: Day): boolean {
  return cycle.state !== "closed" && cycle.startsOn <= today && today <= cycle.endsOn;
}

/** The calendar day of a timestamp (the app's local calendar, as `today()`). */
export function dayOf(at: Date | string): Day {
  const d = typeof at === "string" ? new Date(at) : at;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface FlagInput extends ProgressInput {
  lastCheckInAt: Date | string | null;
  lastConfidence: CheckInConfidence | null;
  /** The objective's state: achieved or abandoned objectives raise no flags. */
  objectiveState?: string;
}

export interface Flags {
  progress: number | null;
  atRisk: boolean;
  stale: boolean;
  /** Days since the last check-in (or the cycle's start), null before the cycle starts. */
  daysSinceCheckIn: number | null;
}

export function flagsOf(kr: FlagInput, cycle: CycleClock, today: Day): Flags {
  const progress = progressOf(kr);
  const open = kr.objectiveState !== "achieved" && kr.objectiveState !== "abandoned";
  const running = cycleRunning(cycle, today) && open;
  const since = kr.lastCheckInAt ? dayOf(kr.lastCheckInAt) : cycle.startsOn;
  const daysSinceCheckIn = today >= cycle.startsOn ? Math.max(0, daysBetween(since, today)) : null;
  if (!running) return { progress, atRisk: false, stale: false, daysSinceCheckIn };
  const elapsed = elapsedShare(cycle, today);
  const lagging =
    kr.kind === "milestone"
      ? !kr.milestoneDone && elapsed >= AT_RISK_MILESTONE_SHARE
      : progress !== null && progress < elapsed - AT_RISK_LAG;
  const atRisk = kr.lastConfidence === "off_track" || lagging;
  const done = kr.kind === "milestone" && kr.milestoneDone;
  const stale = !done && (daysSinceCheckIn ?? 0) > cycle.checkinCadenceDays;
  return { progress, atRisk, stale, daysSinceCheckIn };
}

/** Weighted score of an objective from its key results' scores (null when none is scored). */
export function weightedScore(keyResults: Array<{ weight: number; score: number | null }>): number | null {
  const scored = keyResults.filter((kr) => kr.score !== null);
  if (scored.length === 0) return null;
  const total = scored.reduce((sum, kr) => sum + kr.weight, 0);
  if (total <= 0) return null;
  return Math.round((scored.reduce((sum, kr) => sum + kr.weight * (kr.score ?? 0), 0) / total) * 100) / 100;
}

export const CONFIDENCE_LABELS: Record<CheckInConfidence, string> = {
  on_track: "On track",
  needs_attention: "Needs attention",
  off_track: "Off track",
};

/**
 * The form field of a check-in row's input: `value:<keyResultId>` and so on (the screen and the
 * errors share it). Here, not in checkins.server.ts: the screen's component uses it in the browser.
 */
export const rowField = (field: "value" | "done" | "confidence" | "note" | "blockers" | "version" | "was", keyResultId: string) =>
  `${field}:${keyResultId}`;
