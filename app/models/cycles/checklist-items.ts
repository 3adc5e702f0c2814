// The items of the per-team cycle checklist, in order (rules: ./checklist.server.ts). No database: pages import it too.

export const CHECKLIST_ITEMS = [
  "drafted",
  "qualityPassed",
  "aligned",
  "approved",
  "onCadence",
  "midReviewHeld",
  "scored",
  "retroHeld",
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

export const CHECKLIST_LABELS: Record<ChecklistItem, string> = {
  drafted: "Drafted",
  qualityPassed: "Quality passed",
  aligned: "Aligned",
  approved: "Approved",
  onCadence: "Checking in on cadence",
  midReviewHeld: "Mid-cycle review held",
  scored: "Scored",
  retroHeld: "Retrospective held",
};
