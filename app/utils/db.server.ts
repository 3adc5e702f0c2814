import { sql, type Kysely, type RawBuilder } from "kysely";
import { createDatabase, databaseOptionsFromEnv, PREPARED_MARK, type DatabaseHandle, type DatabaseUnavailableError } from "../../db/index";
import { migrateToLatest, pendingMigrations } from "../../db/migrate";
import type { Database } from "../../db/schema";
import { countQuery, currentRequestContext } from "./request-context.server";

export type DB = Kysely<Database>;

// One handle per process: PGlite must never be opened twice on one data folder.
const holder = globalThis as typeof globalThis & { __rolloutDeskDb?: DatabaseHandle };

export function getHandle(): DatabaseHandle {
  holder.__rolloutDeskDb ??= createDatabase({ ...databaseOptionsFromEnv(), onQuery: countQuery, onUnavailable: unavailableAnswer });
  return holder.__rolloutDeskDb;
}

/**
 * A lost database connection during a request is answered 503 with words a user can act on
 * (a thrown Response: the route's error boundary shows it, a resource route sends it as is).
 * PostgreSQL rolled back the request's open transaction with the connection, so nothing of it
 * was saved. Outside a request (scripts) the error itself is thrown.
 */
function unavailableAnswer(error: DatabaseUnavailableError): unknown {
  if (!currentRequestContext()) return error;
  console.warn(`[db] a request failed: ${error.message}`);
  return new Response("The connection to the database was lost while answering. Nothing was saved: please try again in a moment.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" },
  });
}

export function getDb(): DB {
  return getHandle().db;
}

export async function migrateDatabase(): Promise<string[]> {
  return migrateToLatest(getDb());
}

/** Ready to take traffic: the database answers and every migration of this build is applied. */
export async function readiness(): Promise<{ ready: boolean; database: string; pending: string[] }> {
  try {
    const pending = await pendingMigrations(getDb());
    return { ready: pending.length === 0, database: "ok", pending };
  } catch (error) {
    return { ready: false, database: error instanceof Error ? error.message : "unreachable", pending: [] };
  }
}

export async function closeDatabase(): Promise<void> {
  const handle = holder.__rolloutDeskDb;
  holder.__rolloutDeskDb = undefined;
  await handle?.close();
}

/**
 * The query as a prepared statement on PostgreSQL, its plan kept per connection (ADR 0026): for a
 * hot query whose planning costs more than its execution, and whose text is the same on every call.
 */
export function prepared<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(PREPARED_MARK)} ${query}`;
}

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export function inTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
