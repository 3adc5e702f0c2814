import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/models/accounts/login-throttle.server";
import { HeaderClient, latestAuditEvents, setUpInstallation, signIn, createUser, createProgram } from "../support/http-fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

// Who the client is (TRUST_PROXY), which origins may post (PUBLIC_URL), and the headers every
// answer carries (no-store on what is personal, Permissions-Policy).

/** A browser behind one proxy: it may send any X-Forwarded-For; the proxy appends the address it saw. */
function behindProxy(baseUrl: string, realIp: string, spoofed?: string) {
  return new HeaderClient(baseUrl, { "X-Forwarded-For": spoofed ? `${spoofed}, ${realIp}` : realIp });
}

describe("TRUST_PROXY trusts exactly the configured proxies", () => {
  it("TRUST_PROXY=true is refused at start, saying what to set instead", async () => {
    const started = startServer({ TRUST_PROXY: "true" });
    await expect(started).rejects.toThrow(/TRUST_PROXY=true is refused: .* Set the number of proxies .*TRUST_PROXY=1/);
  });

  it("a TRUST_PROXY that is neither a count nor addresses is refused at start", async () => {
    await expect(startServer({ TRUST_PROXY: "yes please" })).rejects.toThrow(
      /TRUST_PROXY: "yes please" is neither a number of proxies nor/,
    );
  });

  describe("with one proxy hop (TRUST_PROXY=1)", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ TRUST_PROXY: "1" });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("the audit log records the address the proxy saw, never one the client wrote into X-Forwarded-For", async () => {
      const { client: admin, admin: adminUser } = await setUpInstallation(server.url);
      await signIn(server.url, adminUser, behindProxy(server.url, "198.51.100.7", "203.0.113.66"));
      const audit = await latestAuditEvents(admin);
      expect(audit).toContain("198.51.100.7");
      expect(audit).not.toContain("203.0.113.66");
    });

    it("rotating a made-up X-Forwarded-For does not escape the per-address lock", async () => {
      for (let i = 0; i < THROTTLE.ipLockAfter; i++) {
        const response = await behindProxy(server.url, "198.51.100.99", `203.0.113.${i + 1}`).post("/login", {
          email: `nobody-${i}@example.com`,
          password: "sprayed-password-1",
        });
        expect(response.status).toBe(401);
      }
      const next = await behindProxy(server.url, "198.51.100.99", "203.0.113.250").post("/login", {
        email: "someone-else@example.com",
        password: "sprayed-password-1",
      });
      expect(next.status).toBe(429);
    });
  });

  describe("with a list of proxy addresses (TRUST_PROXY=127.0.0.1)", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ TRUST_PROXY: "127.0.0.1" });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("the client is the last address that is not a listed proxy", async () => {
      const { client: admin, admin: adminUser } = await setUpInstallation(server.url);
      await signIn(server.url, adminUser, behindProxy(server.url, "198.51.100.8", "203.0.113.67"));
      const audit = await latestAuditEvents(admin);
      expect(audit).toContain("198.51.100.8");
      expect(audit).not.toContain("203.0.113.67");
    });
  });

  describe("without TRUST_PROXY", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ TRUST_PROXY: "" });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("X-Forwarded-For is ignored: the address is the connection's", async () => {
      const { client: admin, admin: adminUser } = await setUpInstallation(server.url);
      await signIn(server.url, adminUser, behindProxy(server.url, "198.51.100.9"));
      const audit = await latestAuditEvents(admin);
      expect(audit).toContain("127.0.0.1");
      expect(audit).not.toContain("198.51.100.9");
    });
  });
});

describe("PUBLIC_URL: only the configured origins may post", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ PUBLIC_URL: "https://desk.example.com, https://rollout.example.org" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("a post from a listed origin passes the check; one from the server's own address or elsewhere is refused", async () => {
    const post = (origin: string) =>
      new HttpClient(server.url).post(
        "/setup",
        { name: "Ada", email: "ada@example.com", password: "x", confirm: "x" },
        { headers: { Origin: origin } },
      );
    // Passed the check: the setup form answers (400: the password is too short). Setup happens in the next test.
    expect((await post("https://desk.example.com")).status).toBe(400);
    expect((await post("https://rollout.example.org")).status).toBe(400);
    for (const origin of [new URL(server.url).origin, "https://evil.example", "http://desk.example.com"]) {
      const response = await post(origin);
      expect(response.status, origin).toBe(403);
      expect(await response.text()).toBe("Cross-site request refused: this form must be sent from Rollout Desk itself.");
    }
  });

  it("pages are answered as the public origin: over HTTPS the session cookie is Secure, even behind a plain-HTTP proxy", async () => {
    const client = new HttpClient(server.url);
    const password = "a-sturdy-first-admin-phrase";
    const response = await client.post(
      "/setup",
      { name: "Ada Admin", email: "ada@example.com", password, confirm: password },
      { headers: { Origin: "https://desk.example.com" } },
    );
    expect(response.status).toBe(302);
    const session = response.headers.getSetCookie().find((line) => line.includes("rd_session="));
    expect(session).toMatch(/^__Host-rd_session=/);
    expect(session).toMatch(/;\s*Secure/i);
  });

  it("a PUBLIC_URL that is not a URL is refused at start", async () => {
    await expect(startServer({ PUBLIC_URL: "desk.example.com" })).rejects.toThrow(/PUBLIC_URL: "desk.example.com" is not a URL/);
  });
});

describe("headers of personal answers", () => {
  let server: RunningServer;
  let admin: HttpClient;
  let programId: string;
  beforeAll(async () => {
    server = await startServer();
    ({ client: admin } = await setUpInstallation(server.url));
    await createUser(admin, { role: "coach" });
    programId = await createProgram(admin);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("signed-in pages, their data requests and CSV exports are never stored by a cache", async () => {
    for (const path of [
      "/programs",
      "/admin/users",
      `/programs/${programId}/teams`,
      "/admin/users.data",
      `/programs/${programId}/teams.csv`,
      "/org/people.csv",
    ]) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toMatch(/\bno-store\b/);
    }
  });

  it("every page denies the browser features the app does not use (Permissions-Policy)", async () => {
    for (const client of [admin, new HttpClient(server.url)]) {
      const response = await client.get("/login");
      const policy = response.headers.get("permissions-policy") ?? "";
      for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(policy).toContain(`${feature}=()`);
    }
  });

  it("static build files keep their long cache: only personal answers are no-store", async () => {
    const html = await (await admin.get("/programs")).text();
    const asset = /href="(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const response = await admin.get(asset!);
    expect(response.headers.get("cache-control")).toMatch(/max-age=31536000/);
  });
});
