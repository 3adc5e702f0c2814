import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { createUser, signIn, type Actor, type TestUser } from "../../support/http-fixtures";
import { importOrg, planTeams } from "./plan-teams";
import { PLO, READERS } from "./roles";

// Authorization rows of the coach's side of the coach community (see
// tests/http/authorization.test.ts): my teams, support sessions, escalations, learnings; and the
// HTTP fixtures its tests share: teams imported through the org import, coach accounts linked to
// their person, made coaches of a program and assigned teams through the PLO's pages.
//
// The matrix's coach account has no coach row in the program: its coaching pages answer with a
// friendly "not a coach here yet" page (let through), its session and question posts get a 400
// with that message (let through), and another coach's session or question is a 403.

/** Who reads and writes coaching details (session notes, questions): never sponsors or team leads. */
export const COACHING: Actor[] = ["admin", "plo", "coach"];

/** Today as 'YYYY-MM-DD' (the server runs on this machine, in its time zone). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** 'YYYY-MM-DD' plus `days`. */
export function dayFromToday(days: number): string {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const rows: AuthzRow[] = [
  {
    method: "GET",
    path: "/programs/:programId/my-teams",
    allow: COACHING,
    note: "the PLO picks a coach; a coach without a coach row reads “not a coach here yet”",
  },
  {
    method: "GET",
    path: "/programs/:programId/my-team",
    allow: ["team_lead", "member"],
    note: "the home of a team's lead and members (issue 18); an account without a team reads “not linked to a team yet”",
  },
  { method: "GET", path: "/programs/:programId/sessions", allow: COACHING },
  { method: "GET", path: "/programs/:programId/sessions?type=check_in&from=2020-01-01", allow: COACHING },
  { method: "GET", path: "/programs/:programId/sessions.csv", allow: COACHING, singleFetch: false },
  { method: "GET", path: "/programs/:programId/sessions/new", allow: COACHING },
  {
    method: "POST",
    path: "/programs/:programId/sessions/new",
    allow: COACHING,
    note: "the PLO logs for the fixture coach; the matrix coach (no coach row) gets a 400",
    form: (c) => sessionForm({ teamId: c.coachTeamId, coachId: c.coachId }),
  },
  { method: "GET", path: "/programs/:programId/sessions/:sessionId", allow: PLO, note: "the session belongs to another coach" },
  {
    method: "POST",
    path: "/programs/:programId/sessions/:sessionId",
    allow: PLO,
    note: "the session belongs to another coach",
    form: (c) => ({ intent: "save", ...sessionForm({ teamId: c.coachTeamId, coachId: c.coachId, notes: "Saved by the matrix." }) }),
  },
  { method: "GET", path: "/programs/:programId/escalations", allow: COACHING },
  { method: "GET", path: "/programs/:programId/escalations/new", allow: COACHING },
  {
    method: "POST",
    path: "/programs/:programId/escalations/new",
    allow: COACHING,
    note: "nobody of the matrix is a coach of the program: each gets the 400 “not a coach here yet”",
    form: { category: "method", urgency: "normal", question: "A matrix question?", teamId: "" },
  },
  { method: "GET", path: "/programs/:programId/escalations/:escalationId", allow: PLO, note: "the question belongs to another coach" },
  { method: "POST", path: "/programs/:programId/escalations/:escalationId", allow: PLO, form: { intent: "take" } },
  { method: "GET", path: "/learnings", allow: READERS },
  { method: "GET", path: "/learnings?q=matrix&tag=drafting", allow: READERS },
  { method: "GET", path: "/learnings/new", allow: COACHING },
  {
    method: "POST",
    path: "/learnings/new",
    allow: COACHING,
    form: () => ({
      title: `Matrix learning ${randomBytes(3).toString("hex")}`,
      body: "Shared by the matrix.",
      kind: "practice",
      tags: "matrix",
      sessionId: "",
      teamId: "",
      programId: "",
    }),
  },
  { method: "GET", path: "/learnings/:learningId", allow: READERS },
  {
    method: "POST",
    path: "/learnings/:learningId",
    allow: PLO,
    note: "written by the admin: the PLO may edit any learning, a coach only their own",
    form: {
      intent: "save",
      title: "Matrix learning",
      body: "Kept by the matrix.",
      kind: "practice",
      tags: "matrix",
      sessionId: "",
      teamId: "",
      programId: "",
    },
  },
];

/** Paths (as in `rows`) a coach may POST to: their own sessions, escalations, learnings. */
export const coachWrites: string[] = ["/programs/:programId/sessions/new", "/programs/:programId/escalations/new", "/learnings/new"];

/** Creates this area's fixtures as the admin and names their ids in `context`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const suffix = randomBytes(3).toString("hex");
  const [team] = await importTeams(admin, context.programId, `Coach Matrix ${suffix}`, ["Matrix Coached Team"]);
  context.coachTeamId = team.id;
  const coach = await createCoachAccount(admin, context.programId, { name: `Matrix Coach ${suffix}` });
  context.coachId = coach.coachId;
  await assignTeam(admin, context.programId, coach.coachId, team.id, dayFromToday(-30));
  const client = await signIn(admin.baseUrl, coach.user);
  context.sessionId = await logSession(client, context.programId, { teamId: team.id });
  context.escalationId = await raiseEscalation(client, context.programId, { question: "How do we score a key result that moved late?" });
  context.learningId = await shareLearning(admin, { title: "Matrix learning", tags: "matrix, drafting" });
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of the coach community

/** A valid support-session form (today, a check-in) with `overrides`. */
export function sessionForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    teamId: "",
    heldOn: today(),
    type: "check_in",
    durationMinutes: "45",
    attendees: "5",
    maturity: "3",
    notes: "",
    followUps: "",
    coachId: "",
    ...overrides,
  };
}

/** Imports one team per name into a new unit; returns the teams (name, id) as the program lists them. */
export async function importTeams(
  admin: HttpClient,
  programId: string,
  unit: string,
  names: string[],
): Promise<Array<{ id: string; name: string }>> {
  const tag = randomBytes(3).toString("hex");
  await importOrg(
    admin,
    names.map((name, i) => ({
      name: `${name} Lead`,
      email: `lead-${i}-${tag}@example.com`,
      unitPath: unit,
      team: `${name} ${tag}`,
      lead: true,
    })),
  );
  const teams = await planTeams(admin, programId, `?q=${encodeURIComponent(tag)}`);
  return names.map((name) => {
    const team = teams.get(`${name} ${tag}`);
    if (!team) throw new Error(`the imported team ${name} ${tag} is not in the program's team list`);
    return { id: team.id, name: `${name} ${tag}` };
  });
}

export interface CoachAccount {
  user: TestUser;
  personId: string;
  coachId: string;
}

/**
 * A coach account whose person is a coach of the program: the account (admin's users form), the
 * person (org form), the link between them (person page) and the coach row (the PLO's coaches page).
 */
export async function createCoachAccount(admin: HttpClient, programId: string, input: { name?: string } = {}): Promise<CoachAccount> {
  const user = await createUser(admin, { role: "coach", name: input.name });
  const person = await admin.post("/org/people/new", {
    name: user.name,
    email: user.email,
    title: "OKR coach",
    unitId: "",
    teamId: "",
    externalId: "",
  });
  expect(person.status, `adding ${user.email} to the organization`).toBe(302);
  const personId = /^\/org\/people\/([^/?]+)$/.exec(person.headers.get("location") ?? "")?.[1];
  if (!personId) throw new Error(`unexpected redirect after adding a person: ${person.headers.get("location")}`);
  const linked = await admin.post(`/org/people/${personId}`, { intent: "link-account", accountEmail: user.email });
  expect(linked.status, "linking the person to the account").toBe(302);
  const coachId = await makeCoach(admin, programId, user.email);
  return { user, personId, coachId };
}

/** Makes an existing person (by email) a coach of the program; returns the coach id. */
export async function makeCoach(admin: HttpClient, programId: string, personEmail: string): Promise<string> {
  const created = await admin.post(`/programs/${programId}/coaches`, { intent: "create", personEmail, capacity: "5", focus: "" });
  if (created.status !== 302)
    throw new Error(`making ${personEmail} a coach was refused (${created.status}): ${(await created.text()).slice(0, 500)}`);
  const coachId = new RegExp(`^/programs/${programId}/coaches/([^/?]+)$`).exec(created.headers.get("location") ?? "")?.[1];
  if (!coachId) throw new Error(`unexpected redirect after making a coach: ${created.headers.get("location")}`);
  return coachId;
}

/** Assigns a team to a coach from `startsOn` (to `endsOn`) through the coach's page. */
export async function assignTeam(
  admin: HttpClient,
  programId: string,
  coachId: string,
  teamId: string,
  startsOn: string,
  endsOn = "",
  kind = "primary",
): Promise<void> {
  const response = await admin.post(`/programs/${programId}/coaches/${coachId}`, { intent: "assign", teamId, kind, startsOn, endsOn });
  if (response.status !== 302)
    throw new Error(`assigning the team was refused (${response.status}): ${(await response.text()).slice(0, 500)}`);
}

/** Logs a session with a plain form post; returns its id (from the redirect's `logged=`). */
export async function logSession(client: HttpClient, programId: string, overrides: Record<string, string> = {}): Promise<string> {
  const response = await client.post(`/programs/${programId}/sessions/new`, sessionForm(overrides));
  if (response.status !== 302)
    throw new Error(`logging a session was refused (${response.status}): ${(await response.text()).slice(0, 800)}`);
  const id = /[?&]logged=([^&]+)/.exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after logging a session: ${response.headers.get("location")}`);
  return decodeURIComponent(id);
}

/** Raises an escalation as a coach; returns its id (from the redirect to it). */
export async function raiseEscalation(client: HttpClient, programId: string, overrides: Record<string, string> = {}): Promise<string> {
  const response = await client.post(`/programs/${programId}/escalations/new`, {
    category: "method",
    urgency: "normal",
    question: "A question?",
    teamId: "",
    ...overrides,
  });
  if (response.status !== 302)
    throw new Error(`raising an escalation was refused (${response.status}): ${(await response.text()).slice(0, 800)}`);
  const id = new RegExp(`^/programs/${programId}/escalations/([^/?]+)$`).exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after raising an escalation: ${response.headers.get("location")}`);
  return id;
}

/** Shares a learning; returns its id (from the redirect to it). */
export async function shareLearning(client: HttpClient, input: Record<string, string> = {}): Promise<string> {
  const response = await client.post("/learnings/new", {
    title: "A learning",
    body: "What we learned.",
    kind: "practice",
    tags: "",
    sessionId: "",
    teamId: "",
    programId: "",
    ...input,
  });
  if (response.status !== 302)
    throw new Error(`sharing a learning was refused (${response.status}): ${(await response.text()).slice(0, 800)}`);
  const id = /^\/learnings\/([^/?]+)$/.exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after sharing a learning: ${response.headers.get("location")}`);
  return id;
}
