import { performance } from "node:perf_hooks";
import { cleanFileName } from "~/utils/file-names";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { sql } from "kysely";
import type { Actor } from "~/models/audit/audit.server";
import { FieldError, NotFoundError } from "~/models/errors";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  EDITABLE_FIELDS,
  FIELD_LABELS,
  identityKey,
  isImportField,
  mappingProblems,
  MAX_UPLOAD_BYTES,
  SYNC_PLAN_ROWS,
  type ColumnMapping,
  type IdentityKey,
  type ImportDecisions,
  type ImportField,
} from "./import-fields";
import { headerKey, parseHrCsv, type CsvRow, type ParsedCsv } from "./import-parse";
import { planImport, stableIds, type ImportCounts, type ImportPlan, type OrgSnapshot, type PlanItem, type WriteKind } from "./import-plan";

// An HR import between upload and commit, kept in the database so that any app process can show
// its preview and commit it. Upload checks, the column mapping (remembered per header set), the
// PLO's decisions (skip or correct a line, confirm renames and changed emails), and planning:
// small files while the upload waits, large ones in the background with their progress stored,
// the planned changes written to org_import_items for the preview to page through.

export interface StagedImport {
  id: string;
  fileName: string;
  createdAt: Date;
  createdBy: string | null;
  status: "planning" | "ready" | "failed" | "committed";
  planVersion: number;
  progress: { done: number; total: number };
  planError: string | null;
  headers: string[];
  /** The first row of the file: examples for the column mapping. */
  sample: string[];
  rowCount: number;
  mapping: ColumnMapping;
  detectedMapping: ColumnMapping;
  /** "detected", "remembered" (the last mapping for these headers) or "chosen". */
  mappingSource: string;
  mappingProblems: string[];
  key: IdentityKey;
  decisions: ImportDecisions;
  counts: ImportCounts | null;
  fingerprint: string | null;
  timings: Record<string, number>;
  number: number | null;
  committedAt: Date | null;
  committedBy: string | null;
}

/** A planner that has not reported for this long died with its process: whoever looks restarts it. */
const STALE_AFTER_SECONDS = 30;

/** An id from a URL or form that cannot be one of ours is simply unknown (never a database error). */
export const plausibleId = (id: unknown): id is string => typeof id === "string" && /^[0-9a-f-]{36}$/.test(id);

export function fromJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

const toMapping = (value: unknown): ColumnMapping =>
  fromJson<unknown[]>(value, []).map((field) => (isImportField(field) ? field : null)) as ColumnMapping;

function toDecisions(value: unknown): ImportDecisions {
  const d = fromJson<Partial<ImportDecisions>>(value, {});
  return {
    skip: Array.isArray(d.skip) ? d.skip.filter((n) => Number.isInteger(n)) : [],
    edits: d.edits && typeof d.edits === "object" ? d.edits : {},
    renames: d.renames && typeof d.renames === "object" ? d.renames : {},
    emailMatches: d.emailMatches && typeof d.emailMatches === "object" ? d.emailMatches : {},
    ...(d.leavers === "archive" || d.leavers === "keep" ? { leavers: d.leavers } : {}),
  };
}

const EXPIRED = "This upload does not exist or has expired (uploaded files are kept for a day). Upload the file again.";

/** A staged upload of the last day or a committed import; NotFoundError otherwise. */
export async function getImport(db: DB, id: unknown): Promise<StagedImport> {
  if (!plausibleId(id)) throw new NotFoundError(EXPIRED);
  // Everything but the file and the stored plan (megabytes each): the page is read every second while planning.
  const row = await db
    .selectFrom("org_imports")
    .select([
      "id",
      "file_name",
      "created_at",
      "created_by",
      "status",
      "plan_version",
      "progress_done",
      "progress_total",
      "plan_error",
      "headers",
      "sample",
      "row_count",
      "mapping",
      "detected_mapping",
      "mapping_source",
      "decisions",
      "counts",
      "fingerprint",
      "timings",
      "number",
      "committed_at",
      "committed_by_label",
    ])
    .where("id", "=", id)
    .where((eb) => eb.or([eb("committed_at", "is not", null), eb("created_at", ">=", sql<Date>`now() - interval '1 day'`)]))
    .executeTakeFirst();
  if (!row) throw new NotFoundError(EXPIRED);
  const mapping = toMapping(row.mapping);
  return {
    id: row.id,
    fileName: row.file_name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    status: row.status,
    planVersion: row.plan_version,
    progress: { done: row.progress_done, total: row.progress_total },
    planError: row.plan_error,
    headers: fromJson<string[]>(row.headers, []),
    sample: fromJson<string[]>(row.sample, []),
    rowCount: row.row_count,
    mapping,
    detectedMapping: toMapping(row.detected_mapping),
    mappingSource: row.mapping_source ?? "detected",
    mappingProblems: mappingProblems(mapping),
    key: identityKey(mapping),
    decisions: toDecisions(row.decisions),
    counts: fromJson<ImportCounts | null>(row.counts, null),
    fingerprint: row.fingerprint,
    timings: fromJson<Record<string, number>>(row.timings, {}),
    number: row.number,
    committedAt: row.committed_at,
    committedBy: row.committed_by_label,
  };
}

/** Every unit, team and person, and who coaches where, as the planner needs them (a few queries, whatever the size). */
export async function loadSnapshot(db: DB): Promise<OrgSnapshot> {
  const [units, teams, people, coaches, installation] = await Promise.all([
    db.selectFrom("org_units").select(["id", "name", "parent_id", "archived_at"]).execute(),
    db.selectFrom("teams").select(["id", "name", "unit_id", "lead_person_id", "external_id", "archived_at"]).execute(),
    db.selectFrom("people").select(["id", "name", "email", "title", "unit_id", "team_id", "external_id", "archived_at"]).execute(),
    db
      .selectFrom("coaches as c")
      .innerJoin("programs as pr", "pr.id", "c.program_id")
      .select([
        "c.person_id as personId",
        "pr.name as programName",
        sql<number>`(select count(*)::int from coach_assignments a where a.coach_id = c.id and (a.ends_on is null or a.ends_on >= current_date))`.as(
          "teams",
        ),
      ])
      .where("c.active", "=", true)
      .where("pr.status", "!=", "archived")
      .execute(),
    db
      .selectFrom("installation")
      .select(sql<string>`data_version::text`.as("version"))
      .where("id", "=", 1)
      .executeTakeFirst(),
  ]);
  return {
    units: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parent_id, archived: u.archived_at !== null })),
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      unitId: t.unit_id,
      leadPersonId: t.lead_person_id,
      externalId: t.external_id,
      archived: t.archived_at !== null,
    })),
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      title: p.title,
      unitId: p.unit_id,
      teamId: p.team_id,
      externalId: p.external_id,
      archived: p.archived_at !== null,
    })),
    coaches: coaches.map((c) => ({ personId: c.personId, programName: c.programName, teams: Number(c.teams) })),
    version: installation?.version ?? null,
  };
}

// --- Upload --------------------------------------------------------------------------------

const MAX_MB = MAX_UPLOAD_BYTES / 1024 / 1024;

/** The upload checks: a readable UTF-8 CSV with a header, people and an email column. Throws a FieldError on `file`. */
export function readUpload(content: Uint8Array | string): { csv: string; parsed: ParsedCsv } {
  const bytes = typeof content === "string" ? null : content;
  if ((bytes?.byteLength ?? (content as string).length) === 0)
    throw FieldError.on("file", "The file is empty. Export the people from your HR system as CSV, with a header line.");
  if (bytes && bytes.byteLength > MAX_UPLOAD_BYTES)
    throw FieldError.on("file", `The file is larger than ${MAX_MB} MB. Export only the columns you need, or split the file.`);
  let csv: string;
  try {
    csv = bytes ? new TextDecoder("utf-8", { fatal: true }).decode(bytes) : (content as string);
  } catch {
    throw FieldError.on("file", "The file is not a UTF-8 text file. Export it from your HR system as “CSV UTF-8” (not Excel or PDF).");
  }
  const parsed = parseHrCsv(csv);
  if (parsed.fatal) throw FieldError.on("file", parsed.fatal);
  if (parsed.rows.length === 0) throw FieldError.on("file", "The file has a header line but no people below it.");
  return { csv, parsed };
}

/**
 * Stages an uploaded HR export and plans it: a file of up to SYNC_PLAN_ROWS rows before this
 * returns, a larger one in the background (its page shows the progress). The column mapping is
 * the one last used for files with the same headers, else the one the headers suggest. Uploads
 * never committed are removed after a day.
 */
export async function stageUpload(
  db: DB,
  actor: Actor | null,
  input: { fileName: string; content: Uint8Array | string },
  { background }: { background?: boolean } = {},
): Promise<{ id: string; rows: number }> {
  const started = performance.now();
  const { csv, parsed } = readUpload(input.content);
  const parseMs = performance.now() - started;
  const key = headerKey(parsed.headers);
  const remembered = await db.selectFrom("org_import_mappings").select("mapping").where("header_key", "=", key).executeTakeFirst();
  const rememberedMapping = remembered ? toMapping(remembered.mapping) : null;
  const useRemembered = rememberedMapping !== null && rememberedMapping.length === parsed.headers.length;
  const mapping = useRemembered ? rememberedMapping : parsed.mapping;
  if (!useRemembered && !parsed.mapping.includes("email")) {
    throw FieldError.on(
      "file",
      `The file has no email column: people are matched by their email or employee number, and every person needs an email. Found the columns ${parsed.headers
        .slice(0, 12)
        .map((h) => `“${h.slice(0, 40)}”`)
        .join(", ")}. Export the work email too.`,
    );
  }
  const id = crypto.randomUUID();
  await db
    .deleteFrom("org_imports")
    .where("committed_at", "is", null)
    .where("created_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
  await db
    .insertInto("org_imports")
    .values({
      id,
      created_by: actor?.id ?? null,
      file_name: cleanFileName(input.fileName),
      csv,
      mapping: JSON.stringify(mapping),
      detected_mapping: JSON.stringify(parsed.mapping),
      mapping_source: useRemembered ? "remembered" : "detected",
      headers: JSON.stringify(parsed.headers),
      // Cut by code points: half an emoji (a lone surrogate) is JSON PostgreSQL refuses.
      sample: JSON.stringify((parsed.rows[0]?.cells ?? []).map((c) => [...c].slice(0, 200).join(""))),
      row_count: parsed.rows.length,
      header_key: key,
      status: "planning",
      progress_total: parsed.rows.length,
      heartbeat_at: new Date(),
      timings: JSON.stringify({ uploadParseMs: Math.round(parseMs) }),
    })
    .execute();
  await schedulePlan(db, id, 0, parsed.rows.length, { background, parsed });
  return { id, rows: parsed.rows.length };
}

// --- Planning --------------------------------------------------------------------------------

/** Plans being computed by this process, by import id (tests and the bench wait for them). */
const running = new Map<string, Promise<void>>();

/** Resolves when this process has no plan of `id` in the works. */
export async function planningSettled(id: string): Promise<void> {
  while (running.has(id)) await running.get(id);
}

async function schedulePlan(
  db: DB,
  id: string,
  version: number,
  rows: number,
  { background, parsed }: { background?: boolean; parsed?: ParsedCsv } = {},
): Promise<void> {
  const inBackground = background ?? rows > SYNC_PLAN_ROWS;
  const job = runPlan(db, id, version, parsed).finally(() => {
    if (running.get(id) === job) running.delete(id);
  });
  running.set(id, job);
  if (!inBackground) await job;
  else
    job.catch(() => {
      /* recorded on the import as plan_error by runPlan */
    });
}

/** Asks for a fresh plan (after a decision or a new mapping): a planner still at work on an older version discards its result. */
export async function replan(db: DB, upload: StagedImport, { background }: { background?: boolean } = {}): Promise<void> {
  const bumped = await db
    .updateTable("org_imports")
    .set({
      status: "planning",
      plan_version: sql<number>`plan_version + 1`,
      progress_done: 0,
      heartbeat_at: new Date(),
      plan_error: null,
      org_version: null,
    })
    .where("id", "=", upload.id)
    .where("committed_at", "is", null)
    .returning("plan_version")
    .executeTakeFirst();
  if (!bumped) throw new FieldError({ _form: "This file has already been imported. Upload it again to import it once more." });
  await schedulePlan(db, upload.id, bumped.plan_version, upload.rowCount, { background });
}

/** Restarts the planning of an import whose planner stopped reporting (its process ended). */
export async function resumeStalePlanning(db: DB, upload: StagedImport): Promise<boolean> {
  if (upload.status !== "planning" || running.has(upload.id)) return false;
  const stale = await db
    .selectFrom("org_imports")
    .select("id")
    .where("id", "=", upload.id)
    .where("status", "=", "planning")
    .where((eb) =>
      eb.or([eb("heartbeat_at", "is", null), eb("heartbeat_at", "<", sql<Date>`now() - make_interval(secs => ${STALE_AFTER_SECONDS})`)]),
    )
    .executeTakeFirst();
  if (!stale) return false;
  await replan(db, upload, { background: true });
  return true;
}

/** Plans the staged file (its text, or its parse at hand) against the organization as it is now (no writes). */
export async function planStaged(
  db: DB,
  upload: Pick<StagedImport, "id" | "mapping" | "decisions">,
  file: string | ParsedCsv,
  options: { onProgress?: (done: number, total: number) => Promise<void> } = {},
): Promise<{ parsed: ParsedCsv; plan: ImportPlan; parseMs: number; planMs: number; orgVersion: string | null }> {
  let started = performance.now();
  const parsed = typeof file === "string" ? parseHrCsv(file) : file;
  const parseMs = performance.now() - started;
  started = performance.now();
  const snapshot = await loadSnapshot(db);
  const plan = await planImport(snapshot, parsed.rows, upload.mapping, upload.decisions, {
    newId: stableIds(upload.id),
    onProgress: options.onProgress,
  });
  if (parsed.problems.length > 0) {
    const problems: PlanItem[] = parsed.problems.map((p) => ({
      kind: "error",
      line: p.line,
      refId: null,
      name: "",
      email: "",
      field: p.field,
      before: "",
      after: "",
      message: p.message,
      extra: null,
    }));
    plan.items = [...problems, ...plan.items];
    plan.errors = [...parsed.problems, ...plan.errors].sort((a, b) => a.line - b.line);
    plan.counts.error += problems.length;
    plan.counts.errorLines = new Set(plan.errors.map((e) => e.line)).size;
  }
  return { parsed, plan, parseMs, planMs: performance.now() - started, orgVersion: snapshot.version ?? null };
}

async function runPlan(db: DB, id: string, version: number, parsedAlready?: ParsedCsv): Promise<void> {
  try {
    const row = await db
      .selectFrom("org_imports")
      .select("plan_version")
      .where("id", "=", id)
      .where("plan_version", "=", version)
      .where("committed_at", "is", null)
      .executeTakeFirst();
    if (!row) return;
    const upload = await getImport(db, id);
    if (upload.mappingProblems.length > 0) {
      await db
        .updateTable("org_imports")
        .set({ status: "ready", counts: null, fingerprint: null, progress_done: upload.rowCount, heartbeat_at: new Date() })
        .where("id", "=", id)
        .where("plan_version", "=", version)
        .execute();
      await db.deleteFrom("org_import_items").where("import_id", "=", id).execute();
      return;
    }
    // The file is read again only when this process did not just parse it (a replan).
    const file = parsedAlready ?? (await db.selectFrom("org_imports").select("csv").where("id", "=", id).executeTakeFirstOrThrow()).csv;
    let lastReport = performance.now();
    const { plan, parseMs, planMs, orgVersion } = await planStaged(db, upload, file, {
      onProgress: async (done, total) => {
        // Let other requests in between chunks; tell the page how far planning got, now and then.
        await yieldToEventLoop();
        if (performance.now() - lastReport < 250 || done === total) return;
        lastReport = performance.now();
        await db
          .updateTable("org_imports")
          .set({ progress_done: done, heartbeat_at: new Date() })
          .where("id", "=", id)
          .where("plan_version", "=", version)
          .execute();
      },
    });
    const started = performance.now();
    await inTransaction(db, async (trx) => {
      const still = await trx
        .selectFrom("org_imports")
        .select("timings")
        .where("id", "=", id)
        .where("plan_version", "=", version)
        .where("committed_at", "is", null)
        .forUpdate()
        .executeTakeFirst();
      if (!still) return;
      await writeItems(trx, id, plan.items);
      await writePlan(trx, id, plan);
      const timings = {
        ...fromJson<Record<string, number>>(still.timings, {}),
        parseMs: Math.round(parseMs),
        planMs: Math.round(planMs),
        itemsMs: Math.round(performance.now() - started),
      };
      await trx
        .updateTable("org_imports")
        .set({
          status: "ready",
          progress_done: plan.rows,
          heartbeat_at: new Date(),
          counts: JSON.stringify(plan.counts),
          fingerprint: plan.fingerprint,
          org_version: orgVersion,
          timings: JSON.stringify(timings),
        })
        .where("id", "=", id)
        .execute();
    });
  } catch (error) {
    await db
      .updateTable("org_imports")
      .set({ status: "failed", plan_error: "The preview could not be prepared. Upload the file again." })
      .where("id", "=", id)
      .where("plan_version", "=", version)
      .execute()
      .catch(() => undefined);
    throw error;
  }
}

/** Rows per statement when the plan's items and writes are stored: a few hundred kilobytes of JSON at a time. */
const WRITE_CHUNK = 2000;

/**
 * Replaces the import's items with `items`, in order: one statement per WRITE_CHUNK items, the
 * rows sent as one JSON parameter (binding 11 parameters per row costs more than the insert itself).
 */
export async function writeItems(trx: DB, importId: string, items: PlanItem[]): Promise<void> {
  await trx.deleteFrom("org_import_items").where("import_id", "=", importId).execute();
  for (let start = 0; start < items.length; start += WRITE_CHUNK) {
    const rows = items.slice(start, start + WRITE_CHUNK).map((i, k) => ({
      s: start + k,
      k: i.kind,
      l: i.line,
      r: i.refId,
      n: i.name,
      e: i.email,
      f: i.field,
      b: i.before,
      a: i.after,
      m: i.message,
      x: i.extra,
    }));
    await sql`
      insert into org_import_items (import_id, seq, kind, line, ref_id, name, email, field, before, after, message, extra)
      select ${importId}, x.s, x.k, x.l, x.r, x.n, x.e, x.f, x.b, x.a, x.m, x.x
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(s int, k text, l int, r text, n text, e text, f text, b text, a text, m text, x jsonb)`.execute(trx);
    // PGlite runs each statement on this thread: between batches, let the server accept and answer requests.
    await yieldToEventLoop();
  }
}

/**
 * Replaces the import's stored writes (org_import_writes) with those of `plan`: the rows the
 * commit applies when the organization has not changed since the preview (import-commit).
 */
export async function writePlan(trx: DB, importId: string, plan: ImportPlan): Promise<void> {
  await trx.deleteFrom("org_import_writes").where("import_id", "=", importId).execute();
  const person = (p: ImportPlan["peopleToCreate"][number]) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    title: p.title,
    unitId: p.unitId,
    teamId: p.teamId,
    externalId: p.externalId,
  });
  await writeRows(trx, importId, "unit", plan.unitsToCreate, (u) => ({ id: u.id, name: u.name, parentId: u.parentId }));
  await writeRows(trx, importId, "team_new", plan.teamsToCreate, (t) => t);
  await writeRows(trx, importId, "team_change", plan.teamsToChange, (t) => t);
  await writeRows(trx, importId, "leaver", plan.leavers, (p) => ({ id: p.id }));
  // The field changes are in the items already; the commit needs the new values only.
  await writeRows(trx, importId, "person_update", plan.peopleToUpdate, (p) => ({ ...person(p), restore: p.restore }));
  await writeRows(trx, importId, "person_new", plan.peopleToCreate, person);
  await writeRows(trx, importId, "lead", plan.teamLeads, (t) => t);
  await writeRows(trx, importId, "recount", plan.teamsToCount, (id) => ({ id }));
}

/** One kind of writes, in order, each batch sent as one JSON parameter and built only when it is sent. */
async function writeRows<T>(trx: DB, importId: string, kind: WriteKind, items: readonly T[], row: (item: T) => unknown): Promise<void> {
  for (let start = 0; start < items.length; start += WRITE_CHUNK) {
    const json = JSON.stringify(items.slice(start, start + WRITE_CHUNK).map(row));
    await sql`
      insert into org_import_writes (import_id, kind, seq, data)
      select ${importId}, ${kind}, ${start}::int + x.n::int, x.value
      from jsonb_array_elements(${json}::jsonb) with ordinality as x(value, n)`.execute(trx);
    await yieldToEventLoop();
  }
}

// --- Column mapping ----------------------------------------------------------------------------

const notCommitted = (upload: StagedImport) => {
  if (upload.committedAt) throw new FieldError({ _form: "This file has already been imported. Upload it again to import it once more." });
};

/** Reads a mapping form (`col-0` … one field or "" per column). */
export function mappingFromForm(upload: StagedImport, value: (name: string) => unknown): ColumnMapping {
  const mapping: ColumnMapping = [];
  for (let i = 0; i < upload.headers.length; i++) {
    const field = value(`col-${i}`);
    if (typeof field !== "string" || (field !== "" && !isImportField(field)))
      throw FieldError.on(`col-${i}`, `Choose what the column “${upload.headers[i].slice(0, 40)}” holds, or “Ignore”.`);
    mapping.push(field === "" ? null : field);
  }
  return mapping;
}

/** Stores the PLO's column mapping for this upload, remembers it for files with the same headers, and plans again. */
export async function saveMapping(db: DB, actor: Actor, upload: StagedImport, mapping: ColumnMapping): Promise<void> {
  notCommitted(upload);
  const problems = mappingProblems(mapping);
  if (problems.length > 0) throw new FieldError({ _form: problems.join(" ") });
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("org_imports")
      .set({ mapping: JSON.stringify(mapping), mapping_source: "chosen" })
      .where("id", "=", upload.id)
      .execute();
    await rememberMapping(trx, actor, upload, mapping);
  });
  await replan(db, { ...upload, mapping });
}

export async function rememberMapping(db: DB, actor: Actor | null, upload: Pick<StagedImport, "headers">, mapping: ColumnMapping) {
  await db
    .insertInto("org_import_mappings")
    .values({
      header_key: headerKey(upload.headers),
      headers: JSON.stringify(upload.headers),
      mapping: JSON.stringify(mapping),
      updated_by: actor?.id ?? null,
    })
    .onConflict((oc) =>
      oc.column("header_key").doUpdateSet({ mapping: JSON.stringify(mapping), updated_by: actor?.id ?? null, updated_at: new Date() }),
    )
    .execute();
}

// --- Decisions -------------------------------------------------------------------------------

async function saveDecisions(db: DB, upload: StagedImport, decisions: ImportDecisions): Promise<void> {
  await db
    .updateTable("org_imports")
    .set({ decisions: JSON.stringify(decisions) })
    .where("id", "=", upload.id)
    .where("committed_at", "is", null)
    .execute();
  await replan(db, { ...upload, decisions });
}

/** The file's row at `line`, or a FieldError when the file has none. */
export async function rowAt(db: DB, upload: StagedImport, line: number): Promise<CsvRow> {
  const staged = await db.selectFrom("org_imports").select("csv").where("id", "=", upload.id).executeTakeFirstOrThrow();
  const row = Number.isInteger(line) ? parseHrCsv(staged.csv).rows.find((r) => r.line === line) : undefined;
  if (!row) throw FieldError.on("line", `The file has no person on line ${line}.`);
  return row;
}

/** Leaves a line out of the import (or takes it back in). */
export async function skipLine(db: DB, upload: StagedImport, line: number, skip: boolean): Promise<void> {
  notCommitted(upload);
  await rowAt(db, upload, line);
  const lines = new Set(upload.decisions.skip);
  if (skip) lines.add(line);
  else lines.delete(line);
  await saveDecisions(db, upload, { ...upload.decisions, skip: [...lines].sort((a, b) => a - b) });
}

/** Corrects the cells of one line (only mapped columns a person is read from), then plans again. */
export async function editLine(db: DB, upload: StagedImport, line: number, cells: Partial<Record<ImportField, string>>): Promise<void> {
  notCommitted(upload);
  await rowAt(db, upload, line);
  const editable = new Set(EDITABLE_FIELDS.filter((f) => upload.mapping.includes(f)));
  const corrected: Partial<Record<ImportField, string>> = {};
  for (const [field, value] of Object.entries(cells)) {
    if (!isImportField(field) || !editable.has(field) || typeof value !== "string") continue;
    if (value.length > 500) throw FieldError.on(field, `${FIELD_LABELS[field]} is longer than 500 characters.`);
    corrected[field] = value.replaceAll("\u0000", "").trim();
  }
  if (Object.keys(corrected).length === 0) throw FieldError.on("_form", "Nothing to correct on this line.");
  const edits = { ...upload.decisions.edits, [String(line)]: { ...upload.decisions.edits[String(line)], ...corrected } };
  const skip = upload.decisions.skip.filter((l) => l !== line);
  await saveDecisions(db, upload, { ...upload.decisions, edits, skip });
}

/** Confirms (or withdraws) proposed renames: `confirmed` holds the existing team ids the PLO ticked. */
export async function confirmRenames(db: DB, upload: StagedImport, confirmed: string[], shown: string[]): Promise<void> {
  notCommitted(upload);
  const candidates = await db
    .selectFrom("org_import_items")
    .select(["ref_id", "field"])
    .where("import_id", "=", upload.id)
    .where("kind", "in", ["rename_candidate", "rename"])
    .execute();
  const byTeam = new Map(candidates.filter((c) => c.ref_id).map((c) => [c.ref_id!, c.field]));
  const renames = { ...upload.decisions.renames };
  for (const teamId of shown) {
    if (!byTeam.has(teamId) && !Object.values(renames).includes(teamId)) continue;
    for (const [key, value] of Object.entries(renames)) if (value === teamId) delete renames[key];
    if (confirmed.includes(teamId) && byTeam.get(teamId)) renames[byTeam.get(teamId)!] = teamId;
  }
  for (const teamId of confirmed)
    if (!byTeam.has(teamId)) throw FieldError.on("_form", "This proposal is no longer in the preview. Reload the page and try again.");
  await saveDecisions(db, upload, { ...upload.decisions, renames });
}

/** Confirms (or withdraws) proposed changed emails: `confirmed` holds the lines the PLO ticked. */
export async function confirmEmailMatches(db: DB, upload: StagedImport, confirmed: number[], shown: number[]): Promise<void> {
  notCommitted(upload);
  const candidates = await db
    .selectFrom("org_import_items")
    .select(["line", "ref_id"])
    .where("import_id", "=", upload.id)
    .where("kind", "=", "email_candidate")
    .execute();
  const byLine = new Map(candidates.map((c) => [c.line, c.ref_id]));
  const emailMatches = { ...upload.decisions.emailMatches };
  for (const line of confirmed)
    if (!byLine.has(line) && !emailMatches[String(line)])
      throw FieldError.on("_form", "This proposal is no longer in the preview. Reload the page and try again.");
  for (const line of shown) {
    if (confirmed.includes(line)) {
      const person = byLine.get(line) ?? emailMatches[String(line)];
      if (person) emailMatches[String(line)] = person;
    } else delete emailMatches[String(line)];
  }
  await saveDecisions(db, upload, { ...upload.decisions, emailMatches });
}
