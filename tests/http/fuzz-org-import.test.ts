import fc from "fast-check";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EDITABLE_FIELDS, IMPORT_FIELDS } from "~/models/org/import-fields";
import { fieldValue, fuzzForm, hostileString, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { latestAuditEvents, setUpInstallation } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Hostile input to the HR import: intents, upload ids, column mappings and the contents of the
// file itself. The server never answers with a 5xx, and the only change anyone can see (an
// "org.imported" audit event) happens only when a staged upload is really committed.

const RUNS = 30;

let server: RunningServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
});
afterAll(async () => {
  await server?.stop();
});

function uploadForm(csv: string | Uint8Array<ArrayBuffer>, fileName = "hr.csv"): FormData {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("file", new Blob([csv], { type: "text/csv" }), fileName);
  return form;
}

/** Stages a valid upload and returns its id. */
async function stage(csv: string): Promise<string> {
  const response = await admin.post("/org/import", uploadForm(csv));
  expect(response.status).toBe(302);
  return /\/org\/import\/([0-9a-f-]{36})$/.exec(response.headers.get("location") ?? "")![1];
}

let counter = 0;
function validCsv(): string {
  counter += 1;
  return [
    "Name,Email,Unit path,Team",
    `Fuzz ${counter},fuzz-${counter}-${Date.now()}@example.com,Fuzz › Unit ${counter},Team ${counter}`,
  ].join("\n");
}

const HEADERS = [
  "Name",
  "Email",
  "Unit path",
  "Unit",
  "Parent unit",
  "Team",
  "Team lead email",
  "Employee ID",
  "Title",
  "First name",
  "Last name",
  "Other",
];
const cell = fc.oneof(
  { arbitrary: hostileString(), weight: 3 },
  { arbitrary: fc.uuid().map((u) => `fuzz-${u.slice(0, 8)}@example.com`), weight: 3 },
  {
    arbitrary: fc.constantFrom("", "a › b", "x/y/z", ">", "›", " / ", '"', '""', "\n", "\r\n", "Fuzz › Unit 1", "ΑΣ", "ασ", "İ", "Ä"),
    weight: 2,
  },
);
const hostileCsv = fc
  .record({
    header: fc.shuffledSubarray(HEADERS, { minLength: 1 }),
    rows: fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 8 }),
    delimiter: fc.constantFrom(",", ";", "\t"),
    newline: fc.constantFrom("\n", "\r\n", "\r"),
    bom: fc.boolean(),
    raw: fc.boolean(),
  })
  .map(({ header, rows, delimiter, newline, bom, raw }) => {
    const all = [header, ...rows];
    // Either a well-formed file (quoted where needed) or the cells joined as they are.
    const body = raw ? all.map((r) => r.join(delimiter)).join(newline) : Papa.unparse(all, { delimiter, newline });
    return `${bom ? "\uFEFF" : ""}${body}`;
  });

// Files that mostly import: valid emails and names, with hostile text in some cells.
const sometimes = (valid: fc.Arbitrary<string>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostileString(), weight: 1 });
const nearlyValidCsv = fc
  .array(
    fc.record({
      id: sometimes(fc.uuid().map((u) => u.slice(0, 8))),
      name: sometimes(fc.string({ minLength: 1, maxLength: 30 }).map((n) => `Fuzz ${n}`)),
      email: fc.uuid().map((u) => `fuzz-${u.slice(0, 13)}@example.com`),
      unitPath: sometimes(fc.constantFrom("Fuzz › A", "Fuzz/B", "Fuzz > A > C", "fuzz › a", "ΑΣ › ασ", "Fuzz")),
      team: sometimes(fc.constantFrom("", "T1", "t1", "T2")),
      leadRow: fc.nat(5),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows) =>
    Papa.unparse([
      ["Employee ID", "Name", "Email", "Unit path", "Team", "Team lead email"],
      ...rows.map((r) => [r.id, r.name, r.email, r.unitPath, r.team, r.team ? (rows[r.leadRow % rows.length].email ?? "") : ""]),
    ]),
  );

function expectBelow500(response: FuzzResponse) {
  expect(response.status).toBeLessThan(500);
}

describe("hostile forms to /org/import", () => {
  it("hostile intents, lines, cells, confirmations and column mappings never cause a 5xx, and only a real commit records an import", async () => {
    const id = await stage(validCsv());
    const validIntent = fc.constantFrom("remap", "commit", "skip-line", "unskip-line", "fix-line", "confirm-renames", "confirm-emails");
    const validField = fc.constantFrom("", ...IMPORT_FIELDS);
    const cells = Object.fromEntries(
      EDITABLE_FIELDS.slice(0, 6).map((f) => [`cell-${f}`, fieldValue(fc.constantFrom("", "Fuzz", "fuzz@example.com", "A › B"))]),
    );
    let commits = 0;
    await fuzzForm({
      client: admin,
      path: `/org/import/${id}`,
      fields: {
        intent: fieldValue(validIntent),
        line: fieldValue(fc.constantFrom("2", "1", "0", "-1", "99999999999", "2.5")),
        leavers: fieldValue(fc.constantFrom("keep", "archive")),
        fingerprint: fieldValue(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), maxLength: 40 })),
        rename: fieldValue(fc.uuid()),
        match: fieldValue(fc.constantFrom("2", "3")),
        shown: fieldValue(fc.constantFrom("2", "3")),
        "col-0": fieldValue(validField),
        "col-1": fieldValue(validField),
        "col-2": fieldValue(validField),
        "col-3": fieldValue(validField),
        ...cells,
      },
      validFields: {
        intent: validIntent,
        line: fc.constant("2"),
        leavers: fc.constant("keep"),
        "col-0": fc.constant("name"),
        "col-1": fc.constant("email"),
        "col-2": fc.constant("unitPath"),
        "col-3": fc.constant("team"),
      },
      numRuns: RUNS * 3,
      observe: () => latestAuditEvents(admin),
      check: (response, before, after) => {
        expectBelow500(response);
        if (after !== before) {
          commits += 1;
          expect(response.status).toBe(302);
          expect(response.location).toBe(`/org/import/${id}`);
          expect(after).toMatch(/Import #\d+ of “hr.csv”/);
        }
      },
    });
    // The one staged upload can be committed at most once.
    expect(commits).toBeLessThanOrEqual(1);
  });

  it("hostile file contents are previewed and committed without a 5xx", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileCsv, nearlyValidCsv),
        fc.constantFrom("hr.csv", "../../etc/passwd", 'x"y.csv', "", "\u202Eevil.csv"),
        async (csv, fileName) => {
          const uploaded = await admin.post("/org/import", uploadForm(csv, fileName || "a"));
          const body = await uploaded.text();
          expect([302, 400], `${uploaded.status}: ${body.slice(0, 200)}`).toContain(uploaded.status);
          if (uploaded.status !== 302) return;
          const location = uploaded.headers.get("location")!;
          const id = /\/org\/import\/([0-9a-f-]{36})$/.exec(location)![1];
          const page = await admin.get(location);
          const html = await page.text();
          expect(page.status, html.slice(0, 300)).toBe(200);
          const columns = [...html.matchAll(/name="col-(\d+)"/g)].length;
          const remap = await admin.post(location, {
            intent: "remap",
            ...Object.fromEntries(Array.from({ length: columns }, (_, i) => [`col-${i}`, IMPORT_FIELDS[i % IMPORT_FIELDS.length]])),
          });
          expect(remap.status).toBeLessThan(500);
          await remap.arrayBuffer();
          const commit = await admin.post(location, { intent: "commit", leavers: "keep" });
          expect([302, 400, 409]).toContain(commit.status);
          statuses.set(commit.status, (statuses.get(commit.status) ?? 0) + 1);
          await commit.arrayBuffer();
          const after = await admin.get(location);
          expect(after.status).toBe(200);
          await after.arrayBuffer();
          const report = await admin.get(`/org/import/${id}/report.csv`);
          expect([200, 409]).toContain(report.status);
          await report.arrayBuffer();
        },
      ),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
    // The fuzzing reached both the refusal of bad lines and real imports.
    expect(statuses.get(302) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
  });

  it("binary and oversized bodies are refused with a 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), async (bytes) => {
        const response = await admin.post("/org/import", uploadForm(bytes, "blob.bin"));
        expect(response.status).toBeLessThan(500);
        await response.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });
});
