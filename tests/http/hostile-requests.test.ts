import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "~/utils/request-limits.server";
import { HttpClient } from "../support/http-client";
import { createProgram, createUser, pageMessage, setUpInstallation, signIn, type TestUser } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// What the server entry refuses before any route runs: bodies over the limit of their route
// kind (without reading them), forms with too many fields, posts that are not forms, requests
// whose Host, address or cookies cannot be understood. Never a 500, never a stack trace. The
// server runs as `npm start` runs it: NODE_ENV unset.

let server: RunningServer;
let admin: HttpClient;
let coach: TestUser;
let programId: string;

beforeAll(async () => {
  server = await startServer({ NODE_ENV: "" });
  ({ client: admin } = await setUpInstallation(server.url));
  coach = await createUser(admin, { role: "coach" });
  programId = await createProgram(admin);
});
afterAll(async () => {
  await server?.stop();
});

/** No trace of the server's insides in an answer: no stack frame, no file path. */
function expectNoTrace(body: string) {
  expect(body).not.toMatch(/\bat .+:\d+:\d+|\/work\/|node_modules|\.js:\d+|Error:/);
}

/** The server's peak memory (VmHWM, kB) so far. */
function peakMemoryKb(): number {
  const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
}

interface StreamedPost {
  status: number | null;
  body: string;
  /** Bytes the client managed to send before the answer (or the cut connection). */
  sent: number;
}

/**
 * Posts `total` bytes of a form body in 64 KB chunks, with a Content-Length or chunked, and stops
 * sending as soon as the server answers or cuts the connection.
 */
function streamPost(path: string, total: number, options: { declareLength: boolean; chunk?: Buffer }): Promise<StreamedPost> {
  const url = new URL(path, server.url);
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { Origin: url.origin, "Content-Type": "application/x-www-form-urlencoded" };
    if (options.declareLength) headers["Content-Length"] = String(total);
    const req = http.request(url, { method: "POST", headers });
    const finish = (status: number | null, body: string) => resolve({ status, body, sent });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => (body += text));
      res.on("end", () => {
        finish(res.statusCode ?? null, body);
        req.destroy();
      });
      res.on("error", () => finish(res.statusCode ?? null, body));
    });
    req.on("error", () => {
      if (!answered) finish(null, "");
    });
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (sent >= total && !req.destroyed) req.end();
    };
    pump();
  });
}

describe("bodies over their route's limit are refused before they are read", () => {
  it("a 200 MB sign-in post is answered 413 at once and never read into memory", async () => {
    const before = peakMemoryKb();
    const declared = await streamPost("/login", 200 * 1024 * 1024, { declareLength: true });
    const chunked = await streamPost("/login", 200 * 1024 * 1024, { declareLength: false });
    for (const result of [declared, chunked]) {
      expect(result.status).toBe(413);
      expect(pageMessage(result.body)).toBe("This request is larger than 16 KB, the most sign-in and setup accept.");
      // The client stops when answered: far less than the 200 MB reached the server.
      expect(result.sent).toBeLessThan(50 * 1024 * 1024);
    }
    // The server's peak memory did not grow by the body (it would by ≥ 200 MB if it had been read).
    expect(peakMemoryKb() - before).toBeLessThan(64 * 1024);
    expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);
  });

  it("a sign-in post with 20,000 fields (169 KB, the probe's freeze) is refused, declared or streamed", async () => {
    const body = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `f${i}=1`).join("&"));
    expect(body.length).toBeGreaterThan(160_000);
    const declared = await streamPost("/login", body.length, { declareLength: true, chunk: body });
    expect(declared.status).toBe(413);
    // Streamed without a length: refused by its field count once the first 16 KB are in.
    const small = Buffer.from(Array.from({ length: 300 }, (_, i) => `f${i}=1`).join("&"));
    const streamed = await streamPost("/login", small.length, { declareLength: false, chunk: small });
    expect(streamed.status).toBe(413);
    expect(pageMessage(streamed.body)).toBe(
      `This request sends more than ${BODY_LIMITS.small.fields} fields, the most sign-in and setup accept.`,
    );
  });

  it("a signed-in form over 1 MB, or with more than 1,000 fields, is refused with 413 and says why", async () => {
    const long = await admin.post("/programs/new", { name: "Long", description: "x".repeat(BODY_LIMITS.form.bytes) });
    expect(long.status).toBe(413);
    expect(pageMessage(await long.text())).toBe(
      "This form is larger than 1 MB, the most a form may send. Shorten the longest text and send it again.",
    );

    const many = new URLSearchParams({ intent: "assign" });
    for (let i = 0; i < BODY_LIMITS.form.fields + 5; i++) many.append("teamId", crypto.randomUUID());
    const response = await admin.post(`/programs/${programId}/assignments`, many);
    expect(response.status).toBe(413);
    expect(pageMessage(await response.text())).toMatch(/^This form sends more than 1,000 fields, the most a form may send\./);
  });

  it("a form under the limits still reaches its route (a long description is saved)", async () => {
    const id = await createProgram(admin, { description: "d".repeat(4_000) });
    expect(await (await admin.get(`/programs/${id}/settings`)).text()).toContain("d".repeat(4_000));
  });

  it("an upload route takes a file beyond the form limit (its own rules answer it)", async () => {
    const form = new FormData();
    form.append("file", new Blob(["Activity,Role\n", "x".repeat(1_500_000)], { type: "text/csv" }), "matrix.csv");
    const response = await admin.post(`/programs/${programId}/raci/import`, form);
    // Not the entry's 413: the route itself read the upload and answered with its own rule.
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("a RACI matrix is much smaller");
  });
});

describe("posts that are not forms are refused with 415, never a 500", () => {
  const cases: Array<[string, Record<string, string>, string | undefined]> = [
    ["JSON", { "Content-Type": "application/json" }, JSON.stringify({ email: "a@b.c", password: "x" })],
    ["text/plain", { "Content-Type": "text/plain" }, "email=a@b.c&password=x"],
    ["no content type", {}, "email=a@b.c&password=x"],
    ["no content type and no body", {}, undefined],
  ];
  for (const [label, headers, body] of cases) {
    it(`a form post sent as ${label} answers 415 with the accepted types`, async () => {
      for (const [client, path] of [
        [new HttpClient(server.url), "/login"],
        [admin, "/programs/new"],
        [admin, "/admin/users/new"],
      ] as const) {
        const init: RequestInit = { method: "POST", headers: { Origin: new URL(server.url).origin, ...headers } };
        if (body !== undefined) init.body = body;
        const response = await client.request(path, init);
        expect(response.status, `${label} to ${path}`).toBe(415);
        const text = await response.text();
        expect(text).toMatch(/accepts forms only \(application\/x-www-form-urlencoded or multipart\/form-data\)/);
        expectNoTrace(text);
      }
    });
  }
});

describe("malformed requests answer 400 without a trace", () => {
  /** A raw HTTP/1.1 request (fetch would refuse to send these). */
  function raw(lines: string[]): Promise<{ status: number; body: string }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = new net.Socket();
      let data = "";
      socket.connect(Number(port), "127.0.0.1", () => socket.write(`${lines.join("\r\n")}\r\nConnection: close\r\n\r\n`));
      socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
      socket.on("end", () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]);
        resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
      });
      socket.on("error", reject);
    });
  }

  it("a malformed Host header answers 400, not a 500 with a stack trace", async () => {
    for (const host of ["exa mple", "[::1", "a@b", "example.com/path"]) {
      const answer = await raw(["GET /login HTTP/1.1", `Host: ${host}`]);
      expect(answer.status, host).toBe(400);
      expect(answer.body).toMatch(/The Host header is not a valid host name\./);
      expectNoTrace(answer.body);
    }
  });

  it("a bad %-escape in the path answers a clean 400", async () => {
    for (const path of ["/programs/%E0%A4%A", "/%", "/admin/users/%zz"]) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(400);
      const text = await response.text();
      expect(text).toMatch(/invalid %-escape/);
      expectNoTrace(text);
    }
  });

  it("a NUL byte in an id in the URL answers 400, on pages, data requests, posts and exports", async () => {
    for (const path of [
      `/programs/${programId}%00`,
      `/admin/users/abc%00def`,
      `/programs/${programId}/escalations/%00.data`,
      `/programs/${programId}/teams.csv?q=%00`,
    ]) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(400);
      expectNoTrace(await response.text());
    }
    const posted = await admin.post(`/programs/${programId}/risks/%00`, { intent: "delete" });
    expect(posted.status).toBe(400);
  });

  it("a bad %-encoded cookie is ignored: the sign-in page works and the user signs in and stays in", async () => {
    const client = new HttpClient(server.url);
    const bad = "rd_session=%E0%A4%A; rd_program=%00; __rd_toast=%";
    const login = await client.get("/login", { headers: { Cookie: bad } });
    expect(login.status).toBe(200);
    await signIn(server.url, coach, client);
    // A broken cookie next to a valid session: the user is still signed in.
    const page = await client.get("/programs", { headers: { Cookie: `${client.cookieHeader()}; rd_program=%E0%A4%A; junk=%` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(coach.name);
  });

  it("a Cookie header written loosely (a trailing semicolon, no space after one) keeps the user signed in", async () => {
    const client = new HttpClient(server.url);
    await signIn(server.url, coach, client);
    for (const cookie of [
      `${client.cookieHeader()};`,
      `${client.cookieHeader()};`.replace(/; /g, ";"),
      `junk=1;${client.cookieHeader()}`,
    ]) {
      const page = await client.get("/programs", { headers: { Cookie: cookie } });
      expect(page.status, cookie).toBe(200);
      expect(await page.text()).toContain(coach.name);
    }
  });

  it("a post with a made-up X-Forwarded-Host is answered like any other post, not with a 500", async () => {
    const response = await new HttpClient(server.url).post(
      "/login",
      { email: coach.email, password: "not-the-password-1" },
      { headers: { "X-Forwarded-Host": "evil.example" } },
    );
    expect(response.status).toBe(401);
  });

  it("with NODE_ENV unset, a failing page shows no server paths", async () => {
    const response = await admin.get("/no/such/page%20here");
    expect(response.status).toBe(404);
    expectNoTrace(await response.text());
  });
});

/** A post whose body is sent only partly until `finish()` is called; `answered` resolves with its status. */
async function heldPost(path: string, body: string, sendFirst: number) {
  const url = new URL(path, server.url);
  const req = http.request(url, {
    method: "POST",
    headers: { Origin: url.origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) },
  });
  const answered = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
  });
  await new Promise<void>((resolve) => req.write(body.slice(0, sendFirst), () => resolve()));
  // A round trip on another connection: by then the server has taken the held post in.
  await fetch(new URL("/healthz", server.url));
  return { answered, finish: () => req.end(body.slice(sendFirst)) };
}

function post(path: string, body: string): Promise<number> {
  return fetch(new URL(path, server.url), {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  }).then(async (response) => {
    await response.arrayBuffer();
    return response.status;
  });
}

describe("one client's heavy posts wait in line, so everyone else is answered meanwhile", () => {
  /** What happened, in order: the page asked for while the first post was held, its end, the second post's answer. */
  async function events(path: string, body: string, sendFirst: number) {
    const happened: string[] = [];
    const first = await heldPost(path, body, sendFirst);
    const second = post(path, body).then((status) => happened.push(`second answered ${status}`));
    // Pages are answered meanwhile (the line is for posts)…
    happened.push(`page ${(await fetch(new URL("/login", server.url))).status}`);
    // …and a round trip later the second post still waits behind the first, whose body is not all in.
    await fetch(new URL("/healthz", server.url));
    happened.push("first post's body ends");
    first.finish();
    await Promise.all([first.answered, second]);
    return happened;
  }

  it("a large form body from one address is read only after the one before it", async () => {
    // Signed out, the route answers before reading the body; the next large post still waits for it.
    expect(await events("/account/password", `description=${"x".repeat(200 * 1024)}`, 100 * 1024)).toEqual([
      "page 200",
      "first post's body ends",
      "second answered 302",
    ]);
  });

  it("sign-in attempts from one address are handled one at a time", async () => {
    const body = new URLSearchParams({ email: "nobody@example.com", password: "not-the-password-1" }).toString();
    expect(await events("/login", body, 10)).toEqual(["page 200", "first post's body ends", "second answered 401"]);
  });
});
