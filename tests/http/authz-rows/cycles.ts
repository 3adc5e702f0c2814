import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import type { Actor } from "../../support/http-fixtures";
import { importTeams } from "./coaching-coach";
import { PLO, SIGNED_IN } from "./roles";

// Authorization rows of OKR cycles (see tests/http/authorization.test.ts): cycles and their
// calendar, a team's OKR page, the company and unit objectives, the calendar feed's page; and the
// HTTP fixtures the cycles tests share (a cycle with the standard events, a team's objective).
//
// The matrix's team lead and member are linked to no person: the fixture team is not theirs, so
// its OKR page is a 403 for them. Its coach coaches nothing: it reads every team's set of the
// program, but a comment on a team it does not coach is a 403.

/** Who reads team sets of the program: everybody but team leads and members of other teams. */
export const SET_READERS: Actor[] = ["admin", "plo", "coach", "sponsor"];
/** Who imports OKR sets (and, but for coaches, check-ins): the model narrows it to their teams. */
export const IMPORTERS: Actor[] = ["admin", "plo", "coach", "team_lead"];
/** Who writes company and unit objectives. */
export const UPPER_WRITERS: Actor[] = ["admin", "plo", "sponsor"];

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/cycles", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/cycles?team=:teamId", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/cycles/new", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/cycles/new",
    allow: PLO,
    form: () => cycleForm({ name: `Matrix ${randomBytes(3).toString("hex")}` }),
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId?view=month&month=2027-01", allow: SIGNED_IN },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId",
    allow: PLO,
    form: { intent: "add-event", kind: "other", occursOn: "2027-01-20", scope: "all", title: "Matrix clinic" },
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/events/:eventId", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/events/:eventId",
    allow: PLO,
    note: "no version: an allowed post gets a 400 beside the form",
    form: { intent: "save", kind: "other", occursOn: "2027-01-21", scope: "all" },
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/objectives", allow: SIGNED_IN },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/objectives",
    allow: UPPER_WRITERS,
    form: () => ({
      intent: "add-objective",
      level: "company",
      unitId: "",
      title: `Matrix company objective ${randomBytes(2).toString("hex")}`,
    }),
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/teams/:teamId", allow: SET_READERS },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/teams/:teamId",
    allow: PLO,
    note: "a comment on the fixture objective: the matrix coach does not coach the team",
    form: (c) => ({ intent: "comment", objectiveId: c.objectiveId, body: "A matrix comment." }),
  },
  // The other drafting forms of the page (the same route; the query only tells the rows apart).
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/teams/:teamId?form=add-objective",
    allow: PLO,
    form: () => ({ intent: "add-objective", title: `Matrix draft ${randomBytes(2).toString("hex")}`, type: "committed" }),
  },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/teams/:teamId?form=save-objective",
    allow: PLO,
    note: "a stale version: an allowed post gets a 409 with the objective as it is",
    form: (c) => ({ intent: "save-objective", id: c.objectiveId, version: "999", title: "Matrix objective" }),
  },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/teams/:teamId?form=add-kr",
    allow: PLO,
    form: (c) => ({ intent: "add-kr", objectiveId: c.objectiveId, title: "Matrix key result", kind: "milestone" }),
  },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/teams/:teamId?form=resolve",
    allow: PLO,
    form: (c) => ({ intent: "resolve", id: c.commentId }),
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/import", allow: IMPORTERS },
  {
    method: "POST",
    path: "/programs/:programId/cycles/:cycleId/import",
    allow: IMPORTERS,
    note: "committing a file that was never uploaded: let through means a 404",
    form: { intent: "commit", importId: "00000000-0000-4000-8000-0000000000aa" },
  },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/import-template.csv?kind=okrs", allow: IMPORTERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/cycles/:cycleId/import-template.csv?kind=checkins", allow: IMPORTERS, singleFetch: false },
  { method: "GET", path: "/programs/:programId/calendar", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/calendar?view=month&team=:teamId", allow: SIGNED_IN },
  { method: "GET", path: "/account/calendar", allow: SIGNED_IN },
  {
    method: "POST",
    path: "/account/calendar",
    allow: SIGNED_IN,
    note: "revoking without an address: a 400, nothing changes",
    form: { intent: "revoke" },
  },
];

/** Paths (as in `rows`) a coach may POST to: their own calendar address, an import (of their teams' drafts). */
export const coachWrites: string[] = ["/account/calendar", "/programs/:programId/cycles/:cycleId/import"];
/** Paths a sponsor may POST to: company and unit objectives, their own calendar address. */
export const sponsorWrites: string[] = ["/programs/:programId/cycles/:cycleId/objectives", "/account/calendar"];

/** Routes that answer without a session (the feed's secret is its key). */
export const publicRoutes: string[] = ["/calendar/:token"];

export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const suffix = randomBytes(3).toString("hex");
  // The plan area's fixture team (context.teamId) when it is there; its own otherwise.
  if (!context.teamId) context.teamId = (await importTeams(admin, context.programId, `Cycles Matrix ${suffix}`, ["Matrix OKR Team"]))[0].id;
  context.cycleId = await createCycle(admin, context.programId, { name: `Matrix cycle ${suffix}` });
  const page = await (await admin.get(`/programs/${context.programId}/cycles/${context.cycleId}`)).text();
  const event = new RegExp(`/cycles/${context.cycleId}/events/([\\w-]+)`).exec(page);
  if (!event) throw new Error("the cycle page links no event");
  context.eventId = event[1];
  context.objectiveId = await addTeamObjective(admin, context.programId, context.cycleId, context.teamId, { title: "Matrix objective" });
  const teamPage = `/programs/${context.programId}/cycles/${context.cycleId}/teams/${context.teamId}`;
  await admin.post(teamPage, { intent: "comment", objectiveId: context.objectiveId, body: "To resolve in the matrix." });
  const comment = /name="intent" value="resolve"\/><input type="hidden" name="id" value="([\w-]+)"/.exec(
    await (await admin.get(teamPage)).text(),
  );
  if (!comment) throw new Error("the team's page shows no comment to resolve");
  context.commentId = comment[1];
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of OKR cycles

/** A valid new-cycle form (Q1 2027 with the standard events) with `overrides`. */
export function cycleForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: "2027-Q1",
    startsOn: "2027-01-04",
    endsOn: "2027-03-28",
    checkinCadenceDays: "14",
    maxObjectives: "3",
    template: "on",
    ...overrides,
  };
}

/** Creates a cycle through the form; returns its id (from the redirect). */
export async function createCycle(client: HttpClient, programId: string, overrides: Record<string, string> = {}): Promise<string> {
  const response = await client.post(`/programs/${programId}/cycles/new`, cycleForm(overrides));
  if (response.status !== 302)
    throw new Error(`creating a cycle was refused (${response.status}): ${(await response.text()).slice(0, 500)}`);
  const id = new RegExp(`^/programs/${programId}/cycles/([^/?]+)$`).exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after creating a cycle: ${response.headers.get("location")}`);
  return id;
}

/** Adds an objective to a team's set; returns its id (the newest objective on the page). */
export async function addTeamObjective(
  client: HttpClient,
  programId: string,
  cycleId: string,
  teamId: string,
  overrides: Record<string, string> = {},
): Promise<string> {
  const path = `/programs/${programId}/cycles/${cycleId}/teams/${teamId}`;
  const before = new Set(objectiveIds(await (await client.get(path)).text()));
  const response = await client.post(path, { intent: "add-objective", title: "An objective", type: "committed", ...overrides });
  expect(response.status, `adding an objective: ${response.status === 302 ? "" : (await response.text()).slice(0, 500)}`).toBe(302);
  const added = objectiveIds(await (await client.get(path)).text()).filter((id) => !before.has(id));
  if (added.length !== 1) throw new Error("the new objective is not on the team's page");
  return added[0];
}

/** The ids of the objectives on an OKR page, in order. */
export function objectiveIds(html: string): string[] {
  return [...html.matchAll(/id="objective-([\w-]+)"/g)].map((m) => m[1]);
}

/** The ids of the key results of an OKR page, in order. */
export function keyResultIds(html: string): string[] {
  return [...html.matchAll(/id="key-result-([\w-]+)"/g)].map((m) => m[1]);
}
