import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { setUpInstallation } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { postgresUrl } from "../support/test-env";

// PostgreSQL only: the probe's "Unhandled 'error' event on Client" (57P01) ended the process in
// 3 of 4 runs. Here the app's backends are terminated again and again while reads and writes
// flow; a request whose connection dies is answered 503 (nothing of it saved), the others
// succeed, and afterwards the same process answers /healthz and serves reads and writes.

const UNAVAILABLE = "The connection to the database was lost while answering. Nothing was saved: please try again in a moment.";

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.runIf(Boolean(postgresUrl()))("PostgreSQL connections dropped while requests flow", () => {
  let server: RunningServer;
  let admin: HttpClient;

  beforeAll(async () => {
    server = await startServer(
      { DATABASE_POOL_SIZE: "4" },
      { expectErrors: /PostgreSQL connection lost|terminat|57P01|Connection terminated|request failed|Body is unusable|^\s+at / },
    );
    ({ client: admin } = await setUpInstallation(server.url));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the server survives, answers the broken requests 503, saves nothing half, and serves on", async () => {
    const url = server.databaseUrl!;
    const database = new URL(url).pathname.slice(1);
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let stop = false;

    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const write = i % 3 === 0;
        const response = write
          ? await admin.post("/programs/new", { name: `Stream ${n}-${i}`, description: "", startsOn: "", endsOn: "", status: "planned" })
          : await admin.get(i % 2 ? "/programs" : "/admin/audit");
        const body = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 503 && !body.includes(UNAVAILABLE)) unexpected.push(`503 without the message: ${body.slice(0, 200)}`);
        if (![200, 302, 503].includes(response.status)) unexpected.push(`${response.status}: ${body.slice(0, 200)}`);
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    let terminated = 0;
    for (let round = 0; round < 12; round++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const rows = await query(
        url,
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      );
      terminated += rows.length;
    }
    stop = true;
    await Promise.all(workers);

    expect(terminated, "backends were terminated").toBeGreaterThan(0);
    expect(unexpected).toEqual([]);
    // Still the same process, and it serves.
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    const health = await fetch(new URL("/healthz", server.url));
    expect(health.status).toBe(200);
    expect((await admin.get("/programs")).status).toBe(200);
    const created = await admin.post("/programs/new", {
      name: "After the storm",
      description: "",
      startsOn: "",
      endsOn: "",
      status: "planned",
    });
    expect(created.status).toBe(302);
    // Nothing half-written: every program has its audit event and every audit event its program.
    const [counts] = await query<{ programs: number; events: number }>(
      url,
      "select (select count(*)::int from programs) as programs, (select count(*)::int from audit_events where action = 'program.created') as events",
    );
    expect(counts.programs).toBe(counts.events);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });
});
