// npm run db:migrate | db:rollback — applies or reverts migrations on the configured database.
// On PGlite, stop the app first: two processes must never open one data folder.
import { createDatabase, databaseOptionsFromEnv } from "./index";
import { migrateDown, migrateToLatest } from "./migrate";

const command = process.argv[2] ?? "up";
const handle = createDatabase(databaseOptionsFromEnv());
try {
  const done = command === "down" ? await migrateDown(handle.db) : await migrateToLatest(handle.db);
  console.log(done.length ? done.join("\n") : "Nothing to do: the database is up to date.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
