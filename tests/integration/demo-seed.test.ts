import { describe, expect, it } from "vitest";
import { ROLES } from "../../db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PROGRAMS, seedDemo } from "../../db/seed/demo";
import { isSetupComplete } from "~/models/accounts/installation.server";
import { getMatrix, matrixIssues } from "~/models/raci/matrix.server";
import { findUserByEmail } from "~/models/accounts/users.server";
import { verifyPassword } from "~/utils/password.server";
import { graduationProposals } from "~/models/health/graduation.server";
import { healthView, loadHealthData } from "~/models/health/health.server";
import { today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";

// Loading the whole demo takes a while on a busy machine: a generous limit, not a speed assertion.
describe("the demo seed", { timeout: 180_000 }, () => {
  const t = useTestDatabase();

  async function snapshot() {
    const users = await t.db.selectFrom("users").select(["id", "email", "role", "active"]).orderBy("email").execute();
    const programs = await t.db
      .selectFrom("programs")
      .select(["id", "name", "status", "starts_on", "ends_on", "description", "created_by"])
      .orderBy("name")
      .execute();
    const audit = await t.db.selectFrom("audit_events").select(["action", "entity_id"]).orderBy("id").execute();
    return { users, programs, audit };
  }

  it("loads one active account per role and the pilot and rollout programs, and a second run changes nothing", async () => {
    const first = await seedDemo(t.db);
    expect(first.accounts.every((a) => a.created)).toBe(true);
    expect(first.programs.every((p) => p.created)).toBe(true);
    const afterFirst = await snapshot();

    const lines: string[] = [];
    const second = await seedDemo(t.db, { log: (line) => lines.push(line) });
    expect(second.accounts.some((a) => a.created)).toBe(false);
    expect(second.programs.some((p) => p.created)).toBe(false);
    // Every account, every program and the RACI matrix are reported as already there.
    expect(lines.filter((l) => l.includes("exists already"))).toHaveLength(DEMO_ACCOUNTS.length + DEMO_PROGRAMS.length + 1);
    expect(await snapshot()).toEqual(afterFirst);

    const { users, programs, audit } = afterFirst;
    for (const role of ROLES) {
      expect(
        users.filter((u) => u.role === role && u.active),
        `active ${role} accounts`,
      ).toHaveLength(1);
    }
    expect(users).toHaveLength(ROLES.length);

    expect(programs).toHaveLength(2);
    const pilot = programs.find((p) => p.name === "OKR pilot — Customer Operations");
    expect(pilot).toMatchObject({
      status: "completed",
      starts_on: expect.stringMatching(/^2026-/),
      ends_on: expect.stringMatching(/^2026-/),
    });
    const rollout = programs.find((p) => p.status === "active");
    expect(rollout).toMatchObject({ starts_on: "2026-10-01", ends_on: "2027-09-30" });
    expect(rollout?.description.length).toBeGreaterThan(0);

    // Created through the model functions: the audit log tells the story, the PLO owns the programs.
    const plo = users.find((u) => u.role === "plo");
    expect(programs.every((p) => p.created_by === plo?.id)).toBe(true);
    expect(audit.filter((a) => a.action === "user.created")).toHaveLength(ROLES.length);
    expect(audit.filter((a) => a.action === "program.created")).toHaveLength(2);
  });

  it("has one month-later HR re-import in the import history: a joiner and a move, by the PLO", async () => {
    await seedDemo(t.db);
    const imports = await t.db
      .selectFrom("org_imports")
      .select(["id", "file_name", "created_by"])
      .where("committed_at", "is not", null)
      .execute();
    expect(imports).toHaveLength(1);
    const kinds = await t.db.selectFrom("org_import_items").select("kind").where("import_id", "=", imports[0].id).execute();
    expect(kinds.filter((k) => k.kind === "error")).toEqual([]);
    const joiner = await t.db
      .selectFrom("people")
      .select(["name", "archived_at"])
      .where("email", "=", "noor.haddad@northwind.test")
      .executeTakeFirst();
    expect(joiner).toEqual({ name: "Noor Haddad", archived_at: null });
    const plo = await findUserByEmail(t.db, "plo@demo.rollout-desk.test");
    expect(imports[0].created_by).toBe(plo?.id);
  });

  it("gives the rollout a RACI matrix from the template with named people and exactly one deliberate error", async () => {
    await seedDemo(t.db);
    const rollout = await t.db.selectFrom("programs").select("id").where("status", "=", "active").executeTakeFirstOrThrow();
    const matrix = await getMatrix(t.db, rollout.id);
    expect(matrix?.roles.find((r) => r.name === "PLO")?.holders).toBe("Jonas Weber\nLena Fischer");
    const errors = matrixIssues(matrix!).filter((i) => i.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "several-accountable" });
    expect(errors[0].message).toContain("Create the rollout plan");
  });

  // Seeding again is a no-op, so each test below also stands on its own.
  it("marks setup as complete, so the demo skips the setup page", async () => {
    await seedDemo(t.db);
    expect(await isSetupComplete(t.db)).toBe(true);
  });

  it("every demo account signs in with the shared demo password", async () => {
    await seedDemo(t.db);
    for (const account of DEMO_ACCOUNTS) {
      const user = await findUserByEmail(t.db, account.email);
      expect(user, account.email).toBeDefined();
      expect(await verifyPassword(user!.password_hash, DEMO_PASSWORD)).toBe(true);
    }
  });
});

describe("the demo's process health", () => {
  // The demo as seeded once for the run (the seeding itself is the describe above's subject).
  const t = useTestDatabase({ demo: true });

  it("has wave 1 active with its entry criteria recorded, three cycles to compare, stale teams and proposals to confirm, one to self-sufficient", async () => {
    await seedDemo(t.db);
    const rollout = await t.db.selectFrom("programs").select("id").where("name", "=", DEMO_PROGRAMS[1].name).executeTakeFirstOrThrow();
    const wave1 = await t.db
      .selectFrom("waves")
      .select(["state", "entry_snapshot", "started_on"])
      .where("program_id", "=", rollout.id)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    expect(wave1).toMatchObject({ state: "active", started_on: "2026-10-05" });
    expect(wave1.entry_snapshot).not.toBeNull();
    const data = await loadHealthData(t.db, rollout.id, today());
    const view = healthView(data);
    expect(view.cycles.map((c) => c.name)).toEqual(["2026-Q2", "2026-Q3", "2026-Q4"]);
    expect(view.overall.score).not.toBeNull();
    expect(view.teams.some((r) => r.problems.includes("missed_windows"))).toBe(true);
    const { proposals } = await graduationProposals(t.db, rollout.id, data);
    expect(proposals.map((p) => p.to)).toEqual(expect.arrayContaining(["first_cycle", "running"]));
    // The pilot's model team meets the default rules on its own data: a real proposal, every piece of evidence met.
    const rules = await t.db.selectFrom("graduation_rules").select("program_id").where("program_id", "=", rollout.id).executeTakeFirst();
    expect(rules, "the default rules, not ones made to fit").toBeUndefined();
    const selfSufficient = proposals.filter((p) => p.to === "self_sufficient");
    expect(selfSufficient.map((p) => [p.teamName, p.from])).toEqual([["Warehouse Operations Hamburg", "running"]]);
    expect(selfSufficient[0].evidence.every((e) => e.ok)).toBe(true);
    expect(selfSufficient[0].evidence.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        "2026-Q2: 5 of 5 check-in windows kept (100 %)",
        "2026-Q3: 100 % of the key results scored",
        "2026-Q3: retrospective run by the team itself",
      ]),
    );
  }, 180_000);
});
