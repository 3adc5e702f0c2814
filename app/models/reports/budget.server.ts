import { sql } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, duplicateAsFieldError, NotFoundError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { ActualInput, BudgetLineInput } from "~/validation/reports";
import type { ProgramFigures } from "./dimensions";
import type { BudgetSummary } from "./snapshot";

// The program's budget: a planned amount per category, actuals per category and month, and the
// effort in hours from the coaching log (training hours once enablement lands). The budget
// dimension compares the share spent with the share of the program's time elapsed.

export const DUPLICATE_CATEGORY = "This program has a budget line of this category already.";

/** Planned and spent per line, spend per month (two queries); effort from the figures already gathered. */
export async function budgetSummary(
  db: DB,
  programId: string,
  today: Day,
  figures: Pick<ProgramFigures, "budget">,
): Promise<BudgetSummary> {
  const [lines, months] = await Promise.all([
    db
      .selectFrom("budget_lines as b")
      .select([
        "b.id",
        "b.category",
        "b.planned_amount as planned",
        sql<number>`(select coalesce(sum(a.amount), 0)::int from budget_actuals a where a.budget_line_id = b.id and a.month <= ${today}::date)`.as(
          "spent",
        ),
      ])
      .where("b.program_id", "=", programId)
      .orderBy("b.position")
      .orderBy(sql`lower(b.category)`)
      .execute(),
    db
      .selectFrom("budget_actuals")
      .select(["month", sql<number>`sum(amount)::int`.as("amount")])
      .where("program_id", "=", programId)
      .groupBy("month")
      .orderBy("month")
      .limit(240)
      .execute(),
  ]);
  return {
    lines,
    months,
    planned: lines.reduce((s, l) => s + l.planned, 0),
    spent: lines.reduce((s, l) => s + l.spent, 0),
    coachingHours: figures.budget?.coachingHours ?? 0,
    trainingHours: figures.budget?.trainingHours ?? null,
  };
}

/** Every actual of the program by line and month, for the budget grid (one query). */
export async function listActuals(db: DB, programId: string): Promise<Array<{ lineId: string; month: Day; amount: number }>> {
  return db
    .selectFrom("budget_actuals")
    .select(["budget_line_id as lineId", "month", "amount"])
    .where("program_id", "=", programId)
    .orderBy("month")
    .limit(5000)
    .execute();
}

export async function addBudgetLine(db: DB, actor: Actor, programId: string, input: BudgetLineInput): Promise<{ id: string }> {
  try {
    return await inTransaction(db, async (trx) => {
      const id = crypto.randomUUID();
      const position = await trx
        .selectFrom("budget_lines")
        .select(sql<number>`coalesce(max(position), 0)::int + 1`.as("next"))
        .where("program_id", "=", programId)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("budget_lines")
        .values({ id, program_id: programId, category: input.category, planned_amount: input.plannedAmount, position: position.next })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "budget.line_added",
        entityType: "budget_line",
        entityId: id,
        programId,
        summary: `Planned ${input.plannedAmount.toLocaleString("en")} for “${input.category}”`,
        details: { category: input.category, planned: input.plannedAmount },
      });
      return { id };
    });
  } catch (error) {
    throw duplicateAsFieldError(error, "category", DUPLICATE_CATEGORY);
  }
}

export async function updateBudgetLine(db: DB, actor: Actor, programId: string, lineId: string, input: BudgetLineInput): Promise<void> {
  try {
    await inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom("budget_lines")
        .selectAll()
        .where("id", "=", lineId)
        .where("program_id", "=", programId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new NotFoundError("This budget line does not exist in this program.");
      await trx
        .updateTable("budget_lines")
        .set({ category: input.category, planned_amount: input.plannedAmount })
        .where("id", "=", lineId)
        .execute();
      await recordAudit(trx, {
        actor,
        action: "budget.line_changed",
        entityType: "budget_line",
        entityId: lineId,
        programId,
        summary: `Changed the budget line “${before.category}” to ${input.plannedAmount.toLocaleString("en")}${before.category === input.category ? "" : ` (now “${input.category}”)`}`,
        details: {
          planned: { from: before.planned_amount, to: input.plannedAmount },
          category: { from: before.category, to: input.category },
        },
      });
    });
  } catch (error) {
    throw duplicateAsFieldError(error, "category", DUPLICATE_CATEGORY);
  }
}

/** Records (or replaces) the actual of a line for a month. */
export async function recordActual(db: DB, actor: Actor, programId: string, input: ActualInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const line = await trx
      .selectFrom("budget_lines")
      .select("category")
      .where("id", "=", input.lineId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!line) throw FieldError.on("lineId", "Choose one of this program's budget lines.");
    const before = await trx
      .selectFrom("budget_actuals")
      .select("amount")
      .where("budget_line_id", "=", input.lineId)
      .where("month", "=", input.month)
      .executeTakeFirst();
    await trx
      .insertInto("budget_actuals")
      .values({ budget_line_id: input.lineId, program_id: programId, month: input.month, amount: input.amount })
      .onConflict((oc) => oc.columns(["budget_line_id", "month"]).doUpdateSet({ amount: input.amount, updated_at: new Date() }))
      .execute();
    await recordAudit(trx, {
      actor,
      action: "budget.actual_recorded",
      entityType: "budget_line",
      entityId: input.lineId,
      programId,
      summary: `Recorded ${input.amount.toLocaleString("en")} spent on “${line.category}” in ${input.month.slice(0, 7)}`,
      details: { month: input.month, amount: { from: before?.amount ?? null, to: input.amount } },
    });
  });
}
