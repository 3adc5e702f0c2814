import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldValue, fuzzForm, type FieldValue } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { signIn } from "../support/http-fixtures";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Hostile input to every form of process health, graduation and the waves' lifecycle: the server
// answers below 500 every time, and a refused form changes nothing.

const RUNS = 25;

let server: RunningServer;
let w: GraduationWorld;
let plo: HttpClient;

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => graduationWorld(db)));
  plo = await signIn(server.url, { email: w.users.plo.email, password: w.password });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

function form(valid: Record<string, fc.Arbitrary<string>>, lists: Record<string, fc.Arbitrary<FieldValue>> = {}) {
  return {
    fields: {
      ...Object.fromEntries(Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(arbitrary)])),
      ...Object.fromEntries(Object.entries(lists).map(([key, arbitrary]) => [key, fc.oneof(fieldValue(), arbitrary)])),
    },
    validFields: { ...valid, ...lists } as Record<string, fc.Arbitrary<FieldValue>>,
  };
}

/** What the pages show of the program's statuses, decisions and rules (and the audit trail's length). */
async function state(): Promise<string> {
  const [graduation, teams] = await Promise.all([
    plo.get(`/programs/${w.programId}/graduation`).then((r) => r.text()),
    plo.get(`/programs/${w.programId}/teams.csv`).then((r) => r.text()),
  ]);
  const proposals = [...graduation.matchAll(/name="proposal" value="([^"]+)"/g)].map((m) => m[1]).sort();
  const rules = /Rules for self-sufficiency[\s\S]*?<\/ul>/.exec(graduation)?.[0] ?? "";
  return JSON.stringify({ proposals, rules, teams });
}

function expectStatus(status: number, allowed: number[], body: string) {
  expect(allowed, `answered ${status}: ${body.slice(0, 300)}`).toContain(status);
}

// 25 runs of five requests each (the form and the state read before and after): a generous
// limit on a busy machine, not a speed assertion (a test cut short would keep posting into the next).
describe("hostile forms", { timeout: 180_000 }, () => {
  it("graduation decisions: refused ones change nothing; accepted ones redirect", async () => {
    const proposalKeys = [
      ...(await plo.get(`/programs/${w.programId}/graduation`).then((r) => r.text())).matchAll(/name="proposal" value="([^"]+)"/g),
    ].map((m) => m[1]);
    const statuses = await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/graduation`,
      ...form(
        { intent: fc.constant("decide"), decision: fc.constantFrom("confirm", "reject"), reason: fc.string({ maxLength: 80 }) },
        { proposal: fc.oneof(fc.constantFrom(...proposalKeys), fc.array(fc.constantFrom(...proposalKeys), { maxLength: 3 })) },
      ),
      numRuns: RUNS,
      observe: state,
      check: (response, before, after) => {
        expectStatus(response.status, [302, 400], response.body);
        if (response.status !== 302) expect(after, "a refused decision changed something").toBe(before);
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("graduation rules: refused ones change nothing", async () => {
    const digits = (max: number) => fc.integer({ min: 0, max }).map(String);
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/graduation`,
      ...form({
        intent: fc.constant("rules"),
        consecutiveCycles: digits(9),
        minWindowsPercent: digits(130),
        requireScored: fc.constantFrom("on", ""),
        requireTeamRetro: fc.constantFrom("on", ""),
        minMaturity: fc.oneof(digits(6), fc.constant("")),
        requireTraining: fc.constantFrom("on", ""),
      }),
      numRuns: RUNS,
      observe: state,
      check: (response, before, after) => {
        expectStatus(response.status, [302, 400], response.body);
        if (response.status !== 302) expect(after).toBe(before);
      },
    });
  });

  it("health actions (clinic, coach) and a wave's lifecycle answer below 500", async () => {
    const health = await plo.get(`/programs/${w.programId}/health`).then((r) => r.text());
    const unitId = /name="unitId" value="([^"]+)"/.exec(health)?.[1] ?? w.unitId;
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/health`,
      ...form({
        intent: fc.constantFrom("clinic", "assign"),
        cycleId: fc.constantFrom(w.cycleId, w.endedCycleIds[0], "nope"),
        unitId: fc.constantFrom(unitId, "nope"),
        occursOn: fc.constantFrom("2027-01-15", "2027-02-30", "15.01.2027"),
        coachId: fc.constantFrom(w.coachId, "nope"),
        teamId: fc.constantFrom(w.teams.delta, "nope"),
        kind: fc.constantFrom("primary", "tertiary"),
        startsOn: fc.constantFrom("2026-12-01", "never"),
      }),
      numRuns: RUNS,
      check: (response) => expectStatus(response.status, [302, 400, 404], response.body),
    });
    await fuzzForm({
      client: plo,
      path: `/programs/${w.programId}/waves/${w.waveId}`,
      ...form({
        intent: fc.constantFrom("state", "add-exit", "tick-exit", "untick-exit", "remove-exit"),
        to: fc.constantFrom("planned", "starting", "active", "closing", "closed", "opened"),
        kind: fc.constantFrom("manual", "first_cycle_scored", "graduated_running", "other"),
        label: fc.string({ maxLength: 40 }),
        threshold: fc.oneof(fc.integer({ min: -5, max: 150 }).map(String), fc.constant("")),
        exitCriterionId: fc.constantFrom("nope", ""),
      }),
      numRuns: RUNS,
      check: (response) => expectStatus(response.status, [302, 400], response.body),
    });
  });
});
