import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES, DUE_RULES, REQUIREMENT_SCOPES } from "../../db/schema";
import { fieldValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, latestAuditEvents, setUpInstallation } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createPerson } from "./authz-rows/plan-details";
import { createWave } from "./authz-rows/plan-teams";
import { createTrainingModule } from "./authz-rows/enablement";

// Hostile input to enablement's forms (requirements, scheduling, completions by hand): every
// answer is below 500 — a 302 or a 400 with messages — and a refused form changes nothing, not
// even the audit log.

const RUNS = 25;

let server: RunningServer;
let admin: HttpClient;
let programId: string;
let waveId: string;
let moduleId: string;
let email: string;

function form(valid: Record<string, fc.Arbitrary<string>>, plausible: Record<string, fc.Arbitrary<string>> = {}) {
  return {
    fields: Object.fromEntries(
      Object.entries(valid).map(([key, a]) => [key, fieldValue(plausible[key] ? fc.oneof(a, plausible[key]) : a)]),
    ),
    validFields: valid,
  };
}

async function check(response: FuzzResponse, before: string, after: string) {
  expect([302, 400], `answered ${response.status}`).toContain(response.status);
  if (response.status !== 302) expect(after, "a refused form wrote to the audit log").toBe(before);
}

const observe = () => latestAuditEvents(admin);
const day = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed enablement", status: "active" });
  waveId = await createWave(admin, programId, { name: "Fuzz wave" });
  moduleId = await createTrainingModule(admin, programId, { title: "Fuzz module" });
  email = (await createPerson(admin, { name: "Fuzz Learner" })).email;
});
afterAll(async () => {
  await server?.stop();
});

describe("enablement forms", () => {
  it("requirements: hostile forms answer 302 or 400, and a refusal changes nothing", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/enablement/requirements`,
      ...form(
        {
          intent: fc.constant("create"),
          moduleId: fc.constant(moduleId),
          audience: fc.constantFrom(...AUDIENCES),
          scope: fc.constantFrom(...REQUIREMENT_SCOPES),
          waveId: fc.constant(waveId),
          unitId: fc.constant(""),
          necessity: fc.constantFrom("required", "recommended"),
          dueRule: fc.constantFrom(...DUE_RULES),
          dueDays: fc.integer({ min: 0, max: 90 }).map(String),
          dueOn: day,
        },
        {
          moduleId: fc.constantFrom("no-such-module", ""),
          waveId: fc.constantFrom("no-such-wave"),
          dueDays: fc.constantFrom("-1", "1.5", "x"),
        },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("scheduling: hostile forms answer 302 or 400, and a refusal changes nothing", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/enablement/sessions`,
      ...form(
        {
          intent: fc.constant("schedule"),
          moduleId: fc.constant(moduleId),
          date: day,
          time: fc.constantFrom("09:00", "23:59", "00:00"),
          timeZone: fc.constantFrom("Europe/Berlin", "UTC", "America/New_York"),
          durationMinutes: fc.integer({ min: 5, max: 600 }).map(String),
          location: fc.string({ maxLength: 40 }),
          url: fc.constantFrom("", "https://meet.example.com/a"),
          trainerEmail: fc.constant(""),
          capacity: fc.integer({ min: 1, max: 100 }).map(String),
          state: fc.constantFrom("open", "planned"),
        },
        {
          timeZone: fc.constantFrom("Mars/Base", "../../etc"),
          time: fc.constantFrom("24:00", "9:00"),
          url: fc.constantFrom("javascript:alert(1)"),
          trainerEmail: fc.constantFrom("nobody@example.com"),
        },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("completions by hand: hostile forms answer 302 or 400, and a refusal changes nothing", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/enablement/records`,
      ...form(
        {
          intent: fc.constant("completion"),
          email: fc.constant(email),
          moduleId: fc.constant(moduleId),
          completedOn: day,
          evidence: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Evidence ${s}`),
        },
        { email: fc.constantFrom("nobody@example.com", ""), moduleId: fc.constantFrom("x") },
      ),
      numRuns: RUNS,
      observe,
      check,
    });
  });
});
