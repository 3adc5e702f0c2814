import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, NotFoundError } from "~/models/errors";
import { nextReportDue, setCadence, getCadence } from "~/models/reports/cadence.server";
import { addCommitment, listCommitments } from "~/models/reports/commitments.server";
import { decide, listDecisions, requestDecision } from "~/models/reports/decisions.server";
import { answerQuestion, askQuestion, listQuestions, markAnswerRead, unseenAnswerCount } from "~/models/reports/questions.server";
import {
  acknowledgeReport,
  createDraft,
  getReport,
  getSnapshot,
  latestPublishedReport,
  listReports,
  publishReport,
  startCorrection,
  updateDraft,
  type ReportViewer,
} from "~/models/reports/reports.server";
import { addBudgetLine, recordActual } from "~/models/reports/budget.server";
import { addDays, today as todayDay } from "~/utils/dates";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { buildSmallRollout } from "../support/reports";

describe("publishing status reports", () => {
  const t = useTestDatabase();
  const today = todayDay();

  async function setUp() {
    const ploUser = await createTestUser(t.db, { role: "plo" });
    const sponsorUser = await createTestUser(t.db, { role: "sponsor" });
    const coachUser = await createTestUser(t.db, { role: "coach" });
    const plo: ReportViewer = { id: ploUser.id, name: ploUser.name, role: "plo" };
    const sponsor: ReportViewer = { id: sponsorUser.id, name: sponsorUser.name, role: "sponsor" };
    const coach: ReportViewer = { id: coachUser.id, name: coachUser.name, role: "coach" };
    const rollout = await buildSmallRollout(t.db, plo, today);
    const program = await t.db.selectFrom("programs").selectAll().where("id", "=", rollout.programId).executeTakeFirstOrThrow();
    return { plo, sponsor, coach, rollout, program };
  }

  const draftInput = (riskIds: string[] = []) => ({
    periodStart: addDays(today, -28),
    periodEnd: today,
    audience: "sponsors" as const,
    summary: "Wave 1 is under way; coverage is the worry.",
    achievements: "Two teams onboarded.",
    nextSteps: "Staff the wave 2 coaches.",
    riskIds,
  });

  it("a published report keeps its figures when the program changes afterwards", async () => {
    const { plo, sponsor, rollout, program } = await setUp();
    const { id } = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    await updateDraft(t.db, plo, program.id, id, draftInput([rollout.riskIds[0]]));
    await publishReport(t.db, plo, program, id, today);
    const before = await getSnapshot(t.db, id);
    expect(before?.dimensions.find((d) => d.key === "schedule")?.computed.figures.lateMilestones).toBe(4);
    expect(before?.risks.map((r) => r.title)).toEqual(["Managers treat OKRs as appraisal"]);

    // Every milestone done, the risk closed and renamed: the live figures change, the report does not.
    await t.db.updateTable("milestones").set({ status: "done", done_on: today }).where("program_id", "=", program.id).execute();
    await t.db.updateTable("risks").set({ status: "closed", title: "Renamed" }).where("id", "=", rollout.riskIds[0]).execute();
    const after = await getSnapshot(t.db, id);
    expect(after).toEqual(before);

    // And it cannot be edited in place.
    await expect(updateDraft(t.db, plo, program.id, id, draftInput())).rejects.toBeInstanceOf(ConflictError);
    await expect(publishReport(t.db, plo, program, id, today)).rejects.toBeInstanceOf(ConflictError);
    const report = await getReport(t.db, sponsor, program.id, id);
    expect(report.summary).toBe("Wave 1 is under way; coverage is the worry.");
  });

  it("a correction is a new revision with its reason; the corrected one is superseded, never changed", async () => {
    const { plo, sponsor, program } = await setUp();
    const { id } = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    await updateDraft(t.db, plo, program.id, id, draftInput());
    await publishReport(t.db, plo, program, id, today);
    const original = await getSnapshot(t.db, id);

    const correction = await startCorrection(t.db, plo, program.id, id, "The summary named the wrong wave");
    await expect(startCorrection(t.db, plo, program.id, id, "again")).rejects.toBeInstanceOf(ConflictError);
    await updateDraft(t.db, plo, program.id, correction.id, { ...draftInput(), summary: "Wave 1 (not 2) is under way." });
    // The sponsor does not see the draft correction.
    await expect(getReport(t.db, sponsor, program.id, correction.id)).rejects.toBeInstanceOf(NotFoundError);
    await publishReport(t.db, plo, program, correction.id, today);

    const old = await getReport(t.db, sponsor, program.id, id);
    const revised = await getReport(t.db, sponsor, program.id, correction.id);
    expect(old).toMatchObject({ summary: "Wave 1 is under way; coverage is the worry.", supersededBy: correction.id, revision: 1 });
    expect(revised).toMatchObject({ revision: 2, correctsId: id, correctionReason: "The summary named the wrong wave" });
    expect(await getSnapshot(t.db, id)).toEqual(original);
    expect((await latestPublishedReport(t.db, sponsor, program.id))?.id).toBe(correction.id);
    await expect(acknowledgeReport(t.db, sponsor, program.id, id)).rejects.toBeInstanceOf(ConflictError);
    await expect(startCorrection(t.db, plo, program.id, id, "late")).rejects.toBeInstanceOf(ConflictError);
  });

  it("every figure shows its change since the previous report", async () => {
    const { plo, program } = await setUp();
    const first = await createDraft(t.db, plo, program.id, {
      periodStart: addDays(today, -56),
      periodEnd: addDays(today, -29),
      unitId: null,
    });
    await publishReport(t.db, plo, program, first.id, today);
    expect((await getSnapshot(t.db, first.id))?.trends).toBeNull();
    // Two milestones done since.
    const late = await t.db
      .selectFrom("milestones")
      .select("id")
      .where("program_id", "=", program.id)
      .where("due_on", "<", today)
      .where("status", "<>", "done")
      .orderBy("due_on")
      .limit(2)
      .execute();
    await t.db
      .updateTable("milestones")
      .set({ status: "done", done_on: today })
      .where(
        "id",
        "in",
        late.map((m) => m.id),
      )
      .execute();
    const second = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    await publishReport(t.db, plo, program, second.id, today);
    const snapshot = await getSnapshot(t.db, second.id);
    expect(snapshot?.previous?.id).toBe(first.id);
    expect(snapshot?.trends?.schedule).toMatchObject({ lateMilestones: -2, lateOverThreshold: -2 });
    expect(snapshot?.trends?.coverage).toMatchObject({ teamsInWaves: 0 });
  });

  it("the sponsor acknowledges, asks per section; the PLO answers; only the asker marks it read", async () => {
    const { plo, sponsor, coach, program } = await setUp();
    const { id } = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    await expect(askQuestion(t.db, sponsor, program.id, id, { section: "summary", question: "Draft?" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await publishReport(t.db, plo, program, id, today);

    await expect(acknowledgeReport(t.db, plo, program.id, id)).rejects.toBeInstanceOf(ForbiddenError);
    await acknowledgeReport(t.db, sponsor, program.id, id);
    expect((await getReport(t.db, sponsor, program.id, id)).state).toBe("acknowledged");
    await expect(acknowledgeReport(t.db, sponsor, program.id, id)).rejects.toBeInstanceOf(ConflictError);

    const q = await askQuestion(t.db, sponsor, program.id, id, { section: "budget", question: "Why is the budget not measured?" });
    expect(await unseenAnswerCount(t.db, sponsor.id, program.id)).toBe(0);
    await answerQuestion(t.db, plo, program.id, id, q.id, "The budget lines come next week.");
    expect(await unseenAnswerCount(t.db, sponsor.id, program.id)).toBe(1);
    await expect(markAnswerRead(t.db, plo, program.id, q.id)).rejects.toBeInstanceOf(ForbiddenError);
    await markAnswerRead(t.db, sponsor, program.id, q.id);
    expect(await unseenAnswerCount(t.db, sponsor.id, program.id)).toBe(0);
    const [question] = await listQuestions(t.db, program.id, id);
    expect(question).toMatchObject({ section: "budget", answer: "The budget lines come next week.", askedByLabel: sponsor.name });

    // A coach sees no report the PLO did not share with everyone.
    expect(await listReports(t.db, coach, program.id)).toEqual([]);
    await expect(getReport(t.db, coach, program.id, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("open decisions carry into the next report; an overdue one turns the decisions dimension amber; the log keeps who decided", async () => {
    const { plo, sponsor, program } = await setUp();
    const first = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    const asked = await requestDecision(t.db, plo, program.id, first.id, {
      question: "Move wave 2 by a month?",
      options: "Move\nKeep",
      recommendation: "Move",
      dueOn: addDays(today, -1),
      impactIfLate: "Coaches idle",
    });
    await publishReport(t.db, plo, program, first.id, today);
    await expect(
      requestDecision(t.db, plo, program.id, first.id, { question: "x", options: "", recommendation: "", dueOn: today, impactIfLate: "" }),
    ).rejects.toBeInstanceOf(ConflictError);
    const firstSnapshot = await getSnapshot(t.db, first.id);
    expect(firstSnapshot?.dimensions.find((d) => d.key === "decisions")?.computed).toMatchObject({
      colour: "amber",
      reason: "1 decision past its due date",
    });
    expect(firstSnapshot?.decisions).toMatchObject([{ question: "Move wave 2 by a month?", carried: false, state: "open" }]);

    const second = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, 1), periodEnd: addDays(today, 1), unitId: null });
    await publishReport(t.db, plo, program, second.id, today);
    expect((await getSnapshot(t.db, second.id))?.decisions).toMatchObject([{ id: asked.id, carried: true }]);

    await expect(decide(t.db, { ...plo, mayDecide: false }, program.id, asked.id, "Move")).rejects.toBeInstanceOf(ForbiddenError);
    await decide(t.db, { ...sponsor, mayDecide: true }, program.id, asked.id, "Move it to March");
    await expect(decide(t.db, { ...sponsor, mayDecide: true }, program.id, asked.id, "Keep")).rejects.toBeInstanceOf(ConflictError);
    const [logged] = await listDecisions(t.db, program.id, today);
    expect(logged).toMatchObject({ state: "decided", decision: "Move it to March", decidedBy: sponsor.name, overdue: false });
    // The published reports still show it open, as it was.
    expect((await getSnapshot(t.db, second.id))?.decisions[0].state).toBe("open");
  });

  it("commitments, budget and cadence appear in the snapshot", async () => {
    const { plo, program } = await setUp();
    await addCommitment(t.db, plo, program.id, { title: "Open the wave 2 kick-off", dueOn: addDays(today, -3) });
    const line = await addBudgetLine(t.db, plo, program.id, { category: "Coaching", plannedAmount: 100_000 });
    await recordActual(t.db, plo, program.id, { lineId: line.id, month: `${today.slice(0, 7)}-01`, amount: 60_000 });
    expect(await listCommitments(t.db, program.id, today)).toMatchObject([{ title: "Open the wave 2 kick-off", overdue: true }]);
    const { id } = await createDraft(t.db, plo, program.id, { periodStart: addDays(today, -28), periodEnd: today, unitId: null });
    await publishReport(t.db, plo, program, id, today);
    const snapshot = await getSnapshot(t.db, id);
    expect(snapshot?.commitments).toMatchObject([{ title: "Open the wave 2 kick-off", overdue: true }]);
    expect(snapshot?.budget).toMatchObject({ planned: 100_000, spent: 60_000, coachingHours: 3 });
    // 60% spent at about 27% of the time: red.
    expect(snapshot?.dimensions.find((d) => d.key === "budget")?.computed.colour).toBe("red");

    expect(await getCadence(t.db, program.id)).toEqual({ kind: "weeks", everyWeeks: 4 });
    await setCadence(t.db, plo, program.id, { kind: "weeks", everyWeeks: 2 });
    expect(await getCadence(t.db, program.id)).toEqual({ kind: "weeks", everyWeeks: 2 });
    expect(nextReportDue({ kind: "weeks", everyWeeks: 2 }, addDays(today, -15), null, today)).toEqual({
      dueOn: addDays(today, -1),
      overdue: true,
      label: "every 2 weeks",
    });
    expect(nextReportDue({ kind: "weeks", everyWeeks: 2 }, addDays(today, -13), null, today).overdue).toBe(false);
    expect(nextReportDue({ kind: "cycle", everyWeeks: 4 }, null, null, today)).toEqual({
      dueOn: null,
      overdue: false,
      label: "once per OKR cycle",
    });
  });
});
