import type { Kysely } from "kysely";

// Stored enablement figures besides the heat map's (ADR 0014): wave readiness's people figures
// and the sponsor report's training figures, one row per program × kind, stamped like the heat
// map's rows with the program's and the installation's enablement versions and the day they
// were computed for. A reader uses the row while its stamp matches and computes it otherwise.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("enablement_figures")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("program_version", "bigint", (c) => c.notNull())
    .addColumn("installation_version", "bigint", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("figures", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("enablement_figures_pk", ["program_id", "kind"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("enablement_figures").execute();
}
