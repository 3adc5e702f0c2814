import type { CadenceKind } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { addDays, today as dayOf, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { CadenceInput } from "~/validation/reports";

// The reporting cadence of a program: every N weeks (the default: 4) or once per OKR cycle.
// "Next report due" counts from the last publication (or the program's start); past it, the
// sponsor's home says "report overdue" instead of staying silent.

export interface Cadence {
  kind: CadenceKind;
  everyWeeks: number;
}

export const DEFAULT_CADENCE: Cadence = { kind: "weeks", everyWeeks: 4 };

export async function getCadence(db: DB, programId: string): Promise<Cadence> {
  const row = await db.selectFrom("report_cadences").select(["kind", "every_weeks"]).where("program_id", "=", programId).executeTakeFirst();
  return row ? { kind: row.kind, everyWeeks: row.every_weeks } : DEFAULT_CADENCE;
}

export interface NextReport {
  /** Null when it cannot be known (per cycle, without cycle dates). */
  dueOn: Day | null;
  overdue: boolean;
  /** "every 4 weeks", "once per OKR cycle". */
  label: string;
}

/**
 * When the next report is due: the last publication day (or the program's start) plus the
 * interval. Per cycle: at the end of the current cycle, when the cycles area gives one.
 */
export function nextReportDue(
  cadence: Cadence,
  lastPublishedOn: Day | null,
  programStart: Day | null,
  today: Day,
  cycleEndsOn: Day | null = null,
): NextReport {
  if (cadence.kind === "cycle") {
    return { dueOn: cycleEndsOn, overdue: cycleEndsOn !== null && cycleEndsOn < today, label: "once per OKR cycle" };
  }
  const from = lastPublishedOn ?? programStart;
  const label = `every ${cadence.everyWeeks === 1 ? "week" : `${cadence.everyWeeks} weeks`}`;
  if (!from) return { dueOn: null, overdue: false, label };
  const dueOn = addDays(from, cadence.everyWeeks * 7);
  return { dueOn, overdue: dueOn < today, label };
}

/** The last publication day of a program's reports (one query). */
export async function lastPublishedOn(db: DB, programId: string): Promise<Day | null> {
  const row = await db
    .selectFrom("status_reports")
    .select((eb) => eb.fn.max("published_at").as("at"))
    .where("program_id", "=", programId)
    .where("state", "<>", "draft")
    .executeTakeFirst();
  return publicationDay(row?.at as Date | string | null | undefined);
}

/** The cadence and the last publication day together, what "next report due" counts from (one query). */
export async function reportingSchedule(db: DB, programId: string): Promise<{ cadence: Cadence; lastPublishedOn: Day | null }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom("report_cadences").select("kind").where("program_id", "=", programId).as("kind"),
      eb.selectFrom("report_cadences").select("every_weeks").where("program_id", "=", programId).as("everyWeeks"),
      eb
        .selectFrom("status_reports")
        .select((e) => e.fn.max("published_at").as("at"))
        .where("program_id", "=", programId)
        .where("state", "<>", "draft")
        .as("at"),
    ])
    .executeTakeFirstOrThrow();
  const cadence = row.kind !== null && row.everyWeeks !== null ? { kind: row.kind, everyWeeks: row.everyWeeks } : DEFAULT_CADENCE;
  return { cadence, lastPublishedOn: publicationDay(row.at) };
}

function publicationDay(at: Date | string | null | undefined): Day | null {
  if (!at) return null;
  return dayOf(typeof at === "string" ? new Date(at) : at);
}

export async function setCadence(db: DB, actor: Actor, programId: string, input: CadenceInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await getCadence(trx, programId);
    await trx
      .insertInto("report_cadences")
      .values({ program_id: programId, kind: input.kind, every_weeks: input.everyWeeks, updated_by: actor.id })
      .onConflict((oc) =>
        oc
          .column("program_id")
          .doUpdateSet({ kind: input.kind, every_weeks: input.everyWeeks, updated_by: actor.id, updated_at: new Date() }),
      )
      .execute();
    const label = input.kind === "cycle" ? "once per OKR cycle" : `every ${input.everyWeeks} week${input.everyWeeks === 1 ? "" : "s"}`;
    await recordAudit(trx, {
      actor,
      action: "report.cadence_set",
      entityType: "report_cadence",
      entityId: programId,
      programId,
      summary: `Set the reporting cadence to ${label}`,
      details: { kind: { from: before.kind, to: input.kind }, everyWeeks: { from: before.everyWeeks, to: input.everyWeeks } },
    });
  });
}
