// npm run demo — migrates the configured database (DATABASE_URL, else PGlite in DATA_DIR) and
// loads the demo installation, then prints the accounts to sign in with. The app server is
// started by the npm script afterwards: this process must close the database first, because
// two processes must never open one PGlite data folder.
import { closeDatabase, getDb, migrateDatabase } from "~/utils/db.server";
import { databaseOptionsFromEnv } from "../index";
import { DEMO_COMPANY, DEMO_PASSWORD, seedDemo } from "./demo";

const options = databaseOptionsFromEnv();
const where = options.url ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${options.dataDir}`;

try {
  console.log(`[demo] loading the ${DEMO_COMPANY} demo into ${where}`);
  // The app's own database handle (built from the same environment), so nothing can open a
  // second PGlite instance on this data folder behind our back.
  for (const line of await migrateDatabase()) console.log(`[db] ${line}`);
  const result = await seedDemo(getDb(), { log: (line) => console.log(`[demo] ${line}`) });

  const port = process.env.PORT || "3000";
  const width = Math.max(...result.accounts.map((a) => a.email.length));
  const lines = [
    "",
    `Rollout Desk demo — ${DEMO_COMPANY}`,
    `Sign in at http://localhost:${port}/login with any of these accounts.`,
    `Password for every account: ${DEMO_PASSWORD}`,
    "",
    ...result.accounts.map(
      (a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(width)}  ${a.name} — ${a.title}${a.created ? "" : " (existed already)"}`,
    ),
    "",
    "Programs:",
    ...result.programs.map((p) => `  ${p.name}${p.created ? "" : " (existed already)"}`),
    "",
  ];
  console.log(lines.join("\n"));
  if (result.accounts.some((a) => !a.created)) {
    console.log("Accounts that existed already keep their current password.\n");
  }
} catch (error) {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
