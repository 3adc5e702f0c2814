import { sql } from "kysely";
import type { RaciValue } from "../../../db/schema";
import { recordAudit, requestIp, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { cellKey, MIN_OVERLOAD_COUNT, validateRaci, type RaciIssue } from "~/models/raci/rules";
import { TEMPLATE_ACTIVITIES, TEMPLATE_ROLES } from "~/models/raci/template";
import { ConflictError, NotFoundError } from "~/models/errors";
import { changedMeanwhile, logChanges, matrixRow, requireMatrix, type MatrixChange } from "~/models/raci/change-log.server";

// The RACI matrix of a program: reading it, creating it, its cells and its settings. Every edit
// names the version of the row it was based on and is refused (a conflict) when the row moved on
// meanwhile; every edit is appended to raci_changes (change-log.server.ts). Rows (activities and
// roles) are edited in rows.server.ts, the history read in history.server.ts, and a whole
// content restored or imported in restore.server.ts.

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
  const changes: MatrixChange[] = [];
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
