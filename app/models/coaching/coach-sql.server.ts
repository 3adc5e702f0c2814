import { sql, type RawBuilder, type SqlBool } from "kysely";
import { type DB } from "~/utils/db.server";

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

export const UNKNOWN_COACH = "Choose one of this program's coaches.";

export const UNKNOWN_TEAMS = "Some selected teams do not exist (or were archived). Reload the list and try again.";

// ---------------------------------------------------------------------------------------------
// SQL pieces

/** The assignment aliased `alias` is current on `day`. */
export function currentOn(alias: string, day: string): RawBuilder<SqlBool> {
  const starts = sql.ref(`${alias}.starts_on`);
  const ends = sql.ref(`${alias}.ends_on`);
  return sql<SqlBool>`(${starts} <= ${day}::date and (${ends} is null or ${ends} >= ${day}::date))`;
}

/**
 * Ids of the people who left the organization (archived): few, read from a partial index. "The
 * coach's person is not among them" instead of a join to people: the join made PostgreSQL hash
 * all 20,000 people to check a few hundred coaches, in every coverage and activity query.
 */
const leftPeople = sql<string>`(select lp.id from people lp where lp.archived_at is not null)`;

/**
 * Ids of the teams with a current primary assignment of an active coach on `day`. A coach whose
 * person left the organization (archived by an HR import) covers nobody: their teams are gaps.
 */
export function primaryCoveredTeams(programId: string, day: string): RawBuilder<string> {
  return sql<string>`(select pa.team_id from coach_assignments pa join coaches pc on pc.id = pa.coach_id
    where pa.program_id = ${programId} and pa.kind = 'primary' and pc.active and pc.person_id not in ${leftPeople} and ${currentOn("pa", day)})`;
}

/** Ids of the teams with any current assignment (of an active coach still in the organization) on `day`. */
export function coachedTeams(programId: string, day: string): RawBuilder<string> {
  return sql<string>`(select ca.team_id from coach_assignments ca join coaches cc on cc.id = ca.coach_id
    where ca.program_id = ${programId} and cc.active and cc.person_id not in ${leftPeople} and ${currentOn("ca", day)})`;
}

/** Ids of archived teams and of teams in archived units (few: a `not in` against them is cheap). */
const inactiveTeams = sql<string>`(select it.id from teams it join org_units iu on iu.id = it.unit_id where it.archived_at is not null or iu.archived_at is not null)`;

/**
 * Per coach, the number of active teams they currently coach (as of `day`). A coach never has
 * two current assignments to one team (see `assignTeams`), so counting rows counts teams.
 */
export function loadByCoach(db: DB, programId: string, day: string) {
  return db
    .selectFrom("coach_assignments as a")
    .where("a.program_id", "=", programId)
    .where(currentOn("a", day))
    .where("a.team_id", "not in", inactiveTeams)
    .select(["a.coach_id", sql<number>`count(*)::int`.as("load")])
    .groupBy("a.coach_id");
}

export const loadExpr = sql<number>`coalesce(l.load, 0)::int`;
