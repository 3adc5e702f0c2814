import { firstDraftingEvents as cyclesFirstDraftingEvents } from "~/models/cycles/cycles.server";
import type { DB } from "~/utils/db.server";

// Where the "before the team's first drafting event" due rule gets its day: the OKR cycles know
// each team's first drafting event (a team without one falls back to the start of its wave, see
// resolve.server). Tests may plug in another provider.

/** The first drafting event of each team in the program: team id → 'YYYY-MM-DD'. */
export type FirstDraftingEvents = (db: DB, programId: string) => Promise<Map<string /* teamId */, string /* day */>>;

let provider: FirstDraftingEvents = cyclesFirstDraftingEvents;

/** The teams' first drafting events (the OKR cycles' answer unless a test set another provider). */
export function firstDraftingEvents(db: DB, programId: string): Promise<Map<string, string>> {
  return provider(db, programId);
}

/** Replaces the provider (tests). */
export function setFirstDraftingEventsProvider(next: FirstDraftingEvents): void {
  provider = next;
}
