import { sql } from "kysely";
import { type DB } from "~/utils/db.server";
import { compareNamesStrictly } from "~/utils/collate";
import { NO_SUCH_PERSON, PATH_SEPARATOR } from "~/validation/org";

export { NO_SUCH_PERSON, PATH_SEPARATOR };

export function listOf(parts: string[]): string {
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

export const byName = (a: { name: string }, b: { name: string }) => compareNamesStrictly(a.name, b.name);

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
