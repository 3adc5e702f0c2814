import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { type PersonInput } from "~/validation/org";
import { FieldError, duplicateAsFieldError } from "~/models/errors";
import { UnitIndex, UnitInfo, loadUnitIndex, subtreeIds } from "./tree.server";
import { checkUnit, statusFilter, unitOrder, withUnitPath } from "./teams.server";
import { plural } from "~/utils/numbers";

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

export const PEOPLE_SORTS = ["name", "email", "title", "unit", "team", "account", "status"] as const;

export type PeopleSort = (typeof PEOPLE_SORTS)[number];

export const PEOPLE_LIST_SPEC: ListSpec<PeopleSort> = { sorts: PEOPLE_SORTS, defaultSort: "name", filters: ["unit", "team", "status"] };

export interface PersonListRow {
  id: string;
  name: string;
  email: string;
  title: string;
  unitId: string | null;
  unitPath: string;
  teamId: string | null;
  teamName: string | null;
  /** The lead of the person's team (for the CSV, so an export can be imported again). */
  teamLeadEmail: string | null;
  userId: string | null;
  accountRole: Role | null;
  externalId: string | null;
  archivedAt: Date | null;
}

/**
 * Whether the person aliased `alias` matches the search text: name, email or title contains it,
 * or the name of their team does. Written so PostgreSQL can answer it from indexes alone (pg_trgm
 * on the three columns and on team names, migration 0090, OR-ed in one bitmap): the team part is
 * `team_id = any(array(…))`, not a join (an OR across a join reads every person).
 */
function matchesSearch(alias: string, q: string) {
  const like = likePattern(q);
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${col("name")} ilike ${like} or ${col("email")} ilike ${like} or ${col("title")} ilike ${like}
    or ${col("team_id")} = any(array(select mt.id from teams mt where mt.name ilike ${like})))`;
}

/**
 * The people the list reads from, as `p`: everyone, or, with a search text, those it matches.
 * With 3 or more characters (what a trigram index can use) the matches are a subquery behind
 * `offset 0`, which PostgreSQL plans on its own: the bitmap of matches first, then the sort of
 * those few. Left to itself it walked the whole name index in order, testing every person
 * (cheap when most people match, which is what 1–2 characters do: those stay a plain filter).
 */
function peopleSource(db: DB, q: string) {
  const everyone = db.selectFrom("people as p");
  if (!q) return everyone;
  if (q.length < 3) return everyone.where(matchesSearch("p", q));
  const matching = db.selectFrom("people as m").selectAll("m").where(matchesSearch("m", q)).offset(0);
  // The same columns as `people as p`, typed through the subquery (Kysely types it from selectAll).
  return db.selectFrom(matching.as("p")) as unknown as typeof everyone;
}

function peopleQuery(db: DB, q = "") {
  return peopleSource(db, q)
    .leftJoin("teams as t", "t.id", "p.team_id")
    .leftJoin("users as u", "u.id", "p.user_id")
    .select((eb) => [
      "p.id",
      "p.name",
      "p.email",
      "p.title",
      "p.unit_id as unitId",
      "p.team_id as teamId",
      "t.name as teamName",
      // A subquery, not a join: PostgreSQL looks it up for the rows of the page only (a join
      // read every person to name the leads of a search's thousand matches).
      eb.selectFrom("people as tl").select("tl.email").whereRef("tl.id", "=", "t.lead_person_id").as("teamLeadEmail"),
      "p.user_id as userId",
      "u.role as accountRole",
      "p.external_id as externalId",
      "p.archived_at as archivedAt",
    ]);
}

function filteredPeople(db: DB, params: ListParams<PeopleSort>, index: UnitIndex) {
  let query = peopleQuery(db, params.q);
  const status = statusFilter(params.filters.status);
  if (status === "active") query = query.where("p.archived_at", "is", null);
  if (status === "archived") query = query.where("p.archived_at", "is not", null);
  if (params.filters.unit) {
    const ids = index.byId.has(params.filters.unit) ? subtreeIds(index, params.filters.unit) : [params.filters.unit];
    query = query.where("p.unit_id", "in", ids);
  }
  if (params.filters.team) query = query.where("p.team_id", "=", params.filters.team);
  const dirSql = sql.raw(params.dir);
  const nulls = sql.raw(params.dir === "desc" ? "desc nulls last" : "asc nulls last");
  switch (params.sort) {
    case "email":
      query = query.orderBy(sql`p.email ${dirSql}`);
      break;
    case "title":
      query = query.orderBy(sql`lower(p.title) ${dirSql}`).orderBy(sql`lower(p.name)`);
      break;
    case "unit":
      query = query.orderBy(sql`${unitOrder(index, sql`p.unit_id`)} ${nulls}`).orderBy(sql`lower(p.name)`);
      break;
    case "team":
      query = query.orderBy(sql`lower(t.name) ${nulls}`).orderBy(sql`lower(p.name)`);
      break;
    case "account":
      query = query.orderBy(sql`u.role ${nulls}`).orderBy(sql`lower(p.name)`);
      break;
    case "status":
      query = query.orderBy(sql`p.archived_at is not null ${dirSql}`).orderBy(sql`lower(p.name)`);
      break;
    default:
      query = query.orderBy(sql`lower(p.name) ${dirSql}`);
  }
  return query.orderBy("p.id");
}

export async function listPeople(db: DB, params: ListParams<PeopleSort>, index: UnitIndex): Promise<Page<PersonListRow>> {
  const page = await fetchPage(filteredPeople(db, params, index), params);
  return { ...page, rows: page.rows.map((row) => withUnitPath(row, index)) };
}

export async function listAllPeople(db: DB, params: ListParams<PeopleSort>, index: UnitIndex): Promise<PersonListRow[]> {
  const rows = await filteredPeople(db, params, index).execute();
  return rows.map((row) => withUnitPath(row, index));
}

/** The columns the HR importer reads, so that an export can be imported again. */
export const PEOPLE_CSV_COLUMNS = ["Employee ID", "Name", "Email", "Title", "Unit path", "Team", "Team lead email", "Status"] as const;

export function personCsvRow(p: PersonListRow): Record<(typeof PEOPLE_CSV_COLUMNS)[number], string> {
  return {
    "Employee ID": p.externalId ?? "",
    Name: p.name,
    Email: p.email,
    Title: p.title,
    "Unit path": p.unitPath,
    Team: p.teamName ?? "",
    "Team lead email": p.teamLeadEmail ?? "",
    Status: p.archivedAt ? "archived" : "active",
  };
}

export interface PersonSearchResult {
  id: string;
  name: string;
  email: string;
  /** The unit path, or "" without a unit. */
  unit: string;
}

/**
 * Active people whose name or email contains `q` (names and emails starting with it first), for
 * pickers. At most `limit` (≤ 50) results; two queries.
 */
export async function searchPeople(db: DB, q: string, limit = 20): Promise<PersonSearchResult[]> {
  const text = q.replaceAll("\u0000", "").trim().slice(0, 200);
  if (!text) return [];
  const like = likePattern(text);
  const prefix = like.slice(1);
  const rows = await db
    .selectFrom("people")
    .select(["id", "name", "email", "unit_id"])
    .where("archived_at", "is", null)
    .where((eb) => eb.or([eb("name", "ilike", like), eb("email", "ilike", like)]))
    .orderBy(sql`case when name ilike ${prefix} or email ilike ${prefix} then 0 else 1 end`)
    .orderBy(sql`lower(name)`)
    .orderBy("id")
    .limit(Math.min(Math.max(limit, 1), 50))
    .execute();
  if (rows.length === 0) return [];
  const index = await loadUnitIndex(db);
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, unit: r.unit_id ? (index.byId.get(r.unit_id)?.path ?? "") : "" }));
}

export interface PersonDetail {
  person: PersonListRow;
  account: { id: string; name: string; email: string; role: Role; active: boolean } | null;
  /** An account with the person's email that is not linked to anyone yet (offered for linking). */
  suggestedAccount: { id: string; name: string; email: string; role: Role } | null;
  /** Active teams this person leads. */
  leads: Array<{ id: string; name: string }>;
  teamArchived: boolean;
  index: UnitIndex;
}

export async function getPersonDetail(db: DB, id: string): Promise<PersonDetail | null> {
  const [index, person, leads] = await Promise.all([
    loadUnitIndex(db),
    peopleQuery(db).select("t.archived_at as teamArchivedAt").where("p.id", "=", id).executeTakeFirst(),
    db
      .selectFrom("teams")
      .select(["id", "name"])
      .where("lead_person_id", "=", id)
      .where("archived_at", "is", null)
      .orderBy(sql`lower(name)`)
      .execute(),
  ]);
  if (!person) return null;
  const users = await db
    .selectFrom("users as u")
    .leftJoin("people as linked", "linked.user_id", "u.id")
    .select(["u.id", "u.name", "u.email", "u.role", "u.active", "linked.id as linkedPersonId"])
    .where((eb) => eb.or([eb("u.id", "=", person.userId ?? ""), eb(sql`lower(u.email)`, "=", person.email)]))
    .execute();
  const account = users.find((u) => u.id === person.userId) ?? null;
  const suggested = !account ? users.find((u) => u.email.toLowerCase() === person.email && !u.linkedPersonId) : undefined;
  const { teamArchivedAt, ...row } = person;
  return {
    person: withUnitPath(row, index),
    account: account ? { id: account.id, name: account.name, email: account.email, role: account.role, active: account.active } : null,
    suggestedAccount: suggested ? { id: suggested.id, name: suggested.name, email: suggested.email, role: suggested.role } : null,
    leads,
    teamArchived: teamArchivedAt !== null && teamArchivedAt !== undefined,
    index,
  };
}

async function assertEmailFree(db: DB, email: string, exceptId?: string) {
  let query = db.selectFrom("people").select(["id", "name", "archived_at"]).where("email", "=", email);
  if (exceptId) query = query.where("id", "!=", exceptId);
  const clash = await query.executeTakeFirst();
  if (clash) {
    throw FieldError.on(
      "email",
      clash.archived_at
        ? `This email belongs to ${clash.name}, who is archived: restore them instead.`
        : `This email already belongs to ${clash.name}.`,
    );
  }
}

async function assertExternalIdFree(db: DB, externalId: string | null, exceptId?: string) {
  if (!externalId) return;
  let query = db.selectFrom("people").select(["id", "name"]).where("external_id", "=", externalId);
  if (exceptId) query = query.where("id", "!=", exceptId);
  const clash = await query.executeTakeFirst();
  if (clash) throw FieldError.on("externalId", `This employee ID already belongs to ${clash.name}.`);
}

/** Unit and team of a person: the team implies the unit; both must be active unless unchanged. */
async function placePerson(
  db: DB,
  index: UnitIndex,
  input: Pick<PersonInput, "unitId" | "teamId">,
  current: { unitId: string | null; teamId: string | null } = { unitId: null, teamId: null },
): Promise<{ unit: UnitInfo | null; team: { id: string; name: string } | null }> {
  let team: { id: string; name: string; unit_id: string } | null = null;
  if (input.teamId) {
    const found = await db
      .selectFrom("teams")
      .select(["id", "name", "unit_id", "archived_at"])
      .where("id", "=", input.teamId)
      .executeTakeFirst();
    if (!found) throw FieldError.on("teamId", "Choose one of the listed teams.");
    if (found.archived_at && found.id !== current.teamId)
      throw FieldError.on("teamId", `“${found.name}” is archived: choose an active team.`);
    team = found;
  }
  const unitId = input.unitId ?? team?.unit_id ?? null;
  const unit = unitId ? checkUnit(index, unitId, current.unitId) : null;
  if (team && unit && team.unit_id !== unit.id) {
    const teamUnit = index.byId.get(team.unit_id)?.path ?? "another unit";
    throw FieldError.on("teamId", `“${team.name}” belongs to “${teamUnit}”, not to “${unit.path}”: choose that unit or another team.`);
  }
  return { unit, team: team ? { id: team.id, name: team.name } : null };
}

export async function createPerson(db: DB, actor: Actor, input: PersonInput): Promise<{ id: string; name: string }> {
  return inTransaction(db, async (trx) => {
    const email = input.email.trim().toLowerCase();
    await assertEmailFree(trx, email);
    const externalId = input.externalId || null;
    await assertExternalIdFree(trx, externalId);
    const index = await loadUnitIndex(trx);
    const { unit, team } = await placePerson(trx, index, input);
    const id = crypto.randomUUID();
    try {
      await trx
        .insertInto("people")
        .values({
          id,
          name: input.name,
          email,
          title: input.title,
          unit_id: unit?.id ?? null,
          team_id: team?.id ?? null,
          external_id: externalId,
        })
        .execute();
    } catch (error) {
      throw duplicateAsFieldError(error, "email", "A person with this email or employee ID already exists.");
    }
    await recordAudit(trx, {
      actor,
      action: "person.created",
      entityType: "person",
      entityId: id,
      summary: `Added ${input.name} (${email})${unit ? ` to “${unit.path}”` : ""}`,
      details: { name: input.name, email, title: input.title, unit: unit?.path ?? null, team: team?.name ?? null, externalId },
    });
    return { id, name: input.name };
  });
}

/** Saves a person's details and place. Returns null when the person does not exist. */
export async function updatePerson(db: DB, actor: Actor, id: string, input: PersonInput): Promise<{ id: string; name: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("people").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) return null;
    const email = input.email.trim().toLowerCase();
    if (email !== before.email) await assertEmailFree(trx, email, id);
    const externalId = input.externalId || null;
    if (externalId !== before.external_id) await assertExternalIdFree(trx, externalId, id);
    const index = await loadUnitIndex(trx);
    const { unit, team } = await placePerson(trx, index, input, { unitId: before.unit_id, teamId: before.team_id });
    try {
      await trx
        .updateTable("people")
        .set({
          name: input.name,
          email,
          title: input.title,
          unit_id: unit?.id ?? null,
          team_id: team?.id ?? null,
          external_id: externalId,
          updated_at: new Date(),
        })
        .where("id", "=", id)
        .execute();
    } catch (error) {
      throw duplicateAsFieldError(error, "email", "A person with this email or employee ID already exists.");
    }
    const details: Record<string, unknown> = {};
    if (input.name !== before.name) details.name = { from: before.name, to: input.name };
    if (email !== before.email) details.email = { from: before.email, to: email };
    if (input.title !== before.title) details.title = { from: before.title, to: input.title };
    if ((unit?.id ?? null) !== before.unit_id) {
      details.unit = { from: before.unit_id ? (index.byId.get(before.unit_id)?.path ?? null) : null, to: unit?.path ?? null };
    }
    if ((team?.id ?? null) !== before.team_id) details.team = { from: before.team_id, to: team?.name ?? null };
    if (externalId !== before.external_id) details.externalId = { from: before.external_id, to: externalId };
    const changed = Object.keys(details);
    if (changed.length > 0) {
      await recordAudit(trx, {
        actor,
        action: "person.updated",
        entityType: "person",
        entityId: id,
        summary: `Updated ${input.name}: ${changed.join(", ")}`,
        details,
      });
    }
    return { id, name: input.name };
  });
}

/**
 * Archives a person. Refused while they lead active teams, unless `clearLeads` (those teams are
 * then without a lead). Their team membership and account link stay, for history.
 */
export async function archivePerson(db: DB, actor: Actor, id: string, { clearLeads = false } = {}) {
  return inTransaction(db, async (trx) => {
    const person = await trx.selectFrom("people").select(["id", "name", "archived_at"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!person) return null;
    if (person.archived_at) return { id, name: person.name, leadsCleared: 0 };
    const led = await trx
      .selectFrom("teams")
      .select(["id", "name"])
      .where("lead_person_id", "=", id)
      .where("archived_at", "is", null)
      .orderBy(sql`lower(name)`)
      .execute();
    if (led.length > 0 && !clearLeads) {
      const names =
        led
          .slice(0, 3)
          .map((t) => `“${t.name}”`)
          .join(", ") + (led.length > 3 ? "…" : "");
      throw FieldError.on(
        "_form",
        `${person.name} leads ${plural(led.length, "active team")} (${names}). Choose another lead first, or choose to leave ${led.length === 1 ? "that team" : "those teams"} without a lead.`,
      );
    }
    const now = new Date();
    if (led.length > 0) {
      await trx
        .updateTable("teams")
        .set({ lead_person_id: null, updated_at: now })
        .where("lead_person_id", "=", id)
        .where("archived_at", "is", null)
        .execute();
    }
    await trx.updateTable("people").set({ archived_at: now, updated_at: now }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "person.archived",
      entityType: "person",
      entityId: id,
      summary:
        led.length > 0
          ? `Archived ${person.name}; ${plural(led.length, "team")} no longer ${led.length === 1 ? "has" : "have"} a lead`
          : `Archived ${person.name}`,
      details: { leadOf: led.map((t) => t.name) },
    });
    return { id, name: person.name, leadsCleared: led.length };
  });
}

/** Restores a person; their unit and team must be active. */
export async function restorePerson(db: DB, actor: Actor, id: string) {
  return inTransaction(db, async (trx) => {
    const person = await trx
      .selectFrom("people as p")
      .leftJoin("org_units as u", "u.id", "p.unit_id")
      .leftJoin("teams as t", "t.id", "p.team_id")
      .select([
        "p.id",
        "p.name",
        "p.archived_at",
        "u.name as unitName",
        "u.archived_at as unitArchivedAt",
        "t.name as teamName",
        "t.archived_at as teamArchivedAt",
      ])
      .where("p.id", "=", id)
      .executeTakeFirst();
    if (!person) return null;
    if (!person.archived_at) return { id, name: person.name };
    if (person.unitArchivedAt)
      throw FieldError.on(
        "_form",
        `Their unit “${person.unitName}” is archived: restore it first, or move ${person.name} to an active unit.`,
      );
    if (person.teamArchivedAt)
      throw FieldError.on(
        "_form",
        `Their team “${person.teamName}” is archived: restore it first, or choose another team for ${person.name}.`,
      );
    await trx.updateTable("people").set({ archived_at: null, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "person.restored",
      entityType: "person",
      entityId: id,
      summary: `Restored ${person.name}`,
      details: {},
    });
    return { id, name: person.name };
  });
}

/** Links a person to the user account with this email (one person per account). */
export async function linkPersonAccount(db: DB, actor: Actor, id: string, accountEmail: string) {
  return inTransaction(db, async (trx) => {
    const person = await trx.selectFrom("people").select(["id", "name", "user_id"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!person) return null;
    const user = await trx
      .selectFrom("users")
      .select(["id", "name", "email", "role"])
      .where(sql`lower(email)`, "=", accountEmail.trim().toLowerCase())
      .executeTakeFirst();
    if (!user) throw FieldError.on("accountEmail", "No account has this email. An administrator can create one under Users.");
    if (person.user_id === user.id) return { id, name: person.name, account: user };
    const other = await trx.selectFrom("people").select(["id", "name"]).where("user_id", "=", user.id).executeTakeFirst();
    if (other) throw FieldError.on("accountEmail", `This account is already linked to ${other.name}.`);
    await trx.updateTable("people").set({ user_id: user.id, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "person.account_linked",
      entityType: "person",
      entityId: id,
      summary: `Linked ${person.name} to the account ${user.email} (${user.role})`,
      details: { userId: user.id, email: user.email, role: user.role, previousUserId: person.user_id },
    });
    return { id, name: person.name, account: user };
  });
}

export async function unlinkPersonAccount(db: DB, actor: Actor, id: string) {
  return inTransaction(db, async (trx) => {
    const person = await trx
      .selectFrom("people as p")
      .leftJoin("users as u", "u.id", "p.user_id")
      .select(["p.id", "p.name", "p.user_id", "u.email"])
      .where("p.id", "=", id)
      .executeTakeFirst();
    if (!person) return null;
    if (!person.user_id) return { id, name: person.name };
    await trx.updateTable("people").set({ user_id: null, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "person.account_unlinked",
      entityType: "person",
      entityId: id,
      summary: `Unlinked ${person.name} from the account ${person.email ?? ""}`.trim(),
      details: { userId: person.user_id },
    });
    return { id, name: person.name };
  });
}
