import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { decodeEntities } from "../../support/http-fixtures";
import { PLO, READERS } from "./roles";

// Authorization rows of a program's milestones, timeline, stakeholders and risks (see
// tests/http/authorization.test.ts), and the HTTP fixtures their tests share: people made
// through the org's person form, milestones, stakeholders and risks made through their own forms.

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/milestones", allow: READERS },
  { method: "GET", path: "/programs/:programId/milestones?status=late", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/milestones",
    allow: PLO,
    form: () => ({
      intent: "create",
      title: `Matrix milestone ${randomBytes(3).toString("hex")}`,
      dueOn: "2027-02-01",
      status: "planned",
      ownerEmail: "",
      waveId: "",
      notes: "",
    }),
  },
  { method: "GET", path: "/programs/:programId/milestones/:milestoneId", allow: READERS },
  { method: "POST", path: "/programs/:programId/milestones/:milestoneId", allow: PLO, form: { intent: "done", doneOn: "2026-11-20" } },
  { method: "GET", path: "/programs/:programId/milestones.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/timeline", allow: READERS },
  { method: "GET", path: "/programs/:programId/stakeholders", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/stakeholders",
    allow: PLO,
    note: "the fixture person is a stakeholder already: an allowed post gets the duplicate message (400), a refused one 403",
    form: (c) => ({
      intent: "create",
      personEmail: c.stakeholderEmail,
      influence: "high",
      interest: "low",
      attitude: "neutral",
      communicationPlan: "",
      contactEveryDays: "30",
      lastContactOn: "",
    }),
  },
  { method: "GET", path: "/programs/:programId/stakeholders/:stakeholderId", allow: READERS },
  { method: "POST", path: "/programs/:programId/stakeholders/:stakeholderId", allow: PLO, form: { intent: "contacted" } },
  { method: "GET", path: "/programs/:programId/stakeholders.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/risks", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/risks",
    allow: PLO,
    form: () => ({
      intent: "create",
      title: `Matrix risk ${randomBytes(3).toString("hex")}`,
      likelihood: "2",
      impact: "3",
      status: "open",
      ownerEmail: "",
      description: "",
      mitigation: "",
      waveId: "",
      unitId: "",
    }),
  },
  { method: "GET", path: "/programs/:programId/risks/:riskId", allow: READERS },
  { method: "POST", path: "/programs/:programId/risks/:riskId", allow: PLO, form: { intent: "close" } },
  { method: "GET", path: "/programs/:programId/risks.csv", allow: READERS, singleFetch: false },
];

/** Creates this area's fixtures as the admin and names their ids in `context`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const person = await createPerson(admin, { name: "Matrix Stakeholder", title: "Head of Matrix" });
  context.stakeholderEmail = person.email;
  context.milestoneId = await createMilestone(admin, context.programId, { title: "Matrix milestone" });
  context.stakeholderId = await createStakeholder(admin, context.programId, { personEmail: person.email });
  context.riskId = await createRisk(admin, context.programId, { title: "Matrix risk" });
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of milestones, stakeholders and risks

/** Adds a person to the organization through its form; returns their (lower-cased) email. */
export async function createPerson(
  admin: HttpClient,
  input: { name?: string; email?: string; title?: string } = {},
): Promise<{ name: string; email: string }> {
  const suffix = randomBytes(4).toString("hex");
  const person = { name: input.name ?? `Person ${suffix}`, email: input.email ?? `person-${suffix}@example.com`, title: input.title ?? "" };
  const response = await admin.post("/org/people/new", { ...person, unitId: "", teamId: "", externalId: "" });
  expect(response.status, `adding ${person.email} to the organization`).toBe(302);
  return { name: person.name, email: person.email.toLowerCase() };
}

/** Title → id of every item of a list page (links `/programs/<id>/<kind>/<itemId>`). */
export async function itemIds(
  client: HttpClient,
  programId: string,
  kind: "milestones" | "stakeholders" | "risks",
  search = "",
): Promise<Map<string, string>> {
  const response = await client.get(`/programs/${programId}/${kind}${search}`);
  expect(response.status, `GET ${kind}`).toBe(200);
  const html = await response.text();
  const ids = new Map<string, string>();
  for (const m of html.matchAll(new RegExp(`href="/programs/${programId}/${kind}/([0-9a-f-]{36})">([^<]*)</a>`, "g"))) {
    ids.set(decodeEntities(m[2]), m[1]);
  }
  return ids;
}

async function createAndFind(
  client: HttpClient,
  programId: string,
  kind: "milestones" | "stakeholders" | "risks",
  form: Record<string, string>,
  title: string,
) {
  const response = await client.post(`/programs/${programId}/${kind}`, form);
  if (response.status !== 302)
    throw new Error(`creating in ${kind} answered ${response.status}: ${(await response.text()).slice(0, 1500)}`);
  const id = (await itemIds(client, programId, kind)).get(title);
  if (!id) throw new Error(`“${title}” is not in the ${kind} list after creating it`);
  return id;
}

export function milestoneForm(input: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "create",
    title: `Milestone ${randomBytes(3).toString("hex")}`,
    dueOn: "2027-02-01",
    status: "planned",
    doneOn: "",
    ownerEmail: "",
    waveId: "",
    notes: "",
    ...input,
  };
}

export async function createMilestone(client: HttpClient, programId: string, input: Record<string, string> = {}): Promise<string> {
  const form = milestoneForm(input);
  return createAndFind(client, programId, "milestones", form, form.title);
}

export function stakeholderForm(input: Record<string, string> & { personEmail: string }): Record<string, string> {
  return {
    intent: "create",
    influence: "high",
    interest: "high",
    attitude: "supporter",
    communicationPlan: "",
    contactEveryDays: "30",
    lastContactOn: "",
    ...input,
  };
}

/** Adds a stakeholder; `name` is how the list shows them (their person's name). */
export async function createStakeholder(
  client: HttpClient,
  programId: string,
  input: Record<string, string> & { personEmail: string },
  name = "Matrix Stakeholder",
): Promise<string> {
  return createAndFind(client, programId, "stakeholders", stakeholderForm(input), name);
}

export function riskForm(input: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "create",
    title: `Risk ${randomBytes(3).toString("hex")}`,
    description: "",
    likelihood: "3",
    impact: "3",
    ownerEmail: "",
    mitigation: "",
    status: "open",
    waveId: "",
    unitId: "",
    ...input,
  };
}

export async function createRisk(client: HttpClient, programId: string, input: Record<string, string> = {}): Promise<string> {
  const form = riskForm(input);
  return createAndFind(client, programId, "risks", form, form.title);
}

/** A list's server CSV export as text. */
export async function planCsv(
  client: HttpClient,
  programId: string,
  kind: "milestones" | "stakeholders" | "risks",
  search = "",
): Promise<string> {
  const response = await client.get(`/programs/${programId}/${kind}.csv${search}`);
  expect(response.status, `GET ${kind}.csv`).toBe(200);
  return response.text();
}
