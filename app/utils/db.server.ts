import type { Kysely } from "kysely";
import { createDatabase, databaseOptionsFromEnv, type DatabaseHandle } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import type { Database } from "../../db/schema";
import { countQuery } from "./request-context.server";

export type DB = Kysely<Database>;

// One handle per process: PGlite must never be opened twice on one data folder.
const holder = globalThis as typeof globalThis & { __rolloutDeskDb?: DatabaseHandle };

export function getHandle(): DatabaseHandle {
  holder.__rolloutDeskDb ??= createDatabase({ ...databaseOptionsFromEnv(), onQuery: countQuery });
  return holder.__rolloutDeskDb;
}

export function getDb(): DB {
  return getHandle().db;
}

export async function migrateDatabase(): Promise<string[]> {
  return migrateToLatest(getDb());
}

export async function closeDatabase(): Promise<void> {
  const handle = holder.__rolloutDeskDb;
  holder.__rolloutDeskDb = undefined;
  await handle?.close();
}

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export function inTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
