import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkThrottle,
  clearAccountFailures,
  recordLoginFailure,
  reserveAttempt,
  settleSuccess,
  THROTTLE,
} from "~/models/accounts/login-throttle.server";
import { useTestDatabase } from "../support/database";

const T0 = new Date("2027-03-01T09:00:00Z");
const later = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);
// Every test uses its own accounts and addresses, so their counts never mix.
const email = () => `user-${randomBytes(4).toString("hex")}@example.com`;
let addresses = 0;
const ip = () => `198.51.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;

describe("login throttling", () => {
  const t = useTestDatabase();

  async function fail(times: number, account: string, address: string | null, at = T0) {
    for (let i = 0; i < times; i++) await recordLoginFailure(t.db, account, address, at);
  }

  it("the rules are the documented ones: slow after 3, lock an account after 5 and an address after 20", () => {
    expect(THROTTLE).toMatchObject({ windowMinutes: 15, lockMinutes: 15, slowAfter: 3, accountLockAfter: 5, ipLockAfter: 20 });
  });

  it("an account with no failures is answered at once", async () => {
    expect(await checkThrottle(t.db, email(), ip(), T0)).toEqual({ locked: false, delayMs: 0 });
  });

  it("the first two failures cost nothing, then each failure doubles the delay", async () => {
    const account = email();
    const address = ip();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await fail(1, account, address);
      const state = await checkThrottle(t.db, account, address, T0);
      expect(state.locked).toBe(false);
      if (!state.locked) delays.push(state.delayMs);
    }
    expect(delays).toEqual([0, 0, 250, 500]);
  });

  it("the fifth failure locks the account for the lock period, from any address", async () => {
    const account = email();
    await fail(4, account, ip());
    expect((await checkThrottle(t.db, account, ip(), T0)).locked).toBe(false);
    await fail(1, account, ip());
    expect(await checkThrottle(t.db, account, ip(), T0)).toEqual({ locked: true, retryAfterSeconds: THROTTLE.lockMinutes * 60 });
    expect(await checkThrottle(t.db, account, null, later(5))).toEqual({ locked: true, retryAfterSeconds: 10 * 60 });
  });

  it("the account's lock ends after the lock period, and the old failures no longer count", async () => {
    const account = email();
    await fail(5, account, null);
    expect((await checkThrottle(t.db, account, null, later(14, 59))).locked).toBe(true);
    expect(await checkThrottle(t.db, account, null, later(15, 1))).toEqual({ locked: false, delayMs: 0 });
  });

  it("the email is counted whatever its case and surrounding spaces", async () => {
    const account = email();
    await fail(3, ` ${account.toUpperCase()} `, null);
    await fail(2, account, null);
    expect((await checkThrottle(t.db, account.toUpperCase(), null, T0)).locked).toBe(true);
  });

  it("failures older than the window are forgotten: a new failure starts counting again", async () => {
    const account = email();
    await fail(4, account, null, T0);
    expect(await checkThrottle(t.db, account, null, later(16))).toEqual({ locked: false, delayMs: 0 });
    // Had the old four still counted, this would be the fifth failure and lock the account.
    await fail(1, account, null, later(16));
    expect(await checkThrottle(t.db, account, null, later(16))).toEqual({ locked: false, delayMs: 0 });
    const row = await t.db.selectFrom("login_throttle").selectAll().where("key", "=", `email:${account}`).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ failures: 1, locked_until: null });
    expect(row.first_failure_at.getTime()).toBe(later(16).getTime());
  });

  it("failures spread within the window add up", async () => {
    const account = email();
    for (let minute = 0; minute < 5; minute++) await fail(1, account, null, later(minute * 3));
    expect((await checkThrottle(t.db, account, null, later(12))).locked).toBe(true);
  });

  it("twenty failures from one address lock that address for every account, but not the accounts elsewhere", async () => {
    const address = ip();
    // One failure each for twenty accounts: no account reaches its own limit.
    for (let i = 0; i < 19; i++) await fail(1, email(), address);
    const victim = email();
    expect((await checkThrottle(t.db, victim, address, T0)).locked).toBe(false);
    await fail(1, email(), address);
    expect(await checkThrottle(t.db, victim, address, T0)).toEqual({ locked: true, retryAfterSeconds: THROTTLE.lockMinutes * 60 });
    expect(await checkThrottle(t.db, victim, ip(), T0)).toEqual({ locked: false, delayMs: 0 });
    expect(await checkThrottle(t.db, victim, null, T0)).toEqual({ locked: false, delayMs: 0 });
  });

  it("a successful login clears the account's failures but not the address's", async () => {
    const account = email();
    const address = ip();
    await fail(4, account, address);
    await clearAccountFailures(t.db, ` ${account.toUpperCase()}`);
    expect(await checkThrottle(t.db, account, address, T0)).toEqual({ locked: false, delayMs: 0 });
    // The address keeps its four failures: sixteen more from anyone lock it.
    for (let i = 0; i < 16; i++) await fail(1, email(), address);
    expect((await checkThrottle(t.db, email(), address, T0)).locked).toBe(true);
  });

  it("when both the account and the address are locked, the later unlock is given", async () => {
    const account = email();
    const address = ip();
    await fail(5, account, null, T0);
    for (let i = 0; i < 20; i++) await fail(1, email(), address, later(5));
    expect(await checkThrottle(t.db, account, address, later(6))).toEqual({ locked: true, retryAfterSeconds: 14 * 60 });
  });
});

describe("reserving attempts before the password is verified", () => {
  const t = useTestDatabase();

  it("sixty reservations at the same moment for one account: exactly the account's limit is granted", async () => {
    const account = email();
    const results = await Promise.all(Array.from({ length: 60 }, () => reserveAttempt(t.db, account, ip(), T0)));
    expect(results.filter((r) => r.granted)).toHaveLength(THROTTLE.accountLockAfter);
    for (const refused of results.filter((r) => !r.granted)) {
      expect(refused).toEqual({ granted: false, retryAfterSeconds: THROTTLE.lockMinutes * 60 });
    }
  });

  it("sixty reservations at the same moment from one address, each for another account: exactly the address's limit is granted", async () => {
    const address = ip();
    const results = await Promise.all(Array.from({ length: 60 }, () => reserveAttempt(t.db, email(), address, T0)));
    expect(results.filter((r) => r.granted)).toHaveLength(THROTTLE.ipLockAfter);
  });

  it("an address refused gives the account its reservation back: the account is not charged for an attempt never made", async () => {
    const address = ip();
    for (let i = 0; i < THROTTLE.ipLockAfter; i++) await reserveAttempt(t.db, email(), address, T0);
    const victim = email();
    expect((await reserveAttempt(t.db, victim, address, T0)).granted).toBe(false);
    const row = await t.db.selectFrom("login_throttle").selectAll().where("key", "=", `email:${victim}`).executeTakeFirst();
    expect(row?.failures ?? 0).toBe(0);
    expect(row?.locked_until ?? null).toBeNull();
  });

  it("each granted attempt is slowed down by its own number: nothing for the first three, then doubling", async () => {
    const account = email();
    const delays: number[] = [];
    for (let i = 0; i < THROTTLE.accountLockAfter; i++) {
      const reservation = await reserveAttempt(t.db, account, null, T0);
      if (reservation.granted) delays.push(reservation.delayMs);
    }
    expect(delays).toEqual([0, 0, 0, 250, 500]);
  });

  it("a right password settles the account afresh and gives the address its attempt back", async () => {
    const account = email();
    const address = ip();
    for (let i = 0; i < THROTTLE.accountLockAfter - 1; i++) await reserveAttempt(t.db, account, address, T0);
    const right = await reserveAttempt(t.db, account, address, T0);
    expect(right.granted).toBe(true);
    if (!right.granted) return;
    await settleSuccess(t.db, right);
    expect(await checkThrottle(t.db, account, address, T0)).toEqual({ locked: false, delayMs: 0 });
    const ipRow = await t.db.selectFrom("login_throttle").selectAll().where("key", "=", `ip:${address}`).executeTakeFirstOrThrow();
    expect(ipRow.failures).toBe(THROTTLE.accountLockAfter - 1);
  });

  it("while locked nothing more is counted, and the lock ends on time", async () => {
    const account = email();
    for (let i = 0; i < 8; i++) await reserveAttempt(t.db, account, null, T0);
    const row = await t.db.selectFrom("login_throttle").selectAll().where("key", "=", `email:${account}`).executeTakeFirstOrThrow();
    expect(row.failures).toBe(THROTTLE.accountLockAfter);
    expect((await reserveAttempt(t.db, account, null, later(THROTTLE.lockMinutes, 1))).granted).toBe(true);
  });
});
