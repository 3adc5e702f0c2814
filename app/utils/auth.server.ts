// The only module that imports lucia: sessions live in `auth_sessions` through a small Kysely
// adapter that works on PostgreSQL and PGlite alike. See docs/decisions/0003-sessions-lucia-behind-one-module.md.
import { createHash } from "node:crypto";
import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { redirect } from "@remix-run/node";
import type { Role } from "../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { reserveAttempt, settleSuccess, type Reservation } from "~/models/accounts/login-throttle.server";
import { findUserByEmail } from "~/models/accounts/users.server";
import { getDb, type DB } from "./db.server";
import { decoyHash, verifyPassword } from "./password.server";
import { can, type Permission } from "./permissions";
import { recordLoginFailure } from "./metrics.server";
import { currentRequestContext, memoPerRequest } from "./request-context.server";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The session's id as stored (the hash of the cookie's token), e.g. to keep this session when others end. */
  sessionId: string;
}

/** Idle expiry (sliding) and absolute lifetime of a session; see the README's configuration. */
export const SESSION_IDLE_HOURS = Number(process.env.SESSION_IDLE_HOURS) || 12;
export const SESSION_MAX_DAYS = Number(process.env.SESSION_MAX_DAYS) || 7;

declare module "lucia" {
  interface Register {
    Lucia: Lucia<{ createdAt: Date }, { email: string; name: string; role: Role; active: boolean }>;
    DatabaseSessionAttributes: { created_at?: Date };
    DatabaseUserAttributes: { email: string; name: string; role: Role; active: boolean };
  }
}

/**
 * The id a session is stored under: the SHA-256 of the token in the cookie (as Lucia's guides
 * do), so a copy of the database — a backup, a dump — holds no token that signs anyone in.
 */
export function storedSessionId(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// Lucia deals in tokens (the cookie's value); the table only ever sees their hashes.
function kyselyAdapter(db: () => DB): Adapter {
  const toSession = (id: string, row: { user_id: string; expires_at: Date; created_at: Date }): DatabaseSession => ({
    id,
    userId: row.user_id,
    expiresAt: row.expires_at,
    attributes: { created_at: row.created_at },
  });
  return {
    async getSessionAndUser(token) {
      const row = await db()
        .selectFrom("auth_sessions as s")
        .innerJoin("users as u", "u.id", "s.user_id")
        .select(["s.user_id", "s.expires_at", "s.created_at", "u.email", "u.name", "u.role", "u.active"])
        .where("s.id", "=", storedSessionId(token))
        .executeTakeFirst();
      if (!row) return [null, null];
      const user: DatabaseUser = {
        id: row.user_id,
        attributes: { email: row.email, name: row.name, role: row.role, active: row.active },
      };
      return [toSession(token, row), user];
    },
    async getUserSessions(userId) {
      // Only hashes are stored: these sessions carry their stored ids, not tokens.
      const rows = await db().selectFrom("auth_sessions").selectAll().where("user_id", "=", userId).execute();
      return rows.map((row) => toSession(row.id, row));
    },
    async setSession(session) {
      await db()
        .insertInto("auth_sessions")
        .values({ id: storedSessionId(session.id), user_id: session.userId, expires_at: session.expiresAt })
        .execute();
    },
    async updateSessionExpiration(token, expiresAt) {
      await db().updateTable("auth_sessions").set({ expires_at: expiresAt }).where("id", "=", storedSessionId(token)).execute();
    },
    async deleteSession(token) {
      await db().deleteFrom("auth_sessions").where("id", "=", storedSessionId(token)).execute();
    },
    async deleteUserSessions(userId) {
      await db().deleteFrom("auth_sessions").where("user_id", "=", userId).execute();
    },
    async deleteExpiredSessions() {
      await db().deleteFrom("auth_sessions").where("expires_at", "<=", new Date()).execute();
    },
  };
}

function makeLucia(secure: boolean) {
  return new Lucia(kyselyAdapter(getDb), {
    sessionExpiresIn: new TimeSpan(SESSION_IDLE_HOURS, "h"),
    sessionCookie: {
      // `__Host-` binds the cookie to this exact origin; browsers accept it only when Secure.
      name: secure ? "__Host-rd_session" : "rd_session",
      attributes: { secure, sameSite: "lax", path: "/" },
    },
    getSessionAttributes: (attrs) => ({ createdAt: attrs.created_at ?? new Date() }),
    getUserAttributes: (attrs) => attrs,
  });
}

const lucias = { secure: makeLucia(true), plain: makeLucia(false) };

export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

function luciaFor(request: Request) {
  return isSecureRequest(request) ? lucias.secure : lucias.plain;
}

function sessionCookie(request: Request, sessionId: string): string {
  const lucia = luciaFor(request);
  // The cookie lives as long as the absolute lifetime; idle expiry is enforced by the database
  // row, which Lucia extends while the user is active, so the cookie never needs rewriting.
  const base = lucia.createSessionCookie(sessionId);
  return new Cookie(base.name, base.value, {
    ...base.attributes,
    httpOnly: true,
    maxAge: SESSION_MAX_DAYS * 24 * 60 * 60,
  }).serialize();
}

export function blankSessionCookie(request: Request): string {
  return luciaFor(request).createBlankSessionCookie().serialize();
}

function clientIp(): string | null {
  return currentRequestContext()?.ip ?? null;
}

/** The signed-in user of this request, or null. Looked up once per request. */
export async function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  const lucia = luciaFor(request);
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  return memoPerRequest(`auth:${sessionId}`, async () => {
    const { session, user } = await lucia.validateSession(sessionId);
    if (!session || !user) return null;
    const tooOld = Date.now() - session.createdAt.getTime() > SESSION_MAX_DAYS * 24 * 3600 * 1000;
    if (tooOld || !user.active) {
      await lucia.invalidateSession(session.id);
      return null;
    }
    const context = currentRequestContext();
    if (context) context.userId = user.id;
    return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: storedSessionId(session.id) };
  });
}

/** Returns the signed-in user or sends the browser to the login page (and back afterwards). */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back && back !== "/" ? `/login?redirectTo=${encodeURIComponent(back)}` : "/login");
}

/** Returns the signed-in user when their role grants `permission`; otherwise a 403 response. */
export async function requirePermission(request: Request, permission: Permission): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) {
    throw new Response("You do not have permission to do this.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export type LoginResult =
  { ok: true; user: CurrentUser; cookie: string } | { ok: false; reason: "invalid" | "locked"; retryAfterSeconds?: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One throttled password check (ADR 0012): the attempt is reserved first — refused at once when
 * the account or the address is locked —, then waited for (after a few failures), then verified.
 */
async function throttledCheck(
  email: string,
  verify: () => Promise<boolean>,
): Promise<
  { ok: true; reservation: Extract<Reservation, { granted: true }> } | { ok: false; locked: boolean; retryAfterSeconds?: number }
> {
  const reservation = await reserveAttempt(getDb(), email, clientIp());
  if (!reservation.granted) return { ok: false, locked: true, retryAfterSeconds: reservation.retryAfterSeconds };
  if (reservation.delayMs > 0) await sleep(reservation.delayMs);
  if (!(await verify())) return { ok: false, locked: false };
  return { ok: true, reservation };
}

export async function login(request: Request, email: string, password: string): Promise<LoginResult> {
  const db = getDb();
  let found: Awaited<ReturnType<typeof findUserByEmail>>;
  const check = await throttledCheck(email, async () => {
    found = await findUserByEmail(db, email);
    // Unknown emails are checked against a decoy hash, so the answer takes as long either way.
    const valid = await verifyPassword(found?.password_hash ?? (await decoyHash()), password);
    return Boolean(found && valid && found.active);
  });
  if (!check.ok && check.locked) {
    recordLoginFailure("locked");
    await recordAudit(db, {
      actor: null,
      action: "login.locked",
      entityType: "session",
      summary: `Refused a login for ${email.slice(0, 200)} while locked`,
      details: { email: email.slice(0, 200) },
    });
    return { ok: false, reason: "locked", retryAfterSeconds: check.retryAfterSeconds };
  }
  if (!check.ok || !found) {
    recordLoginFailure("invalid");
    await recordAudit(db, {
      actor: null,
      action: "login.failed",
      entityType: "session",
      entityId: found?.id ?? null,
      summary: `Failed login for ${email.slice(0, 200)}`,
      details: { email: email.slice(0, 200), reason: !found ? "unknown email" : !found.active ? "inactive" : "wrong password" },
    });
    return { ok: false, reason: "invalid" };
  }

  await settleSuccess(db, check.reservation);
  const session = await luciaFor(request).createSession(found.id, {});
  await db.updateTable("users").set({ last_login_at: new Date() }).where("id", "=", found.id).execute();
  await recordAudit(db, {
    actor: { id: found.id, name: found.name },
    action: "login.succeeded",
    entityType: "session",
    entityId: found.id,
    summary: `${found.name} signed in`,
  });
  const user: CurrentUser = {
    id: found.id,
    email: found.email,
    name: found.name,
    role: found.role,
    sessionId: storedSessionId(session.id),
  };
  return { ok: true, user, cookie: sessionCookie(request, session.id) };
}

export type PasswordCheck = { ok: true } | { ok: false; reason: "invalid" | "locked"; retryAfterSeconds?: number };

/**
 * The signed-in user's current password, checked before they change it: throttled like a sign-in
 * (same per-account and per-address counts, so a stolen session gets no extra guesses) and audited.
 */
export async function verifyCurrentPassword(user: CurrentUser, password: string): Promise<PasswordCheck> {
  const db = getDb();
  const actor = { id: user.id, name: user.name };
  const check = await throttledCheck(user.email, async () => {
    const account = await db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirst();
    return Boolean(account && (await verifyPassword(account.password_hash, password)));
  });
  if (check.ok) {
    await settleSuccess(db, check.reservation);
    return { ok: true };
  }
  await recordAudit(db, {
    actor,
    action: check.locked ? "user.password_check_locked" : "user.password_check_failed",
    entityType: "user",
    entityId: user.id,
    summary: check.locked ? "Refused a current-password check while locked" : "Entered a wrong current password",
  });
  return check.locked ? { ok: false, reason: "locked", retryAfterSeconds: check.retryAfterSeconds } : { ok: false, reason: "invalid" };
}

/** Starts a session for a user that was just created (setup). */
export async function startSession(request: Request, userId: string): Promise<string> {
  const session = await luciaFor(request).createSession(userId, {});
  return sessionCookie(request, session.id);
}

export async function logout(request: Request): Promise<string> {
  const user = await getCurrentUser(request);
  if (user) {
    await getDb().deleteFrom("auth_sessions").where("id", "=", user.sessionId).execute();
    await recordAudit(getDb(), {
      actor: { id: user.id, name: user.name },
      action: "logout",
      entityType: "session",
      entityId: user.id,
      summary: `${user.name} signed out`,
    });
  }
  return blankSessionCookie(request);
}
