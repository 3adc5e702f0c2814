import type { Actor } from "../../support/http-fixtures";

export const SIGNED_IN: Actor[] = ["admin", "plo", "coach", "sponsor", "team_lead", "member"];
/** Who reads the organization and the rollout plan (team leads see only their own team's place). */
export const READERS: Actor[] = ["admin", "plo", "coach", "sponsor"];
export const PLO: Actor[] = ["admin", "plo"];
export const ADMIN: Actor[] = ["admin"];
