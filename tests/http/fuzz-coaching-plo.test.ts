import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRowsUnchanged, fieldValue, fuzzForm, type FieldValue, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, setUpInstallation, tableRows } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createCoach, createPerson } from "./authz-rows/coaching-plo";
import { createWave, importOrg, planTeams, teamRows } from "./authz-rows/plan-teams";

// Hostile input to every form of the PLO's coaching pages: the server answers below 500 every
// time, and nothing but the form's own target changes (other coaches, other teams' coaches,
// another program's coaches stay byte for byte as they were).

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;
let programId: string;
let bystanderProgram: string;
let targetTeams: string[];
let bystanderTeams: string[];
let target: string;
let bystander: string;
let freshEmails: string[];
let coachEmails: string[];

const day = (offset: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const validDate = fc.integer({ min: -400, max: 400 }).map(day);

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

function expectStatus(response: FuzzResponse, allowed: number[]) {
  expect(allowed, `answered ${response.status} (${response.location ?? "no redirect"}): ${response.body.slice(0, 300)}`).toContain(
    response.status,
  );
}

async function html(path: string): Promise<string> {
  const response = await admin.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  return response.text();
}

/** Coach id → row of the program's coach list (every coach, active or not). */
const coachRows = async (program = programId) =>
  tableRows(await html(`/programs/${program}/coaches?status=all&size=200`), `/programs/${program}/coaches/`);
/** Team id → row of the assignment list (the team's wave and current coaches). */
const teamRowsOf = async () => tableRows(await html(`/programs/${programId}/assignments?size=200`), `/programs/${programId}/teams/`);
/** The coach's page without scripts (ids of its assignments are in its forms). */
const assignmentIds = async (coachId: string) =>
  [...(await html(`/programs/${programId}/coaches/${coachId}`)).matchAll(/name="assignmentId" value="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Fuzzed coaching" });
  bystanderProgram = await createProgram(admin, { name: "Bystander coaching" });
  await importOrg(admin, [...teamRows("Fuzz Coaching / Target", "Target", 4), ...teamRows("Fuzz Coaching / Bystanders", "Bystander", 3)]);
  const teams = await planTeams(admin, programId, "?q=Target");
  targetTeams = [...teams.entries()].filter(([name]) => name.startsWith("Target")).map(([, t]) => t.id);
  bystanderTeams = [...(await planTeams(admin, programId, "?q=Bystander")).entries()]
    .filter(([name]) => name.startsWith("Bystander"))
    .map(([, t]) => t.id);
  expect(targetTeams).toHaveLength(4);
  expect(bystanderTeams).toHaveLength(3);
  const wave = await createWave(admin, programId, { name: "Fuzz wave", startsOn: day(-20), endsOn: day(60) });
  const assignWave = new URLSearchParams({ intent: "assign", waveId: wave });
  for (const id of [...targetTeams, ...bystanderTeams]) assignWave.append("teamId", id);
  expect((await admin.post(`/programs/${programId}/teams`, assignWave)).status).toBe(302);

  const targetPerson = await createPerson(admin, { name: "Target Coach" });
  const bystanderPerson = await createPerson(admin, { name: "Bystander Coach" });
  target = await createCoach(admin, programId, { personEmail: targetPerson.email, capacity: "4" });
  bystander = await createCoach(admin, programId, { personEmail: bystanderPerson.email, capacity: "3" });
  await createCoach(admin, bystanderProgram, { personEmail: bystanderPerson.email, capacity: "2" });
  coachEmails = [targetPerson.email, bystanderPerson.email];
  freshEmails = [];
  for (let i = 0; i < 8; i++) freshEmails.push((await createPerson(admin, { name: `Candidate ${i}` })).email);

  const assign = (coachId: string, teamIds: string[], kind = "primary") => {
    const body = new URLSearchParams({ intent: "assign", coachId, kind, startsOn: day(-10), endsOn: "" });
    for (const id of teamIds) body.append("teamId", id);
    return admin.post(`/programs/${programId}/assignments`, body);
  };
  expect((await assign(bystander, bystanderTeams)).status).toBe(302);
  expect((await assign(target, targetTeams.slice(0, 2))).status).toBe(302);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("coaches", () => {
  it("adding coaches from hostile forms adds at most the coach redirected to, and changes no other coach", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/coaches`,
      ...form({
        intent: fc.constant("create"),
        personEmail: fc.oneof(
          fc.constantFrom(...freshEmails, ...coachEmails),
          fc.constant("nobody@example.com"),
          fc.constantFrom(...freshEmails).map((e) => e.toUpperCase()),
        ),
        capacity: fc.integer({ min: -2, max: 60 }).map(String),
        focus: fc.string({ maxLength: 80 }),
      }),
      numRuns: RUNS,
      observe: async () => ({ here: await coachRows(), elsewhere: await coachRows(bystanderProgram) }),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created =
          response.status === 302 ? new RegExp(`^/programs/${programId}/coaches/([^/?]+)$`).exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectRowsUnchanged(before.here, after.here, { added: created ? [created] : [] });
        expectRowsUnchanged(before.elsewhere, after.elsewhere);
      },
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("hostile forms on a coach's page change only that coach and the target teams' coaches", async () => {
    const own = await assignmentIds(target);
    const foreign = await assignmentIds(bystander);
    expect(own.length).toBeGreaterThan(0);
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/coaches/${target}`,
      ...form({
        intent: fc.constantFrom("update", "deactivate", "reactivate", "end", "assign", "delete"),
        capacity: fc.integer({ min: -2, max: 60 }).map(String),
        focus: fc.string({ maxLength: 80 }),
        assignmentId: fc.constantFrom(...own, ...foreign),
        endsOn: validDate,
        teamId: fc.constantFrom(...targetTeams),
        kind: fc.constantFrom("primary", "secondary"),
        startsOn: validDate,
        coachId: fc.constantFrom(bystander, target),
      }),
      numRuns: 40,
      observe: async () => {
        const coaches = await coachRows();
        coaches.delete(target);
        const teams = await teamRowsOf();
        for (const id of targetTeams) teams.delete(id);
        return { coaches, teams, elsewhere: await coachRows(bystanderProgram) };
      },
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectRowsUnchanged(before.coaches, after.coaches);
        expectRowsUnchanged(before.teams, after.teams);
        expectRowsUnchanged(before.elsewhere, after.elsewhere);
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    // Leave the target coach active for the next tests.
    await admin.post(`/programs/${programId}/coaches/${target}`, { intent: "reactivate" });
    expect((await coachRows()).get(target), "the target coach is active again").not.toContain("Deactivated");
  });
});

describe("assignments", () => {
  for (const page of ["assignments", "coverage"] as const) {
    it(`hostile assignment forms on the ${page} page change only the selected target teams`, async () => {
      const statuses = await fuzzForm({
        client: admin,
        path: `/programs/${programId}/${page}`,
        ...form(
          {
            intent: fc.constantFrom("assign", "assign", "assign", "unassign"),
            coachId: fc.constantFrom(target, target, target, "00000000-0000-4000-8000-000000000000"),
            kind: fc.constantFrom("primary", "secondary"),
            startsOn: validDate,
            endsOn: fc.oneof(fc.constant(""), fc.constant(""), validDate),
          },
          { teamId: fc.oneof(fc.constantFrom(...targetTeams), fc.subarray(targetTeams, { minLength: 1 })) },
        ),
        numRuns: 40,
        examples: [{ intent: "assign", coachId: target, kind: "secondary", startsOn: day(0), endsOn: "", teamId: [targetTeams[0]] }],
        observe: async () => {
          const teams = await teamRowsOf();
          for (const id of targetTeams) teams.delete(id);
          const coaches = await coachRows();
          coaches.delete(target);
          return { teams, coaches };
        },
        check: (response, before, after) => {
          expectStatus(response, [302, 400]);
          expectRowsUnchanged(before.teams, after.teams);
          expectRowsUnchanged(before.coaches, after.coaches);
        },
      });
      expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
      expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
    });
  }
});

describe("lists", () => {
  it("a hostile query string on the coaching pages and their CSV exports is never a server error", async () => {
    const paths = ["coaches", "coaches.csv", "coverage", "assignments", "coaching-activity", "coaching-activity.csv", `coaches/${target}`];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          q: fc.string({ maxLength: 60 }),
          status: fc.constantFrom("active", "inactive", "all", "x", ""),
          load: fc.constantFrom("overloaded", "full", "free", "<script>", ""),
          account: fc.constantFrom("missing", "nope", ""),
          wave: fc.oneof(fc.constantFrom("current", "next", "none", ""), fc.string({ maxLength: 40 })),
          unit: fc.string({ maxLength: 40 }),
          primary: fc.constantFrom("yes", "no", "maybe"),
          view: fc.constantFrom("teams", "coaches", "x"),
          weeks: fc.oneof(fc.integer({ min: -3, max: 100 }).map(String), fc.string({ maxLength: 5 })),
          quiet: fc.constantFrom("yes", "no", ""),
          cpage: fc.oneof(fc.integer({ min: -5, max: 1_000_000_000 }).map(String), fc.string({ maxLength: 8 })),
          sort: fc.constantFrom(
            "name",
            "team",
            "unit",
            "wave",
            "capacity",
            "load",
            "free",
            "sessions",
            "last",
            "nope",
            "t.id; drop table teams",
          ),
          dir: fc.constantFrom("asc", "desc", "sideways"),
          page: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }).map(String), fc.string({ maxLength: 10 })),
          size: fc.constantFrom("25", "200", "0", "100000", "x"),
        }),
        fc.constantFrom(...paths),
        async (query, path) => {
          const url = `/programs/${programId}/${path}?${new URLSearchParams(query).toString()}`;
          const response = await admin.get(url);
          await response.arrayBuffer();
          expect(response.status, url).toBe(200);
        },
      ),
      { numRuns: 60 },
    );
  });
});
