import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PGliteDialect, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import { lockDataDir, type DataDirLock } from "./data-dir-lock";
import type { Database } from "./schema";

export { DataDirLockedError, lockDataDir, type DataDirLock } from "./data-dir-lock";

export type Backend = "pg" | "pglite";

/**
 * The extensions every opening of an embedded database loads: the schema uses them (pg_trgm's
 * GIN indexes serve the people search, migration 0090), so a PGlite opened without them fails on
 * the first write to an indexed table. Every `new PGlite` passes these.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

/**
 * PGlite's start parameters (ADR 0024): its own, and a buffer cache of `sharedBuffers` when given
 * (PGLITE_SHARED_BUFFERS). PostgreSQL's default cache (128 MB) lives inside the WASM memory of
 * the app process, which never gives memory back: 16MB saves about 110 MB of the process, but
 * the bench's people list was about twice as slow with it (pages reading more than the cache
 * copy pages from the file cache), so the default stays PostgreSQL's. The WAL buffers stay what
 * the default cache gives them.
 */
export function pgliteStartParams(sharedBuffers?: string): string[] {
  if (!sharedBuffers) return PGlite.defaultStartParams;
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}`, "-c", "wal_buffers=4MB"];
}

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
  /**
   * PostgreSQL: what to throw when the connection to the database is lost or cannot be made
   * (the app turns it into a 503 for the request). Defaults to the DatabaseUnavailableError itself.
   */
  onUnavailable?: (error: DatabaseUnavailableError) => unknown;
  /** PGlite folder: who holds its lock, named in the message another process gets ("server", "migrate"…). */
  purpose?: string;
  /** PGlite's buffer cache (shared_buffers), e.g. "16MB"; PostgreSQL's default (128MB) when absent. */
  sharedBuffers?: string;
}

/**
 * The database could not be reached, or the connection died under a query (a restart, a
 * failover, `pg_terminate_backend`). PostgreSQL rolled back whatever that connection had not
 * committed; the pool replaces the connection, so the next request can succeed.
 */
export class DatabaseUnavailableError extends Error {
  readonly status = 503;
  constructor(readonly cause: unknown) {
    super(`The database connection was lost (${cause instanceof Error ? cause.message : String(cause)}).`);
    this.name = "DatabaseUnavailableError";
  }
}

// SQLSTATE classes and messages of a lost connection: 57P01–57P03 (terminated by an
// administrator, crash, not accepting connections yet), class 08 (connection exception), and
// what pg and the socket report when the server goes away.
const LOST_CODES = /^(57P0[123]|08\d{3}|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)$/;
const LOST_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly/i;

export function isConnectionLost(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === "string" && LOST_CODES.test(code)) || (typeof message === "string" && LOST_MESSAGES.test(message));
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  backend: Backend;
  /** The embedded instance, when the backend is PGlite. */
  pglite: PGlite | null;
  /** Pool usage for the metrics (PostgreSQL only). */
  poolStats?: () => { total: number; idle: number; waiting: number };
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
  const sharedBuffers = /^\d+(kB|MB|GB)$/.test(env.PGLITE_SHARED_BUFFERS ?? "") ? env.PGLITE_SHARED_BUFFERS : undefined;
  return { dataDir: env.DATA_DIR || "./data", sharedBuffers };
}

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  const log = options.onQuery ? (event: LogEvent) => options.onQuery?.(event) : undefined;

  if (options.url) {
    const unavailable = (error: unknown) => {
      if (!isConnectionLost(error)) return error;
      const wrapped = error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error);
      return options.onUnavailable ? options.onUnavailable(wrapped) : wrapped;
    };
    const pool = new ResilientPool(unavailable, {
      connectionString: options.url,
      // No JIT compilation: the app's queries are short, and compiling one that crosses the
      // planner's cost threshold (a checklist count, a snapshot figure) took longer than running it.
      options: "-c jit=off",
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      types: pgTypes,
    });
    // A client losing its connection must not crash the process, idle or checked out: pg emits
    // 'error' on the client, and an 'error' event without a listener kills node. The pool covers
    // idle clients; every client gets its own listener for the time it is checked out. The query
    // under way fails (and is answered 503); pg-pool drops the broken client on release.
    pool.on("error", (error) => {
      console.warn(`[db] idle PostgreSQL connection lost: ${error.message}`);
    });
    pool.on("connect", (client) => {
      client.on("error", (error) => {
        console.warn(`[db] PostgreSQL connection lost: ${error.message}`);
      });
      wrapQueryErrors(client, unavailable);
      namePreparedStatements(client);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return {
      db,
      backend: "pg",
      pglite: null,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }

  const dataDir = options.dataDir ?? "memory://";
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  // One process per folder: refused here, with the holder named, before PGlite touches a file.
  const lock: DataDirLock | null = inMemory ? null : lockDataDir(dataDir, options.purpose ?? commandLine());
  let pglite: PGlite;
  try {
    pglite = new PGlite(inMemory ? "memory://" : path.resolve(dataDir), {
      parsers,
      loadDataDir: options.loadDataDir,
      extensions: PGLITE_EXTENSIONS,
      startParams: pgliteStartParams(options.sharedBuffers),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), log });
  return {
    db,
    backend: "pglite",
    pglite,
    close: async () => {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** What this process is, for the lock's message: "server/index.js", "db/migrate-cli.ts up"… */
function commandLine(): string {
  const [script, ...args] = process.argv.slice(1);
  return script ? [path.relative(process.cwd(), script) || script, ...args].join(" ") : "node";
}

/** pg.Pool whose failures to connect come out as DatabaseUnavailableError (or what onUnavailable makes of it). */
class ResilientPool extends pg.Pool {
  constructor(
    private readonly unavailable: (error: unknown) => unknown,
    config: pg.PoolConfig,
  ) {
    super(config);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
    if (callback) return super.connect(callback);
    return super.connect().catch((error: unknown) => Promise.reject(this.unavailable(error)));
  }
}

/**
 * Starts the text of a query whose plan PostgreSQL may keep (ADR 0026): it is sent as a named
 * prepared statement, parsed once per connection, and after five executions PostgreSQL reuses a
 * generic plan when it costs no more than planning afresh. For the few hot queries whose planning
 * costs more than their execution (the enablement state query). Their text must not vary from call
 * to call (values as parameters, no lists of varying length), or each variant becomes a statement
 * of its own on every connection. A comment, so PGlite (one connection, no statement names) runs
 * the query as any other.
 */
export const PREPARED_MARK = "/* prepared */";

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    // A bound for a text that varies by mistake: names are derived again, never wrong.
    if (statementNames.size >= 1000) statementNames.clear();
    name = `rd_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Queries whose text starts with PREPARED_MARK go out as named statements (pg keeps them per connection). */
function namePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === "string" && text.startsWith(PREPARED_MARK) && (values === undefined || Array.isArray(values))) {
      return query({ name: statementName(text), text, values });
    }
    return query(...args);
  };
}

/** The promise form of client.query (what Kysely uses) rejects with the translated error when the connection is lost. */
function wrapQueryErrors(client: pg.PoolClient, unavailable: (error: unknown) => unknown): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(unavailable(error)));
    return result;
  };
}
