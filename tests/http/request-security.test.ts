import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { latestAuditEvents, createUser, setUpInstallation, signIn, uniqueEmail, userRows, type TestUser } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// What the Express entry does before any route runs: refuse cross-site posts, set the
// security headers (with a per-request CSP nonce), answer the health check.

let server: RunningServer;
let admin: HttpClient;
let coach: TestUser;

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  coach = await createUser(admin, { role: "coach" });
});
afterAll(async () => {
  await server?.stop();
});

const FOREIGN = { Origin: "https://evil.example" };
const REFUSED = "Cross-site request refused: this form must be sent from Rollout Desk itself.";

/** Posts a form with exactly these headers (no Origin unless given), keeping the client's cookies. */
function rawPost(client: HttpClient, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return client.request(path, { method: "POST", headers, body: new URLSearchParams(form) });
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(403);
  expect(await response.text()).toBe(REFUSED);
  expect(response.headers.getSetCookie().filter((line) => line.includes("rd_session"))).toEqual([]);
}

describe("cross-site posts are refused before any action runs", () => {
  it("a sign-in form posted from another origin is refused, without a session or a login attempt", async () => {
    const events = await latestAuditEvents(admin);
    const client = new HttpClient(server.url);
    await expectRefused(await client.post("/login", { email: coach.email, password: coach.password }, { headers: FOREIGN }));
    // Every sign-in attempt, good or bad, is audited: none happened.
    expect(await latestAuditEvents(admin)).toBe(events);
  });

  it("a fetcher-style post (?_data=routes/login) from another origin is refused", async () => {
    const events = await latestAuditEvents(admin);
    const client = new HttpClient(server.url);
    await expectRefused(
      await client.post("/login?_data=routes%2Flogin", { email: coach.email, password: coach.password }, { headers: FOREIGN }),
    );
    expect(await latestAuditEvents(admin)).toBe(events);
  });

  it("a single-fetch post (/login.data) from another origin is refused", async () => {
    const events = await latestAuditEvents(admin);
    const client = new HttpClient(server.url);
    await expectRefused(await client.post("/login.data", { email: coach.email, password: coach.password }, { headers: FOREIGN }));
    expect(await latestAuditEvents(admin)).toBe(events);
  });

  it("a sign-out posted from another origin is refused and the session stays valid", async () => {
    const client = await signIn(server.url, coach);
    await expectRefused(await client.post("/logout", {}, { headers: FOREIGN }));
    expect((await client.get("/programs")).status).toBe(200);
  });

  it("an admin form posted from another origin creates no user", async () => {
    const before = await userRows(admin);
    const email = uniqueEmail("forged");
    await expectRefused(
      await admin.post("/admin/users/new", { name: "Forged", email, role: "admin", password: "forged-password-123" }, { headers: FOREIGN }),
    );
    expect(await userRows(admin)).toEqual(before);
  });

  it("a post with neither Origin nor Sec-Fetch-Site is refused and creates nothing", async () => {
    const before = await userRows(admin);
    const events = await latestAuditEvents(admin);
    const form = { name: "No Origin", email: uniqueEmail("no-origin"), role: "admin", password: "no-origin-password-1" };
    await expectRefused(await rawPost(admin, "/admin/users/new", form));
    await expectRefused(await rawPost(new HttpClient(server.url), "/login", { email: coach.email, password: coach.password }));
    expect(await userRows(admin)).toEqual(before);
    expect(await latestAuditEvents(admin)).toBe(events);
  });

  it("a post marked Sec-Fetch-Site: cross-site or same-site, or with Origin null, is refused", async () => {
    const credentials = { email: coach.email, password: coach.password };
    const client = new HttpClient(server.url);
    await expectRefused(await rawPost(client, "/login", credentials, { "Sec-Fetch-Site": "cross-site" }));
    await expectRefused(await rawPost(client, "/login", credentials, { "Sec-Fetch-Site": "same-site" }));
    await expectRefused(await rawPost(client, "/login", credentials, { Origin: "null" }));
    // An origin on another port of the same host is another origin.
    const otherPort = new URL(server.url);
    otherPort.port = String(Number(otherPort.port) + 1);
    await expectRefused(await rawPost(client, "/login", credentials, { Origin: otherPort.origin }));
  });

  it("a post with Sec-Fetch-Site: same-origin and no Origin is allowed", async () => {
    const email = uniqueEmail("same-origin");
    const response = await rawPost(
      admin,
      "/admin/users/new",
      { name: "Same Origin", email, role: "coach", password: "Quartz lantern drifts over Kestrel Bay" },
      { "Sec-Fetch-Site": "same-origin" },
    );
    expect(response.status).toBe(302);
    expect([...(await userRows(admin)).values()].some((row) => row.includes(`>${email}<`))).toBe(true);
  });

  it("safe methods are never refused, whatever their origin", async () => {
    const response = await admin.get("/programs", { headers: FOREIGN });
    expect(response.status).toBe(200);
  });
});

describe("security headers", () => {
  function cspDirectives(header: string | null): Map<string, string[]> {
    expect(header, "Content-Security-Policy header").toBeTruthy();
    return new Map(
      header!
        .split(";")
        .map((part) => part.trim().split(/\s+/))
        .filter((tokens) => tokens[0])
        .map(([name, ...values]) => [name, values]),
    );
  }

  function nonceOf(directives: Map<string, string[]>): string {
    const sources = directives.get("script-src") ?? [];
    const nonces = sources.filter((s) => s.startsWith("'nonce-")).map((s) => s.slice("'nonce-".length, -1));
    expect(nonces).toHaveLength(1);
    expect(sources).not.toContain("'unsafe-inline'");
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
    return nonces[0];
  }

  async function checkPage(client: HttpClient, path: string, status = 200) {
    const response = await client.get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const directives = cspDirectives(response.headers.get("content-security-policy"));
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();
    const nonce = nonceOf(directives);

    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    const inline = scripts.filter((tag) => !/\bsrc=/.test(tag));
    expect(inline.length, "the page has inline scripts").toBeGreaterThan(0);
    for (const tag of scripts) expect(/\bnonce="([^"]*)"/.exec(tag)?.[1], tag).toBe(nonce);
    return nonce;
  }

  it("the sign-in page has a CSP whose script nonce is the nonce of every script tag", async () => {
    await checkPage(new HttpClient(server.url), "/login");
  });

  it("a signed-in page and an error page carry the same headers", async () => {
    await checkPage(admin, "/programs");
    await checkPage(admin, "/no/such/page", 404);
  });

  it("every response gets a fresh nonce", async () => {
    const anonymous = new HttpClient(server.url);
    const first = await checkPage(anonymous, "/login");
    const second = await checkPage(anonymous, "/login");
    expect(second).not.toBe(first);
  });

  it("the health check answers 200 with status ok, without signing in", async () => {
    const response = await fetch(new URL("/healthz", server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });
});
