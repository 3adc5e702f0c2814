import { sql, type Kysely } from "kysely";

// The coach community of a program: coaches (a person with a capacity), their assignments to
// teams, the support sessions they log, escalations to the PLO and shared learnings.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("coaches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("focus", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("coaches_program_person_idx").on("coaches").columns(["program_id", "person_id"]).unique().execute();

  await db.schema
    .createTable("coach_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("coach_id", "text", (c) => c.notNull().references("coaches.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("primary"))
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("coach_assignments_team_idx").on("coach_assignments").columns(["program_id", "team_id"]).execute();
  await db.schema.createIndex("coach_assignments_coach_idx").on("coach_assignments").columns(["coach_id", "ends_on"]).execute();

  await db.schema
    .createTable("support_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("coach_id", "text", (c) => c.notNull().references("coaches.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("held_on", "date", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("attendees", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("maturity", "integer")
    .addColumn("follow_ups", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("support_sessions_program_idx").on("support_sessions").columns(["program_id", "held_on"]).execute();
  await db.schema.createIndex("support_sessions_coach_idx").on("support_sessions").columns(["coach_id", "held_on"]).execute();
  await db.schema.createIndex("support_sessions_team_idx").on("support_sessions").columns(["team_id", "held_on"]).execute();

  await db.schema
    .createTable("escalations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("coach_id", "text", (c) => c.notNull().references("coaches.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("set null"))
    .addColumn("session_id", "text", (c) => c.references("support_sessions.id").onDelete("set null"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("urgency", "text", (c) => c.notNull().defaultTo("normal"))
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("owner_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("answer", "text")
    .addColumn("answered_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("answered_at", "timestamptz")
    .addColumn("answer_seen_at", "timestamptz")
    .addColumn("closed_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("escalations_program_idx").on("escalations").columns(["program_id", "status", "created_at"]).execute();
  await db.schema.createIndex("escalations_coach_idx").on("escalations").columns(["coach_id", "status"]).execute();

  await db.schema
    .createTable("learnings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.references("programs.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("practice"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("set null"))
    .addColumn("session_id", "text", (c) => c.references("support_sessions.id").onDelete("set null"))
    .addColumn("escalation_id", "text", (c) => c.references("escalations.id").onDelete("set null"))
    .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("author_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("learnings_created_idx").on("learnings").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["learnings", "escalations", "support_sessions", "coach_assignments", "coaches"]) {
    await db.schema.dropTable(table).execute();
  }
}
