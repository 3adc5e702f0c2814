import Papa from "papaparse";
import { RACI_VALUES, type RaciValue } from "../../../db/schema";
import type { MatrixContent } from "~/models/raci/matrix.server";
import { readBackCell, toCsv } from "~/utils/csv";

// CSV layout (round-trips exactly): a header row "Group, Activity, <role>…", then a row whose
// Group is "Filled by" holding the people of each role, then one row per activity.

const HOLDERS_LABEL = "Filled by";

/** The matrix as a CSV table (header and rows by position), for `csvResponse` or `toCsv`. */
export function matrixCsvTable(content: MatrixContent): { columns: string[]; rows: string[][] } {
  return {
    columns: ["Group", "Activity", ...content.roles.map((r) => r.name)],
    rows: [
      [HOLDERS_LABEL, "", ...content.roles.map((r) => r.holders ?? "")],
      ...content.activities.map((a) => [a.group, a.name, ...content.roles.map((r) => a.cells[r.name] ?? "")]),
    ],
  };
}

/** The matrix as CSV text (what the export route sends). */
export function matrixToCsv(content: MatrixContent): string {
  const { columns, rows } = matrixCsvTable(content);
  return toCsv(columns, rows);
}

export type CsvParseResult = { ok: true; content: MatrixContent } | { ok: false; errors: string[] };

export function csvToMatrix(text: string): CsvParseResult {
  // PostgreSQL text cannot hold NUL; a file containing one is not a CSV export anyway.
  if (text.includes("\u0000")) return { ok: false, errors: ["The file contains a NUL character: export it again as CSV text."] };
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const errors: string[] = parsed.errors.slice(0, 5).map((e) => `Line ${(e.row ?? 0) + 1}: ${e.message}`);
  // Cells the export neutralised ("'=x") read back as typed, so an export re-imports exactly.
  const rows = parsed.data.map((row) => row.map(readBackCell));
  const header = rows[0];
  if (!header || header.length < 2 || header[0]?.trim().toLowerCase() !== "group" || header[1]?.trim().toLowerCase() !== "activity") {
    return { ok: false, errors: ["The first line must be the header: Group, Activity, then one column per role."] };
  }
  const roleNames = header.slice(2).map((n) => n.trim());
  const seenRoles = new Set<string>();
  roleNames.forEach((name, i) => {
    if (!name) errors.push(`Line 1: role column ${i + 3} has no name.`);
    else if (name.length > 80) errors.push(`Line 1: role “${name.slice(0, 20)}…” is longer than 80 characters.`);
    else if (seenRoles.has(name.toLowerCase())) errors.push(`Line 1: role “${name}” appears twice.`);
    seenRoles.add(name.toLowerCase());
  });
  let body = rows.slice(1);
  let holders: string[] = roleNames.map(() => "");
  if (body[0]?.[0]?.trim() === HOLDERS_LABEL) {
    holders = roleNames.map((_, i) => body[0][i + 2] ?? "");
    body = body.slice(1);
  }
  const seenActivities = new Set<string>();
  const activities: MatrixContent["activities"] = [];
  body.forEach((row, index) => {
    const line = index + (rows.length - body.length) + 1;
    const group = (row[0] ?? "").trim();
    const name = (row[1] ?? "").trim();
    if (!name) return void errors.push(`Line ${line}: the activity has no name.`);
    if (!group) return void errors.push(`Line ${line}: “${name}” has no group.`);
    if (name.length > 200 || group.length > 80) return void errors.push(`Line ${line}: the group or activity name is too long.`);
    const key = `${group}\u0000${name}`.toLowerCase();
    if (seenActivities.has(key)) return void errors.push(`Line ${line}: “${name}” appears twice in ${group}.`);
    seenActivities.add(key);
    const cells: Record<string, RaciValue> = {};
    roleNames.forEach((role, i) => {
      const raw = (row[i + 2] ?? "").trim().toUpperCase();
      if (!raw) return;
      if (!(RACI_VALUES as readonly string[]).includes(raw)) {
        errors.push(`Line ${line}: “${row[i + 2]}” under ${role} is not one of R, A, C, I or empty.`);
        return;
      }
      cells[role] = raw as RaciValue;
    });
    activities.push({ group, name, cells });
  });
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, 20) };
  return { ok: true, content: { roles: roleNames.map((name, i) => ({ name, holders: holders[i] ?? "" })), activities } };
}
