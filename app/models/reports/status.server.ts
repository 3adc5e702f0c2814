import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { ConflictError, NotFoundError } from "~/models/errors";
import { formatDateTime, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { OverrideInput } from "~/validation/reports";
import {
  COLOUR_LABELS,
  DIMENSIONS,
  isDimensionKey,
  judgeAll,
  overallStatus,
  type ColourOverride,
  type DimensionKey,
  type JudgedDimension,
  type OverallStatus,
  type ProgramFigures,
} from "./dimensions";
import { gatherCharts, gatherFigures, type ChartData, type ProgramDates, type ReportScope } from "./figures.server";

// The live status of a program: every dimension judged by its rule on today's figures, the
// PLO's standing overrides applied (each with its reason, shown next to the computed colour),
// the overall colour and the chart series. A published report freezes exactly this object.

export interface LiveStatus {
  today: Day;
  scope: ReportScope;
  figures: ProgramFigures;
  dimensions: JudgedDimension[];
  overall: OverallStatus;
  charts: ChartData;
}

/** The standing overrides of a program, by dimension (one query). */
export async function standingOverrides(db: DB, programId: string): Promise<Partial<Record<DimensionKey, ColourOverride>>> {
  const rows = await db
    .selectFrom("status_overrides")
    .select(["dimension", "colour", "reason", "set_by_label", "set_at"])
    .where("program_id", "=", programId)
    .where("cleared_at", "is", null)
    .execute();
  const result: Partial<Record<DimensionKey, ColourOverride>> = {};
  for (const r of rows) {
    if (isDimensionKey(r.dimension))
      result[r.dimension] = { colour: r.colour, reason: r.reason, by: r.set_by_label, at: formatDateTime(r.set_at) };
  }
  return result;
}

/** Today's status of the program (or one unit of it): a bounded number of queries. */
export async function liveStatus(db: DB, program: ProgramDates, scope: ReportScope, today: Day): Promise<LiveStatus> {
  const [figures, overrides] = await Promise.all([gatherFigures(db, program, scope, today), standingOverrides(db, program.id)]);
  const charts = await gatherCharts(db, program.id, scope, today, figures);
  const dimensions = judgeAll(figures, overrides);
  return { today, scope, figures, dimensions, overall: overallStatus(dimensions), charts };
}

/** The PLO overrides a dimension's colour, with a reason; replaces a standing override. */
export async function setOverride(db: DB, actor: Actor, programId: string, input: OverrideInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const now = new Date();
    const previous = await trx
      .updateTable("status_overrides")
      .set({ cleared_at: now, cleared_by: actor.id })
      .where("program_id", "=", programId)
      .where("dimension", "=", input.dimension)
      .where("cleared_at", "is", null)
      .returning(["colour", "reason"])
      .executeTakeFirst();
    await trx
      .insertInto("status_overrides")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        dimension: input.dimension,
        colour: input.colour,
        reason: input.reason,
        set_by: actor.id,
        set_by_label: actor.name,
        set_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "status.overridden",
      entityType: "status_override",
      entityId: input.dimension,
      programId,
      summary: `Set ${DIMENSIONS[input.dimension].label.toLowerCase()} to ${COLOUR_LABELS[input.colour].toLowerCase()}: “${input.reason}”`,
      details: { dimension: input.dimension, colour: { from: previous?.colour ?? null, to: input.colour }, reason: input.reason },
    });
  });
}

/** Clears the standing override of a dimension: the computed colour counts again. */
export async function clearOverride(db: DB, actor: Actor, programId: string, dimension: string): Promise<void> {
  if (!isDimensionKey(dimension)) throw new NotFoundError("There is no such dimension.");
  await inTransaction(db, async (trx) => {
    const cleared = await trx
      .updateTable("status_overrides")
      .set({ cleared_at: new Date(), cleared_by: actor.id })
      .where("program_id", "=", programId)
      .where("dimension", "=", dimension)
      .where("cleared_at", "is", null)
      .returning(["colour", "reason"])
      .executeTakeFirst();
    if (!cleared) throw new ConflictError("This dimension has no override (someone may have cleared it already).");
    await recordAudit(trx, {
      actor,
      action: "status.override_cleared",
      entityType: "status_override",
      entityId: dimension,
      programId,
      summary: `Cleared the override of ${DIMENSIONS[dimension].label.toLowerCase()} (was ${COLOUR_LABELS[cleared.colour].toLowerCase()})`,
      details: { dimension, colour: { from: cleared.colour, to: null } },
    });
  });
}
