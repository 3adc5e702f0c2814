import { beforeEach, describe, expect, it } from "vitest";
import { completeSetup, ensureInstallation, isSetupComplete } from "~/models/accounts/installation.server";
import { TEST_PASSWORD } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { ConflictError } from "~/models/errors";

describe("installation and first-time setup", () => {
  const t = useTestDatabase();

  // Each test starts from a database nobody has set up yet.
  beforeEach(async () => {
    await t.db.deleteFrom("installation").execute();
    await t.db.deleteFrom("users").execute();
  });

  const admin = (n: number) => ({ name: `Admin ${n}`, email: `Admin${n}@Example.com`, password: TEST_PASSWORD });

  it("ensureInstallation creates one secret and returns the same one every time", async () => {
    const first = await ensureInstallation(t.db);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await ensureInstallation(t.db)).toBe(first);
    const rows = await t.db.selectFrom("installation").selectAll().execute();
    expect(rows).toEqual([{ id: 1, secret: first, setup_completed_at: null, data_version: 0, enablement_version: 0 }]);
  });

  it("setup creates an active administrator and marks the installation as set up", async () => {
    expect(await isSetupComplete(t.db)).toBe(false);
    const user = await completeSetup(t.db, admin(1));
    expect(user).toMatchObject({ email: "admin1@example.com", role: "admin", active: true });
    expect(await isSetupComplete(t.db)).toBe(true);
    const event = await t.db.selectFrom("audit_events").selectAll().where("entity_id", "=", user.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: "user.created", actor_id: user.id });
  });

  it("setup works once: a second attempt is refused and creates no account", async () => {
    const secret = await ensureInstallation(t.db);
    await completeSetup(t.db, admin(1));
    await expect(completeSetup(t.db, admin(2))).rejects.toBeInstanceOf(ConflictError);
    const users = await t.db.selectFrom("users").select("email").execute();
    expect(users).toEqual([{ email: "admin1@example.com" }]);
    // Completing setup keeps the installation's secret.
    expect(await ensureInstallation(t.db)).toBe(secret);
  });

  it("two setups at the same moment: exactly one succeeds, the other is refused", async () => {
    const results = await Promise.allSettled([completeSetup(t.db, admin(1)), completeSetup(t.db, admin(2))]);
    const succeeded = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(ConflictError);
    const admins = await t.db.selectFrom("users").select("role").execute();
    expect(admins).toEqual([{ role: "admin" }]);
  });

  it("a failed setup (email rejected by the database) leaves the installation open for another try", async () => {
    await completeSetup(t.db, admin(1));
    // Reopen setup while the first admin still exists: creating the same email again fails…
    await t.db.updateTable("installation").set({ setup_completed_at: null }).execute();
    await expect(completeSetup(t.db, admin(1))).rejects.toThrow(/already exists/);
    // …and the claim on the installation is rolled back with it.
    expect(await isSetupComplete(t.db)).toBe(false);
  });
});
