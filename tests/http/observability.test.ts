import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { createUser, setUpInstallation, signIn } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// What an operator sees: request ids, one JSON log line per request, Prometheus metrics behind a
// token, and the readiness check.

let server: RunningServer;
let admin: HttpClient;

beforeAll(async () => {
  server = await startServer({ LOG_REQUESTS: "1", METRICS_TOKEN: "scrape-me-please" });
  admin = (await setUpInstallation(server.url)).client;
});
afterAll(async () => {
  await server?.stop();
});

/** The JSON log lines the server printed so far. */
function logLines(): Array<Record<string, unknown>> {
  return server.output
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("request ids and the request log", () => {
  it("every answer carries an id; a proxy's well-formed id is kept, anything else replaced", async () => {
    const own = await fetch(new URL("/login", server.url));
    expect(own.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const fromProxy = await fetch(new URL("/login", server.url), { headers: { "X-Request-Id": "proxy-1234-abcd" } });
    expect(fromProxy.headers.get("x-request-id")).toBe("proxy-1234-abcd");
    const hostile = await fetch(new URL("/login", server.url), { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(hostile.headers.get("x-request-id")).not.toContain("<");
  });

  it("logs one JSON line per request with its id, user, status, duration and query count", async () => {
    const coach = await createUser(admin, { role: "coach" });
    const client = await signIn(server.url, coach);
    const response = await client.get("/account/password", { headers: { "X-Request-Id": "find-me-in-the-log" } });
    expect(response.status).toBe(200);
    await response.text();
    await new Promise((r) => setTimeout(r, 200));
    const line = logLines().find((l) => l.reqId === "find-me-in-the-log");
    expect(line).toMatchObject({ method: "GET", path: "/account/password", status: 200, userId: coach.id });
    expect(line?.queries).toBeGreaterThan(0);
    expect(typeof line?.ms).toBe("number");
  });
});

describe("metrics", () => {
  it("are served only with the token, in Prometheus' format, and count requests and refused sign-ins", async () => {
    expect((await fetch(new URL("/metrics", server.url))).status).toBe(401);
    expect((await fetch(new URL("/metrics", server.url), { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    const wrong = await new HttpClient(server.url).post("/login", { email: "nobody@example.com", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    await wrong.text();
    const response = await fetch(new URL("/metrics", server.url), { headers: { Authorization: "Bearer scrape-me-please" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/rollout_desk_http_requests_total\{route="\/login",method="POST",status="401"\} [1-9]/);
    expect(text).toMatch(/rollout_desk_login_failures_total\{reason="invalid"\} [1-9]/);
    expect(text).toContain("rollout_desk_http_request_duration_seconds_bucket");
    expect(text).toMatch(/rollout_desk_db_pool_connections|rollout_desk_process_cpu/);
  });

  it("are not served at all without a configured token", async () => {
    const plain = await startServer();
    try {
      expect((await fetch(new URL("/metrics", plain.url))).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe("readiness", () => {
  it("answers 200 once the database answers and every migration is applied", async () => {
    const response = await fetch(new URL("/readyz", server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", database: "ok", pending: [] });
  });
});
