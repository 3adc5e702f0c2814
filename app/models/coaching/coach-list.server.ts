import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { resolvePersonEmail } from "~/models/org/org.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { ALREADY_COACH, type CoachInput, type CoachSort, type CoachUpdateInput } from "~/validation/coaching";
import { FieldError, NotFoundError, duplicateAsFieldError } from "~/models/errors";
import * as dates from "~/utils/dates";
import type { CsvRecord } from "~/utils/csv";
import { loadByCoach, loadExpr } from "./coach-sql.server";
import { plural } from "~/utils/numbers";

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

export function coachesQuery(db: DB, programId: string, day: string) {
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
            .select(["people.id", "people.name", "people.email", "people.title", "people.user_id", "people.archived_at"])
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
      throw duplicateAsFieldError(error, "personEmail", ALREADY_COACH);
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
