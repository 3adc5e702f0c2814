import type { SessionType } from "../../../db/schema";

// What a coach's one-step log pre-fills for a team: the session type the team's first "needs
// next" step asks for, a usual duration and the team's size. Pure: shared by the home's loader
// and its tests.

/** The next-step codes of app/models/coaching/my-teams.server.ts, mapped to the session that answers them. */
const TYPE_FOR_STEP: Record<string, SessionType> = {
  kickoff: "training",
  no_session: "training",
  no_training: "training",
  no_drafting: "drafting",
  no_alignment: "alignment",
  no_check_in: "check_in",
  check_in_gap: "check_in",
  no_review: "review",
  stale: "check_in",
  waiting: "other",
  on_track: "check_in",
};

/** The session type a team's "needs next" suggests (its first step that needs attention, else its first step). */
export function suggestedSessionType(steps: ReadonlyArray<{ code: string; attention: boolean }>): SessionType {
  const step = steps.find((s) => s.attention) ?? steps[0];
  return (step && TYPE_FOR_STEP[step.code]) ?? "check_in";
}

/** The usual length of a support session, in minutes. */
export const DEFAULT_SESSION_MINUTES = 60;

/** Attendees to start from: the team's size, within the form's 1–500; empty when unknown. */
export function defaultAttendees(size: number | null | undefined): string {
  if (!size || size < 1) return "";
  return String(Math.min(size, 500));
}
