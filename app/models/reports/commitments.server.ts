import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, NotFoundError } from "~/models/errors";
import { formatDate, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { CommitmentInput } from "~/validation/reports";
import type { SnapshotCommitment } from "./snapshot";

// The sponsor's commitments ("open the wave 2 kick-off", "announce OKRs at the all-hands") with
// due dates: recorded by the PLO or the sponsor, marked done by either, shown in every report.

/** Open commitments (overdue first) and the ones done in the last 90 days (one query). */
export async function listCommitments(db: DB, programId: string, today: Day): Promise<SnapshotCommitment[]> {
  const rows = await db
    .selectFrom("sponsor_commitments as c")
    .select([
      "c.id",
      "c.title",
      "c.due_on as dueOn",
      "c.done_at as doneAt",
      sql<boolean>`(c.done_at is null and c.due_on < ${today}::date)`.as("overdue"),
    ])
    .where("c.program_id", "=", programId)
    .where((eb) => eb.or([eb("c.done_at", "is", null), eb("c.done_at", ">", sql<Date>`${today}::date - 90`)]))
    .orderBy(sql`c.done_at is not null`)
    .orderBy("c.due_on")
    .orderBy("c.title")
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...r, doneAt: r.doneAt ? r.doneAt.toISOString() : null, overdue: Boolean(r.overdue) }));
}

export async function addCommitment(db: DB, actor: Actor, programId: string, input: CommitmentInput): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const id = crypto.randomUUID();
    await trx
      .insertInto("sponsor_commitments")
      .values({ id, program_id: programId, title: input.title, due_on: input.dueOn, created_by: actor.id })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "commitment.added",
      entityType: "sponsor_commitment",
      entityId: id,
      programId,
      summary: `Recorded the sponsor commitment “${input.title}” due ${formatDate(input.dueOn)}`,
      details: { dueOn: input.dueOn },
    });
    return { id };
  });
}

export async function markCommitmentDone(db: DB, actor: Actor, programId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const done = await trx
      .updateTable("sponsor_commitments")
      .set({ done_at: new Date() })
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .where("done_at", "is", null)
      .returning("title")
      .executeTakeFirst();
    if (!done) {
      const exists = await trx
        .selectFrom("sponsor_commitments")
        .select("id")
        .where("id", "=", id)
        .where("program_id", "=", programId)
        .executeTakeFirst();
      if (!exists) throw new NotFoundError("This commitment does not exist in this program.");
      throw new ConflictError("This commitment is marked done already.");
    }
    await recordAudit(trx, {
      actor,
      action: "commitment.done",
      entityType: "sponsor_commitment",
      entityId: id,
      programId,
      summary: `Marked the sponsor commitment “${done.title}” done`,
    });
  });
}
