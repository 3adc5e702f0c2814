import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  countPlan,
  isImportField,
  mappingProblems,
  parseHrCsv,
  planImport,
  previewPlan,
  type ColumnMapping,
  type ImportCounts,
  type ImportPlan,
  type ImportPreview,
  type OrgSnapshot,
  type ParsedCsv,
} from "~/models/org/import";

// Importing the organization from an HR export, the database part. The uploaded file is staged
// in org_imports so that the preview and the commit work on the same text without a second
// upload; the commit plans again inside its transaction (the organization may have changed since
// the preview) and applies the plan with a few set-based statements, all or nothing.

export { MAX_UPLOAD_BYTES } from "~/models/org/import";
/** Rows per INSERT/UPDATE statement: large enough to be fast, well below PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;

export interface StagedImport {
  id: string;
  fileName: string;
  createdAt: Date;
  committedAt: Date | null;
  createdBy: string | null;
  csv: string;
  /** The mapping chosen by the user, when it still fits the file; null: use the detected one. */
  mapping: ColumnMapping | null;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An id from a URL or form that cannot be one of ours is simply unknown (never a database error). */
const plausibleId = (id: unknown): id is string => typeof id === "string" && /^[0-9a-f-]{36}$/.test(id);

/** Every unit, team and person, as the planner needs them (three queries, whatever the size). */
export async function loadSnapshot(db: DB): Promise<OrgSnapshot> {
  const [units, teams, people] = await Promise.all([
    db.selectFrom("org_units").select(["id", "name", "parent_id", "archived_at"]).execute(),
    db.selectFrom("teams").select(["id", "name", "unit_id", "lead_person_id", "archived_at"]).execute(),
    db.selectFrom("people").select(["id", "name", "email", "title", "unit_id", "team_id", "external_id", "archived_at"]).execute(),
  ]);
  return {
    units: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parent_id, archived: u.archived_at !== null })),
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      unitId: t.unit_id,
      leadPersonId: t.lead_person_id,
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
  };
}

/** Keeps an uploaded file for preview and commit; uploads older than a day are removed now. */
export async function stageImport(db: DB, actor: Actor | null, input: { fileName: string; csv: string }): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .deleteFrom("org_imports")
    .where("created_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
  await db
    .insertInto("org_imports")
    .values({ id, created_by: actor?.id ?? null, file_name: input.fileName.slice(0, 200) || "upload.csv", csv: input.csv, mapping: null })
    .execute();
  return id;
}

function storedMapping(value: unknown): ColumnMapping | null {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(parsed)) return null;
  return parsed.map((field) => (isImportField(field) ? field : null));
}

/** A staged upload of the last day, or null (unknown, expired, or not an id at all). */
export async function getImport(db: DB, id: unknown): Promise<StagedImport | null> {
  if (!plausibleId(id)) return null;
  const row = await db
    .selectFrom("org_imports")
    .selectAll()
    .where("id", "=", id)
    .where("created_at", ">=", sql<Date>`now() - interval '1 day'`)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    fileName: row.file_name,
    createdAt: row.created_at,
    committedAt: row.committed_at,
    createdBy: row.created_by,
    csv: row.csv,
    mapping: storedMapping(row.mapping),
  };
}

export interface ImportReview {
  upload: StagedImport;
  parsed: ParsedCsv;
  mapping: ColumnMapping;
  /** Why the mapping cannot be used; when not empty there is no plan. */
  mappingProblems: string[];
  plan: ImportPlan | null;
}

function effectiveMapping(upload: StagedImport, parsed: ParsedCsv): ColumnMapping {
  return upload.mapping && upload.mapping.length === parsed.headers.length ? upload.mapping : parsed.mapping;
}

/** Reads the staged file and plans the import against the organization as it is now. */
export async function reviewImport(db: DB, upload: StagedImport): Promise<ImportReview> {
  const parsed = parseHrCsv(upload.csv);
  const mapping = effectiveMapping(upload, parsed);
  const problems = parsed.fatal ? [parsed.fatal] : mappingProblems(mapping);
  if (problems.length > 0) return { upload, parsed, mapping, mappingProblems: problems, plan: null };
  const plan = planImport(await loadSnapshot(db), parsed.rows, mapping);
  plan.errors = [...parsed.problems, ...plan.errors].sort((a, b) => a.line - b.line);
  return { upload, parsed, mapping, mappingProblems: [], plan };
}

/** The page-sized preview of a review (counts, first errors, samples). */
export function previewOf(review: ImportReview, limits?: { errors: number; sample: number }): ImportPreview | null {
  return review.plan ? previewPlan(review.plan, limits) : null;
}

export type MappingResult = { ok: true } | { ok: false; message: string };

/** Stores the user's column mapping (one field or "" per column) for a staged upload. */
export async function saveMapping(db: DB, upload: StagedImport, mapping: ColumnMapping): Promise<MappingResult> {
  if (upload.committedAt) return { ok: false, message: "This file has already been imported; upload it again to import it once more." };
  const problems = mappingProblems(mapping);
  if (problems.length > 0) return { ok: false, message: problems.join(" ") };
  await db
    .updateTable("org_imports")
    .set({ mapping: JSON.stringify(mapping) })
    .where("id", "=", upload.id)
    .execute();
  return { ok: true };
}

export type CommitResult =
  { ok: true; counts: ImportCounts } | { ok: false; reason: "not_found" | "committed" | "invalid" | "conflict"; message: string };

/**
 * Applies a staged upload in one transaction: units, teams, people (updates, then inserts), team
 * leads and sizes, one summary audit event. Refused when any line has an error: all or nothing.
 */
export async function commitImport(db: DB, actor: Actor, importId: unknown): Promise<CommitResult> {
  try {
    return await inTransaction(db, async (trx) => {
      if (!plausibleId(importId))
        return { ok: false, reason: "not_found", message: "This upload does not exist or has expired: upload the file again." };
      const locked = await trx
        .selectFrom("org_imports")
        .select("id")
        .where("id", "=", importId)
        .where("created_at", ">=", sql<Date>`now() - interval '1 day'`)
        .forUpdate()
        .executeTakeFirst();
      const upload = locked ? await getImport(trx, importId) : null;
      if (!upload) return { ok: false, reason: "not_found", message: "This upload does not exist or has expired: upload the file again." };
      if (upload.committedAt) {
        return { ok: false, reason: "committed", message: "This file has already been imported. Upload it again to import it once more." };
      }
      const review = await reviewImport(trx, upload);
      if (!review.plan) return { ok: false, reason: "invalid", message: review.mappingProblems.join(" ") };
      const plan = review.plan;
      if (plan.errors.length > 0) {
        const lines = new Set(plan.errors.map((e) => e.line)).size;
        return {
          ok: false,
          reason: "invalid",
          message: `Nothing was imported: ${lines} line${lines === 1 ? " has" : "s have"} errors. Fix the file and upload it again.`,
        };
      }
      await applyPlan(trx, plan);
      await trx
        .updateTable("org_imports")
        .set({ committed_at: sql<Date>`now()` })
        .where("id", "=", upload.id)
        .execute();
      const counts = countPlan(plan);
      await recordAudit(trx, {
        actor,
        action: "org.imported",
        entityType: "org_import",
        entityId: upload.id,
        summary: `Imported “${upload.fileName}”: ${importSummary(counts)}`,
        details: {
          fileName: upload.fileName,
          rows: counts.rows,
          peopleCreated: counts.create,
          peopleUpdated: counts.update,
          peopleUnchanged: counts.unchanged,
          unitsCreated: counts.unitsToCreate,
          teamsCreated: counts.teamsToCreate,
          teamLeadsSet: counts.teamLeads,
          peopleNotInFile: counts.kept,
        },
      });
      return { ok: true, counts };
    });
  } catch (error) {
    // Someone added a unit, team or person with the same name or email while this import ran.
    if ((error as { code?: string }).code === "23505") {
      return {
        ok: false,
        reason: "conflict",
        message: "The organization changed while the file was being imported, and nothing was imported. Try again.",
      };
    }
    throw error;
  }
}

export function importSummary(counts: ImportCounts): string {
  const n = (value: number, one: string, many: string) => `${value.toLocaleString("en")} ${value === 1 ? one : many}`;
  return `${n(counts.create, "person", "people")} created, ${counts.update.toLocaleString("en")} updated, ${n(counts.unitsToCreate, "unit", "units")}, ${n(counts.teamsToCreate, "team", "teams")}`;
}

async function applyPlan(trx: DB, plan: ImportPlan): Promise<void> {
  // Parents come before children in unitsToCreate, so each chunk's parents already exist.
  for (const chunk of chunks(plan.unitsToCreate)) {
    await trx
      .insertInto("org_units")
      .values(chunk.map((u) => ({ id: u.id, name: u.name, parent_id: u.parentId })))
      .execute();
  }
  for (const chunk of chunks(plan.teamsToCreate)) {
    await trx
      .insertInto("teams")
      .values(chunk.map((t) => ({ id: t.id, name: t.name, unit_id: t.unitId })))
      .execute();
  }
  // Updates before inserts: a new person's email is never held by anyone (it would have matched).
  for (const chunk of chunks(plan.peopleToUpdate)) {
    const values = sql.join(
      chunk.map(
        (p) => sql`(${p.id}, ${p.name}, ${p.email}, ${p.title}, ${p.unitId}, ${p.teamId}, ${p.externalId}, ${p.restore ? "t" : "f"})`,
      ),
    );
    await sql`
      update people as p set
        name = v.name, email = v.email, title = v.title, unit_id = v.unit_id, team_id = v.team_id,
        external_id = v.external_id,
        archived_at = case when v.restore::boolean then null else p.archived_at end,
        updated_at = now()
      from (values ${values}) as v(id, name, email, title, unit_id, team_id, external_id, restore)
      where p.id = v.id`.execute(trx);
  }
  for (const chunk of chunks(plan.peopleToCreate)) {
    await trx
      .insertInto("people")
      .values(
        chunk.map((p) => ({
          id: p.id,
          name: p.name,
          email: p.email,
          title: p.title,
          unit_id: p.unitId,
          team_id: p.teamId,
          external_id: p.externalId,
        })),
      )
      .execute();
  }
  for (const chunk of chunks(plan.teamLeads)) {
    const values = sql.join(chunk.map((t) => sql`(${t.teamId}, ${t.leadPersonId})`));
    await sql`
      update teams as t set lead_person_id = v.lead, updated_at = now()
      from (values ${values}) as v(id, lead)
      where t.id = v.id`.execute(trx);
  }
  // A team's size is the number of its active people, once everyone is in place.
  for (const chunk of chunks(plan.teamsToCount)) {
    await sql`
      update teams as t set size = c.n, updated_at = now()
      from (
        select t2.id, (select count(*)::int from people p where p.team_id = t2.id and p.archived_at is null) as n
        from teams t2 where t2.id in (${sql.join(chunk)})
      ) as c
      where t.id = c.id and t.size is distinct from c.n`.execute(trx);
  }
}
