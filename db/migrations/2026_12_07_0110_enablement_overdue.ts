import { sql, type Kysely } from "kysely";

// The overdue list, stored with the heat map (issue 15, ADR 0014): the person × requirement
// states that are overdue (required, no completion, due day past) of a program for the day of
// its coverage stamp, one row per person × requirement. They are computed with the heat map's
// rows, under the same stamp, and kept current by the same writes, so the overdue list pages
// over stored rows instead of resolving every person's states on each request.
//
// Existing stamps are cleared: they were computed without these rows, and a stamp that still
// matched would show an empty list until the next change. Only derived data is touched: the next
// read recomputes the heat map and the overdue rows together.
// Frozen in time: never import application code from a migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("enablement_overdue")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // No foreign keys to people and requirements: their checks cost seconds when tens of thousands
    // of rows are written at once, and a row of a deleted requirement only lies under a stale stamp
    // (the deletion is audited), which is never read and is replaced by the next computation.
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("requirement_id", "text", (c) => c.notNull())
    .addColumn("module_id", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("due_on", "date", (c) => c.notNull())
    // The list's sort keys, as of the computation: a rename is an audited change, which makes the
    // stamp stale, so under a current stamp they are the people's and modules' names.
    .addColumn("person_name", "text", (c) => c.notNull())
    .addColumn("module_title", "text", (c) => c.notNull())
    // The wave, unit and team the person is reached through (null: none), for the list's filters.
    .addColumn("wave_id", "text")
    .addColumn("unit_id", "text")
    .addColumn("team_id", "text")
    .addPrimaryKeyConstraint("enablement_overdue_pk", ["program_id", "person_id", "requirement_id"])
    .execute();
  // The list's default order (most overdue first, then by name): a page is a walk along the index.
  await db.schema
    .createIndex("enablement_overdue_order_idx")
    .on("enablement_overdue")
    .columns(["program_id", "due_on", "person_name", "module_title", "person_id", "requirement_id"])
    .execute();
  await sql`update enablement_coverage_stamps set program_version = null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("enablement_overdue").execute();
}
