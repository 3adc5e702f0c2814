import type { Kysely } from "kysely";

// The number of stored overdue rows of a program (enablement_overdue, migration 0110), kept on the
// stamp they were computed under: the overdue list's unfiltered page reads its total from here
// instead of counting ~18,000 rows on every view (issue 15). Null: not known (never computed
// since this migration) — the list counts, as before.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("enablement_coverage_stamps").addColumn("overdue_rows", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("enablement_coverage_stamps").dropColumn("overdue_rows").execute();
}
