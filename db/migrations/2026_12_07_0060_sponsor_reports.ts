import { sql, type Kysely } from "kysely";

// Sponsor reporting (issue 17): status reports frozen at publication (a snapshot of every
// figure, colour and chart), corrections as new revisions, colour overrides by the PLO with a
// reason, the sponsor's questions per section (answered by the PLO, unseen answers badged),
// decisions requested and the decision log, sponsor commitments, a reporting cadence and the
// program's budget (planned per category, actuals per month).
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("status_reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // Null: the whole program; else one unit (a division) and the units below it.
    .addColumn("unit_id", "text", (c) => c.references("org_units.id").onDelete("set null"))
    .addColumn("period_start", "date", (c) => c.notNull())
    .addColumn("period_end", "date", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().defaultTo("draft"))
    // "sponsors": the PLO and sponsors read it; "everyone": coaches and team leads too.
    .addColumn("audience", "text", (c) => c.notNull().defaultTo("sponsors"))
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("achievements", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("next_steps", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("risk_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("corrects_id", "text", (c) => c.references("status_reports.id").onDelete("set null"))
    .addColumn("correction_reason", "text")
    // Set on the revision a correction replaced: readers are pointed at the newer one.
    .addColumn("superseded_by", "text", (c) => c.references("status_reports.id").onDelete("set null"))
    .addColumn("snapshot", "jsonb")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("published_at", "timestamptz")
    .addColumn("published_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("published_by_label", "text")
    .addColumn("acknowledged_at", "timestamptz")
    .addColumn("acknowledged_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("acknowledged_by_label", "text")
    .execute();
  await db.schema.createIndex("status_reports_program_idx").on("status_reports").columns(["program_id", "state", "published_at"]).execute();

  await db.schema
    .createTable("status_overrides")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("dimension", "text", (c) => c.notNull())
    .addColumn("colour", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("set_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("set_by_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("set_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("cleared_at", "timestamptz")
    .addColumn("cleared_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  // At most one standing override per dimension.
  await sql`CREATE UNIQUE INDEX status_overrides_current_idx ON status_overrides (program_id, dimension) WHERE cleared_at IS NULL`.execute(
    db,
  );

  await db.schema
    .createTable("report_questions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("report_id", "text", (c) => c.notNull().references("status_reports.id").onDelete("cascade"))
    .addColumn("section", "text", (c) => c.notNull())
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("asked_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("asked_by_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("asked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("answer", "text")
    .addColumn("answered_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("answered_by_label", "text")
    .addColumn("answered_at", "timestamptz")
    .addColumn("answer_seen_at", "timestamptz")
    .execute();
  await db.schema.createIndex("report_questions_report_idx").on("report_questions").columns(["report_id", "asked_at"]).execute();
  await db.schema.createIndex("report_questions_asker_idx").on("report_questions").columns(["asked_by", "answer_seen_at"]).execute();

  await db.schema
    .createTable("report_decisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // The report that first asked for it (open decisions carry into the next reports).
    .addColumn("report_id", "text", (c) => c.references("status_reports.id").onDelete("set null"))
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("recommendation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("impact_if_late", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("decision", "text")
    .addColumn("decided_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decided_by_label", "text")
    .addColumn("decided_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("report_decisions_program_idx").on("report_decisions").columns(["program_id", "state", "due_on"]).execute();

  await db.schema
    .createTable("sponsor_commitments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("done_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("sponsor_commitments_program_idx").on("sponsor_commitments").columns(["program_id", "due_on"]).execute();

  await db.schema
    .createTable("report_cadences")
    .addColumn("program_id", "text", (c) => c.primaryKey().references("programs.id").onDelete("cascade"))
    // "weeks": every `every_weeks` weeks; "cycle": once per OKR cycle.
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("weeks"))
    .addColumn("every_weeks", "integer", (c) => c.notNull().defaultTo(4))
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("budget_lines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("category", "text", (c) => c.notNull())
    // Whole currency units.
    .addColumn("planned_amount", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("budget_lines_program_category_idx")
    .on("budget_lines")
    .columns(["program_id", "category"])
    .unique()
    .execute();

  await db.schema
    .createTable("budget_actuals")
    .addColumn("budget_line_id", "text", (c) => c.notNull().references("budget_lines.id").onDelete("cascade"))
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // The first day of the month.
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("budget_actuals_pk", ["budget_line_id", "month"])
    .execute();
  await db.schema.createIndex("budget_actuals_program_idx").on("budget_actuals").columns(["program_id", "month"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "budget_actuals",
    "budget_lines",
    "report_cadences",
    "sponsor_commitments",
    "report_decisions",
    "report_questions",
    "status_overrides",
    "status_reports",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
