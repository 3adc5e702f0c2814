import { sql, type Kysely } from "kysely";

// Imports of OKR sets and of check-ins into a cycle (issue 14): the uploaded file is kept between
// the preview and the commit, like the org and enablement imports.
// Frozen in time: never import application code from a migration.

const now = sql`now()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cycle_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    // 'okrs' (objectives and key results) or 'checkins'.
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('okrs', 'checkins')`))
    .addColumn("file_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("csv", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("committed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("cycle_imports_cycle_idx").on("cycle_imports").columns(["cycle_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cycle_imports").execute();
}
