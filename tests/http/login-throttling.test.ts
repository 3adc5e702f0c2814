import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/models/accounts/login-throttle.server";
import type { HttpClient } from "../support/http-client";
import { clientFromAddress, createUser, newIp, pageMessage, setUpInstallation, uniqueEmail, type TestUser } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Failed sign-ins are slowed down, then locked: per account after THROTTLE.accountLockAfter
// failures, per client address after THROTTLE.ipLockAfter. The server trusts X-Forwarded-For
// here, so every test signs in from an address of its own and starts with a clean count.

let server: RunningServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1" });
  ({ client: admin } = await setUpInstallation(server.url));
});
afterAll(async () => {
  await server?.stop();
});

const LOCKED = /^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/;

/** One sign-in attempt from `ip`, by a fresh browser (a signed-in one would be sent on by the loader). */
async function attempt(ip: string, email: string, password: string) {
  const response = await clientFromAddress(server.url, ip).post("/login", { email, password });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), message: pageMessage(await response.text()) };
}

async function failTimes(ip: string, email: string, times: number) {
  for (let i = 0; i < times; i++) {
    const result = await attempt(ip, email, `wrong-password-${i}`);
    expect(result.status, `failure ${i + 1} of ${times}`).toBe(401);
  }
}

function expectLocked(result: Awaited<ReturnType<typeof attempt>>) {
  expect(result.status).toBe(429);
  expect(result.message).toMatch(LOCKED);
  const retryAfter = Number(result.retryAfter);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(THROTTLE.lockMinutes * 60);
}

describe("login throttling", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(admin, { role: "coach" });
  });

  it("after too many failures an account is locked, and even the right password gets 429 with Retry-After", async () => {
    const ip = newIp();
    await failTimes(ip, user.email, THROTTLE.accountLockAfter);
    expectLocked(await attempt(ip, user.email, user.password));
    // The lock is on the account, not the address: another address is refused as well.
    expectLocked(await attempt(newIp(), user.email, user.password));
    // Other accounts from the same address still sign in.
    const other = await createUser(admin, { role: "sponsor" });
    expect((await attempt(ip, other.email, other.password)).status).toBe(302);
  });

  it("an unknown email is locked after the same number of failures, with the same words", async () => {
    const ip = newIp();
    const nobody = uniqueEmail("nobody");
    await failTimes(ip, nobody, THROTTLE.accountLockAfter);
    expectLocked(await attempt(ip, nobody, "any-password-at-all"));
  });

  it("one failure fewer than the limit still lets the right password in, and a success clears the count", async () => {
    const other = await createUser(admin, { role: "plo" });
    const ip = newIp();
    await failTimes(ip, other.email, THROTTLE.accountLockAfter - 1);
    expect((await attempt(ip, other.email, other.password)).status).toBe(302);
    // Cleared: the account can fail (limit - 1) times again without being locked.
    await failTimes(ip, other.email, THROTTLE.accountLockAfter - 1);
    expect((await attempt(ip, other.email, other.password)).status).toBe(302);
  });

  it("the account lock ignores the case and spacing of the email", async () => {
    const other = await createUser(admin, { role: "team_lead" });
    const ip = newIp();
    await failTimes(ip, ` ${other.email.toUpperCase()}`, THROTTLE.accountLockAfter);
    expectLocked(await attempt(ip, other.email, other.password));
  });

  it("an address that fails on many accounts is locked for every account", async () => {
    const other = await createUser(admin, { role: "coach" });
    const ip = newIp();
    // One failure per email, so no account reaches its own limit.
    for (let i = 0; i < THROTTLE.ipLockAfter; i++) {
      expect((await attempt(ip, uniqueEmail(`spray-${i}`), "sprayed-password")).status).toBe(401);
    }
    expectLocked(await attempt(ip, other.email, other.password));
    // The same account from another address is fine.
    expect((await attempt(newIp(), other.email, other.password)).status).toBe(302);
  });
});
