import { sql, type Kysely } from "kysely";

// The organization, installation-wide: a tree of units, teams in units, people.
// Frozen in time: never import application code from a migration.
// Nothing is deleted by the app: archiving sets archived_at, so plans drop the item and history
// keeps it. `external_id` is the HR system's key; re-imports match on it, else on email.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("org_units")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("parent_id", "text", (c) => c.references("org_units.id").onDelete("restrict"))
    .addColumn("external_id", "text")
    .addColumn("archived_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A unit's name is unique among its siblings (the root level counts as one parent).
  await sql`CREATE UNIQUE INDEX org_units_sibling_name_idx ON org_units (coalesce(parent_id, ''), lower(name))`.execute(db);
  await sql`CREATE UNIQUE INDEX org_units_external_id_idx ON org_units (external_id) WHERE external_id IS NOT NULL`.execute(db);
  await db.schema.createIndex("org_units_parent_idx").on("org_units").column("parent_id").execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("set null"))
    .addColumn("team_id", "text")
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("external_id", "text")
    .addColumn("archived_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Emails are stored lower-cased by the app; the index makes them unique.
  await db.schema.createIndex("people_email_idx").on("people").column("email").unique().execute();
  await sql`CREATE UNIQUE INDEX people_external_id_idx ON people (external_id) WHERE external_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX people_user_idx ON people (user_id) WHERE user_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX people_name_idx ON people (lower(name))`.execute(db);
  await db.schema.createIndex("people_unit_idx").on("people").column("unit_id").execute();
  await db.schema.createIndex("people_team_idx").on("people").column("team_id").execute();

  await db.schema
    .createTable("teams")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("unit_id", "text", (c) => c.notNull().references("org_units.id").onDelete("restrict"))
    .addColumn("lead_person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("size", "integer")
    .addColumn("external_id", "text")
    .addColumn("archived_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX teams_unit_name_idx ON teams (unit_id, lower(name))`.execute(db);
  await sql`CREATE UNIQUE INDEX teams_external_id_idx ON teams (external_id) WHERE external_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX teams_name_idx ON teams (lower(name))`.execute(db);
  await db.schema.createIndex("teams_lead_idx").on("teams").column("lead_person_id").execute();

  await sql`ALTER TABLE people ADD CONSTRAINT people_team_fk FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE SET NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE people DROP CONSTRAINT people_team_fk`.execute(db);
  await db.schema.dropTable("teams").execute();
  await db.schema.dropTable("people").execute();
  await db.schema.dropTable("org_units").execute();
}
