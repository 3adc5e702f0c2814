import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import type { Actor } from "../../support/http-fixtures";
import { PLO, READERS } from "./roles";

// Authorization rows of sponsor reporting (see tests/http/authorization.test.ts), and the HTTP
// fixtures the reporting tests share. The PLO writes and publishes; sponsors acknowledge, ask and
// decide; coaches read only the reports shared with everyone; team leads read none of it.

/** Who reads the live status, the decision log and the budget: aggregates for the PLO and sponsors. */
const STATUS_READERS: Actor[] = ["admin", "plo", "sponsor"];
const SPONSOR: Actor[] = ["sponsor"];
const PLO_OR_SPONSOR: Actor[] = ["admin", "plo", "sponsor"];

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/status", allow: STATUS_READERS },
  { method: "GET", path: "/programs/:programId/status?unit=none", allow: STATUS_READERS },
  {
    method: "POST",
    path: "/programs/:programId/status",
    allow: PLO,
    form: { intent: "override", dimension: "risks", colour: "amber", reason: "Matrix override" },
  },
  { method: "GET", path: "/programs/:programId/reports", allow: READERS, note: "coaches see only reports shared with everyone" },
  { method: "POST", path: "/programs/:programId/reports", allow: PLO, form: { intent: "cadence", kind: "weeks", everyWeeks: "4" } },
  { method: "GET", path: "/programs/:programId/reports/:reportId", allow: READERS, note: "the fixture report is shared with everyone" },
  {
    method: "POST",
    path: "/programs/:programId/reports/:reportId",
    allow: PLO,
    note: "a correction: the second allowed post finds one drafted already (409)",
    form: { intent: "correct", reason: "Matrix correction" },
  },
  {
    method: "POST",
    path: "/programs/:programId/reports/:reportId",
    allow: PLO,
    note: "an unknown question: allowed posts get 404",
    form: { intent: "answer", questionId: "no-such-question", answer: "Matrix answer" },
  },
  { method: "POST", path: "/programs/:programId/reports/:reportId", allow: SPONSOR, form: { intent: "acknowledge" } },
  {
    method: "POST",
    path: "/programs/:programId/reports/:reportId",
    allow: SPONSOR,
    form: { intent: "ask", section: "summary", question: "Matrix question?" },
  },
  {
    method: "POST",
    path: "/programs/:programId/reports/:reportId",
    allow: SPONSOR,
    form: (c) => ({ intent: "decide", decisionId: c.decisionId, decision: "Matrix decision" }),
  },
  {
    method: "POST",
    path: "/programs/:programId/reports/:reportId",
    allow: SPONSOR,
    note: "an unknown question: the sponsor gets 404",
    form: { intent: "mark-read", questionId: "no-such-question" },
  },
  { method: "GET", path: "/programs/:programId/reports/:reportId.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/reports/:reportId.json", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/reports/:reportId.pdf", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/decisions", allow: STATUS_READERS },
  {
    method: "POST",
    path: "/programs/:programId/decisions",
    allow: PLO_OR_SPONSOR,
    form: { intent: "add-commitment", title: "Matrix commitment", dueOn: "2027-01-15" },
  },
  {
    method: "POST",
    path: "/programs/:programId/decisions",
    allow: PLO,
    form: {
      intent: "request-decision",
      question: "Matrix decision?",
      options: "",
      recommendation: "",
      dueOn: "2027-01-15",
      impactIfLate: "",
    },
  },
  { method: "GET", path: "/programs/:programId/budget", allow: STATUS_READERS },
  {
    method: "POST",
    path: "/programs/:programId/budget",
    allow: PLO,
    form: (c) => ({ intent: "actual", lineId: c.budgetLineId, month: "2026-11", amount: "100" }),
  },
];

/** The posts a sponsor may make here (the authorization test checks no other sponsor write exists). */
export const sponsorWrites = ["/programs/:programId/reports/:reportId", "/programs/:programId/decisions"];

/** A published report shared with everyone, a decision asked in it, a budget line. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const report = await publishReport(admin, context.programId, { audience: "everyone", decision: "Matrix: move wave 2?" });
  context.reportId = report.reportId;
  context.decisionId = report.decisionIds[0];
  context.budgetLineId = await addBudgetLine(admin, context.programId, "Matrix licences", "5000");
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of reporting

export async function startDraft(client: HttpClient, programId: string, form: Record<string, string> = {}): Promise<string> {
  const response = await client.post(`/programs/${programId}/reports`, {
    intent: "create",
    periodStart: "2026-11-01",
    periodEnd: "2026-11-30",
    unitId: "",
    ...form,
  });
  if (response.status !== 302) throw new Error(`starting a draft answered ${response.status}: ${(await response.text()).slice(0, 800)}`);
  const id = /\/reports\/([0-9a-f-]{36})$/.exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`no report id in ${response.headers.get("location")}`);
  return id;
}

export function draftForm(input: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "save",
    periodStart: "2026-11-01",
    periodEnd: "2026-11-30",
    audience: "sponsors",
    summary: "Wave 1 is under way.",
    achievements: "",
    nextSteps: "",
    ...input,
  };
}

/** Drafts, fills, optionally asks a decision in, and publishes a report; returns its id and the decisions' ids. */
export async function publishReport(
  client: HttpClient,
  programId: string,
  options: { audience?: "sponsors" | "everyone"; summary?: string; decision?: string } = {},
): Promise<{ reportId: string; decisionIds: string[] }> {
  const reportId = await startDraft(client, programId);
  const path = `/programs/${programId}/reports/${reportId}`;
  const saved = await client.post(
    path,
    draftForm({ audience: options.audience ?? "sponsors", summary: options.summary ?? "Wave 1 is under way." }),
  );
  expect(saved.status, "saving the draft").toBe(302);
  if (options.decision) {
    const asked = await client.post(path, {
      intent: "request-decision",
      question: options.decision,
      options: "Yes\nNo",
      recommendation: "Yes",
      dueOn: "2027-01-15",
      impactIfLate: "Coaches idle",
    });
    expect(asked.status, "requesting a decision").toBe(302);
  }
  const published = await client.post(path, { intent: "publish" });
  expect(published.status, "publishing").toBe(302);
  const html = await (await client.get(path)).text();
  const decisionIds = [...html.matchAll(/data-decision="([0-9a-f-]{36})"/g)].map((m) => m[1]);
  return { reportId, decisionIds };
}

export async function addBudgetLine(client: HttpClient, programId: string, category: string, planned: string): Promise<string> {
  const response = await client.post(`/programs/${programId}/budget`, { intent: "add-line", category, plannedAmount: planned });
  expect(response.status, "adding a budget line").toBe(302);
  const html = await (await client.get(`/programs/${programId}/budget`)).text();
  const escaped = category.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const id = new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${escaped}</option>`).exec(html)?.[1];
  if (!id) throw new Error(`budget line “${category}” not found on the budget page`);
  return id;
}
