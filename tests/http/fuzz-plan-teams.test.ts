import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ONBOARDING_STATUSES } from "../../db/schema";
import { expectRowsUnchanged, fieldValue, fuzzForm, type FieldValue, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, setUpInstallation, tableRows } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createWave, importOrg, planTeams, teamRows, unitIds } from "./authz-rows/plan-teams";

// Hostile input to every form of the rollout plan's waves and team pipeline: the server answers
// below 500 every time, and nothing but the form's own target changes.

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;
let programId: string;
let targetUnit: string;
let targetTeams: Map<string, string>;
let bystanderProgram: string;

const validDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2026-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validName = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Wave ${s}`);

/** Each field fuzzed around its well-formed values, and those values as the baseline. */
function form(valid: Record<string, fc.Arbitrary<string>>, lists: Record<string, fc.Arbitrary<FieldValue>> = {}) {
  return {
    fields: {
      ...Object.fromEntries(Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(arbitrary)])),
      ...Object.fromEntries(Object.entries(lists).map(([key, arbitrary]) => [key, fc.oneof(fieldValue(), arbitrary)])),
    },
    validFields: { ...valid, ...lists } as Record<string, fc.Arbitrary<FieldValue>>,
  };
}

/** Shows (and so clears) a pending toast, so the next page read is the page alone. */
async function clearToast() {
  await (await admin.get(`/programs/${programId}/waves`)).arrayBuffer();
}

function expectStatus(response: FuzzResponse, allowed: number[]) {
  expect(allowed, `answered ${response.status} (${response.location ?? "no redirect"}): ${response.body.slice(0, 300)}`).toContain(
    response.status,
  );
}

/** The waves list: wave id → its table row (without which move buttons are disabled: a new wave enables its predecessor's "down"). */
async function waveRows(program = programId): Promise<Map<string, string>> {
  const response = await admin.get(`/programs/${program}/waves`);
  expect(response.status).toBe(200);
  const rows = tableRows(await response.text(), `/programs/${program}/waves/`);
  return new Map([...rows].map(([id, row]) => [id, row.replace(/ disabled=""/g, "")]));
}

/** The team list's CSV of the program: team name → line (unit, lead, wave, status, date). */
async function teamLines(program = programId): Promise<Map<string, string>> {
  const response = await admin.get(`/programs/${program}/teams.csv`);
  expect(response.status).toBe(200);
  const lines = (await response.text()).trim().split(/\r?\n/).slice(1);
  return new Map(lines.map((line) => [line.split(",")[0], line]));
}

/** Everything of the program a wave form could touch, besides the wave itself. */
async function planState(exceptWave: string) {
  const waves = await waveRows();
  waves.delete(exceptWave);
  return { waves, teams: await teamLines(), elsewhere: await waveRows(bystanderProgram) };
}

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed plan" });
  bystanderProgram = await createProgram(admin, { name: "Bystander plan" });
  await createWave(admin, bystanderProgram, { name: "Bystander wave" });
  await importOrg(admin, [...teamRows("Fuzz Co / Target", "Target", 4), ...teamRows("Fuzz Co / Bystanders", "Bystander", 3)]);
  targetUnit = (await unitIds(admin, programId)).get("Target")!;
  targetTeams = new Map([...(await planTeams(admin, programId, `?unit=${targetUnit}`))].map(([name, t]) => [name, t.id]));
  expect(targetTeams.size).toBe(4);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("waves", () => {
  it("creating waves from hostile forms adds at most the wave redirected to", async () => {
    await createWave(admin, programId, { name: "Existing wave" });
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/waves`,
      ...form({
        intent: fc.constant("create"),
        name: fc.oneof(validName, fc.constant("existing WAVE")),
        startsOn: validDate,
        endsOn: validDate,
        goal: fc.string({ maxLength: 200 }),
      }),
      numRuns: RUNS,
      observe: waveRows,
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created =
          response.status === 302 ? new RegExp(`^/programs/${programId}/waves/([^/?]+)$`).exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectRowsUnchanged(before, after, { added: created ? [created] : [] });
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("editing a wave from hostile forms changes only that wave, and only on success", async () => {
    const waveId = await createWave(admin, programId, { name: "Edited wave" });
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/waves/${waveId}`,
      ...form({
        intent: fc.constant("update"),
        name: fc.oneof(validName, fc.constant("Existing wave")),
        startsOn: validDate,
        endsOn: validDate,
        goal: fc.string({ maxLength: 200 }),
      }),
      numRuns: RUNS,
      observe: () => planState(waveId),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expect(after).toEqual(before);
      },
    });
  });

  it("hostile criteria, move and delete forms touch nothing but their wave", async () => {
    const waveId = await createWave(admin, programId, { name: "Criteria wave" });
    const otherWave = await createWave(admin, programId, { name: "Other wave" });
    const criterionIds = async (id: string) =>
      [...(await (await admin.get(`/programs/${programId}/waves/${id}`)).text()).matchAll(/name="criterionId" value="([^"]+)"/g)].map(
        (m) => m[1],
      );
    const own = await criterionIds(waveId);
    const foreign = await criterionIds(otherWave);
    // The other wave's page without its scripts; moving changes its position (and which move buttons work).
    const otherPage = async () => {
      await clearToast();
      const html = await (await admin.get(`/programs/${programId}/waves/${otherWave}`)).text();
      return html
        .replace(/<script[\s\S]*?<\/script>/g, "")
        .replace(/Wave <!-- -->\d+<\/dd>/, "")
        .replace(/ disabled=""/g, "");
    };
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/waves/${waveId}`,
      ...form({
        intent: fc.constantFrom("tick", "untick", "remove-criterion", "add-criterion", "move", "delete"),
        criterionId: fc.constantFrom(...own, ...foreign),
        kind: fc.constantFrom("manual", "teams_have_lead", "teams_have_coach", "leads_trained"),
        label: fc.string({ maxLength: 80 }),
        direction: fc.constantFrom("up", "down"),
        confirm: fc.constantFrom("on", "", "off"),
      }),
      numRuns: 40,
      observe: async () => ({ teams: await teamLines(), other: await otherPage(), elsewhere: await waveRows(bystanderProgram) }),
      check: (response, before, after) => {
        // 404 once a fuzzed delete went through.
        expectStatus(response, [302, 400, 404]);
        expect(after.teams).toEqual(before.teams);
        expect(after.elsewhere).toEqual(before.elsewhere);
        expect(after.other).toBe(before.other);
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });
});

describe("the team pipeline", () => {
  it("hostile bulk forms change only the teams of the filtered unit, and only on success", async () => {
    const waveA = await createWave(admin, programId, { name: "Pipeline A" });
    const waveB = await createWave(admin, programId, { name: "Pipeline B" });
    const ids = [...targetTeams.values()];
    const statuses = await fuzzForm({
      client: admin,
      // "All matching" applies to the filters of the URL posted to: the target unit only.
      path: `/programs/${programId}/teams?unit=${targetUnit}&sort=status`,
      ...form(
        {
          intent: fc.constantFrom("assign", "status", "assign-unit", "undo"),
          confirmed: fc.constantFrom("yes", ""),
          auditId: fc.oneof(fc.constant("1"), fc.string({ maxLength: 12 })),
          waveId: fc.constantFrom(waveA, waveB, "none"),
          status: fc.constantFrom(...ONBOARDING_STATUSES),
          changedOn: validDate,
          allMatching: fc.constantFrom("on", ""),
          unitId: fc.constant(targetUnit),
        },
        { teamId: fc.oneof(fc.constantFrom(...ids), fc.subarray(ids, { minLength: 1 })) },
      ),
      numRuns: 50,
      observe: () => teamLines(),
      check: (response, before, after) => {
        // 200: the confirmation step before teams under way leave their wave (nothing changed yet);
        // an undo of an unknown change is a 404, of someone else's or an old one 403/409.
        expectStatus(response, [200, 302, 400, 403, 404, 409]);
        expectRowsUnchanged(before, after, { changed: response.status === 302 ? [...targetTeams.keys()] : [] });
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("a hostile query string on the team list and its CSV export is never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          q: fc.string({ maxLength: 60 }),
          wave: fc.oneof(fc.constant("none"), fc.string({ maxLength: 60 })),
          status: fc.oneof(fc.constantFrom(...ONBOARDING_STATUSES), fc.string({ maxLength: 20 })),
          unit: fc.oneof(fc.constant(targetUnit), fc.string({ maxLength: 60 })),
          lead: fc.constantFrom("yes", "no", "maybe", ""),
          sort: fc.constantFrom("team", "unit", "wave", "status", "changed", "nope", "t.id; drop table teams"),
          dir: fc.constantFrom("asc", "desc", "sideways"),
          page: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }).map(String), fc.string({ maxLength: 10 })),
          size: fc.constantFrom("25", "200", "0", "100000", "x"),
        }),
        async (query) => {
          const search = new URLSearchParams(query).toString();
          for (const path of [`/programs/${programId}/teams?${search}`, `/programs/${programId}/teams.csv?${search}`]) {
            const response = await admin.get(path);
            await response.arrayBuffer();
            expect(response.status, path).toBe(200);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
