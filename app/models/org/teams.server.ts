import { sql, type RawBuilder } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { NO_SUCH_PERSON, type TeamInput } from "~/validation/org";
import { FieldError, duplicateAsFieldError } from "~/models/errors";
import { UnitIndex, UnitInfo, byName, loadUnitIndex, subtreeIds } from "./tree.server";
import { plural } from "~/utils/numbers";

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

export const TEAM_SORTS = ["name", "unit", "lead", "size", "status"] as const;

export type TeamSort = (typeof TEAM_SORTS)[number];

export const TEAM_LIST_SPEC: ListSpec<TeamSort> = { sorts: TEAM_SORTS, defaultSort: "name", filters: ["unit", "status"] };

/** Which rows a list shows: active (default), archived or all. */
export type StatusFilter = "active" | "archived" | "all";

export function statusFilter(value: string | undefined): StatusFilter {
  return value === "archived" || value === "all" ? value : "active";
}

export interface TeamListRow {
  id: string;
  name: string;
  unitId: string;
  unitPath: string;
  leadId: string | null;
  leadName: string | null;
  leadEmail: string | null;
  /** Active people whose team is this one. */
  memberCount: number;
  /** The headcount stored on the team (from HR), used when no people are assigned. */
  storedSize: number | null;
  /** What the app shows as the team's size: memberCount, else storedSize. */
  size: number | null;
  externalId: string | null;
  archivedAt: Date | null;
}

const MEMBER_COUNT_SQL = sql<number>`(select count(*)::int from people m where m.team_id = t.id and m.archived_at is null)`;

/** Team size: active members, or the stored headcount when nobody is assigned. */
const TEAM_SIZE_SQL = sql<number | null>`coalesce(nullif(${MEMBER_COUNT_SQL}, 0), t.size)`;

export function teamQuery(db: DB) {
  return db
    .selectFrom("teams as t")
    .leftJoin("people as l", "l.id", "t.lead_person_id")
    .select([
      "t.id",
      "t.name",
      "t.unit_id as unitId",
      "t.lead_person_id as leadId",
      "l.name as leadName",
      "l.email as leadEmail",
      MEMBER_COUNT_SQL.as("memberCount"),
      "t.size as storedSize",
      TEAM_SIZE_SQL.as("size"),
      "t.external_id as externalId",
      "t.archived_at as archivedAt",
    ]);
}

export function withUnitPath<T extends { unitId: string | null }>(row: T, index: UnitIndex): T & { unitPath: string } {
  return { ...row, unitPath: row.unitId ? (index.byId.get(row.unitId)?.path ?? "") : "" };
}

/** Each row's unit's position in tree order (a jsonb lookup per row), to sort rows by unit path. */
export function unitOrder(index: UnitIndex, column: RawBuilder<unknown>) {
  const positions = JSON.stringify(Object.fromEntries(index.units.map((u, i) => [u.id, i])));
  return sql<number>`(${positions}::jsonb ->> ${column})::int`;
}

function filteredTeams(db: DB, params: ListParams<TeamSort>, index: UnitIndex) {
  let query = teamQuery(db);
  if (params.q) query = query.where("t.name", "ilike", likePattern(params.q));
  const status = statusFilter(params.filters.status);
  if (status === "active") query = query.where("t.archived_at", "is", null);
  if (status === "archived") query = query.where("t.archived_at", "is not", null);
  if (params.filters.unit) {
    const ids = index.byId.has(params.filters.unit) ? subtreeIds(index, params.filters.unit) : [params.filters.unit];
    query = query.where("t.unit_id", "in", ids);
  }
  const dir = params.dir;
  const nulls = sql.raw(dir === "desc" ? "desc nulls last" : "asc nulls last");
  const dirSql = sql.raw(dir);
  switch (params.sort) {
    case "unit":
      query = query.orderBy(sql`${unitOrder(index, sql`t.unit_id`)} ${dirSql}`).orderBy(sql`lower(t.name)`);
      break;
    case "lead":
      query = query.orderBy(sql`lower(l.name) ${nulls}`).orderBy(sql`lower(t.name)`);
      break;
    case "size":
      query = query.orderBy(sql`${TEAM_SIZE_SQL} ${nulls}`).orderBy(sql`lower(t.name)`);
      break;
    case "status":
      query = query.orderBy(sql`t.archived_at is not null ${dirSql}`).orderBy(sql`lower(t.name)`);
      break;
    default:
      query = query.orderBy(sql`lower(t.name) ${dirSql}`);
  }
  return query.orderBy("t.id");
}

/** One page of teams (two queries with the unit index the caller already has). */
export async function listTeams(db: DB, params: ListParams<TeamSort>, index: UnitIndex): Promise<Page<TeamListRow>> {
  const page = await fetchPage(filteredTeams(db, params, index), params);
  return { ...page, rows: page.rows.map((row) => withUnitPath(row, index)) };
}

/** Every team matching the list's filters, in the list's order (for the CSV export). */
export async function listAllTeams(db: DB, params: ListParams<TeamSort>, index: UnitIndex): Promise<TeamListRow[]> {
  const rows = await filteredTeams(db, params, index).execute();
  return rows.map((row) => withUnitPath(row, index));
}

export const TEAM_CSV_COLUMNS = [
  "Team",
  "Unit path",
  "Team lead",
  "Team lead email",
  "Size",
  "Active members",
  "Status",
  "External ID",
] as const;

export function teamCsvRow(t: TeamListRow): Record<(typeof TEAM_CSV_COLUMNS)[number], string | number> {
  return {
    Team: t.name,
    "Unit path": t.unitPath,
    "Team lead": t.leadName ?? "",
    "Team lead email": t.leadEmail ?? "",
    Size: t.size ?? "",
    "Active members": t.memberCount,
    Status: t.archivedAt ? "archived" : "active",
    "External ID": t.externalId ?? "",
  };
}

/** Active teams for a <select>, grouped by unit path (one query plus the index). */
export async function listTeamOptions(db: DB, index: UnitIndex, { keep }: { keep?: string | null } = {}) {
  let query = db.selectFrom("teams").select(["id", "name", "unit_id", "archived_at"]);
  query = keep ? query.where((eb) => eb.or([eb("archived_at", "is", null), eb("id", "=", keep)])) : query.where("archived_at", "is", null);
  const rows = await query.execute();
  const order = new Map(index.units.map((u, i) => [u.id, i]));
  return rows
    .map((t) => ({
      id: t.id,
      name: t.archived_at ? `${t.name} (archived)` : t.name,
      unitId: t.unit_id,
      unitPath: index.byId.get(t.unit_id)?.path ?? "",
    }))
    .sort((a, b) => (order.get(a.unitId) ?? 0) - (order.get(b.unitId) ?? 0) || byName(a, b));
}

/** A team's id and name (e.g. for a "members of …" filter), archived or not. */
export async function findTeamName(db: DB, id: string): Promise<{ id: string; name: string } | null> {
  return (await db.selectFrom("teams").select(["id", "name"]).where("id", "=", id).executeTakeFirst()) ?? null;
}

export interface TeamDetail {
  team: TeamListRow;
  members: Array<{ id: string; name: string; email: string; title: string; isLead: boolean }>;
  archivedMembers: number;
  index: UnitIndex;
}

/** A team's page: the team, its unit path, lead and active members (three queries). */
export async function getTeamDetail(db: DB, id: string): Promise<TeamDetail | null> {
  const [index, team, members] = await Promise.all([
    loadUnitIndex(db),
    teamQuery(db).where("t.id", "=", id).executeTakeFirst(),
    db
      .selectFrom("people")
      .select(["id", "name", "email", "title", "archived_at"])
      .where("team_id", "=", id)
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .execute(),
  ]);
  if (!team) return null;
  const active = members.filter((m) => m.archived_at === null);
  return {
    team: withUnitPath(team, index),
    members: active.map((m) => ({ id: m.id, name: m.name, email: m.email, title: m.title, isLead: m.id === team.leadId })),
    archivedMembers: members.length - active.length,
    index,
  };
}

async function assertTeamNameFree(db: DB, unitId: string, name: string, unitPath: string, exceptId?: string) {
  let query = db
    .selectFrom("teams")
    .select(["id", "name", "archived_at"])
    .where("unit_id", "=", unitId)
    .where(sql`lower(name)`, "=", sql<string>`lower(${name})`);
  if (exceptId) query = query.where("id", "!=", exceptId);
  const clash = await query.executeTakeFirst();
  if (clash) {
    const archived = clash.archived_at ? " (archived: restore it instead)" : "";
    throw FieldError.on("name", `There is already a team named “${clash.name}” in “${unitPath}”${archived}.`);
  }
}

/** The unit of a team or person: must exist and be active, unless it is the current one. */
export function checkUnit(index: UnitIndex, unitId: string, currentUnitId: string | null, field = "unitId"): UnitInfo {
  const unit = index.byId.get(unitId);
  if (!unit) throw FieldError.on(field, "Choose one of the listed units.");
  if (unit.archivedAt && unitId !== currentUnitId) throw FieldError.on(field, `“${unit.path}” is archived: choose an active unit.`);
  return unit;
}

export interface PersonRef {
  id: string;
  name: string;
  email: string;
  archivedAt: Date | null;
}

/** Finds a person by email (any case); archived people too. */
export async function findPersonByEmail(db: DB, email: string) {
  return db.selectFrom("people").selectAll().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
}

/**
 * Resolves a PersonPicker value to an active person, for other areas too (owners, stakeholders):
 * null stays null; an unknown email or an archived person throws an OrgRuleError on `field`.
 * `currentId`: the person already chosen may stay even if archived since.
 */
export async function resolvePersonEmail(
  db: DB,
  email: string | null,
  field: string,
  currentId?: string | null,
): Promise<PersonRef | null> {
  if (!email) return null;
  const person = await findPersonByEmail(db, email);
  if (!person) throw FieldError.on(field, NO_SUCH_PERSON);
  if (person.archived_at && person.id !== currentId) {
    throw FieldError.on(field, `${person.name} is archived: choose someone in the organization today.`);
  }
  return { id: person.id, name: person.name, email: person.email, archivedAt: person.archived_at };
}

export async function createTeam(db: DB, actor: Actor, input: TeamInput): Promise<{ id: string; name: string; unitPath: string }> {
  return inTransaction(db, async (trx) => {
    const index = await loadUnitIndex(trx);
    const unit = checkUnit(index, input.unitId, null);
    await assertTeamNameFree(trx, unit.id, input.name, unit.path);
    const lead = await resolvePersonEmail(trx, input.leadEmail, "leadEmail");
    const id = crypto.randomUUID();
    try {
      await trx
        .insertInto("teams")
        .values({ id, name: input.name, unit_id: unit.id, lead_person_id: lead?.id ?? null, size: input.size })
        .execute();
    } catch (error) {
      throw duplicateAsFieldError(error, "name", "There is already a team with this name in this unit.");
    }
    await recordAudit(trx, {
      actor,
      action: "team.created",
      entityType: "team",
      entityId: id,
      summary: `Created team “${input.name}” in “${unit.path}”`,
      details: { name: input.name, unit: unit.path, lead: lead?.email ?? null, size: input.size },
    });
    return { id, name: input.name, unitPath: unit.path };
  });
}

/**
 * Saves a team: name, unit (a move), lead and stored size. When the team moves, its active
 * members who were in the old unit move with it. Returns null when the team does not exist.
 */
export async function updateTeam(db: DB, actor: Actor, id: string, input: TeamInput): Promise<{ id: string; name: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("teams as t")
      .leftJoin("people as l", "l.id", "t.lead_person_id")
      .select(["t.id", "t.name", "t.unit_id", "t.lead_person_id", "t.size", "l.email as leadEmail", "l.name as leadName"])
      .where("t.id", "=", id)
      .forUpdate("t")
      .executeTakeFirst();
    if (!before) return null;
    const index = await loadUnitIndex(trx);
    const unit = checkUnit(index, input.unitId, before.unit_id);
    const moved = unit.id !== before.unit_id;
    if (moved || input.name !== before.name) await assertTeamNameFree(trx, unit.id, input.name, unit.path, id);
    const lead = await resolvePersonEmail(trx, input.leadEmail, "leadEmail", before.lead_person_id);
    const now = new Date();
    try {
      await trx
        .updateTable("teams")
        .set({ name: input.name, unit_id: unit.id, lead_person_id: lead?.id ?? null, size: input.size, updated_at: now })
        .where("id", "=", id)
        .execute();
    } catch (error) {
      throw duplicateAsFieldError(error, "name", "There is already a team with this name in this unit.");
    }
    let membersMoved = 0;
    if (moved) {
      const movedRows = await trx
        .updateTable("people")
        .set({ unit_id: unit.id, updated_at: now })
        .where("team_id", "=", id)
        .where("unit_id", "=", before.unit_id)
        .where("archived_at", "is", null)
        .returning("id")
        .execute();
      membersMoved = movedRows.length;
    }
    const oldPath = index.byId.get(before.unit_id)?.path ?? "";
    const details: Record<string, unknown> = {};
    if (input.name !== before.name) details.name = { from: before.name, to: input.name };
    if (moved) details.unit = { from: oldPath, to: unit.path, membersMoved };
    if ((lead?.id ?? null) !== before.lead_person_id) details.lead = { from: before.leadEmail ?? null, to: lead?.email ?? null };
    if (input.size !== before.size) details.size = { from: before.size, to: input.size };
    const changed = Object.keys(details);
    if (changed.length > 0) {
      await recordAudit(trx, {
        actor,
        action: moved ? "team.moved" : "team.updated",
        entityType: "team",
        entityId: id,
        summary: moved
          ? `Moved team “${input.name}” from “${oldPath}” to “${unit.path}”`
          : `Updated team “${input.name}”: ${changed.join(", ")}`,
        details,
      });
    }
    return { id, name: input.name };
  });
}

async function currentTeamInput(db: DB, id: string): Promise<TeamInput | null> {
  const team = await db
    .selectFrom("teams as t")
    .leftJoin("people as l", "l.id", "t.lead_person_id")
    .select(["t.name", "t.unit_id", "t.size", "l.email as leadEmail"])
    .where("t.id", "=", id)
    .executeTakeFirst();
  return team ? { name: team.name, unitId: team.unit_id, leadEmail: team.leadEmail ?? null, size: team.size } : null;
}

export async function moveTeam(db: DB, actor: Actor, id: string, unitId: string) {
  return inTransaction(db, async (trx) => {
    const current = await currentTeamInput(trx, id);
    return current ? updateTeam(trx, actor, id, { ...current, unitId }) : null;
  });
}

/** Sets (or, with null, removes) a team's lead by email. */
export async function setTeamLead(db: DB, actor: Actor, id: string, leadEmail: string | null) {
  return inTransaction(db, async (trx) => {
    const current = await currentTeamInput(trx, id);
    return current ? updateTeam(trx, actor, id, { ...current, leadEmail }) : null;
  });
}

/**
 * Archives a team. Refused while people are still members, unless `releaseMembers`: then they
 * leave the team (and stay in their unit). Returns null when the team does not exist.
 */
export async function archiveTeam(db: DB, actor: Actor, id: string, { releaseMembers = false } = {}) {
  return inTransaction(db, async (trx) => {
    const team = await trx
      .selectFrom("teams")
      .select(["id", "name", "unit_id", "archived_at"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!team) return null;
    if (team.archived_at) return { id, name: team.name, released: 0 };
    const members = await trx.selectFrom("people").select("id").where("team_id", "=", id).where("archived_at", "is", null).execute();
    if (members.length > 0 && !releaseMembers) {
      throw FieldError.on(
        "_form",
        `${plural(members.length, "person is", "people are")} still ${members.length === 1 ? "a member" : "members"} of “${team.name}”. Move them to another team first, or choose to take them out of the team (they stay in the unit).`,
      );
    }
    const now = new Date();
    if (members.length > 0) {
      await trx
        .updateTable("people")
        .set({ team_id: null, updated_at: now })
        .where("team_id", "=", id)
        .where("archived_at", "is", null)
        .execute();
    }
    await trx.updateTable("teams").set({ archived_at: now, updated_at: now }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "team.archived",
      entityType: "team",
      entityId: id,
      summary:
        members.length > 0
          ? `Archived team “${team.name}” and took its ${plural(members.length, "member")} out of it`
          : `Archived team “${team.name}”`,
      details: { releasedMembers: members.map((m) => m.id) },
    });
    return { id, name: team.name, released: members.length };
  });
}

/** Restores an archived team; its unit must be active. */
export async function restoreTeam(db: DB, actor: Actor, id: string) {
  return inTransaction(db, async (trx) => {
    const team = await trx
      .selectFrom("teams")
      .select(["id", "name", "unit_id", "archived_at"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!team) return null;
    if (!team.archived_at) return { id, name: team.name };
    const unit = await trx.selectFrom("org_units").select(["name", "archived_at"]).where("id", "=", team.unit_id).executeTakeFirstOrThrow();
    if (unit.archived_at)
      throw FieldError.on("_form", `Its unit “${unit.name}” is archived: restore the unit first, or move the team to an active unit.`);
    await trx.updateTable("teams").set({ archived_at: null, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "team.restored",
      entityType: "team",
      entityId: id,
      summary: `Restored team “${team.name}”`,
      details: {},
    });
    return { id, name: team.name };
  });
}
