import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, ForbiddenError, NotFoundError } from "~/models/errors";
import { inTransaction, type DB } from "~/utils/db.server";
import { SECTION_LABELS, type QuestionInput, type ReportSection } from "~/validation/reports";

// The sponsor's questions on a report, per section, answered by the PLO — the escalation
// pattern: an answer stays badged on the asker's pages until they mark it read (a POST: opening
// or fetching a page never marks anything).

export interface QuestionRow {
  id: string;
  section: ReportSection;
  question: string;
  askedBy: string | null;
  askedByLabel: string;
  askedAt: Date;
  answer: string | null;
  answeredByLabel: string | null;
  answeredAt: Date | null;
  answerSeenAt: Date | null;
}

const short = (text: string, max = 60) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
};

/** The questions of a report, oldest first (one query). */
export async function listQuestions(db: DB, programId: string, reportId: string): Promise<QuestionRow[]> {
  const rows = await db
    .selectFrom("report_questions")
    .select([
      "id",
      "section",
      "question",
      "asked_by as askedBy",
      "asked_by_label as askedByLabel",
      "asked_at as askedAt",
      "answer",
      "answered_by_label as answeredByLabel",
      "answered_at as answeredAt",
      "answer_seen_at as answerSeenAt",
    ])
    .where("program_id", "=", programId)
    .where("report_id", "=", reportId)
    .orderBy("asked_at")
    .orderBy("id")
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, section: r.section as ReportSection }));
}

/** Answers to the user's questions in this program they have not marked read (one query). */
export async function unseenAnswerCount(db: DB, userId: string, programId: string): Promise<number> {
  const row = await db
    .selectFrom("report_questions")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("program_id", "=", programId)
    .where("asked_by", "=", userId)
    .where("answer", "is not", null)
    .where("answer_seen_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The sponsor asks about one section of a published report. */
export async function askQuestion(
  db: DB,
  actor: Actor,
  programId: string,
  reportId: string,
  input: QuestionInput,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const report = await trx
      .selectFrom("status_reports")
      .select("state")
      .where("id", "=", reportId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!report || report.state === "draft") throw new NotFoundError("This report does not exist in this program.");
    const id = crypto.randomUUID();
    await trx
      .insertInto("report_questions")
      .values({
        id,
        program_id: programId,
        report_id: reportId,
        section: input.section,
        question: input.question,
        asked_by: actor.id,
        asked_by_label: actor.name,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "report_question.asked",
      entityType: "report_question",
      entityId: id,
      programId,
      summary: `Asked about “${SECTION_LABELS[input.section]}”: “${short(input.question)}”`,
      details: { reportId, section: input.section },
    });
    return { id };
  });
}

/** The PLO answers (or re-answers) a question; the asker sees it badged until they mark it read. */
export async function answerQuestion(
  db: DB,
  actor: Actor,
  programId: string,
  reportId: string,
  questionId: string,
  answer: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("report_questions")
      .select(["question", "answer"])
      .where("id", "=", questionId)
      .where("report_id", "=", reportId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This question does not exist on this report.");
    await trx
      .updateTable("report_questions")
      .set({ answer, answered_by: actor.id, answered_by_label: actor.name, answered_at: new Date(), answer_seen_at: null })
      .where("id", "=", questionId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "report_question.answered",
      entityType: "report_question",
      entityId: questionId,
      programId,
      summary: `${before.answer ? "Changed the answer to" : "Answered"} “${short(before.question)}”`,
      details: { reportId, answerLength: answer.length },
    });
  });
}

/** The asker marks an answer read. Anyone else — or an unanswered or already read question — is refused. */
export async function markAnswerRead(db: DB, actor: Actor, programId: string, questionId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const question = await trx
      .selectFrom("report_questions")
      .select(["asked_by", "answer", "answer_seen_at", "question"])
      .where("id", "=", questionId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!question) throw new NotFoundError("This question does not exist in this program.");
    if (question.asked_by !== actor.id) throw new ForbiddenError("Only the person who asked marks the answer read.");
    if (question.answer === null) throw new ConflictError("This question has no answer yet.");
    if (question.answer_seen_at) return;
    await trx.updateTable("report_questions").set({ answer_seen_at: new Date() }).where("id", "=", questionId).execute();
    await recordAudit(trx, {
      actor,
      action: "report_question.answer_read",
      entityType: "report_question",
      entityId: questionId,
      programId,
      summary: `Read the answer to “${short(question.question)}”`,
    });
  });
}
