import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROGRAM_STATUSES, ROLES } from "../../db/schema";
import { expectRowsUnchanged, fieldValue, firstValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import { HttpClient } from "../support/http-client";
import {
  createProgram,
  createUser,
  PASSWORD,
  programRows,
  setUpInstallation,
  uniqueEmail,
  userRows,
  type TestUser,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Hostile input to every form: the server answers below 500 every time (a 400 with messages,
// or the action's success) and nothing but the form's own target changes. The tests of this
// file run in order: setup is fuzzed before it is completed.

const RUNS = 30;

const validName = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Name ${s}`);
const validEmail = fc.uuid().map((u) => `fuzz-${u.slice(0, 13)}@example.com`);
const validPassword = fc.string({ minLength: 12, maxLength: 60 }).filter((s) => s.length >= 12);
const validRole = fc.constantFrom(...ROLES);
const validDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validStatus = fc.constantFrom(...PROGRAM_STATUSES);

/** Each field fuzzed around its well-formed values, and those values as the baseline. */
function form(valid: Record<string, fc.Arbitrary<string>>) {
  return {
    fields: Object.fromEntries(Object.entries(valid).map(([key, arbitrary]) => [key, fieldValue(arbitrary)])),
    validFields: valid,
  };
}

let server: RunningServer;
let admin: HttpClient;
let adminUser: TestUser;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Completes setup once (after the test that fuzzes the empty installation, when it runs). */
async function ensureInstallation() {
  if (!admin) ({ client: admin, admin: adminUser } = await setUpInstallation(server.url));
}

function expectStatus(response: FuzzResponse, allowed: number[]) {
  expect(allowed, `answered ${response.status} (${response.location ?? "no redirect"})`).toContain(response.status);
}

describe("setup", () => {
  it("before setup, hostile setup forms are refused with 400 and create no administrator", async () => {
    const anonymous = new HttpClient(server.url);
    const statuses = await fuzzForm({
      client: anonymous,
      path: "/setup",
      ...form({ name: validName, email: validEmail, password: validPassword, confirm: validPassword }),
      // A matching pair of passwords (with a valid email) would really set the installation up.
      where: (f) => firstValue(f.password) !== firstValue(f.confirm),
      numRuns: RUNS,
      observe: async () => {
        const response = await anonymous.get("/setup");
        await response.arrayBuffer();
        return response.status;
      },
      check: (response, _before, setupPage) => {
        // 413: sign-in and setup accept small bodies only (16 KB, 20 fields); a longer hostile form is refused unread.
        expectStatus(response, [400, 413]);
        expect(setupPage, "the setup page is still open").toBe(200);
      },
    });
    expect((statuses.get(400) ?? 0) + (statuses.get(413) ?? 0)).toBe(RUNS);
  });

  it("after setup, every setup form is refused with 403 and the accounts stay as they are", async () => {
    await ensureInstallation();
    await createUser(admin, { role: "plo" });
    await fuzzForm({
      client: new HttpClient(server.url),
      path: "/setup",
      ...form({ name: validName, email: validEmail, password: fc.constant(PASSWORD), confirm: fc.constant(PASSWORD) }),
      numRuns: RUNS,
      observe: () => userRows(admin),
      check: (response, before, after) => {
        expectStatus(response, [403, 413]);
        expectRowsUnchanged(before, after);
      },
    });
  });
});

describe("accounts", () => {
  beforeAll(ensureInstallation);

  it("creating users from hostile forms adds at most the one account, and only on success", async () => {
    const statuses = await fuzzForm({
      client: admin,
      path: "/admin/users/new",
      ...form({ name: validName, email: validEmail, role: validRole, password: validPassword }),
      numRuns: 40,
      observe: () => userRows(admin),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectRowsUnchanged(before, after, { added: response.status === 302 ? 1 : 0 });
      },
    });
    expect(statuses.get(302), "some forms got through").toBeGreaterThan(0);
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  describe("editing an account", () => {
    let target: TestUser;
    beforeAll(async () => {
      target = await createUser(admin, { role: "coach" });
    });

    it("saving hostile account forms changes only that account, and only on success", async () => {
      const base = form({
        intent: fc.constant("save"),
        name: validName,
        email: validEmail,
        role: fc.constantFrom("coach", "sponsor", "team_lead", "plo"),
        active: fc.constantFrom("on", "true", ""),
      });
      await fuzzForm({
        client: admin,
        path: `/admin/users/${target.id}`,
        validFields: base.validFields,
        // Another account's email is well-formed but must still be refused.
        fields: { ...base.fields, email: fieldValue(fc.oneof(validEmail, fc.constant(adminUser.email))) },
        numRuns: RUNS,
        observe: () => userRows(admin),
        check: (response, before, after) => {
          expectStatus(response, [302, 400]);
          expectRowsUnchanged(before, after, { changed: response.status === 302 ? [target.id] : [] });
        },
      });
    });

    it("hostile password resets change no account in the list and answer 302 or 400", async () => {
      await fuzzForm({
        client: admin,
        path: `/admin/users/${target.id}`,
        ...form({ intent: fc.constant("reset-password"), password: validPassword }),
        numRuns: RUNS,
        observe: () => userRows(admin),
        check: (response, before, after) => {
          expectStatus(response, [302, 400]);
          expectRowsUnchanged(before, after);
        },
      });
    });

    it("an unknown or missing intent is a 400 that changes nothing", async () => {
      const base = form({ name: validName, email: validEmail, role: validRole, password: validPassword });
      const unknownIntent = fieldValue().filter((v) => !["save", "reset-password"].includes(firstValue(v) ?? ""));
      const statuses = await fuzzForm({
        client: admin,
        path: `/admin/users/${target.id}`,
        // The intent is never a known one, in the fuzzed and the well-formed forms alike.
        fields: { ...base.fields, intent: unknownIntent },
        validFields: { ...base.validFields, intent: unknownIntent },
        strayFields: false,
        numRuns: RUNS,
        observe: () => userRows(admin),
        check: (response, before, after) => {
          expectStatus(response, [400]);
          expectRowsUnchanged(before, after);
        },
      });
      expect(statuses.get(400)).toBe(RUNS);
    });
  });
});

describe("programs", () => {
  beforeAll(ensureInstallation);

  it("creating programs from hostile forms adds at most the program redirected to", async () => {
    await fuzzForm({
      client: admin,
      path: "/programs/new",
      ...form({ name: validName, description: fc.string({ maxLength: 200 }), startsOn: validDate, endsOn: validDate, status: validStatus }),
      numRuns: RUNS,
      observe: () => programRows(admin),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        const created = response.status === 302 ? /^\/programs\/([^/?]+)$/.exec(response.location ?? "")?.[1] : undefined;
        if (response.status === 302) expect(created, `redirected to ${response.location}`).toBeDefined();
        expectRowsUnchanged(before, after, { added: created ? [created] : [] });
      },
    });
  });

  it("hostile program settings change only that program, and only on success", async () => {
    await createProgram(admin, { name: "Bystander program" });
    const programId = await createProgram(admin, { name: "Fuzzed program" });
    await fuzzForm({
      client: admin,
      path: `/programs/${programId}/settings`,
      ...form({
        intent: fc.constantFrom("save", "archive", "unarchive"),
        name: validName,
        description: fc.string({ maxLength: 200 }),
        startsOn: validDate,
        endsOn: validDate,
        status: validStatus,
      }),
      numRuns: RUNS,
      observe: () => programRows(admin),
      check: (response, before, after) => {
        expectStatus(response, [302, 400]);
        expectRowsUnchanged(before, after, { changed: response.status === 302 ? [programId] : [] });
      },
    });
  });
});

describe("signing in", () => {
  beforeAll(ensureInstallation);

  it("hostile sign-in forms answer 400, 401 or 429 and sign nobody in", async () => {
    const anonymous = new HttpClient(server.url);
    await fuzzForm({
      client: anonymous,
      path: "/login",
      ...form({
        email: fc.constantFrom(adminUser.email, uniqueEmail("nobody")),
        password: fc.constant("not-the-password"),
        redirectTo: fc.constantFrom("/programs", "//evil.example", "https://evil.example"),
      }),
      numRuns: RUNS,
      observe: () => userRows(admin),
      check: (response, before, after) => {
        expectStatus(response, [400, 401, 413, 429]);
        expectRowsUnchanged(before, after);
        expect(anonymous.cookieHeader()).not.toMatch(/rd_session=/);
      },
    });
  });
});

describe("characters the database cannot store", () => {
  beforeAll(ensureInstallation);

  it("a NUL character in a form field is a 400 naming the field, not a server error", async () => {
    const nul = "bad\u0000value";
    const login = await new HttpClient(server.url).post("/login", { email: nul, password: "whatever-password" });
    expect(login.status).toBe(400);
    const program = await admin.post("/programs/new", { name: nul, status: "planned" });
    expect(program.status).toBe(400);
    expect(await program.text()).toContain("This field contains a character that is not allowed.");
    const user = await admin.post("/admin/users/new", {
      name: "Nul",
      email: uniqueEmail("nul"),
      role: "coach",
      password: `${PASSWORD}\u0000`,
    });
    expect(user.status).toBe(400);
  });

  it("a RACI CSV import containing a NUL character is a 400 that leaves the matrix as it was", async () => {
    const programId = await createProgram(admin);
    expect((await admin.post(`/programs/${programId}/raci`, { intent: "create", source: "template" })).status).toBe(302);
    const exportCsv = async () => {
      const response = await admin.get(`/programs/${programId}/raci.csv`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const before = await exportCsv();
    const upload = new FormData();
    upload.append("file", new Blob(["Group,Activity,PLO\nPlan\u0000,Draft the OKRs\u0000,R\n"], { type: "text/csv" }), "raci.csv");
    const response = await admin.post(`/programs/${programId}/raci/import`, upload);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("NUL character");
    expect(await exportCsv()).toBe(before);
  });
});
