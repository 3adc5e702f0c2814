import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { ReportAudience, ReportState, Role } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import { addDays, formatDate, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import type { CreateReportInput, DraftInput } from "~/validation/reports";
import { budgetSummary } from "./budget.server";
import { listCommitments } from "./commitments.server";
import { decisionsForReport } from "./decisions.server";
import type { ProgramDates } from "./figures.server";
import { computeTrends, SNAPSHOT_VERSION, type ReportSnapshot, type SnapshotRisk } from "./snapshot";
import { liveStatus } from "./status.server";

// Status reports: the PLO drafts one for a period (narrative, risks picked from the register,
// decisions requested), publishes it — which freezes every figure, colour and chart into the
// report's snapshot — and corrects it only by a new revision with a reason (the corrected one is
// marked superseded, never edited). Sponsors acknowledge the latest revision. Who reads what:
// the PLO (and admins) every report including drafts; sponsors every published report; coaches
// only published reports the PLO shared with everyone; team leads none.

export interface ReportViewer {
  id: string;
  name: string;
  role: Role;
}

const actorOf = (viewer: ReportViewer): Actor => ({ id: viewer.id, name: viewer.name });

export const NOT_FOUND_MESSAGE = "This report does not exist in this program (or you may not read it).";
export const PUBLISHED_IS_FROZEN = "A published report is never edited: publish a correction instead.";

export interface ReportRow {
  id: string;
  programId: string;
  unitId: string | null;
  unitName: string | null;
  periodStart: Day;
  periodEnd: Day;
  state: ReportState;
  audience: ReportAudience;
  summary: string;
  achievements: string;
  nextSteps: string;
  riskIds: string[];
  revision: number;
  correctsId: string | null;
  correctionReason: string | null;
  supersededBy: string | null;
  publishedAt: Date | null;
  publishedByLabel: string | null;
  acknowledgedAt: Date | null;
  acknowledgedByLabel: string | null;
  createdAt: Date;
}

function reportQuery(db: DB) {
  return db
    .selectFrom("status_reports as r")
    .leftJoin("org_units as u", "u.id", "r.unit_id")
    .select([
      "r.id",
      "r.program_id as programId",
      "r.unit_id as unitId",
      "u.name as unitName",
      "r.period_start as periodStart",
      "r.period_end as periodEnd",
      "r.state",
      "r.audience",
      "r.summary",
      "r.achievements",
      "r.next_steps as nextSteps",
      "r.risk_ids as riskIds",
      "r.revision",
      "r.corrects_id as correctsId",
      "r.correction_reason as correctionReason",
      "r.superseded_by as supersededBy",
      "r.published_at as publishedAt",
      "r.published_by_label as publishedByLabel",
      "r.acknowledged_at as acknowledgedAt",
      "r.acknowledged_by_label as acknowledgedByLabel",
      "r.created_at as createdAt",
    ]);
}

/** Which reports a viewer may see at all (drafts: writers only; coaches: shared ones; team leads: none). */
function visibleTo(viewer: ReportViewer): RawBuilder<SqlBool> {
  if (can(viewer.role, "reports:write")) return sql<SqlBool>`true`;
  if (can(viewer.role, "reports:respond")) return sql<SqlBool>`r.state <> 'draft'`;
  if (can(viewer.role, "reports:read")) return sql<SqlBool>`(r.state <> 'draft' and r.audience = 'everyone')`;
  return sql<SqlBool>`false`;
}

export function scopeLabel(unitName: string | null): string {
  return unitName ? `Division: ${unitName}` : "Whole program";
}

export function reportTitle(r: Pick<ReportRow, "periodStart" | "periodEnd" | "revision">): string {
  return `Status report ${formatDate(r.periodStart)} – ${formatDate(r.periodEnd)}${r.revision > 1 ? ` (revision ${r.revision})` : ""}`;
}

export interface ReportListRow extends ReportRow {
  unseenAnswers: number;
  openQuestions: number;
}

/** The reports of a program the viewer may read, newest period first (one query). */
export async function listReports(db: DB, viewer: ReportViewer, programId: string): Promise<ReportListRow[]> {
  if (!can(viewer.role, "reports:read")) return [];
  return reportQuery(db)
    .select([
      sql<number>`(select count(*)::int from report_questions q where q.report_id = r.id and q.asked_by = ${viewer.id}
          and q.answer is not null and q.answer_seen_at is null)`.as("unseenAnswers"),
      sql<number>`(select count(*)::int from report_questions q where q.report_id = r.id and q.answer is null)`.as("openQuestions"),
    ])
    .where("r.program_id", "=", programId)
    .where(visibleTo(viewer))
    .orderBy("r.period_end", "desc")
    .orderBy("r.revision", "desc")
    .orderBy("r.created_at", "desc")
    .limit(500)
    .execute();
}

/** One report the viewer may read; NotFoundError otherwise (a draft or an unshared report is not revealed). */
export async function getReport(db: DB, viewer: ReportViewer, programId: string, id: string): Promise<ReportRow> {
  const row = await reportQuery(db)
    .where("r.id", "=", id)
    .where("r.program_id", "=", programId)
    .where(visibleTo(viewer))
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND_MESSAGE);
  return row;
}

/** The frozen snapshot of a published report (null for a draft). */
export async function getSnapshot(db: DB, reportId: string): Promise<ReportSnapshot | null> {
  const row = await db.selectFrom("status_reports").select("snapshot").where("id", "=", reportId).executeTakeFirst();
  return (row?.snapshot as ReportSnapshot | null) ?? null;
}

/** One report the viewer may read with its frozen snapshot (null for a draft), in one query; NotFoundError otherwise. */
export async function getReportWithSnapshot(
  db: DB,
  viewer: ReportViewer,
  programId: string,
  id: string,
): Promise<ReportRow & { snapshot: ReportSnapshot | null }> {
  const row = await reportQuery(db)
    .select("r.snapshot")
    .where("r.id", "=", id)
    .where("r.program_id", "=", programId)
    .where(visibleTo(viewer))
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND_MESSAGE);
  return { ...row, snapshot: (row.snapshot as ReportSnapshot | null) ?? null };
}

/** The newest published (not superseded) report of the program the viewer may read, if any. */
export async function latestPublishedReport(db: DB, viewer: ReportViewer, programId: string): Promise<ReportRow | null> {
  const row = await reportQuery(db)
    .where("r.program_id", "=", programId)
    .where("r.state", "in", ["published", "acknowledged"])
    .where("r.superseded_by", "is", null)
    .where(visibleTo(viewer))
    .orderBy("r.published_at", "desc")
    .orderBy("r.id")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

async function unitName(db: DB, unitId: string): Promise<string> {
  const unit = await db.selectFrom("org_units").select("name").where("id", "=", unitId).where("archived_at", "is", null).executeTakeFirst();
  if (!unit) throw FieldError.on("unitId", "Choose one of the organization's units.");
  return unit.name;
}

/** A new draft for a period (the whole program or one unit). */
export async function createDraft(db: DB, actor: Actor, programId: string, input: CreateReportInput): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const unit = input.unitId ? await unitName(trx, input.unitId) : null;
    const id = crypto.randomUUID();
    await trx
      .insertInto("status_reports")
      .values({
        id,
        program_id: programId,
        unit_id: input.unitId,
        period_start: input.periodStart,
        period_end: input.periodEnd,
        risk_ids: JSON.stringify([]),
        created_by: actor.id,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "report.drafted",
      entityType: "status_report",
      entityId: id,
      programId,
      summary: `Started a status report for ${formatDate(input.periodStart)} – ${formatDate(input.periodEnd)} (${scopeLabel(unit).toLowerCase()})`,
      details: { periodStart: input.periodStart, periodEnd: input.periodEnd, unitId: input.unitId },
    });
    return { id };
  });
}

async function lockReport(trx: DB, programId: string, id: string) {
  const row = await trx
    .selectFrom("status_reports")
    .selectAll()
    .where("id", "=", id)
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND_MESSAGE);
  return row;
}

/** Saves a draft's narrative, period, audience and picked risks. A published report is refused (409). */
export async function updateDraft(db: DB, actor: Actor, programId: string, id: string, input: DraftInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await lockReport(trx, programId, id);
    if (before.state !== "draft") throw new ConflictError(PUBLISHED_IS_FROZEN, { state: before.state });
    const riskIds = [...new Set(input.riskIds)];
    if (riskIds.length > 0) {
      const found = await trx.selectFrom("risks").select("id").where("program_id", "=", programId).where("id", "in", riskIds).execute();
      if (found.length !== riskIds.length) throw FieldError.on("riskIds", "Pick risks of this program's register (one no longer exists).");
    }
    await trx
      .updateTable("status_reports")
      .set({
        period_start: input.periodStart,
        period_end: input.periodEnd,
        audience: input.audience,
        summary: input.summary,
        achievements: input.achievements,
        next_steps: input.nextSteps,
        risk_ids: JSON.stringify(riskIds),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "report.draft_saved",
      entityType: "status_report",
      entityId: id,
      programId,
      summary: `Saved the draft status report for ${formatDate(input.periodStart)} – ${formatDate(input.periodEnd)}`,
      details: { audience: input.audience, risks: riskIds.length, summaryLength: input.summary.length },
    });
  });
}

/** The picked risks as the register has them now (one query), in the order of their score. */
async function pickedRisks(db: DB, programId: string, riskIds: readonly string[]): Promise<SnapshotRisk[]> {
  if (riskIds.length === 0) return [];
  return db
    .selectFrom("risks as r")
    .leftJoin("people as p", "p.id", "r.owner_person_id")
    .select([
      "r.id",
      "r.title",
      "r.likelihood",
      "r.impact",
      sql<number>`(r.likelihood * r.impact)::int`.as("score"),
      "r.status",
      "r.mitigation",
      "p.name as ownerName",
    ])
    .where("r.program_id", "=", programId)
    .where("r.id", "in", [...riskIds])
    .orderBy(sql`r.likelihood * r.impact`, "desc")
    .orderBy("r.title")
    .execute();
}

/** The snapshot a report would freeze now: live status, trends since the previous report, risks, decisions, commitments, budget. */
export async function buildSnapshot(
  db: DB,
  program: ProgramDates & { name: string },
  report: { id: string; unit_id: string | null; risk_ids: string[] },
  today: Day,
): Promise<ReportSnapshot> {
  const scope = { unitId: report.unit_id };
  const status = await liveStatus(db, program, scope, today);
  const previousRow = await db
    .selectFrom("status_reports")
    .select(["id", "period_end", "revision", "snapshot"])
    .where("program_id", "=", program.id)
    .where("id", "<>", report.id)
    .where("state", "in", ["published", "acknowledged"])
    .where("superseded_by", "is", null)
    .where((eb) => (report.unit_id ? eb("unit_id", "=", report.unit_id) : eb("unit_id", "is", null)))
    .orderBy("published_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const previous = (previousRow?.snapshot as ReportSnapshot | undefined) ?? null;
  const [risks, decisions, commitments, budget, unit] = await Promise.all([
    pickedRisks(db, program.id, report.risk_ids),
    decisionsForReport(db, program.id, report.id),
    listCommitments(db, program.id, today),
    budgetSummary(db, program.id, today, status.figures),
    report.unit_id ? db.selectFrom("org_units").select("name").where("id", "=", report.unit_id).executeTakeFirst() : null,
  ]);
  return {
    version: SNAPSHOT_VERSION,
    takenOn: today,
    programName: program.name,
    scopeLabel: scopeLabel(unit?.name ?? null),
    scope,
    figures: status.figures,
    dimensions: status.dimensions,
    overall: status.overall,
    charts: status.charts,
    trends: computeTrends(status.dimensions, previous?.dimensions ?? null),
    previous: previousRow ? { id: previousRow.id, periodEnd: previousRow.period_end, revision: previousRow.revision } : null,
    risks,
    decisions,
    commitments,
    budget,
  };
}

/**
 * Publishes a draft: freezes its snapshot, and when it corrects an earlier revision marks that
 * one superseded. One transaction; a second publish of the same report is a conflict.
 */
export async function publishReport(
  db: DB,
  actor: Actor,
  program: ProgramDates & { name: string },
  id: string,
  today: Day,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    // The snapshot's queries are aggregates over the whole program: compiling them (PostgreSQL's
    // JIT, which the planner's cost estimates switch on for the cycle checklist) took longer than
    // running them — 0.3–0.5 s of a publication on the bench's dataset.
    await sql`set local jit = off`.execute(trx);
    const report = await lockReport(trx, program.id, id);
    if (report.state !== "draft") throw new ConflictError("This report is published already.", { state: report.state });
    if (report.corrects_id) {
      const corrected = await lockReport(trx, program.id, report.corrects_id);
      if (corrected.superseded_by) throw new ConflictError("The report this corrects was corrected already by another revision.");
    }
    const snapshot = await buildSnapshot(trx, program, report, today);
    const now = new Date();
    await trx
      .updateTable("status_reports")
      .set({
        state: "published",
        snapshot: JSON.stringify(snapshot),
        published_at: now,
        published_by: actor.id,
        published_by_label: actor.name,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    if (report.corrects_id) {
      await trx.updateTable("status_reports").set({ superseded_by: id }).where("id", "=", report.corrects_id).execute();
    }
    // Decisions asked for in this report become part of it (open ones carry into the next).
    const title = reportTitle({ periodStart: report.period_start, periodEnd: report.period_end, revision: report.revision });
    await recordAudit(trx, {
      actor,
      action: report.corrects_id ? "report.correction_published" : "report.published",
      entityType: "status_report",
      entityId: id,
      programId: program.id,
      summary: `Published ${title[0].toLowerCase()}${title.slice(1)}: overall ${snapshot.overall.colour.replace("_", " ")}${
        report.corrects_id ? ` (corrects revision ${report.revision - 1}: “${report.correction_reason}”)` : ""
      }`,
      details: { overall: snapshot.overall.colour, revision: report.revision, correctsId: report.corrects_id },
    });
    return { id };
  });
}

/**
 * Starts a correction of a published report: a new draft revision carrying its narrative and
 * picked risks, with the reason. The published revision stays as it was until the correction
 * is published (then it is marked superseded).
 */
export async function startCorrection(db: DB, actor: Actor, programId: string, id: string, reason: string): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const original = await lockReport(trx, programId, id);
    if (original.state === "draft") throw new ConflictError("A draft is edited, not corrected.");
    if (original.superseded_by) throw new ConflictError("This revision was corrected already: correct the latest revision.");
    const pending = await trx
      .selectFrom("status_reports")
      .select("id")
      .where("corrects_id", "=", id)
      .where("state", "=", "draft")
      .executeTakeFirst();
    if (pending) throw new ConflictError("A correction of this report is being drafted already.", { id: pending.id });
    const newId = crypto.randomUUID();
    await trx
      .insertInto("status_reports")
      .values({
        id: newId,
        program_id: programId,
        unit_id: original.unit_id,
        period_start: original.period_start,
        period_end: original.period_end,
        audience: original.audience,
        summary: original.summary,
        achievements: original.achievements,
        next_steps: original.next_steps,
        risk_ids: JSON.stringify(original.risk_ids),
        revision: original.revision + 1,
        corrects_id: id,
        correction_reason: reason,
        created_by: actor.id,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "report.correction_started",
      entityType: "status_report",
      entityId: newId,
      programId,
      summary: `Started revision ${original.revision + 1} of the status report for ${formatDate(original.period_start)} – ${formatDate(original.period_end)}: “${reason}”`,
      details: { correctsId: id, reason },
    });
    return { id: newId };
  });
}

/** Deletes a draft (never a published report). */
export async function discardDraft(db: DB, actor: Actor, programId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const report = await lockReport(trx, programId, id);
    if (report.state !== "draft") throw new ConflictError(PUBLISHED_IS_FROZEN, { state: report.state });
    await trx.updateTable("report_decisions").set({ report_id: null }).where("report_id", "=", id).execute();
    await trx.deleteFrom("status_reports").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "report.draft_discarded",
      entityType: "status_report",
      entityId: id,
      programId,
      summary: `Discarded the draft status report for ${formatDate(report.period_start)} – ${formatDate(report.period_end)}`,
    });
  });
}

/** The sponsor acknowledges the latest revision of a published report. */
export async function acknowledgeReport(db: DB, viewer: ReportViewer, programId: string, id: string): Promise<void> {
  if (!can(viewer.role, "reports:respond")) throw new ForbiddenError("Only the sponsor acknowledges a report.");
  await inTransaction(db, async (trx) => {
    const report = await lockReport(trx, programId, id);
    if (report.state === "draft") throw new NotFoundError(NOT_FOUND_MESSAGE);
    if (report.superseded_by)
      throw new ConflictError("This revision was corrected: acknowledge the latest revision.", { id: report.superseded_by });
    if (report.state === "acknowledged") throw new ConflictError(`Acknowledged already by ${report.acknowledged_by_label ?? "a sponsor"}.`);
    await trx
      .updateTable("status_reports")
      .set({ state: "acknowledged", acknowledged_at: new Date(), acknowledged_by: viewer.id, acknowledged_by_label: viewer.name })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "report.acknowledged",
      entityType: "status_report",
      entityId: id,
      programId,
      summary: `Acknowledged the status report for ${formatDate(report.period_start)} – ${formatDate(report.period_end)}`,
    });
  });
}

/** The default period of a new report: from the day after the last published one (or the program's start) to today. */
export async function suggestedPeriod(db: DB, program: ProgramDates, today: Day): Promise<{ periodStart: Day; periodEnd: Day }> {
  const last = await db
    .selectFrom("status_reports")
    .select(sql<string | null>`max(period_end)`.as("end"))
    .where("program_id", "=", program.id)
    .where("state", "<>", "draft")
    .executeTakeFirst();
  const start = last?.end ? addDays(last.end, 1) : (program.starts_on ?? addDays(today, -28));
  return { periodStart: start <= today ? start : today, periodEnd: today };
}
