import type { RaciValue } from "../../../db/schema";

export type { RaciValue };

/** What the validation needs to know of a matrix; shared by the browser editor and the server. */
export interface RaciShape {
  activities: ReadonlyArray<{ id: string; name: string }>;
  roles: ReadonlyArray<{ id: string; name: string; holders: string }>;
  /**
   * Cell values keyed by `${activityId}:${roleId}` (missing means empty), or the value at an
   * activity's and a role's position in the lists above (the grid's compact cells).
   */
  cells: ReadonlyMap<string, RaciValue> | ((activityIndex: number, roleIndex: number) => RaciValue | null);
  /** Share of activities above which one role being Accountable is flagged (0–1). */
  overloadShare: number;
}

export type RaciIssueCode =
  "no-accountable" | "several-accountable" | "no-responsible" | "accountable-also-responsible" | "accountable-overload" | "no-informed";

export interface RaciIssue {
  code: RaciIssueCode;
  severity: "error" | "warning" | "note";
  activityId: string | null;
  roleId: string | null;
  message: string;
}

export const MIN_OVERLOAD_COUNT = 3;

export const cellKey = (activityId: string, roleId: string) => `${activityId}:${roleId}`;

function people(holders: string): string[] {
  return holders
    .split(/\n|,/)
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * The RACI rules: exactly one Accountable and at least one Responsible per activity (errors);
 * someone named both as the Accountable and as a Responsible (note: nobody checks their work);
 * a role Accountable for more than `overloadShare` of the activities, and at least three
 * (warning); an activity
 * with nobody Informed (note). A matrix may be saved with errors; its status shows them.
 */
export function validateRaci(shape: RaciShape): RaciIssue[] {
  const issues: RaciIssue[] = [];
  const accountableCount = new Map<string, number>();
  const roleById = new Map(shape.roles.map((r) => [r.id, r]));

  const { cells } = shape;
  const valueAt =
    typeof cells === "function"
      ? cells
      : (ai: number, ri: number) => cells.get(cellKey(shape.activities[ai].id, shape.roles[ri].id)) ?? null;

  for (const [ai, activity] of shape.activities.entries()) {
    const byValue: Record<RaciValue, string[]> = { R: [], A: [], C: [], I: [] };
    for (const [ri, role] of shape.roles.entries()) {
      const value = valueAt(ai, ri);
      if (value) byValue[value].push(role.id);
    }
    const label = `“${activity.name}”`;
    if (byValue.A.length === 0) {
      issues.push({
        code: "no-accountable",
        severity: "error",
        activityId: activity.id,
        roleId: null,
        message: `${label} has no Accountable role: exactly one is needed.`,
      });
    } else if (byValue.A.length > 1) {
      const names = byValue.A.map((id) => roleById.get(id)?.name).join(", ");
      issues.push({
        code: "several-accountable",
        severity: "error",
        activityId: activity.id,
        roleId: null,
        message: `${label} has ${byValue.A.length} Accountable roles (${names}): exactly one is allowed.`,
      });
    }
    if (byValue.R.length === 0) {
      issues.push({
        code: "no-responsible",
        severity: "error",
        activityId: activity.id,
        roleId: null,
        message: `${label} has no Responsible role: at least one is needed.`,
      });
    }
    for (const a of byValue.A) accountableCount.set(a, (accountableCount.get(a) ?? 0) + 1);
    if (byValue.A.length === 1 && byValue.R.length > 0) {
      const accountable = roleById.get(byValue.A[0]);
      const accountablePeople = new Set(people(accountable?.holders ?? ""));
      const both = byValue.R.flatMap((r) => people(roleById.get(r)?.holders ?? "")).filter((p) => accountablePeople.has(p));
      if (both.length > 0) {
        issues.push({
          code: "accountable-also-responsible",
          severity: "note",
          activityId: activity.id,
          roleId: byValue.A[0],
          message: `${label}: the same person is both Accountable and Responsible, so nobody else checks the work.`,
        });
      }
    }
    if (byValue.I.length === 0) {
      issues.push({ code: "no-informed", severity: "note", activityId: activity.id, roleId: null, message: `${label} informs nobody.` });
    }
  }

  const total = shape.activities.length;
  if (total > 0) {
    for (const role of shape.roles) {
      const count = accountableCount.get(role.id) ?? 0;
      // Tiny matrices would flag everyone: an overload needs at least three activities.
      if (count >= MIN_OVERLOAD_COUNT && count / total > shape.overloadShare) {
        issues.push({
          code: "accountable-overload",
          severity: "warning",
          activityId: null,
          roleId: role.id,
          message: `${role.name} is Accountable for ${count} of ${total} activities (over ${Math.round(shape.overloadShare * 100)}%).`,
        });
      }
    }
  }
  return issues;
}

export function summarizeIssues(issues: RaciIssue[]) {
  return {
    errors: issues.filter((i) => i.severity === "error").length,
    warnings: issues.filter((i) => i.severity === "warning").length,
    notes: issues.filter((i) => i.severity === "note").length,
  };
}

/**
 * The grid's cells in a compact form for the page's data (a large matrix has 1,200 cells):
 * one string per activity with a character per role ("RA.C…", "." = empty), and the versions
 * that differ from the usual one (1 for a set cell, 0 for one never set).
 */
export interface CompactCells {
  rows: string[];
  versions: Record<string, number>;
}

export function compactCells(
  activities: readonly { id: string }[],
  roles: readonly { id: string }[],
  cells: readonly { activityId: string; roleId: string; value: RaciValue | null; version: number }[],
): CompactCells {
  const activityIndex = new Map(activities.map((a, i) => [a.id, i]));
  const roleIndex = new Map(roles.map((r, i) => [r.id, i]));
  const chars = activities.map(() => Array.from({ length: roles.length }, () => "."));
  const versions: Record<string, number> = {};
  for (const cell of cells) {
    const ai = activityIndex.get(cell.activityId);
    const ri = roleIndex.get(cell.roleId);
    if (ai === undefined || ri === undefined) continue;
    if (cell.value) chars[ai][ri] = cell.value;
    if (cell.version !== (cell.value ? 1 : 0)) versions[`${ai}:${ri}`] = cell.version;
  }
  return { rows: chars.map((row) => row.join("")), versions };
}

/** The value of the cell at an activity's and a role's position (see `compactCells`). */
export function compactValueAt(compact: CompactCells, activityIndex: number, roleIndex: number): RaciValue | null {
  const char = compact.rows[activityIndex]?.[roleIndex];
  return char === "R" || char === "A" || char === "C" || char === "I" ? char : null;
}

/** The value and version of the cell at an activity's and a role's position (see `compactCells`). */
export function compactCellAt(
  compact: CompactCells,
  activityIndex: number,
  roleIndex: number,
): { value: RaciValue | null; version: number } {
  const value = compactValueAt(compact, activityIndex, roleIndex);
  return { value, version: compact.versions[`${activityIndex}:${roleIndex}`] ?? (value ? 1 : 0) };
}
