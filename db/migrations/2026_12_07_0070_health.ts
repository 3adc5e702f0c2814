import { sql, type Kysely } from "kysely";

// Process health, graduation and waves with a lifecycle (issue 16).
//   graduation_rules      per program: when a running team is proposed as self-sufficient
//   graduation_decisions  every proposal the PLO confirmed or rejected, with its evidence
//   waves.state           planned → starting → active → closing → closed, with the entry criteria
//                         as they were at the start and the figures as they were at the close
//   wave_exit_criteria    what decides that a wave can close
// Existing waves get a state from their dates (not started: planned; started and not ended:
// active; ended: closing, so the PLO closes them against their exit criteria) and the two
// default exit criteria. Nothing existing is changed or removed; onboarding statuses stay.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("graduation_rules")
    .addColumn("program_id", "text", (c) => c.primaryKey().references("programs.id").onDelete("cascade"))
    .addColumn("consecutive_cycles", "integer", (c) => c.notNull().defaultTo(2))
    .addColumn("min_windows_percent", "integer", (c) => c.notNull().defaultTo(80))
    .addColumn("require_scored", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("require_team_retro", "boolean", (c) => c.notNull().defaultTo(true))
    // Null: the coach's maturity rating is not asked for.
    .addColumn("min_maturity", "integer", (c) => c.defaultTo(4))
    .addColumn("require_training", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("graduation_decisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    // "confirmed" or "rejected".
    .addColumn("decision", "text", (c) => c.notNull())
    // The latest cycle the evidence stood on: a rejected proposal comes back only on new evidence.
    .addColumn("basis", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("evidence", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("decided_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decided_by_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("decided_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("graduation_decisions_team_idx")
    .on("graduation_decisions")
    .columns(["program_id", "team_id", "decided_at"])
    .execute();

  await db.schema
    .alterTable("waves")
    .addColumn("state", "text", (c) => c.notNull().defaultTo("planned"))
    .addColumn("started_on", "date")
    .addColumn("closed_on", "date")
    // The entry criteria as they stood when the wave started (null: started before this was kept).
    .addColumn("entry_snapshot", "jsonb")
    // The wave's figures as they stood when it closed.
    .addColumn("exit_snapshot", "jsonb")
    .execute();
  await sql`update waves set
      state = case
        when starts_on is null or starts_on > current_date then 'planned'
        when ends_on is not null and ends_on < current_date then 'closing'
        else 'active' end,
      started_on = case when starts_on is not null and starts_on <= current_date then starts_on end`.execute(db);

  await db.schema
    .createTable("wave_exit_criteria")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("wave_id", "text", (c) => c.notNull().references("waves.id").onDelete("cascade"))
    // "manual" (ticked by the PLO) or a computed check: "first_cycle_scored", "graduated_running".
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("manual"))
    .addColumn("label", "text", (c) => c.notNull())
    // Percent of the wave's teams a computed criterion needs; null for manual ones.
    .addColumn("threshold", "integer")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("met_at", "timestamptz")
    .addColumn("met_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("met_by_label", "text")
    .execute();
  await db.schema.createIndex("wave_exit_criteria_wave_idx").on("wave_exit_criteria").columns(["wave_id", "position"]).execute();
  await sql`insert into wave_exit_criteria (id, wave_id, kind, label, threshold, position)
    select gen_random_uuid()::text, w.id, d.kind, d.label, d.threshold, d.position
      from waves w cross join (values
        ('first_cycle_scored', 'Teams scored their first cycle', 90, 1),
        ('graduated_running', 'Teams graduated to running', 70, 2)) as d(kind, label, threshold, position)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("wave_exit_criteria").execute();
  await db.schema
    .alterTable("waves")
    .dropColumn("state")
    .dropColumn("started_on")
    .dropColumn("closed_on")
    .dropColumn("entry_snapshot")
    .dropColumn("exit_snapshot")
    .execute();
  await db.schema.dropTable("graduation_decisions").execute();
  await db.schema.dropTable("graduation_rules").execute();
}
