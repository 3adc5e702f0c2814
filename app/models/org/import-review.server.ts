import { sql } from "kysely";
import { FieldError } from "~/models/errors";
import type { DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { FIELD_LABELS, isImportField, type ImportField } from "./import-fields";
import type { ItemKind } from "./import-plan";
import { fromJson, rowAt, type StagedImport } from "./import-stage.server";

// Reading an import's planned changes (its items): the lists the preview pages through, the
// proposals the PLO confirms, a line to correct, and the change report as CSV rows. After the
// commit the same items are the import's record.

/** The lists of the preview, each a set of item kinds, in the order the page shows their tabs. */
export const REVIEW_LISTS = {
  problems: { label: "Errors and warnings", kinds: ["error", "warning"] },
  joiners: { label: "Joiners", kinds: ["join"] },
  moves: { label: "Moves", kinds: ["move", "restore"] },
  updates: { label: "Other updates", kinds: ["update"] },
  leavers: { label: "Leavers", kinds: ["leave"] },
  renames: { label: "Renamed teams", kinds: ["rename", "rename_candidate"] },
  emails: { label: "Changed emails?", kinds: ["email_candidate"] },
  teams: { label: "Teams", kinds: ["team_new", "lead", "team_alert"] },
  units: { label: "New units", kinds: ["unit_new"] },
  skipped: { label: "Skipped lines", kinds: ["skipped"] },
} as const satisfies Record<string, { label: string; kinds: readonly ItemKind[] }>;
export type ReviewList = keyof typeof REVIEW_LISTS;

export function isReviewList(value: unknown): value is ReviewList {
  return typeof value === "string" && Object.hasOwn(REVIEW_LISTS, value);
}

export const ITEM_SORTS = ["seq", "line", "name"] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];
export const ITEM_LIST_SPEC: ListSpec<ItemSort> = { sorts: ITEM_SORTS, defaultSort: "seq", filters: ["show"] };

export const KIND_LABELS: Record<ItemKind, string> = {
  error: "Error",
  warning: "Warning",
  join: "Joins",
  move: "Moves",
  update: "Update",
  restore: "Back (was archived)",
  leave: "Leaves",
  rename: "Team renamed",
  rename_candidate: "Renamed? (to confirm)",
  email_candidate: "Changed email? (to confirm)",
  team_new: "New team",
  unit_new: "New unit",
  lead: "New team lead",
  team_alert: "Team to look at",
  skipped: "Skipped line",
};

export interface ItemRow {
  seq: number;
  kind: ItemKind;
  line: number | null;
  refId: string | null;
  name: string;
  email: string;
  field: string;
  before: string;
  after: string;
  message: string;
}

export const fieldLabel = (field: string) => (isImportField(field) ? FIELD_LABELS[field] : field === "file" ? "Whole line" : field);

function itemsQuery(db: DB, importId: string) {
  return db
    .selectFrom("org_import_items as i")
    .select(["i.seq", "i.kind", "i.line", "i.ref_id as refId", "i.name", "i.email", "i.field", "i.before", "i.after", "i.message"])
    .where("i.import_id", "=", importId);
}

/** One page of a list of the preview (or of a committed import's record). */
export async function listItems(db: DB, importId: string, list: ReviewList, params: ListParams<ItemSort>): Promise<Page<ItemRow>> {
  let query = itemsQuery(db, importId).where("i.kind", "in", [...REVIEW_LISTS[list].kinds]);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) =>
      eb.or([
        eb("i.name", "ilike", like),
        eb("i.email", "ilike", like),
        eb("i.message", "ilike", like),
        eb("i.before", "ilike", like),
        eb("i.after", "ilike", like),
      ]),
    );
  }
  const dir = params.dir;
  if (params.sort === "line") query = query.orderBy(sql`coalesce(i.line, 0)`, dir).orderBy("i.seq");
  else if (params.sort === "name") query = query.orderBy(sql`lower(i.name)`, dir).orderBy("i.seq");
  else query = query.orderBy("i.seq", dir);
  const page = await fetchPage(query, params);
  return { ...page, rows: page.rows as ItemRow[] };
}

/** How many items each list holds (one query). */
export async function listCounts(db: DB, importId: string): Promise<Record<ReviewList, number>> {
  const rows = await db
    .selectFrom("org_import_items")
    .select(["kind", sql<number>`count(*)::int`.as("n")])
    .where("import_id", "=", importId)
    .groupBy("kind")
    .execute();
  const byKind = new Map(rows.map((r) => [r.kind, Number(r.n)]));
  return Object.fromEntries(
    Object.entries(REVIEW_LISTS).map(([list, { kinds }]) => [list, kinds.reduce((sum, k) => sum + (byKind.get(k) ?? 0), 0)]),
  ) as Record<ReviewList, number>;
}

/** The proposals to confirm (renames, changed emails): few by nature, shown in full, at most 500 each. */
export async function listProposals(db: DB, importId: string): Promise<{ renames: ItemRow[]; emails: ItemRow[] }> {
  const rows = (await itemsQuery(db, importId)
    .where("i.kind", "in", ["rename_candidate", "email_candidate"])
    .orderBy("i.seq")
    .limit(1000)
    .execute()) as ItemRow[];
  return {
    renames: rows.filter((r) => r.kind === "rename_candidate").slice(0, 500),
    emails: rows.filter((r) => r.kind === "email_candidate").slice(0, 500),
  };
}

export interface LineToFix {
  line: number;
  skipped: boolean;
  /** The problems of this line in the current preview. */
  problems: Array<{ field: string; message: string }>;
  /** The mapped columns a person is read from: the value now (corrected or from the file). */
  cells: Array<{ field: ImportField; label: string; header: string; value: string; edited: boolean }>;
}

/** A line of the file as the PLO corrects it in the preview. */
export async function getLineToFix(db: DB, upload: StagedImport, line: number): Promise<LineToFix> {
  if (!Number.isInteger(line) || line < 1) throw FieldError.on("line", "Choose a line of the file.");
  const [row, problems] = await Promise.all([
    rowAt(db, upload, line),
    db
      .selectFrom("org_import_items")
      .select(["field", "message"])
      .where("import_id", "=", upload.id)
      .where("line", "=", line)
      .where("kind", "in", ["error", "warning"])
      .orderBy("seq")
      .execute(),
  ]);
  const edits = upload.decisions.edits[String(line)] ?? {};
  const cells: LineToFix["cells"] = [];
  upload.mapping.forEach((field, i) => {
    if (!field || cells.some((c) => c.field === field)) return;
    const edited = edits[field];
    cells.push({
      field,
      label: FIELD_LABELS[field],
      header: upload.headers[i] ?? "",
      value: edited ?? (row.cells[i] ?? "").trim(),
      edited: edited !== undefined,
    });
  });
  return {
    line,
    skipped: upload.decisions.skip.includes(line),
    problems: problems.map((p) => ({ field: fieldLabel(p.field), message: p.message })),
    cells,
  };
}

export const REPORT_COLUMNS = ["Line", "Change", "Name", "Email", "Employee number / ID", "From", "To", "Details"] as const;
type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string | number | null>;

function reportRow(i: ItemRow): ReportRow {
  const isPerson = ["join", "move", "update", "restore", "leave", "email_candidate"].includes(i.kind);
  return {
    Line: i.line,
    Change: KIND_LABELS[i.kind] ?? i.kind,
    Name: i.name,
    Email: i.email,
    "Employee number / ID": isPerson || i.kind === "team_new" ? i.field : "",
    From: i.before,
    To: i.after,
    Details: i.kind === "error" || i.kind === "warning" ? `${fieldLabel(i.field)}: ${i.message}` : i.message,
  };
}

/** The change report (or only the errors and warnings), in keyset pages of 1,000 rows: streams, never held whole. */
export async function* reportChunks(db: DB, importId: string, { problemsOnly = false } = {}): AsyncGenerator<ReportRow[]> {
  let after = -1;
  for (;;) {
    let query = itemsQuery(db, importId).where("i.seq", ">", after).orderBy("i.seq").limit(1000);
    if (problemsOnly) query = query.where("i.kind", "in", ["error", "warning"]);
    const rows = (await query.execute()) as ItemRow[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1].seq;
    yield rows.map(reportRow);
  }
}

/** The cells of a skipped line (for the import's record). */
export function skippedCells(extra: unknown): string[] {
  return fromJson<{ cells?: string[] }>(extra, {}).cells ?? [];
}
