import type { DB } from "~/utils/db.server";

// Where the "before the team's first drafting event" due rule gets its day. OKR cycles (another
// area) know each team's first drafting event; until they are wired in, the provider answers an
// empty map and the rule falls back to the start of the team's wave (see resolve.server).

/** The first drafting event of each team in the program: team id → 'YYYY-MM-DD'. */
export type FirstDraftingEvents = (db: DB, programId: string) => Promise<Map<string /* teamId */, string /* day */>>;

let provider: FirstDraftingEvents = () => Promise.resolve(new Map());

/** The teams' first drafting events, from the provider set by `setFirstDraftingEventsProvider` (empty by default). */
export function firstDraftingEvents(db: DB, programId: string): Promise<Map<string, string>> {
  return provider(db, programId);
}

/** Plugs in the OKR cycles' answer (called once at start-up by whoever owns the cycles). */
export function setFirstDraftingEventsProvider(next: FirstDraftingEvents): void {
  provider = next;
}
