import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { postgresUrl, ROOT, runNames, TMP, withDatabase } from "./test-env";

// Migrate once; every test file then starts from a copy of this database.
export default async function setup(project: TestProject) {
  fs.mkdirSync(TMP, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    execFileSync("npx", ["remix", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  const names = runNames(randomBytes(4).toString("hex"));
  project.provide("runNames", names);
  const url = postgresUrl();
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${names.pgTemplateDb}`);
    await admin.end();
    const handle = createDatabase({ url: withDatabase(url, names.pgTemplateDb), poolSize: 1 });
    await migrateToLatest(handle.db);
    await handle.close();
    return async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      const { rows } = await cleanup.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [
        names.pgPrefix,
      ]);
      for (const row of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const handle = createDatabase({ dataDir: "memory://" });
  await migrateToLatest(handle.db);
  const dump = Buffer.from(await (await handle.pglite!.dumpDataDir("gzip")).arrayBuffer());
  fs.writeFileSync(names.pgliteTemplate, dump);
  await handle.close();
  // The same database as a data folder, for servers and seeds to copy as files.
  const folder = createDatabase({ dataDir: names.pgliteTemplateDir, loadDataDir: new Blob([dump]), purpose: "test template" });
  await folder.pglite!.query("select 1");
  await folder.close();
  return async () => {
    fs.rmSync(names.pgliteTemplate, { force: true });
    fs.rmSync(names.pgliteTemplateDir, { recursive: true, force: true });
    for (const file of [names.pgliteDemo, `${names.pgliteDemo}.lock`, `${names.pgliteDemo}.part`]) fs.rmSync(file, { force: true });
  };
}
