import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { recordAudit, requestIp, type Actor } from "~/models/audit/audit.server";
import { ConflictError, FieldError, isUniqueViolation } from "~/models/errors";
import { inTransaction, type DB } from "~/utils/db.server";
import type { LeaverChoice } from "./import-fields";
import { importSummary, type ImportCounts, type WriteKind } from "./import-plan";
import { getImport, planStaged, rememberMapping, replan, writePlan, type StagedImport } from "./import-stage.server";
import { plural } from "~/utils/numbers";

// Phase 3 of an HR import: the commit. It plans the staged file again inside its transaction and
// refuses when the result differs from the preview the PLO reviewed (the organization changed
// meanwhile: the preview is then prepared afresh). Otherwise it applies the plan with a few
// set-based statements, all or nothing, numbers the import, and records every join, move, leaver
// and rename in the audit log (the import's items stay as its change report and as history).

export interface CommitInput {
  /** The digest of the preview the PLO saw (from the page); checked against a fresh plan. */
  fingerprint: string | null;
  /** What happens to people in Rollout Desk the file does not name (needed when there are any). */
  leavers: LeaverChoice | null;
}

export interface CommitResult {
  id: string;
  number: number;
  counts: ImportCounts;
  summary: string;
}

class PreviewOutdated extends Error {}

export async function commitImport(db: DB, actor: Actor, importId: unknown, input: CommitInput): Promise<CommitResult> {
  const upload = await getImport(db, importId);
  try {
    return await inTransaction(db, (trx) => commitIn(trx, actor, upload, input));
  } catch (error) {
    if (error instanceof PreviewOutdated) {
      await replan(db, await getImport(db, upload.id));
      throw new ConflictError(
        "The organization changed since this preview was prepared, so nothing was imported. The preview now shows the changes as they are: review them and import again.",
      );
    }
    // Someone added a unit, team or person with the same name, email or number while this import ran.
    if (isUniqueViolation(error))
      throw new ConflictError("The organization changed while the file was being imported, and nothing was imported. Try again.");
    throw error;
  }
}

async function commitIn(trx: DB, actor: Actor, staged: StagedImport, input: CommitInput): Promise<CommitResult> {
  const locked = await trx
    .selectFrom("org_imports")
    .select(["id", "status", "committed_at", "org_version"])
    .where("id", "=", staged.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const upload = await getImport(trx, staged.id);
  if (locked.committed_at) throw new ConflictError("This file has already been imported. Upload it again to import it once more.");
  if (upload.mappingProblems.length > 0) throw new FieldError({ _form: upload.mappingProblems.join(" ") });
  if (upload.status === "planning") throw new ConflictError("The preview is still being prepared. Wait until it is ready, then import.");
  if (upload.status === "failed")
    throw new FieldError({ _form: upload.planError ?? "The preview could not be prepared. Upload the file again." });
  const counts = upload.counts;
  if (!counts || !upload.fingerprint) throw new ConflictError("The preview is still being prepared. Wait until it is ready, then import.");
  if (counts.error > 0) {
    throw new FieldError({
      _form: `Nothing was imported: ${plural(counts.errorLines, "line has", "lines have")} errors. Correct or skip ${counts.errorLines === 1 ? "it" : "them"} in the preview, or fix the file and upload it again.`,
    });
  }
  if (counts.leave > 0 && !input.leavers)
    throw FieldError.on(
      "leavers",
      `Choose what happens to the ${counts.leave === 1 ? "person who is" : `${counts.leave.toLocaleString("en")} people who are`} not in the file.`,
    );
  if (input.fingerprint && input.fingerprint !== upload.fingerprint) throw new PreviewOutdated();

  const started = performance.now();
  // Every audited change bumps the installation's data version (ADR 0011): when it is the one the
  // preview was planned at, the organization is as the PLO saw it and the stored plan holds.
  // Otherwise the file is planned again here and must give the same changes.
  const installation = await trx
    .selectFrom("installation")
    .select(sql<string>`data_version::text`.as("version"))
    .where("id", "=", 1)
    .forUpdate()
    .executeTakeFirst();
  if (locked.org_version === null || installation?.version !== locked.org_version) {
    // The file is read only here: the stored plan's path needs neither it nor the plan in memory.
    const file = await trx.selectFrom("org_imports").select("csv").where("id", "=", upload.id).executeTakeFirstOrThrow();
    const fresh = await planStaged(trx, upload, file.csv);
    if (fresh.plan.fingerprint !== upload.fingerprint) throw new PreviewOutdated();
    await writePlan(trx, upload.id, fresh.plan);
  }
  const planMs = performance.now() - started;
  const leavers: LeaverChoice = input.leavers ?? "keep";

  const applyStarted = performance.now();
  await applyPlan(trx, upload.id, leavers);
  const applyMs = performance.now() - applyStarted;
  const numbered = await trx
    .selectFrom("org_imports")
    .select(sql<number>`coalesce(max(number), 0)::int + 1`.as("next"))
    .executeTakeFirstOrThrow();
  const number = Number(numbered.next);
  await trx
    .updateTable("org_import_items")
    .set({ after: leavers === "archive" ? "archived" : "kept" })
    .where("import_id", "=", upload.id)
    .where("kind", "=", "leave")
    .execute();
  const auditStarted = performance.now();
  await recordChanges(trx, actor, upload.id, number);
  const auditMs = performance.now() - auditStarted;
  const summary = importSummary(counts);
  await trx
    .updateTable("org_imports")
    .set({
      status: "committed",
      committed_at: sql<Date>`now()`,
      committed_by: actor.id,
      committed_by_label: actor.name,
      number,
      decisions: JSON.stringify({ ...upload.decisions, leavers }),
      timings: JSON.stringify({
        ...upload.timings,
        commitPlanMs: Math.round(planMs),
        commitApplyMs: Math.round(applyMs),
        commitAuditMs: Math.round(auditMs),
        commitMs: Math.round(performance.now() - started),
      }),
    })
    .where("id", "=", upload.id)
    .execute();
  await trx.deleteFrom("org_import_writes").where("import_id", "=", upload.id).execute();
  await rememberMapping(trx, actor, upload, upload.mapping);
  await recordAudit(trx, {
    actor,
    action: "org.imported",
    entityType: "org_import",
    entityId: upload.id,
    summary: `Import #${number} of “${upload.fileName}”: ${summary}${counts.leave > 0 ? ` (leavers ${leavers === "archive" ? "archived" : "kept"})` : ""}`,
    details: {
      number,
      fileName: upload.fileName,
      key: upload.key,
      rows: counts.rows,
      joined: counts.join,
      moved: counts.move,
      updated: counts.update + counts.restore,
      unchanged: counts.unchanged,
      leavers: counts.leave,
      leaversChoice: leavers,
      renamed: counts.rename,
      teamsCreated: counts.team_new,
      unitsCreated: counts.unit_new,
      teamLeadsSet: counts.lead,
      skippedLines: upload.decisions.skip,
    },
  });
  return { id: upload.id, number, counts, summary };
}

/**
 * One audit event per join, move, restore, leaver archived and team renamed, written by one
 * statement from the import's items (recordAudit, called once after, bumps the data version).
 */
async function recordChanges(trx: DB, actor: Actor, importId: string, number: number): Promise<void> {
  await sql`
    insert into audit_events (actor_id, actor_label, action, entity_type, entity_id, summary, details, ip)
    select ${actor.id}, ${actor.name},
      case i.kind when 'join' then 'person.joined' when 'move' then 'person.moved' when 'restore' then 'person.restored'
        when 'leave' then 'person.left' else 'team.renamed' end,
      case when i.kind = 'rename' then 'team' else 'person' end,
      i.ref_id,
      case i.kind
        when 'join' then i.name || ' joined ' || coalesce(nullif(i.after, ''), 'the organization') || ' (import #' || ${number}::int || ')'
        when 'move' then 'Moved ' || i.name || ' from ' || coalesce(nullif(i.before, ''), 'no unit') || ' to ' || coalesce(nullif(i.after, ''), 'no unit') || ' (import #' || ${number}::int || ')'
        when 'restore' then 'Restored ' || i.name || ', back in the HR file (import #' || ${number}::int || ')'
        when 'leave' then 'Archived ' || i.name || ', no longer in the HR file (import #' || ${number}::int || ')'
        else 'Renamed team ' || i.before || ' to ' || i.after || ' (import #' || ${number}::int || ')'
      end,
      jsonb_build_object('import', ${number}::int, 'importId', ${importId}::text, 'line', i.line, 'from', i.before, 'to', i.after),
      ${requestIp()}
    from org_import_items i
    where i.import_id = ${importId}
      and (i.kind in ('join', 'move', 'restore', 'rename') or (i.kind = 'leave' and i.after = 'archived'))
    order by i.seq`.execute(trx);
}

/**
 * Applies the import's stored writes (org_import_writes), one set-based statement per kind that
 * reads them in the database: the process holds none of them, however large the file.
 */
async function applyPlan(trx: DB, importId: string, leavers: LeaverChoice): Promise<void> {
  const rows = (kind: WriteKind) =>
    sql`(select w.seq, w.data as d from org_import_writes w where w.import_id = ${importId} and w.kind = ${kind})`;
  // Parents come before children (their foreign keys are checked at the end of the statement anyway).
  await sql`
    insert into org_units (id, name, parent_id)
    select w.d->>'id', w.d->>'name', w.d->>'parentId' from ${rows("unit")} w order by w.seq`.execute(trx);
  await sql`
    insert into teams (id, name, unit_id, external_id)
    select w.d->>'id', w.d->>'name', w.d->>'unitId', w.d->>'externalId' from ${rows("team_new")} w order by w.seq`.execute(trx);
  // Renamed teams keep their id: coach assignments, wave membership and history follow them.
  await sql`
    update teams as t set name = w.d->>'name', unit_id = w.d->>'unitId', external_id = w.d->>'externalId', updated_at = now()
    from ${rows("team_change")} w where t.id = w.d->>'id'`.execute(trx);
  // Leavers first: their emails and numbers are theirs still (a file never reuses them, see the planner).
  if (leavers === "archive") {
    await sql`
      update people set archived_at = now(), updated_at = now()
      where id in (select w.d->>'id' from ${rows("leaver")} w)`.execute(trx);
  }
  await sql`
    update people as p set
      name = w.d->>'name', email = w.d->>'email', title = w.d->>'title', unit_id = w.d->>'unitId', team_id = w.d->>'teamId',
      external_id = w.d->>'externalId',
      archived_at = case when (w.d->>'restore')::boolean then null else p.archived_at end,
      updated_at = now()
    from ${rows("person_update")} w where p.id = w.d->>'id'`.execute(trx);
  await sql`
    insert into people (id, name, email, title, unit_id, team_id, external_id)
    select w.d->>'id', w.d->>'name', w.d->>'email', w.d->>'title', w.d->>'unitId', w.d->>'teamId', w.d->>'externalId'
    from ${rows("person_new")} w order by w.seq`.execute(trx);
  await sql`
    update teams as t set lead_person_id = w.d->>'leadPersonId', updated_at = now()
    from ${rows("lead")} w where t.id = w.d->>'teamId'`.execute(trx);
  // A team's size is the number of its active people, once everyone is in place.
  await sql`
    update teams as t set size = c.n, updated_at = now()
    from (
      select t2.id, (select count(*)::int from people p where p.team_id = t2.id and p.archived_at is null) as n
      from teams t2 where t2.id in (select w.d->>'id' from ${rows("recount")} w)
    ) as c
    where t.id = c.id and t.size is distinct from c.n`.execute(trx);
}
