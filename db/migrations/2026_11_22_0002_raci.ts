import { sql, type Kysely } from "kysely";

// RACI matrix per program. Frozen in time: never import application code from a migration.
// Every row carries a `version` used for optimistic concurrency (an edit names the version it
// was based on; a stale one is refused), and every change is kept in raci_changes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("raci_matrices")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().unique().references("programs.id").onDelete("cascade"))
    .addColumn("overload_share", "real", (c) => c.notNull().defaultTo(0.5))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("raci_roles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("matrix_id", "text", (c) => c.notNull().references("raci_matrices.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("holders", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("raci_roles_matrix_idx").on("raci_roles").columns(["matrix_id", "position"]).execute();

  await db.schema
    .createTable("raci_activities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("matrix_id", "text", (c) => c.notNull().references("raci_matrices.id").onDelete("cascade"))
    .addColumn("group_name", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("raci_activities_matrix_idx").on("raci_activities").columns(["matrix_id", "position"]).execute();

  await db.schema
    .createTable("raci_cells")
    .addColumn("activity_id", "text", (c) => c.notNull().references("raci_activities.id").onDelete("cascade"))
    .addColumn("role_id", "text", (c) => c.notNull().references("raci_roles.id").onDelete("cascade"))
    .addColumn("matrix_id", "text", (c) => c.notNull().references("raci_matrices.id").onDelete("cascade"))
    .addColumn("value", "text", (c) => c.check(sql`value in ('R', 'A', 'C', 'I')`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_by_label", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("raci_cells_pk", ["activity_id", "role_id"])
    .execute();
  await db.schema.createIndex("raci_cells_matrix_idx").on("raci_cells").column("matrix_id").execute();

  await db.schema
    .createTable("raci_changes")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("matrix_id", "text", (c) => c.notNull().references("raci_matrices.id").onDelete("cascade"))
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_label", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("activity_id", "text")
    .addColumn("role_id", "text")
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .execute();
  await db.schema.createIndex("raci_changes_matrix_idx").on("raci_changes").columns(["matrix_id", "revision"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("raci_changes").execute();
  await db.schema.dropTable("raci_cells").execute();
  await db.schema.dropTable("raci_activities").execute();
  await db.schema.dropTable("raci_roles").execute();
  await db.schema.dropTable("raci_matrices").execute();
}
