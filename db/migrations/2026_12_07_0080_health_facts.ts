import { sql, type Kysely } from "kysely";

// Process health precomputed per team and cycle (issue 16, ADR 0021).
//   team_cycle_facts  per OKR cycle and team with any OKR data in it: the counts the health
//                     metrics need (objectives, key results, check-in windows kept, confidence of
//                     each half, retrospective, support minutes), as of a day (`as_of`), and the
//                     score, band and problems the app computed from them
//   health_dirty      (cycle, team) pairs whose facts must be computed again; team '' means
//                     every team of the cycle. Written by the triggers below, in the
//                     transaction of the change; emptied by the first health read after it.
// Statement-level triggers (one row per statement, whatever its size: bulk loads stay fast)
// mark the pairs touched by a change of check-ins, key results, objectives, alignments,
// retrospectives, support sessions, a cycle's dates, state or cadence, its alignment events,
// and of who belongs to a team (people, team leads: "a retrospective run by the team").
// Every existing cycle is marked whole, so the first read after the migration computes all.
// Frozen in time: never import application code from a migration.

const MARKERS: Array<{ table: string; fn: string; body: string }> = [
  {
    table: "check_ins",
    fn: "health_mark_check_ins",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct o.cycle_id, o.team_id from changed c
          join key_results k on k.id = c.key_result_id
          join objectives o on o.id = k.objective_id
         where o.team_id is not null;`,
  },
  {
    table: "key_results",
    fn: "health_mark_key_results",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct o.cycle_id, o.team_id from changed c
          join objectives o on o.id = c.objective_id
         where o.team_id is not null;`,
  },
  {
    table: "objectives",
    fn: "health_mark_objectives",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct c.cycle_id, c.team_id from changed c where c.team_id is not null;`,
  },
  {
    table: "objective_alignments",
    fn: "health_mark_objective_alignments",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct o.cycle_id, o.team_id from changed c
          join objectives o on o.id = c.child_id
         where o.team_id is not null;`,
  },
  {
    table: "team_retrospectives",
    fn: "health_mark_team_retrospectives",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct c.cycle_id, c.team_id from changed c;`,
  },
  {
    table: "support_sessions",
    fn: "health_mark_support_sessions",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct cy.id, c.team_id from changed c
          join cycles cy on cy.program_id = c.program_id and c.held_on between cy.starts_on and cy.ends_on;`,
  },
  {
    table: "cycle_events",
    fn: "health_mark_cycle_events",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct c.cycle_id, '' from changed c where c.kind = 'alignment';`,
  },
  {
    // Who counts as the team (its lead, its members) decides whether the team ran its retrospective.
    table: "people",
    fn: "health_mark_people",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct r.cycle_id, r.team_id from team_retrospectives r
         where r.team_id in (select c.team_id from changed c
                             union select t.id from teams t join changed c on t.lead_person_id = c.id);`,
  },
  {
    table: "teams",
    fn: "health_mark_teams",
    body: `
      insert into health_dirty (cycle_id, team_id)
        select distinct r.cycle_id, r.team_id from team_retrospectives r where r.team_id in (select c.id from changed c);`,
  },
];

/** Cycles: only a change of what the facts read (dates, state, cadence, maximum of objectives) marks the whole cycle. */
const CYCLES_BODY = `
  if TG_OP = 'UPDATE' then
    insert into health_dirty (cycle_id, team_id)
      select n.id, '' from new_rows n join old_rows o on o.id = n.id
       where (n.starts_on, n.ends_on, n.state, n.checkin_cadence_days, n.max_objectives)
             is distinct from (o.starts_on, o.ends_on, o.state, o.checkin_cadence_days, o.max_objectives);
  end if;
  return null;`;

/**
 * A marker's function: `changed` is the statement's new rows (insert), old rows (delete) or both
 * (update). People and teams are marked on updates of the columns that matter only.
 */
function markerFunction(table: string, fn: string, body: string): string {
  const filter =
    table === "people"
      ? `select n.* from new_rows n join old_rows o on o.id = n.id
          where (n.team_id, n.user_id, n.archived_at) is distinct from (o.team_id, o.user_id, o.archived_at)
         union all
         select o.* from new_rows n join old_rows o on o.id = n.id
          where (n.team_id, n.user_id, n.archived_at) is distinct from (o.team_id, o.user_id, o.archived_at)`
      : table === "teams"
        ? `select n.* from new_rows n join old_rows o on o.id = n.id where n.lead_person_id is distinct from o.lead_person_id`
        : `select * from new_rows union all select * from old_rows`;
  return `
    create function ${fn}() returns trigger language plpgsql as $fn$
    begin
      if TG_OP = 'INSERT' then
        with changed as (select * from new_rows) ${body}
      elsif TG_OP = 'DELETE' then
        with changed as (select * from old_rows) ${body}
      else
        with changed as (${filter}) ${body}
      end if;
      return null;
    end $fn$`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("team_cycle_facts")
    .addColumn("cycle_id", "text", (c) => c.notNull().references("cycles.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    // The day the facts were computed on: a cycle still running on that day is computed again the next day.
    .addColumn("as_of", "date", (c) => c.notNull())
    .addColumn("objectives", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("drafted_on_time", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("aligned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("kr_count_ok", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("krs", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("complete", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("task_like", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("scored", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("windows_kept", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("conf_first", "double precision")
    .addColumn("conf_second", "double precision")
    .addColumn("retro_held", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("retro_by_team", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("support_minutes", "integer", (c) => c.notNull().defaultTo(0))
    // The team's health on that day, from these facts and the cycle's (null: nothing due yet),
    // its band and its problems (bit i: the i-th problem of the app's list), for roll-ups in SQL.
    .addColumn("score", "smallint")
    .addColumn("band", "text", (c) => c.notNull().defaultTo("not_measured"))
    .addColumn("problems", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("team_cycle_facts_pk", ["cycle_id", "team_id"])
    .execute();
  // Which cycles hold facts of another day (the freshness check of every read).
  await db.schema.createIndex("team_cycle_facts_as_of_idx").on("team_cycle_facts").columns(["cycle_id", "as_of"]).execute();
  await db.schema.createIndex("team_cycle_facts_team_idx").on("team_cycle_facts").column("team_id").execute();

  // No key: writers only append (no waiting on each other's uncommitted marks); the read that
  // empties it takes each pair once.
  await db.schema
    .createTable("health_dirty")
    .addColumn("cycle_id", "text", (c) => c.notNull())
    .addColumn("team_id", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("health_dirty_cycle_idx").on("health_dirty").column("cycle_id").execute();

  for (const m of MARKERS) {
    await sql.raw(markerFunction(m.table, m.fn, m.body)).execute(db);
    for (const [event, referencing] of [
      ["insert", "referencing new table as new_rows"],
      ["update", "referencing old table as old_rows new table as new_rows"],
      ["delete", "referencing old table as old_rows"],
    ] as const) {
      await sql
        .raw(`create trigger ${m.fn}_${event} after ${event} on ${m.table} ${referencing} for each statement execute function ${m.fn}()`)
        .execute(db);
    }
  }
  await sql.raw(`create function health_mark_cycles() returns trigger language plpgsql as $fn$ begin ${CYCLES_BODY} end $fn$`).execute(db);
  await sql
    .raw(
      `create trigger health_mark_cycles_update after update on cycles referencing old table as old_rows new table as new_rows for each statement execute function health_mark_cycles()`,
    )
    .execute(db);

  await sql`insert into health_dirty (cycle_id, team_id) select id, '' from cycles`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop trigger if exists health_mark_cycles_update on cycles`).execute(db);
  await sql.raw(`drop function if exists health_mark_cycles()`).execute(db);
  for (const m of [...MARKERS].reverse()) {
    for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists ${m.fn}_${event} on ${m.table}`).execute(db);
    await sql.raw(`drop function if exists ${m.fn}()`).execute(db);
  }
  await db.schema.dropTable("health_dirty").execute();
  await db.schema.dropTable("team_cycle_facts").execute();
}
