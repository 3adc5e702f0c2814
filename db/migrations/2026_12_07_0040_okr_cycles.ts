import { sql, type Kysely } from "kysely";

// OKR cycles and the artifacts each cycle produces (issue 14): a program's cycles with their
// calendar of events, the objectives of the company, units and teams for a cycle (aligned to
// parent objectives), their key results, check-ins on key results, coach comments, team
// retrospectives, and the per-user secret tokens of the iCal feed (only a hash is stored).
// A support session can name the cycle event it delivered. The `member` role is added for people
// who read their team's OKRs and check in on the key results they own (linked to their person
// record through people.user_id, like team leads).
// Frozen in time: never import application code from a migration.

const ROLES_BEFORE = ["admin", "plo", "coach", "sponsor", "team_lead"];
const ROLES_AFTER = [...ROLES_BEFORE, "member"];

function inList(values: string[]) {
  return sql.raw(values.map((v) => `'${v}'`).join(", "));
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint if exists users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in (${inList(ROLES_AFTER)}))`.execute(db);

  await db.schema
    .createTable("cycles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("planning")
        .check(sql`state in ('planning', 'drafting', 'aligning', 'executing', 'reviewing', 'closed')`),
    )
    .addColumn("checkin_cadence_days", "integer", (c) => c.notNull().defaultTo(14))
    .addColumn("max_objectives", "integer", (c) => c.notNull().defaultTo(3))
    .addColumn("previous_cycle_id", "text", (c) => c.references("cycles.id").onDelete("set null"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("cycles_dates_check", sql`ends_on >= starts_on`)
    .execute();
  await db.schema.createIndex("cycles_program_name_idx").on("cycles").columns(["program_id", "name"]).unique().execute();
  await db.schema.createIndex("cycles_program_starts_idx").on("cycles").columns(["program_id", "starts_on"]).execute();

  await db.schema
    .createTable("cycle_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('priorities', 'drafting_workshop', 'alignment', 'check_in', 'mid_cycle_review', 'scoring', 'retrospective', 'other')`,
        ),
    )
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("occurs_on", "date", (c) => c.notNull())
    /** 'HH:MM' local time, or null for an all-day event. */
    .addColumn("starts_at", "text")
    .addColumn("duration_minutes", "integer")
    .addColumn("scope", "text", (c) =>
      c
        .notNull()
        .defaultTo("all")
        .check(sql`scope in ('all', 'wave', 'unit')`),
    )
    .addColumn("wave_id", "text", (c) => c.references("waves.id").onDelete("cascade"))
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("cascade"))
    .addColumn("facilitator_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("planned")
        .check(sql`state in ('planned', 'held', 'cancelled')`),
    )
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "cycle_events_scope_fields_check",
      sql`(scope = 'all' and wave_id is null and unit_id is null) or (scope = 'wave' and wave_id is not null and unit_id is null) or (scope = 'unit' and unit_id is not null and wave_id is null)`,
    )
    .execute();
  await db.schema.createIndex("cycle_events_cycle_idx").on("cycle_events").columns(["cycle_id", "occurs_on"]).execute();
  await db.schema.createIndex("cycle_events_program_idx").on("cycle_events").columns(["program_id", "occurs_on"]).execute();
  await db.schema.createIndex("cycle_events_facilitator_idx").on("cycle_events").columns(["facilitator_user_id", "occurs_on"]).execute();

  await db.schema
    .alterTable("support_sessions")
    .addColumn("cycle_event_id", "text", (c) => c.references("cycle_events.id").onDelete("set null"))
    .execute();
  await sql`CREATE INDEX support_sessions_cycle_event_idx ON support_sessions (cycle_event_id) WHERE cycle_event_id IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable("objectives")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('company', 'unit', 'team')`))
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.references("teams.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("owner_person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("owner_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("type", "text", (c) =>
      c
        .notNull()
        .defaultTo("committed")
        .check(sql`type in ('committed', 'aspirational', 'learning')`),
    )
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`state in ('draft', 'in_review', 'approved', 'active', 'achieved', 'abandoned')`),
    )
    /** Why the objective is aligned to no parent objective (null: aligned, or not said yet). */
    .addColumn("standalone_reason", "text")
    .addColumn("carried_from_id", "text", (c) => c.references("objectives.id").onDelete("set null"))
    /** Weighted score of its key results, 0–1, set at scoring. */
    .addColumn("score", "numeric", (c) => c.check(sql`score >= 0 and score <= 1`))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "objectives_level_fields_check",
      sql`(level = 'team' and team_id is not null) or (level = 'unit' and unit_id is not null and team_id is null) or (level = 'company' and unit_id is null and team_id is null)`,
    )
    .execute();
  await db.schema.createIndex("objectives_cycle_team_idx").on("objectives").columns(["cycle_id", "team_id", "position"]).execute();
  await db.schema.createIndex("objectives_cycle_level_idx").on("objectives").columns(["cycle_id", "level", "unit_id"]).execute();
  await db.schema.createIndex("objectives_team_idx").on("objectives").columns(["team_id", "cycle_id"]).execute();
  await sql`CREATE INDEX objectives_carried_from_idx ON objectives (carried_from_id) WHERE carried_from_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable("objective_alignments")
    .addColumn("child_id", "text", (c) => c.notNull().references("objectives.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.notNull().references("objectives.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("objective_alignments_pk", ["child_id", "parent_id"])
    .addCheckConstraint("objective_alignments_self_check", sql`child_id <> parent_id`)
    .execute();
  await db.schema.createIndex("objective_alignments_parent_idx").on("objective_alignments").column("parent_id").execute();

  await db.schema
    .createTable("key_results")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("objective_id", "text", (c) => c.notNull().references("objectives.id").onDelete("cascade"))
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .defaultTo("metric")
        .check(sql`kind in ('metric', 'milestone')`),
    )
    .addColumn("start_value", "numeric")
    .addColumn("target_value", "numeric")
    .addColumn("current_value", "numeric")
    .addColumn("unit", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("direction", "text", (c) =>
      c
        .notNull()
        .defaultTo("increase")
        .check(sql`direction in ('increase', 'decrease')`),
    )
    .addColumn("milestone_done", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("weight", "numeric", (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`weight > 0`),
    )
    .addColumn("owner_person_id", "text", (c) => c.references("people.id").onDelete("set null"))
    .addColumn("score", "numeric", (c) => c.check(sql`score >= 0 and score <= 1`))
    /** Denormalized from the latest check-in (written with it) for at-risk/stale flags at scale. */
    .addColumn("last_check_in_at", "timestamptz")
    .addColumn("last_confidence", "text")
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("key_results_objective_idx").on("key_results").columns(["objective_id", "position"]).execute();
  await db.schema.createIndex("key_results_cycle_idx").on("key_results").column("cycle_id").execute();
  await sql`CREATE INDEX key_results_owner_idx ON key_results (owner_person_id) WHERE owner_person_id IS NOT NULL`.execute(db);

  await db.schema
    .createTable("check_ins")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("key_result_id", "text", (c) => c.notNull().references("key_results.id").onDelete("cascade"))
    .addColumn("value", "numeric")
    .addColumn("confidence", "text", (c) => c.notNull().check(sql`confidence in ('on_track', 'needs_attention', 'off_track')`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("blockers", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("by_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX check_ins_key_result_at_idx ON check_ins (key_result_id, at DESC)`.execute(db);

  await db.schema
    .createTable("okr_comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("objective_id", "text", (c) => c.references("objectives.id").onDelete("cascade"))
    .addColumn("key_result_id", "text", (c) => c.references("key_results.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("author_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("resolved_at", "timestamptz")
    .addColumn("resolved_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolved_by_label", "text")
    .addCheckConstraint("okr_comments_target_check", sql`(objective_id is null) <> (key_result_id is null)`)
    .execute();
  await sql`CREATE INDEX okr_comments_objective_idx ON okr_comments (objective_id, created_at) WHERE objective_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX okr_comments_key_result_idx ON okr_comments (key_result_id, created_at) WHERE key_result_id IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable("team_retrospectives")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    .addColumn("went_well", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("to_improve", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("process_feedback", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("held_on", "date")
    .addColumn("learning_id", "text", (c) => c.references("learnings.id").onDelete("set null"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("team_retrospectives_cycle_team_idx")
    .on("team_retrospectives")
    .columns(["cycle_id", "team_id"])
    .unique()
    .execute();
  await db.schema.createIndex("team_retrospectives_team_idx").on("team_retrospectives").column("team_id").execute();

  await db.schema
    .createTable("calendar_feed_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    /** SHA-256 (hex) of the secret in the feed's URL; the secret itself is never stored. */
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("calendar_feed_tokens_user_idx").on("calendar_feed_tokens").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "calendar_feed_tokens",
    "team_retrospectives",
    "okr_comments",
    "check_ins",
    "key_results",
    "objective_alignments",
    "objectives",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("support_sessions").dropColumn("cycle_event_id").execute();
  await db.schema.dropTable("cycle_events").execute();
  await db.schema.dropTable("cycles").execute();
  // Accounts with the member role lose it (deactivated, as sponsors: read-only) before the old rule returns.
  await sql`update users set role = 'sponsor', active = false where role = 'member'`.execute(db);
  await sql`alter table users drop constraint if exists users_role_check`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in (${inList(ROLES_BEFORE)}))`.execute(db);
}
