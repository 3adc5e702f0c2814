import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase, DatabaseUnavailableError } from "../../db/index";
import { createFreshPostgresDatabase } from "../support/database";
import { postgresUrl } from "../support/test-env";

// PostgreSQL only (PGlite runs inside the process: there is no connection to lose). A backend
// terminated under a query (a restart, a failover, pg_terminate_backend) fails that query with a
// DatabaseUnavailableError — never an unhandled 'error' event that ends the process —, rolls back
// what it had not committed, and the pool serves the next query on a new connection.

async function terminateBackends(url: string, database: string, where = "true") {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and ${where}`,
      [database],
    );
    return rows.length;
  } finally {
    await admin.end();
  }
}

describe.runIf(Boolean(postgresUrl()))("a PostgreSQL connection dropped under the app", () => {
  it("a query whose connection is terminated fails as 'database unavailable', and the next query succeeds", async () => {
    const fresh = await createFreshPostgresDatabase();
    const handle = createDatabase({ url: fresh.url, poolSize: 2 });
    const database = new URL(fresh.url).pathname.slice(1);
    try {
      const slow = handle.db.selectNoFrom((eb) => eb.fn<number>("pg_sleep", [eb.lit(5)]).as("slept")).execute();
      const outcome = slow.then(
        () => "finished",
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await terminateBackends(postgresUrl()!, database, "query like '%pg_sleep%'")).toBe(1);
      const error = await outcome;
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(/^The database connection was lost \(.+\)\.$/);
      const again = await handle.db.selectNoFrom((eb) => eb.lit(1).as("one")).executeTakeFirstOrThrow();
      expect(again.one).toBe(1);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });

  it("a transaction whose connection dies between two statements leaves nothing written", async () => {
    const fresh = await createFreshPostgresDatabase();
    const handle = createDatabase({ url: fresh.url, poolSize: 2 });
    const database = new URL(fresh.url).pathname.slice(1);
    try {
      const attempt = handle.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("login_throttle")
          .values({ key: "half-written", failures: 1, first_failure_at: new Date(), locked_until: null })
          .execute();
        // Between two statements, idle in the transaction, the backend goes away.
        await terminateBackends(postgresUrl()!, database, "state = 'idle in transaction'");
        await new Promise((resolve) => setTimeout(resolve, 200));
        await trx
          .insertInto("login_throttle")
          .values({ key: "second-half", failures: 1, first_failure_at: new Date(), locked_until: null })
          .execute();
      });
      await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
      const rows = await handle.db.selectFrom("login_throttle").select("key").execute();
      expect(rows).toEqual([]);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });

  it("idle connections terminated all at once are replaced without anyone noticing", async () => {
    const fresh = await createFreshPostgresDatabase();
    const handle = createDatabase({ url: fresh.url, poolSize: 4 });
    const database = new URL(fresh.url).pathname.slice(1);
    try {
      await Promise.all(Array.from({ length: 4 }, () => handle.db.selectNoFrom((eb) => eb.lit(1).as("one")).execute()));
      expect(await terminateBackends(postgresUrl()!, database)).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const results = await Promise.all(
        Array.from({ length: 8 }, () => handle.db.selectNoFrom((eb) => eb.lit(2).as("two")).executeTakeFirstOrThrow()),
      );
      expect(results.map((r) => r.two)).toEqual(Array(8).fill(2));
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});
