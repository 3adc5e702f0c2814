import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldValue, fuzzForm, hostileString, type FieldValue } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { createProgram, programRows, setUpInstallation } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Hostile uploads to /programs/import: random form fields, and real program exports with one
// value anywhere in them replaced, removed or made hostile. The server never answers with a 5xx;
// a program appears only with the summary page (200), and a refusal (400) changes nothing.

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;
let exported: string;

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  const id = await createProgram(admin, { name: "Fuzz transfer", status: "active", startsOn: "2027-01-01", endsOn: "2027-12-31" });
  expect((await admin.post(`/programs/${id}/raci`, { intent: "create", source: "template" })).status).toBe(302);
  exported = await (await admin.get(`/programs/${id}/export.json`)).text();
});
afterAll(async () => {
  await server?.stop();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into the document (object keys and array indexes), at most a few rows of each list. */
function paths(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

const DELETE = Symbol("delete");
const replacement = fc.oneof(
  hostileString(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom<Json | typeof DELETE>(null, [], {}, DELETE, "wave#1", "person#1", "unit#999", "2026-02-30", "9999-12-31T23:59:59Z"),
);

/** A copy of the export with the value at one path replaced (or removed). */
function mutated(document: Json, path: Array<string | number>, value: Json | typeof DELETE): string {
  const copy = JSON.parse(JSON.stringify(document)) as Json;
  if (!path.length) return value === DELETE ? "" : JSON.stringify(value);
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(at) && typeof last === "number") at.splice(last, 1);
    else delete at[last];
  } else at[last] = value;
  return JSON.stringify(copy);
}

function uploadForm(content: string, fileName = "program.json"): FormData {
  const form = new FormData();
  form.append("file", new Blob([content], { type: "application/json" }), fileName);
  return form;
}

describe("hostile uploads to /programs/import", () => {
  it("hostile fields never cause a 5xx, and a program appears only with the summary page", async () => {
    const documentFile = fc.record({
      file: fc.constant(exported),
      filename: fc.constantFrom("program.json", "../../etc/passwd", 'x"y.json', ""),
    });
    const statuses = await fuzzForm({
      client: admin,
      path: "/programs/import",
      // `note` is a field the form does not have.
      fields: { file: fc.oneof(fieldValue(), documentFile as fc.Arbitrary<FieldValue>), note: fieldValue() },
      validFields: { file: documentFile as fc.Arbitrary<FieldValue> },
      numRuns: RUNS,
      observe: () => programRows(admin),
      check: (response, before, after) => {
        const added = [...after.keys()].filter((id) => !before.has(id));
        if (added.length) {
          expect(response.status).toBe(200);
          expect(added).toHaveLength(1);
          expect(response.body).toContain("Open the imported program");
        } else expect(response.status).toBeGreaterThanOrEqual(400);
      },
    });
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });

  it("damaged exports are refused with a 400 that changes nothing, or imported whole", async () => {
    const document = JSON.parse(exported) as Json;
    const all = paths(document);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), replacement, async (index, value) => {
        const before = await programRows(admin);
        const response = await admin.post("/programs/import", uploadForm(mutated(document, all[index], value)));
        const body = await response.text();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        expect([200, 400], `${all[index].join(".")} → ${String(value)}: ${response.status} ${body.slice(0, 200)}`).toContain(
          response.status,
        );
        const after = await programRows(admin);
        if (response.status === 400) {
          expect(body).toContain("Nothing was imported.");
          expect(after).toEqual(before);
        } else expect(after.size).toBe(before.size + 1);
      }),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
    expect(seen.get(400) ?? 0).toBeGreaterThan(0);
  });
});
