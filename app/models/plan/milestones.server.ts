import { sql, type Expression, type SqlBool } from "kysely";
import type { MilestoneStatus } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { changedFields } from "~/models/audit/audit.server";
import { resolveOwner, resolveWave } from "~/models/plan/refs.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { type MilestoneInput, type MilestoneState } from "~/validation/plan-details";

// A program's milestones: a due date, an owner (a person of the organization), a status, and
// optionally the wave they belong to. "Late" is never stored: a milestone is late when it is not
// done and its due date is before today, so it turns late by itself overnight.

export interface MilestoneRow {
  id: string;
  title: string;
  dueOn: string;
  status: MilestoneStatus;
  /** The status to show: the stored one, or "late". */
  state: MilestoneState;
  doneOn: string | null;
  notes: string;
  waveId: string | null;
  waveName: string | null;
  ownerPersonId: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
}

export interface MilestoneFilter {
  state?: MilestoneState | null;
  waveId?: string | null;
}

/** The derived state of a milestone on `today` ('YYYY-MM-DD'). */
export function milestoneState(status: MilestoneStatus, dueOn: string, today: string): MilestoneState {
  if (status !== "done" && dueOn < today) return "late";
  return status;
}

function baseQuery(db: DB, programId: string) {
  return db
    .selectFrom("milestones as m")
    .leftJoin("people as p", "p.id", "m.owner_person_id")
    .leftJoin("waves as w", "w.id", "m.wave_id")
    .select([
      "m.id",
      "m.title",
      "m.due_on as dueOn",
      "m.status",
      "m.done_on as doneOn",
      "m.notes",
      "m.wave_id as waveId",
      "w.name as waveName",
      "m.owner_person_id as ownerPersonId",
      "p.name as ownerName",
      "p.email as ownerEmail",
    ])
    .where("m.program_id", "=", programId);
}

type MilestoneBase = Omit<MilestoneRow, "state">;
const withState =
  (today: string) =>
  (row: MilestoneBase): MilestoneRow => ({ ...row, state: milestoneState(row.status, row.dueOn, today) });

/** A filter on the derived state, in SQL. */
function stateCondition(state: MilestoneState, today: string): Expression<SqlBool> {
  switch (state) {
    case "late":
      return sql<SqlBool>`m.status <> 'done' and m.due_on < ${today}::date`;
    case "done":
      return sql<SqlBool>`m.status = 'done'`;
    default:
      return sql<SqlBool>`m.status = ${state} and m.due_on >= ${today}::date`;
  }
}

/** Every milestone of the program (one query), by due date. */
export async function listMilestones(db: DB, programId: string, today: string, filter: MilestoneFilter = {}): Promise<MilestoneRow[]> {
  let query = baseQuery(db, programId);
  if (filter.state) query = query.where(stateCondition(filter.state, today));
  if (filter.waveId === "none") query = query.where("m.wave_id", "is", null);
  else if (filter.waveId) query = query.where("m.wave_id", "=", filter.waveId);
  const rows = await query.orderBy("m.due_on").orderBy("m.title").orderBy("m.id").execute();
  return rows.map(withState(today));
}

export async function getMilestone(db: DB, programId: string, id: string, today: string): Promise<MilestoneRow | null> {
  const row = await baseQuery(db, programId).where("m.id", "=", id).executeTakeFirst();
  return row ? withState(today)(row) : null;
}

/** Late milestones (not done, due before today), most overdue first. */
export async function lateMilestones(db: DB, programId: string, today: string, limit = 5): Promise<MilestoneRow[]> {
  const rows = await baseQuery(db, programId)
    .where(stateCondition("late", today))
    .orderBy("m.due_on")
    .orderBy("m.title")
    .limit(limit)
    .execute();
  return rows.map(withState(today));
}

export interface MilestoneCounts {
  total: number;
  planned: number;
  inProgress: number;
  done: number;
  late: number;
  /** Due from today on within the next 30 days, not done. */
  dueSoon: number;
}

/** How many milestones are in each state (one aggregate query). */
export async function milestoneCounts(db: DB, programId: string, today: string): Promise<MilestoneCounts> {
  const row = await db
    .selectFrom("milestones as m")
    .select([
      sql<number>`count(*)::int`.as("total"),
      sql<number>`count(*) filter (where m.status = 'planned' and m.due_on >= ${today}::date)::int`.as("planned"),
      sql<number>`count(*) filter (where m.status = 'in_progress' and m.due_on >= ${today}::date)::int`.as("inProgress"),
      sql<number>`count(*) filter (where m.status = 'done')::int`.as("done"),
      sql<number>`count(*) filter (where m.status <> 'done' and m.due_on < ${today}::date)::int`.as("late"),
      sql<number>`count(*) filter (where m.status <> 'done' and m.due_on >= ${today}::date and m.due_on < ${today}::date + 30)::int`.as(
        "dueSoon",
      ),
    ])
    .where("m.program_id", "=", programId)
    .executeTakeFirstOrThrow();
  return row;
}

function auditView(m: {
  title: string;
  due_on: string;
  status: string;
  done_on: string | null;
  owner_person_id: string | null;
  wave_id: string | null;
  notes: string;
}) {
  return {
    title: m.title,
    dueOn: m.due_on,
    status: m.status,
    doneOn: m.done_on,
    ownerPersonId: m.owner_person_id,
    waveId: m.wave_id,
    notes: m.notes,
  };
}

/** Creates a milestone; a done one without a date is done today. Throws PlanFieldError for unknown owner/wave. */
export async function createMilestone(
  db: DB,
  actor: Actor,
  programId: string,
  input: MilestoneInput,
  today: string,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const owner = await resolveOwner(trx, input.ownerEmail);
    const wave = await resolveWave(trx, programId, input.waveId);
    const created = await trx
      .insertInto("milestones")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        wave_id: wave?.id ?? null,
        title: input.title,
        due_on: input.dueOn,
        owner_person_id: owner?.id ?? null,
        status: input.status,
        done_on: input.status === "done" ? (input.doneOn ?? today) : null,
        notes: input.notes,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: "milestone.created",
      entityType: "milestone",
      entityId: created.id,
      programId,
      summary: `Created milestone “${created.title}” due ${created.due_on}`,
      details: { ...auditView(created), ownerName: owner?.name ?? null, waveName: wave?.name ?? null },
    });
    return { id: created.id };
  });
}

/** Saves the form; returns null when the milestone is not in this program. */
export async function updateMilestone(
  db: DB,
  actor: Actor,
  programId: string,
  id: string,
  input: MilestoneInput,
  today: string,
): Promise<{ id: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("milestones")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    const owner = await resolveOwner(trx, input.ownerEmail);
    const wave = await resolveWave(trx, programId, input.waveId);
    const doneOn = input.status === "done" ? (input.doneOn ?? before.done_on ?? today) : null;
    const after = await trx
      .updateTable("milestones")
      .set({
        title: input.title,
        due_on: input.dueOn,
        owner_person_id: owner?.id ?? null,
        status: input.status,
        done_on: doneOn,
        wave_id: wave?.id ?? null,
        notes: input.notes,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changes = changedFields(auditView(before), auditView(after));
    if (Object.keys(changes).length > 0) {
      const completed = before.status !== "done" && after.status === "done";
      await recordAudit(trx, {
        actor,
        action: completed ? "milestone.completed" : "milestone.updated",
        entityType: "milestone",
        entityId: id,
        programId,
        summary: completed
          ? `Marked milestone “${after.title}” done on ${after.done_on}`
          : `Updated milestone “${after.title}”: ${Object.keys(changes).join(", ")}`,
        details: changes,
      });
    }
    return { id };
  });
}

/** Marks a milestone done (on `doneOn`, today by default). Null when it is not in this program. */
export async function markMilestoneDone(
  db: DB,
  actor: Actor,
  programId: string,
  id: string,
  doneOn: string,
): Promise<{ id: string; title: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("milestones")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    if (before.status === "done" && before.done_on === doneOn) return { id, title: before.title };
    await trx.updateTable("milestones").set({ status: "done", done_on: doneOn, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "milestone.completed",
      entityType: "milestone",
      entityId: id,
      programId,
      summary: `Marked milestone “${before.title}” done on ${doneOn}`,
      details: { status: { from: before.status, to: "done" }, doneOn: { from: before.done_on, to: doneOn }, dueOn: before.due_on },
    });
    return { id, title: before.title };
  });
}

/** Deletes a milestone; returns its title, or null when it is not in this program. */
export async function deleteMilestone(db: DB, actor: Actor, programId: string, id: string): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .deleteFrom("milestones")
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .returningAll()
      .executeTakeFirst();
    if (!before) return null;
    await recordAudit(trx, {
      actor,
      action: "milestone.deleted",
      entityType: "milestone",
      entityId: id,
      programId,
      summary: `Deleted milestone “${before.title}”`,
      details: auditView(before),
    });
    return before.title;
  });
}
