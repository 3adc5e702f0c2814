import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/models/accounts/login-throttle.server";
import type { HttpClient } from "../support/http-client";
import {
  clientFromAddress,
  createUser,
  latestAuditEvents,
  newIp,
  pageMessage,
  setUpInstallation,
  signIn,
  uniqueEmail,
  type TestUser,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Guesses that arrive all at once: each attempt is reserved before its password is verified, so
// no more than the documented number are ever checked — per account (THROTTLE.accountLockAfter)
// and per address (THROTTLE.ipLockAfter) — whatever the concurrency. A 401 means "verified and
// wrong", a 429 "refused unverified". The server trusts one proxy hop, so each test has an address.

let server: RunningServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1" });
  ({ client: admin } = await setUpInstallation(server.url));
});
afterAll(async () => {
  await server?.stop();
});

async function burst(attempts: Array<{ ip: string; email: string; password: string }>) {
  const responses = await Promise.all(
    attempts.map(({ ip, email, password }) => clientFromAddress(server.url, ip).post("/login", { email, password })),
  );
  return responses.map((r) => r.status);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe("bursts of sign-in attempts", () => {
  it("sixty simultaneous wrong guesses for one account: at most five are checked, the rest refused, and it is locked", async () => {
    const user = await createUser(admin, { role: "coach" });
    const statuses = await burst(Array.from({ length: 60 }, (_, i) => ({ ip: newIp(), email: user.email, password: `wrong-guess-${i}` })));
    expect(count(statuses, 401)).toBeLessThanOrEqual(THROTTLE.accountLockAfter);
    expect(count(statuses, 401) + count(statuses, 429)).toBe(60);
    // The right password now meets the lock.
    const after = await clientFromAddress(server.url, newIp()).post("/login", { email: user.email, password: user.password });
    expect(after.status).toBe(429);
  });

  it("the right password sent in the middle of a burst of sixty wrong ones does not get in", async () => {
    const user = await createUser(admin, { role: "sponsor" });
    const wrong = (i: number) => ({ ip: newIp(), email: user.email, password: `wrong-guess-${i}` });
    // The first half of the burst has been answered; the right password then arrives together
    // with the second half. (Inside one simultaneous burst the server may take any request
    // first, so a right password among the first five it takes is rightly checked.)
    const first = await burst(Array.from({ length: 30 }, (_, i) => wrong(i)));
    const second = await burst([
      ...Array.from({ length: 15 }, (_, i) => wrong(30 + i)),
      { ...wrong(45), password: user.password },
      ...Array.from({ length: 14 }, (_, i) => wrong(46 + i)),
    ]);
    const statuses = [...first, ...second];
    expect(second[15], "the right password").toBe(429);
    expect(count(statuses, 302)).toBe(0);
    expect(count(statuses, 401)).toBeLessThanOrEqual(THROTTLE.accountLockAfter);
  });

  it("sixty simultaneous guesses from one address at sixty accounts: at most twenty are checked", async () => {
    const ip = newIp();
    const statuses = await burst(Array.from({ length: 60 }, () => ({ ip, email: uniqueEmail("spray"), password: "sprayed-password-1" })));
    expect(count(statuses, 401)).toBeLessThanOrEqual(THROTTLE.ipLockAfter);
    expect(count(statuses, 429)).toBeGreaterThanOrEqual(60 - THROTTLE.ipLockAfter);
  });

  it("a good sign-in does not use up its address's allowance", async () => {
    const user = await createUser(admin, { role: "plo" });
    const ip = newIp();
    for (let i = 0; i < THROTTLE.ipLockAfter + 2; i++) {
      const response = await clientFromAddress(server.url, ip).post("/login", { email: user.email, password: user.password });
      expect(response.status, `sign-in ${i + 1}`).toBe(302);
    }
  });
});

describe("the current-password check of /account/password", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(admin, { role: "coach" });
  });

  it("quick wrong guesses are throttled and audited like sign-ins: after five, even the right password waits", async () => {
    const ip = newIp();
    const client = await signIn(server.url, user, clientFromAddress(server.url, ip));
    const change = (current: string) =>
      client.post("/account/password", { current, password: "a-new-unguessable-phrase-42", confirm: "a-new-unguessable-phrase-42" });
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => change(`not-my-password-${i}`).then((r) => r.status)));
    expect(count(statuses, 400)).toBeLessThanOrEqual(THROTTLE.accountLockAfter);
    expect(count(statuses, 429)).toBeGreaterThanOrEqual(30 - THROTTLE.accountLockAfter);
    const right = await change(user.password);
    expect(right.status).toBe(429);
    expect(pageMessage(await right.text())).toMatch(/^Too many wrong passwords\. Try again in \d+ minutes?\.$/);
    // The account itself is locked: the guesses count for sign-in too.
    expect((await clientFromAddress(server.url, newIp()).post("/login", { email: user.email, password: user.password })).status).toBe(429);
    const audit = await latestAuditEvents(admin);
    expect(audit).toContain("Entered a wrong current password");
    expect(audit).toContain("Refused a current-password check while locked");
  });

  it("twelve wrong guesses one after another: five are checked, seven refused", async () => {
    const other = await createUser(admin, { role: "plo" });
    const client = await signIn(server.url, other, clientFromAddress(server.url, newIp()));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await client.post("/account/password", {
        current: `guess-${i}`,
        password: "another-fine-phrase-77",
        confirm: "another-fine-phrase-77",
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(THROTTLE.accountLockAfter).fill(400), ...Array(12 - THROTTLE.accountLockAfter).fill(429)]);
  });
});
