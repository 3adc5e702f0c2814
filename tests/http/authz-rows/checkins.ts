import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import type { Actor } from "../../support/http-fixtures";
import type { CheckInWorld } from "../../support/okr-builders";
import { PLO, SIGNED_IN } from "./roles";

// Authorization rows of check-ins, scores, retrospectives and carry-forward (issue 14).
//
// Two layers decide: the role (permissions.ts: checkins:write for entering progress, retros:write
// for recording a retrospective) and the team (the model: the team's lead, a key result's owner,
// the coach coaching the team). `rows` go into the installation-wide matrix
// (tests/http/authorization.test.ts), whose fixtures have no cycle: an allowed request reaches the
// model and gets a 404 for the missing cycle, a refused one a 403 from the role. `preciseRows`
// cover the team layer on a seeded world (tests/http/checkins-authz.test.ts): the team's lead,
// the member owning one key result, the coach coaching the team.

/** Who enters progress at the role level (the model narrows it to the team and the key result). */
export const PROGRESS: Actor[] = ["admin", "plo", "team_lead", "member"];
export const RETRO_WRITERS: Actor[] = ["admin", "plo", "coach", "team_lead"];

const TEAM = "/programs/:programId/cycles/:checkinCycleId/teams/:checkinTeamId";

export const rows: AuthzRow[] = [
  { method: "GET", path: `${TEAM}/check-in`, allow: PROGRESS, note: "no cycle in the matrix: let through means a 404" },
  { method: "POST", path: `${TEAM}/check-in`, allow: PROGRESS, form: checkInForm("no-key-result") },
  { method: "GET", path: `${TEAM}/score`, allow: PROGRESS },
  {
    method: "POST",
    path: `${TEAM}/score`,
    allow: PROGRESS,
    form: { kr: "no-key-result", "score:no-key-result": "0.5", "version:no-key-result": "1" },
  },
  {
    method: "GET",
    path: `${TEAM}/retro`,
    allow: SIGNED_IN,
    note: "the model refuses sponsors and people outside the team (see preciseRows)",
  },
  { method: "POST", path: `${TEAM}/retro`, allow: RETRO_WRITERS, form: retroForm() },
  { method: "GET", path: `${TEAM}/carry-forward`, allow: PROGRESS },
  { method: "POST", path: `${TEAM}/carry-forward`, allow: PROGRESS, form: {} },
  { method: "GET", path: "/programs/:programId/cycles/:checkinCycleId/checkins.csv", allow: PLO, singleFetch: false },
  { method: "GET", path: "/programs/:programId/cycles/:checkinCycleId/export.json", allow: PLO, singleFetch: false },
];

/** A coach may POST a retrospective (they facilitate it; the model checks they coach the team). */
export const coachWrites: string[] = [`${TEAM}/retro`];

/**
 * A cycle that does not exist, so an allowed request means "reached the model" (404) — keys of
 * their own: the cycles area's real cycle and team (context.cycleId, context.teamId) would let the
 * model answer 403 for a team lead of another team. The team layer is tested in checkins-authz.
 */
export async function setUp(_admin: HttpClient, context: AuthzContext): Promise<void> {
  context.checkinCycleId = "00000000-0000-4000-8000-00000000c1c1";
  context.checkinTeamId = context.coachTeamId ?? "00000000-0000-4000-8000-00000000feed";
}

export function checkInForm(keyResultId: string, version = "1", value = "50"): Record<string, string> {
  return {
    kr: keyResultId,
    [`version:${keyResultId}`]: version,
    [`was:${keyResultId}`]: "",
    [`value:${keyResultId}`]: value,
    [`confidence:${keyResultId}`]: "on_track",
    [`note:${keyResultId}`]: "From the matrix",
    [`blockers:${keyResultId}`]: "",
  };
}

export function retroForm(version = "0"): Record<string, string> {
  return { version, heldOn: "2026-12-01", wentWell: "Matrix", toImprove: "", processFeedback: "" };
}

/**
 * The team layer on a seeded world (see checkInWorld): the matrix's team lead leads the team, its
 * member owns the first key result, its coach coaches the team, the sponsor and the lead of another
 * team see nothing. Context: programId, checkinCycleId, checkinTeamId, ownKr (the member's), leadKr (the lead's).
 */
export const preciseRows: AuthzRow[] = [
  { method: "GET", path: `${TEAM}/check-in`, allow: PROGRESS },
  {
    method: "POST",
    path: `${TEAM}/check-in`,
    allow: PROGRESS,
    note: "the member's own key result; a stale version is a 409 (let through)",
    form: (c) => checkInForm(c.ownKr),
  },
  {
    method: "POST",
    path: `${TEAM}/check-in?kr=lead`,
    allow: ["admin", "plo", "team_lead"],
    note: "the lead's key result: its owner and the team lead, never the member",
    form: (c) => checkInForm(c.leadKr),
  },
  { method: "GET", path: `${TEAM}/score`, allow: ["admin", "plo", "team_lead"] },
  {
    method: "POST",
    path: `${TEAM}/score`,
    allow: ["admin", "plo", "team_lead"],
    form: (c) => ({ kr: c.leadKr, [`score:${c.leadKr}`]: "0.5", [`version:${c.leadKr}`]: "1" }),
  },
  { method: "GET", path: `${TEAM}/retro`, allow: ["admin", "plo", "coach", "team_lead", "member"] },
  { method: "POST", path: `${TEAM}/retro`, allow: RETRO_WRITERS, form: retroForm("99") },
  { method: "GET", path: `${TEAM}/carry-forward`, allow: ["admin", "plo", "team_lead"] },
  { method: "POST", path: `${TEAM}/carry-forward`, allow: ["admin", "plo", "team_lead"], form: {} },
  { method: "GET", path: "/programs/:programId/cycles/:checkinCycleId/checkins.csv", allow: PLO, singleFetch: false },
  { method: "GET", path: "/programs/:programId/cycles/:checkinCycleId/export.json", allow: PLO, singleFetch: false },
];

export function preciseContext(w: CheckInWorld): AuthzContext {
  return {
    programId: w.programId,
    checkinCycleId: w.cycleId,
    checkinTeamId: w.teamId,
    ownKr: w.keyResultIds[0],
    leadKr: w.keyResultIds[1],
  };
}
