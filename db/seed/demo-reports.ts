// Demo sponsor reporting for Northwind's company-wide rollout: a budget with monthly actuals,
// three published reports four weeks apart (so every figure shows a trend), one decision still
// open, one the sponsor took, one question answered by the PLO, and a sponsor commitment that is
// overdue. Goes through the model functions, so the audit log reads as if it was done by hand.
//
// Idempotent: a program that has any status report is left alone.
import type { Actor } from "~/models/audit/audit.server";
import { addBudgetLine, recordActual } from "~/models/reports/budget.server";
import { setCadence } from "~/models/reports/cadence.server";
import { addCommitment } from "~/models/reports/commitments.server";
import { decide, requestDecision } from "~/models/reports/decisions.server";
import { answerQuestion, askQuestion } from "~/models/reports/questions.server";
import { acknowledgeReport, createDraft, publishReport, updateDraft } from "~/models/reports/reports.server";
import { addDays, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";

/** The demo's "today" (see demo-plan-details.ts). */
const DEMO_TODAY: Day = "2026-11-23";

const REPORTS = [
  {
    offset: -56,
    summary: "The rollout started on plan: wave 1 kicked off in Operations and Fleet, and the coach community is staffed.",
    achievements: "Kick-off with all division heads.\nTwelve coaches trained.",
    nextSteps: "Onboard the wave 1 teams.\nAgree the OKR tool.",
  },
  {
    offset: -28,
    summary: "Wave 1 is onboarding; one team without a lead blocks the wave's readiness. Coaching coverage has gaps in Sales.",
    achievements: "First drafting workshops held.\nCheck-in template agreed.",
    nextSteps: "Name the missing team lead.\nClose the coverage gaps before wave 2.",
  },
  {
    offset: 0,
    summary:
      "Wave 1 teams are drafting their first OKRs. Two milestones slipped and one coach is overloaded; a decision on the wave 2 start is needed.",
    achievements: "Most wave 1 teams drafted their OKRs.\nFirst alignment session across Operations.",
    nextSteps: "Decide on the wave 2 start.\nRebalance the overloaded coach.",
  },
] as const;

export async function seedDemoReports(db: DB, plo: Actor, sponsor: Actor | null, programId: string): Promise<void> {
  const existing = await db.selectFrom("status_reports").select("id").where("program_id", "=", programId).limit(1).executeTakeFirst();
  if (existing) return;
  const program = await db
    .selectFrom("programs")
    .select(["id", "name", "starts_on", "ends_on"])
    .where("id", "=", programId)
    .executeTakeFirstOrThrow();

  await setCadence(db, plo, programId, { kind: "weeks", everyWeeks: 4 });
  const lines = [
    { category: "External coaching and training", planned: 180_000, monthly: [22_000, 26_000] },
    { category: "OKR tool licences", planned: 60_000, monthly: [30_000, 0] },
    { category: "Events and communication", planned: 40_000, monthly: [6_000, 4_500] },
  ];
  for (const line of lines) {
    const { id } = await addBudgetLine(db, plo, programId, { category: line.category, plannedAmount: line.planned });
    await recordActual(db, plo, programId, { lineId: id, month: "2026-10-01", amount: line.monthly[0] });
    await recordActual(db, plo, programId, { lineId: id, month: "2026-11-01", amount: line.monthly[1] });
  }

  const risks = await db
    .selectFrom("risks")
    .select("id")
    .where("program_id", "=", programId)
    .where("status", "<>", "closed")
    .orderBy((eb) => eb("likelihood", "*", eb.ref("impact")), "desc")
    .limit(3)
    .execute();

  const ids: string[] = [];
  for (const [i, r] of REPORTS.entries()) {
    const day = addDays(DEMO_TODAY, r.offset);
    const { id } = await createDraft(db, plo, programId, { periodStart: addDays(day, -27), periodEnd: day, unitId: null });
    await updateDraft(db, plo, programId, id, {
      periodStart: addDays(day, -27),
      periodEnd: day,
      audience: "sponsors",
      summary: r.summary,
      achievements: r.achievements,
      nextSteps: r.nextSteps,
      riskIds: risks.slice(0, i + 1).map((x) => x.id),
    });
    if (i === 1) {
      const taken = await requestDecision(db, plo, programId, id, {
        question: "Fund two additional freelance coaches for wave 2?",
        options: "Fund two coaches (EUR 24,000)\nStretch the current coaches",
        recommendation: "Fund two coaches: the current ones are at capacity.",
        dueOn: addDays(day, 10),
        impactIfLate: "Wave 2 teams start without a primary coach.",
      });
      if (sponsor)
        await decide(db, { ...sponsor, mayDecide: true }, programId, taken.id, "Approved: fund two freelance coaches until the end of Q1.");
    }
    if (i === 2) {
      await requestDecision(db, plo, programId, id, {
        question: "Start wave 2 on 11 January or move it to 1 February?",
        options: "Keep 11 January\nMove to 1 February",
        recommendation: "Move to 1 February: the Sales coverage gaps close by then.",
        dueOn: addDays(day, 14),
        impactIfLate: "Wave 2 kick-off invitations go out on 15 December.",
      });
    }
    await publishReport(db, plo, program, id, day);
    // Published on the day of its figures (the demo's reports are four weeks apart).
    await db
      .updateTable("status_reports")
      .set({ published_at: new Date(`${day}T16:00:00`) })
      .where("id", "=", id)
      .execute();
    ids.push(id);
  }

  if (sponsor) {
    await acknowledgeReport(db, { ...sponsor, role: "sponsor" }, programId, ids[0]);
    await acknowledgeReport(db, { ...sponsor, role: "sponsor" }, programId, ids[1]);
    const q = await askQuestion(db, sponsor, programId, ids[1], {
      section: "risks",
      question: "What would it take to close the coverage gaps in Sales before wave 2?",
    });
    await answerQuestion(
      db,
      plo,
      programId,
      ids[1],
      q.id,
      "Two freelance coaches for three months (see the decision requested) and moving one internal coach from Fleet.",
    );
  }
  await addCommitment(db, plo, programId, { title: "Open the wave 2 kick-off with the division heads", dueOn: addDays(DEMO_TODAY, 30) });
  await addCommitment(db, plo, programId, { title: "Announce the OKR rollout at the all-hands", dueOn: addDays(DEMO_TODAY, -9) });
}
