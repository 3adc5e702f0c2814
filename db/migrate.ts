import type { Kysely } from "kysely";
import { Migrator, NO_MIGRATIONS, type MigrationResultSet } from "kysely/migration";
import { migrations } from "./migrations/index";

function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${reason}`);
  }
  return (result.results ?? []).map((r) => `${r.direction === "Up" ? "applied" : "reverted"} ${r.migrationName}`);
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}

/** Reverts every migration (used by the up → down → up test). */
export async function migrateToNone(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/**
 * The migrations this build knows that the database has not applied yet (a readiness check:
 * a process whose schema is behind must not take traffic). One light query.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await migrator(db).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}

export function migrationNames(): string[] {
  return Object.keys(migrations);
}
