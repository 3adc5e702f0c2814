import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { createProgram, createUser, decodeEntities, setUpInstallation, signIn, type TestUser } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// How pages reach the browser (issue 20): a small page in one piece with its length and without
// gzip (its setup costs more than it saves), a large one gzipped as it streams; and what the
// server now keeps between requests — the route tree, built once — never mixes one user's page
// with another's.

let server: RunningServer;
let admin: HttpClient;
let adminUser: TestUser;
let coach: TestUser;
let coachClient: HttpClient;
let programId: string;

beforeAll(async () => {
  server = await startServer();
  ({ client: admin, admin: adminUser } = await setUpInstallation(server.url, { name: "Astrid Admin" }));
  coach = await createUser(admin, { role: "coach", name: "Bruno Coach" });
  coachClient = await signIn(server.url, coach);
  programId = await createProgram(admin, { name: "Delivery rollout", status: "active" });
  expect((await admin.post(`/programs/${programId}/raci`, { intent: "create", source: "template" })).status).toBe(302);
});
afterAll(async () => {
  await server?.stop();
});

/** A GET as the admin through node:http, which (unlike fetch) neither asks for gzip nor unpacks it. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, server.url), { headers: { cookie: admin.cookieHeader(), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** The signed-in user's name as the header shows it. */
function headerName(html: string): string | undefined {
  return /<span class="user-menu__name">([^<]*)/.exec(decodeEntities(html.replaceAll("<!-- -->", "")))?.[1].trim();
}

describe("two users at once", () => {
  it("each get their own name, role and pages, however their requests interleave", async () => {
    const paths = ["/account/password", "/programs", `/programs/${programId}`, "/account/password"];
    const answers = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const [client, user] = i % 2 === 0 ? [admin, adminUser] : [coachClient, coach];
        const response = await client.get(paths[i % paths.length]);
        return { user, status: response.status, html: await response.text() };
      }),
    );
    for (const { user, status, html } of answers) {
      expect(status).toBe(200);
      expect(headerName(html)).toBe(user.name);
      const other = user === coach ? adminUser : coach;
      expect(html).not.toContain(other.name);
    }
    // The admin's menu has the admin's links, the coach's does not.
    const adminPage = answers.find((a) => a.user === adminUser)!.html;
    const coachPage = answers.find((a) => a.user === coach)!.html;
    expect(adminPage).toContain('href="/admin/users"');
    expect(coachPage).not.toContain('href="/admin/users"');
  });

  it("get the pages of the routes they asked for, with their parameters, one after the other", async () => {
    const other = await createProgram(admin, { name: "Second rollout" });
    for (const id of [programId, other, programId]) {
      const html = await (await admin.get(`/programs/${id}/settings`)).text();
      expect(html).toContain(`action="/programs/${id}/settings"`);
    }
    expect((await admin.get("/programs/no-such-program/settings")).status).toBe(404);
    expect((await admin.get("/no/such/page")).status).toBe(404);
  });
});

describe("page delivery", () => {
  it("sends a small page in one piece with its length, not gzipped even when the browser accepts gzip", async () => {
    const response = await admin.get("/account/password", { headers: { "Accept-Encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBeNull();
    const body = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(body.length);
    expect(body.length).toBeLessThan(16 * 1024);
    expect(body.toString("utf8")).toContain("Change your password");
  });

  it("gzips a large page for a browser that accepts it, and sends it whole to one that does not", async () => {
    const path = `/programs/${programId}/raci`;
    const plain = await rawGet(path, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(16 * 1024);
    expect(plain.body.toString("utf8")).toContain("<h1>RACI matrix</h1>");

    const gzipped = await rawGet(path, { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    // The same page both ways (each answer has its own script nonce).
    const withoutNonces = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');
    expect(withoutNonces(gunzipSync(gzipped.body).toString("utf8"))).toBe(withoutNonces(plain.body.toString("utf8")));
  });

  it("answers a small JSON save without gzip, as before", async () => {
    const response = await admin.post(
      `/programs/${programId}/raci/cell`,
      { activityId: "x", roleId: "y", value: "R", version: "1" },
      {
        headers: { "Accept-Encoding": "gzip" },
      },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("content-encoding")).toBeNull();
  });
});
