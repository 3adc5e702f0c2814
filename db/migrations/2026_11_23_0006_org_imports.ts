import { sql, type Kysely } from "kysely";

// Staged HR imports: the uploaded CSV is kept between the preview and the commit, so the user
// never uploads twice. Rows older than a day are deleted by the app when the next file arrives.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("org_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("csv", "text", (c) => c.notNull())
    // The column mapping chosen by the user (null: the one detected from the headers).
    .addColumn("mapping", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("committed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("org_imports_created_at_idx").on("org_imports").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("org_imports").execute();
}
