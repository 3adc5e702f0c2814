import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import type { Actor } from "../../support/http-fixtures";
import { createPerson } from "./plan-details";
import { PLO, SIGNED_IN } from "./roles";

const HEAT_MAP_READERS: Actor[] = ["admin", "plo", "coach", "sponsor", "team_lead"];

// Authorization rows of enablement (see tests/http/authorization.test.ts) and the HTTP fixtures
// its tests share: modules, requirements and sessions made through the PLO's pages.
// Sponsors see coverage figures only; coaches and team leads see the sessions they train and the
// teams they coach or lead (the matrix's coach and team lead train and lead nothing: 403).

/** Who reads names (filtered in the model): never sponsors. */
export const ENABLEMENT_READERS: Actor[] = ["admin", "plo", "coach", "team_lead"];

export const rows: AuthzRow[] = [
  // The coverage heat map: enablement:aggregates (team members see only their own needs, on /mine).
  { method: "GET", path: "/programs/:programId/enablement", allow: HEAT_MAP_READERS },
  { method: "GET", path: "/programs/:programId/enablement?by=unit", allow: HEAT_MAP_READERS },
  {
    method: "GET",
    path: "/programs/:programId/enablement?module=:enablementModuleId&group=:waveId",
    allow: PLO,
    note: "the names behind a heat-map cell: the PLO only",
  },
  { method: "GET", path: "/programs/:programId/enablement/curriculum", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/enablement/curriculum",
    allow: PLO,
    form: () => moduleForm({ title: `Matrix module ${randomBytes(3).toString("hex")}` }),
  },
  { method: "GET", path: "/programs/:programId/enablement/requirements", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/enablement/requirements",
    allow: PLO,
    form: (c) => requirementForm({ moduleId: c.enablementModuleId }),
  },
  {
    method: "GET",
    path: "/programs/:programId/enablement/sessions",
    allow: ENABLEMENT_READERS,
    note: "a trainer sees the sessions they train",
  },
  {
    method: "POST",
    path: "/programs/:programId/enablement/sessions",
    allow: PLO,
    form: (c) => trainingSessionForm({ moduleId: c.enablementModuleId }),
  },
  { method: "GET", path: "/programs/:programId/enablement/sessions/:trainingSessionId", allow: PLO, note: "trained by the admin" },
  {
    method: "POST",
    path: "/programs/:programId/enablement/sessions/:trainingSessionId",
    allow: PLO,
    note: "trained by the admin: the matrix's coach and team lead are not its trainer",
    form: { intent: "attendance", allPresent: "on" },
  },
  { method: "GET", path: "/programs/:programId/enablement/records", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/enablement/records",
    allow: PLO,
    form: (c) => ({
      intent: "completion",
      email: c.enablementPersonEmail,
      moduleId: c.enablementModuleId,
      completedOn: "2026-11-30",
      evidence: "Matrix",
    }),
  },
  { method: "GET", path: "/programs/:programId/enablement/overdue", allow: PLO },
  { method: "GET", path: "/programs/:programId/enablement/overdue.csv", allow: PLO, singleFetch: false },
  { method: "GET", path: "/programs/:programId/enablement/import", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/enablement/import",
    allow: PLO,
    note: "an unknown import: 404 for the PLO, 403 for others",
    form: { intent: "commit", importId: "00000000-0000-4000-8000-000000000000" },
  },
  { method: "GET", path: "/programs/:programId/enablement/certification", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/enablement/certification",
    allow: PLO,
    form: () => ({ intent: "path", name: `Matrix path ${randomBytes(3).toString("hex")}` }),
  },
  { method: "GET", path: "/programs/:programId/enablement/feedback", allow: PLO },
  { method: "GET", path: "/programs/:programId/enablement/mine", allow: SIGNED_IN },
  {
    method: "POST",
    path: "/programs/:programId/enablement/mine",
    allow: SIGNED_IN,
    note: "one's own feedback: the matrix's users attended nothing, so an allowed post gets the 400 beside the session",
    form: (c) => ({ intent: "feedback", sessionId: c.trainingSessionId, rating: "4", comment: "" }),
  },
  {
    method: "GET",
    path: "/programs/:programId/enablement/teams/:teamId",
    allow: PLO,
    note: "nobody of the matrix coaches or leads it",
  },
];

/** Paths a coach may POST to: their own feedback. */
export const coachWrites: string[] = ["/programs/:programId/enablement/mine"];
/** Paths a sponsor may POST to: their own feedback. */
export const sponsorWrites: string[] = ["/programs/:programId/enablement/mine"];

export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const suffix = randomBytes(3).toString("hex");
  context.enablementModuleId = await createTrainingModule(admin, context.programId, { title: `Matrix Fundamentals ${suffix}` });
  await createRequirement(admin, context.programId, { moduleId: context.enablementModuleId });
  context.enablementPersonEmail = (await createPerson(admin, { name: `Matrix Learner ${suffix}` })).email;
  context.trainingSessionId = await scheduleSession(admin, context.programId, { moduleId: context.enablementModuleId, trainerEmail: "" });
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures

export function moduleForm(input: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "create-module",
    title: `Module ${randomBytes(3).toString("hex")}`,
    kind: "fundamentals",
    delivery: "live",
    durationMinutes: "90",
    validityMonths: "",
    description: "",
    ...input,
  };
}

/** Adds a module through the curriculum page; returns its id (from the sessions page's module select). */
export async function createTrainingModule(client: HttpClient, programId: string, input: Record<string, string> = {}): Promise<string> {
  const form = moduleForm(input);
  const response = await client.post(`/programs/${programId}/enablement/curriculum`, form);
  if (response.status !== 302) throw new Error(`adding a module answered ${response.status}: ${(await response.text()).slice(0, 1500)}`);
  const page = await (await client.get(`/programs/${programId}/enablement/sessions`)).text();
  const escaped = form.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const id = new RegExp(`<option value="([0-9a-f-]{36})">${escaped}</option>`).exec(page)?.[1];
  if (!id) throw new Error(`the module ${form.title} is not offered on the sessions page`);
  return id;
}

export function requirementForm(input: Record<string, string>): Record<string, string> {
  return {
    intent: "create",
    audience: "team_lead",
    scope: "all",
    waveId: "",
    unitId: "",
    necessity: "required",
    dueRule: "before_wave",
    dueDays: "7",
    dueOn: "",
    ...input,
  };
}

export async function createRequirement(client: HttpClient, programId: string, input: Record<string, string>): Promise<void> {
  const response = await client.post(`/programs/${programId}/enablement/requirements`, requirementForm(input));
  expect(response.status, `adding a requirement: ${response.status === 302 ? "" : (await response.text()).slice(0, 800)}`).toBe(302);
}

export function trainingSessionForm(input: Record<string, string>): Record<string, string> {
  return {
    intent: "schedule",
    date: "2027-01-20",
    time: "09:30",
    timeZone: "Europe/Berlin",
    durationMinutes: "120",
    location: "Room 4",
    url: "",
    trainerEmail: "",
    capacity: "20",
    state: "open",
    ...input,
  };
}

/** Schedules a session; returns its id (from the redirect to it). */
export async function scheduleSession(client: HttpClient, programId: string, input: Record<string, string>): Promise<string> {
  const response = await client.post(`/programs/${programId}/enablement/sessions`, trainingSessionForm(input));
  if (response.status !== 302) throw new Error(`scheduling answered ${response.status}: ${(await response.text()).slice(0, 1500)}`);
  const id = new RegExp(`^/programs/${programId}/enablement/sessions/([0-9a-f-]{36})$`).exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after scheduling: ${response.headers.get("location")}`);
  return id;
}
