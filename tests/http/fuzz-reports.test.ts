import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CADENCE_KINDS, REPORT_AUDIENCES } from "../../db/schema";
import { DIMENSION_KEYS } from "~/models/reports/dimensions/types";
import { REPORT_SECTIONS } from "~/validation/reports";
import { fieldValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, createUser, latestAuditEvents, setUpInstallation, signIn } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { addBudgetLine, publishReport, startDraft } from "./authz-rows/reports";

// Hostile input to sponsor reporting's forms (issue 17): colour overrides, drafts, the cadence,
// corrections, questions and answers, decisions, commitments and the budget. Every answer is
// below 500 — a 302, a 400 with messages, or a 409 where a first valid post already made the
// change (a correction drafted, a decision taken) — and a refused form changes nothing, not even
// the audit log.

const RUNS = 20;

let server: RunningServer;
let admin: HttpClient;
let sponsor: HttpClient;
let programId: string;
let draftId: string;
let publishedId: string;
let decisionId: string;
let budgetLineId: string;

function form(valid: Record<string, fc.Arbitrary<string>>, plausible: Record<string, fc.Arbitrary<string>> = {}) {
  return {
    fields: Object.fromEntries(
      Object.entries(valid).map(([key, a]) => [key, fieldValue(plausible[key] ? fc.oneof(a, plausible[key]) : a)]),
    ),
    validFields: valid,
  };
}

const allowing =
  (...allowed: number[]) =>
  async (response: FuzzResponse, before: string, after: string) => {
    expect([302, 400, ...allowed], `answered ${response.status}`).toContain(response.status);
    if (response.status !== 302) expect(after, "a refused form wrote to the audit log").toBe(before);
  };
const check = allowing();

const observe = () => latestAuditEvents(admin);
const day = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).map((s) => `Text ${s}`);
const amount = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }).map(String), fc.constantFrom("12.50", "0"));

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed reporting", status: "active" });
  sponsor = await signIn(server.url, await createUser(admin, { role: "sponsor" }));
  const published = await publishReport(admin, programId, { audience: "sponsors", decision: "Fuzz: move wave 2?" });
  publishedId = published.reportId;
  decisionId = published.decisionIds[0];
  draftId = await startDraft(admin, programId, { periodStart: "2026-12-01", periodEnd: "2026-12-31" });
  budgetLineId = await addBudgetLine(admin, programId, "Fuzz licences", "5000");
});
afterAll(async () => {
  await server?.stop();
});

describe("reporting forms", () => {
  it("colour overrides on the live status", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/status`,
      ...form(
        {
          intent: fc.constant("override"),
          dimension: fc.constantFrom(...DIMENSION_KEYS),
          colour: fc.constantFrom("red", "amber", "green"),
          reason: text(200),
        },
        { dimension: fc.constantFrom("overall", "nope"), colour: fc.constantFrom("purple", "not_measured") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("starting a report and the cadence", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/reports`,
      ...form(
        { intent: fc.constant("create"), periodStart: day, periodEnd: day, unitId: fc.constant("") },
        { unitId: fc.constantFrom("no-such-unit") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/reports`,
      ...form(
        {
          intent: fc.constant("cadence"),
          kind: fc.constantFrom(...CADENCE_KINDS),
          everyWeeks: fc.integer({ min: 1, max: 12 }).map(String),
        },
        { everyWeeks: fc.constantFrom("0", "-2", "1.5", "99999") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
  });

  it("saving a draft", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/reports/${draftId}`,
      ...form(
        {
          intent: fc.constant("save"),
          periodStart: day,
          periodEnd: day,
          audience: fc.constantFrom(...REPORT_AUDIENCES),
          summary: text(400),
          achievements: fc.string({ maxLength: 200 }),
          nextSteps: fc.string({ maxLength: 200 }),
        },
        { audience: fc.constantFrom("everybody", "") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("a correction of a published report (a second one finds the first drafted: 409)", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/reports/${publishedId}`,
      ...form({ intent: fc.constant("correct"), reason: text(300) }),
      numRuns: RUNS,
      observe,
      check: allowing(409),
    });
  });

  it("a sponsor's questions and decisions, and the PLO's answers", async () => {
    await fuzzForm({
      client: sponsor,
      path: `/programs/${programId}/reports/${publishedId}`,
      ...form(
        { intent: fc.constant("ask"), section: fc.constantFrom(...REPORT_SECTIONS), question: text(300) },
        { section: fc.constantFrom("appendix", "") },
      ),
      numRuns: RUNS,
      observe,
      // A mutated intent may name a PLO's action (save, publish…): a sponsor is refused it (403).
      check: allowing(403),
    });
    await fuzzForm({
      client: sponsor,
      path: `/programs/${programId}/reports/${publishedId}`,
      ...form(
        { intent: fc.constant("decide"), decisionId: fc.constant(decisionId), decision: text(300) },
        { decisionId: fc.constantFrom("no-such-decision", "") },
      ),
      numRuns: RUNS,
      observe,
      // An unknown decision is 404; a decision taken once is 409 afterwards; a PLO's intent is 403.
      check: allowing(403, 404, 409),
    });
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/reports/${publishedId}`,
      ...form({ intent: fc.constant("answer"), questionId: fc.constantFrom("no-such-question", ""), answer: text(300) }),
      numRuns: RUNS,
      observe,
      check: allowing(404),
    });
  });

  it("the decision log: decisions requested and commitments", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/decisions`,
      ...form({
        intent: fc.constant("request-decision"),
        question: text(200),
        options: fc.string({ maxLength: 200 }),
        recommendation: fc.string({ maxLength: 200 }),
        dueOn: day,
        impactIfLate: fc.string({ maxLength: 200 }),
      }),
      numRuns: RUNS,
      observe,
      check,
    });
    await fuzzForm({
      client: sponsor,
      path: `/programs/${programId}/decisions`,
      ...form({ intent: fc.constant("add-commitment"), title: text(200), dueOn: day }),
      numRuns: RUNS,
      observe,
      check,
    });
  });

  it("an intent named after an object's built-in property is an unknown intent (400), not a 500", async () => {
    for (const path of [`/programs/${programId}/reports/${publishedId}`, `/programs/${programId}/decisions`])
      for (const intent of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
        const response = await admin.post(path, { intent });
        expect(response.status, `${path} intent=${intent}`).toBe(400);
      }
  });

  it("the budget: lines and actuals", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/budget`,
      ...form(
        { intent: fc.constant("add-line"), category: text(60), plannedAmount: amount },
        { plannedAmount: fc.constantFrom("-1", "1e9", "12,50", "abc") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/budget`,
      ...form(
        {
          intent: fc.constant("actual"),
          lineId: fc.constant(budgetLineId),
          month: fc.constantFrom("2026-11", "2026-12", "2027-01"),
          amount,
        },
        { lineId: fc.constantFrom("no-such-line"), month: fc.constantFrom("2026-13", "11/2026", "2026-1") },
      ),
      numRuns: RUNS,
      observe,
      check: allowing(404),
    });
  });
});
