import { sql } from "kysely";
import type { DB } from "~/utils/db.server";

/**
 * Login throttling. Failures are counted per account (email) and per IP address within a
 * window; after a few failures each answer is slowed down, after more the key is locked for
 * a while. The same rules apply whether or not the email exists, so nothing is revealed.
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

/** One atomic upsert, so failures arriving at the same moment are all counted. */
async function bump(db: DB, key: string, lockAfter: number, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000);
  await db
    .insertInto("login_throttle")
    .values({ key, failures: 1, first_failure_at: now, locked_until: lockAfter <= 1 ? lockUntil : null })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: sql<number>`case when login_throttle.first_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end`,
        first_failure_at: sql<Date>`case when login_throttle.first_failure_at < ${windowStart} then ${now} else login_throttle.first_failure_at end`,
        locked_until: sql<Date | null>`case
          when (case when login_throttle.first_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end) >= ${lockAfter} then ${lockUntil}
          when login_throttle.first_failure_at < ${windowStart} then null
          else login_throttle.locked_until end`,
      }),
    )
    .execute();
}

export async function recordLoginFailure(db: DB, email: string, ip: string | null, now = new Date()): Promise<void> {
  const k = keys(email, ip);
  await bump(db, k.account, THROTTLE.accountLockAfter, now);
  if (k.ip) await bump(db, k.ip, THROTTLE.ipLockAfter, now);
}

/** A successful login clears the account's count (not the IP's: one good password must not unlock a spray). */
export async function clearAccountFailures(db: DB, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", keys(email, null).account).execute();
}
