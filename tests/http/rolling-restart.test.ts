import http from "node:http";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { createUser, setUpInstallation, signIn } from "../support/http-fixtures";
import { createFreshPostgresDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { postgresUrl } from "../support/test-env";

// A rolling restart of two processes under load: each is stopped (SIGTERM) while requests flow
// and started again, one after the other, behind a tiny balancer that — like nginx — tries the
// other process when a connection is refused. No request may fail: requests a stopping process
// has accepted are finished, new ones go to the other process. Migrations run once even when
// two processes start at the same moment on an empty database.

interface Answer {
  status: number;
  server: string;
}

/** One request on its own connection, so a refused connect is told apart from a lost answer. */
function get(base: string, path: string, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, base), { agent: false, headers: { Cookie: cookie } }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, server: base }));
      // An answer cut off after it began is a lost request, never retried.
      response.on("error", (error) => reject(Object.assign(error, { code: "ANSWER_CUT" })));
    });
    request.on("error", reject);
  });
}

describe.runIf(postgresUrl())("a rolling restart of two processes under load", () => {
  const running = new Set<RunningServer>();
  let database: Awaited<ReturnType<typeof createFreshPostgresDatabase>> | undefined;
  afterAll(async () => {
    for (const server of running) await server.stop();
    await database?.drop();
  });

  async function start(): Promise<RunningServer> {
    const server = await startServer({ DATABASE_URL: database!.url, SHUTDOWN_GRACE_MS: "8000" });
    running.add(server);
    return server;
  }

  it("loses no request while each process is stopped and started again", { timeout: 180_000 }, async () => {
    database = await createFreshPostgresDatabase();
    const [first, second] = await Promise.all([start(), start()]);
    const admin = (await setUpInstallation(first.url)).client;
    const plo = await signIn(first.url, await createUser(admin, { role: "plo" }));
    const cookie = plo.cookieHeader();

    // The balancer's view: which processes take traffic.
    const pool: string[] = [first.url, second.url];
    let turn = 0;
    const answers: Answer[] = [];
    const failures: string[] = [];
    let stop = false;

    async function throughBalancer(path: string): Promise<void> {
      for (let tries = 0; tries < 5; tries++) {
        const base = pool[turn++ % pool.length];
        try {
          answers.push(await get(base, path, cookie));
          return;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // Nothing was sent to a process that refused the connection: safe to try the other one.
          // A reset before any answer (a connection still in the kernel's queue when the stopping
          // process closed its listener) is retried too, for these GETs: nginx's default
          // (proxy_next_upstream error) does the same for idempotent requests.
          if (code === "ECONNREFUSED" || code === "ECONNRESET") {
            continue;
          }
          failures.push(`${path} on ${base}: ${code ?? String(error)}`);
          return;
        }
      }
      failures.push(`${path}: every process refused`);
    }

    const paths = ["/account/password", "/programs", "/org/teams", "/org/people"];
    const workers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; !stop; i++) await throughBalancer(paths[(w + i) % paths.length]);
    });

    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(1_500);
    for (const old of [first, second]) {
      // Stop while requests flow; the balancer drops it when its connections are refused.
      await old.stop();
      running.delete(old);
      pool.splice(pool.indexOf(old.url), 1);
      const replacement = await start();
      const ready = await fetch(new URL("/readyz", replacement.url));
      expect(ready.status).toBe(200);
      pool.push(replacement.url);
      await pause(1_500);
    }
    stop = true;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Both replacements served requests.
    const servedBy = new Set(answers.map((a) => a.server));
    expect(servedBy.size).toBeGreaterThanOrEqual(3);
  });

  it("two processes starting at once on an empty database apply each migration once", { timeout: 120_000 }, async () => {
    const empty = await createFreshPostgresDatabase();
    const started: RunningServer[] = [];
    try {
      // Empty it: the fresh copy of the template is already migrated.
      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      await client.query("drop schema public cascade; create schema public;");
      const [a, b] = await Promise.all([startServer({ DATABASE_URL: empty.url }), startServer({ DATABASE_URL: empty.url })]);
      started.push(a, b);
      const applied = await client.query("select name, count(*)::int as n from kysely_migration group by name");
      await client.end();
      expect(applied.rows.length).toBeGreaterThan(5);
      expect(applied.rows.every((row) => row.n === 1)).toBe(true);
      for (const server of [a, b]) expect((await fetch(new URL("/readyz", server.url))).status).toBe(200);
      // Both processes serve the same installation.
      expect((await new HttpClient(a.url).get("/setup")).status).toBe((await new HttpClient(b.url).get("/setup")).status);
    } finally {
      for (const server of started) await server.stop();
      await empty.drop();
    }
  });
});
