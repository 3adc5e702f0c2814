import { sql, type Kysely } from "kysely";

// HR imports a PLO can trust month after month (issue 13). A staged upload becomes the import's
// record: its state while it is planned (progress, so any app process can show it), the PLO's
// decisions (skipped and edited rows, confirmed renames and email changes, what to do with
// leavers), the number and author once committed. Its planned changes are rows of
// org_import_items: paged in the preview, downloaded as the change report, and after the commit
// the history of each person and team. The last column mapping per header set is remembered.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("org_imports")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("planning"))
    .addColumn("plan_version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("heartbeat_at", "timestamptz")
    .addColumn("plan_error", "text")
    .addColumn("headers", "jsonb")
    .addColumn("sample", "jsonb")
    .addColumn("detected_mapping", "jsonb")
    .addColumn("row_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("header_key", "text")
    .addColumn("mapping_source", "text")
    .addColumn("decisions", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("counts", "jsonb")
    .addColumn("timings", "jsonb")
    .addColumn("fingerprint", "text")
    .addColumn("org_version", "text")
    .addColumn("plan_data", "text")
    .addColumn("number", "integer")
    .addColumn("committed_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("committed_by_label", "text")
    .execute();
  // Imports committed before this migration keep their place in the history.
  await sql`
    update org_imports set status = 'committed', number = n.number
    from (select id, row_number() over (order by committed_at, id)::int as number from org_imports where committed_at is not null) n
    where org_imports.id = n.id`.execute(db);
  await sql`CREATE UNIQUE INDEX org_imports_number_idx ON org_imports (number) WHERE number IS NOT NULL`.execute(db);

  await db.schema
    .createTable("org_import_items")
    .addColumn("import_id", "text", (c) => c.notNull().references("org_imports.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("line", "integer")
    .addColumn("ref_id", "text")
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("field", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("before", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("after", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("extra", "jsonb")
    .addPrimaryKeyConstraint("org_import_items_pk", ["import_id", "seq"])
    .execute();
  await db.schema.createIndex("org_import_items_kind_idx").on("org_import_items").columns(["import_id", "kind", "seq"]).execute();
  await sql`CREATE INDEX org_import_items_ref_idx ON org_import_items (ref_id) WHERE ref_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable("org_import_mappings")
    .addColumn("header_key", "text", (c) => c.primaryKey())
    .addColumn("headers", "jsonb", (c) => c.notNull())
    .addColumn("mapping", "jsonb", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("org_import_mappings").execute();
  await db.schema.dropTable("org_import_items").execute();
  await sql`DROP INDEX org_imports_number_idx`.execute(db);
  await db.schema
    .alterTable("org_imports")
    .dropColumn("status")
    .dropColumn("plan_version")
    .dropColumn("progress_done")
    .dropColumn("progress_total")
    .dropColumn("heartbeat_at")
    .dropColumn("plan_error")
    .dropColumn("headers")
    .dropColumn("sample")
    .dropColumn("detected_mapping")
    .dropColumn("row_count")
    .dropColumn("header_key")
    .dropColumn("mapping_source")
    .dropColumn("decisions")
    .dropColumn("counts")
    .dropColumn("timings")
    .dropColumn("fingerprint")
    .dropColumn("org_version")
    .dropColumn("plan_data")
    .dropColumn("number")
    .dropColumn("committed_by")
    .dropColumn("committed_by_label")
    .execute();
}
