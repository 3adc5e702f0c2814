import { sql } from "kysely";
import type { RaciValue } from "../../../db/schema";
import { recordAudit, requestIp, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { cellKey, MIN_OVERLOAD_COUNT, validateRaci, type RaciIssue } from "~/models/raci/rules";
import { TEMPLATE_ACTIVITIES, TEMPLATE_ROLES } from "~/models/raci/template";
import { FieldError, NotFoundError, ConflictError } from "~/models/errors";

// The RACI matrix of a program. Every edit names the version of the row it was based on and is
// refused (a conflict) when the row moved on meanwhile; every edit is appended to raci_changes,
// from which any earlier state can be rebuilt (history, diff, restore).

export interface RaciRole {
  id: string;
  name: string;
  holders: string;
  position: number;
  version: number;
}
export interface RaciActivity {
  id: string;
  groupName: string;
  name: string;
  position: number;
  version: number;
}
export interface RaciCell {
  activityId: string;
  roleId: string;
  /** null for a cell that was set once and cleared (its version still counts). */
  value: RaciValue | null;
  version: number;
}
export interface RaciMatrix {
  id: string;
  programId: string;
  overloadShare: number;
  revision: number;
  roles: RaciRole[];
  activities: RaciActivity[];
  cells: RaciCell[];
}

type RowKind = "activity" | "role";
const TABLE = { activity: "raci_activities", role: "raci_roles" } as const;

/** What a cell (or a row's name) holds now, sent with a 409 so the editor shows it. */
export interface RaciCurrent {
  value: string | null;
  version: number;
  updatedByLabel: string | null;
  updatedAt: Date | null;
}

/** Someone else changed the cell or row since the editor loaded it: a 409 with what is there now. */
function changedMeanwhile(current: RaciCurrent) {
  return new ConflictError<RaciCurrent>(
    `Someone else changed this meanwhile (now “${current.value ?? "empty"}”). Reload to see the latest version; your change was not saved.`,
    current,
  );
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

async function matrixRow(db: DB, programId: string) {
  return db
    .selectFrom("raci_matrices")
    .select(["id", "program_id as programId", "overload_share as overloadShare", "revision"])
    .where("program_id", "=", programId)
    .executeTakeFirst();
}

/** The whole matrix in four queries, whatever its size. */
export async function getMatrix(db: DB, programId: string): Promise<RaciMatrix | null> {
  const matrix = await matrixRow(db, programId);
  if (!matrix) return null;
  const [roles, activities, cells] = await Promise.all([
    db
      .selectFrom("raci_roles")
      .select(["id", "name", "holders", "position", "version"])
      .where("matrix_id", "=", matrix.id)
      .where("deleted_at", "is", null)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("raci_activities")
      .select(["id", "group_name as groupName", "name", "position", "version"])
      .where("matrix_id", "=", matrix.id)
      .where("deleted_at", "is", null)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("raci_cells")
      .select(["activity_id as activityId", "role_id as roleId", "value", "version"])
      .where("matrix_id", "=", matrix.id)
      .execute(),
  ]);
  return { ...matrix, roles, activities, cells };
}

export function matrixIssues(matrix: RaciMatrix): RaciIssue[] {
  return validateRaci({
    activities: matrix.activities,
    roles: matrix.roles,
    cells: new Map(matrix.cells.flatMap((c) => (c.value ? [[cellKey(c.activityId, c.roleId), c.value] as const] : []))),
    overloadShare: matrix.overloadShare,
  });
}

type ChangeKind = "cell" | "activity.add" | "activity.update" | "activity.remove" | "role.add" | "role.update" | "role.remove";

interface Change {
  kind: ChangeKind;
  activityId?: string | null;
  roleId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Bumps the matrix revision and appends the changes, all in the caller's transaction. */
async function logChanges(trx: DB, actor: Actor, matrixId: string, changes: Change[]): Promise<number> {
  if (changes.length === 1) {
    // One change (a cell edit from the grid): bump and append in one statement. Every edit of
    // the matrix waits for the revision's row lock, so the fewer round trips hold it, the
    // shorter the queue when several people edit at once.
    const [c] = changes;
    const { rows } = await sql<{ revision: number }>`
      with rev as (update raci_matrices set revision = revision + 1, updated_at = now() where id = ${matrixId} returning revision)
      insert into raci_changes (matrix_id, revision, actor_id, actor_label, kind, activity_id, role_id, before, after)
      select ${matrixId}, rev.revision, ${actor.id}, ${actor.name}, ${c.kind}, ${c.activityId ?? null}, ${c.roleId ?? null},
        ${c.before === undefined ? null : JSON.stringify(c.before)}::jsonb, ${c.after === undefined ? null : JSON.stringify(c.after)}::jsonb
      from rev
      returning revision`.execute(trx);
    if (!rows[0]) throw new NotFoundError("This program has no RACI matrix.");
    return rows[0].revision;
  }
  const { revision } = await trx
    .updateTable("raci_matrices")
    .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: new Date() }))
    .where("id", "=", matrixId)
    .returning("revision")
    .executeTakeFirstOrThrow();
  if (changes.length > 0) {
    // Chunked so a large import stays under the bind-parameter limit.
    for (let i = 0; i < changes.length; i += 1000) {
      await trx
        .insertInto("raci_changes")
        .values(
          changes.slice(i, i + 1000).map((c) => ({
            matrix_id: matrixId,
            revision,
            actor_id: actor.id,
            actor_label: actor.name,
            kind: c.kind,
            activity_id: c.activityId ?? null,
            role_id: c.roleId ?? null,
            before: c.before === undefined ? null : JSON.stringify(c.before),
            after: c.after === undefined ? null : JSON.stringify(c.after),
          })),
        )
        .execute();
    }
  }
  return revision;
}

export interface MatrixContent {
  roles: Array<{ name: string; holders?: string }>;
  activities: Array<{ group: string; name: string; cells: Record<string, RaciValue | undefined> }>;
}

export function templateContent(): MatrixContent {
  return {
    roles: TEMPLATE_ROLES.map((name) => ({ name })),
    activities: TEMPLATE_ACTIVITIES.map((a) => ({ group: a.group, name: a.name, cells: { ...a.cells } })),
  };
}

/** The content of a program's matrix by names (to copy it into another program, or export it). */
export function contentOf(matrix: RaciMatrix): MatrixContent {
  const roleName = new Map(matrix.roles.map((r) => [r.id, r.name]));
  const byActivity = new Map<string, Record<string, RaciValue>>();
  for (const c of matrix.cells) {
    if (!c.value) continue;
    const row = byActivity.get(c.activityId) ?? {};
    const name = roleName.get(c.roleId);
    if (name) row[name] = c.value;
    byActivity.set(c.activityId, row);
  }
  return {
    roles: matrix.roles.map((r) => ({ name: r.name, holders: r.holders })),
    activities: matrix.activities.map((a) => ({ group: a.groupName, name: a.name, cells: byActivity.get(a.id) ?? {} })),
  };
}

/** Adds roles, activities and cells (by name) to a matrix, logged as one revision. */
async function insertContent(trx: DB, actor: Actor, matrixId: string, content: MatrixContent, startPosition = { role: 0, activity: 0 }) {
  const roleIds = new Map<string, string>();
  const changes: Change[] = [];
  const roles = content.roles.map((r, i) => {
    const id = crypto.randomUUID();
    roleIds.set(r.name, id);
    changes.push({ kind: "role.add", roleId: id, after: { name: r.name, holders: r.holders ?? "", position: startPosition.role + i } });
    return { id, matrix_id: matrixId, name: r.name, holders: r.holders ?? "", position: startPosition.role + i };
  });
  if (roles.length) await trx.insertInto("raci_roles").values(roles).execute();
  const activities = content.activities.map((a, i) => {
    const id = crypto.randomUUID();
    changes.push({
      kind: "activity.add",
      activityId: id,
      after: { name: a.name, groupName: a.group, position: startPosition.activity + i },
    });
    return { id, matrix_id: matrixId, group_name: a.group, name: a.name, position: startPosition.activity + i, cells: a.cells };
  });
  if (activities.length) {
    await trx
      .insertInto("raci_activities")
      .values(activities.map(({ cells: _cells, ...a }) => a))
      .execute();
  }
  const cells = activities.flatMap((a) =>
    Object.entries(a.cells).flatMap(([roleName, value]) => {
      const roleId = roleIds.get(roleName);
      if (!roleId || !value) return [];
      changes.push({ kind: "cell", activityId: a.id, roleId, before: { value: null }, after: { value } });
      return [{ activity_id: a.id, role_id: roleId, matrix_id: matrixId, value, updated_by: actor.id, updated_by_label: actor.name }];
    }),
  );
  for (let i = 0; i < cells.length; i += 1000)
    await trx
      .insertInto("raci_cells")
      .values(cells.slice(i, i + 1000))
      .execute();
  return logChanges(trx, actor, matrixId, changes);
}

export type MatrixSource =
  { kind: "template" } | { kind: "empty" } | { kind: "copy"; programId: string } | { kind: "content"; content: MatrixContent };

export const MATRIX_EXISTS_MESSAGE = "This program already has a RACI matrix.";

/**
 * Creates the program's RACI matrix. A program has one: a second one (a double submit, two
 * people at once) is a ConflictError (409) carrying the existing matrix, decided by the insert
 * itself inside the transaction.
 */
export async function createMatrix(db: DB, actor: Actor, programId: string, source: MatrixSource): Promise<RaciMatrix> {
  const content =
    source.kind === "template"
      ? templateContent()
      : source.kind === "content"
        ? source.content
        : source.kind === "copy"
          ? await getMatrix(db, source.programId).then((m) => {
              if (!m) throw new NotFoundError("The program to copy from has no RACI matrix.");
              return contentOf(m);
            })
          : { roles: [], activities: [] };
  await inTransaction(db, async (trx) => {
    const id = crypto.randomUUID();
    const created = await trx
      .insertInto("raci_matrices")
      .values({ id, program_id: programId })
      .onConflict((oc) => oc.column("program_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!created) throw new ConflictError(MATRIX_EXISTS_MESSAGE, { programId });
    await insertContent(trx, actor, id, content);
    await recordAudit(trx, {
      actor,
      action: "raci.created",
      entityType: "raci_matrix",
      entityId: id,
      programId,
      summary: `Created the RACI matrix (${source.kind === "copy" ? "copied from another program" : source.kind})`,
      details: { source: source.kind, roles: content.roles.length, activities: content.activities.length },
    });
  });
  return (await getMatrix(db, programId))!;
}

export interface CellEdit {
  activityId: string;
  roleId: string;
  value: RaciValue | null;
  /** The version the editor saw: 0 for a cell that was never set. */
  expectedVersion: number;
}

/**
 * Sets or clears one cell; throws a ConflictError (409) when the cell changed since `expectedVersion`.
 *
 * The grid's hottest write, so it is one statement (atomic on its own, no transaction round
 * trips): check the activity and role, upsert the cell if its version is still the expected one,
 * and — when the value really changed — bump the matrix revision, append the change and write the
 * audit event. Versions only ever grow, so the value read with the expected version is the value
 * the upsert replaced. Only when nothing was written does a second query tell why.
 */
export async function setCell(db: DB, actor: Actor, programId: string, edit: CellEdit) {
  const { activityId, roleId, expectedVersion } = edit;
  const value = edit.value ?? null;
  const { rows } = await sql<{ value: RaciValue | null; version: number; updatedByLabel: string | null; updatedAt: Date }>`
    with target as (
      select m.id as matrix_id, a.name as activity_name, r.name as role_name
      from raci_activities a
      join raci_matrices m on m.id = a.matrix_id
      join raci_roles r on r.matrix_id = m.id and r.id = ${roleId}
      where m.program_id = ${programId} and a.id = ${activityId} and a.deleted_at is null and r.deleted_at is null
      for share of a, r
    ),
    old as (
      select c.value, coalesce(c.version, 0) as version
      from (select 1) as one left join raci_cells c on c.activity_id = ${activityId} and c.role_id = ${roleId}
    ),
    cell as (
      insert into raci_cells (activity_id, role_id, matrix_id, value, version, updated_by, updated_by_label)
      select ${activityId}, ${roleId}, target.matrix_id, ${value}::text, 1, ${actor.id}, ${actor.name}
      from target, old where old.version = ${expectedVersion}
      on conflict (activity_id, role_id) do update
        set value = excluded.value, version = raci_cells.version + 1, updated_by = excluded.updated_by,
          updated_by_label = excluded.updated_by_label, updated_at = now()
        where raci_cells.version = ${expectedVersion}
      returning value, version, updated_by_label, updated_at
    ),
    changed as (
      select target.*, old.value as before from target, old, cell where old.value is distinct from ${value}::text
    ),
    rev as (
      update raci_matrices m set revision = revision + 1, updated_at = now()
      from changed where m.id = changed.matrix_id
      returning m.revision
    ),
    logged as (
      insert into raci_changes (matrix_id, revision, actor_id, actor_label, kind, activity_id, role_id, before, after)
      select changed.matrix_id, rev.revision, ${actor.id}, ${actor.name}, 'cell', ${activityId}, ${roleId},
        jsonb_build_object('value', changed.before), jsonb_build_object('value', ${value}::text)
      from changed, rev
    ),
    audited as (
      insert into audit_events (actor_id, actor_label, action, entity_type, entity_id, program_id, summary, details, ip)
      select ${actor.id}, ${actor.name}, 'raci.cell_changed', 'raci_matrix', changed.matrix_id, ${programId},
        format('RACI: “%s” × %s: %s → %s', changed.activity_name, changed.role_name, coalesce(changed.before, 'empty'), coalesce(${value}::text, 'empty')),
        jsonb_build_object('activityId', ${activityId}::text, 'roleId', ${roleId}::text, 'from', changed.before, 'to', ${value}::text, 'revision', rev.revision),
        ${requestIp()}
      from changed, rev
    )
    select value, version, updated_by_label as "updatedByLabel", updated_at as "updatedAt" from cell`.execute(db);
  if (rows[0]) return rows[0];

  // Nothing written: the activity or role is gone, or the cell moved on.
  const found = await db
    .selectFrom("raci_activities as a")
    .innerJoin("raci_matrices as m", "m.id", "a.matrix_id")
    .innerJoin("raci_roles as r", (j) => j.onRef("r.matrix_id", "=", "m.id").on("r.id", "=", roleId))
    .leftJoin("raci_cells as c", (j) => j.onRef("c.activity_id", "=", "a.id").onRef("c.role_id", "=", "r.id"))
    .select(["c.value", "c.version", "c.updated_by_label as updatedByLabel", "c.updated_at as updatedAt"])
    .where("m.program_id", "=", programId)
    .where("a.id", "=", activityId)
    .where("a.deleted_at", "is", null)
    .where("r.deleted_at", "is", null)
    .executeTakeFirst();
  if (!found) throw new NotFoundError("This activity or role does not exist in this matrix (any more).");
  throw changedMeanwhile({
    value: found.value ?? null,
    version: found.version ?? 0,
    updatedByLabel: found.updatedByLabel ?? null,
    updatedAt: found.updatedAt ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// Rows: activities and roles share one shape of operations (add, update, move, remove).

async function requireMatrix(db: DB, programId: string) {
  const matrix = await matrixRow(db, programId);
  if (!matrix) throw new NotFoundError("This program has no RACI matrix.");
  return matrix;
}

export interface ActivityInput {
  groupName: string;
  name: string;
}
export interface RoleInput {
  name: string;
  holders: string;
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

// ---------------------------------------------------------------------------------------------
// History: the change log rebuilt into the matrix as it was at any revision.

interface RowState {
  id: string;
  name: string;
  groupName: string;
  holders: string;
  position: number;
  deleted: boolean;
}
export interface MatrixState {
  revision: number;
  roles: Map<string, RowState>;
  activities: Map<string, RowState>;
  cells: Map<string, RaciValue>;
}

export async function matrixStateAt(db: DB, matrixId: string, revision: number): Promise<MatrixState> {
  const changes = await db
    .selectFrom("raci_changes")
    .select(["kind", "activity_id", "role_id", "after", "revision"])
    .where("matrix_id", "=", matrixId)
    .where("revision", "<=", revision)
    .orderBy("id")
    .execute();
  const state: MatrixState = { revision, roles: new Map(), activities: new Map(), cells: new Map() };
  for (const change of changes) {
    const after = (change.after ?? {}) as Partial<RowState> & { value?: RaciValue | null };
    const [kind, op] = change.kind.split(".") as [string, string | undefined];
    if (kind === "cell" && change.activity_id && change.role_id) {
      const key = cellKey(change.activity_id, change.role_id);
      if (after.value) state.cells.set(key, after.value);
      else state.cells.delete(key);
      continue;
    }
    const map = kind === "activity" ? state.activities : state.roles;
    const id = (kind === "activity" ? change.activity_id : change.role_id) ?? "";
    const existing = map.get(id) ?? { id, name: "", groupName: "", holders: "", position: 0, deleted: false };
    if (op === "remove") map.set(id, { ...existing, deleted: true });
    else map.set(id, { ...existing, ...after, deleted: false });
  }
  return state;
}

export interface MatrixDifference {
  kind: "activity-added" | "activity-removed" | "activity-renamed" | "role-added" | "role-removed" | "role-renamed" | "cell";
  label: string;
  from: string | null;
  to: string | null;
}

/** What changed between two states, in words a PLO reads. */
export function diffStates(from: MatrixState, to: MatrixState): MatrixDifference[] {
  const out: MatrixDifference[] = [];
  const live = (m: Map<string, RowState>) => new Map([...m].filter(([, r]) => !r.deleted));
  for (const [kind, a, b] of [
    ["activity", live(from.activities), live(to.activities)],
    ["role", live(from.roles), live(to.roles)],
  ] as const) {
    for (const [id, row] of b) {
      const old = a.get(id);
      if (!old) out.push({ kind: `${kind}-added`, label: row.name, from: null, to: row.name });
      else if (old.name !== row.name) out.push({ kind: `${kind}-renamed`, label: row.name, from: old.name, to: row.name });
    }
    for (const [id, row] of a) if (!b.has(id)) out.push({ kind: `${kind}-removed`, label: row.name, from: row.name, to: null });
  }
  const toActivities = live(to.activities);
  const toRoles = live(to.roles);
  const fromActivities = live(from.activities);
  const fromRoles = live(from.roles);
  const keys = new Set([...from.cells.keys(), ...to.cells.keys()]);
  for (const key of keys) {
    const [activityId, roleId] = key.split(":");
    const activity = toActivities.get(activityId) ?? fromActivities.get(activityId);
    const role = toRoles.get(roleId) ?? fromRoles.get(roleId);
    // Cells of rows that only exist on one side are covered by the row's own added/removed line.
    if (!toActivities.has(activityId) || !toRoles.has(roleId) || !fromActivities.has(activityId) || !fromRoles.has(roleId)) continue;
    const before = from.cells.get(key) ?? null;
    const after = to.cells.get(key) ?? null;
    if (before !== after) out.push({ kind: "cell", label: `${activity?.name} × ${role?.name}`, from: before, to: after });
  }
  return out;
}

export async function listChanges(db: DB, programId: string, { page = 1, pageSize = 50 } = {}) {
  const matrix = await requireMatrix(db, programId);
  const rows = await db
    .selectFrom("raci_changes as ch")
    .leftJoin("raci_activities as a", "a.id", "ch.activity_id")
    .leftJoin("raci_roles as r", "r.id", "ch.role_id")
    .select([
      "ch.id",
      "ch.revision",
      "ch.at",
      "ch.actor_label as actorLabel",
      "ch.kind",
      "ch.before",
      "ch.after",
      "a.name as activityName",
      "r.name as roleName",
      sql<number>`count(*) over ()::int`.as("total"),
    ])
    .where("ch.matrix_id", "=", matrix.id)
    .orderBy("ch.id", "desc")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { matrix, changes: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Restore and import: bring the matrix to a target content as ONE new revision.

interface TargetContent {
  roles: Array<{ id: string | null; name: string; holders: string }>;
  activities: Array<{ id: string | null; groupName: string; name: string }>;
  /** Keyed by `${activityIndex}:${roleIndex}` into the arrays above. */
  cells: Map<string, RaciValue>;
}

async function applyTarget(trx: DB, actor: Actor, matrixId: string, target: TargetContent): Promise<{ revision: number; changes: number }> {
  const changes: Change[] = [];
  const ids: Record<RowKind, string[]> = { role: [], activity: [] };

  for (const kind of ["role", "activity"] as const) {
    const existing = await trx.selectFrom(TABLE[kind]).selectAll().where("matrix_id", "=", matrixId).forUpdate().execute();
    const byId = new Map(existing.map((r) => [r.id, r as typeof r & { holders?: string; group_name?: string }]));
    const wanted = kind === "role" ? target.roles : target.activities;
    const key = kind === "activity" ? "activityId" : "roleId";
    const kept = new Set<string>();
    for (const [position, item] of wanted.entries()) {
      const fields =
        kind === "role"
          ? { name: item.name, holders: (item as TargetContent["roles"][number]).holders }
          : { name: item.name, group_name: (item as TargetContent["activities"][number]).groupName };
      const logged =
        kind === "role"
          ? { name: item.name, holders: (fields as { holders: string }).holders, position }
          : { name: item.name, groupName: (fields as { group_name: string }).group_name, position };
      const current = item.id ? byId.get(item.id) : undefined;
      if (!current) {
        const id = crypto.randomUUID();
        await trx
          .insertInto(TABLE[kind])
          .values({ id, matrix_id: matrixId, position, ...fields } as never)
          .execute();
        changes.push({ kind: `${kind}.add`, [key]: id, after: logged });
        ids[kind].push(id);
        kept.add(id);
        continue;
      }
      kept.add(current.id);
      ids[kind].push(current.id);
      const same =
        current.deleted_at === null &&
        current.position === position &&
        current.name === item.name &&
        (kind === "role"
          ? current.holders === (fields as { holders: string }).holders
          : current.group_name === (fields as { group_name: string }).group_name);
      if (same) continue;
      await trx
        .updateTable(TABLE[kind])
        .set((eb) => ({ ...fields, position, deleted_at: null, version: eb("version", "+", 1) }) as never)
        .where("id", "=", current.id)
        .execute();
      changes.push({
        kind: current.deleted_at ? `${kind}.add` : `${kind}.update`,
        [key]: current.id,
        before: { name: current.name, position: current.position },
        after: logged,
      });
    }
    for (const row of existing) {
      if (row.deleted_at === null && !kept.has(row.id)) {
        await trx
          .updateTable(TABLE[kind])
          .set((eb) => ({ deleted_at: new Date(), version: eb("version", "+", 1) }))
          .where("id", "=", row.id)
          .execute();
        changes.push({ kind: `${kind}.remove`, [key]: row.id, before: { name: row.name } });
      }
    }
  }

  const currentCells = await trx
    .selectFrom("raci_cells")
    .select(["activity_id", "role_id", "value"])
    .where("matrix_id", "=", matrixId)
    .execute();
  const current = new Map(currentCells.map((c) => [cellKey(c.activity_id, c.role_id), c.value]));
  for (const [ai, activityId] of ids.activity.entries()) {
    for (const [ri, roleId] of ids.role.entries()) {
      const want = target.cells.get(`${ai}:${ri}`) ?? null;
      const have = current.get(cellKey(activityId, roleId)) ?? null;
      if (want === have) continue;
      await trx
        .insertInto("raci_cells")
        .values({
          activity_id: activityId,
          role_id: roleId,
          matrix_id: matrixId,
          value: want,
          updated_by: actor.id,
          updated_by_label: actor.name,
        })
        .onConflict((oc) =>
          oc.columns(["activity_id", "role_id"]).doUpdateSet((eb) => ({
            value: want,
            version: eb("raci_cells.version", "+", 1),
            updated_by: actor.id,
            updated_by_label: actor.name,
            updated_at: new Date(),
          })),
        )
        .execute();
      changes.push({ kind: "cell", activityId, roleId, before: { value: have }, after: { value: want } });
    }
  }
  if (changes.length === 0) return { revision: -1, changes: 0 };
  return { revision: await logChanges(trx, actor, matrixId, changes), changes: changes.length };
}

/** Restores the matrix as it was at `revision`, recorded as a new change (nothing is lost). */
export async function restoreRevision(db: DB, actor: Actor, programId: string, revision: number) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    if (revision < 1 || revision > matrix.revision) throw new NotFoundError(`Revision ${revision} does not exist in this matrix.`);
    const state = await matrixStateAt(trx, matrix.id, revision);
    const live = (m: Map<string, RowState>) => [...m.values()].filter((r) => !r.deleted).sort((a, b) => a.position - b.position);
    const roles = live(state.roles);
    const activities = live(state.activities);
    const cells = new Map<string, RaciValue>();
    activities.forEach((a, ai) =>
      roles.forEach((r, ri) => {
        const v = state.cells.get(cellKey(a.id, r.id));
        if (v) cells.set(`${ai}:${ri}`, v);
      }),
    );
    const result = await applyTarget(trx, actor, matrix.id, {
      roles: roles.map((r) => ({ id: r.id, name: r.name, holders: r.holders })),
      activities: activities.map((a) => ({ id: a.id, name: a.name, groupName: a.groupName })),
      cells,
    });
    await recordAudit(trx, {
      actor,
      action: "raci.restored",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: restored revision ${revision} (${result.changes} changes)`,
      details: { revision, changes: result.changes },
    });
    return result;
  });
}

/** Replaces the matrix content with `content` (matched by names), as one new revision. */
export async function replaceContent(db: DB, actor: Actor, programId: string, content: MatrixContent, source: string) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    const [roles, activities] = await Promise.all([
      trx.selectFrom("raci_roles").select(["id", "name"]).where("matrix_id", "=", matrix.id).where("deleted_at", "is", null).execute(),
      trx
        .selectFrom("raci_activities")
        .select(["id", "name", "group_name"])
        .where("matrix_id", "=", matrix.id)
        .where("deleted_at", "is", null)
        .execute(),
    ]);
    const roleByName = new Map(roles.map((r) => [r.name.toLowerCase(), r.id]));
    const activityByName = new Map(activities.map((a) => [`${a.group_name}\u0000${a.name}`.toLowerCase(), a.id]));
    const cells = new Map<string, RaciValue>();
    content.activities.forEach((a, ai) =>
      content.roles.forEach((r, ri) => {
        const v = a.cells[r.name];
        if (v) cells.set(`${ai}:${ri}`, v);
      }),
    );
    const result = await applyTarget(trx, actor, matrix.id, {
      roles: content.roles.map((r) => ({ id: roleByName.get(r.name.toLowerCase()) ?? null, name: r.name, holders: r.holders ?? "" })),
      activities: content.activities.map((a) => ({
        id: activityByName.get(`${a.group}\u0000${a.name}`.toLowerCase()) ?? null,
        name: a.name,
        groupName: a.group,
      })),
      cells,
    });
    await recordAudit(trx, {
      actor,
      action: "raci.imported",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: replaced the matrix from ${source} (${result.changes} changes)`,
      details: { source, changes: result.changes },
    });
    return result;
  });
}

export async function setOverloadShare(db: DB, actor: Actor, programId: string, share: number) {
  return inTransaction(db, async (trx) => {
    const matrix = await requireMatrix(trx, programId);
    await trx.updateTable("raci_matrices").set({ overload_share: share, updated_at: new Date() }).where("id", "=", matrix.id).execute();
    await recordAudit(trx, {
      actor,
      action: "raci.settings_changed",
      entityType: "raci_matrix",
      entityId: matrix.id,
      programId,
      summary: `RACI: overload warning above ${Math.round(share * 100)}% of activities`,
      details: { from: matrix.overloadShare, to: share },
    });
  });
}

/** Programs that have a matrix, to offer as a starting point for a new one. */
export async function programsWithMatrix(db: DB, exceptProgramId: string) {
  return db
    .selectFrom("raci_matrices as m")
    .innerJoin("programs as p", "p.id", "m.program_id")
    .select(["p.id", "p.name"])
    .where("p.id", "!=", exceptProgramId)
    .orderBy("p.name")
    .execute();
}

/**
 * The matrix's error and warning counts in one query, for pages that only show its status (the
 * program overview): the same rules as `validateRaci` — one A and at least one R per activity
 * (errors), a role Accountable for too large a share (warnings) — without loading the matrix.
 * Null when the program has no matrix.
 */
export async function raciStatus(db: DB, programId: string): Promise<{ errors: number; warnings: number } | null> {
  const result = await sql<{ matrix_id: string | null; errors: number; warnings: number }>`
    with m as (
      select id, overload_share from raci_matrices where program_id = ${programId}
    ), roles as (
      select r.id from raci_roles r join m on r.matrix_id = m.id where r.deleted_at is null
    ), acts as (
      select a.id,
             count(c.role_id) filter (where c.value = 'A') as a_count,
             count(c.role_id) filter (where c.value = 'R') as r_count
      from raci_activities a
      join m on a.matrix_id = m.id
      left join raci_cells c on c.activity_id = a.id and c.role_id in (select id from roles)
      where a.deleted_at is null
      group by a.id
    ), accountable as (
      select c.role_id, count(*) as n
      from raci_cells c
      join acts on acts.id = c.activity_id
      where c.value = 'A' and c.role_id in (select id from roles)
      group by c.role_id
    )
    select (select id from m) as matrix_id,
           ((select count(*) from acts where a_count <> 1) + (select count(*) from acts where r_count = 0))::int as errors,
           (select count(*) from accountable, m
             where accountable.n >= ${MIN_OVERLOAD_COUNT}
               and accountable.n::float8 / nullif((select count(*) from acts), 0) > m.overload_share)::int as warnings
  `.execute(db);
  const row = result.rows[0];
  if (!row?.matrix_id) return null;
  return { errors: Number(row.errors), warnings: Number(row.warnings) };
}
