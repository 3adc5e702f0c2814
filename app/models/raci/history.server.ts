import { sql } from "kysely";
import type { RaciValue } from "../../../db/schema";
import type { DB } from "~/utils/db.server";
import { cellKey } from "~/models/raci/rules";
import { requireMatrix } from "~/models/raci/change-log.server";

// History of a RACI matrix: the change log rebuilt into the matrix as it was at any revision.

export interface RowState {
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
