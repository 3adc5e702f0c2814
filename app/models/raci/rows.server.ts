import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { FieldError, NotFoundError } from "~/models/errors";
import { changedMeanwhile, logChanges, requireMatrix, TABLE, type RowKind } from "~/models/raci/change-log.server";

// Rows of a RACI matrix: activities and roles share one shape of operations (add, update, move,
// remove), each in its own transaction and each appended to the change log.

export interface ActivityInput {
  groupName: string;
  name: string;
}
export interface RoleInput {
  name: string;
  holders: string;
}

async function assertUniqueName(
  trx: DB,
  kind: "activity" | "role",
  matrixId: string,
  name: string,
  groupName: string | null,
  exceptId?: string,
) {
  let q = trx
    .selectFrom(TABLE[kind])
    .select("id")
    .where("matrix_id", "=", matrixId)
    .where("deleted_at", "is", null)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (kind === "activity" && groupName !== null) q = q.where(sql<string>`lower(group_name)`, "=", groupName.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  // Two roles, or two activities of one group, with the same name would make the matrix ambiguous.
  if (await q.executeTakeFirst())
    throw FieldError.on(
      "name",
      kind === "role" ? `There is already a role named “${name}”.` : `This group already has an activity named “${name}”.`,
    );
}

export async function addActivity(db: DB, actor: Actor, programId: string, input: ActivityInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    await assertUniqueName(trx, "activity", matrix.id, input.name, input.groupName);
    // A new activity goes after the last one of its group (or at the end for a new group).
    const rows = await trx
      .selectFrom("raci_activities")
      .select(["id", "group_name", "position"])
      .where("matrix_id", "=", matrix.id)
      .where("deleted_at", "is", null)
      .orderBy("position")
      .execute();
    const lastOfGroup = rows.filter((r) => r.group_name === input.groupName).at(-1);
    const position = lastOfGroup ? lastOfGroup.position + 1 : (rows.at(-1)?.position ?? -1) + 1;
    await trx
      .updateTable("raci_activities")
      .set((eb) => ({ position: eb("position", "+", 1) }))
      .where("matrix_id", "=", matrix.id)
      .where("position", ">=", position)
      .execute();
    const id = crypto.randomUUID();
    await trx
      .insertInto("raci_activities")
      .values({ id, matrix_id: matrix.id, group_name: input.groupName, name: input.name, position })
      .execute();
    await logChanges(trx, actor, matrix.id, [
      { kind: "activity.add", activityId: id, after: { name: input.name, groupName: input.groupName, position } },
    ]);
    await recordAudit(trx, {
      actor,
      action: "raci.activity_added",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: added activity “${input.name}” to ${input.groupName}`,
    });
    return id;
  });
}

export async function addRole(db: DB, actor: Actor, programId: string, input: RoleInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    await assertUniqueName(trx, "role", matrix.id, input.name, null);
    const last = await trx
      .selectFrom("raci_roles")
      .select(sql<number>`coalesce(max(position), -1)::int`.as("max"))
      .where("matrix_id", "=", matrix.id)
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    const position = last.max + 1;
    await trx.insertInto("raci_roles").values({ id, matrix_id: matrix.id, name: input.name, holders: input.holders, position }).execute();
    await logChanges(trx, actor, matrix.id, [
      { kind: "role.add", roleId: id, after: { name: input.name, holders: input.holders, position } },
    ]);
    await recordAudit(trx, {
      actor,
      action: "raci.role_added",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: added role “${input.name}”`,
    });
    return id;
  });
}

async function lockRow(trx: DB, kind: RowKind, matrixId: string, id: string, expectedVersion: number) {
  const row = await trx
    .selectFrom(TABLE[kind])
    .selectAll()
    .where("matrix_id", "=", matrixId)
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`This ${kind} does not exist in this matrix (any more).`);
  if (row.version !== expectedVersion) {
    throw changedMeanwhile({ value: row.name, version: row.version, updatedByLabel: null, updatedAt: null });
  }
  return row;
}

export async function updateActivity(db: DB, actor: Actor, programId: string, id: string, expectedVersion: number, input: ActivityInput) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    const row = (await lockRow(trx, "activity", matrix.id, id, expectedVersion)) as { name: string; group_name: string; position: number };
    await assertUniqueName(trx, "activity", matrix.id, input.name, input.groupName, id);
    const updated = await trx
      .updateTable("raci_activities")
      .set((eb) => ({ name: input.name, group_name: input.groupName, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .returning(["version"])
      .executeTakeFirstOrThrow();
    await logChanges(trx, actor, matrix.id, [
      {
        kind: "activity.update",
        activityId: id,
        before: { name: row.name, groupName: row.group_name, position: row.position },
        after: { name: input.name, groupName: input.groupName, position: row.position },
      },
    ]);
    await recordAudit(trx, {
      actor,
      action: "raci.activity_updated",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: renamed activity “${row.name}” → “${input.name}”`,
      details: { from: { name: row.name, group: row.group_name }, to: input },
    });
    return updated.version;
  });
}

export async function updateRole(db: DB, actor: Actor, programId: string, id: string, expectedVersion: number, input: RoleInput) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    const row = (await lockRow(trx, "role", matrix.id, id, expectedVersion)) as { name: string; holders: string; position: number };
    await assertUniqueName(trx, "role", matrix.id, input.name, null, id);
    const updated = await trx
      .updateTable("raci_roles")
      .set((eb) => ({ name: input.name, holders: input.holders, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .returning(["version"])
      .executeTakeFirstOrThrow();
    await logChanges(trx, actor, matrix.id, [
      {
        kind: "role.update",
        roleId: id,
        before: { name: row.name, holders: row.holders, position: row.position },
        after: { name: input.name, holders: input.holders, position: row.position },
      },
    ]);
    await recordAudit(trx, {
      actor,
      action: "raci.role_updated",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: updated role “${row.name}”`,
      details: { from: { name: row.name, holders: row.holders }, to: input },
    });
    return updated.version;
  });
}

/** Moves an activity or role one place up or down (swapping positions with its neighbour). */
export async function moveRow(db: DB, actor: Actor, programId: string, kind: RowKind, id: string, direction: "up" | "down") {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    const rows = await trx
      .selectFrom(TABLE[kind])
      .select(["id", "name", "position"])
      .where("matrix_id", "=", matrix.id)
      .where("deleted_at", "is", null)
      .orderBy("position")
      .forUpdate()
      .execute();
    const index = rows.findIndex((r) => r.id === id);
    if (index < 0) throw new NotFoundError(`This ${kind} does not exist in this matrix (any more).`);
    const other = rows[direction === "up" ? index - 1 : index + 1];
    if (!other) return false;
    const row = rows[index];
    for (const [target, position] of [
      [row, other.position],
      [other, row.position],
    ] as const) {
      await trx
        .updateTable(TABLE[kind])
        .set((eb) => ({ position, version: eb("version", "+", 1) }))
        .where("id", "=", target.id)
        .execute();
    }
    const key = kind === "activity" ? "activityId" : "roleId";
    await logChanges(trx, actor, matrix.id, [
      { kind: `${kind}.update`, [key]: row.id, before: { position: row.position }, after: { position: other.position } },
      { kind: `${kind}.update`, [key]: other.id, before: { position: other.position }, after: { position: row.position } },
    ]);
    await recordAudit(trx, {
      actor,
      action: `raci.${kind}_moved`,
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: moved ${kind} “${row.name}” ${direction}`,
    });
    return true;
  });
}

export async function removeRow(db: DB, actor: Actor, programId: string, kind: RowKind, id: string, expectedVersion: number) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    const row = await lockRow(trx, kind, matrix.id, id, expectedVersion);
    await trx
      .updateTable(TABLE[kind])
      .set((eb) => ({ deleted_at: new Date(), version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .execute();
    const key = kind === "activity" ? "activityId" : "roleId";
    await logChanges(trx, actor, matrix.id, [{ kind: `${kind}.remove`, [key]: id, before: { name: row.name } }]);
    await recordAudit(trx, {
      actor,
      action: `raci.${kind}_removed`,
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: removed ${kind} “${row.name}”`,
    });
  });
}
