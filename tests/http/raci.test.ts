import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { clientsForEveryRole, createProgram, setUpInstallation, type Actor } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// The RACI editor over HTTP: the cell endpoint's answers (200 / 400 / 404 / 409), refusals for
// readers, and hostile input to every RACI action — nothing but the edited thing may change.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let admin: HttpClient;
let programId: string;
let activityIds: string[];
let roleIds: string[];

const RUNS = 30;
const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function csv(): Promise<string> {
  const response = await admin.get(`/programs/${programId}/raci.csv`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The current version of each role's cell in one activity's row, read from the row form. */
async function rowVersions(activityId: string): Promise<Map<string, number>> {
  const html = await (await admin.get(`/programs/${programId}/raci/activities/${activityId}`)).text();
  return new Map([...html.matchAll(new RegExp(`name="version-(${ID.source})" value="(\\d+)"`, "g"))].map((m) => [m[1], Number(m[2])]));
}

function postCell(client: HttpClient, fields: Record<string, string>) {
  return client.post(`/programs/${programId}/raci/cell`, fields);
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, { name: "RACI over HTTP" });
  expect((await admin.post(`/programs/${programId}/raci`, { intent: "create", source: "template" })).status).toBe(302);
  const page = await (await admin.get(`/programs/${programId}/raci`)).text();
  activityIds = [...new Set([...page.matchAll(new RegExp(`raci/activities/(${ID.source})`, "g"))].map((m) => m[1]))];
  roleIds = [...(await rowVersions(activityIds[0])).keys()];
  expect(activityIds.length).toBeGreaterThan(20);
  expect(roleIds.length).toBe(9);
});
afterAll(async () => {
  await server?.stop();
});

describe("the program overview", () => {
  it("tells the PLO whether the matrix has errors, with a link to it", async () => {
    const clean = await (await clients.plo.get(`/programs/${programId}`)).text();
    expect(clean).toContain("No errors");
    const [activityId, roleId] = [activityIds[1], roleIds[8]];
    const version = (await rowVersions(activityId)).get(roleId)!;
    expect((await postCell(clients.plo, { activityId, roleId, value: "A", version: String(version) })).status).toBe(200);
    const broken = await (await clients.plo.get(`/programs/${programId}`)).text();
    expect(broken).toMatch(/1<!-- --> error</);
    expect(broken).toContain(`href="/programs/${programId}/raci"`);
    expect((await postCell(clients.plo, { activityId, roleId, value: "", version: String(version + 1) })).status).toBe(200);
  });
});

describe("one cell edit", () => {
  it("saves a valid value and answers with the cell's new version", async () => {
    const [activityId, roleId] = [activityIds[0], roleIds[4]];
    const version = (await rowVersions(activityId)).get(roleId)!;
    const response = await postCell(clients.plo, { activityId, roleId, value: "c", version: String(version) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ cell: { value: "C", version: version + 1 } });
  });

  it("a value other than R, A, C, I or empty is a 400 that changes nothing", async () => {
    const before = await csv();
    const response = await postCell(clients.plo, { activityId: activityIds[1], roleId: roleIds[1], value: "X", version: "0" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("A cell holds R, A, C, I or nothing.");
    expect(await csv()).toBe(before);
  });

  it("an unknown activity or role is a 404", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await postCell(clients.plo, { activityId: unknown, roleId: roleIds[0], value: "R", version: "0" })).status).toBe(404);
    expect((await postCell(clients.plo, { activityId: activityIds[0], roleId: unknown, value: "R", version: "0" })).status).toBe(404);
  });

  it("a real cell addressed through another or an unknown program is a 404 that changes nothing", async () => {
    const before = await csv();
    const otherProgram = await createProgram(admin, { name: "Not the RACI program" });
    const fields = { activityId: activityIds[5], roleId: roleIds[5], value: "A", version: "0" };
    for (const id of [otherProgram, "00000000-0000-4000-8000-000000000000"]) {
      const response = await clients.plo.post(`/programs/${id}/raci/cell`, fields);
      expect(response.status, id).toBe(404);
      expect((await response.json()).error).toMatch(/does not exist/);
    }
    expect(await csv()).toBe(before);
  });

  it("an edit based on a stale version is a 409 naming the current value and who set it", async () => {
    const [activityId, roleId] = [activityIds[2], roleIds[7]];
    const version = (await rowVersions(activityId)).get(roleId)!;
    expect((await postCell(clients.admin, { activityId, roleId, value: "I", version: String(version) })).status).toBe(200);
    const stale = await postCell(clients.plo, { activityId, roleId, value: "R", version: String(version) });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ current: { value: "I", version: version + 1, updatedByLabel: "Ada Admin" } });
  });

  it("coaches, sponsors and team leads are refused with 403 and the matrix stays as it was", async () => {
    const before = await csv();
    for (const actor of ["coach", "sponsor", "team_lead"] as const) {
      const response = await postCell(clients[actor], { activityId: activityIds[3], roleId: roleIds[3], value: "A", version: "0" });
      expect(response.status, actor).toBe(403);
    }
    expect(await csv()).toBe(before);
  });
});

describe("the grid as sent", () => {
  it("a PLO's grid links every activity to its plain row form, in the tab order; readers get the grid without those links", async () => {
    const plo = await (await clients.plo.get(`/programs/${programId}/raci`)).text();
    const links = [...plo.matchAll(/<a class="raci__row-link" href="[^"]+\/raci\/activities\/([^"]+)">Edit row<\/a>/g)].map((m) => m[1]);
    expect(links).toEqual(activityIds);
    for (const actor of ["coach", "sponsor", "team_lead"] as const) {
      const page = await (await clients[actor].get(`/programs/${programId}/raci`)).text();
      expect(page, actor).not.toContain("raci__row-link");
      expect(page.match(/<tr[^>]* data-row="/g)?.length, actor).toBe(activityIds.length);
    }
  });

  it("pages are gzipped for browsers that accept it; a cell save's small JSON answer is not", async () => {
    const page = await clients.plo.get(`/programs/${programId}/raci`, { headers: { "Accept-Encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    const [activityId, roleId] = [activityIds[6], roleIds[6]];
    const version = (await rowVersions(activityId)).get(roleId)!;
    const saved = await clients.plo.post(
      `/programs/${programId}/raci/cell`,
      { activityId, roleId, value: "I", version: String(version) },
      { headers: { "Accept-Encoding": "gzip" } },
    );
    expect(saved.status).toBe(200);
    expect(saved.headers.get("content-encoding")).toBeNull();
    expect(await saved.json()).toMatchObject({ cell: { value: "I", version: version + 1 } });
  });
});

describe("names", () => {
  it("a second role with an existing name is a 400 next to the name, and the input is kept", async () => {
    const response = await admin.post(`/programs/${programId}/raci`, { intent: "add-role", name: "okr coach", holders: "Someone" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("There is already a role named “okr coach”.");
    expect(html).toContain('value="okr coach"');
  });

  it("a double submit of “create the matrix” makes one matrix; the other answer is a clear 409, not a server error", async () => {
    const fresh = await createProgram(admin, { name: "RACI double submit" });
    const create = () => admin.post(`/programs/${fresh}/raci`, { intent: "create", source: "template" });
    const answers = await Promise.all([create(), create()]);
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(await answers.find((r) => r.status === 409)!.text()).toContain("This program already has a RACI matrix.");
    const again = await create();
    expect(again.status).toBe(409);
  });

  it("an activity name over 200 characters is a 400 with the limit", async () => {
    const response = await admin.post(`/programs/${programId}/raci`, {
      intent: "add-activity",
      groupName: "Drafting",
      name: "x".repeat(201),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Activity must be at most 200 characters.");
  });
});

describe("hostile input to every RACI action", () => {
  const anyId = () => fc.oneof(fc.constantFrom(...activityIds, ...roleIds), fc.uuid(), fc.string({ maxLength: 80 }));
  const version = fc.oneof(fc.integer({ min: 0, max: 5 }).map(String), fc.string({ maxLength: 12 }));

  /** Non-successful answers leave the matrix as it was; a successful one changes at most `allowed` lines. */
  function unchangedUnlessOk(okStatuses: number[], allowedLines = Infinity) {
    return (response: FuzzResponse, before: string, after: string) => {
      expect([...okStatuses, 400, 404, 409], `answered ${response.status}`).toContain(response.status);
      if (!okStatuses.includes(response.status)) expect(after, `a ${response.status} changed the matrix`).toBe(before);
      else {
        const a = before.split("\r\n");
        const b = after.split("\r\n");
        const changed = b.filter((line, i) => line !== a[i]).length + Math.abs(a.length - b.length);
        expect(changed).toBeLessThanOrEqual(allowedLines);
      }
    };
  }

  it("cell edits: unknown ids, stale versions and odd values never corrupt other cells", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/raci/cell`,
      fields: {
        activityId: fieldValue(fc.constantFrom(...activityIds)),
        roleId: fieldValue(fc.constantFrom(...roleIds)),
        value: fieldValue(fc.constantFrom("R", "A", "C", "I", "", "r", "AR", "Z")),
        version: fieldValue(version),
      },
      validFields: {
        activityId: fc.constantFrom(...activityIds),
        roleId: fc.constantFrom(...roleIds),
        value: fc.constantFrom("R", "A", "C", "I", ""),
        version: fc.constantFrom("0", "1", "2"),
      },
      numRuns: RUNS * 2,
      observe: csv,
      check: unchangedUnlessOk([200], 1),
    });
  });

  it("matrix actions (add, rename, move, remove, settings, create) answer 2xx/3xx or a clear 4xx", async () => {
    const intents = [
      "add-activity",
      "update-activity",
      "add-role",
      "update-role",
      "move-activity",
      "move-role",
      "remove-activity",
      "remove-role",
      "settings",
      "create",
      "bogus",
    ];
    const statuses = await fuzzForm({
      client: admin,
      path: `/programs/${programId}/raci`,
      fields: {
        intent: fieldValue(fc.constantFrom(...intents)),
        name: fieldValue(fc.string({ minLength: 1, maxLength: 30 })),
        groupName: fieldValue(fc.constantFrom("Drafting", "Reporting", "New group")),
        holders: fieldValue(fc.string({ maxLength: 40 })),
        id: fieldValue(anyId()),
        activityId: fieldValue(anyId()),
        roleId: fieldValue(anyId()),
        version: fieldValue(version),
        direction: fieldValue(fc.constantFrom("up", "down", "sideways")),
        overloadPercent: fieldValue(fc.integer({ min: -10, max: 200 }).map(String)),
        source: fieldValue(fc.constantFrom("template", "empty", "copy")),
      },
      numRuns: RUNS * 2,
      observe: csv,
      check: unchangedUnlessOk([200]),
    });
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });

  it("the plain-form row editor saves a whole row or nothing", async () => {
    const activityId = activityIds[5];
    const fields: Record<string, fc.Arbitrary<ReturnType<typeof fieldValue> extends fc.Arbitrary<infer V> ? V : never>> = {
      groupName: fieldValue(fc.constantFrom("Rollout setup", "Drafting")),
      name: fieldValue(fc.constantFrom("Manage internal stakeholders", "Manage stakeholders")),
      activityVersion: fieldValue(version),
    };
    for (const roleId of roleIds) {
      fields[`cell-${roleId}`] = fieldValue(fc.constantFrom("", "R", "A", "C", "I", "Q"));
      fields[`version-${roleId}`] = fieldValue(version);
    }
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/raci/activities/${activityId}`,
      fields,
      numRuns: RUNS,
      observe: csv,
      check: unchangedUnlessOk([302], 1),
    });
  });

  it("restoring hostile revisions answers 302 or a 4xx and never a server error", async () => {
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/raci/history`,
      fields: {
        intent: fieldValue(fc.constantFrom("restore", "other")),
        revision: fieldValue(fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.string({ maxLength: 10 }))),
      },
      numRuns: RUNS,
      observe: csv,
      check: unchangedUnlessOk([302]),
    });
  });
});
