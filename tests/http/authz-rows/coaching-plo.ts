import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { importOrg, planTeams } from "./plan-teams";
import { PLO, READERS } from "./roles";

// Authorization rows of the PLO's side of the coach community (see tests/http/authorization.test.ts),
// and HTTP fixtures the coaching tests share: a person made through the people form, a coach made
// through the coach list's form. Coaches, sponsors, PLO and admins read the coach pages and
// aggregates; only the PLO and admins change them; team leads see none of it.

const today = () => new Date().toISOString().slice(0, 10);

const assignForm = (c: AuthzContext) => ({
  intent: "assign",
  teamId: c.coachingTeamId,
  coachId: c.coachId,
  kind: "secondary",
  startsOn: today(),
  endsOn: "",
});

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/coaches", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/coaches",
    allow: PLO,
    // The first allowed post makes the person a coach; later ones are refused with 400 (already a coach).
    form: (c) => ({ intent: "create", personEmail: c.spareCoachEmail, capacity: "3", focus: "Matrix" }),
  },
  { method: "GET", path: "/programs/:programId/coaches.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/coaches/:coachId", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/coaches/:coachId",
    allow: PLO,
    form: { intent: "update", capacity: "4", focus: "Matrix focus" },
  },
  { method: "GET", path: "/programs/:programId/coverage", allow: READERS, note: "coaches and sponsors read the board (read-only)" },
  { method: "POST", path: "/programs/:programId/coverage", allow: PLO, form: assignForm },
  { method: "GET", path: "/programs/:programId/assignments", allow: READERS },
  { method: "POST", path: "/programs/:programId/assignments", allow: PLO, form: assignForm },
  {
    method: "GET",
    path: "/programs/:programId/coaching-activity",
    allow: READERS,
    note: "aggregates only: sponsors see counts, never session notes",
  },
  { method: "GET", path: "/programs/:programId/coaching-activity.csv", allow: READERS, singleFetch: false },
];

/** Paths (as in `rows`) a coach may POST to: none on the PLO's side. */
export const coachWrites: string[] = [];

/** Creates this area's fixtures as the admin and names their ids in `context`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const suffix = randomBytes(3).toString("hex");
  await importOrg(admin, [
    {
      name: "Coaching Matrix Lead",
      email: `coaching-matrix-lead-${suffix}@example.com`,
      unitPath: `Coaching Matrix ${suffix}`,
      team: `Coaching Matrix Team ${suffix}`,
      lead: true,
    },
  ]);
  const teams = await planTeams(admin, context.programId, `?q=${encodeURIComponent(`Coaching Matrix Team ${suffix}`)}`);
  const team = teams.get(`Coaching Matrix Team ${suffix}`);
  if (!team) throw new Error("the imported coaching team is not in the program's team list");
  context.coachingTeamId = team.id;
  const person = await createPerson(admin, { name: `Matrix Coach ${suffix}` });
  context.coachId = await createCoach(admin, context.programId, { personEmail: person.email });
  context.spareCoachEmail = (await createPerson(admin, { name: `Spare Coach ${suffix}` })).email;
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of the coaching pages

/** Creates a person through the people form; returns their id and email. */
export async function createPerson(
  admin: HttpClient,
  input: { name: string; email?: string; title?: string },
): Promise<{ id: string; email: string }> {
  const email = input.email ?? `${input.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${randomBytes(3).toString("hex")}@example.com`;
  const response = await admin.post("/org/people/new", {
    name: input.name,
    email,
    title: input.title ?? "OKR Coach",
    unitId: "",
    teamId: "",
    externalId: "",
  });
  expect(response.status, `creating the person ${email}: ${response.status}`).toBe(302);
  const id = /^\/org\/people\/([^/?]+)$/.exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after creating a person: ${response.headers.get("location")}`);
  return { id, email };
}

/** Makes a person a coach through the coach list's form; returns the coach's id (from the redirect). */
export async function createCoach(
  client: HttpClient,
  programId: string,
  input: { personEmail: string; capacity?: string; focus?: string },
): Promise<string> {
  const response = await client.post(`/programs/${programId}/coaches`, {
    intent: "create",
    personEmail: input.personEmail,
    capacity: input.capacity ?? "5",
    focus: input.focus ?? "",
  });
  expect(response.status, `making ${input.personEmail} a coach`).toBe(302);
  const id = new RegExp(`^/programs/${programId}/coaches/([^/?]+)$`).exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after adding a coach: ${response.headers.get("location")}`);
  return id;
}
