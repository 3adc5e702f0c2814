import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type Backend = "pg" | "pglite";

export interface DatabaseOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder, or "memory://" for an in-memory database. */
  dataDir?: string;
  /** A PGlite data-dir dump (from `dumpDataDir`) to start from; tests use it to skip migrations. */
  loadDataDir?: Blob | File;
  /** Maximum pool size on PostgreSQL. */
  poolSize?: number;
  /** Called once for every query sent to the database (used to count queries per request). */
  onQuery?: (event: LogEvent) => void;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  backend: Backend;
  /** The embedded instance, when the backend is PGlite. */
  pglite: PGlite | null;
  close(): Promise<void>;
}

// Same values on both backends: `date` stays a 'YYYY-MM-DD' string (no time-zone shift),
// int8 and numeric become numbers (pg returns strings, PGlite numbers).
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;
const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => Number(v),
  [OID.date]: (v) => v,
};

const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    const parser = parsers[oid];
    if (parser && format !== "binary") return parser;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

/** Reads the backend choice from the environment: DATABASE_URL, else PGlite in DATA_DIR (./data). */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, poolSize: Number(env.DATABASE_POOL_SIZE) || 10 };
  return { dataDir: env.DATA_DIR || "./data" };
}

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  const log = options.onQuery ? (event: LogEvent) => options.onQuery?.(event) : undefined;

  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      types: pgTypes,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", (error) => {
      console.warn(`[db] idle PostgreSQL client error: ${error.message}`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return { db, backend: "pg", pglite: null, close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const pglite = new PGlite(dataDir.startsWith("memory://") ? "memory://" : path.resolve(dataDir), {
    parsers,
    loadDataDir: options.loadDataDir,
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), log });
  return {
    db,
    backend: "pglite",
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
