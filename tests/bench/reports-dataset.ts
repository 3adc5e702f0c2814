// Sponsor reporting of the bench's measured program (issue 17), loaded last (the snapshots freeze
// the figures of every other area): a cadence, a budget with monthly actuals, decisions, sponsor
// commitments and three published reports four weeks apart, each with its snapshot. Through the
// model functions (as the demo does), so the snapshots are exactly what publishing freezes; a few
// seconds, most of it computing the live status three times.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { addBudgetLine, recordActual } from "~/models/reports/budget.server";
import { setCadence } from "~/models/reports/cadence.server";
import { addCommitment } from "~/models/reports/commitments.server";
import { requestDecision } from "~/models/reports/decisions.server";
import { createDraft, publishReport, updateDraft } from "~/models/reports/reports.server";
import { addDays, type Day } from "~/utils/dates";

export interface ReportsDatasetSummary {
  publishedReports: number;
  /** The latest published report (the page measured). */
  latestReportId: string;
}

export async function loadReportsDataset(
  db: Kysely<Database>,
  programId: string,
  today: Day,
  actor: { id: string; name: string },
): Promise<ReportsDatasetSummary> {
  const program = await db
    .selectFrom("programs")
    .select(["id", "name", "starts_on", "ends_on"])
    .where("id", "=", programId)
    .executeTakeFirstOrThrow();
  await setCadence(db, actor, programId, { kind: "weeks", everyWeeks: 4 });
  for (const [i, category] of [
    "External coaching and training",
    "OKR tool licences",
    "Events and communication",
    "Internal staff",
  ].entries()) {
    const { id } = await addBudgetLine(db, actor, programId, { category, plannedAmount: 50_000 * (i + 1) });
    for (let m = 1; m <= 6; m++) {
      const month = `${addDays(today, -31 * m).slice(0, 7)}-01`;
      await recordActual(db, actor, programId, { lineId: id, month, amount: 3_000 * (i + 1) + 250 * m });
    }
  }
  const risks = await db
    .selectFrom("risks")
    .select("id")
    .where("program_id", "=", programId)
    .where("status", "<>", "closed")
    .orderBy((eb) => eb("likelihood", "*", eb.ref("impact")), "desc")
    .limit(5)
    .execute();
  let latestReportId = "";
  for (const [i, offset] of [-56, -28, 0].entries()) {
    const day = addDays(today, offset);
    const { id } = await createDraft(db, actor, programId, { periodStart: addDays(day, -27), periodEnd: day, unitId: null });
    await updateDraft(db, actor, programId, id, {
      periodStart: addDays(day, -27),
      periodEnd: day,
      audience: "sponsors",
      summary: `Bench report ${i + 1}: the rollout continues wave by wave; coaching coverage and check-in cadence are watched closely.`,
      achievements: "Drafting workshops held.\nCheck-in cadence above target in the early waves.",
      nextSteps: "Close the coverage gaps.\nPrepare the next wave's kick-off.",
      riskIds: risks.slice(0, 3 + (i % 3)).map((r) => r.id),
    });
    await requestDecision(db, actor, programId, id, {
      question: `Bench decision ${i + 1}: fund additional coaches for the next wave?`,
      options: "Fund two coaches\nStretch the current coaches",
      recommendation: "Fund two coaches.",
      dueOn: addDays(day, 14),
      impactIfLate: "The next wave starts without primary coaches.",
    });
    await publishReport(db, actor, program, id, day);
    await db
      .updateTable("status_reports")
      .set({ published_at: new Date(`${day}T16:00:00Z`) })
      .where("id", "=", id)
      .execute();
    latestReportId = id;
  }
  for (let c = 0; c < 6; c++) {
    await addCommitment(db, actor, programId, { title: `Bench sponsor commitment ${c + 1}`, dueOn: addDays(today, (c - 3) * 10) });
  }
  return { publishedReports: 3, latestReportId };
}
