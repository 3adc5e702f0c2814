// A real server started on a database seeded beforehand with the model functions and builders
// (for areas whose fixtures need rows no form of this branch makes, e.g. a cycle's key results).
// PGlite: a data folder copied from the migrated template, seeded, closed, then opened by the
// server (never by two processes at once). PostgreSQL: a fresh copy of the template database.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDatabase } from "../../db/index";
import { ensureInstallation } from "~/models/accounts/installation.server";
import type { DB } from "~/utils/db.server";
import { copyPgliteTemplateFolder, createFreshPostgresDatabase } from "./database";
import { pgliteDemoDump, postgresDemoTemplate } from "./demo-database";
import { startServer, type RunningServer } from "./server";
import { postgresUrl, TMP } from "./test-env";

/**
 * `demo`: seed on top of the demo (seeded once per run, tests/support/demo-database.ts) rather
 * than on the empty migrated database.
 */
export async function startSeededServer<T>(
  seed: (db: DB) => Promise<T>,
  options: { demo?: boolean } = {},
): Promise<{ server: RunningServer; world: T }> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let world: T;
  const markSetUp = async (db: DB) => {
    await ensureInstallation(db);
    await db.updateTable("installation").set({ setup_completed_at: new Date() }).where("id", "=", 1).execute();
  };
  if (postgresUrl()) {
    const fresh = await createFreshPostgresDatabase(options.demo ? await postgresDemoTemplate() : undefined);
    const handle = createDatabase({ url: fresh.url, poolSize: 2 });
    try {
      await markSetUp(handle.db);
      world = await seed(handle.db);
    } finally {
      await handle.close();
    }
    env = { DATABASE_URL: fresh.url };
    cleanup = () => fresh.drop();
  } else {
    const dir = options.demo ? path.join(TMP, `seeded-demo-${randomBytes(6).toString("hex")}`) : copyPgliteTemplateFolder("seeded");
    const handle = createDatabase({ dataDir: dir, loadDataDir: options.demo ? await pgliteDemoDump() : undefined, purpose: "test seed" });
    try {
      await markSetUp(handle.db);
      world = await seed(handle.db);
    } finally {
      await handle.close();
    }
    env = { DATABASE_URL: "", DATA_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = await startServer(env);
  const stop = server.stop.bind(server);
  server.stop = async () => {
    await stop();
    await cleanup();
  };
  return { server, world };
}
