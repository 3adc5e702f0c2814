import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRowsUnchanged, fieldValue, firstValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createUser, latestAuditEvents, setUpInstallation, tableRows, uniqueEmail } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Hostile input to every action of the organization screens: the server answers below 500 every
// time (a 400 with messages, or the action's success), nothing but the form's own target changes,
// and a refused form leaves the audit log as it was.

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;
let root: string;
let bystanders: string[];
let leadEmail: string;
let accountEmail: string;

const validName = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Name ${s}`);
const validEmail = fc.uuid().map((u) => `fuzz-${u.slice(0, 13)}@example.com`);
const validSize = fc.oneof(fc.constant(""), fc.integer({ min: 1, max: 500 }).map(String));
const check = fc.constantFrom("on", "", "true");

function form(valid: Record<string, fc.Arbitrary<string>>) {
  return {
    fields: Object.fromEntries(Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(arbitrary)])),
    validFields: valid,
  };
}

function idFrom(response: Response, prefix: string): string {
  expect(response.status, `expected a redirect to ${prefix}…`).toBe(302);
  const match = new RegExp(`^${prefix.replace(/\//g, "\\/")}([^/?]+)$`).exec(response.headers.get("location") ?? "");
  if (!match) throw new Error(`unexpected redirect: ${response.headers.get("location")}`);
  return match[1];
}

/**
 * A page's HTML. React 18.3's streaming renderer pads a 2 KB chunk with NUL bytes when a multi-byte
 * character does not fit at its end (react-dom/server writeStringChunk), so where the chunk
 * boundaries fall changes a page's bytes; the NULs are dropped here (no stored text has one).
 */
async function page(path: string): Promise<string> {
  const response = await admin.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  return (await response.text()).replaceAll("\u0000", "");
}

/** Every unit of the tree page (archived ones too): id → its line (name, status, counts). */
async function unitRows(): Promise<Map<string, string>> {
  const html = await page("/org?archived=1");
  const rows = new Map<string, string>();
  for (const chunk of html.split('<div class="org-tree__unit">').slice(1)) {
    const line = chunk.slice(0, chunk.indexOf("</div>"));
    const id = /href="\/org\/units\/([^"/?]+)"/.exec(line)?.[1];
    if (id) rows.set(id, line);
  }
  return rows;
}

const teamRows = async () => tableRows(await page("/org/teams?status=all&size=200"), "/org/teams/");
const peopleRows = async () => tableRows(await page("/org/people?status=all&size=200"), "/org/people/");

interface Observed {
  rows: Map<string, string>;
  audit: string;
}

const observing = (rows: () => Promise<Map<string, string>>) => async (): Promise<Observed> => ({
  rows: await rows(),
  audit: await latestAuditEvents(admin),
});

function expectStatus(response: FuzzResponse, allowed: number[]) {
  expect(allowed, `answered ${response.status} (${response.location ?? "no redirect"})`).toContain(response.status);
}

/** A refused form records nothing; an accepted one changes at most its target. */
function expectOnly(response: FuzzResponse, before: Observed, after: Observed, allowed: { changed?: string[]; added?: string[] | number }) {
  if (response.status === 302) expectRowsUnchanged(before.rows, after.rows, allowed);
  else {
    expectRowsUnchanged(before.rows, after.rows);
    expect(after.audit, "a refused form recorded an audit event").toBe(before.audit);
  }
}

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  root = idFrom(await admin.post("/org/units/new", { name: "Fuzz Company", parentId: "" }), "/org/units/");
  bystanders = [root];
  for (const name of ["Operations", "Sales"])
    bystanders.push(idFrom(await admin.post("/org/units/new", { name, parentId: root }), "/org/units/"));
  const team = idFrom(
    await admin.post("/org/teams/new", { name: "Bystander team", unitId: bystanders[1], leadEmail: "", size: "" }),
    "/org/teams/",
  );
  leadEmail = uniqueEmail("fuzz-lead");
  idFrom(
    await admin.post("/org/people/new", {
      name: "Fuzz Lead",
      email: leadEmail,
      title: "Lead",
      unitId: "",
      teamId: team,
      externalId: "E-1",
    }),
    "/org/people/",
  );
  expect(
    (await admin.post(`/org/teams/${team}`, { intent: "save", name: "Bystander team", unitId: bystanders[1], leadEmail, size: "" })).status,
  ).toBe(302);
  accountEmail = (await createUser(admin, { role: "coach" })).email;
});
afterAll(async () => {
  await server?.stop();
});

describe("units", () => {
  it("creating units from hostile forms adds at most the unit redirected to", async () => {
    await fuzzForm({
      client: admin,
      path: "/org/units/new",
      ...form({ name: validName, parentId: fc.constantFrom("", ...bystanders) }),
      numRuns: RUNS,
      observe: observing(unitRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created = response.status === 302 ? /^\/org\/units\/([^/?]+)$/.exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectOnly(response, before, after, { added: created ? [created] : [] });
      },
    });
  });

  it("hostile saves, archives and restores of a unit change only that unit", async () => {
    const target = idFrom(await admin.post("/org/units/new", { name: "Fuzzed unit", parentId: bystanders[2] }), "/org/units/");
    const statuses = await fuzzForm({
      client: admin,
      path: `/org/units/${target}`,
      ...form({
        intent: fc.constantFrom("save", "archive", "restore"),
        name: validName,
        parentId: fc.constantFrom("", target, ...bystanders),
        cascade: check,
      }),
      numRuns: RUNS,
      observe: observing(unitRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectOnly(response, before, after, { changed: [target] });
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
  });

  it("an unknown or missing intent is a 400 that changes nothing", async () => {
    const unknownIntent = fieldValue().filter((v) => !["save", "archive", "restore"].includes(firstValue(v) ?? ""));
    const statuses = await fuzzForm({
      client: admin,
      path: `/org/units/${root}`,
      fields: { intent: unknownIntent, name: fieldValue(validName) },
      strayFields: false,
      numRuns: RUNS,
      observe: observing(unitRows),
      check: (response, before, after) => {
        expectStatus(response, [400]);
        expectOnly(response, before, after, {});
      },
    });
    expect(statuses.get(400)).toBe(RUNS);
  });
});

describe("teams", () => {
  it("creating teams from hostile forms adds at most the team redirected to", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: "/org/teams/new",
      ...form({
        name: validName,
        unitId: fc.constantFrom(...bystanders),
        leadEmail: fc.constantFrom("", leadEmail, leadEmail.toUpperCase()),
        size: validSize,
      }),
      numRuns: RUNS,
      observe: observing(teamRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created = response.status === 302 ? /^\/org\/teams\/([^/?]+)$/.exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectOnly(response, before, after, { added: created ? [created] : [] });
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
  });

  it("hostile saves, archives and restores of a team change only that team", async () => {
    const target = idFrom(
      await admin.post("/org/teams/new", { name: "Fuzzed team", unitId: root, leadEmail: "", size: "" }),
      "/org/teams/",
    );
    await fuzzForm({
      client: admin,
      path: `/org/teams/${target}`,
      ...form({
        intent: fc.constantFrom("save", "archive", "restore"),
        name: validName,
        unitId: fc.constantFrom(...bystanders),
        leadEmail: fc.constantFrom("", leadEmail, "nobody@example.com"),
        size: validSize,
        releaseMembers: check,
      }),
      numRuns: RUNS,
      observe: observing(teamRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectOnly(response, before, after, { changed: [target] });
      },
    });
  });
});

describe("people", () => {
  it("creating people from hostile forms adds at most the person redirected to", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: "/org/people/new",
      ...form({
        name: validName,
        email: fc.oneof(validEmail, fc.constant(leadEmail)),
        title: fc.string({ maxLength: 60 }),
        unitId: fc.constantFrom("", ...bystanders),
        teamId: fc.constant(""),
        externalId: fc.oneof(fc.constant(""), fc.constant("E-1"), fc.uuid()),
      }),
      numRuns: RUNS,
      observe: observing(peopleRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created = response.status === 302 ? /^\/org\/people\/([^/?]+)$/.exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectOnly(response, before, after, { added: created ? [created] : [] });
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
  });

  it("hostile saves, archives, restores and account links of a person change only that person", async () => {
    const email = uniqueEmail("fuzzed");
    const target = idFrom(
      await admin.post("/org/people/new", { name: "Fuzzed Person", email, title: "", unitId: root, teamId: "", externalId: "" }),
      "/org/people/",
    );
    await fuzzForm({
      client: admin,
      path: `/org/people/${target}`,
      ...form({
        intent: fc.constantFrom("save", "archive", "restore", "link-account", "unlink-account"),
        name: validName,
        email: fc.oneof(fc.constant(email), validEmail, fc.constant(leadEmail)),
        title: fc.string({ maxLength: 60 }),
        unitId: fc.constantFrom("", ...bystanders),
        teamId: fc.constant(""),
        externalId: fc.constantFrom("", "E-1", "E-2"),
        clearLeads: check,
        accountEmail: fc.constantFrom(accountEmail, "nobody@example.com"),
      }),
      numRuns: RUNS,
      observe: observing(peopleRows),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectOnly(response, before, after, { changed: [target] });
      },
    });
  });

  it("the people search answers hostile queries with JSON, never an error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (q) => {
        const response = await admin.get(`/org/people/search?q=${encodeURIComponent(q)}`);
        expect(response.status).toBe(200);
        const body = (await response.json()) as { people: unknown[] };
        expect(body.people.length).toBeLessThanOrEqual(20);
      }),
      { numRuns: RUNS },
    );
  });
});
