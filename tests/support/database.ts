import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../db/index";
import { pgliteDemoDump, postgresDemoTemplate } from "./demo-database";
import { postgresUrl, TMP, withDatabase } from "./test-env";

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The connection string on PostgreSQL (for a server process to share); undefined on PGlite. */
  url: string | undefined;
  close(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated PostgreSQL database copied from the template (no handle opened); with
 * `template`, from that database instead (e.g. the demo's, tests/support/demo-database.ts).
 */
export async function createFreshPostgresDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const base = postgresUrl();
  if (!base) throw new Error("DATABASE_URL is not set");
  const names = inject("runNames");
  const name = `${names.pgPrefix}${randomBytes(6).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template ?? names.pgTemplateDb}`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant can collide; try again shortly.
      if (attempt >= 10) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return { url: withDatabase(base, name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A fresh, migrated PGlite data folder under tests/.tmp: a file copy of the global setup's
 * template folder (no initdb, no migrations, no dump to unpack). Whoever opens it removes it.
 */
export function copyPgliteTemplateFolder(label: string): string {
  const dir = path.join(TMP, `${label}-${randomBytes(6).toString("hex")}`);
  fs.cpSync(inject("runNames").pgliteTemplateDir, dir, { recursive: true });
  return dir;
}

export interface TestDatabaseOptions {
  /** Start from the demo (seeded once per run) rather than from the empty migrated database. */
  demo?: boolean;
}

/** A fresh, migrated database: a PostgreSQL copy of the template, or PGlite loaded from the dump. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (postgresUrl()) {
    const fresh = await createFreshPostgresDatabase(options.demo ? await postgresDemoTemplate() : undefined);
    const handle = createDatabase({ url: fresh.url, poolSize: 5 });
    return {
      handle,
      url: fresh.url,
      close: async () => {
        await handle.close();
        await fresh.drop();
      },
    };
  }
  const dump = options.demo ? await pgliteDemoDump() : new Blob([fs.readFileSync(inject("runNames").pgliteTemplate)]);
  const handle = createDatabase({ dataDir: "memory://", loadDataDir: dump });
  return { handle, url: undefined, close: () => handle.close() };
}

const holder = globalThis as typeof globalThis & { __rolloutDeskDb?: DatabaseHandle };

/**
 * Gives the test file a fresh database and makes it the app's database, so model functions,
 * loaders and actions called directly all use it. Returns an accessor valid after beforeAll.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}) {
  let current: TestDatabase | undefined;
  // The first file to want the demo seeds it: a generous limit then, not a speed assertion.
  beforeAll(
    async () => {
      current = await createTestDatabase(options);
      holder.__rolloutDeskDb = current.handle;
    },
    options.demo ? 300_000 : undefined,
  );
  afterAll(async () => {
    holder.__rolloutDeskDb = undefined;
    await current?.close();
  });
  return {
    get db() {
      if (!current) throw new Error("The test database is not ready: use it inside a test or hook.");
      return current.handle.db;
    },
    get handle() {
      if (!current) throw new Error("The test database is not ready.");
      return current.handle;
    },
  };
}
