// The PLO's side of the coach community: coaches of a program (a person with a capacity in
// teams), their assignments to teams, the coverage board and coaching activity aggregates.
//
// Rules kept here (routes only translate them to forms):
// - An assignment is current on day D when starts_on <= D and (ends_on is null or ends_on >= D);
//   ends_on is the last day of coaching. A coach's load is the number of active teams they have
//   a current assignment with (primary or secondary), counted as of today.
// - A team has at most one primary coach on any day: assigning a primary from D ends every other
//   primary assignment of the team that is still open on D the day before (D - 1), and removes
//   the ones that would only have started on or after D (they never took effect).
// - Coverage counts active coaches only: deactivating a coach ends their current assignments
//   today and removes the upcoming ones.
// - Every change records one audit event in the same transaction (bulk: one event with the count
//   and the ids). No session notes are ever read here: these pages are open to sponsors.
// Every page is a fixed number of queries whatever the size of the program (set-based SQL,
// `in (…)` for the rows of a page).

//
// The PLO's side of the coach community, split by its sections (see ADR 0020):
//   coach-sql.server.ts   — shared messages and SQL pieces (current assignment, load)
//   coach-list.server.ts  — coaches: list, options, one coach, create/update/(de)activate, CSV rows
//   assignments.server.ts — assignments of coaches to teams
//   coach-teams.server.ts — teams with their coaches (the bulk assignment list)
//   coverage.server.ts    — the coverage board
//   activity.server.ts    — coaching activity aggregates (never notes) and its CSV table
// This file only re-exports them, so imports written before the split keep working; new code
// imports from the module that owns the name.
export * from "./coach-sql.server";
export * from "./coach-list.server";
export * from "./assignments.server";
export * from "./coach-teams.server";
export * from "./coverage.server";
export * from "./activity.server";
