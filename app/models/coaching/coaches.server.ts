import { addDays, format, parseISO, startOfWeek } from "date-fns";
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { AssignmentKind, Role } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { resolvePersonEmail, unitSubtree } from "~/models/org/org.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type Page } from "~/utils/list-params";
import { compareNames } from "~/utils/collate";
import { fetchPage } from "~/utils/paging.server";
import {
  ACTIVITY_WEEKS,
  ALREADY_COACH,
  ASSIGNMENT_KIND_LABELS,
  COACH_LOAD_PAGE_SIZE,
  END_BEFORE_START,
  quietWeeks,
  type ActivitySort,
  type AssignInput,
  type AssignmentSort,
  type CoachInput,
  type CoachSort,
  type CoachUpdateInput,
  type GapSort,
} from "~/validation/coaching";
import { FieldError, NotFoundError, isUniqueViolation } from "~/models/errors";
import * as dates from "~/utils/dates";
import type { CsvRecord } from "~/utils/csv";

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

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** 'YYYY-MM-DD' shifted by `days`. */
export function shiftDay(day: string, days: number): string {
  return format(addDays(parseISO(day), days), "yyyy-MM-dd");
}

// ---------------------------------------------------------------------------------------------
// SQL pieces

/** The assignment aliased `alias` is current on `day`. */
function currentOn(alias: string, day: string): RawBuilder<SqlBool> {
  const starts = sql.ref(`${alias}.starts_on`);
  const ends = sql.ref(`${alias}.ends_on`);
  return sql<SqlBool>`(${starts} <= ${day}::date and (${ends} is null or ${ends} >= ${day}::date))`;
}

/** Ids of the teams with a current primary assignment of an active coach on `day`. */
function primaryCoveredTeams(programId: string, day: string): RawBuilder<string> {
  return sql<string>`(select pa.team_id from coach_assignments pa join coaches pc on pc.id = pa.coach_id
    where pa.program_id = ${programId} and pa.kind = 'primary' and pc.active and ${currentOn("pa", day)})`;
}

/** Ids of the teams with any current assignment (of an active coach) on `day`. */
function coachedTeams(programId: string, day: string): RawBuilder<string> {
  return sql<string>`(select ca.team_id from coach_assignments ca join coaches cc on cc.id = ca.coach_id
    where ca.program_id = ${programId} and cc.active and ${currentOn("ca", day)})`;
}

/** Ids of archived teams and of teams in archived units (few: a `not in` against them is cheap). */
const inactiveTeams = sql<string>`(select it.id from teams it join org_units iu on iu.id = it.unit_id where it.archived_at is not null or iu.archived_at is not null)`;

/**
 * Per coach, the number of active teams they currently coach (as of `day`). A coach never has
 * two current assignments to one team (see `assignTeams`), so counting rows counts teams.
 */
function loadByCoach(db: DB, programId: string, day: string) {
  return db
    .selectFrom("coach_assignments as a")
    .where("a.program_id", "=", programId)
    .where(currentOn("a", day))
    .where("a.team_id", "not in", inactiveTeams)
    .select(["a.coach_id", sql<number>`count(*)::int`.as("load")])
    .groupBy("a.coach_id");
}

const loadExpr = sql<number>`coalesce(l.load, 0)::int`;

// ---------------------------------------------------------------------------------------------
// Coaches

/** Whether the coach can sign in and log sessions: their person is linked to an active coach account. */
export type AccountState = "coach" | "missing" | "other_role" | "inactive";

export interface CoachRow {
  id: string;
  personId: string;
  name: string;
  email: string;
  title: string;
  focus: string;
  capacity: number;
  load: number;
  active: boolean;
  account: AccountState;
  accountRole: Role | null;
}

export function accountState(user: { id: string | null; role: Role | null; active: boolean | null }): AccountState {
  if (!user.id) return "missing";
  if (!user.active) return "inactive";
  return user.role === "coach" ? "coach" : "other_role";
}

function coachesQuery(db: DB, programId: string, day: string) {
  return (
    db
      .selectFrom("coaches as c")
      // A lateral lookup per coach (`offset 0` keeps PostgreSQL from turning it into a hash join
      // over every person of the organization: a program has hundreds of coaches, the
      // organization tens of thousands of people).
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom("people")
            .select(["people.id", "people.name", "people.email", "people.title", "people.user_id"])
            .whereRef("people.id", "=", "c.person_id")
            .offset(0)
            .as("p"),
        (join) => join.onTrue(),
      )
      .leftJoin("users as usr", "usr.id", "p.user_id")
      .leftJoin(loadByCoach(db, programId, day).as("l"), "l.coach_id", "c.id")
      .where("c.program_id", "=", programId)
  );
}

type CoachesQuery = ReturnType<typeof coachesQuery>;

function selectCoachColumns(query: CoachesQuery) {
  return query.select([
    "c.id",
    "c.person_id as personId",
    "p.name",
    "p.email",
    "p.title",
    "c.focus",
    "c.capacity",
    "c.active",
    loadExpr.as("load"),
    "usr.id as userId",
    "usr.role as userRole",
    "usr.active as userActive",
  ]);
}

type CoachRecord = Awaited<ReturnType<ReturnType<typeof selectCoachColumns>["execute"]>>[number];

function toCoachRow(r: CoachRecord): CoachRow {
  return {
    id: r.id,
    personId: r.personId,
    name: r.name,
    email: r.email,
    title: r.title,
    focus: r.focus,
    capacity: Number(r.capacity),
    load: Number(r.load),
    active: Boolean(r.active),
    account: accountState({ id: r.userId, role: r.userRole, active: r.userActive }),
    accountRole: r.userRole,
  };
}

export interface CoachFilters {
  q?: string;
  /** active (default) | inactive | all */
  status?: string;
  /** overloaded | full | free */
  load?: string;
  /** missing: no active coach account linked */
  account?: string;
}

function filterCoaches(query: CoachesQuery, filters: CoachFilters): CoachesQuery {
  let q = query;
  if (filters.status === "inactive") q = q.where("c.active", "=", false);
  else if (filters.status !== "all") q = q.where("c.active", "=", true);
  if (filters.load === "overloaded") q = q.where(loadExpr, ">", sql<number>`c.capacity`);
  else if (filters.load === "full") q = q.where(loadExpr, "=", sql<number>`c.capacity`);
  else if (filters.load === "free") q = q.where(loadExpr, "<", sql<number>`c.capacity`);
  if (filters.account === "missing") {
    q = q.where((eb) => eb.or([eb("usr.id", "is", null), eb("usr.role", "!=", "coach"), eb("usr.active", "=", false)]));
  }
  if (filters.q) {
    const like = likePattern(filters.q);
    q = q.where((eb) => eb.or([eb("p.name", "ilike", like), eb("p.email", "ilike", like), eb("c.focus", "ilike", like)]));
  }
  return q;
}

function orderCoaches(query: ReturnType<typeof selectCoachColumns>, sort: CoachSort, dir: "asc" | "desc") {
  const ordered = (() => {
    switch (sort) {
      case "capacity":
        return query.orderBy("c.capacity", dir);
      case "load":
        return query.orderBy(loadExpr, dir);
      case "free":
        return query.orderBy(sql`c.capacity - ${loadExpr}`, dir);
      default:
        return query.orderBy(sql`lower(p.name)`, dir);
    }
  })();
  return ordered.orderBy(sql`lower(p.name)`).orderBy("c.id");
}

/** One page of the program's coaches with their load as of `day` (one query). */
export async function listCoaches(db: DB, programId: string, params: ListParams<CoachSort>, day = dates.today()): Promise<Page<CoachRow>> {
  const query = orderCoaches(
    selectCoachColumns(filterCoaches(coachesQuery(db, programId, day), { q: params.q, ...params.filters })),
    params.sort,
    params.dir,
  );
  const page = await fetchPage(query, params);
  return { ...page, rows: page.rows.map(toCoachRow) };
}

/** Every coach matching the list's filters, in the list's order (for the CSV export). */
export async function allCoaches(
  db: DB,
  programId: string,
  params: Pick<ListParams<CoachSort>, "q" | "filters" | "sort" | "dir">,
  day = dates.today(),
) {
  const rows = await orderCoaches(
    selectCoachColumns(filterCoaches(coachesQuery(db, programId, day), { q: params.q, ...params.filters })),
    params.sort,
    params.dir,
  ).execute();
  return rows.map(toCoachRow);
}

export const ACCOUNT_LABELS: Record<AccountState, string> = {
  coach: "Coach account",
  missing: "No account linked",
  other_role: "Linked account is not a coach account",
  inactive: "Linked account is deactivated",
};

export const COACH_CSV_COLUMNS = [
  "name",
  "email",
  "title",
  "focus",
  "capacity",
  "load",
  "free",
  "overloaded",
  "account",
  "status",
] as const;

/** The coach list's CSV rows (for `csvResponse` with COACH_CSV_COLUMNS). */
export function coachCsvRows(rows: CoachRow[]): CsvRecord<(typeof COACH_CSV_COLUMNS)[number]>[] {
  return rows.map((r) => ({
    name: r.name,
    email: r.email,
    title: r.title,
    focus: r.focus,
    capacity: r.capacity,
    load: r.load,
    free: Math.max(0, r.capacity - r.load),
    overloaded: r.load > r.capacity ? "yes" : "no",
    account: ACCOUNT_LABELS[r.account],
    status: r.active ? "active" : "deactivated",
  }));
}

export interface CoachOption {
  id: string;
  name: string;
  capacity: number;
  load: number;
}

/** Active coaches for pickers, most free capacity first (one query). */
export async function listCoachOptions(db: DB, programId: string, day = dates.today()): Promise<CoachOption[]> {
  const rows = await coachesQuery(db, programId, day)
    .where("c.active", "=", true)
    .select(["c.id", "p.name", "c.capacity", loadExpr.as("load")])
    .orderBy(sql`c.capacity - ${loadExpr}`, "desc")
    .orderBy(sql`lower(p.name)`)
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, capacity: Number(r.capacity), load: Number(r.load) }));
}

/** One coach of the program with their load as of `day`, or null. */
export async function getCoach(db: DB, programId: string, coachId: string, day = dates.today()): Promise<CoachRow | null> {
  const row = await selectCoachColumns(coachesQuery(db, programId, day))
    .where("c.id", "=", coachId)
    .executeTakeFirst();
  return row ? toCoachRow(row) : null;
}

/** Makes a person of the organization a coach of the program. Returns the new coach's id and name. */
export async function createCoach(db: DB, actor: Actor, programId: string, input: CoachInput): Promise<{ id: string; name: string }> {
  return inTransaction(db, async (trx) => {
    const person = await resolvePersonEmail(trx, input.personEmail, "personEmail");
    if (!person) throw new FieldError({ personEmail: "Enter the email of the person who becomes a coach." });
    const existing = await trx
      .selectFrom("coaches")
      .select(["id", "active"])
      .where("program_id", "=", programId)
      .where("person_id", "=", person.id)
      .executeTakeFirst();
    if (existing) {
      throw new FieldError({
        personEmail: existing.active ? ALREADY_COACH : `${ALREADY_COACH} ${person.name} is deactivated: reactivate them on their page.`,
      });
    }
    const id = crypto.randomUUID();
    try {
      await trx
        .insertInto("coaches")
        .values({ id, program_id: programId, person_id: person.id, capacity: input.capacity, focus: input.focus })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new FieldError({ personEmail: ALREADY_COACH });
      throw error;
    }
    await recordAudit(trx, {
      actor,
      action: "coach.created",
      entityType: "coach",
      entityId: id,
      programId,
      summary: `Made ${person.name} a coach (capacity ${plural(input.capacity, "team")})`,
      details: { personId: person.id, email: person.email, capacity: input.capacity, focus: input.focus },
    });
    return { id, name: person.name };
  });
}

async function lockCoach(trx: DB, programId: string, coachId: string) {
  const coach = await trx
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "c.capacity", "c.focus", "c.active", "p.name"])
    .where("c.id", "=", coachId)
    .where("c.program_id", "=", programId)
    .forUpdate("c")
    .executeTakeFirst();
  if (!coach) throw new NotFoundError("This coach does not exist in this program.");
  return coach;
}

/** Changes a coach's capacity and focus; false when nothing changed. */
export async function updateCoach(db: DB, actor: Actor, programId: string, coachId: string, input: CoachUpdateInput): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await lockCoach(trx, programId, coachId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (Number(before.capacity) !== input.capacity) changes.capacity = { from: Number(before.capacity), to: input.capacity };
    if (before.focus !== input.focus) changes.focus = { from: before.focus, to: input.focus };
    if (Object.keys(changes).length === 0) return false;
    await trx
      .updateTable("coaches")
      .set({ capacity: input.capacity, focus: input.focus, updated_at: new Date() })
      .where("id", "=", coachId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "coach.updated",
      entityType: "coach",
      entityId: coachId,
      programId,
      summary: `Updated coach ${before.name}: ${Object.keys(changes).join(", ")}`,
      details: changes,
    });
    return true;
  });
}

export interface ActiveChange {
  name: string;
  changed: boolean;
  /** Current assignments ended today (deactivation). */
  ended: number;
  /** Upcoming assignments removed (deactivation). */
  removed: number;
}

/**
 * Deactivates a coach (their current assignments end `day`, their upcoming ones are removed, so
 * their teams show up as gaps) or reactivates them (assignments stay as they are).
 */
export async function setCoachActive(
  db: DB,
  actor: Actor,
  programId: string,
  coachId: string,
  active: boolean,
  day = dates.today(),
): Promise<ActiveChange> {
  return inTransaction(db, async (trx) => {
    const coach = await lockCoach(trx, programId, coachId);
    if (Boolean(coach.active) === active) return { name: coach.name, changed: false, ended: 0, removed: 0 };
    await trx.updateTable("coaches").set({ active, updated_at: new Date() }).where("id", "=", coachId).execute();
    let ended: string[] = [];
    let removed: string[] = [];
    if (!active) {
      removed = (
        await trx.deleteFrom("coach_assignments").where("coach_id", "=", coachId).where("starts_on", ">", day).returning("id").execute()
      ).map((r) => r.id);
      ended = (
        await trx
          .updateTable("coach_assignments")
          .set({ ends_on: day })
          .where("coach_id", "=", coachId)
          .where((eb) => eb.or([eb("ends_on", "is", null), eb("ends_on", ">", day)]))
          .returning("id")
          .execute()
      ).map((r) => r.id);
    }
    await recordAudit(trx, {
      actor,
      action: active ? "coach.reactivated" : "coach.deactivated",
      entityType: "coach",
      entityId: coachId,
      programId,
      summary: active
        ? `Reactivated coach ${coach.name}`
        : `Deactivated coach ${coach.name}: ended ${plural(ended.length, "assignment")}, removed ${plural(removed.length, "upcoming assignment")}`,
      details: active ? {} : { endedOn: day, ended, removed },
    });
    return { name: coach.name, changed: true, ended: ended.length, removed: removed.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Assignments

export interface ReplacedAssignment {
  teamId: string;
  teamName: string;
  coachName: string;
  kind: AssignmentKind;
  /** The new last day, or null when the assignment was removed (it had not started yet). */
  endedOn: string | null;
}

export interface AssignResult {
  coachId: string;
  coachName: string;
  kind: AssignmentKind;
  startsOn: string;
  endsOn: string | null;
  /** Teams newly assigned. */
  assigned: number;
  /** Teams the coach already coached that way on the start date (left as they were). */
  already: number;
  /** Other assignments ended or removed to keep one primary coach per team. */
  replaced: ReplacedAssignment[];
  /** The coach's load and capacity as of `today`, after the change. */
  load: number;
  capacity: number;
}

/**
 * Assigns teams to one coach as primary or secondary from `startsOn` (until `endsOn`, or open).
 * A new primary ends the team's previous primary assignment the day before (see the rules at
 * the top). A handful of statements whatever the number of teams; one audit event.
 */
export async function assignTeams(
  db: DB,
  actor: Actor,
  programId: string,
  input: Pick<AssignInput, "teamId" | "coachId" | "kind" | "startsOn" | "endsOn">,
  today = dates.today(),
): Promise<AssignResult> {
  const { coachId, kind, startsOn, endsOn } = input;
  if (endsOn !== null && endsOn < startsOn) throw new FieldError({ endsOn: END_BEFORE_START });
  const teamIds = [...new Set(input.teamId)];
  if (teamIds.length === 0) throw new FieldError({ teamId: "Select at least one team." });
  return inTransaction(db, async (trx) => {
    const coach = await trx
      .selectFrom("coaches as c")
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["c.id", "c.active", "c.capacity", "p.name"])
      .where("c.id", "=", coachId)
      .where("c.program_id", "=", programId)
      .executeTakeFirst();
    if (!coach) throw new FieldError({ coachId: UNKNOWN_COACH });
    if (!coach.active) throw new FieldError({ coachId: `${coach.name} is deactivated: reactivate them on their page first.` });
    // Locking the teams serializes two PLO members assigning coaches to the same team.
    const teams = await trx
      .selectFrom("teams as t")
      .innerJoin("org_units as u", "u.id", "t.unit_id")
      .select(["t.id", "t.name"])
      .where("t.id", "in", teamIds)
      .where("t.archived_at", "is", null)
      .where("u.archived_at", "is", null)
      .orderBy("t.id")
      .forNoKeyUpdate("t")
      .execute();
    if (teams.length !== teamIds.length) throw new FieldError({ teamId: UNKNOWN_TEAMS });
    const teamName = new Map(teams.map((t) => [t.id, t.name]));

    // Assignments that are still open on the start date and could collide: the teams' primaries,
    // and anything of this coach with these teams.
    const open = await trx
      .selectFrom("coach_assignments as a")
      .innerJoin("coaches as oc", "oc.id", "a.coach_id")
      .innerJoin("people as op", "op.id", "oc.person_id")
      .select([
        "a.id",
        "a.coach_id as coachId",
        "a.team_id as teamId",
        "a.kind",
        "a.starts_on as startsOn",
        "a.ends_on as endsOn",
        "op.name as coachName",
      ])
      .where("a.program_id", "=", programId)
      .where("a.team_id", "in", teamIds)
      .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", startsOn)]))
      .where((eb) => eb.or([eb("a.kind", "=", "primary"), eb("a.coach_id", "=", coachId)]))
      .execute();
    const overlaps = (a: { startsOn: string }) => endsOn === null || a.startsOn <= endsOn;
    const dayBefore = shiftDay(startsOn, -1);
    const toEnd: string[] = [];
    const toRemove: string[] = [];
    const replaced: ReplacedAssignment[] = [];
    const newRows: Array<{
      id: string;
      program_id: string;
      coach_id: string;
      team_id: string;
      kind: AssignmentKind;
      starts_on: string;
      ends_on: string | null;
    }> = [];
    const skipped: string[] = [];
    for (const teamId of teamIds) {
      const mine = open.filter((a) => a.teamId === teamId && a.coachId === coachId && overlaps(a));
      const coversStart = (a: (typeof open)[number]) => a.startsOn <= startsOn;
      if (kind === "secondary" ? mine.length > 0 : mine.some((a) => a.kind === "primary" && coversStart(a))) {
        skipped.push(teamId);
        continue;
      }
      if (kind === "primary") {
        const colliding = open.filter((a) => a.teamId === teamId && overlaps(a) && (a.kind === "primary" || a.coachId === coachId));
        for (const a of colliding) {
          const removed = a.startsOn >= startsOn;
          (removed ? toRemove : toEnd).push(a.id);
          replaced.push({
            teamId,
            teamName: teamName.get(teamId) ?? "",
            coachName: a.coachName,
            kind: a.kind,
            endedOn: removed ? null : dayBefore,
          });
        }
      }
      newRows.push({
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: coachId,
        team_id: teamId,
        kind,
        starts_on: startsOn,
        ends_on: endsOn,
      });
    }
    if (toEnd.length) await trx.updateTable("coach_assignments").set({ ends_on: dayBefore }).where("id", "in", toEnd).execute();
    if (toRemove.length) await trx.deleteFrom("coach_assignments").where("id", "in", toRemove).execute();
    for (let i = 0; i < newRows.length; i += 1000)
      await trx
        .insertInto("coach_assignments")
        .values(newRows.slice(i, i + 1000))
        .execute();
    if (newRows.length > 0) {
      const label = ASSIGNMENT_KIND_LABELS[kind].toLowerCase();
      await recordAudit(trx, {
        actor,
        action: "coaching.teams_assigned",
        entityType: "coach",
        entityId: coachId,
        programId,
        summary:
          `Assigned ${coach.name} as ${label} coach of ${plural(newRows.length, "team")} from ${startsOn}${endsOn ? ` until ${endsOn}` : ""}` +
          (replaced.length ? `; ended or removed ${plural(replaced.length, "previous assignment")}` : ""),
        details: {
          coachId,
          coachName: coach.name,
          kind,
          startsOn,
          endsOn,
          count: newRows.length,
          teamIds: newRows.map((r) => r.team_id),
          assignmentIds: newRows.map((r) => r.id),
          alreadyAssigned: skipped,
          endedOn: toEnd.length ? dayBefore : null,
          ended: toEnd,
          removed: toRemove,
        },
      });
    }
    const load = await loadByCoach(trx, programId, today).where("a.coach_id", "=", coachId).executeTakeFirst();
    return {
      coachId,
      coachName: coach.name,
      kind,
      startsOn,
      endsOn,
      assigned: newRows.length,
      already: skipped.length,
      replaced,
      load: Number(load?.load ?? 0),
      capacity: Number(coach.capacity),
    };
  });
}

/**
 * The confirmation after an assignment, in words: what was assigned, what was already there,
 * which previous primary assignments ended (the day before) or were removed, and whether the
 * coach is now over capacity.
 */
export function describeAssignment(result: AssignResult): string {
  const label = ASSIGNMENT_KIND_LABELS[result.kind].toLowerCase();
  const parts: string[] = [];
  if (result.assigned === 0) {
    parts.push(
      `Nothing changed: ${result.coachName} already coaches ${result.already === 1 ? "this team" : `these ${plural(result.already, "team")}`} that way.`,
    );
  } else {
    const until = result.endsOn ? ` until ${dates.formatDate(result.endsOn)}` : "";
    parts.push(
      `Assigned ${result.coachName} as ${label} coach of ${plural(result.assigned, "team")} from ${dates.formatDate(result.startsOn)}${until}.`,
    );
    if (result.already > 0)
      parts.push(`${plural(result.already, "team")} ${result.already === 1 ? "was" : "were"} assigned that way already.`);
  }
  const ended = result.replaced.filter((r) => r.endedOn !== null);
  const removed = result.replaced.filter((r) => r.endedOn === null);
  if (ended.length > 0 && ended.length <= 3) {
    for (const r of ended)
      parts.push(`This ended ${r.coachName}'s ${r.kind} assignment to ${r.teamName} on ${dates.formatDate(r.endedOn)} (the day before).`);
  } else if (ended.length > 3) {
    parts.push(`This ended ${plural(ended.length, "previous assignment")} on ${dates.formatDate(ended[0].endedOn)} (the day before).`);
  }
  if (removed.length > 0 && removed.length <= 3) {
    for (const r of removed) parts.push(`It replaces ${r.coachName}'s upcoming ${r.kind} assignment to ${r.teamName}, which was removed.`);
  } else if (removed.length > 3) {
    parts.push(`It replaces ${plural(removed.length, "upcoming assignment")}, which were removed.`);
  }
  if (result.load > result.capacity) {
    parts.push(`${result.coachName} now coaches ${plural(result.load, "team")} with a capacity of ${result.capacity}: overloaded.`);
  }
  return parts.join(" ");
}

/** Sets the last day of one of the program's assignments (of `coachId`, when given). */
export async function endAssignment(
  db: DB,
  actor: Actor,
  programId: string,
  assignmentId: string,
  endsOn: string,
  coachId: string | null = null,
): Promise<{ teamName: string; coachName: string; endsOn: string }> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom("coach_assignments as a")
      .innerJoin("coaches as c", "c.id", "a.coach_id")
      .innerJoin("people as p", "p.id", "c.person_id")
      .innerJoin("teams as t", "t.id", "a.team_id")
      .select([
        "a.id",
        "a.kind",
        "a.starts_on as startsOn",
        "a.ends_on as endsOn",
        "a.team_id as teamId",
        "a.coach_id as coachId",
        "p.name as coachName",
        "t.name as teamName",
      ])
      .where("a.id", "=", assignmentId)
      .where("a.program_id", "=", programId);
    if (coachId) query = query.where("a.coach_id", "=", coachId);
    const assignment = await query.forUpdate("a").executeTakeFirst();
    if (!assignment) throw new FieldError({ assignmentId: "This assignment does not exist (any more). Reload the page." });
    if (endsOn < assignment.startsOn) {
      throw new FieldError({ endsOn: `${END_BEFORE_START} The assignment starts on ${assignment.startsOn}.` });
    }
    if (assignment.endsOn === endsOn) return { teamName: assignment.teamName, coachName: assignment.coachName, endsOn };
    await trx.updateTable("coach_assignments").set({ ends_on: endsOn }).where("id", "=", assignmentId).execute();
    await recordAudit(trx, {
      actor,
      action: "coaching.assignment_ended",
      entityType: "coach",
      entityId: assignment.coachId,
      programId,
      summary: `Ended ${assignment.coachName}'s ${assignment.kind} assignment to ${assignment.teamName} on ${endsOn}`,
      details: {
        assignmentId,
        teamId: assignment.teamId,
        kind: assignment.kind,
        startsOn: assignment.startsOn,
        from: assignment.endsOn,
        to: endsOn,
      },
    });
    return { teamName: assignment.teamName, coachName: assignment.coachName, endsOn };
  });
}

export type AssignmentState = "current" | "upcoming" | "ended";

export interface CoachAssignmentRow {
  id: string;
  teamId: string;
  teamName: string;
  unitName: string;
  waveName: string | null;
  kind: AssignmentKind;
  startsOn: string;
  endsOn: string | null;
  state: AssignmentState;
}

/** A coach's assignments: current and upcoming ones, then the 50 most recently ended (one query). */
export async function listCoachAssignments(db: DB, programId: string, coachId: string, day = dates.today()): Promise<CoachAssignmentRow[]> {
  const rows = await db
    .selectFrom("coach_assignments as a")
    .innerJoin("teams as t", "t.id", "a.team_id")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "a.team_id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .select([
      "a.id",
      "a.team_id as teamId",
      "t.name as teamName",
      "u.name as unitName",
      "w.name as waveName",
      "a.kind",
      "a.starts_on as startsOn",
      "a.ends_on as endsOn",
      sql<AssignmentState>`case when a.starts_on > ${day}::date then 'upcoming' when a.ends_on is null or a.ends_on >= ${day}::date then 'current' else 'ended' end`.as(
        "state",
      ),
      sql<number>`row_number() over (partition by (a.ends_on is not null and a.ends_on < ${day}::date) order by a.ends_on desc nulls first, a.starts_on desc, a.id)`.as(
        "rank",
      ),
    ])
    .where("a.program_id", "=", programId)
    .where("a.coach_id", "=", coachId)
    .orderBy(sql`case when a.starts_on > ${day}::date then 1 when a.ends_on is null or a.ends_on >= ${day}::date then 0 else 2 end`)
    .orderBy("a.kind")
    .orderBy(sql`lower(t.name)`)
    .orderBy("a.starts_on", "desc")
    .orderBy("a.id")
    .execute();
  return rows.filter((r) => r.state !== "ended" || Number(r.rank) <= 50).map(({ rank: _rank, ...r }) => r);
}

// ---------------------------------------------------------------------------------------------
// Teams with their coaches (the bulk assignment list)

export interface TeamCoachRow {
  id: string;
  name: string;
  unitName: string;
  waveId: string | null;
  waveName: string | null;
  leadName: string | null;
  primary: string | null;
  secondaries: string[];
}

export interface TeamCoachFilters {
  q?: string;
  /** a wave id, or "none" */
  wave?: string;
  unit?: string;
  /** yes | no: has a current primary coach */
  primary?: string;
}

function activeTeams(db: DB, programId: string) {
  return db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null);
}

type TeamsQuery = ReturnType<typeof activeTeams>;

function filterTeams(query: TeamsQuery, programId: string, filters: TeamCoachFilters, day: string): TeamsQuery {
  let q = query;
  if (filters.wave === "none") q = q.where("pt.wave_id", "is", null);
  else if (filters.wave) q = q.where("pt.wave_id", "=", filters.wave);
  if (filters.unit) q = q.where("t.unit_id", "in", unitSubtree([filters.unit]));
  if (filters.primary === "yes") q = q.where("t.id", "in", primaryCoveredTeams(programId, day));
  else if (filters.primary === "no") q = q.where("t.id", "not in", primaryCoveredTeams(programId, day));
  if (filters.q) {
    const like = likePattern(filters.q);
    const leads = sql<string>`(select lp.id from people lp where lp.archived_at is null and lp.name ilike ${like})`;
    q = q.where((eb) => eb.or([eb("t.name", "ilike", like), eb("u.name", "ilike", like), eb("t.lead_person_id", "in", leads)]));
  }
  return q;
}

function teamColumns(query: TeamsQuery) {
  // The lead's name comes with the page's other details (see `pageDetailsOf`): joining people
  // here would read every person of the organization to name one page of teams.
  return query.select(["t.id", "t.name", "u.name as unitName", "pt.wave_id as waveId", "w.name as waveName", "t.lead_person_id as leadId"]);
}

function orderTeams<Q extends ReturnType<typeof teamColumns>>(query: Q, sort: AssignmentSort | GapSort, dir: "asc" | "desc") {
  const by = (() => {
    switch (sort) {
      case "unit":
        return query.orderBy(sql`lower(u.name)`, dir);
      case "wave":
        return query.orderBy(sql`w.position`, (ob) => (dir === "asc" ? ob.asc() : ob.desc()).nullsLast());
      default:
        return query;
    }
  })();
  return by.orderBy(sql`lower(t.name)`, sort === "team" ? dir : "asc").orderBy("t.id");
}

interface TeamDetails {
  leadName: string | null;
  primary: string | null;
  secondaries: string[];
}

/** The lead (active person) and current coaches (of active coaches) of a page of teams, one query. */
async function pageDetailsOf(db: DB, programId: string, teams: Array<{ id: string; leadId: string | null }>, day: string) {
  const byTeam = new Map<string, TeamDetails>(teams.map((t) => [t.id, { leadName: null, primary: null, secondaries: [] }]));
  if (teams.length === 0) return byTeam;
  const ids = teams.map((t) => t.id);
  const leadIds = teams.map((t) => t.leadId).filter((id): id is string => id !== null);
  const coaches = db
    .selectFrom("coach_assignments as a")
    .innerJoin("coaches as c", "c.id", "a.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["a.team_id as teamId", sql<string>`a.kind`.as("kind"), "p.name as name"])
    .where("a.program_id", "=", programId)
    .where("a.team_id", "in", ids)
    .where("c.active", "=", true)
    .where(currentOn("a", day));
  const rows = await (
    leadIds.length
      ? coaches.unionAll(
          db
            .selectFrom("teams as lt")
            .innerJoin("people as lp", "lp.id", "lt.lead_person_id")
            .select(["lt.id as teamId", sql<string>`'lead'`.as("kind"), "lp.name as name"])
            .where("lt.id", "in", ids)
            .where("lp.id", "in", leadIds)
            .where("lp.archived_at", "is", null),
        )
      : coaches
  ).execute();
  rows.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : compareNames(a.name, b.name)));
  for (const r of rows) {
    const entry = byTeam.get(r.teamId);
    if (!entry) continue;
    if (r.kind === "lead") entry.leadName = r.name;
    else if (r.kind === "primary" && entry.primary === null) entry.primary = r.name;
    else if (!entry.secondaries.includes(r.name)) entry.secondaries.push(r.name);
  }
  return byTeam;
}

const noDetails: TeamDetails = { leadName: null, primary: null, secondaries: [] };

/** One page of the organization's active teams with their wave and current coaches (two queries). */
export async function listTeamCoaches(
  db: DB,
  programId: string,
  params: ListParams<AssignmentSort>,
  day = dates.today(),
): Promise<Page<TeamCoachRow>> {
  const query = orderTeams(
    teamColumns(filterTeams(activeTeams(db, programId), programId, { q: params.q, ...params.filters }, day)),
    params.sort,
    params.dir,
  );
  const page = await fetchPage(query, params);
  const details = await pageDetailsOf(db, programId, page.rows, day);
  return {
    ...page,
    rows: page.rows.map(({ leadId: _leadId, ...r }) => ({ ...r, ...(details.get(r.id) ?? noDetails) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Coverage board

export interface WaveRef {
  id: string;
  name: string;
  position: number;
  startsOn: string | null;
  endsOn: string | null;
}

/**
 * The current wave (its dates contain `day`; else the latest one started) and the next one (the
 * following one by position; the first wave when none has started yet).
 */
export function currentAndNextWave(waves: WaveRef[], day: string): { current: WaveRef | null; next: WaveRef | null } {
  const ordered = [...waves].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const started = ordered.filter((w) => w.startsOn !== null && w.startsOn <= day);
  const current =
    started.find((w) => w.endsOn === null || w.endsOn >= day) ??
    [...started].sort((a, b) => (a.startsOn! < b.startsOn! ? 1 : a.startsOn! > b.startsOn! ? -1 : b.position - a.position))[0] ??
    null;
  const next = current ? (ordered[ordered.indexOf(current) + 1] ?? null) : (ordered[0] ?? null);
  return { current, next };
}

/** The program's waves in order (one query). */
export async function listWaveRefs(db: DB, programId: string): Promise<WaveRef[]> {
  return db
    .selectFrom("waves")
    .select(["id", "name", "position", "starts_on as startsOn", "ends_on as endsOn"])
    .where("program_id", "=", programId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/** Per wave: active teams in it and how many of them have no current primary coach (one query). */
export async function waveCoverage(
  db: DB,
  programId: string,
  waveIds: string[],
  day = dates.today(),
): Promise<Map<string, { teams: number; withoutPrimary: number }>> {
  const result = new Map(waveIds.map((id) => [id, { teams: 0, withoutPrimary: 0 }]));
  if (waveIds.length === 0) return result;
  const { rows } = await sql<{ wave_id: string; teams: number; without_primary: number }>`
    select pt.wave_id, count(*)::int as teams,
      (count(*) filter (where t.id not in ${primaryCoveredTeams(programId, day)}))::int as without_primary
    from program_teams pt
    join teams t on t.id = pt.team_id
    join org_units u on u.id = t.unit_id
    where pt.program_id = ${programId} and pt.wave_id in (${sql.join(waveIds)})
      and t.archived_at is null and u.archived_at is null
    group by pt.wave_id`.execute(db);
  for (const r of rows) result.set(r.wave_id, { teams: Number(r.teams), withoutPrimary: Number(r.without_primary) });
  return result;
}

/**
 * For the wave-readiness criterion "every team has a coach": per wave id, the number of active
 * teams in the wave without a current primary coach on `today` (0 when all are covered). One query.
 */
export async function teamsWithoutPrimaryCoach(db: DB, programId: string, waveIds: string[], today: string): Promise<Map<string, number>> {
  const coverage = await waveCoverage(db, programId, waveIds, today);
  return new Map([...coverage].map(([id, c]) => [id, c.withoutPrimary]));
}

export interface CoverageSummary {
  coaches: number;
  overloaded: number;
  full: number;
  /** Places left with coaches under capacity. */
  freePlaces: number;
  capacity: number;
  load: number;
  withoutAccount: number;
}

export interface GapTeamRow {
  id: string;
  name: string;
  unitName: string;
  waveId: string | null;
  waveName: string | null;
  leadName: string | null;
  /** Current secondary coaches: candidates to become the primary. */
  secondaries: string[];
}

function gapQuery(db: DB, programId: string, waveIds: string[], filters: { q?: string; unit?: string }, day: string) {
  return filterTeams(activeTeams(db, programId), programId, { q: filters.q, unit: filters.unit }, day)
    .where("pt.wave_id", "in", waveIds)
    .where("t.id", "not in", primaryCoveredTeams(programId, day));
}

/** Teams of the given waves without a current primary coach, one page (two queries). */
export async function listGapTeams(
  db: DB,
  programId: string,
  waveIds: string[],
  params: ListParams<GapSort>,
  day = dates.today(),
): Promise<Page<GapTeamRow>> {
  if (waveIds.length === 0) return { rows: [], total: 0, page: params.page, size: params.size };
  const query = orderTeams(
    teamColumns(gapQuery(db, programId, waveIds, { q: params.q, unit: params.filters.unit }, day)),
    params.sort,
    params.dir,
  );
  const page = await fetchPage(query, params);
  const details = await pageDetailsOf(db, programId, page.rows, day);
  return {
    ...page,
    rows: page.rows.map(({ leadId: _leadId, ...r }) => ({
      ...r,
      leadName: details.get(r.id)?.leadName ?? null,
      secondaries: details.get(r.id)?.secondaries ?? [],
    })),
  };
}

/** Up to `limit` gap teams of the given waves, by wave and name, for a picker (one query). */
export async function gapTeamOptions(db: DB, programId: string, waveIds: string[], day = dates.today(), limit = 300) {
  if (waveIds.length === 0) return [];
  return orderTeams(teamColumns(gapQuery(db, programId, waveIds, {}, day)), "wave", "asc")
    .limit(limit)
    .execute();
}

export interface CoachLoadRow {
  id: string;
  name: string;
  focus: string;
  capacity: number;
  load: number;
  account: AccountState;
}

/** Every active coach with their load (one query; a program has a few hundred coaches at most). */
async function activeCoachLoads(db: DB, programId: string, day: string): Promise<CoachLoadRow[]> {
  const rows = await coachesQuery(db, programId, day)
    .where("c.active", "=", true)
    .select([
      "c.id",
      "p.name",
      "c.focus",
      "c.capacity",
      loadExpr.as("load"),
      "usr.id as userId",
      "usr.role as userRole",
      "usr.active as userActive",
    ])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    focus: r.focus,
    capacity: Number(r.capacity),
    load: Number(r.load),
    account: accountState({ id: r.userId, role: r.userRole, active: r.userActive }),
  }));
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The board's figures from the coaches' loads. */
export function summarizeLoads(rows: CoachLoadRow[]): CoverageSummary {
  return {
    coaches: rows.length,
    overloaded: rows.filter((r) => r.load > r.capacity).length,
    full: rows.filter((r) => r.load === r.capacity).length,
    freePlaces: rows.reduce((sum, r) => sum + Math.max(0, r.capacity - r.load), 0),
    capacity: rows.reduce((sum, r) => sum + r.capacity, 0),
    load: rows.reduce((sum, r) => sum + r.load, 0),
    withoutAccount: rows.filter((r) => r.account !== "coach").length,
  };
}

/** One page of coaches, the most loaded (relative to capacity) first, optionally only overloaded / full / free ones. */
export function pageOfLoads(rows: CoachLoadRow[], filter: string | undefined, page: number): Page<CoachLoadRow> {
  const kept = rows
    .filter((r) =>
      filter === "overloaded"
        ? r.load > r.capacity
        : filter === "full"
          ? r.load === r.capacity
          : filter === "free"
            ? r.load < r.capacity
            : true,
    )
    .sort((a, b) => b.load / Math.max(b.capacity, 1) - a.load / Math.max(a.capacity, 1) || byName(a, b));
  const pages = Math.max(1, Math.ceil(kept.length / COACH_LOAD_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  return {
    rows: kept.slice((current - 1) * COACH_LOAD_PAGE_SIZE, current * COACH_LOAD_PAGE_SIZE),
    total: kept.length,
    page: current,
    size: COACH_LOAD_PAGE_SIZE,
  };
}

/** Active coaches by load, one page (one query). */
export async function listCoachLoads(
  db: DB,
  programId: string,
  filter: string | undefined,
  page: number,
  day = dates.today(),
): Promise<Page<CoachLoadRow>> {
  return pageOfLoads(await activeCoachLoads(db, programId, day), filter, page);
}

export interface CoverageBoard {
  today: string;
  current: WaveRef | null;
  next: WaveRef | null;
  waves: WaveRef[];
  coverage: Array<WaveRef & { teams: number; withoutPrimary: number; role: "current" | "next" }>;
  summary: CoverageSummary;
  coaches: Page<CoachLoadRow>;
  gaps: Page<GapTeamRow>;
  /** Active coaches with free places, most free first. */
  coachOptions: CoachOption[];
}

/**
 * Everything the coverage board shows, in five queries whatever the size: waves, coverage of the
 * current and next wave, every active coach's load (the summary, one page of loads and the
 * picker's options come from it), one page of gap teams (filter `wave`: "current", "next" or
 * empty for both) and their secondary coaches.
 */
export async function loadCoverageBoard(
  db: DB,
  programId: string,
  options: { gaps: ListParams<GapSort>; coachFilter?: string; coachPage?: number },
  day = dates.today(),
): Promise<CoverageBoard> {
  const waves = await listWaveRefs(db, programId);
  const { current, next } = currentAndNextWave(waves, day);
  const focus = [current, next].filter((w): w is WaveRef => w !== null);
  const waveFilter = options.gaps.filters.wave;
  const gapWaves = focus
    .filter((w) => !waveFilter || (waveFilter === "current" ? w === current : waveFilter === "next" ? w === next : w.id === waveFilter))
    .map((w) => w.id);
  const [coverage, loads, gaps] = await Promise.all([
    waveCoverage(
      db,
      programId,
      focus.map((w) => w.id),
      day,
    ),
    activeCoachLoads(db, programId, day),
    listGapTeams(db, programId, gapWaves, options.gaps, day),
  ]);
  const summary = summarizeLoads(loads);
  const coaches = pageOfLoads(loads, options.coachFilter, options.coachPage ?? 1);
  // The board's pickers offer coaches with free places, most free first (to overload someone on
  // purpose, the PLO uses the assignment list, which offers every coach).
  const coachOptions = loads
    .filter((c) => c.load < c.capacity)
    .sort((a, b) => b.capacity - b.load - (a.capacity - a.load) || byName(a, b))
    .map(({ id, name, capacity, load }) => ({ id, name, capacity, load }));
  return {
    today: day,
    current,
    next,
    waves,
    coverage: focus.map((w) => ({
      ...w,
      ...(coverage.get(w.id) ?? { teams: 0, withoutPrimary: 0 }),
      role: w === current ? "current" : "next",
    })),
    summary,
    coaches,
    gaps,
    coachOptions,
  };
}

// ---------------------------------------------------------------------------------------------
// Coaching activity (aggregates only: counts, minutes, dates; never notes)

/** The Mondays of the last `weeks` weeks up to the week of `day`, oldest first. */
export function activityWeeks(day: string, weeks = ACTIVITY_WEEKS): string[] {
  const monday = startOfWeek(parseISO(day), { weekStartsOn: 1 });
  return Array.from({ length: weeks }, (_, i) => format(addDays(monday, (i - weeks + 1) * 7), "yyyy-MM-dd"));
}

const weekOf = sql<string>`(s.held_on - (extract(isodow from s.held_on)::int - 1))`;

export interface ActivityFilters {
  q?: string;
  wave?: string;
  unit?: string;
  /** Weeks without a session that make a team "quiet" (default 4). */
  weeks?: string;
  /** yes: only quiet teams (no session in the last `weeks` weeks). */
  quiet?: string;
}

/** Ids of the teams with a session in the program between `from` and `day`. */
function teamsWithSessions(programId: string, from: string, day: string): RawBuilder<string> {
  return sql<string>`(select rs.team_id from support_sessions rs where rs.program_id = ${programId} and rs.held_on >= ${from}::date and rs.held_on <= ${day}::date)`;
}

/** The first day of the "quiet" window: a team is quiet with no session from this day to `day`. */
export function quietSince(day: string, weeks: number): string {
  return shiftDay(day, -7 * weeks + 1);
}

/**
 * Teams whose coaching the activity page follows: coached now, or in a wave that has started
 * (teams of later waves without a coach are not "quiet" yet: nobody is meant to meet them).
 */
function activityTeams(db: DB, programId: string, filters: ActivityFilters, day: string) {
  let q = filterTeams(activeTeams(db, programId), programId, { q: filters.q, wave: filters.wave, unit: filters.unit }, day).where((eb) =>
    eb.or([eb("w.starts_on", "<=", day), eb("t.id", "in", coachedTeams(programId, day))]),
  );
  if (filters.quiet === "yes") q = q.where("t.id", "not in", teamsWithSessions(programId, quietSince(day, quietWeeks(filters.weeks)), day));
  return q;
}

export interface WeeklyCounts {
  /** Sessions per week, oldest first (see `activityWeeks`). */
  weeks: number[];
  sessions: number;
  minutes: number;
  lastHeldOn: string | null;
}

export interface TeamActivityRow extends WeeklyCounts {
  id: string;
  name: string;
  unitName: string;
  waveName: string | null;
  primary: string | null;
  /** No session in the last `weeks` weeks. */
  quiet: boolean;
}

export interface CoachActivityRow extends WeeklyCounts {
  id: string;
  name: string;
  active: boolean;
  /** Distinct teams with a session in the 12 weeks. */
  teams: number;
  /** No session (with the filtered teams) in the last `weeks` weeks. */
  quiet: boolean;
}

function emptyCounts(): WeeklyCounts {
  return { weeks: Array.from({ length: ACTIVITY_WEEKS }, () => 0), sessions: 0, minutes: 0, lastHeldOn: null };
}

/**
 * Weekly session counts, minutes, last session (and, for coaches, distinct teams met) of the
 * given teams or coaches, in one query: per id, lateral lookups that walk the (team_id, held_on)
 * or (coach_id, held_on) index, so the cost follows the page's rows, not the program's sessions.
 */
async function weeklyCounts(
  db: DB,
  programId: string,
  by: "team_id" | "coach_id",
  ids: string[],
  day: string,
  teamScope: Expression<unknown> | null = null,
) {
  const result = new Map(ids.map((id) => [id, { ...emptyCounts(), teams: 0 }]));
  if (ids.length === 0) return result;
  const weeks = activityWeeks(day);
  const index = new Map(weeks.map((w, i) => [w, i]));
  const key = sql.ref(`s.${by}`);
  const scope = teamScope ? sql`and s.team_id in ${teamScope}` : sql``;
  // Distinct teams met: per coach (once per id, not per week row).
  const teamsMet =
    by === "coach_id"
      ? sql`select count(distinct s.team_id) as teams from support_sessions s
          where ${key} = x.id and s.program_id = ${programId} and s.held_on >= ${weeks[0]}::date and s.held_on <= ${day}::date ${scope}`
      : sql`select 0 as teams`;
  const { rows } = await sql<{
    id: string;
    week: string | null;
    n: number | null;
    minutes: number | null;
    last: string | null;
    teams: number;
  }>`
    select x.id, w.week, w.n, w.minutes, l.last, tm.teams::int as teams
    from (values ${sql.join(ids.map((id) => sql`(${id})`))}) as x(id)
    left join lateral (
      select max(s.held_on) as last from support_sessions s
      where ${key} = x.id and s.program_id = ${programId} and s.held_on <= ${day}::date ${scope}
    ) l on true
    left join lateral (${teamsMet}) tm on true
    left join lateral (
      select ${weekOf} as week, count(*)::int as n, sum(s.duration_minutes)::int as minutes from support_sessions s
      where ${key} = x.id and s.program_id = ${programId} and s.held_on >= ${weeks[0]}::date and s.held_on <= ${day}::date ${scope}
      group by 1
    ) w on true`.execute(db);
  for (const r of rows) {
    const entry = result.get(r.id);
    if (!entry) continue;
    entry.lastHeldOn = r.last === null ? null : String(r.last);
    entry.teams = Number(r.teams);
    const i = r.week === null ? undefined : index.get(String(r.week));
    if (i === undefined) continue;
    entry.weeks[i] += Number(r.n);
    entry.sessions += Number(r.n);
    entry.minutes += Number(r.minutes);
  }
  return result;
}

/** One page of teams with their weekly sessions of the last 12 weeks (three queries). */
export async function listTeamActivity(
  db: DB,
  programId: string,
  params: ListParams<ActivitySort>,
  day = dates.today(),
): Promise<Page<TeamActivityRow>> {
  const filters = { q: params.q, ...params.filters };
  const base = teamColumns(activityTeams(db, programId, filters, day));
  const weeksFrom = activityWeeks(day)[0];
  const lastExpr = sql`(select max(ls.held_on) from support_sessions ls where ls.team_id = t.id and ls.program_id = ${programId} and ls.held_on <= ${day}::date)`;
  const countExpr = sql`(select count(*) from support_sessions cs where cs.team_id = t.id and cs.program_id = ${programId} and cs.held_on >= ${weeksFrom}::date and cs.held_on <= ${day}::date)`;
  const ordered =
    params.sort === "last"
      ? base
          .orderBy(lastExpr, (ob) => (params.dir === "asc" ? ob.asc() : ob.desc()).nullsFirst())
          .orderBy(sql`lower(t.name)`)
          .orderBy("t.id")
      : params.sort === "sessions"
        ? base
            .orderBy(countExpr, params.dir)
            .orderBy(sql`lower(t.name)`)
            .orderBy("t.id")
        : orderTeams(base, params.sort === "name" ? "team" : params.sort, params.dir);
  const page = await fetchPage(ordered, params);
  const ids = page.rows.map((r) => r.id);
  const [counts, details] = await Promise.all([
    weeklyCounts(db, programId, "team_id", ids, day),
    pageDetailsOf(
      db,
      programId,
      page.rows.map((r) => ({ id: r.id, leadId: null })),
      day,
    ),
  ]);
  const since = quietSince(day, quietWeeks(params.filters.weeks));
  return {
    ...page,
    rows: page.rows.map((r) => {
      const { teams: _teams, ...c } = counts.get(r.id) ?? { ...emptyCounts(), teams: 0 };
      return {
        id: r.id,
        name: r.name,
        unitName: r.unitName,
        waveName: r.waveName,
        primary: details.get(r.id)?.primary ?? null,
        ...c,
        quiet: c.lastHeldOn === null || c.lastHeldOn < since,
      };
    }),
  };
}

/**
 * One page of the program's coaches (deactivated ones too: their past sessions count) with
 * their weekly sessions; with a wave or unit filter only sessions with teams of that wave or
 * unit count (two queries).
 */
export async function listCoachActivity(
  db: DB,
  programId: string,
  params: ListParams<ActivitySort>,
  day = dates.today(),
): Promise<Page<CoachActivityRow>> {
  const weeksFrom = activityWeeks(day)[0];
  const scope = teamScopeOf(db, programId, params.filters, day);
  const scoped = scope ? sql`and cs.team_id in ${scope}` : sql``;
  const countExpr = sql<number>`(select count(*) from support_sessions cs where cs.coach_id = c.id and cs.program_id = ${programId} and cs.held_on >= ${weeksFrom}::date and cs.held_on <= ${day}::date ${scoped})`;
  const lastExpr = sql`(select max(cs.held_on) from support_sessions cs where cs.coach_id = c.id and cs.program_id = ${programId} and cs.held_on <= ${day}::date ${scoped})`;
  let query = db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "p.name", "c.active"])
    .where("c.program_id", "=", programId);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("p.name", "ilike", like), eb("c.focus", "ilike", like)]));
  }
  if (params.filters.quiet === "yes") {
    const since = quietSince(day, quietWeeks(params.filters.weeks));
    query = query.where(
      "c.id",
      "not in",
      sql<string>`(select rs.coach_id from support_sessions rs where rs.program_id = ${programId} and rs.held_on >= ${since}::date and rs.held_on <= ${day}::date ${scope ? sql`and rs.team_id in ${scope}` : sql``})`,
    );
  }
  const ordered = (
    params.sort === "sessions"
      ? query.orderBy(countExpr, params.dir)
      : params.sort === "last"
        ? query.orderBy(lastExpr, (ob) => (params.dir === "asc" ? ob.asc() : ob.desc()).nullsFirst())
        : query.orderBy(sql`lower(p.name)`, params.dir)
  )
    .orderBy(sql`lower(p.name)`)
    .orderBy("c.id");
  const page = await fetchPage(ordered, params);
  const counts = await weeklyCounts(
    db,
    programId,
    "coach_id",
    page.rows.map((r) => r.id),
    day,
    scope,
  );
  const since = quietSince(day, quietWeeks(params.filters.weeks));
  return {
    ...page,
    rows: page.rows.map((r) => {
      const { teams, ...c } = counts.get(r.id) ?? { ...emptyCounts(), teams: 0 };
      return { id: r.id, name: r.name, active: Boolean(r.active), teams, ...c, quiet: c.lastHeldOn === null || c.lastHeldOn < since };
    }),
  };
}

/** With a wave or unit filter, the ids of the teams it names (as a subquery); else null. */
function teamScopeOf(db: DB, programId: string, filters: { wave?: string; unit?: string }, day: string): Expression<unknown> | null {
  if (!filters.wave && !filters.unit) return null;
  return filterTeams(activeTeams(db, programId), programId, { wave: filters.wave, unit: filters.unit }, day).select("t.id");
}

export interface ActivitySummary {
  /** The window: the last `quietWeeks` weeks, from `since` to today. */
  quietWeeks: number;
  since: string;
  /** Sessions and minutes with the followed teams in the window. */
  sessions: number;
  minutes: number;
  /** Teams followed (wave/unit filter applied) and how many of them had no session in the window. */
  teams: number;
  quietTeams: number;
}

/**
 * The activity page's headline figures over the last N weeks (the "quiet" window), in one
 * query: only that window's sessions are read, through the (program_id, held_on) index.
 */
export async function activitySummary(db: DB, programId: string, filters: ActivityFilters, day = dates.today()): Promise<ActivitySummary> {
  const n = quietWeeks(filters.weeks);
  const since = quietSince(day, n);
  const followed = activityTeams(db, programId, { wave: filters.wave, unit: filters.unit }, day).select("t.id");
  const { rows } = await sql<{ teams: number; quiet: number; sessions: number; minutes: number }>`
    select count(*)::int as teams, (count(*) filter (where r.team_id is null))::int as quiet,
      coalesce(sum(r.n), 0)::int as sessions, coalesce(sum(r.minutes), 0)::int as minutes
    from ${followed} as ft
    left join (
      select s.team_id, count(*) as n, sum(s.duration_minutes) as minutes from support_sessions s
      where s.program_id = ${programId} and s.held_on >= ${since}::date and s.held_on <= ${day}::date
      group by s.team_id
    ) r on r.team_id = ft.id`.execute(db);
  const row = rows[0];
  return {
    quietWeeks: n,
    since,
    sessions: Number(row?.sessions ?? 0),
    minutes: Number(row?.minutes ?? 0),
    teams: Number(row?.teams ?? 0),
    quietTeams: Number(row?.quiet ?? 0),
  };
}

/** Every row of the activity view matching the filters (for the CSV export): a bounded number of queries. */
export async function allActivity(db: DB, programId: string, params: ListParams<ActivitySort>, day = dates.today()) {
  const all = { ...params, page: 1, size: 100_000 };
  return params.filters.view === "coaches"
    ? { view: "coaches" as const, rows: (await listCoachActivity(db, programId, all, day)).rows }
    : { view: "teams" as const, rows: (await listTeamActivity(db, programId, all, day)).rows };
}

/** The activity page's CSV: its columns (with one per week) and rows, for `csvResponse`. */
export function activityCsvTable(
  result: Awaited<ReturnType<typeof allActivity>>,
  day: string,
): { columns: string[]; rows: CsvRecord<string>[] } {
  const weeks = activityWeeks(day);
  const weekColumns = weeks.map((w) => `week_of_${w}`);
  if (result.view === "coaches") {
    return {
      rows: result.rows.map((r) => ({
        coach: r.name,
        status: r.active ? "active" : "deactivated",
        teams_supported: r.teams,
        sessions_12_weeks: r.sessions,
        minutes_12_weeks: r.minutes,
        last_session: r.lastHeldOn ?? "",
        ...Object.fromEntries(weekColumns.map((c, i) => [c, r.weeks[i]])),
      })),
      columns: ["coach", "status", "teams_supported", "sessions_12_weeks", "minutes_12_weeks", "last_session", ...weekColumns],
    };
  }
  return {
    rows: result.rows.map((r) => ({
      team: r.name,
      unit: r.unitName,
      wave: r.waveName ?? "",
      primary_coach: r.primary ?? "",
      sessions_12_weeks: r.sessions,
      minutes_12_weeks: r.minutes,
      last_session: r.lastHeldOn ?? "",
      quiet: r.quiet ? "yes" : "no",
      ...Object.fromEntries(weekColumns.map((c, i) => [c, r.weeks[i]])),
    })),
    columns: ["team", "unit", "wave", "primary_coach", "sessions_12_weeks", "minutes_12_weeks", "last_session", "quiet", ...weekColumns],
  };
}
