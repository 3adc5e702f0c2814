import { sql, type Kysely } from "kysely";

// An HR import's planned writes as rows (issues 13 and 20): what the commit creates, changes,
// archives and recounts, one row each, written in batches by the planner and applied by the
// commit with set-based statements that read them in the database. They replace the plan kept as
// one JSON text (plan_data), which the server had to hold whole — objects, text and the driver's
// copy at once — to write it and again to commit it (tens of megabytes for 20,000 people).
// A preview planned before this migration plans again at commit (its organization version is
// forgotten): slower once, never wrong. Nothing a user entered is in these columns.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("org_import_writes")
    .addColumn("import_id", "text", (c) => c.notNull().references("org_imports.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addPrimaryKeyConstraint("org_import_writes_pk", ["import_id", "kind", "seq"])
    .execute();
  await sql`update org_imports set org_version = null where committed_at is null`.execute(db);
  await db.schema.alterTable("org_imports").dropColumn("plan_data").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("org_imports").addColumn("plan_data", "text").execute();
  // The previous version reads its plan from plan_data only: without it, a preview plans again at commit.
  await sql`update org_imports set org_version = null where committed_at is null`.execute(db);
  await db.schema.dropTable("org_import_writes").execute();
}
