import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  decodeEntities,
  latestAuditEvents,
  pageMessage,
  setUpInstallation,
  type Actor,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Importing the organization over HTTP: upload → preview (with line-numbered errors) → commit;
// readers are refused; bad files get a 400 that says what is wrong.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
});
afterAll(async () => {
  await server?.stop();
});

function upload(client: HttpClient, content: string | Uint8Array<ArrayBuffer>, fileName = "hr.csv") {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("file", new Blob([content], { type: "text/csv" }), fileName);
  return client.post("/org/import", form);
}

/** Uploads a file and returns the preview page's address and HTML. */
async function uploadAndPreview(client: HttpClient, content: string, fileName = "hr.csv") {
  const response = await upload(client, content, fileName);
  expect(response.status, await response.clone().text()).toBe(302);
  const location = response.headers.get("location") ?? "";
  const id = /^\/org\/import\/([0-9a-f-]{36})$/.exec(location)?.[1];
  expect(id, location).toBeTruthy();
  const page = await client.get(location);
  expect(page.status).toBe(200);
  return { id: id!, html: text(await page.text()) };
}

/** The page's HTML with entities decoded and React's text separators taken out. */
const text = (html: string) => decodeEntities(html).replaceAll("<!-- -->", "");

/** The digest of the preview the page shows (sent back by its commit form). */
const fingerprintOf = (html: string) => /name="fingerprint" value="([0-9a-f]*)"/.exec(html)?.[1] ?? "";

/** The numbers of the preview's summary, by label. */
function counts(html: string): Record<string, number> {
  const facts: Record<string, number> = {};
  for (const m of html.matchAll(/<dt>([^<]+)<\/dt><dd>([\d,]+)<\/dd>/g)) facts[m[1]] = Number(m[2].replace(/,/g, ""));
  return facts;
}

function hrFile(x: string) {
  return [
    "Employee ID;Full Name;Work Email;Job Title;Org Path;Team;Manager Email",
    `${x}-1;Ada Lovelace;ada-${x}@example.com;Analyst;Northwind ${x} › Fleet;Engines;ada-${x}@example.com`,
    `${x}-2;"Hopper; Grace";grace-${x}@example.com;"Admiral,`,
    `retired";Northwind ${x} › Fleet;Engines;ada-${x}@example.com`,
    `${x}-3;Alan Turing;alan-${x}@example.com;Engineer;Northwind ${x};;`,
  ].join("\r\n");
}

describe("importing an HR export", () => {
  it("shows the upload form with a link to the sample file", async () => {
    const response = await clients.plo.get("/org/import");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('type="file"');
    expect(html).toContain('accept=".csv');
    expect(html).toContain('href="/org/import/template.csv"');
  });

  it("serves the sample file as CSV with a byte order mark", async () => {
    const response = await clients.plo.get("/org/import/template.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("previews the changes, commits them with a toast, and a second import of the same file changes nothing", async () => {
    const x = randomBytes(3).toString("hex");
    const { id, html } = await uploadAndPreview(clients.plo, hrFile(x), `northwind-${x}.csv`);
    expect(counts(html)).toMatchObject({
      Joiners: 3,
      "Other updates": 0,
      "Lines with errors": 0,
      "New units": 2,
      "New teams": 1,
      "Team leads to set": 1,
    });
    expect(html).toContain("People are matched by employee number");
    expect(html).toContain("Hopper; Grace");
    // The second person's title spans lines 3–4; Alan is on line 5.
    expect(html).toMatch(/<td>5<\/td><td>Alan Turing<\/td>/);

    const commit = await clients.plo.post(`/org/import/${id}`, { intent: "commit", fingerprint: fingerprintOf(html), leavers: "keep" });
    expect(commit.status, await commit.clone().text()).toBe(302);
    expect(commit.headers.get("location")).toBe(`/org/import/${id}`);
    const after = text(await (await clients.plo.get(`/org/import/${id}`)).text());
    expect(after).toMatch(/Import #\d+ done: 3 people joined/);
    expect(after).toMatch(/Record of import #\d+/);
    expect(await latestAuditEvents(clients.admin)).toMatch(new RegExp(`Import #\\d+ of “northwind-${x}.csv”: 3 people joined`));

    const again = await clients.plo.post(`/org/import/${id}`, { intent: "commit", leavers: "keep" });
    expect(again.status).toBe(409);
    expect(pageMessage(await again.text())).toMatch(/already been imported/);

    const report = await clients.plo.get(`/org/import/${id}/report.csv`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = await report.text();
    expect(csv).toContain("Line,Change,Name,Email");
    expect(csv).toMatch(/\r\n5,Joins,Alan Turing,alan-/);

    const second = await uploadAndPreview(clients.plo, hrFile(x));
    expect(counts(second.html)).toMatchObject({ Joiners: 0, "Other updates": 0, Moves: 0, Unchanged: 3, "New units": 0, "New teams": 0 });

    const history = decodeEntities(await (await clients.plo.get("/org/import/history")).text());
    expect(history).toContain(`northwind-${x}.csv`);
  });

  it("lists the errors with their line numbers and refuses to commit while there are any", async () => {
    const x = randomBytes(3).toString("hex");
    const file = [
      "Name,Email,Department,Parent Department",
      `Good,good-${x}@example.com,Sales ${x},`,
      `No Email,,Sales ${x},`,
      `Twice,twice-${x}@example.com,Sales ${x},`,
      `Twice Again,twice-${x}@example.com,Sales ${x},`,
      `Orphan,orphan-${x}@example.com,Sky,Nowhere ${x}`,
    ].join("\n");
    const { id, html } = await uploadAndPreview(clients.plo, file);
    expect(counts(html)).toMatchObject({ "Lines with errors": 3 });
    expect(html).toMatch(/<td>3<\/td><td>Error<\/td><td>Email<\/td><td>The email is missing.<\/td>/);
    expect(html).toContain(`The email “twice-${x}@example.com” appears twice in the file: on line 4 and on line 5.`);
    expect(html).toMatch(/<td>6<\/td><td>Error<\/td><td>Parent unit<\/td><td>Unknown parent unit/);

    const before = await latestAuditEvents(clients.admin);
    const commit = await clients.plo.post(`/org/import/${id}`, { intent: "commit", fingerprint: fingerprintOf(html), leavers: "keep" });
    expect(commit.status).toBe(400);
    expect(pageMessage(await commit.text())).toMatch(/Nothing was imported: 3 lines have errors/);

    const problems = await clients.plo.get(`/org/import/${id}/report.csv?only=problems`);
    const lines = (await problems.text()).trim().split("\r\n");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["3", "5", "6"]);

    // Skipping the lines in the preview makes the file importable.
    for (const line of [3, 5, 6])
      expect((await clients.plo.post(`/org/import/${id}`, { intent: "skip-line", line: String(line) })).status).toBe(302);
    const fixed = decodeEntities(await (await clients.plo.get(`/org/import/${id}`)).text());
    expect(counts(fixed)).toMatchObject({ "Lines with errors": 0, "Skipped lines": 3, Joiners: 2 });
    expect(await latestAuditEvents(clients.admin)).toBe(before);
  });

  it("lets the PLO map the columns it did not recognize", async () => {
    const x = randomBytes(3).toString("hex");
    const { id, html } = await uploadAndPreview(
      clients.plo,
      ["Mitarbeiter,Kontakt,Abteilung", `Ada,ada-map-${x}@example.com,Forschung ${x}`].join("\n"),
    );
    expect(html).toMatch(/Choose the column with the person’s name/);
    expect(html).toContain('name="col-1"');
    const remap = await clients.plo.post(`/org/import/${id}`, { intent: "remap", "col-0": "name", "col-1": "email", "col-2": "unit" });
    expect(remap.status).toBe(302);
    const page = decodeEntities(await (await clients.plo.get(`/org/import/${id}`)).text());
    expect(counts(page)).toMatchObject({ Joiners: 1, "New units": 1 });

    // The next file with the same columns gets the same mapping.
    const next = await uploadAndPreview(
      clients.plo,
      ["Mitarbeiter,Kontakt,Abteilung", `Grace,grace-map-${x}@example.com,Forschung ${x}`].join("\n"),
    );
    expect(next.html).toContain("as you set them for the last file with these columns");
    expect(counts(next.html)).toMatchObject({ Joiners: 1 });

    const twice = await clients.plo.post(`/org/import/${id}`, { intent: "remap", "col-0": "email", "col-1": "email", "col-2": "" });
    expect(twice.status).toBe(400);
    expect(pageMessage(await twice.text())).toMatch(/2 columns are set to “Email”/);
    const hostile = await clients.plo.post(`/org/import/${id}`, {
      intent: "remap",
      "col-0": "password_hash",
      "col-1": "email",
      "col-2": "",
    });
    expect(hostile.status).toBe(400);
  });

  it("refuses readers with 403 and imports nothing", async () => {
    const x = randomBytes(3).toString("hex");
    const staged = await uploadAndPreview(clients.plo, hrFile(x));
    const before = await latestAuditEvents(clients.admin);
    for (const actor of ["coach", "sponsor", "team_lead"] as const) {
      expect((await clients[actor].get("/org/import")).status).toBe(403);
      expect((await upload(clients[actor], hrFile(x))).status).toBe(403);
      expect((await clients[actor].get(`/org/import/${staged.id}`)).status).toBe(403);
      expect((await clients[actor].get(`/org/import/${staged.id}/report.csv`)).status).toBe(403);
      expect((await clients[actor].get("/org/import/history")).status).toBe(403);
      expect((await clients[actor].post(`/org/import/${staged.id}`, { intent: "commit", leavers: "keep" })).status).toBe(403);
      expect((await clients[actor].post(`/org/import/${staged.id}`, { intent: "skip-line", line: "2" })).status).toBe(403);
    }
    expect(await latestAuditEvents(clients.admin)).toBe(before);
    const preview = decodeEntities(await (await clients.plo.get(`/org/import/${staged.id}`)).text());
    expect(counts(preview)).toMatchObject({ Joiners: 3 });
  });

  it("answers a bad file with 400 and a message that says what is wrong", async () => {
    const cases: Array<[string, string | Uint8Array<ArrayBuffer>, RegExp]> = [
      ["an empty file", "", /empty/],
      ["only blank lines", "\n\n  \n", /empty/],
      ["a header only", "Name,Email\n", /no people/],
      ["a binary file", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]), /not a UTF-8 text file|binary/],
      ["NUL bytes in text", "Name,Email\nAda\u0000,ada@example.com\n", /binary/],
      ["no email column", "Name,Department\nAda,Research\n", /no email column/],
    ];
    for (const [label, content, message] of cases) {
      const response = await upload(clients.plo, content);
      expect(response.status, label).toBe(400);
      expect(pageMessage(await response.text()), label).toMatch(message);
    }
    const noFile = await clients.plo.post("/org/import", { intent: "upload" });
    expect(noFile.status).toBe(400);
    expect(pageMessage(await noFile.text())).toMatch(/Choose the CSV file/);
  });

  it("refuses a file over 10 MB with 413", async () => {
    const big = `Name,Email\n${"Ada,ada@example.com\n".repeat(560_000)}`;
    const response = await upload(clients.plo, big);
    expect(response.status).toBe(413);
    expect(pageMessage(await response.text())).toMatch(/larger than 10 MB/);
  });

  it("answers unknown intents with 400, and unknown or expired uploads with 404", async () => {
    expect((await clients.plo.post("/org/import", { intent: "explode" })).status).toBe(400);
    expect((await clients.plo.post(`/org/import/${crypto.randomUUID()}`, { intent: "commit" })).status).toBe(404);
    expect((await clients.plo.post("/org/import/'; drop table people; --", { intent: "remap" })).status).toBe(404);
    expect((await clients.plo.get(`/org/import/${crypto.randomUUID()}`)).status).toBe(404);
    // A NUL is never part of a page address: the server entry refuses it before any route runs.
    expect((await clients.plo.get("/org/import/%00")).status).toBe(400);
    // The address the preview had before it got its own path still leads to it.
    const old = await clients.plo.get(`/org/import?id=${crypto.randomUUID()}`);
    expect(old.status).toBe(302);
  });
});
