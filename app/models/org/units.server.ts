import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { PATH_SEPARATOR, type UnitInput } from "~/validation/org";
import { FieldError, duplicateAsFieldError } from "~/models/errors";
import { UnitIndex, UnitInfo, listOf, loadUnitIndex, subtreeIds } from "./tree.server";
import { TeamListRow, teamQuery, withUnitPath } from "./teams.server";
import { plural } from "~/utils/numbers";

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
      throw duplicateAsFieldError(error, "name", "There is already a unit with this name here.");
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
      throw duplicateAsFieldError(error, "name", "There is already a unit with this name here.");
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
