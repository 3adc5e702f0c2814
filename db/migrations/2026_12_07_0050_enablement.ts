import { sql, type Kysely } from "kysely";

// Enablement (issue 15): a program's curriculum (modules with versions, prerequisites and linked
// materials), who must take what and by when (requirements resolved to people by query, never
// stored per person), training sessions with a roster, completions, waivers, coach certification
// (paths, levels, awards with expiry), feedback, and previewed attendance / e-learning imports.
// Wave entry criteria get an optional threshold ("team leads trained ≥ 80 %").
// Frozen in time: never import application code from a migration.

const now = sql`now()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("enablement_modules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("delivery", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("validity_months", "integer")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await sql`CREATE UNIQUE INDEX enablement_modules_title_idx ON enablement_modules (program_id, lower(title))`.execute(db);

  await db.schema
    .createTable("enablement_module_prerequisites")
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("prerequisite_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("enablement_module_prerequisites_pk", ["module_id", "prerequisite_id"])
    .execute();

  // Every published version of a module; `requires_refresh` makes completions of earlier versions "refresh due".
  await db.schema
    .createTable("enablement_module_versions")
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("requires_refresh", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("published_on", "date", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("published_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addPrimaryKeyConstraint("enablement_module_versions_pk", ["module_id", "version"])
    .execute();

  await db.schema
    .createTable("enablement_materials")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await sql`CREATE UNIQUE INDEX enablement_materials_title_idx ON enablement_materials (program_id, lower(title))`.execute(db);

  // A new version of a material linked to a module with `requires_refresh`: completions of the module before it are "refresh due".
  await db.schema
    .createTable("enablement_material_versions")
    .addColumn("material_id", "text", (c) => c.notNull().references("enablement_materials.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("requires_refresh", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("published_on", "date", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("url", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("enablement_material_versions_pk", ["material_id", "version"])
    .execute();

  await db.schema
    .createTable("enablement_module_materials")
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("material_id", "text", (c) => c.notNull().references("enablement_materials.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("enablement_module_materials_pk", ["module_id", "material_id"])
    .execute();
  await db.schema.createIndex("enablement_module_materials_material_idx").on("enablement_module_materials").column("material_id").execute();

  await db.schema
    .createTable("enablement_requirements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("all"))
    .addColumn("wave_id", "text", (c) => c.references("waves.id").onDelete("cascade"))
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("cascade"))
    .addColumn("necessity", "text", (c) => c.notNull().defaultTo("required"))
    .addColumn("due_rule", "text", (c) => c.notNull())
    .addColumn("due_days", "integer")
    .addColumn("due_on", "date")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("enablement_requirements_program_idx")
    .on("enablement_requirements")
    .columns(["program_id", "module_id"])
    .execute();

  await db.schema
    .createTable("enablement_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("UTC"))
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("trainer_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().defaultTo("planned"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("enablement_sessions_program_idx").on("enablement_sessions").columns(["program_id", "starts_at"]).execute();
  await db.schema.createIndex("enablement_sessions_trainer_idx").on("enablement_sessions").column("trainer_user_id").execute();

  await db.schema
    .createTable("enablement_roster")
    .addColumn("session_id", "text", (c) => c.notNull().references("enablement_sessions.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("enablement_roster_pk", ["session_id", "person_id"])
    .execute();
  await db.schema.createIndex("enablement_roster_person_idx").on("enablement_roster").column("person_id").execute();

  await db.schema
    .createTable("enablement_completions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addColumn("module_version", "integer", (c) => c.notNull())
    .addColumn("completed_on", "date", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("session_id", "text", (c) => c.references("enablement_sessions.id").onDelete("set null"))
    .addColumn("recorded_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("enablement_completions_person_idx")
    .on("enablement_completions")
    .columns(["person_id", "module_id", "completed_on"])
    .execute();
  await db.schema
    .createIndex("enablement_completions_module_idx")
    .on("enablement_completions")
    .columns(["module_id", "person_id"])
    .execute();
  // One completion per person from one session (attendance marked twice, or imported again).
  await sql`CREATE UNIQUE INDEX enablement_completions_session_idx ON enablement_completions (session_id, person_id) WHERE session_id IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable("enablement_waivers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("requirement_id", "text", (c) => c.notNull().references("enablement_requirements.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("granted_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("granted_by_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("granted_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("enablement_waivers_unique_idx")
    .on("enablement_waivers")
    .columns(["requirement_id", "person_id"])
    .unique()
    .execute();
  await db.schema.createIndex("enablement_waivers_person_idx").on("enablement_waivers").column("person_id").execute();

  await db.schema
    .createTable("enablement_cert_paths")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable("enablement_cert_levels")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("path_id", "text", (c) => c.notNull().references("enablement_cert_paths.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("rank", "integer", (c) => c.notNull())
    .addColumn("required_sessions", "integer", (c) => c.notNull().defaultTo(0))
    /** Comma-separated support-session types that count (empty: any). */
    .addColumn("session_types", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("validity_months", "integer")
    .execute();
  await db.schema
    .createTable("enablement_cert_level_modules")
    .addColumn("level_id", "text", (c) => c.notNull().references("enablement_cert_levels.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.notNull().references("enablement_modules.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("enablement_cert_level_modules_pk", ["level_id", "module_id"])
    .execute();
  await db.schema
    .createTable("enablement_cert_awards")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("level_id", "text", (c) => c.notNull().references("enablement_cert_levels.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("awarded_on", "date", (c) => c.notNull())
    .addColumn("expires_on", "date")
    .addColumn("assessor_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("assessor_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("enablement_cert_awards_person_idx")
    .on("enablement_cert_awards")
    .columns(["person_id", "level_id"])
    .execute();

  await db.schema
    .createTable("enablement_feedback")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("enablement_sessions.id").onDelete("cascade"))
    /** Null when given anonymously. */
    .addColumn("person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("rating", "integer", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("enablement_feedback_session_idx").on("enablement_feedback").column("session_id").execute();

  // An uploaded attendance or e-learning file, kept between the preview and the commit.
  await db.schema
    .createTable("enablement_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.references("enablement_sessions.id").onDelete("cascade"))
    .addColumn("module_id", "text", (c) => c.references("enablement_modules.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("csv", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("committed_at", "timestamptz")
    .execute();

  await db.schema.alterTable("wave_criteria").addColumn("threshold", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("wave_criteria").dropColumn("threshold").execute();
  for (const table of [
    "enablement_imports",
    "enablement_feedback",
    "enablement_cert_awards",
    "enablement_cert_level_modules",
    "enablement_cert_levels",
    "enablement_cert_paths",
    "enablement_waivers",
    "enablement_completions",
    "enablement_roster",
    "enablement_sessions",
    "enablement_requirements",
    "enablement_module_materials",
    "enablement_material_versions",
    "enablement_materials",
    "enablement_module_versions",
    "enablement_module_prerequisites",
    "enablement_modules",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
