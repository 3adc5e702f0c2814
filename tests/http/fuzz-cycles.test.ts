import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CYCLE_EVENT_KINDS, CYCLE_EVENT_SCOPES, CYCLE_STATES, OBJECTIVE_STATES } from "../../db/schema";
import { fieldValue, firstValue, fuzzForm, hostileString, type FieldValue, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { latestAuditEvents, signIn } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Hostile input to the drafting forms of OKR cycles — objectives and key results (add, edit,
// state), comments and their resolution on a team's set, company and unit objectives, the
// cycle's events and settings, a new cycle — and to the cycle import (uploads and commits).
// Every answer is below 500, and a refused form (400, 403, 404, 409, 413) changes nothing: not
// the cycle's content (its JSON export) and not the audit log.

const RUNS = 30;

let server: RunningServer;
let w: CheckInWorld;
let lead: HttpClient;
let plo: HttpClient;
let observer: HttpClient;
let eventId: string;
let commentId: string;

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => checkInWorld(db)));
  lead = await signIn(server.url, { email: w.users.teamLead.email, password: w.password });
  plo = await signIn(server.url, { email: w.users.plo.email, password: w.password });
  observer = await signIn(server.url, { email: w.users.admin.email, password: w.password });
  const cyclePage = `/programs/${w.programId}/cycles/${w.cycleId}`;
  expect((await plo.post(cyclePage, { intent: "add-event", kind: "drafting_workshop", occursOn: "2026-12-01", scope: "all" })).status).toBe(
    302,
  );
  eventId = new RegExp(`/cycles/${w.cycleId}/events/([\\w-]+)`).exec(await (await plo.get(cyclePage)).text())![1];
  expect((await lead.post(teamPage(), { intent: "comment", objectiveId: w.objectiveIds[0], body: "Is this measurable?" })).status).toBe(
    302,
  );
  commentId = /name="intent" value="resolve"\/><input type="hidden" name="id" value="([\w-]+)"/.exec(
    await (await lead.get(teamPage())).text(),
  )![1];
});
afterAll(async () => {
  await server?.stop();
});

const teamPage = () => `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}`;

interface State {
  cycle: string;
  audit: string;
}

/** The whole cycle (its export without the moment of export) and the audit log. */
async function observe(): Promise<State> {
  const exported = (await (await observer.get(`/programs/${w.programId}/cycles/${w.cycleId}/export.json`)).json()) as Record<
    string,
    unknown
  >;
  delete exported.exportedAt;
  return { cycle: JSON.stringify(exported), audit: await latestAuditEvents(observer) };
}

function check(response: FuzzResponse, before: State, after: State) {
  expect([302, 400, 403, 404, 409, 413], `answered ${response.status}`).toContain(response.status);
  if (response.status !== 302) {
    expect(after.cycle, "a refused form changed the cycle").toBe(before.cycle);
    expect(after.audit, "a refused form wrote to the audit log").toBe(before.audit);
  }
}

const asFields = (valid: Record<string, fc.Arbitrary<string>>) =>
  Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fieldValue(v)])) as Record<string, fc.Arbitrary<FieldValue>>;

const version = fc.constantFrom("1", "2", "3", "0", "-1", "1.5", "x", "");
const number = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom("3,5", "1 200", "1e99", "NaN", "", " 42 "));
const email = fc.constantFrom("", "nobody@example.com", "not-an-email", "MAX.MEMBER@example.com");
const day = fc.constantFrom("2026-12-01", "2027-01-15", "2026-02-30", "", "tomorrow", "2027-1-5", "0001-01-01");
const text = (max: number) => fc.string({ maxLength: max });

describe("fuzzing the drafting forms of a team's set", () => {
  it("answers every hostile objective, key result, comment and resolution below 500 and changes nothing it refuses", async () => {
    const objective = fc.constantFrom(...w.objectiveIds, "nope", "");
    const keyResult = fc.constantFrom(...w.keyResultIds, "nope", "");
    const valid = {
      intent: fc.constantFrom("add-objective", "save-objective", "objective-state", "add-kr", "save-kr", "comment", "resolve"),
      id: fc.constantFrom(...w.objectiveIds, ...w.keyResultIds, commentId, "nope"),
      objectiveId: objective,
      keyResultId: keyResult,
      version,
      title: fc.constantFrom("Ship orders faster", "Reduce picking errors", "A safer warehouse"),
      description: text(60),
      type: fc.constantFrom("committed", "aspirational", "learning", "urgent"),
      ownerEmail: email,
      parentIds: fc.constantFrom("", "nope", w.objectiveIds[1]),
      standaloneReason: text(40),
      state: fc.constantFrom(...OBJECTIVE_STATES, "done"),
      kind: fc.constantFrom("metric", "milestone", "percent"),
      startValue: number,
      targetValue: number,
      unit: text(10),
      direction: fc.constantFrom("increase", "decrease", "up"),
      weight: fc.constantFrom("1", "0", "2.5", "101", "-1", "x"),
      body: text(80),
    };
    const statuses = await fuzzForm({
      client: lead,
      path: teamPage(),
      fields: asFields(valid),
      validFields: valid,
      examples: [
        { intent: "add-kr", objectiveId: w.objectiveIds[0], title: "Returns processed", kind: "metric", startValue: "1", targetValue: "9" },
        { intent: "resolve", id: commentId },
      ],
      numRuns: RUNS * 2,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    expect(statuses.get(302), "some forms were saved").toBeGreaterThan(0);
  });

  it("answers every hostile company or unit objective below 500", async () => {
    const valid = {
      intent: fc.constantFrom("add-objective", "save-objective", "comment"),
      level: fc.constantFrom("company", "unit", "team", ""),
      unitId: fc.constantFrom(w.unitId, "", "nope"),
      title: fc.constantFrom("Grow the business", "Happier customers"),
      type: fc.constantFrom("committed", "aspirational"),
      ownerEmail: email,
      version,
      id: fc.constantFrom("nope", w.objectiveIds[0]),
      body: text(40),
    };
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/cycles/${w.cycleId}/objectives`,
      fields: asFields(valid),
      validFields: valid,
      numRuns: RUNS,
      observe,
      check,
    });
  });
});

describe("fuzzing the cycle's calendar and settings", () => {
  const eventFields = {
    kind: fc.constantFrom(...CYCLE_EVENT_KINDS, "party"),
    title: text(40),
    occursOn: day,
    startsAt: fc.constantFrom("", "09:30", "24:00", "9:5", "noon"),
    durationMinutes: fc.constantFrom("", "60", "4", "601", "x"),
    scope: fc.constantFrom(...CYCLE_EVENT_SCOPES, "galaxy"),
    waveId: fc.constantFrom("", "nope"),
    unitId: fc.constantFrom("", "nope"),
    facilitatorEmail: email,
    location: text(40),
    notes: text(60),
  };

  it("answers every hostile new or edited event below 500 and changes nothing it refuses", async () => {
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/cycles/${w.cycleId}`,
      fields: asFields({ intent: fc.constantFrom("add-event", "x"), ...eventFields }),
      validFields: { intent: fc.constant("add-event"), ...eventFields },
      numRuns: RUNS,
      observe,
      check,
    });
    const statuses = await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/cycles/${w.cycleId}/events/${eventId}`,
      fields: asFields({ intent: fc.constantFrom("save", "x"), version, ...eventFields }),
      validFields: { intent: fc.constant("save"), version: fc.constantFrom("1", "2", "3"), ...eventFields },
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some events were refused").toBeGreaterThan(0);
  });

  it("answers every hostile cycle setting, state and new cycle below 500", async () => {
    const cycleFields = {
      name: fc.constantFrom("2026-Q4", "Q4", ""),
      startsOn: day,
      endsOn: fc.constantFrom("2027-02-28", "2026-11-01", "2028-12-31", "x"),
      checkinCadenceDays: fc.constantFrom("14", "0", "91", "7.5", ""),
      maxObjectives: fc.constantFrom("3", "0", "11", "x"),
    };
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/cycles/${w.cycleId}`,
      fields: asFields({ intent: fc.constantFrom("save", "state"), version, state: fc.constantFrom(...CYCLE_STATES, "x"), ...cycleFields }),
      validFields: {
        intent: fc.constant("save"),
        version: fc.constantFrom("1", "2"),
        state: fc.constantFrom("executing", "reviewing"),
        ...cycleFields,
      },
      // Never close the cycle here: the import fuzzing below imports into it.
      where: (fields) => firstValue(fields.state) !== "closed",
      numRuns: RUNS,
      observe,
      check,
    });
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/cycles/new`,
      fields: asFields({ ...cycleFields, template: fc.constantFrom("on", "") }),
      validFields: { ...cycleFields, name: fc.constantFrom("2028-Q1", "2028-Q2"), template: fc.constantFrom("on", "") },
      numRuns: RUNS,
      observe: async () => ({ cycle: "", audit: await latestAuditEvents(observer) }),
      check,
    });
  });
});

describe("fuzzing the cycle import", () => {
  it("answers every hostile upload and commit below 500, and only a real commit imports", async () => {
    const path = `/programs/${w.programId}/cycles/${w.cycleId}/import`;
    const cell = fc.oneof(
      { arbitrary: hostileString(), weight: 1 },
      { arbitrary: fc.constantFrom("Warehouse", "Transport", "Ship orders faster", "=1+1", "@SUM(A1)", "metric", "5"), weight: 3 },
    );
    const file = fc
      .tuple(
        fc.constantFrom("team,objective,key_result,kind,start,target", "team;objective;key_result", "name,email", ""),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 5 }),
        fc.constantFrom("okrs.csv", "", "../../etc/passwd", "a\u0000.csv"),
      )
      .map(([header, rows, filename]) => ({
        file: [header, ...rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(","))].join("\n"),
        filename,
      }));
    const staged = await plo.post(
      path,
      (() => {
        const form = new FormData();
        form.append("intent", "upload");
        form.append("kind", "okrs");
        form.append("file", new Blob(["team,objective,key_result\nWarehouse,Imported by the fuzzer,One"]), "ok.csv");
        return form;
      })(),
    );
    const importId = /\?id=([\w-]+)$/.exec(staged.headers.get("location") ?? "")![1];
    const valid: Record<string, fc.Arbitrary<FieldValue>> = {
      intent: fc.constantFrom("upload", "commit"),
      kind: fc.constantFrom("okrs", "checkins"),
      file,
      importId: fc.constantFrom(importId, "nope", ""),
    };
    const statuses = await fuzzForm({
      client: plo,
      path,
      fields: {
        intent: fieldValue(fc.constantFrom("upload", "commit", "delete")),
        kind: fieldValue(fc.constantFrom("okrs", "checkins", "people")),
        file: fc.oneof(file, fieldValue()),
        importId: fieldValue(fc.constantFrom(importId, "nope")),
      },
      validFields: valid,
      examples: [{ intent: "commit", importId }],
      numRuns: RUNS,
      observe,
      check: (response, before, after) => {
        check(response, before, after);
        // Staging a file changes nothing yet; only the commit of the one good upload imports.
        const committed = response.status === 302 && firstValue(response.form.fields.intent) === "commit";
        if (!committed) expect(after.cycle, "an upload changed the cycle").toBe(before.cycle);
      },
    });
    expect(statuses.get(302), "some uploads were staged").toBeGreaterThan(0);
    const team = await (await plo.get(teamPage())).text();
    expect(team).toContain("Imported by the fuzzer");
  });
});
