import type { Kysely } from "kysely";

// The enablement coverage heat map, precomputed (issue 15, ADR 0014): the person × requirement
// states are still resolved by query, but the heat map's figures are stored per program for one
// day — one row per wave × unit × module — with the versions of the inputs they were computed
// from. `enablement_version` (programs, installation) is bumped by every audited change that can
// move a state (organization, plan, coaching, accounts, cycles, enablement); other changes
// (check-ins, reports, RACI …) leave it alone. The heat map reads the stored rows while their
// stamp matches the versions and the day, and recomputes them otherwise.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("programs")
    .addColumn("enablement_version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("installation")
    .addColumn("enablement_version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("enablement_coverage_stamps")
    .addColumn("program_id", "text", (c) => c.primaryKey().references("programs.id").onDelete("cascade"))
    // The versions and the day the stored rows were computed for; null: never computed.
    .addColumn("program_version", "bigint")
    .addColumn("installation_version", "bigint")
    .addColumn("day", "date")
    .addColumn("computed_at", "timestamptz")
    .addColumn("compute_ms", "integer")
    .execute();
  await db.schema
    .createTable("enablement_coverage")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // Null: no wave / no unit.
    .addColumn("wave_id", "text")
    .addColumn("unit_id", "text")
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("met", "integer", (c) => c.notNull())
    .addColumn("met_on_time", "integer", (c) => c.notNull())
    .addColumn("overdue", "integer", (c) => c.notNull())
    .addColumn("due", "integer", (c) => c.notNull())
    .addColumn("refresh_soon", "integer", (c) => c.notNull())
    .addColumn("waived", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("enablement_coverage_program_idx").on("enablement_coverage").column("program_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("enablement_coverage").execute();
  await db.schema.dropTable("enablement_coverage_stamps").execute();
  await db.schema.alterTable("installation").dropColumn("enablement_version").execute();
  await db.schema.alterTable("programs").dropColumn("enablement_version").execute();
}
