import { sql } from "kysely";
import { cleanFileName } from "~/utils/file-names";
import type { EnablementImportKind } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, FieldError, NotFoundError } from "~/models/errors";
import { parseHrCsv } from "~/models/org/import-parse";
import { readBackCell } from "~/utils/csv.server";
import { importDay, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { ListParams, ListSpec, Page } from "~/utils/list-params";
import { requireModule } from "./curriculum.server";
import { coverageAfter, coverageBefore } from "./coverage.server";
import { lockSession, syncAttendanceCompletions } from "./sessions.server";

// Imports of training delivered in another tool, in the org import's pattern: upload → preview
// (matched people, unmatched rows and errors, each with its line number) → commit in one
// transaction, all or nothing. The file is read with the org import's CSV reader (separator,
// BOM, quoted newlines, line numbers as an editor shows them).
// - attendance: a meeting or training tool's participant export for one session; everyone
//   matched becomes "attended" (added to the roster if needed) with an attendance completion.
// - elearning: an e-learning platform's completion export for one module; a completion per row
//   (source import, the row's completion date), the same person and day imported twice only once.
// People are matched by employee number (the HR import's employee id) first, then by email.

const SYNONYMS = {
  employeeId: [
    "employee number",
    "employee id",
    "employee no",
    "employeeid",
    "personnel number",
    "staff id",
    "staff number",
    "external id",
    "emp id",
  ],
  email: ["email", "e-mail", "email address", "e-mail address", "user email", "attendee email", "participant email", "mail"],
  name: ["name", "full name", "participant", "attendee", "name (original name)", "display name", "user"],
  completedOn: ["completed on", "completion date", "completed", "completed at", "date completed", "date", "finished on", "finish date"],
} as const;
type Column = keyof typeof SYNONYMS;

const norm = (h: string) => h.toLowerCase().replace(/[\s_\-.]+/g, "");

function findColumns(headers: string[]): Partial<Record<Column, number>> {
  const found: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(SYNONYMS) as Column[]) {
    const names = new Set(SYNONYMS[column].map(norm));
    const index = headers.findIndex((h) => names.has(norm(h)));
    if (index >= 0) found[column] = index;
  }
  return found;
}

export { importDay } from "~/utils/dates";

export interface ImportLine {
  line: number;
  name: string;
  email: string;
  employeeId: string;
  personId: string | null;
  personName: string | null;
  completedOn: Day | null;
}

export interface ImportPreview {
  id: string;
  kind: EnablementImportKind;
  fileName: string;
  target: string;
  committed: boolean;
  matched: ImportLine[];
  unmatched: ImportLine[];
  errors: Array<{ line: number; message: string }>;
  fatal: string | null;
}

/** Stores an uploaded file for preview; returns its id. */
export async function stageImport(
  db: DB,
  actor: Actor,
  programId: string,
  input: { kind: EnablementImportKind; sessionId: string | null; moduleId: string | null; fileName: string; csv: string },
): Promise<string> {
  if (input.kind === "attendance") {
    if (!input.sessionId) throw FieldError.on("sessionId", "Choose the session the attendance is of.");
    const session = await db
      .selectFrom("enablement_sessions")
      .select("id")
      .where("id", "=", input.sessionId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!session) throw FieldError.on("sessionId", "Choose one of this program's sessions.");
  } else {
    if (!input.moduleId) throw FieldError.on("moduleId", "Choose the module the completions are of.");
    await requireModule(db, programId, input.moduleId);
  }
  if (input.csv.includes("\u0000")) throw FieldError.on("file", "The file is not a CSV text file (it contains binary data).");
  const id = crypto.randomUUID();
  await db
    .insertInto("enablement_imports")
    .values({
      id,
      program_id: programId,
      kind: input.kind,
      session_id: input.kind === "attendance" ? input.sessionId : null,
      module_id: input.kind === "elearning" ? input.moduleId : null,
      file_name: cleanFileName(input.fileName),
      csv: input.csv,
      created_by: actor.id,
    })
    .execute();
  return id;
}

/** Reads the stored file and matches its rows to people (three queries whatever the size). */
export async function previewImport(db: DB, programId: string, importId: string, today: Day): Promise<ImportPreview> {
  const row = await db
    .selectFrom("enablement_imports as i")
    .leftJoin("enablement_sessions as s", "s.id", "i.session_id")
    .leftJoin("enablement_modules as sm", "sm.id", "s.module_id")
    .leftJoin("enablement_modules as m", "m.id", "i.module_id")
    .select([
      "i.id",
      "i.kind",
      "i.file_name",
      "i.csv",
      "i.committed_at",
      "sm.title as sessionModule",
      "s.starts_at",
      "m.title as moduleTitle",
    ])
    .where("i.id", "=", importId)
    .where("i.program_id", "=", programId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("This import does not exist (or was discarded).");
  const base = {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    target: row.kind === "attendance" ? `the session “${row.sessionModule}”` : `the module “${row.moduleTitle}”`,
    committed: row.committed_at !== null,
  };
  const parsed = parseHrCsv(row.csv);
  if (parsed.fatal) return { ...base, matched: [], unmatched: [], errors: [], fatal: parsed.fatal };
  const columns = findColumns(parsed.headers);
  if (columns.email === undefined && columns.employeeId === undefined)
    return {
      ...base,
      matched: [],
      unmatched: [],
      errors: [],
      fatal: "The file has neither an email nor an employee number column: people cannot be matched.",
    };
  if (row.kind === "elearning" && columns.completedOn === undefined)
    return { ...base, matched: [], unmatched: [], errors: [], fatal: "The file has no completion date column (e.g. “Completed on”)." };
  const errors = parsed.problems.map((p) => ({ line: p.line, message: p.message }));
  const cell = (cells: string[], column: Column) =>
    columns[column] === undefined ? "" : readBackCell((cells[columns[column]!] ?? "").trim());
  const lines: ImportLine[] = [];
  for (const r of parsed.rows) {
    const line: ImportLine = {
      line: r.line,
      name: cell(r.cells, "name"),
      email: cell(r.cells, "email").toLowerCase(),
      employeeId: cell(r.cells, "employeeId"),
      personId: null,
      personName: null,
      completedOn: null,
    };
    if (!line.email && !line.employeeId) {
      errors.push({ line: r.line, message: "The line has neither an email nor an employee number." });
      continue;
    }
    if (row.kind === "elearning") {
      const raw = cell(r.cells, "completedOn");
      line.completedOn = importDay(raw);
      if (!line.completedOn) {
        errors.push({ line: r.line, message: `“${raw}” is not a date (use YYYY-MM-DD).` });
        continue;
      }
      if (line.completedOn > today) {
        errors.push({ line: r.line, message: `The completion date ${line.completedOn} is in the future.` });
        continue;
      }
    }
    lines.push(line);
  }
  const ids = [...new Set(lines.map((l) => l.employeeId).filter(Boolean))];
  const emails = [...new Set(lines.map((l) => l.email).filter(Boolean))];
  const [byId, byEmail] = await Promise.all([
    ids.length
      ? db
          .selectFrom("people")
          .select(["id", "name", "external_id"])
          .where("external_id", "in", ids)
          .where("archived_at", "is", null)
          .execute()
      : Promise.resolve([]),
    emails.length
      ? db.selectFrom("people").select(["id", "name", "email"]).where("email", "in", emails).where("archived_at", "is", null).execute()
      : Promise.resolve([]),
  ]);
  const idMap = new Map(byId.map((p) => [p.external_id!, p]));
  const emailMap = new Map(byEmail.map((p) => [p.email, p]));
  const matched: ImportLine[] = [];
  const unmatched: ImportLine[] = [];
  for (const line of lines) {
    const person = (line.employeeId && idMap.get(line.employeeId)) || (line.email && emailMap.get(line.email)) || null;
    if (person) matched.push({ ...line, personId: person.id, personName: person.name });
    else unmatched.push(line);
  }
  return { ...base, matched, unmatched, errors: errors.sort((a, b) => a.line - b.line), fatal: null };
}

// ---------------------------------------------------------------------------------------------
// The preview, a page at a time

/** One line of the file as the preview lists it. */
export interface PreviewLine {
  line: number;
  outcome: "matched" | "unmatched" | "error";
  name: string;
  email: string;
  employeeId: string;
  personName: string | null;
  completedOn: Day | null;
  /** The error of a line that has one. */
  message: string | null;
}

export const PREVIEW_OUTCOMES = ["error", "unmatched", "matched"] as const;
/** The preview's URL state: `id` is the import (kept when filters are cleared), `show` an outcome. */
export const PREVIEW_LIST_SPEC: ListSpec<"line"> = { sorts: ["line"], defaultSort: "line", filters: ["id", "show"], defaultSize: 100 };

export interface PagedPreview extends Omit<ImportPreview, "matched" | "unmatched" | "errors"> {
  counts: { matched: number; unmatched: number; errors: number };
  lines: Page<PreviewLine>;
}

/**
 * The preview of a 5,000-line file is read in full (to count and to know every error) but sent a
 * page at a time: every line in line order, or one outcome (`show`), searched by name, email or
 * employee number.
 */
export function pagePreview(preview: ImportPreview, params: ListParams<"line">): PagedPreview {
  const { matched, unmatched, errors, ...rest } = preview;
  const show = (PREVIEW_OUTCOMES as readonly string[]).includes(params.filters.show ?? "") ? params.filters.show : null;
  const fromLine = (l: ImportLine, outcome: "matched" | "unmatched"): PreviewLine => ({
    line: l.line,
    outcome,
    name: l.name,
    email: l.email,
    employeeId: l.employeeId,
    personName: l.personName,
    completedOn: l.completedOn,
    message: null,
  });
  let all: PreviewLine[] = [
    ...(show === null || show === "error"
      ? errors.map((e) => ({
          line: e.line,
          outcome: "error" as const,
          name: "",
          email: "",
          employeeId: "",
          personName: null,
          completedOn: null,
          message: e.message,
        }))
      : []),
    ...(show === null || show === "unmatched" ? unmatched.map((l) => fromLine(l, "unmatched")) : []),
    ...(show === null || show === "matched" ? matched.map((l) => fromLine(l, "matched")) : []),
  ];
  const q = params.q.toLowerCase();
  if (q)
    all = all.filter((l) =>
      [l.name, l.email, l.employeeId, l.personName ?? "", l.message ?? "", String(l.line)].some((text) => text.toLowerCase().includes(q)),
    );
  all.sort((a, b) => (params.dir === "desc" ? b.line - a.line : a.line - b.line));
  const first = (params.page - 1) * params.size;
  return {
    ...rest,
    counts: { matched: matched.length, unmatched: unmatched.length, errors: errors.length },
    lines: { rows: all.slice(first, first + params.size), total: all.length, page: params.page, size: params.size },
  };
}

export interface ImportResult {
  recorded: number;
  unmatched: number;
}

/**
 * Commits the import in one transaction: refused while the file has errors (line-numbered) or
 * after it was committed once. Unmatched rows are left out (listed in the preview).
 */
export async function commitImport(db: DB, actor: Actor, programId: string, importId: string, today: Day): Promise<ImportResult> {
  return inTransaction(db, async (trx) => {
    const staged = await trx
      .selectFrom("enablement_imports")
      .selectAll()
      .where("id", "=", importId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!staged) throw new NotFoundError("This import does not exist (or was discarded).");
    if (staged.committed_at) throw new ConflictError("This file was imported already.");
    const preview = await previewImport(trx, programId, importId, today);
    if (preview.fatal) throw FieldError.on("_form", preview.fatal);
    if (preview.errors.length > 0)
      throw FieldError.on(
        "_form",
        `The file has ${preview.errors.length} line${preview.errors.length === 1 ? "" : "s"} with errors: fix them and upload it again.`,
      );
    const people = [...new Set(preview.matched.map((m) => m.personId!))];
    // The stored heat map follows the people whose completions change (a large file: recomputed on the next read instead).
    // (The session is locked first, as marking attendance does, then the heat map's stamp.)
    const session = staged.kind === "attendance" ? await lockSession(trx, programId, staged.session_id!) : null;
    const rostered = session
      ? (await trx.selectFrom("enablement_roster").select("person_id").where("session_id", "=", session.id).execute()).map(
          (r) => r.person_id,
        )
      : [];
    const coverage = await coverageBefore(trx, programId, [...people, ...rostered], today);
    let recorded: number;
    if (session) {
      for (let i = 0; i < people.length; i += 2000) {
        const chunk = people.slice(i, i + 2000);
        await trx
          .insertInto("enablement_roster")
          .values(chunk.map((personId) => ({ session_id: session.id, person_id: personId, status: "attended" as const })))
          .onConflict((oc) => oc.columns(["session_id", "person_id"]).doUpdateSet({ status: "attended", updated_at: new Date() }))
          .execute();
      }
      const attended = await trx
        .selectFrom("enablement_roster")
        .select("person_id")
        .where("session_id", "=", session.id)
        .where("status", "=", "attended")
        .execute();
      await syncAttendanceCompletions(
        trx,
        session,
        attended.map((a) => a.person_id),
        actor.id,
      );
      await trx.updateTable("enablement_sessions").set({ state: "held", updated_at: new Date() }).where("id", "=", session.id).execute();
      recorded = people.length;
    } else {
      const module = await requireModule(trx, programId, staged.module_id!);
      const existing = await sql<{ key: string }>`select person_id || ':' || completed_on::text as key from enablement_completions
        where module_id = ${module.id} and person_id in (select unnest(${people}::text[]))`.execute(trx);
      const seen = new Set(existing.rows.map((r) => r.key));
      const rows = [];
      for (const m of preview.matched) {
        const key = `${m.personId}:${m.completedOn}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({
          id: crypto.randomUUID(),
          person_id: m.personId!,
          module_id: module.id,
          module_version: module.version,
          completed_on: m.completedOn!,
          source: "import" as const,
          evidence: `Imported from ${staged.file_name || "a file"}, line ${m.line}`,
          recorded_by: actor.id,
        });
      }
      for (let i = 0; i < rows.length; i += 2000)
        await trx
          .insertInto("enablement_completions")
          .values(rows.slice(i, i + 2000))
          .execute();
      recorded = rows.length;
    }
    await trx.updateTable("enablement_imports").set({ committed_at: new Date() }).where("id", "=", importId).execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.import_committed",
      entityType: "enablement_import",
      entityId: importId,
      programId,
      summary: `Imported ${staged.kind === "attendance" ? "attendance" : "e-learning completions"} for ${preview.target}: ${recorded} recorded, ${preview.unmatched.length} unmatched`,
      details: { kind: staged.kind, fileName: staged.file_name, recorded, unmatched: preview.unmatched.map((u) => u.line) },
    });
    await coverageAfter(trx, coverage);
    return { recorded, unmatched: preview.unmatched.length };
  });
}
