import type { RawBuilder } from "kysely";
import { firstDraftingEventsOf } from "~/models/cycles/cycles.server";

// Where the "before the team's first drafting event" due rule gets its day: the OKR cycles know
// each team's first drafting event (a team without one falls back to the start of its wave, see
// resolve.server). The answer is a query embedded in the state query (no round trip of its own,
// and only for the teams that query reaches). Tests may plug in another provider.

/**
 * The first drafting event of the teams `placed` selects (team_id, unit_id, wave_id, starts_on:
 * the team, its unit, its wave and the wave's start) in the program: a query of (team_id, day).
 */
export type FirstDraftingEvents = (programId: string, placed: RawBuilder<unknown>) => RawBuilder<unknown>;

let provider: FirstDraftingEvents = firstDraftingEventsOf;

/** The teams' first drafting events (the OKR cycles' answer unless a test set another provider). */
export function firstDraftingEvents(programId: string, placed: RawBuilder<unknown>): RawBuilder<unknown> {
  return provider(programId, placed);
}

/** Replaces the provider (tests); without an argument, restores the OKR cycles' answer. */
export function setFirstDraftingEventsProvider(next: FirstDraftingEvents = firstDraftingEventsOf): void {
  provider = next;
}
