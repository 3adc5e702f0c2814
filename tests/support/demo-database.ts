// The demo, seeded once per test run and copied by every test that stands on it (rather than
// seeded again in each: seeding the whole demo is the longest fixture of the suite). The tests
// about seeding itself (tests/integration/demo-seed.test.ts) still seed a fresh database.
// PGlite: a dump next to the template's, written by the first file that asks for it (the other
// worker waits for it). PostgreSQL: a template database, made under an advisory lock.
import fs from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase } from "../../db/index";
import { seedDemo } from "../../db/seed/demo";
import { postgresUrl, withDatabase } from "./test-env";

/** How long a file waits for the other worker to finish seeding the demo. */
const WAIT_MS = 300_000;

/** The gzip dump of a migrated PGlite database holding the demo (seeded by the first caller of the run). */
export async function pgliteDemoDump(): Promise<Blob> {
  const names = inject("runNames");
  const file = names.pgliteDemo;
  const until = Date.now() + WAIT_MS;
  while (!fs.existsSync(file)) {
    let lock: number | undefined;
    try {
      lock = fs.openSync(`${file}.lock`, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (lock === undefined) {
      // Another file is seeding it (should that fail, its lock goes and this one tries).
      if (Date.now() > until) throw new Error(`the demo dump ${file} did not appear in time`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!fs.existsSync(file)) await writeDemoDump(names.pgliteTemplate, file);
    } finally {
      fs.closeSync(lock);
      fs.rmSync(`${file}.lock`, { force: true });
    }
  }
  return new Blob([fs.readFileSync(file)]);
}

async function writeDemoDump(template: string, file: string): Promise<void> {
  const handle = createDatabase({ dataDir: "memory://", loadDataDir: new Blob([fs.readFileSync(template)]) });
  try {
    await seedDemo(handle.db);
    const dump = await handle.pglite!.dumpDataDir("gzip");
    // Written whole, then renamed: a reader never sees half a file.
    fs.writeFileSync(`${file}.part`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${file}.part`, file);
  } finally {
    await handle.close();
  }
}

/** The name of a PostgreSQL template database holding the demo (seeded by the first caller of the run). */
export async function postgresDemoTemplate(): Promise<string> {
  const base = postgresUrl();
  if (!base) throw new Error("DATABASE_URL is not set");
  const names = inject("runNames");
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    // One seeder at a time; whoever comes second finds the template made.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [names.pgDemoDb]);
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [names.pgDemoDb]);
    if (!rowCount) {
      // Seeded under another name and renamed when complete: the template exists only whole.
      const seeding = `${names.pgDemoDb}_seeding`;
      await client.query(`DROP DATABASE IF EXISTS ${seeding} WITH (FORCE)`);
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`CREATE DATABASE ${seeding} TEMPLATE ${names.pgTemplateDb}`);
          break;
        } catch (error) {
          // Another file copying the template at the same instant; try again shortly.
          if (attempt >= 10) throw error;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
      const handle = createDatabase({ url: withDatabase(base, seeding), poolSize: 2 });
      try {
        await seedDemo(handle.db);
      } finally {
        await handle.close();
      }
      await client.query(`ALTER DATABASE ${seeding} RENAME TO ${names.pgDemoDb}`);
    }
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [names.pgDemoDb]);
  } finally {
    await client.end();
  }
  return names.pgDemoDb;
}
