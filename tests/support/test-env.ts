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
  /** On PostgreSQL, each test file copies this migrated database. */
  pgTemplateDb: string;
  /** Prefix of every database this run creates (dropped at the end of the run). */
  pgPrefix: string;
}

export function runNames(runId: string): RunNames {
  return {
    pgliteTemplate: path.join(TMP, `pglite-template-${runId}.tar.gz`),
    pgTemplateDb: `rollout_desk_test_${runId}_template`,
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
