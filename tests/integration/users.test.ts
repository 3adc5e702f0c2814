import { describe, expect, it } from "vitest";
import {
  countActiveAdmins,
  createUser,
  findUserByEmail,
  getUser,
  LAST_ADMIN_MESSAGE,
  SELF_DEACTIVATION_MESSAGE,
  setPassword,
  updateUser,
} from "~/models/accounts/users.server";
import { verifyPassword } from "~/utils/password.server";
import { createTestUser, TEST_PASSWORD } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { FieldError } from "~/models/errors";

describe("user accounts", () => {
  const t = useTestDatabase();

  async function auditFor(entityId: string) {
    return t.db.selectFrom("audit_events").selectAll().where("entity_id", "=", entityId).orderBy("id").execute();
  }

  /** Gives `userId` signed-in sessions (rows as Lucia writes them); returns their ids. */
  async function sessionsFor(userId: string, count = 2): Promise<string[]> {
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    const expiresAt = new Date(Date.now() + 3600_000);
    await t.db
      .insertInto("auth_sessions")
      .values(ids.map((id) => ({ id, user_id: userId, expires_at: expiresAt })))
      .execute();
    return ids;
  }

  async function sessionIds(userId: string): Promise<string[]> {
    const rows = await t.db.selectFrom("auth_sessions").select("id").where("user_id", "=", userId).orderBy("id").execute();
    return rows.map((r) => r.id);
  }

  describe("createUser", () => {
    it("stores the email trimmed and in lowercase, the name trimmed, and a hash that verifies", async () => {
      const user = await createUser(t.db, null, {
        name: "  Grace Hopper ",
        email: "  Grace.Hopper@Example.COM ",
        password: TEST_PASSWORD,
        role: "plo",
      });
      expect(user).toMatchObject({ email: "grace.hopper@example.com", name: "Grace Hopper", role: "plo", active: true });
      expect(user).not.toHaveProperty("password_hash");
      const stored = await findUserByEmail(t.db, "GRACE.hopper@example.com");
      expect(stored?.id).toBe(user.id);
      expect(stored?.password_hash).not.toContain(TEST_PASSWORD);
      expect(await verifyPassword(stored!.password_hash, TEST_PASSWORD)).toBe(true);
      expect(await verifyPassword(stored!.password_hash, "wrong-password-here")).toBe(false);
    });

    it("refuses an email that exists already in another case, and creates nothing", async () => {
      await createTestUser(t.db, { email: "linus@example.com" });
      const duplicate = createUser(t.db, null, { name: "Linus 2", email: "LINUS@Example.com", password: TEST_PASSWORD, role: "coach" });
      await expect(duplicate).rejects.toBeInstanceOf(FieldError);
      const rows = await t.db.selectFrom("users").select("name").where("email", "ilike", "linus@example.com").execute();
      expect(rows.map((r) => r.name)).toHaveLength(1);
      expect(await t.db.selectFrom("audit_events").select("id").where("summary", "like", "%LINUS%").execute()).toEqual([]);
    });

    it("records user.created with the account's details and nothing of its password", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const user = await createUser(t.db, admin, { name: "Bo Coach", email: "bo@example.com", password: TEST_PASSWORD, role: "coach" });
      const [event] = await auditFor(user.id);
      expect(event).toMatchObject({
        action: "user.created",
        entity_type: "user",
        actor_id: admin.id,
        actor_label: admin.name,
        summary: "Created account bo@example.com (coach)",
        details: { email: "bo@example.com", name: "Bo Coach", role: "coach" },
      });
      const hash = (await findUserByEmail(t.db, "bo@example.com"))!.password_hash;
      const written = JSON.stringify(event);
      expect(written).not.toContain(hash);
      expect(written).not.toContain(TEST_PASSWORD);
      expect(Object.keys(event.details)).toEqual(expect.not.arrayContaining([expect.stringMatching(/password|hash/i)]));
    });

    it("an account created without an actor (setup) is recorded as created by itself", async () => {
      const user = await createTestUser(t.db, { actor: null });
      const [event] = await auditFor(user.id);
      expect(event).toMatchObject({ action: "user.created", actor_id: user.id, actor_label: user.name });
    });
  });

  describe("updateUser", () => {
    it("a role change ends that user's sessions, not anyone else's, and records from and to", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const coach = await createTestUser(t.db, { role: "coach" });
      const other = await createTestUser(t.db, { role: "coach" });
      await sessionsFor(coach.id);
      const othersSessions = await sessionsFor(other.id);

      const result = await updateUser(t.db, admin, coach.id, { name: coach.name, email: coach.email, role: "plo", active: true });
      expect(result).toMatchObject({ sessionsEnded: true, user: { id: coach.id, role: "plo" } });
      expect(await sessionIds(coach.id)).toEqual([]);
      expect(await sessionIds(other.id)).toEqual([...othersSessions].sort());

      const events = await auditFor(coach.id);
      expect(events.at(-1)).toMatchObject({
        action: "user.updated",
        actor_id: admin.id,
        details: { role: { from: "coach", to: "plo" } },
      });
    });

    it("a change of name only keeps the user signed in", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const coach = await createTestUser(t.db, { role: "coach", name: "Old Name" });
      const sessions = await sessionsFor(coach.id);

      const result = await updateUser(t.db, admin, coach.id, { name: "New Name", email: coach.email, role: "coach", active: true });
      expect(result?.sessionsEnded).toBe(false);
      expect(await sessionIds(coach.id)).toEqual([...sessions].sort());
      const events = await auditFor(coach.id);
      expect(events.at(-1)).toMatchObject({
        action: "user.updated",
        details: { name: { from: "Old Name", to: "New Name" } },
      });
      expect(Object.keys(events.at(-1)!.details)).toEqual(["name"]);
    });

    it("deactivating an account ends its sessions", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const sponsor = await createTestUser(t.db, { role: "sponsor" });
      await sessionsFor(sponsor.id);
      const result = await updateUser(t.db, admin, sponsor.id, {
        name: sponsor.name,
        email: sponsor.email,
        role: "sponsor",
        active: false,
      });
      expect(result).toMatchObject({ sessionsEnded: true, user: { active: false } });
      expect(await sessionIds(sponsor.id)).toEqual([]);
      expect((await auditFor(sponsor.id)).at(-1)?.details).toEqual({ active: { from: true, to: false } });
    });

    it("saving an account unchanged records nothing", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const lead = await createTestUser(t.db, { role: "team_lead" });
      const before = await auditFor(lead.id);
      await updateUser(t.db, admin, lead.id, { name: lead.name, email: lead.email.toUpperCase(), role: "team_lead", active: true });
      expect(await auditFor(lead.id)).toEqual(before);
    });

    it("refuses to take another account's email, in any case", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const first = await createTestUser(t.db, { email: "taken@example.com" });
      const second = await createTestUser(t.db);
      const change = updateUser(t.db, admin, second.id, { name: second.name, email: "TAKEN@example.com", role: "plo", active: true });
      await expect(change).rejects.toBeInstanceOf(FieldError);
      expect((await getUser(t.db, second.id))?.email).toBe(second.email);
      expect((await getUser(t.db, first.id))?.email).toBe("taken@example.com");
    });

    it("an unknown account gives null", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      expect(await updateUser(t.db, admin, "no-such-id", { name: "X", email: "x@example.com", role: "plo", active: true })).toBeNull();
    });

    it("refuses to deactivate one's own account (a rule of the model, not only of the page)", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const own = updateUser(t.db, admin, admin.id, { name: admin.name, email: admin.email, role: "admin", active: false });
      await expect(own).rejects.toMatchObject({ fields: { active: SELF_DEACTIVATION_MESSAGE } });
      expect((await getUser(t.db, admin.id))?.active).toBe(true);
    });

    it("two administrators demoting each other at once: one stays an administrator", async () => {
      // Only these two are active administrators.
      await t.db.updateTable("users").set({ active: false }).where("role", "=", "admin").execute();
      const a = await createTestUser(t.db, { role: "admin" });
      const b = await createTestUser(t.db, { role: "admin" });
      const results = await Promise.allSettled([
        updateUser(t.db, a, b.id, { name: b.name, email: b.email, role: "plo", active: true }),
        updateUser(t.db, b, a.id, { name: a.name, email: a.email, role: "plo", active: true }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ fields: { role: LAST_ADMIN_MESSAGE } });
      expect(await countActiveAdmins(t.db)).toBe(1);
    });
  });

  describe("setPassword", () => {
    it("an administrator's reset ends every session of the user and is recorded as a reset", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const coach = await createTestUser(t.db, { role: "coach" });
      await sessionsFor(coach.id, 3);
      const adminSessions = await sessionsFor(admin.id, 1);

      await setPassword(t.db, admin, coach.id, "a-brand-new-password");
      expect(await sessionIds(coach.id)).toEqual([]);
      expect(await sessionIds(admin.id)).toEqual(adminSessions);
      const stored = await findUserByEmail(t.db, coach.email);
      expect(await verifyPassword(stored!.password_hash, "a-brand-new-password")).toBe(true);
      expect(await verifyPassword(stored!.password_hash, TEST_PASSWORD)).toBe(false);
      const event = (await auditFor(coach.id)).at(-1);
      expect(event).toMatchObject({
        action: "user.password_reset",
        actor_id: admin.id,
        summary: `Reset the password of ${coach.email}`,
        details: {},
      });
      expect(JSON.stringify(event)).not.toContain("a-brand-new-password");
    });

    it("changing one's own password keeps the current session and ends the others", async () => {
      const plo = await createTestUser(t.db, { role: "plo" });
      const [current, ...others] = await sessionsFor(plo.id, 3);
      await setPassword(t.db, plo, plo.id, "my-own-new-password", current);
      expect(await sessionIds(plo.id)).toEqual([current]);
      expect(others).toHaveLength(2);
      expect((await auditFor(plo.id)).at(-1)).toMatchObject({
        action: "user.password_changed",
        actor_id: plo.id,
        summary: "Changed own password",
      });
    });

    it("an unknown account changes nothing and records nothing", async () => {
      const admin = await createTestUser(t.db, { role: "admin" });
      await setPassword(t.db, admin, "no-such-id", "whatever-password");
      expect(await auditFor("no-such-id")).toEqual([]);
    });
  });

  describe("countActiveAdmins", () => {
    it("counts only active administrators, leaving out the one given", async () => {
      const before = await countActiveAdmins(t.db);
      const admin = await createTestUser(t.db, { role: "admin" });
      const retired = await createTestUser(t.db, { role: "admin" });
      await createTestUser(t.db, { role: "plo" });
      expect(await countActiveAdmins(t.db)).toBe(before + 2);

      await updateUser(t.db, admin, retired.id, { name: retired.name, email: retired.email, role: "admin", active: false });
      expect(await countActiveAdmins(t.db)).toBe(before + 1);
      expect(await countActiveAdmins(t.db, admin.id)).toBe(before);
      expect(typeof (await countActiveAdmins(t.db))).toBe("number");
    });
  });
});
