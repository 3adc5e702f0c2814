import type { Kysely } from "kysely";

// Data versions (ADR 0011): a counter per program, bumped with every audited change of that
// program, and one for the installation, bumped with every other audited change (organization,
// accounts). Pages that aggregate thousands of rows cache what they read under these versions,
// so a cached figure is never older than the last change. Adds columns only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("programs")
    .addColumn("data_version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("installation")
    .addColumn("data_version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("installation").dropColumn("data_version").execute();
  await db.schema.alterTable("programs").dropColumn("data_version").execute();
}
