import type { ObjectiveState } from "../../../db/schema";

// The rules of OKR sets that pages show as well as enforce (no database here, so components may
// import them): what a viewer may do with a team's set, and where an objective's state may go.

/** What the viewer may do with one team's set (see access.server.ts for who gets what). */
export interface TeamRights {
  read: boolean;
  /** Edit objectives and key results in any state, change their states, delete them. */
  editSet: boolean;
  /** Add objectives (as drafts) and edit draft objectives and their key results. */
  editDrafts: boolean;
  comment: boolean;
  resolve: boolean;
}

/** May the viewer change this objective (or its key results), given its state? */
export function mayEditObjective(rights: TeamRights, state: string): boolean {
  return rights.editSet || (rights.editDrafts && state === "draft");
}

/** Where an objective's state may go from each state. */
export const OBJECTIVE_TRANSITIONS: Record<ObjectiveState, ObjectiveState[]> = {
  draft: ["in_review", "abandoned"],
  in_review: ["approved", "draft", "abandoned"],
  approved: ["active", "draft", "abandoned"],
  active: ["achieved", "abandoned"],
  achieved: ["active"],
  abandoned: ["draft"],
};
