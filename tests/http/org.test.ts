import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  decodeEntities,
  latestAuditEvents,
  pageMessage,
  setUpInstallation,
  tableRows,
  uniqueEmail,
  type Actor,
  type TestUser,
  queryCount,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// The organization screens over HTTP: forms that create, edit, move and archive units, teams and
// people; refusals (400 with the field's message, 403 for readers); the URL-driven team and people
// lists; the CSV exports; the people search; and a team list whose query count does not grow.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let users: Record<Exclude<Actor, "admin" | "anonymous">, TestUser>;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients, users } = await clientsForEveryRole(server.url, admin));
});
afterAll(async () => {
  await server?.stop();
});

let counter = 0;
const unique = (label: string) => `${label} ${(counter += 1)}-${Math.random().toString(36).slice(2, 6)}`;

function idFrom(response: Response, prefix: string): string {
  expect(response.status, `expected a redirect to ${prefix}…`).toBe(302);
  const location = response.headers.get("location") ?? "";
  const match = new RegExp(`^${prefix.replace(/\//g, "\\/")}([^/?]+)$`).exec(location);
  if (!match) throw new Error(`unexpected redirect: ${location}`);
  return match[1];
}

async function createUnit(name: string, parentId = "", client = admin) {
  return idFrom(await client.post("/org/units/new", { name, parentId }), "/org/units/");
}
async function createTeam(name: string, unitId: string, extra: Record<string, string> = {}) {
  return idFrom(await admin.post("/org/teams/new", { name, unitId, leadEmail: "", size: "", ...extra }), "/org/teams/");
}
async function createPerson(fields: Record<string, string>) {
  return idFrom(
    await admin.post("/org/people/new", {
      name: unique("Person"),
      email: uniqueEmail("person"),
      title: "",
      unitId: "",
      teamId: "",
      externalId: "",
      ...fields,
    }),
    "/org/people/",
  );
}

/** The page's <main>: what the page shows, without the layout's toast and script nonces. */
async function main(client: HttpClient, path: string): Promise<string> {
  const page = await html(client, path);
  return page.slice(page.indexOf("<main"), page.indexOf("</main>"));
}

async function html(client: HttpClient, path: string): Promise<string> {
  const response = await client.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  // React separates adjacent text with empty comments; drop them to read text as a user does.
  // React 18.3's streaming renderer may pad a chunk with NUL bytes (see fuzz-org.test.ts): dropped.
  return decodeEntities(await response.text())
    .replaceAll("<!-- -->", "")
    .replaceAll("\u0000", "");
}

/** The names in the first column of a list page, in order. */
async function teamNames(path: string): Promise<string[]> {
  const page = await admin.get(path);
  expect(page.status).toBe(200);
  return [...tableRows(await page.text(), "/org/teams/").values()].map((row) =>
    decodeEntities(/<a [^>]*>([^<]*)<\/a>/.exec(row)?.[1] ?? ""),
  );
}

async function csv(path: string, client = admin) {
  const response = await client.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)], "a UTF-8 byte order mark, for spreadsheet programs").toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes).trimEnd().split("\r\n");
}

describe("units", () => {
  it("a PLO member creates a unit tree, renames and moves units through the forms; the tree shows them with paths", async () => {
    const plo = clients.plo;
    const root = await createUnit(unique("Northwind"), "", plo);
    const operations = await createUnit("Operations", root, plo);
    const fleet = await createUnit("Fleet", operations, plo);
    const sales = await createUnit("Sales", root, plo);
    const tree = await html(plo, "/org");
    expect(tree).toContain(`href="/org/units/${fleet}"`);
    expect(tree).toContain("+ Sub-unit");

    const renamed = await plo.post(`/org/units/${fleet}`, { intent: "save", name: "Fleet Services", parentId: sales });
    expect(renamed.status).toBe(302);
    const page = await html(plo, `/org/units/${fleet}`);
    expect(page).toMatch(/<h1>Fleet Services<\/h1>/);
    expect(page).toContain(`href="/org/units/${sales}"`);
    expect(await latestAuditEvents(admin)).toContain("Moved unit");
  });

  it("moving a unit under its own sub-unit is a 400 naming the problem, and nothing moves", async () => {
    const root = await createUnit(unique("Cycle"));
    const child = await createUnit("Child", root);
    const grandchild = await createUnit("Grandchild", child);
    const before = await main(admin, `/org/units/${child}`);
    const response = await admin.post(`/org/units/${child}`, { intent: "save", name: "Child", parentId: grandchild });
    expect(response.status).toBe(400);
    expect(pageMessage(await response.text())).toMatch(/is inside “Child”: a unit cannot move under one of its own sub-units\./);
    expect(await main(admin, `/org/units/${child}`)).toBe(before);
  });

  it("bad unit forms are a 400 with the field's message and create nothing", async () => {
    const root = await createUnit(unique("Bad"));
    const audit = await latestAuditEvents(admin);
    const empty = await admin.post("/org/units/new", { name: "  ", parentId: root });
    expect(empty.status).toBe(400);
    expect(pageMessage(await empty.text())).toBe("Name is required.");
    await createUnit("Twin", root);
    const afterTwin = await latestAuditEvents(admin);
    expect(afterTwin).not.toBe(audit);
    const twin = await admin.post("/org/units/new", { name: "TWIN", parentId: root });
    expect(twin.status).toBe(400);
    expect(pageMessage(await twin.text())).toBe("There is already a unit named “Twin” in this parent unit.");
    const arrow = await admin.post("/org/units/new", { name: "A › B", parentId: root });
    expect(arrow.status).toBe(400);
    const unknownParent = await admin.post("/org/units/new", { name: "Orphan", parentId: "no-such-unit" });
    expect(unknownParent.status).toBe(400);
    expect(pageMessage(await unknownParent.text())).toBe("Choose an existing unit as the parent.");
    expect(await latestAuditEvents(admin)).toBe(afterTwin);
    expect((await admin.get("/org/units/no-such-unit")).status).toBe(404);
    expect((await admin.post(`/org/units/${root}`, { intent: "explode" })).status).toBe(400);
  });

  it("archiving a unit with active teams is refused with how many, unless everything in it is archived too", async () => {
    const root = await createUnit(unique("Archive"));
    const dept = await createUnit("Department", root);
    const team = await createTeam("Crew", dept);
    await createPerson({ teamId: team });
    const refused = await admin.post(`/org/units/${root}`, { intent: "archive" });
    expect(refused.status).toBe(400);
    expect(pageMessage(await refused.text())).toMatch(/still has 1 active sub-unit, 1 active team and 1 active person\./);
    expect(await html(admin, `/org/units/${root}`)).toContain("status--active");

    expect((await admin.post(`/org/units/${root}`, { intent: "archive", cascade: "on" })).status).toBe(302);
    expect(await html(admin, `/org/teams/${team}`)).toContain("status--archived");
    expect(await html(admin, "/org")).not.toContain(`/org/units/${root}"`);
    expect(await html(admin, "/org?archived=1")).toContain(`/org/units/${root}"`);
    expect((await admin.post(`/org/units/${root}`, { intent: "restore", cascade: "on" })).status).toBe(302);
    expect(await html(admin, `/org/teams/${team}`)).toContain("status--active");
  });
});

describe("teams and people", () => {
  it("creates a team with a lead chosen by email, and refuses an unknown email with the PersonPicker's message", async () => {
    const unit = await createUnit(unique("Teams"));
    const leadEmail = uniqueEmail("Lead");
    const lead = await createPerson({ name: "Lena Lead", email: leadEmail.toUpperCase(), unitId: unit, title: "Team Lead" });
    const before = await teamNames(`/org/teams?unit=${unit}&status=all`);
    const unknown = await admin.post("/org/teams/new", { name: "Engines", unitId: unit, leadEmail: "nobody@example.com", size: "" });
    expect(unknown.status).toBe(400);
    const body = decodeEntities(await unknown.text());
    expect(pageMessage(body)).toBe("No person with this email in the organization.");
    expect(body).toContain('value="nobody@example.com"');
    const badSize = await admin.post("/org/teams/new", { name: "Engines", unitId: unit, leadEmail: "", size: "-3" });
    expect(badSize.status).toBe(400);
    expect(pageMessage(await badSize.text())).toBe("Size must be a whole number between 1 and 10,000.");
    expect(await teamNames(`/org/teams?unit=${unit}&status=all`)).toEqual(before);

    const team = await createTeam("Engines", unit, { leadEmail: leadEmail.toUpperCase() });
    const page = await html(admin, `/org/teams/${team}`);
    expect(page).toMatch(new RegExp(`href="/org/people/${lead}"[^>]*>Lena Lead</a>`));
    const duplicate = await admin.post("/org/teams/new", { name: "engines", unitId: unit, leadEmail: "", size: "" });
    expect(duplicate.status).toBe(400);
    expect(pageMessage(await duplicate.text())).toMatch(/^There is already a team named “Engines” in “/);
  });

  it("people: emails are stored lower-cased and unique; bad input is a 400 on the field and saves nothing", async () => {
    const unit = await createUnit(unique("People"));
    const email = uniqueEmail("Ana");
    const ana = await createPerson({ name: "Ana Example", email: email.toUpperCase(), unitId: unit });
    expect(await html(admin, `/org/people/${ana}`)).toContain(`<dd>${email.toLowerCase()}</dd>`);
    const audit = await latestAuditEvents(admin);
    const taken = await admin.post("/org/people/new", { name: "Other", email, title: "", unitId: unit, teamId: "", externalId: "" });
    expect(taken.status).toBe(400);
    expect(pageMessage(await taken.text())).toBe("This email already belongs to Ana Example.");
    const invalid = await admin.post("/org/people/new", { name: "Other", email: "not-an-email", title: "", unitId: unit, teamId: "" });
    expect(invalid.status).toBe(400);
    expect(pageMessage(await invalid.text())).toBe("Enter a valid email address, like name@example.com.");
    const noName = await admin.post(`/org/people/${ana}`, { intent: "save", name: "", email, unitId: unit });
    expect(noName.status).toBe(400);
    expect(pageMessage(await noName.text())).toBe("Name is required.");
    expect(await latestAuditEvents(admin)).toBe(audit);
  });

  it("a team member is archived and restored; a lead cannot be archived until the teams may go without", async () => {
    const unit = await createUnit(unique("Leads"));
    const email = uniqueEmail("lead");
    const lead = await createPerson({ name: "Lars Lead", email, unitId: unit });
    const team = await createTeam("Harbour", unit, { leadEmail: email });
    const refused = await admin.post(`/org/people/${lead}`, { intent: "archive" });
    expect(refused.status).toBe(400);
    expect(pageMessage(await refused.text())).toMatch(/^Lars Lead leads 1 active team \(“Harbour”\)\./);
    expect((await admin.post(`/org/people/${lead}`, { intent: "archive", clearLeads: "on" })).status).toBe(302);
    expect(await html(admin, `/org/teams/${team}`)).toContain("<dd>No lead</dd>");
    expect((await admin.post(`/org/people/${lead}`, { intent: "restore" })).status).toBe(302);
    expect(await html(admin, `/org/people/${lead}`)).toContain("status--active");
  });

  it("links a person to the account with their email and shows the account's role", async () => {
    const coach = users.coach;
    const person = await createPerson({ name: coach.name, email: coach.email });
    const page = await html(admin, `/org/people/${person}`);
    expect(page).toContain("An account has the same email");
    expect((await admin.post(`/org/people/${person}`, { intent: "link-account", accountEmail: coach.email })).status).toBe(302);
    expect(await html(admin, `/org/people/${person}`)).toContain(`${coach.email} · OKR coach`);
    const other = await createPerson({});
    const clash = await admin.post(`/org/people/${other}`, { intent: "link-account", accountEmail: coach.email });
    expect(clash.status).toBe(400);
    expect(pageMessage(await clash.text())).toBe(`This account is already linked to ${coach.name}.`);
    expect((await admin.post(`/org/people/${person}`, { intent: "unlink-account" })).status).toBe(302);
    expect(await html(admin, `/org/people/${person}`)).toContain("<dd>None</dd>");
  });
});

describe("readers", () => {
  it("a sponsor and a coach read every screen without write controls; their posts get 403 and nothing changes", async () => {
    const unit = await createUnit(unique("Readers"));
    const team = await createTeam("Readers Team", unit);
    const person = await createPerson({ teamId: team });
    for (const role of ["sponsor", "coach"] as const) {
      const client = clients[role];
      for (const path of ["/org", `/org/units/${unit}`, "/org/teams", `/org/teams/${team}`, "/org/people", `/org/people/${person}`]) {
        const page = await html(client, path);
        expect(page, `${role} on ${path}`).not.toContain('name="intent"');
        expect(page, `${role} on ${path}`).not.toMatch(/>New (unit|team|person)</);
      }
      const audit = await latestAuditEvents(admin);
      const before = await main(admin, `/org/teams/${team}`);
      const posts: Array<[string, Record<string, string>]> = [
        ["/org/units/new", { name: "Sneaky", parentId: unit }],
        [`/org/units/${unit}`, { intent: "archive", cascade: "on" }],
        ["/org/teams/new", { name: "Sneaky", unitId: unit }],
        [`/org/teams/${team}`, { intent: "save", name: "Renamed", unitId: unit }],
        ["/org/people/new", { name: "Sneaky", email: uniqueEmail("sneaky") }],
        [`/org/people/${person}`, { intent: "archive" }],
      ];
      for (const [path, form] of posts) expect((await client.post(path, form)).status, `${role} POST ${path}`).toBe(403);
      expect(await latestAuditEvents(admin)).toBe(audit);
      expect(await main(admin, `/org/teams/${team}`)).toBe(before);
    }
    expect((await clients.team_lead.get("/org")).status).toBe(403);
    expect((await clients.team_lead.get("/org/people/search?q=a")).status).toBe(403);
  });
});

describe("lists, exports and search", () => {
  let unit: string;
  let sub: string;

  beforeAll(async () => {
    unit = await createUnit(unique("Listed"));
    sub = await createUnit("Sub", unit);
    for (const [name, where] of [
      ["Delta", unit],
      ["Alpha", sub],
      ["Charlie", unit],
      ["Bravo", sub],
    ] as const) {
      await createTeam(name, where);
    }
    const archived = await createTeam("Echo", unit);
    expect((await admin.post(`/org/teams/${archived}`, { intent: "archive" })).status).toBe(302);
  });

  it("the team list sorts, filters and pages through the URL", async () => {
    expect(await teamNames(`/org/teams?unit=${unit}`)).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
    expect(await teamNames(`/org/teams?unit=${unit}&sort=name&dir=desc`)).toEqual(["Delta", "Charlie", "Bravo", "Alpha"]);
    expect(await teamNames(`/org/teams?unit=${sub}`)).toEqual(["Alpha", "Bravo"]);
    expect(await teamNames(`/org/teams?unit=${unit}&status=archived`)).toEqual(["Echo"]);
    expect(await teamNames(`/org/teams?unit=${unit}&status=all&q=ch`)).toEqual(["Charlie", "Echo"]);
    expect(await teamNames(`/org/teams?unit=${unit}&sort=unit`)).toEqual(["Charlie", "Delta", "Alpha", "Bravo"]);
    for (let i = 0; i < 23; i++) await createTeam(`Zulu ${String(i).padStart(2, "0")}`, sub);
    const page2 = await teamNames(`/org/teams?unit=${unit}&size=25&page=2`);
    expect(page2).toEqual(["Zulu 21", "Zulu 22"]);
    const text = await html(admin, `/org/teams?unit=${unit}&size=25&page=2`);
    expect(text).toContain("26–27 of 27");
  });

  it("the CSV exports hold every row matching the list's filters, with the importer's columns", async () => {
    const teams = await csv(`/org/teams.csv?unit=${sub}&sort=name&dir=asc`);
    expect(teams[0]).toBe("Team,Unit path,Team lead,Team lead email,Size,Active members,Status,External ID");
    expect(teams.slice(1).map((line) => line.split(",")[0])).toEqual([
      "Alpha",
      "Bravo",
      ...Array.from({ length: 23 }, (_, i) => `Zulu ${String(i).padStart(2, "0")}`),
    ]);
    expect(await csv(`/org/teams.csv?unit=${unit}&status=archived`)).toHaveLength(2);

    const leadEmail = uniqueEmail("csv-lead");
    const team = await createTeam("Exported", sub);
    await createPerson({ name: "Carla Lead", email: leadEmail, teamId: team, title: 'Lead, "exports"', externalId: "E-1" });
    expect((await admin.post(`/org/teams/${team}`, { intent: "save", name: "Exported", unitId: sub, leadEmail, size: "" })).status).toBe(
      302,
    );
    await createPerson({ name: "Dan Member", email: uniqueEmail("dan"), teamId: team });
    const people = await csv(`/org/people.csv?unit=${unit}&sort=name`);
    expect(people[0]).toBe("Employee ID,Name,Email,Title,Unit path,Team,Team lead email,Status");
    expect(people).toHaveLength(3);
    expect(people[1]).toMatch(
      new RegExp(`^E-1,Carla Lead,${leadEmail},"Lead, ""exports""",Listed [^,]+ › Sub,Exported,${leadEmail},active$`),
    );
    expect(people[2]).toContain(`,Exported,${leadEmail},active`);
    expect(await csv(`/org/people.csv?unit=${unit}&q=carla`)).toHaveLength(2);

    const units = await csv(`/org/units.csv`, clients.sponsor);
    expect(units[0]).toBe("Unit path,Unit,Parent path,Active teams,Active people,Status,External ID");
    expect(units.some((line) => /^Listed [^,]+ › Sub,Sub,Listed [^,]+,26,2,active,$/.test(line))).toBe(true);
  });

  it("the people search answers JSON with at most 20 active people for readers", async () => {
    const word = `findme${Math.random().toString(36).slice(2, 7)}`;
    for (let i = 0; i < 22; i++) await createPerson({ name: `${word} ${String(i).padStart(2, "0")}`, unitId: sub });
    const response = await clients.coach.get(`/org/people/search?q=${word.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const { people } = (await response.json()) as { people: Array<{ id: string; name: string; email: string; unit: string }> };
    expect(people).toHaveLength(20);
    expect(people[0]).toMatchObject({ name: `${word} 00`, unit: expect.stringMatching(/^Listed .* › Sub$/) });
    expect(Object.keys(people[0]).sort()).toEqual(["email", "id", "name", "unit"]);
    const none = (await (await clients.sponsor.get("/org/people/search?q=")).json()) as { people: unknown[] };
    expect(none.people).toEqual([]);
  });

  it("the team list sends as many queries for 300 teams as for 10", async () => {
    const big = await createUnit(unique("Big"));
    const lead = uniqueEmail("big-lead");
    await createPerson({ name: "Big Lead", email: lead, unitId: big });
    for (let i = 0; i < 10; i++) await createTeam(`Team ${String(i).padStart(3, "0")}`, big, { leadEmail: lead, size: "7" });
    const count = () => queryCount(admin, `/org/teams?unit=${big}&sort=size&dir=desc`);
    const small = await count();
    for (let i = 10; i < 300; i++) await createTeam(`Team ${String(i).padStart(3, "0")}`, big, { leadEmail: lead, size: "7" });
    expect(await count()).toBe(small);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(6);
  }, 120_000);
});
