import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { clientsForEveryRole, createProgram, decodeEntities, programRows, setUpInstallation, type Actor } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Moving a program between installations over HTTP: the PLO downloads the whole program from its
// settings, an administrator uploads it under Programs › Import a program and lands on a summary
// with a link to the new program. Everyone else is refused, and a bad file changes nothing.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let programId: string;
const NAME = "Transfer rollout";

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
  programId = await createProgram(clients.plo, { name: NAME, description: "Moves house.", status: "active", startsOn: "2027-01-01" });
  const raci = await clients.plo.post(`/programs/${programId}/raci`, { intent: "create", source: "template" });
  expect(raci.status).toBe(302);
});
afterAll(async () => {
  await server?.stop();
});

function upload(content: string, fileName = "program.json"): FormData {
  const form = new FormData();
  form.append("file", new Blob([content], { type: "application/json" }), fileName);
  return form;
}

async function download(client: HttpClient, id = programId) {
  const response = await client.get(`/programs/${id}/export.json`);
  return { response, text: await response.text() };
}

describe("exporting a program", () => {
  it("gives the PLO the whole program as a JSON attachment that is never cached", async () => {
    const { response, text } = await download(clients.plo);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="program-transfer-rollout-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: "rollout-desk-program", version: 1, program: { name: NAME, startsOn: "2027-01-01" } });
    expect(doc.raci.activities.length).toBeGreaterThan(10);
  });

  it("is linked from the program's settings", async () => {
    const html = await (await clients.plo.get(`/programs/${programId}/settings`)).text();
    expect(html).toContain(`href="/programs/${programId}/export.json"`);
  });

  it("is refused to sponsors, coaches, team leads and members, and a program that does not exist is a 404", async () => {
    for (const actor of ["sponsor", "coach", "team_lead", "member"] as const) {
      const { response, text } = await download(clients[actor]);
      expect(response.status, actor).toBe(403);
      expect(text).not.toContain("rollout-desk-program");
    }
    const anonymous = await clients.anonymous.get(`/programs/${programId}/export.json`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    const missing = await download(clients.plo, "no-such-program");
    expect(missing.response.status).toBe(404);
  });
});

describe("importing a program", () => {
  it("is offered to administrators only, from the programs list", async () => {
    const admin = await (await clients.admin.get("/programs")).text();
    expect(admin).toContain('href="/programs/import"');
    const plo = await (await clients.plo.get("/programs")).text();
    expect(plo).not.toContain('href="/programs/import"');
    const page = await clients.admin.get("/programs/import");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/<label for="program-import-file">Program export \(\.json\)<\/label>/);
    expect(html).toMatch(/<form[^>]*enctype="multipart\/form-data"/i);
    for (const actor of ["plo", "coach", "sponsor", "team_lead", "member"] as const) {
      expect((await clients[actor].get("/programs/import")).status, actor).toBe(403);
      const { text } = await download(clients.plo);
      expect((await clients[actor].post("/programs/import", upload(text))).status, actor).toBe(403);
    }
  });

  it("imports an export as a new program, sums up what came in and links to it; its RACI matrix is the same", async () => {
    const { text } = await download(clients.plo);
    const before = await programRows(clients.admin);
    const response = await clients.admin.post("/programs/import", upload(text, "transfer.json"));
    const html = decodeEntities(await response.text());
    expect(response.status).toBe(200);
    expect(html).toContain(`Imported “${NAME} (imported)”`);
    expect(html).toContain(`A program named “${NAME}” exists here already`);
    expect(html).toMatch(/From transfer\.json, exported \d{4}-\d{2}-\d{2}/);
    const link = /href="\/programs\/([0-9a-f-]{36})">Open the imported program/.exec(html);
    expect(link).not.toBeNull();
    const newId = link![1];
    const after = await programRows(clients.admin);
    expect([...after.keys()].filter((id) => !before.has(id))).toEqual([newId]);

    const program = await clients.plo.get(`/programs/${newId}`);
    expect(program.status).toBe(200);
    const [original, copy] = await Promise.all([
      clients.plo.get(`/programs/${programId}/raci.csv`).then((r) => r.text()),
      clients.plo.get(`/programs/${newId}/raci.csv`).then((r) => r.text()),
    ]);
    expect(copy).toBe(original);
    const audit = decodeEntities(await (await clients.admin.get("/admin/audit")).text());
    expect(audit).toContain(`Imported program “${NAME} (imported)” from a transfer file`);
  });

  it("refuses a file that is not an export, a newer one and a damaged one with the problem beside the field, and imports nothing", async () => {
    const { text } = await download(clients.plo);
    const newer = JSON.parse(text);
    newer.version = 7;
    const damaged = JSON.parse(text);
    damaged.raci.activities[0].position = "first";
    const cases: Array<[string, RegExp]> = [
      ["not json at all", /The file is not JSON/],
      [JSON.stringify({ format: "something-else" }), /not a Rollout Desk program export/],
      [JSON.stringify(newer), /newer Rollout Desk \(format version 7\)/],
      [JSON.stringify(damaged), /\$\.raci\.activities\[0\]\.position: expected a whole number/],
    ];
    const before = await programRows(clients.admin);
    for (const [content, message] of cases) {
      const response = await clients.admin.post("/programs/import", upload(content));
      const html = decodeEntities(await response.text());
      expect(response.status, content.slice(0, 40)).toBe(400);
      expect(html).toMatch(message);
      expect(html).toContain('aria-invalid="true"');
      expect(html).toMatch(/id="program-import-file-error"[^>]*>Nothing was imported\./);
    }
    const empty = await clients.admin.post("/programs/import", new FormData());
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choose the program");
    expect(await programRows(clients.admin)).toEqual(before);
  });
});
