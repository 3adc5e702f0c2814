import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError } from "~/models/errors";
import { inTransaction, type DB } from "~/utils/db.server";
import type { FeedbackInput } from "~/validation/enablement";

// Feedback after a session (rating 1–5, a comment, optionally anonymous) from people who
// attended it, summarised per module and per trainer. An anonymous answer stores no person; the
// audit event of an anonymous answer names no one either.

/** Records feedback of `personId` on a session they attended (one answer per person and session when named). */
export async function giveFeedback(
  db: DB,
  actor: Actor,
  programId: string,
  sessionId: string,
  personId: string,
  input: FeedbackInput,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const attended = await trx
      .selectFrom("enablement_roster as r")
      .innerJoin("enablement_sessions as s", "s.id", "r.session_id")
      .select("r.status")
      .where("r.session_id", "=", sessionId)
      .where("s.program_id", "=", programId)
      .where("r.person_id", "=", personId)
      .where("r.status", "=", "attended")
      .executeTakeFirst();
    if (!attended) throw FieldError.on("sessionId", "You can give feedback on sessions you attended.");
    await trx
      .insertInto("enablement_feedback")
      .values({
        id: crypto.randomUUID(),
        session_id: sessionId,
        person_id: input.anonymous ? null : personId,
        rating: input.rating,
        comment: input.comment,
      })
      .execute();
    await recordAudit(trx, {
      actor: input.anonymous ? null : actor,
      action: "enablement.feedback_given",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: input.anonymous ? "Anonymous feedback on a training session" : `${actor.name} gave feedback on a training session`,
      details: { rating: input.rating, anonymous: input.anonymous },
    });
  });
}

export interface FeedbackSummaryRow {
  key: string;
  label: string;
  answers: number;
  average: number;
  comments: string[];
}

/** Average rating and the latest comments per module and per trainer (two queries). */
export async function feedbackSummary(
  db: DB,
  programId: string,
): Promise<{ modules: FeedbackSummaryRow[]; trainers: FeedbackSummaryRow[] }> {
  const by = (key: "module" | "trainer") =>
    sql<{ key: string; label: string; answers: number; average: number; comments: string[] | null }>`
      select ${key === "module" ? sql`m.id` : sql`coalesce(u.id, '')`} as key,
        ${key === "module" ? sql`m.title` : sql`coalesce(u.name, 'No trainer')`} as label,
        count(*)::int as answers, round(avg(f.rating)::numeric, 1)::float as average,
        (array_agg(f.comment order by f.created_at desc) filter (where f.comment <> ''))[1:5] as comments
      from enablement_feedback f
      join enablement_sessions s on s.id = f.session_id
      join enablement_modules m on m.id = s.module_id
      left join users u on u.id = s.trainer_user_id
      where s.program_id = ${programId}
      group by 1, 2 order by 2`.execute(db);
  const [modules, trainers] = await Promise.all([by("module"), by("trainer")]);
  const map = (rows: typeof modules.rows) =>
    rows.map((r) => ({ key: r.key, label: r.label, answers: Number(r.answers), average: Number(r.average), comments: r.comments ?? [] }));
  return { modules: map(modules.rows), trainers: map(trainers.rows) };
}
