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
import { sql, type Expression, type RawBuilder } from "kysely";
import type { Role } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { compareNamesStrictly } from "~/utils/collate";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { NO_SUCH_PERSON, PATH_SEPARATOR, type PersonInput, type TeamInput, type UnitInput } from "~/validation/org";
import { FieldError, isUniqueViolation } from "~/models/errors";

export { NO_SUCH_PERSON, PATH_SEPARATOR };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

function listOf(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------
// Units: the tree
// ---------------------------------------------------------------------------------------------

export interface UnitInfo {
  id: string;
  name: string;
  parentId: string | null;
  externalId: string | null;
  archivedAt: Date | null;
  /** "Northwind › Operations › Fleet". */
  path: string;
  /** 0 for a top-level unit. */
  depth: number;
  /** From the top-level unit down to the parent. */
  ancestorIds: string[];
}

export interface UnitIndex {
  /** Every unit in tree order: parents before children, siblings by name. */
  units: UnitInfo[];
  byId: Map<string, UnitInfo>;
  /** Child units by parent id (null: the top level), in name order. */
  children: Map<string | null, UnitInfo[]>;
}

interface UnitRow {
  id: string;
  name: string;
  parent_id: string | null;
  external_id: string | null;
  archived_at: Date | null;
}

const byName = (a: { name: string }, b: { name: string }) => compareNamesStrictly(a.name, b.name);

function buildUnitIndex(rows: UnitRow[]): UnitIndex {
  const known = new Set(rows.map((r) => r.id));
  const childRows = new Map<string | null, UnitRow[]>();
  for (const row of rows) {
    const key = row.parent_id && known.has(row.parent_id) ? row.parent_id : null;
    const list = childRows.get(key) ?? [];
    list.push(row);
    childRows.set(key, list);
  }
  for (const list of childRows.values()) list.sort(byName);

  const units: UnitInfo[] = [];
  const byId = new Map<string, UnitInfo>();
  const children = new Map<string | null, UnitInfo[]>();
  const visit = (row: UnitRow, parent: UnitInfo | null) => {
    if (byId.has(row.id)) return; // a cycle in stored data: never loop
    const info: UnitInfo = {
      id: row.id,
      name: row.name,
      parentId: parent?.id ?? null,
      externalId: row.external_id,
      archivedAt: row.archived_at,
      path: parent ? `${parent.path}${PATH_SEPARATOR}${row.name}` : row.name,
      depth: parent ? parent.depth + 1 : 0,
      ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
    };
    units.push(info);
    byId.set(info.id, info);
    const siblings = children.get(info.parentId) ?? [];
    siblings.push(info);
    children.set(info.parentId, siblings);
    for (const child of childRows.get(row.id) ?? []) visit(child, info);
  };
  for (const root of childRows.get(null) ?? []) visit(root, null);
  // Rows caught in a cycle (impossible through the app) still show up, at the top level.
  for (const row of rows) if (!byId.has(row.id)) visit(row, null);
  return { units, byId, children };
}

/** Every unit with its path, in one query. */
export async function loadUnitIndex(db: DB): Promise<UnitIndex> {
  const rows = await db.selectFrom("org_units").select(["id", "name", "parent_id", "external_id", "archived_at"]).execute();
  return buildUnitIndex(rows);
}

/** The unit and everything below it. */
export function subtreeIds(index: UnitIndex, unitId: string): string[] {
  const ids: string[] = [];
  const stack = [unitId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    ids.push(id);
    for (const child of index.children.get(id) ?? []) stack.push(child.id);
  }
  return ids;
}

/** Options for a unit <select>: active units by path (plus `keep`, e.g. the current one, even if archived). */
export function unitOptions(index: UnitIndex, { keep, exclude }: { keep?: string | null; exclude?: string[] } = {}) {
  const excluded = new Set(exclude ?? []);
  return index.units
    .filter((u) => (u.archivedAt === null || u.id === keep) && !excluded.has(u.id))
    .map((u) => ({ value: u.id, label: u.archivedAt ? `${u.path} (archived)` : u.path }));
}

export interface UnitTreeNode extends UnitInfo {
  /** Active teams and people directly in this unit. */
  activeTeams: number;
  activePeople: number;
  /** Including every (shown) sub-unit. */
  totalTeams: number;
  totalPeople: number;
  children: UnitTreeNode[];
}

/** The unit tree with counts of active teams and people, in one query. */
export async function listUnitTree(db: DB, { includeArchived = false } = {}): Promise<UnitTreeNode[]> {
  const rows = await db
    .selectFrom("org_units as u")
    .select((eb) => [
      "u.id",
      "u.name",
      "u.parent_id",
      "u.external_id",
      "u.archived_at",
      eb
        .selectFrom("teams as t")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("t.unit_id", "=", "u.id")
        .where("t.archived_at", "is", null)
        .as("activeTeams"),
      eb
        .selectFrom("people as p")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("p.unit_id", "=", "u.id")
        .where("p.archived_at", "is", null)
        .as("activePeople"),
    ])
    .execute();
  const index = buildUnitIndex(rows);
  const counts = new Map(rows.map((r) => [r.id, { teams: Number(r.activeTeams ?? 0), people: Number(r.activePeople ?? 0) }]));
  const build = (info: UnitInfo): UnitTreeNode => {
    const children = (index.children.get(info.id) ?? []).filter((c) => includeArchived || c.archivedAt === null).map(build);
    const own = counts.get(info.id) ?? { teams: 0, people: 0 };
    return {
      ...info,
      activeTeams: own.teams,
      activePeople: own.people,
      totalTeams: own.teams + children.reduce((sum, c) => sum + c.totalTeams, 0),
      totalPeople: own.people + children.reduce((sum, c) => sum + c.totalPeople, 0),
      children,
    };
  };
  return (index.children.get(null) ?? []).filter((u) => includeArchived || u.archivedAt === null).map(build);
}

/** The tree flattened in tree order (for the units CSV). */
export function flattenTree(nodes: UnitTreeNode[]): UnitTreeNode[] {
  return nodes.flatMap((n) => [n, ...flattenTree(n.children)]);
}

export const UNIT_CSV_COLUMNS = ["Unit path", "Unit", "Parent path", "Active teams", "Active people", "Status", "External ID"] as const;

export function unitCsvRows(nodes: UnitTreeNode[]): Array<Record<(typeof UNIT_CSV_COLUMNS)[number], string | number>> {
  const flat = flattenTree(nodes);
  const paths = new Map(flat.map((u) => [u.id, u.path]));
  return flat.map((u) => ({
    "Unit path": u.path,
    Unit: u.name,
    "Parent path": u.parentId ? (paths.get(u.parentId) ?? "") : "",
    "Active teams": u.activeTeams,
    "Active people": u.activePeople,
    Status: u.archivedAt ? "archived" : "active",
    "External ID": u.externalId ?? "",
  }));
}

// ---------------------------------------------------------------------------------------------
// Units: changes
// ---------------------------------------------------------------------------------------------

async function assertUnitNameFree(db: DB, parentId: string | null, name: string, exceptId?: string) {
  let query = db
    .selectFrom("org_units")
    .select(["id", "name", "archived_at"])
    .where(sql`coalesce(parent_id, '')`, "=", parentId ?? "")
    .where(sql`lower(name)`, "=", sql<string>`lower(${name})`);
  if (exceptId) query = query.where("id", "!=", exceptId);
  const clash = await query.executeTakeFirst();
  if (clash) {
    const where = parentId ? "in this parent unit" : "at the top level";
    const archived = clash.archived_at ? " (archived: restore it instead)" : "";
    throw FieldError.on("name", `There is already a unit named “${clash.name}” ${where}${archived}.`);
  }
}

/** The new parent of a unit: must exist and be active (unless it is the current parent). */
function checkParent(index: UnitIndex, parentId: string | null, currentParentId?: string | null): UnitInfo | null {
  if (!parentId) return null;
  const parent = index.byId.get(parentId);
  if (!parent) throw FieldError.on("parentId", "Choose an existing unit as the parent.");
  if (parent.archivedAt && parentId !== currentParentId) {
    throw FieldError.on("parentId", `“${parent.path}” is archived: choose an active parent unit.`);
  }
  return parent;
}

export async function createUnit(db: DB, actor: Actor, input: UnitInput): Promise<UnitInfo> {
  return inTransaction(db, async (trx) => {
    const index = await loadUnitIndex(trx);
    const parent = checkParent(index, input.parentId);
    await assertUnitNameFree(trx, parent?.id ?? null, input.name);
    const id = crypto.randomUUID();
    try {
      await trx
        .insertInto("org_units")
        .values({ id, name: input.name, parent_id: parent?.id ?? null })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw FieldError.on("name", "There is already a unit with this name here.");
      throw error;
    }
    const path = parent ? `${parent.path}${PATH_SEPARATOR}${input.name}` : input.name;
    await recordAudit(trx, {
      actor,
      action: "unit.created",
      entityType: "org_unit",
      entityId: id,
      summary: `Created unit “${path}”`,
      details: { name: input.name, parent: parent?.path ?? null },
    });
    return {
      id,
      name: input.name,
      parentId: parent?.id ?? null,
      externalId: null,
      archivedAt: null,
      path,
      depth: parent ? parent.depth + 1 : 0,
      ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
    };
  });
}

/** Renames and/or moves a unit. Returns null when the unit does not exist. */
export async function updateUnit(db: DB, actor: Actor, id: string, input: UnitInput): Promise<UnitInfo | null> {
  return inTransaction(db, async (trx) => {
    const index = await loadUnitIndex(trx);
    const before = index.byId.get(id);
    if (!before) return null;
    const parentChanged = (input.parentId ?? null) !== before.parentId;
    const nameChanged = input.name !== before.name;
    if (!parentChanged && !nameChanged) return before;
    const parent = checkParent(index, input.parentId, before.parentId);
    if (parent && (parent.id === id || parent.ancestorIds.includes(id))) {
      throw FieldError.on(
        "parentId",
        parent.id === id
          ? "A unit cannot be its own parent."
          : `“${parent.path}” is inside “${before.name}”: a unit cannot move under one of its own sub-units.`,
      );
    }
    await assertUnitNameFree(trx, parent?.id ?? null, input.name, id);
    try {
      await trx
        .updateTable("org_units")
        .set({ name: input.name, parent_id: parent?.id ?? null, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw FieldError.on("name", "There is already a unit with this name here.");
      throw error;
    }
    const path = parent ? `${parent.path}${PATH_SEPARATOR}${input.name}` : input.name;
    const oldParentPath = before.parentId ? (index.byId.get(before.parentId)?.path ?? null) : null;
    const details: Record<string, unknown> = {};
    if (nameChanged) details.name = { from: before.name, to: input.name };
    if (parentChanged) details.parent = { from: oldParentPath ?? "(top level)", to: parent?.path ?? "(top level)" };
    await recordAudit(trx, {
      actor,
      action: parentChanged ? "unit.moved" : "unit.updated",
      entityType: "org_unit",
      entityId: id,
      summary: parentChanged ? `Moved unit “${before.path}” to “${path}”` : `Renamed unit “${before.path}” to “${input.name}”`,
      details,
    });
    return {
      ...before,
      name: input.name,
      parentId: parent?.id ?? null,
      path,
      depth: parent ? parent.depth + 1 : 0,
      ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
    };
  });
}

/** Moves a unit under another (null: to the top level). */
export async function moveUnit(db: DB, actor: Actor, id: string, parentId: string | null): Promise<UnitInfo | null> {
  return inTransaction(db, async (trx) => {
    const unit = await trx.selectFrom("org_units").select("name").where("id", "=", id).executeTakeFirst();
    if (!unit) return null;
    return updateUnit(trx, actor, id, { name: unit.name, parentId });
  });
}

export interface SubtreeCounts {
  subUnits: number;
  teams: number;
  people: number;
}

/** Active sub-units, teams and people anywhere inside a unit (not counting the unit itself). */
export async function activeContents(db: DB, index: UnitIndex, unitId: string): Promise<SubtreeCounts> {
  const ids = subtreeIds(index, unitId);
  const subUnits = ids.filter((id) => id !== unitId && index.byId.get(id)?.archivedAt === null).length;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("teams")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("unit_id", "in", ids)
        .where("archived_at", "is", null)
        .as("teams"),
      eb
        .selectFrom("people")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("unit_id", "in", ids)
        .where("archived_at", "is", null)
        .as("people"),
    ])
    .executeTakeFirstOrThrow();
  return { subUnits, teams: Number(row.teams ?? 0), people: Number(row.people ?? 0) };
}

export function describeContents(counts: SubtreeCounts): string {
  const parts: string[] = [];
  if (counts.subUnits) parts.push(plural(counts.subUnits, "active sub-unit"));
  if (counts.teams) parts.push(plural(counts.teams, "active team"));
  if (counts.people) parts.push(plural(counts.people, "active person", "active people"));
  return listOf(parts);
}

export interface ArchiveUnitResult {
  unit: UnitInfo;
  /** What was archived with it (all zero without `cascade`). */
  archived: SubtreeCounts;
  /** Active teams elsewhere whose lead was archived with the unit and who are now without a lead. */
  leadsCleared: number;
}

/**
 * Archives a unit. Refused while it holds active sub-units, teams or people, unless `cascade`:
 * then everything inside is archived with it (same timestamp, so a cascading restore can bring
 * exactly that back).
 */
export async function archiveUnit(db: DB, actor: Actor, id: string, { cascade = false } = {}): Promise<ArchiveUnitResult | null> {
  return inTransaction(db, async (trx) => {
    const index = await loadUnitIndex(trx);
    const unit = index.byId.get(id);
    if (!unit) return null;
    const none = { subUnits: 0, teams: 0, people: 0 };
    if (unit.archivedAt) return { unit, archived: none, leadsCleared: 0 };
    const counts = await activeContents(trx, index, id);
    const busy = counts.subUnits + counts.teams + counts.people > 0;
    if (busy && !cascade) {
      throw FieldError.on(
        "_form",
        `“${unit.name}” still has ${describeContents(counts)}. Move or archive them first, or choose to archive everything in this unit too.`,
      );
    }
    const now = new Date();
    const ids = subtreeIds(index, id);
    await trx
      .updateTable("org_units")
      .set({ archived_at: now, updated_at: now })
      .where("id", "in", ids)
      .where("archived_at", "is", null)
      .execute();
    let leadsCleared = 0;
    if (busy) {
      await trx
        .updateTable("teams")
        .set({ archived_at: now, updated_at: now })
        .where("unit_id", "in", ids)
        .where("archived_at", "is", null)
        .execute();
      const archivedPeople = await trx
        .updateTable("people")
        .set({ archived_at: now, updated_at: now })
        .where("unit_id", "in", ids)
        .where("archived_at", "is", null)
        .returning("id")
        .execute();
      if (archivedPeople.length > 0) {
        // A team elsewhere led by someone archived here would silently keep an archived lead.
        const cleared = await trx
          .updateTable("teams")
          .set({ lead_person_id: null, updated_at: now })
          .where("archived_at", "is", null)
          .where(
            "lead_person_id",
            "in",
            archivedPeople.map((p) => p.id),
          )
          .returning("id")
          .execute();
        leadsCleared = cleared.length;
      }
    }
    const archived = busy ? counts : none;
    await recordAudit(trx, {
      actor,
      action: "unit.archived",
      entityType: "org_unit",
      entityId: id,
      summary: busy
        ? `Archived unit “${unit.path}” with ${describeContents(counts).replaceAll("active ", "")}`
        : `Archived unit “${unit.path}”`,
      details: { path: unit.path, cascade: busy, ...archived, leadsCleared },
    });
    return { unit: { ...unit, archivedAt: now }, archived, leadsCleared };
  });
}

/**
 * Restores an archived unit (its parent must be active). With `cascade`, also what was archived
 * together with it (same archive time): sub-units, teams and people.
 */
export async function restoreUnit(
  db: DB,
  actor: Actor,
  id: string,
  { cascade = false } = {},
): Promise<{ unit: UnitInfo; restored: SubtreeCounts } | null> {
  return inTransaction(db, async (trx) => {
    const index = await loadUnitIndex(trx);
    const unit = index.byId.get(id);
    if (!unit) return null;
    const none = { subUnits: 0, teams: 0, people: 0 };
    if (!unit.archivedAt) return { unit, restored: none };
    const parent = unit.parentId ? index.byId.get(unit.parentId) : undefined;
    if (parent?.archivedAt) {
      throw FieldError.on("_form", `Its parent unit “${parent.path}” is archived: restore that first.`);
    }
    const now = new Date();
    let restored = none;
    if (cascade) {
      const ids = subtreeIds(index, id);
      const units = await trx
        .updateTable("org_units")
        .set({ archived_at: null, updated_at: now })
        .where("id", "in", ids)
        .where("archived_at", "=", unit.archivedAt)
        .returning("id")
        .execute();
      const unitIds = units.map((u) => u.id);
      const teams = await trx
        .updateTable("teams")
        .set({ archived_at: null, updated_at: now })
        .where("unit_id", "in", unitIds)
        .where("archived_at", "=", unit.archivedAt)
        .returning("id")
        .execute();
      const people = await trx
        .updateTable("people")
        .set({ archived_at: null, updated_at: now })
        .where("unit_id", "in", unitIds)
        .where("archived_at", "=", unit.archivedAt)
        .returning("id")
        .execute();
      restored = { subUnits: unitIds.length - 1, teams: teams.length, people: people.length };
    } else {
      await trx.updateTable("org_units").set({ archived_at: null, updated_at: now }).where("id", "=", id).execute();
    }
    const what = describeContents(restored).replaceAll("active ", "");
    await recordAudit(trx, {
      actor,
      action: "unit.restored",
      entityType: "org_unit",
      entityId: id,
      summary: what ? `Restored unit “${unit.path}” with ${what}` : `Restored unit “${unit.path}”`,
      details: { path: unit.path, cascade, ...restored },
    });
    return { unit: { ...unit, archivedAt: null }, restored };
  });
}

export interface UnitDetail {
  unit: UnitInfo;
  parent: UnitInfo | null;
  children: UnitInfo[];
  teams: TeamListRow[];
  /** Active things anywhere inside (for the archive explanation). */
  contents: SubtreeCounts;
  index: UnitIndex;
}

/** A unit's page: the unit, its sub-units and the teams directly in it (three queries). */
export async function getUnitDetail(db: DB, id: string): Promise<UnitDetail | null> {
  const index = await loadUnitIndex(db);
  const unit = index.byId.get(id);
  if (!unit) return null;
  const [teams, contents] = await Promise.all([
    teamQuery(db)
      .where("t.unit_id", "=", id)
      .orderBy(sql`t.archived_at is not null`)
      .orderBy(sql`lower(t.name)`)
      .orderBy("t.id")
      .execute(),
    activeContents(db, index, id),
  ]);
  return {
    unit,
    parent: unit.parentId ? (index.byId.get(unit.parentId) ?? null) : null,
    children: index.children.get(id) ?? [],
    teams: teams.map((t) => withUnitPath(t, index)),
    contents,
    index,
  };
}

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

function teamQuery(db: DB) {
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

function withUnitPath<T extends { unitId: string | null }>(row: T, index: UnitIndex): T & { unitPath: string } {
  return { ...row, unitPath: row.unitId ? (index.byId.get(row.unitId)?.path ?? "") : "" };
}

/** Each row's unit's position in tree order (a jsonb lookup per row), to sort rows by unit path. */
function unitOrder(index: UnitIndex, column: RawBuilder<unknown>) {
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
function checkUnit(index: UnitIndex, unitId: string, currentUnitId: string | null, field = "unitId"): UnitInfo {
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
      if (isUniqueViolation(error)) throw FieldError.on("name", "There is already a team with this name in this unit.");
      throw error;
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
      if (isUniqueViolation(error)) throw FieldError.on("name", "There is already a team with this name in this unit.");
      throw error;
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

function peopleQuery(db: DB) {
  return db
    .selectFrom("people as p")
    .leftJoin("teams as t", "t.id", "p.team_id")
    .leftJoin("people as tl", "tl.id", "t.lead_person_id")
    .leftJoin("users as u", "u.id", "p.user_id")
    .select([
      "p.id",
      "p.name",
      "p.email",
      "p.title",
      "p.unit_id as unitId",
      "p.team_id as teamId",
      "t.name as teamName",
      "tl.email as teamLeadEmail",
      "p.user_id as userId",
      "u.role as accountRole",
      "p.external_id as externalId",
      "p.archived_at as archivedAt",
    ]);
}

function filteredPeople(db: DB, params: ListParams<PeopleSort>, index: UnitIndex) {
  let query = peopleQuery(db);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) =>
      eb.or([eb("p.name", "ilike", like), eb("p.email", "ilike", like), eb("p.title", "ilike", like), eb("t.name", "ilike", like)]),
    );
  }
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
      if (isUniqueViolation(error)) throw FieldError.on("email", "A person with this email or employee ID already exists.");
      throw error;
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
      if (isUniqueViolation(error)) throw FieldError.on("email", "A person with this email or employee ID already exists.");
      throw error;
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

// ---------------------------------------------------------------------------------------------
// CSV exports
// ---------------------------------------------------------------------------------------------

/**
 * True for a team (alias `t`) without a lead: none named, or the named person archived. Asks the
 * partial index of archived people instead of joining all people.
 */
export const teamWithoutLead = sql<boolean>`(t.lead_person_id is null or t.lead_person_id in (select ap.id from people ap where ap.archived_at is not null))`;

/** Ids of the given units and every unit below them (cycles in bad data cannot loop: UNION). */
export function unitSubtree(unitIds: readonly string[]): Expression<string> {
  return sql<string>`(with recursive subtree(id) as (
      select id from org_units where id in (${sql.join(unitIds)}) and archived_at is null
      union
      select u.id from org_units u join subtree s on u.parent_id = s.id where u.archived_at is null
    ) select id from subtree)`;
}

/** Units for pickers, depth-first with their depth (one recursive query). */
export async function listUnitOptions(db: DB): Promise<Array<{ id: string; name: string; depth: number }>> {
  const { rows } = await sql<{ id: string; name: string; depth: number }>`
    with recursive tree(id, name, depth, path) as (
      select id, name, 0, lower(name) from org_units where parent_id is null and archived_at is null
      union all
      select u.id, u.name, tree.depth + 1, tree.path || chr(1) || lower(u.name)
      from org_units u join tree on u.parent_id = tree.id
      where u.archived_at is null and tree.depth < 30
    )
    select id, name, depth from tree order by path, id`.execute(db);
  return rows.map((r) => ({ ...r, depth: Number(r.depth) }));
}
