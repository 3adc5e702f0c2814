import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { HttpClient } from "../support/http-client";
import { createUser, PASSWORD, pageMessage, setUpInstallation, signIn, uniqueEmail, type TestUser } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Sign-in, sign-out and the events that must end a session. The server trusts a proxy so the
// HTTPS cookie can be checked with X-Forwarded-Proto.

let server: RunningServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1" });
  ({ client: admin } = await setUpInstallation(server.url));
});
afterAll(async () => {
  await server?.stop();
});

function sessionCookieLine(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => /^(__Host-)?rd_session=/.test(line));
}

/** The attributes of a Set-Cookie line, lower-cased names (e.g. { httponly: "", samesite: "Lax" }). */
function cookieAttributes(line: string): Record<string, string> {
  const [, ...attrs] = line.split(";");
  return Object.fromEntries(
    attrs.map((attr) => {
      const [name, ...value] = attr.trim().split("=");
      return [name.toLowerCase(), value.join("=")];
    }),
  );
}

/** Whether a request carrying exactly this Cookie header is treated as signed in. */
async function isSignedIn(cookie: string, path = "/programs"): Promise<boolean> {
  const response = await fetch(new URL(path, server.url), { headers: { Cookie: cookie }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status === 200) return true;
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  return false;
}

async function saveAccount(user: TestUser, changes: { role?: Role; active?: boolean; name?: string }) {
  const form: Record<string, string> = {
    intent: "save",
    name: changes.name ?? user.name,
    email: user.email,
    role: changes.role ?? user.role,
  };
  if (changes.active !== false) form.active = "on";
  const response = await admin.post(`/admin/users/${user.id}`, form);
  expect(response.status).toBe(302);
}

describe("signing in and out", () => {
  let coach: TestUser;
  beforeAll(async () => {
    coach = await createUser(admin, { role: "coach" });
  });

  it("a correct email and password sign in with an HttpOnly, SameSite=Lax session cookie and go to redirectTo", async () => {
    const client = new HttpClient(server.url);
    const response = await client.post("/login", { email: coach.email, password: coach.password, redirectTo: "/programs" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/programs");
    const line = sessionCookieLine(response);
    expect(line).toMatch(/^rd_session=[^;]{20,};/);
    const attributes = cookieAttributes(line!);
    expect(attributes).toHaveProperty("httponly");
    expect(attributes.samesite?.toLowerCase()).toBe("lax");
    expect(attributes.path).toBe("/");
    expect(attributes).not.toHaveProperty("secure");
    expect((await client.get("/programs")).status).toBe(200);
  });

  it("the email is matched without regard to case or surrounding spaces", async () => {
    const client = new HttpClient(server.url);
    const response = await client.post("/login", { email: `  ${coach.email.toUpperCase()} `, password: coach.password });
    expect(response.status).toBe(302);
  });

  it("a wrong password and an unknown email get the same 401 and the same words", async () => {
    const wrongPassword = await new HttpClient(server.url).post("/login", { email: coach.email, password: "not-the-password-at-all" });
    const unknownEmail = await new HttpClient(server.url).post("/login", { email: uniqueEmail("nobody"), password: PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(sessionCookieLine(wrongPassword)).toBeUndefined();
    expect(sessionCookieLine(unknownEmail)).toBeUndefined();
    expect(pageMessage(await wrongPassword.text())).toBe("Email or password is incorrect.");
    expect(pageMessage(await unknownEmail.text())).toBe("Email or password is incorrect.");
  });

  it("an empty form is a 400 with a message for each field, not a failed sign-in", async () => {
    const response = await new HttpClient(server.url).post("/login", {});
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Email is required.");
    expect(html).toContain("Password is required.");
  });

  it("a redirectTo pointing to another site is ignored after sign-in", async () => {
    const response = await new HttpClient(server.url).post("/login", {
      email: coach.email,
      password: coach.password,
      redirectTo: "//evil.example/steal",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });

  it("signing out ends the session: the old cookie is sent to sign in afterwards", async () => {
    const client = await signIn(server.url, coach);
    const oldCookie = client.cookieHeader();
    expect(await isSignedIn(oldCookie)).toBe(true);

    const response = await client.post("/logout", {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
    const cleared = sessionCookieLine(response);
    expect(cleared).toMatch(/^rd_session=;/);
    expect(cookieAttributes(cleared!)["max-age"]).toBe("0");

    expect(await isSignedIn(oldCookie)).toBe(false);
  });

  it("a deactivated user is signed out and can no longer sign in, with the usual words", async () => {
    const user = await createUser(admin, { role: "sponsor" });
    const client = await signIn(server.url, user);
    await saveAccount(user, { active: false });
    expect(await isSignedIn(client.cookieHeader())).toBe(false);

    const attempt = await new HttpClient(server.url).post("/login", { email: user.email, password: user.password });
    expect(attempt.status).toBe(401);
    expect(pageMessage(await attempt.text())).toBe("Email or password is incorrect.");

    await saveAccount(user, { active: true });
    expect((await new HttpClient(server.url).post("/login", { email: user.email, password: user.password })).status).toBe(302);
  });

  it("over HTTPS behind a trusted proxy the session cookie is __Host-rd_session with Secure", async () => {
    const origin = server.url.replace(/^http:/, "https:");
    const client = new HttpClient(server.url);
    const https = { "X-Forwarded-Proto": "https", Origin: origin };
    const response = await client.post("/login", { email: coach.email, password: coach.password }, { headers: https });
    expect(response.status).toBe(302);
    const line = sessionCookieLine(response);
    expect(line).toMatch(/^__Host-rd_session=[^;]{20,};/);
    const attributes = cookieAttributes(line!);
    expect(attributes).toHaveProperty("secure");
    expect(attributes).toHaveProperty("httponly");
    expect(attributes.path).toBe("/");
    // `__Host-` cookies must not name a domain.
    expect(attributes).not.toHaveProperty("domain");

    const page = await client.get("/programs", { headers: { "X-Forwarded-Proto": "https" } });
    expect(page.status).toBe(200);
    await page.arrayBuffer();
  });

  it("a session cookie issued over HTTPS is not accepted over plain HTTP", async () => {
    const origin = server.url.replace(/^http:/, "https:");
    const client = new HttpClient(server.url);
    await client.post(
      "/login",
      { email: coach.email, password: coach.password },
      { headers: { "X-Forwarded-Proto": "https", Origin: origin } },
    );
    expect(await isSignedIn(client.cookieHeader())).toBe(false);
  });
});

describe("changes to an account end its sessions", () => {
  it("when an admin changes a coach's role, the coach's open session ends", async () => {
    const coach = await createUser(admin, { role: "coach" });
    const client = await signIn(server.url, coach);
    expect(await isSignedIn(client.cookieHeader())).toBe(true);

    await saveAccount(coach, { role: "plo" });
    expect(await isSignedIn(client.cookieHeader())).toBe(false);
    // The new role applies from the next sign-in.
    const again = await signIn(server.url, coach);
    expect((await again.get("/programs/new")).status).toBe(200);
  });

  it("saving an account without changing its role or activity keeps its sessions", async () => {
    const coach = await createUser(admin, { role: "coach" });
    const client = await signIn(server.url, coach);
    await saveAccount(coach, { name: "Renamed Coach" });
    expect(await isSignedIn(client.cookieHeader())).toBe(true);
  });

  it("when an admin resets a password, every session of that user ends and only the new password works", async () => {
    const user = await createUser(admin, { role: "team_lead" });
    const laptop = await signIn(server.url, user);
    const phone = await signIn(server.url, user);
    const newPassword = "a-brand-new-password-42";

    const reset = await admin.post(`/admin/users/${user.id}`, { intent: "reset-password", password: newPassword });
    expect(reset.status).toBe(302);
    expect(await isSignedIn(laptop.cookieHeader())).toBe(false);
    expect(await isSignedIn(phone.cookieHeader())).toBe(false);
    // The admin's own session is untouched.
    expect((await admin.get("/admin/users")).status).toBe(200);

    expect((await new HttpClient(server.url).post("/login", { email: user.email, password: user.password })).status).toBe(401);
    await signIn(server.url, { email: user.email, password: newPassword });
  });

  it("changing one's own password ends one's other sessions but keeps the current one", async () => {
    const user = await createUser(admin, { role: "plo" });
    const current = await signIn(server.url, user);
    const other = await signIn(server.url, user);
    const newPassword = "my-own-new-password-99";

    const response = await current.post("/account/password", { current: user.password, password: newPassword, confirm: newPassword });
    expect(response.status).toBe(302);
    expect(await isSignedIn(current.cookieHeader())).toBe(true);
    expect(await isSignedIn(other.cookieHeader())).toBe(false);
    await signIn(server.url, { email: user.email, password: newPassword });
  });

  it("changing one's own password needs the current password, and a wrong one changes nothing", async () => {
    const user = await createUser(admin, { role: "coach" });
    const current = await signIn(server.url, user);
    const other = await signIn(server.url, user);
    const response = await current.post("/account/password", {
      current: "not-my-password-at-all",
      password: "another-new-password",
      confirm: "another-new-password",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This is not your current password.");
    expect(await isSignedIn(other.cookieHeader())).toBe(true);
    await signIn(server.url, user);
  });
});
