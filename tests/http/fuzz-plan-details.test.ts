import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTITUDES, LEVELS, MILESTONE_STATUSES, RISK_STATUSES } from "../../db/schema";
import { expectRowsUnchanged, fieldValue, firstValue, fuzzForm, type FieldValue, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, latestAuditEvents, setUpInstallation } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createMilestone, createPerson, createRisk, createStakeholder } from "./authz-rows/plan-details";
import { createWave } from "./authz-rows/plan-teams";

// Hostile input to every action of milestones, stakeholders and risks: the server answers below
// 500 every time (a 400 with messages, a 404, or the action's success), and nothing but the
// form's own target changes — a refused form changes nothing at all, not even the audit log.

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;
let programId: string;
let waveId: string;
let people: string[];

const validTitle = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Title ${s}`);
const validDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const optionalDate = fc.oneof(validDate, fc.constant(""));
const text = fc.string({ maxLength: 60 });
const level15 = fc.integer({ min: 1, max: 5 }).map(String);
const badLevel = fc.constantFrom("0", "6", "2.5", "-1", " 3");
const ownerEmail = () => fc.constantFrom(...people, people[0].toUpperCase(), "");
const badEmail = fc.constantFrom("nobody@example.com", "not an email");
const wave = () => fc.constantFrom(waveId, "");
const badWave = fc.constantFrom("none", "00000000-0000-4000-8000-000000000000");
/** A deletion's confirmation box: never ticked while fuzzing (the test deletes once, at the end). */
const unticked = fc.constantFrom("", "off", "yes", "true");
/** Leaves out the (unlikely) random form that ticks the box after all. */
const neverConfirmed = (fields: Record<string, FieldValue>) => firstValue(fields.confirm) !== "on";

/**
 * Each field fuzzed around its well-formed values (plus `plausible` wrong ones: an unknown email,
 * a likelihood of 6…), and the well-formed values as the baseline.
 */
function form(valid: Record<string, fc.Arbitrary<string>>, plausible: Record<string, fc.Arbitrary<string>> = {}) {
  return {
    fields: Object.fromEntries(
      Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(plausible[key] ? fc.oneof(arbitrary, plausible[key]) : arbitrary)]),
    ),
    validFields: valid,
  };
}

/** id → table row of a list page (the rows linking to `/programs/<id>/<kind>/<itemId>`). */
async function listRows(kind: "milestones" | "stakeholders" | "risks"): Promise<Map<string, string>> {
  const response = await admin.get(`/programs/${programId}/${kind}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const rows = new Map<string, string>();
  const link = new RegExp(`href="/programs/${programId}/${kind}/([0-9a-f-]{36})"`);
  for (const body of html.match(/<tbody>[\s\S]*?<\/tbody>/g) ?? []) {
    for (const row of body.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
      const id = link.exec(row)?.[1];
      if (id) rows.set(id, row);
    }
  }
  return rows;
}

interface State {
  rows: Map<string, string>;
  audit: string;
}

const observe = (kind: "milestones" | "stakeholders" | "risks") => async (): Promise<State> => ({
  rows: await listRows(kind),
  audit: await latestAuditEvents(admin),
});

/** Creation: a 302 adds exactly one row; a 400 changes nothing, the audit log included. */
function checkCreate(response: FuzzResponse, before: State, after: State) {
  expect([302, 400], `answered ${response.status}`).toContain(response.status);
  expectRowsUnchanged(before.rows, after.rows, { added: response.status === 302 ? 1 : 0 });
  if (response.status !== 302) expect(after.audit, "a refused form wrote to the audit log").toBe(before.audit);
}

/** Edits of one item: only that item's row may change, and only on success. */
function checkEdit(target: string) {
  return (response: FuzzResponse, before: State, after: State) => {
    expect([302, 400], `answered ${response.status}`).toContain(response.status);
    expectRowsUnchanged(before.rows, after.rows, { changed: response.status === 302 ? [target] : [] });
    if (response.status !== 302) expect(after.audit, "a refused form wrote to the audit log").toBe(before.audit);
  };
}

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed plan", startsOn: "2026-10-01", endsOn: "2027-09-30", status: "active" });
  waveId = await createWave(admin, programId, { name: "Fuzz wave" });
  people = [];
  for (let i = 0; i < 4; i++) people.push((await createPerson(admin, { name: `Fuzz Person ${i}` })).email);
});
afterAll(async () => {
  await server?.stop();
});

describe("milestones", () => {
  const fields = () =>
    form(
      {
        intent: fc.constantFrom("create"),
        title: validTitle,
        dueOn: validDate,
        status: fc.constantFrom(...MILESTONE_STATUSES),
        doneOn: fc.constant(""),
        ownerEmail: ownerEmail(),
        waveId: wave(),
        notes: text,
      },
      {
        dueOn: fc.constantFrom("2026-02-30", "31/12/2026", ""),
        status: fc.constantFrom("late", "DONE"),
        doneOn: validDate,
        ownerEmail: badEmail,
        waveId: badWave,
      },
    );

  it("creating from hostile forms adds at most the one milestone, and only on success", async () => {
    await createMilestone(admin, programId, { title: "Bystander milestone" });
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/milestones`,
      ...fields(),
      numRuns: RUNS,
      observe: observe("milestones"),
      check: checkCreate,
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("saving, marking done and (unconfirmed) deleting change only the milestone itself", async () => {
    const target = await createMilestone(admin, programId, { title: "Fuzz target milestone" });
    const { fields: f, validFields } = fields();
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/milestones/${target}`,
      fields: { ...f, intent: fieldValue(fc.constantFrom("save", "done", "delete", "bogus")), confirm: fieldValue(unticked) },
      validFields: { ...validFields, intent: fc.constantFrom("save", "done", "delete"), confirm: unticked },
      where: neverConfirmed,
      numRuns: RUNS,
      observe: observe("milestones"),
      check: checkEdit(target),
    });
    const before = await listRows("milestones");
    expect((await admin.post(`/programs/${programId}/milestones/${target}`, { intent: "delete", confirm: "on" })).status).toBe(302);
    expectRowsUnchanged(new Map([...before].filter(([id]) => id !== target)), await listRows("milestones"));
  });
});

describe("stakeholders", () => {
  const fields = () =>
    form(
      {
        intent: fc.constantFrom("create"),
        personEmail: fc.constantFrom(...people, people[1].toUpperCase()),
        influence: fc.constantFrom(...LEVELS),
        interest: fc.constantFrom(...LEVELS),
        attitude: fc.constantFrom(...ATTITUDES),
        communicationPlan: text,
        contactEveryDays: fc.integer({ min: 1, max: 365 }).map(String),
        lastContactOn: optionalDate,
      },
      { personEmail: badEmail, influence: fc.constantFrom("medium", "HIGH"), contactEveryDays: fc.constantFrom("0", "366", "1.5", "-3") },
    );

  it("adding from hostile forms adds at most the one stakeholder (never a person twice), and only on success", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/stakeholders`,
      ...fields(),
      numRuns: RUNS,
      observe: observe("stakeholders"),
      check: checkCreate,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    // Four people: at most four stakeholders, whatever was posted.
    expect((await listRows("stakeholders")).size).toBeLessThanOrEqual(people.length);
  });

  it("saving, contacted today and (unconfirmed) removing change only the stakeholder itself", async () => {
    const person = await createPerson(admin, { name: "Fuzz Target Stakeholder" });
    const target = await createStakeholder(admin, programId, { personEmail: person.email }, "Fuzz Target Stakeholder");
    const { fields: f, validFields } = fields();
    const personEmail = fc.constantFrom(person.email, ...people);
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/stakeholders/${target}`,
      fields: {
        ...f,
        personEmail: fieldValue(personEmail),
        intent: fieldValue(fc.constantFrom("save", "contacted", "remove", "bogus")),
        confirm: fieldValue(unticked),
        returnTo: fieldValue(fc.constantFrom("list", "")),
      },
      validFields: {
        ...validFields,
        personEmail,
        intent: fc.constantFrom("save", "contacted", "remove"),
        confirm: unticked,
        returnTo: fc.constantFrom("list", ""),
      },
      where: neverConfirmed,
      numRuns: RUNS,
      observe: observe("stakeholders"),
      check: checkEdit(target),
    });
  });
});

describe("risks", () => {
  const fields = () =>
    form(
      {
        intent: fc.constantFrom("create"),
        title: validTitle,
        description: text,
        likelihood: level15,
        impact: level15,
        ownerEmail: ownerEmail(),
        mitigation: text,
        status: fc.constantFrom(...RISK_STATUSES),
        waveId: wave(),
        unitId: fc.constant(""),
      },
      { likelihood: badLevel, impact: badLevel, ownerEmail: badEmail, waveId: badWave, unitId: fc.constantFrom("no-such-unit") },
    );

  it("logging from hostile forms adds at most the one risk, and only on success", async () => {
    await createRisk(admin, programId, { title: "Bystander risk" });
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/risks`,
      ...fields(),
      numRuns: RUNS,
      observe: observe("risks"),
      check: checkCreate,
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("saving, closing and (unconfirmed) deleting change only the risk itself", async () => {
    const target = await createRisk(admin, programId, { title: "Fuzz target risk" });
    const { fields: f, validFields } = fields();
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/risks/${target}`,
      fields: { ...f, intent: fieldValue(fc.constantFrom("save", "close", "delete", "bogus")), confirm: fieldValue(unticked) },
      validFields: { ...validFields, intent: fc.constantFrom("save", "close", "delete"), confirm: unticked },
      where: neverConfirmed,
      numRuns: RUNS,
      observe: observe("risks"),
      check: checkEdit(target),
    });
  });
});
