import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const TMP = path.join(ROOT, "tests", ".tmp");
/**
 * Names unique to one test run (given by the global setup through `provide`), so that several
 * runs on one machine never share a template or drop each other's databases.
 */
export interface RunNames {
  /** The migrated PGlite data dir dumped once by the global setup. */
  pgliteTemplate: string;
  /** The same migrated PGlite database as a data folder, for servers and seeds to copy (a file copy, no loading). */
  pgliteTemplateDir: string;
  /** The migrated PGlite database with the demo seeded, dumped by the first file that needs it (tests/support/demo-database.ts). */
  pgliteDemo: string;
  /** On PostgreSQL, each test file copies this migrated database. */
  pgTemplateDb: string;
  /** On PostgreSQL, the migrated database with the demo seeded, made by the first file that needs it. */
  pgDemoDb: string;
  /** Prefix of every database this run creates (dropped at the end of the run). */
  pgPrefix: string;
}

export function runNames(runId: string): RunNames {
  return {
    pgliteTemplate: path.join(TMP, `pglite-template-${runId}.tar.gz`),
    pgliteTemplateDir: path.join(TMP, `pglite-template-${runId}`),
    pgliteDemo: path.join(TMP, `pglite-demo-${runId}.tar.gz`),
    pgTemplateDb: `rollout_desk_test_${runId}_template`,
    pgDemoDb: `rollout_desk_test_${runId}_demo`,
    pgPrefix: `rollout_desk_test_${runId}_`,
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    runNames: RunNames;
  }
}

export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
