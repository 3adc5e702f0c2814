import type { Role } from "../../db/schema";

export type { Role };

/**
 * What each role may do. The one place that answers "may this user do this?": loaders and
 * actions call `requirePermission`, components call `can` to hide what the user may not do.
 */
export const PERMISSIONS = {
  "users:manage": ["admin"],
  "audit:read": ["admin"],
  /** Backups of the whole database: list, take one now (restoring is a command, with the app stopped). */
  "backups:manage": ["admin"],
  "programs:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  "programs:write": ["admin", "plo"],
  /** Bring in a program exported from another installation (it may add units, teams and people). */
  "programs:import": ["admin"],
  /** Published status reports; coaches see only those the PLO shares with everyone (checked in the model). */
  "reports:read": ["admin", "plo", "coach", "sponsor"],
  /** Enter progress (check-ins, scores, carry-forward): the team lead for their team, a key result's owner for it — checked in the model. Never coaches or sponsors. */
  "checkins:write": ["admin", "plo", "team_lead", "member"],
  /** Record a team's retrospective: its lead, its coach (who facilitates it) — checked in the model — and the PLO. */
  "retros:write": ["admin", "plo", "coach", "team_lead"],
  /** Write, publish and correct reports; override a colour; answer questions; budget and cadence. */
  "reports:write": ["admin", "plo"],
  /** The sponsor's part: acknowledge a report, ask questions, decide, keep commitments. */
  "reports:respond": ["sponsor"],
  /** The live status (aggregates only) and the decision log. */
  "status:read": ["admin", "plo", "sponsor"],
  /** Stakeholder attitudes ("Sceptic"…): the PLO's working knowledge, never shown to anyone else. */
  "stakeholders:attitudes": ["admin", "plo"],
  "raci:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  "raci:write": ["admin", "plo"],
  /** The organization (units, teams, people): team leads see only their own team's place in a plan. */
  "org:read": ["admin", "plo", "coach", "sponsor"],
  "org:write": ["admin", "plo"],
  /** The rollout plan of a program: waves, team pipeline, milestones, timeline, stakeholders, risks. */
  "plan:read": ["admin", "plo", "coach", "sponsor"],
  "plan:write": ["admin", "plo"],
  /** Coach community: the PLO staffs teams with coaches and answers escalations. */
  "coaching:manage": ["admin", "plo"],
  /** Aggregates of coaching (coverage, activity counts) — sponsors see these, never session notes. */
  "coaching:read": ["admin", "plo", "coach", "sponsor"],
  /** Session details incl. notes; a coach sees their own (checked in the model). */
  "sessions:read": ["admin", "plo", "coach"],
  /** Log sessions and raise escalations: a coach only for themself and their teams (checked in the model). */
  "sessions:write": ["admin", "plo", "coach"],
  "learnings:read": ["admin", "plo", "coach", "sponsor"],
  "learnings:write": ["admin", "plo", "coach"],
  /** Enablement: the PLO plans the curriculum, requirements and sessions and records completions. */
  "enablement:manage": ["admin", "plo"],
  /** Names and states: a coach sees their teams, a team lead their team, a trainer their sessions (checked in the model). */
  "enablement:read": ["admin", "plo", "coach", "team_lead"],
  /** Coverage figures without names (the sponsor's view). */
  "enablement:aggregates": ["admin", "plo", "coach", "team_lead", "sponsor"],
  /** OKR cycles, their calendar and OKRs: what a user may see of a team's set is checked in the model (ADR 0016). */
  "cycles:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  /** Configure cycles and their events; edit every OKR set. */
  "cycles:manage": ["admin", "plo"],
  /** Process health (issue 16): aggregates per program, wave and unit, cycle over cycle. */
  "health:read": ["admin", "plo", "sponsor"],
  /** The teams behind the health aggregates, and acting on them (clinics, coaches): never sponsors. */
  "health:teams": ["admin", "plo"],
  /** Graduation rules, and confirming or rejecting the proposed status moves. */
  "graduation:manage": ["admin", "plo"],
  /** Import OKR sets and check-ins into a cycle: the PLO any team, a team lead theirs, a coach drafts of the teams they coach (checked in the model). */
  "okrs:import": ["admin", "plo", "coach", "team_lead"],
  /** Company and unit objectives, owned by the sponsor with the PLO. */
  "okrs:upper": ["admin", "plo", "sponsor"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  plo: "Program Lead Office",
  coach: "OKR coach",
  sponsor: "Executive sponsor",
  team_lead: "Team lead",
  member: "Team member",
};
