// The organization: a tree of units, teams in units, people in units and teams.
//
// Rules kept here (routes only translate them to forms):
// - Unit names are unique among siblings, team names within a unit, people's emails (stored
//   lower-cased) and employee ids across the installation; archived rows count too, because
//   they still exist (nothing in the org tables is deleted).
// - A unit never moves under itself or one of its sub-units.
// - Archiving never leaves orphans silently: a unit with active sub-units, teams or people, a
//   team with active members and a person who leads active teams are refused with a message
//   naming how many, unless the caller asks to archive / release / unassign them too.
// - Team size (see `TEAM_SIZE_SQL`): the number of active people assigned to the team; when
//   nobody is assigned (people were not imported one by one), the headcount stored on the team.
// Every change records an audit event in the same transaction.
//
// The unit tree is small (a few hundred units at most): it is loaded whole in one query and
// the paths ("Northwind › Operations › Fleet") are built in memory. Lists of teams and people
// use that index for unit paths, sub-unit filters and sorting by path, so a page of any list is
// a fixed number of queries whatever the size of the organization.
//
// The organization model, split by its sections (see ADR 0020):
//   tree.server.ts   — the unit tree loaded whole (index, paths, options)
//   units.server.ts  — unit changes (create, update, archive, restore)
//   teams.server.ts  — teams (lists, options, changes, CSV rows)
//   people.server.ts — people (lists, resolvers, changes, accounts, CSV rows)
//   sql.server.ts    — SQL fragments other areas share (teamWithoutLead, unitSubtree)
// This file only re-exports them, so imports written before the split keep working; new code
// imports from the module that owns the name.
export * from "./tree.server";
export * from "./units.server";
export * from "./teams.server";
export * from "./people.server";
export * from "./sql.server";
