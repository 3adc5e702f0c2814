import type { RaciValue } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { cellKey } from "~/models/raci/rules";
import { NotFoundError } from "~/models/errors";
import { logChanges, requireMatrix, TABLE, type MatrixChange, type RowKind } from "~/models/raci/change-log.server";
import { matrixStateAt, type RowState } from "~/models/raci/history.server";
import type { MatrixContent } from "~/models/raci/matrix.server";

// Restore and import: bring the matrix to a target content as ONE new revision.

interface TargetContent {
  roles: Array<{ id: string | null; name: string; holders: string }>;
  activities: Array<{ id: string | null; groupName: string; name: string }>;
  /** Keyed by `${activityIndex}:${roleIndex}` into the arrays above. */
  cells: Map<string, RaciValue>;
}

async function applyTarget(trx: DB, actor: Actor, matrixId: string, target: TargetContent): Promise<{ revision: number; changes: number }> {
  const changes: MatrixChange[] = [];
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
