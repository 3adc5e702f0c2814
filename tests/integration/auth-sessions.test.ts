import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { up as hashSessionIds } from "../../db/migrations/2026_12_07_0020_session_id_hashes";
import {
  getCurrentUser,
  login,
  logout,
  requirePermission,
  requireUser,
  SESSION_IDLE_HOURS,
  SESSION_MAX_DAYS,
  storedSessionId,
} from "~/utils/auth.server";
import { runWithRequestContext } from "~/utils/request-context.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("sign-in sessions", () => {
  const t = useTestDatabase();

  /** Signs `user` in through login(); returns the session id and a Cookie header carrying it. */
  async function signIn(user: { email: string; password: string }, url = "http://localhost/login") {
    const result = await login(new Request(url), user.email, user.password);
    if (!result.ok) throw new Error(`login failed: ${result.reason}`);
    return { sessionId: result.user.sessionId, cookie: result.cookie, header: result.cookie.split(";")[0] };
  }

  const requestWith = (cookieHeader: string | null, path = "/programs") =>
    new Request(`http://localhost${path}`, { headers: cookieHeader ? { Cookie: cookieHeader } : {} });

  async function sessionRow(id: string) {
    return t.db.selectFrom("auth_sessions").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** What a thrown Response (redirect or error) says; fails when nothing was thrown. */
  async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
    const outcome = await promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (!("error" in outcome)) throw new Error("expected a thrown Response, got a value");
    expect(outcome.error).toBeInstanceOf(Response);
    return outcome.error as Response;
  }

  it("login sets an HttpOnly, SameSite=Lax rd_session cookie that lives for the absolute session lifetime", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { cookie, sessionId } = await signIn(plo);
    const [pair, ...attributes] = cookie.split(";").map((part) => part.trim());
    expect(pair).toMatch(/^rd_session=[a-z0-9]{20,}$/);
    expect(storedSessionId(pair.slice("rd_session=".length))).toBe(sessionId);
    expect(attributes).toEqual(
      expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", `Max-Age=${SESSION_MAX_DAYS * 24 * 60 * 60}`]),
    );
    // Seven days unless SESSION_MAX_DAYS says otherwise.
    if (!process.env.SESSION_MAX_DAYS) expect(cookie).toContain("Max-Age=604800");
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it("over HTTPS the cookie is Secure and bound to the origin with the __Host- prefix", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { cookie, header } = await signIn(plo, "https://desk.example.com/login");
    expect(header.startsWith("__Host-rd_session=")).toBe(true);
    expect(cookie).toMatch(/;\s*Secure/);
    expect(cookie).not.toMatch(/Domain=/i);
    const user = await getCurrentUser(new Request("https://desk.example.com/", { headers: { Cookie: header } }));
    expect(user?.id).toBe(plo.id);
  });

  it("the session cookie identifies the signed-in user", async () => {
    const coach = await createTestUser(t.db, { role: "coach" });
    const { header, sessionId } = await signIn(coach);
    expect(await getCurrentUser(requestWith(header))).toEqual({
      id: coach.id,
      email: coach.email,
      name: coach.name,
      role: "coach",
      sessionId,
    });
    const stored = await t.db.selectFrom("users").select("last_login_at").where("id", "=", coach.id).executeTakeFirstOrThrow();
    expect(stored.last_login_at).toBeInstanceOf(Date);
  });

  it("a request without a cookie, or with an unknown session, has no user", async () => {
    expect(await getCurrentUser(requestWith(null))).toBeNull();
    expect(await getCurrentUser(requestWith("rd_session=not-a-session"))).toBeNull();
    expect(await getCurrentUser(requestWith("other=cookie"))).toBeNull();
  });

  it("the email is matched whatever its case when signing in", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header } = await signIn({ email: plo.email.toUpperCase(), password: plo.password });
    expect((await getCurrentUser(requestWith(header)))?.id).toBe(plo.id);
  });

  it("a wrong password, an unknown email and a deactivated account are all refused alike", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const gone = await createTestUser(t.db, { role: "coach" });
    await t.db.updateTable("users").set({ active: false }).where("id", "=", gone.id).execute();
    const attempts = await Promise.all([
      login(new Request("http://localhost/login"), plo.email, "not-the-password"),
      login(new Request("http://localhost/login"), "nobody@example.com", "whatever-password"),
      login(new Request("http://localhost/login"), gone.email, gone.password),
    ]);
    expect(attempts).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
    ]);
    const reasons = await t.db
      .selectFrom("audit_events")
      .select(sql<string>`details->>'reason'`.as("reason"))
      .where("action", "=", "login.failed")
      .where(sql<string>`details->>'email'`, "in", [plo.email, "nobody@example.com", gone.email])
      .orderBy("reason")
      .execute();
    expect(reasons.map((r) => r.reason)).toEqual(["inactive", "unknown email", "wrong password"]);
    expect(await t.db.selectFrom("auth_sessions").select("id").where("user_id", "in", [plo.id, gone.id]).execute()).toEqual([]);
  });

  it("a successful login is recorded with the client's address", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    await runWithRequestContext("203.0.113.7", () => signIn(plo));
    const event = await t.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "login.succeeded")
      .where("entity_id", "=", plo.id)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: plo.id, ip: "203.0.113.7", summary: `${plo.name} signed in` });
  });

  it("after five wrong passwords even the right one is refused as locked", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    for (let i = 0; i < 5; i++) {
      expect(await login(new Request("http://localhost/login"), plo.email, `wrong-password-${i}`)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    const locked = await login(new Request("http://localhost/login"), plo.email, plo.password);
    expect(locked).toMatchObject({ ok: false, reason: "locked" });
    expect(locked.ok || locked.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("a session idle past its expiry is refused and deleted", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header, sessionId } = await signIn(plo);
    await t.db
      .updateTable("auth_sessions")
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where("id", "=", sessionId)
      .execute();
    expect(await getCurrentUser(requestWith(header))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it("an active session's idle expiry moves forward when it is used", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header, sessionId } = await signIn(plo);
    const soon = new Date(Date.now() + HOUR);
    await t.db.updateTable("auth_sessions").set({ expires_at: soon }).where("id", "=", sessionId).execute();
    expect((await getCurrentUser(requestWith(header)))?.id).toBe(plo.id);
    const row = await sessionRow(sessionId);
    expect(row!.expires_at.getTime()).toBeGreaterThan(Date.now() + (SESSION_IDLE_HOURS - 1) * HOUR);
  });

  it("a session older than the absolute lifetime is refused and deleted though it is not idle-expired", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header, sessionId } = await signIn(plo);
    const created = new Date(Date.now() - SESSION_MAX_DAYS * DAY - HOUR);
    await sql`update auth_sessions set created_at = ${created} where id = ${sessionId}`.execute(t.db);
    const row = await sessionRow(sessionId);
    expect(row!.expires_at.getTime()).toBeGreaterThan(Date.now());
    expect(await getCurrentUser(requestWith(header))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it("a session just inside the absolute lifetime is still accepted", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header, sessionId } = await signIn(plo);
    const created = new Date(Date.now() - SESSION_MAX_DAYS * DAY + HOUR);
    await sql`update auth_sessions set created_at = ${created} where id = ${sessionId}`.execute(t.db);
    expect((await getCurrentUser(requestWith(header)))?.id).toBe(plo.id);
  });

  it("the session of an account deactivated behind its back is refused and deleted", async () => {
    const sponsor = await createTestUser(t.db, { role: "sponsor" });
    const { header, sessionId } = await signIn(sponsor);
    // Straight in the database, not through updateUser (which would delete the session itself).
    await t.db.updateTable("users").set({ active: false }).where("id", "=", sponsor.id).execute();
    expect(await getCurrentUser(requestWith(header))).toBeNull();
    expect(await sessionRow(sessionId)).toBeUndefined();
  });

  it("a sponsor asking to change programs gets a 403", async () => {
    const sponsor = await createTestUser(t.db, { role: "sponsor" });
    const { header } = await signIn(sponsor);
    const response = await thrownResponse(requirePermission(requestWith(header, "/programs/new"), "programs:write"));
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("You do not have permission to do this.");
    // The same sponsor may read programs.
    expect((await requirePermission(requestWith(header), "programs:read")).id).toBe(sponsor.id);
  });

  it("a Program Lead Office member may change programs", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header } = await signIn(plo);
    expect((await requirePermission(requestWith(header), "programs:write")).role).toBe("plo");
  });

  it("without a session, requireUser sends the browser to login and back to the page afterwards", async () => {
    const response = await thrownResponse(requireUser(requestWith(null, "/programs/abc/raci?view=coach&x=1")));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/programs/abc/raci?view=coach&x=1")}`);
  });

  it("without a session, requireUser on the home page sends the browser to a plain /login", async () => {
    const response = await thrownResponse(requireUser(requestWith(null, "/")));
    expect(response.headers.get("Location")).toBe("/login");
  });

  it("without a session, requirePermission also redirects to login rather than answering 403", async () => {
    const response = await thrownResponse(requirePermission(requestWith(null, "/admin/users"), "users:manage"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
  });

  it("logout ends the session and clears the cookie", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const { header, sessionId } = await signIn(plo);
    const cleared = await logout(requestWith(header));
    expect(cleared).toMatch(/^rd_session=;/);
    expect(cleared).toContain("Max-Age=0");
    expect(await sessionRow(sessionId)).toBeUndefined();
    expect(await getCurrentUser(requestWith(header))).toBeNull();
  });
});

describe("session ids at rest", () => {
  const t = useTestDatabase();

  it("the database holds only a hash of the cookie's token: a copied row signs nobody in, the cookie does", async () => {
    const coach = await createTestUser(t.db, { role: "coach" });
    const result = await login(new Request("http://localhost/login"), coach.email, coach.password);
    if (!result.ok) throw new Error("login failed");
    const token = result.cookie.split(";")[0].slice("rd_session=".length);
    const rows = await t.db.selectFrom("auth_sessions").select("id").where("user_id", "=", coach.id).execute();
    expect(rows.map((r) => r.id)).toEqual([storedSessionId(token)]);
    expect(rows[0].id).not.toContain(token);
    // What a leaked backup holds, presented as a cookie: nobody.
    const fromBackup = new Request("http://localhost/programs", { headers: { Cookie: `rd_session=${rows[0].id}` } });
    expect(await getCurrentUser(fromBackup)).toBeNull();
    const fromBrowser = new Request("http://localhost/programs", { headers: { Cookie: `rd_session=${token}` } });
    expect((await getCurrentUser(fromBrowser))?.id).toBe(coach.id);
  });

  it("the migration hashes the sessions stored before it, and they stay signed in", async () => {
    const coach = await createTestUser(t.db, { role: "coach" });
    await t.db.deleteFrom("auth_sessions").execute();
    const token = "abcdefghijklmnopqrstuvwxyz234567abcdefgh";
    await t.db
      .insertInto("auth_sessions")
      .values({ id: token, user_id: coach.id, expires_at: new Date(Date.now() + HOUR) })
      .execute();
    await hashSessionIds(t.db);
    expect(await t.db.selectFrom("auth_sessions").select("id").execute()).toEqual([{ id: storedSessionId(token) }]);
    const request = new Request("http://localhost/programs", { headers: { Cookie: `rd_session=${token}` } });
    expect((await getCurrentUser(request))?.id).toBe(coach.id);
  });
});
