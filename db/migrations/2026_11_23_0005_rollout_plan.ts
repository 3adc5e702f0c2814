import { sql, type Kysely } from "kysely";

// The rollout plan of a program: waves (with entry criteria), each team's place in the plan
// (wave + onboarding status), milestones, stakeholders and risks.
// Frozen in time: never import application code from a migration.
// A team without a program_teams row is "not started, no wave" in that program: every active
// team of the organization is a candidate, so a 2,000-team company needs no 2,000 inserts.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("waves")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("starts_on", "date")
    .addColumn("ends_on", "date")
    .addColumn("goal", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("waves_program_idx").on("waves").columns(["program_id", "position"]).execute();
  await sql`CREATE UNIQUE INDEX waves_program_name_idx ON waves (program_id, lower(name))`.execute(db);

  // Entry criteria: `kind` = 'manual' (ticked by the PLO) or the name of a computed check.
  await db.schema
    .createTable("wave_criteria")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("wave_id", "text", (c) => c.notNull().references("waves.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("manual"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("met_at", "timestamptz")
    .addColumn("met_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("met_by_label", "text")
    .execute();
  await db.schema.createIndex("wave_criteria_wave_idx").on("wave_criteria").columns(["wave_id", "position"]).execute();

  await db.schema
    .createTable("program_teams")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("wave_id", "text", (c) => c.references("waves.id").onDelete("set null"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("not_started"))
    .addColumn("status_changed_on", "date")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("program_teams_pk", ["program_id", "team_id"])
    .execute();
  await db.schema.createIndex("program_teams_wave_idx").on("program_teams").columns(["program_id", "wave_id"]).execute();
  await db.schema.createIndex("program_teams_status_idx").on("program_teams").columns(["program_id", "status"]).execute();

  // Every onboarding status change, for trends in reports (the audit log says who; this is queryable).
  await db.schema
    .createTable("team_status_changes")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("changed_on", "date", (c) => c.notNull())
    .addColumn("changed_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("team_status_changes_idx").on("team_status_changes").columns(["program_id", "team_id"]).execute();

  await db.schema
    .createTable("milestones")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("wave_id", "text", (c) => c.references("waves.id").onDelete("set null"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("owner_person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("planned"))
    .addColumn("done_on", "date")
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("milestones_program_idx").on("milestones").columns(["program_id", "due_on"]).execute();

  await db.schema
    .createTable("stakeholders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("influence", "text", (c) => c.notNull())
    .addColumn("interest", "text", (c) => c.notNull())
    .addColumn("attitude", "text", (c) => c.notNull())
    .addColumn("communication_plan", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_every_days", "integer", (c) => c.notNull().defaultTo(30))
    .addColumn("last_contact_on", "date")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("stakeholders_program_person_idx").on("stakeholders").columns(["program_id", "person_id"]).unique().execute();

  await db.schema
    .createTable("risks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("likelihood", "integer", (c) => c.notNull())
    .addColumn("impact", "integer", (c) => c.notNull())
    .addColumn("owner_person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("mitigation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("wave_id", "text", (c) => c.references("waves.id").onDelete("set null"))
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("risks_program_idx").on("risks").column("program_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["risks", "stakeholders", "milestones", "team_status_changes", "program_teams", "wave_criteria", "waves"]) {
    await db.schema.dropTable(table).execute();
  }
}
