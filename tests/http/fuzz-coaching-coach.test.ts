import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESCALATION_CATEGORIES, SESSION_TYPES, URGENCIES } from "../../db/schema";
import { fieldValue, fuzzForm, type FieldValue, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, setUpInstallation, signIn, tableRows } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import {
  assignTeam,
  createCoachAccount,
  dayFromToday,
  importTeams,
  logSession,
  raiseEscalation,
  shareLearning,
  type CoachAccount,
} from "./authz-rows/coaching-coach";

// Hostile input to every form of the coach's side of the coach community: logging and editing
// sessions, raising and working escalations, sharing and editing learnings. The server answers
// below 500 every time, and nothing but the form's own target changes.

const RUNS = 25;

let server: RunningServer;
let admin: HttpClient;
let programId: string;
let coach: CoachAccount;
let coachClient: HttpClient;
let other: CoachAccount;
let otherClient: HttpClient;
let teamIds: string[];

const validDate = fc.integer({ min: -300, max: 1 }).map((d) => dayFromToday(d));
const validId = () => fc.constantFrom(...teamIds);

/** Each field fuzzed around its well-formed values, and those values as the baseline. */
function form(valid: Record<string, fc.Arbitrary<string>>) {
  return {
    fields: Object.fromEntries(Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(arbitrary)])) as Record<
      string,
      fc.Arbitrary<FieldValue>
    >,
    validFields: valid as Record<string, fc.Arbitrary<FieldValue>>,
  };
}

function expectStatus(response: FuzzResponse, allowed: number[]) {
  expect(allowed, `answered ${response.status} (${response.location ?? "no redirect"}): ${response.body.slice(0, 300)}`).toContain(
    response.status,
  );
}

/** Every session of the program as the admin's CSV shows it: line → how many times. */
async function sessionLines(): Promise<Map<string, number>> {
  const response = await admin.get(`/programs/${programId}/sessions.csv`);
  expect(response.status).toBe(200);
  const lines = new Map<string, number>();
  for (const line of (await response.text()).split("\r\n").slice(1).filter(Boolean)) lines.set(line, (lines.get(line) ?? 0) + 1);
  return lines;
}

/** How many lines were added and removed between two snapshots. */
function diff(before: Map<string, number>, after: Map<string, number>) {
  let added = 0;
  let removed = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (delta > 0) added += delta;
    else removed -= delta;
  }
  return { added, removed };
}

/** The escalation queue (every status) as the admin sees it: id → row. */
async function escalationRows(): Promise<Map<string, string>> {
  const response = await admin.get(`/programs/${programId}/escalations?status=all&size=200`);
  expect(response.status).toBe(200);
  return tableRows(await response.text(), `/programs/${programId}/escalations/`);
}

/** The learnings library's ids and titles (newest first, 200 a page). */
async function learningIds(): Promise<string[]> {
  const response = await admin.get("/learnings?size=200");
  expect(response.status).toBe(200);
  return [...(await response.text()).matchAll(/<h2 id="learning-([0-9a-f-]{36})"/g)].map((m) => m[1]);
}

async function learningPage(id: string): Promise<string> {
  const response = await admin.get(`/learnings/${id}`);
  return `${response.status}:${(await response.text()).replace(/<script[\s\S]*?<\/script>/g, "")}`;
}

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed coaching", status: "active" });
  const teams = await importTeams(admin, programId, "Fuzz Coaching Co", ["Alpha", "Beta", "Gamma"]);
  teamIds = teams.map((t) => t.id);
  coach = await createCoachAccount(admin, programId, { name: "Fuzzy Coach" });
  other = await createCoachAccount(admin, programId, { name: "Bystander Coach" });
  await assignTeam(admin, programId, coach.coachId, teamIds[0], dayFromToday(-100));
  await assignTeam(admin, programId, coach.coachId, teamIds[1], dayFromToday(-100), dayFromToday(-50));
  await assignTeam(admin, programId, other.coachId, teamIds[2], dayFromToday(-100));
  coachClient = await signIn(server.url, coach.user);
  otherClient = await signIn(server.url, other.user);
  await logSession(otherClient, programId, { teamId: teamIds[2], notes: "The bystander's session" });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const sessionFields = () => ({
  teamId: fc.oneof(validId(), fc.constant("")),
  heldOn: validDate,
  type: fc.constantFrom(...SESSION_TYPES),
  durationMinutes: fc.integer({ min: 1, max: 700 }).map(String),
  attendees: fc.integer({ min: 0, max: 600 }).map(String),
  maturity: fc.constantFrom("", "1", "3", "5", "6"),
  notes: fc.string({ maxLength: 200 }),
  followUps: fc.string({ maxLength: 100 }),
});

describe("sessions", () => {
  it("logging from hostile forms adds at most the one session, and only on success (plain and fetcher posts)", async () => {
    for (const stay of [false, true]) {
      const statuses = await fuzzForm({
        client: coachClient,
        path: `/programs/${programId}/sessions/new${stay ? ".data" : ""}`,
        ...form({ ...sessionFields(), coachId: fc.constantFrom("", other.coachId), ...(stay ? { _stay: fc.constant("1") } : {}) }),
        numRuns: RUNS,
        observe: sessionLines,
        check: (response, before, after) => {
          expectStatus(response, stay ? [200, 202, 400] : [302, 400]);
          const { added, removed } = diff(before, after);
          expect(removed).toBe(0);
          // A data post that stays answers 200; one whose _stay field was fuzzed away redirects,
          // which single fetch answers with 202: both logged the session.
          const success = stay
            ? response.status === 202 || (response.status === 200 && !response.body.includes("errors"))
            : response.status === 302;
          expect(added, `added after ${response.status}`).toBe(success ? 1 : 0);
          // Never in the bystander's name.
          if (added)
            expect([...after.keys()].filter((l) => l.includes("Bystander Coach")).length).toBe(
              [...before.keys()].filter((l) => l.includes("Bystander Coach")).length,
            );
        },
      });
      expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    }
  });

  it("editing and deleting one's session from hostile forms touches that session only", async () => {
    const target = await logSession(coachClient, programId, { teamId: teamIds[0], notes: "Fuzz target" });
    const statuses = await fuzzForm({
      client: coachClient,
      path: `/programs/${programId}/sessions/${target}`,
      ...form({
        intent: fc.constantFrom("save", "delete", "undo"),
        confirm: fc.constantFrom("on", ""),
        ...sessionFields(),
        coachId: fc.constantFrom("", other.coachId),
      }),
      numRuns: RUNS,
      observe: sessionLines,
      check: (response, before, after) => {
        // 404 once a fuzzed delete went through.
        expectStatus(response, [302, 400, 404]);
        const { added, removed } = diff(before, after);
        expect(removed).toBeLessThanOrEqual(1);
        expect(added).toBeLessThanOrEqual(1);
        if (response.status !== 302) expect(added + removed).toBe(0);
      },
    });
    // Refused as bad input (400), or — once a fuzzed delete went through early — as gone (404).
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0), "some forms were refused").toBeGreaterThan(0);
  });

  it("another coach's session refuses every hostile form with 403", async () => {
    const theirs = await logSession(otherClient, programId, { teamId: teamIds[2] });
    await fuzzForm({
      client: coachClient,
      path: `/programs/${programId}/sessions/${theirs}`,
      ...form({ intent: fc.constantFrom("save", "delete", "undo"), confirm: fc.constant("on"), ...sessionFields() }),
      numRuns: 15,
      observe: sessionLines,
      check: (response, before, after) => {
        expectStatus(response, [403]);
        expect(after).toEqual(before);
      },
    });
  });

  it("a hostile query string on the history and its CSV is never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          q: fc.string({ maxLength: 60 }),
          team: fc.oneof(validId(), fc.string({ maxLength: 60 })),
          type: fc.oneof(fc.constantFrom(...SESSION_TYPES), fc.string({ maxLength: 20 })),
          from: fc.oneof(validDate, fc.string({ maxLength: 12 })),
          to: fc.oneof(validDate, fc.constantFrom("0000-00-00", "2024-02-30", "99999-01-01")),
          coach: fc.oneof(fc.constant(other.coachId), fc.string({ maxLength: 40 })),
          sort: fc.constantFrom("date", "team", "type", "duration", "attendees", "maturity", "coach", "s.id; drop table teams"),
          dir: fc.constantFrom("asc", "desc", "sideways"),
          page: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }).map(String), fc.string({ maxLength: 10 })),
          size: fc.constantFrom("25", "200", "0", "x"),
        }),
        async (query) => {
          const search = new URLSearchParams(query).toString();
          for (const client of [coachClient, admin]) {
            for (const path of [
              `/programs/${programId}/sessions?${search}`,
              `/programs/${programId}/sessions.csv?${search}`,
              `/programs/${programId}/escalations?${search}`,
              `/learnings?${search}`,
            ]) {
              const response = await client.get(path);
              await response.arrayBuffer();
              expect(response.status, path).toBe(200);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("escalations", () => {
  it("raising from hostile forms adds at most the one question", async () => {
    const session = await logSession(coachClient, programId, { teamId: teamIds[0] });
    const bystanderSession = await logSession(otherClient, programId, { teamId: teamIds[2] });
    const statuses = await fuzzForm({
      client: coachClient,
      path: `/programs/${programId}/escalations/new`,
      ...form({
        category: fc.constantFrom(...ESCALATION_CATEGORIES),
        urgency: fc.constantFrom(...URGENCIES),
        question: fc.string({ minLength: 1, maxLength: 300 }),
        teamId: fc.oneof(validId(), fc.constant("")),
        sessionId: fc.constantFrom("", session, bystanderSession),
      }),
      numRuns: RUNS,
      observe: escalationRows,
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created =
          response.status === 302
            ? new RegExp(`^/programs/${programId}/escalations/([^/?]+)$`).exec(response.location ?? "")?.[1]
            : undefined;
        for (const [id, row] of before) expect(after.get(id), `question ${id} changed`).toBe(row);
        expect([...after.keys()].filter((id) => !before.has(id))).toEqual(created ? [created] : []);
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
  });

  it("the PLO's hostile take/answer/close/promote forms change that question (and at most add its FAQ entry)", async () => {
    const target = await raiseEscalation(coachClient, programId, { question: "The fuzzed question" });
    const bystander = await raiseEscalation(otherClient, programId, { question: "The bystander's question" });
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/escalations/${target}`,
      ...form({
        intent: fc.constantFrom("take", "answer", "close", "promote"),
        answer: fc.string({ maxLength: 300 }),
        title: fc.string({ maxLength: 220 }),
        tags: fc.string({ maxLength: 80 }),
        back: fc.constantFrom(`/programs/${programId}/escalations`, "//evil.example", "https://evil.example/", ""),
      }),
      numRuns: RUNS,
      observe: async () => ({ rows: await escalationRows(), learnings: await learningIds() }),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        if (response.status === 302) expect(response.location ?? "").toMatch(/^\/(programs|learnings)\//);
        expect(after.rows.get(bystander)).toBe(before.rows.get(bystander));
        const added = after.learnings.filter((id) => !before.learnings.includes(id));
        expect(added.length).toBeLessThanOrEqual(1);
        expect(before.learnings.filter((id) => !after.learnings.includes(id))).toEqual([]);
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
  });
});

describe("learnings", () => {
  it("sharing from hostile forms adds at most the one learning", async () => {
    const session = await logSession(coachClient, programId, { teamId: teamIds[0] });
    const statuses = await fuzzForm({
      client: coachClient,
      path: "/learnings/new",
      ...form({
        title: fc.string({ minLength: 1, maxLength: 220 }),
        body: fc.string({ minLength: 1, maxLength: 400 }),
        kind: fc.constantFrom("practice", "lesson", "faq"),
        tags: fc.string({ maxLength: 120 }),
        sessionId: fc.constantFrom("", session),
        teamId: fc.oneof(validId(), fc.constant("")),
        programId: fc.constantFrom("", programId, "nope"),
      }),
      numRuns: RUNS,
      observe: learningIds,
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created = response.status === 302 ? /^\/learnings\/([^/?]+)$/.exec(response.location ?? "")?.[1] : undefined;
        expect(after.filter((id) => !before.includes(id))).toEqual(created ? [created] : []);
        expect(before.filter((id) => !after.includes(id))).toEqual([]);
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("editing one's learning from hostile forms changes only that learning; another's refuses with 403", async () => {
    const own = await shareLearning(coachClient, { title: "Fuzzed learning" });
    const theirs = await shareLearning(otherClient, { title: "Bystander learning" });
    const fields = form({
      intent: fc.constantFrom("save", "delete"),
      confirm: fc.constantFrom("on", ""),
      title: fc.string({ minLength: 1, maxLength: 220 }),
      body: fc.string({ minLength: 1, maxLength: 400 }),
      kind: fc.constantFrom("practice", "lesson"),
      tags: fc.string({ maxLength: 120 }),
      sessionId: fc.constant(""),
      teamId: fc.oneof(validId(), fc.constant("")),
      programId: fc.constant(""),
    });
    await fuzzForm({
      client: coachClient,
      path: `/learnings/${own}`,
      ...fields,
      numRuns: RUNS,
      observe: async () => ({ ids: await learningIds(), theirs: await learningPage(theirs) }),
      check: (response, before, after) => {
        expectStatus(response, [302, 400, 404]);
        expect(after.theirs).toBe(before.theirs);
        expect(after.ids.filter((id) => !before.ids.includes(id))).toEqual([]);
        expect(before.ids.filter((id) => !after.ids.includes(id) && id !== own)).toEqual([]);
      },
    });
    await fuzzForm({
      client: coachClient,
      path: `/learnings/${theirs}`,
      ...fields,
      numRuns: 10,
      observe: () => learningPage(theirs),
      check: (response, before, after) => {
        expectStatus(response, [403]);
        expect(after).toBe(before);
      },
    });
  });
});
