import { sql } from "kysely";
import type { DB } from "~/utils/db.server";
import { FIELD_LABELS, type ColumnMapping } from "./import-fields";
import type { ImportCounts } from "./import-plan";
import { fromJson, type StagedImport } from "./import-stage.server";

// The record of committed HR imports: who imported which file when, with which mapping, what it
// changed and which lines were skipped; an import compared with the one before; and what the
// imports did to one person or one team ("moved from Payments to Data on 2026-12-07 by import #4").

export interface ImportSummaryRow {
  id: string;
  number: number;
  fileName: string;
  committedAt: Date;
  committedBy: string | null;
  rows: number;
  key: "externalId" | "email";
  leavers: string | null;
  counts: ImportCounts | null;
}

/** Committed imports, newest first (one query; a year of monthly imports is a dozen rows). */
export async function listImports(db: DB, limit = 200): Promise<ImportSummaryRow[]> {
  const rows = await db
    .selectFrom("org_imports")
    .select(["id", "number", "file_name", "committed_at", "committed_by_label", "row_count", "mapping", "counts", "decisions"])
    .where("committed_at", "is not", null)
    .where("number", "is not", null)
    .orderBy("number", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number!,
    fileName: r.file_name,
    committedAt: r.committed_at!,
    committedBy: r.committed_by_label,
    rows: r.row_count,
    key: fromJson<unknown[]>(r.mapping, []).includes("externalId") ? "externalId" : "email",
    leavers: fromJson<{ leavers?: string }>(r.decisions, {}).leavers ?? null,
    counts: fromJson<ImportCounts | null>(r.counts, null),
  }));
}

/** The committed import before this one, for comparison. */
export async function previousImport(db: DB, upload: StagedImport): Promise<ImportSummaryRow | null> {
  if (upload.number === null) return null;
  const rows = await listImports(db, 500);
  return rows.find((r) => r.number < upload.number!) ?? null;
}

/** The mapping in words: "Work Email → Email", for the record. */
export function describeMapping(headers: string[], mapping: ColumnMapping): Array<{ header: string; field: string }> {
  return headers.map((header, i) => ({ header, field: mapping[i] ? FIELD_LABELS[mapping[i]!] : "ignored" }));
}

export interface HistoryEntry {
  importId: string;
  number: number;
  on: string;
  by: string | null;
  kind: string;
  sentence: string;
}

/** What committed imports did to a person or a team, newest first (one query). */
export async function importHistory(db: DB, refId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom("org_import_items as i")
    .innerJoin("org_imports as o", "o.id", "i.import_id")
    .select([
      "o.id as importId",
      "o.number",
      sql<string>`to_char(o.committed_at at time zone 'UTC', 'YYYY-MM-DD')`.as("on"),
      "o.committed_by_label as by",
      "i.kind",
      "i.name",
      "i.before",
      "i.after",
      "i.message",
    ])
    .where("i.ref_id", "=", refId)
    .where("o.committed_at", "is not", null)
    .where("i.kind", "in", ["join", "move", "update", "restore", "leave", "rename", "team_new", "lead"])
    .orderBy("o.number", "desc")
    .orderBy("i.seq")
    .limit(100)
    .execute();
  return rows.map((r) => {
    const tail = `on ${r.on}`;
    const sentence =
      r.kind === "join"
        ? `joined ${r.after || "the organization"} ${tail}`
        : r.kind === "move"
          ? `moved from ${r.before || "no unit"} to ${r.after || "no unit"} ${tail}`
          : r.kind === "restore"
            ? `back in the HR file (${r.after || "no unit"}) ${tail}`
            : r.kind === "leave"
              ? `not in the HR file, ${r.after === "archived" ? "archived" : "kept"} ${tail}`
              : r.kind === "rename"
                ? `renamed from ${r.before} to ${r.after} ${tail}`
                : r.kind === "team_new"
                  ? `created ${tail}`
                  : r.kind === "lead"
                    ? `lead set to ${r.after} ${tail}`
                    : `updated (${r.message}) ${tail}`;
    return { importId: r.importId, number: r.number!, on: r.on, by: r.by, kind: r.kind, sentence };
  });
}
