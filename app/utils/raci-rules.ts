import type { RaciValue } from "../../db/schema";

export type { RaciValue };

/** What the validation needs to know of a matrix; shared by the browser editor and the server. */
export interface RaciShape {
  activities: ReadonlyArray<{ id: string; name: string }>;
  roles: ReadonlyArray<{ id: string; name: string; holders: string }>;
  /** Cell values keyed by `${activityId}:${roleId}`; missing means empty. */
  cells: ReadonlyMap<string, RaciValue>;
  /** Share of activities above which one role being Accountable is flagged (0–1). */
  overloadShare: number;
}

export type RaciIssueCode =
  | "no-accountable"
  | "several-accountable"
  | "no-responsible"
  | "accountable-also-responsible"
  | "accountable-overload"
  | "no-informed";

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

  for (const activity of shape.activities) {
    const byValue: Record<RaciValue, string[]> = { R: [], A: [], C: [], I: [] };
    for (const role of shape.roles) {
      const value = shape.cells.get(cellKey(activity.id, role.id));
      if (value) byValue[value].push(role.id);
    }
    const label = `“${activity.name}”`;
    if (byValue.A.length === 0) {
      issues.push({ code: "no-accountable", severity: "error", activityId: activity.id, roleId: null, message: `${label} has no Accountable role: exactly one is needed.` });
    } else if (byValue.A.length > 1) {
      const names = byValue.A.map((id) => roleById.get(id)?.name).join(", ");
      issues.push({ code: "several-accountable", severity: "error", activityId: activity.id, roleId: null, message: `${label} has ${byValue.A.length} Accountable roles (${names}): exactly one is allowed.` });
    }
    if (byValue.R.length === 0) {
      issues.push({ code: "no-responsible", severity: "error", activityId: activity.id, roleId: null, message: `${label} has no Responsible role: at least one is needed.` });
    }
    for (const a of byValue.A) accountableCount.set(a, (accountableCount.get(a) ?? 0) + 1);
    if (byValue.A.length === 1 && byValue.R.length > 0) {
      const accountable = roleById.get(byValue.A[0]);
      const accountablePeople = new Set(people(accountable?.holders ?? ""));
      const both = byValue.R.flatMap((r) => people(roleById.get(r)?.holders ?? "")).filter((p) => accountablePeople.has(p));
      if (both.length > 0) {
        issues.push({ code: "accountable-also-responsible", severity: "note", activityId: activity.id, roleId: byValue.A[0], message: `${label}: the same person is both Accountable and Responsible, so nobody else checks the work.` });
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
  const byKey = new Map(cells.map((c) => [cellKey(c.activityId, c.roleId), c]));
  const versions: Record<string, number> = {};
  const rows = activities.map((a, ai) =>
    roles
      .map((r, ri) => {
        const cell = byKey.get(cellKey(a.id, r.id));
        const usual = cell?.value ? 1 : 0;
        if (cell && cell.version !== usual) versions[`${ai}:${ri}`] = cell.version;
        return cell?.value ?? ".";
      })
      .join(""),
  );
  return { rows, versions };
}

export function expandCells(
  activities: readonly { id: string }[],
  roles: readonly { id: string }[],
  compact: CompactCells,
): Map<string, { value: RaciValue | null; version: number }> {
  const map = new Map<string, { value: RaciValue | null; version: number }>();
  activities.forEach((a, ai) => {
    const row = compact.rows[ai] ?? "";
    roles.forEach((r, ri) => {
      const char = row[ri];
      const value = char === "R" || char === "A" || char === "C" || char === "I" ? char : null;
      const version = compact.versions[`${ai}:${ri}`] ?? (value ? 1 : 0);
      if (value || version) map.set(cellKey(a.id, r.id), { value, version });
    });
  });
  return map;
}
