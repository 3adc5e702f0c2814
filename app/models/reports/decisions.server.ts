import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, ForbiddenError, NotFoundError } from "~/models/errors";
import { formatDate, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { DecisionRequestInput } from "~/validation/reports";
import type { SnapshotDecision } from "./snapshot";

// Decisions the PLO asks the sponsor for (question, options, recommendation, due date, impact
// if late) and the decision log: who decided what, when. An open decision carries into every
// next report until it is decided; one past its due date turns the decisions dimension amber.

export interface DecisionRow {
  id: string;
  reportId: string | null;
  question: string;
  options: string;
  recommendation: string;
  dueOn: Day;
  impactIfLate: string;
  state: "open" | "decided";
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  overdue: boolean;
}

function decisionQuery(db: DB, today: Day) {
  return db
    .selectFrom("report_decisions as d")
    .select([
      "d.id",
      "d.report_id as reportId",
      "d.question",
      "d.options",
      "d.recommendation",
      "d.due_on as dueOn",
      "d.impact_if_late as impactIfLate",
      "d.state",
      "d.decision",
      "d.decided_by_label as decidedBy",
      "d.decided_at as decidedAt",
      "d.created_at as createdAt",
      sql<boolean>`(d.state = 'open' and d.due_on < ${today}::date)`.as("overdue"),
    ]);
}

/** The decision log of a program: open ones first (by due date), then decided ones, newest first (one query). */
export async function listDecisions(db: DB, programId: string, today: Day): Promise<DecisionRow[]> {
  const rows = await decisionQuery(db, today)
    .where("d.program_id", "=", programId)
    .orderBy(sql`case d.state when 'open' then 0 else 1 end`)
    .orderBy(sql`case when d.state = 'open' then d.due_on end`, "asc")
    .orderBy("d.decided_at", "desc")
    .orderBy("d.created_at", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, overdue: Boolean(r.overdue) }));
}

/** The ids of a program's open decisions, those a sponsor may still decide (one query). */
export async function openDecisionIds(db: DB, programId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("report_decisions")
    .select("id")
    .where("program_id", "=", programId)
    .where("state", "=", "open")
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

/** A report's decisions: asked in it, or still open from earlier reports (carried). One query. */
export async function decisionsForReport(db: DB, programId: string, reportId: string): Promise<SnapshotDecision[]> {
  const rows = await db
    .selectFrom("report_decisions as d")
    .select([
      "d.id",
      "d.report_id",
      "d.question",
      "d.options",
      "d.recommendation",
      "d.due_on",
      "d.impact_if_late",
      "d.state",
      "d.decision",
      "d.decided_by_label",
      "d.decided_at",
    ])
    .where("d.program_id", "=", programId)
    .where((eb) => eb.or([eb("d.report_id", "=", reportId), eb("d.state", "=", "open")]))
    .orderBy("d.due_on")
    .orderBy("d.created_at")
    .execute();
  return rows.map((d) => ({
    id: d.id,
    question: d.question,
    options: d.options,
    recommendation: d.recommendation,
    dueOn: d.due_on,
    impactIfLate: d.impact_if_late,
    state: d.state,
    decision: d.decision,
    decidedBy: d.decided_by_label,
    decidedAt: d.decided_at ? d.decided_at.toISOString() : null,
    carried: d.report_id !== reportId,
  }));
}

/** The PLO asks the sponsor for a decision (from a draft report, or directly in the log). */
export async function requestDecision(
  db: DB,
  actor: Actor,
  programId: string,
  reportId: string | null,
  input: DecisionRequestInput,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    if (reportId) {
      const report = await trx
        .selectFrom("status_reports")
        .select("state")
        .where("id", "=", reportId)
        .where("program_id", "=", programId)
        .executeTakeFirst();
      if (!report) throw new NotFoundError("This report does not exist in this program.");
      if (report.state !== "draft") throw new ConflictError("Decisions are requested in a draft; a published report is frozen.");
    }
    const id = crypto.randomUUID();
    await trx
      .insertInto("report_decisions")
      .values({
        id,
        program_id: programId,
        report_id: reportId,
        question: input.question,
        options: input.options,
        recommendation: input.recommendation,
        due_on: input.dueOn,
        impact_if_late: input.impactIfLate,
        created_by: actor.id,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "decision.requested",
      entityType: "report_decision",
      entityId: id,
      programId,
      summary: `Asked the sponsor to decide “${input.question}” by ${formatDate(input.dueOn)}`,
      details: { reportId, dueOn: input.dueOn },
    });
    return { id };
  });
}

/** The sponsor records a decision; a decided one is a conflict (the log keeps the first). */
export async function decide(
  db: DB,
  viewer: Actor & { mayDecide: boolean },
  programId: string,
  decisionId: string,
  decision: string,
): Promise<void> {
  if (!viewer.mayDecide) throw new ForbiddenError("Only the sponsor records decisions.");
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("report_decisions")
      .selectAll()
      .where("id", "=", decisionId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This decision does not exist in this program.");
    if (before.state === "decided")
      throw new ConflictError(`Decided already by ${before.decided_by_label ?? "the sponsor"}: “${before.decision}”.`, {
        decision: before.decision,
      });
    await trx
      .updateTable("report_decisions")
      .set({ state: "decided", decision, decided_by: viewer.id, decided_by_label: viewer.name, decided_at: new Date() })
      .where("id", "=", decisionId)
      .execute();
    await recordAudit(trx, {
      actor: { id: viewer.id, name: viewer.name },
      action: "decision.decided",
      entityType: "report_decision",
      entityId: decisionId,
      programId,
      summary: `Decided “${before.question}”: ${decision}`,
      details: { state: { from: "open", to: "decided" } },
    });
  });
}
