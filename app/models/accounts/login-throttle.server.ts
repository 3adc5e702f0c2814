import { sql } from "kysely";
import type { DB } from "~/utils/db.server";

/**
 * Login throttling. Attempts are counted per account (email) and per IP address within a
 * window — reserved before the password is verified, given back when it was right; after a few
 * failures each answer is slowed down, after more the key is locked for a while. The same rules
 * apply whether or not the email exists, so nothing is revealed. See docs/decisions/0007 and 0012.
 */
export const THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  slowAfter: 3,
  accountLockAfter: 5,
  ipLockAfter: 20,
  maxDelayMs: 2_000,
};

export type ThrottleState = { locked: false; delayMs: number } | { locked: true; retryAfterSeconds: number };

function keys(email: string, ip: string | null): { account: string; ip: string | null } {
  return { account: `email:${email.trim().toLowerCase()}`, ip: ip ? `ip:${ip}` : null };
}

export async function checkThrottle(db: DB, email: string, ip: string | null, now = new Date()): Promise<ThrottleState> {
  const k = keys(email, ip);
  const rows = await db
    .selectFrom("login_throttle")
    .selectAll()
    .where("key", "in", k.ip ? [k.account, k.ip] : [k.account])
    .execute();
  let retryAfter = 0;
  let failures = 0;
  const windowStart = now.getTime() - THROTTLE.windowMinutes * 60_000;
  for (const row of rows) {
    if (row.locked_until && row.locked_until.getTime() > now.getTime()) {
      retryAfter = Math.max(retryAfter, Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000));
    }
    if (row.key === k.account && row.first_failure_at.getTime() >= windowStart) failures = row.failures;
  }
  if (retryAfter > 0) return { locked: true, retryAfterSeconds: retryAfter };
  const over = failures - THROTTLE.slowAfter + 1;
  return { locked: false, delayMs: over > 0 ? Math.min(250 * 2 ** (over - 1), THROTTLE.maxDelayMs) : 0 };
}

/**
 * Counts one attempt under `key` in one atomic statement, unless the key is locked. Returns the
 * attempt's number in the window, or null when refused. Concurrent reservations of one key are
 * serialized by the row (PostgreSQL's ON CONFLICT takes its lock; PGlite runs one statement at
 * a time), so at most `lockAfter` attempts are ever granted per window, however many arrive at once.
 */
async function reserveKey(db: DB, key: string, lockAfter: number, now: Date): Promise<number | null> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000);
  const count = sql<number>`(case when login_throttle.first_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end)`;
  const row = await db
    .insertInto("login_throttle")
    .values({ key, failures: 1, first_failure_at: now, locked_until: lockAfter <= 1 ? lockUntil : null })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet({
          failures: count,
          first_failure_at: sql<Date>`case when login_throttle.first_failure_at < ${windowStart} then ${now} else login_throttle.first_failure_at end`,
          locked_until: sql<Date | null>`case when ${count} >= ${lockAfter} then ${lockUntil}::timestamptz else null end`,
        })
        .where((eb) => eb.or([eb("login_throttle.locked_until", "is", null), eb("login_throttle.locked_until", "<=", now)])),
    )
    .returning("failures")
    .executeTakeFirst();
  return row ? row.failures : null;
}

/** Gives back a reservation that was not a failure (a success, or the other key refused). */
async function refundKey(db: DB, key: string, lockAfter: number): Promise<void> {
  await db
    .updateTable("login_throttle")
    .set({
      failures: sql<number>`greatest(failures - 1, 0)`,
      locked_until: sql<Date | null>`case when failures - 1 < ${lockAfter} then null else locked_until end`,
    })
    .where("key", "=", key)
    .execute();
}

export type Reservation =
  { granted: true; email: string; ip: string | null; delayMs: number } | { granted: false; retryAfterSeconds: number };

/**
 * Reserve → verify → settle. The attempt is counted (as a failure) BEFORE the password is
 * checked, per account and per address (one atomic statement each); only a granted reservation may be
 * verified. `settleSuccess` gives it back when the password was right; a wrong password needs
 * nothing more. So at most THROTTLE.accountLockAfter guesses per account and ipLockAfter per
 * address are ever verified in a window, even when they all arrive at the same moment.
 */
export async function reserveAttempt(db: DB, email: string, ip: string | null, now = new Date()): Promise<Reservation> {
  const k = keys(email, ip);
  // Two single-statement reservations, no transaction around them: on PGlite (one connection)
  // a transaction would hold every other request back while it waits between its statements.
  let attempt = await reserveKey(db, k.account, THROTTLE.accountLockAfter, now);
  if (attempt !== null && k.ip && (await reserveKey(db, k.ip, THROTTLE.ipLockAfter, now)) === null) {
    await refundKey(db, k.account, THROTTLE.accountLockAfter);
    attempt = null;
  }
  if (attempt === null) {
    const state = await checkThrottle(db, email, ip, now);
    return { granted: false, retryAfterSeconds: state.locked ? state.retryAfterSeconds : 60 };
  }
  // The attempt's own number: the first `slowAfter` cost nothing, then each one doubles the wait.
  const over = attempt - THROTTLE.slowAfter;
  return { granted: true, email, ip, delayMs: over > 0 ? Math.min(250 * 2 ** (over - 1), THROTTLE.maxDelayMs) : 0 };
}

/** The reserved attempt was right: the account starts afresh, and the address gets its attempt back. */
export async function settleSuccess(db: DB, reservation: Extract<Reservation, { granted: true }>): Promise<void> {
  const k = keys(reservation.email, reservation.ip);
  await db.deleteFrom("login_throttle").where("key", "=", k.account).execute();
  if (k.ip) await refundKey(db, k.ip, THROTTLE.ipLockAfter);
}

/** Counts a failed attempt that was not reserved (tests and tools); sign-in itself reserves. */
export async function recordLoginFailure(db: DB, email: string, ip: string | null, now = new Date()): Promise<void> {
  await reserveAttempt(db, email, ip, now);
}

/** A successful login clears the account's count (not the IP's: one good password must not unlock a spray). */
export async function clearAccountFailures(db: DB, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", keys(email, null).account).execute();
}
