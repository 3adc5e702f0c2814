import { sql, type Kysely } from "kysely";

// Minutes of support sessions per program and team, kept by a trigger on support_sessions
// (docs/decisions/0027): the live status's effort figure ("hours of coaching") summed every
// session of the program on each read (100,000 rows in the bench, a parallel scan of the table).
// The read now sums one row per team of the scope and subtracts the sessions dated after today
// (an index range, normally empty), which is the same figure.
//
// The trigger is statement-level with transition tables, like the health marks (0080): a bulk
// insert adds each team once. Rows go with their program or team.

const FUNCTION = `
  create function team_coaching_minutes_apply() returns trigger language plpgsql as $fn$
  begin
    if TG_OP in ('UPDATE', 'DELETE') then
      update team_coaching_minutes m set minutes = m.minutes - o.minutes
        from (select program_id, team_id, sum(duration_minutes)::bigint as minutes from old_rows group by program_id, team_id) o
       where m.program_id = o.program_id and m.team_id = o.team_id;
    end if;
    if TG_OP in ('INSERT', 'UPDATE') then
      insert into team_coaching_minutes (program_id, team_id, minutes)
        select program_id, team_id, sum(duration_minutes)::bigint from new_rows
         group by program_id, team_id order by program_id, team_id
      on conflict (program_id, team_id) do update set minutes = team_coaching_minutes.minutes + excluded.minutes;
    end if;
    return null;
  end $fn$`;

const EVENTS = [
  ["insert", "referencing new table as new_rows"],
  ["update", "referencing old table as old_rows new table as new_rows"],
  ["delete", "referencing old table as old_rows"],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("team_coaching_minutes")
    .addColumn("program_id", "text", (c) => c.notNull().references("programs.id").onDelete("cascade"))
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id").onDelete("cascade"))
    .addColumn("minutes", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("team_coaching_minutes_pk", ["program_id", "team_id"])
    .execute();
  await db.schema.createIndex("team_coaching_minutes_team_idx").on("team_coaching_minutes").column("team_id").execute();
  await sql.raw(FUNCTION).execute(db);
  for (const [event, referencing] of EVENTS) {
    await sql
      .raw(
        `create trigger team_coaching_minutes_${event} after ${event} on support_sessions ${referencing}
         for each statement execute function team_coaching_minutes_apply()`,
      )
      .execute(db);
  }
  await sql`insert into team_coaching_minutes (program_id, team_id, minutes)
    select program_id, team_id, sum(duration_minutes)::bigint from support_sessions group by program_id, team_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [event] of EVENTS) await sql.raw(`drop trigger if exists team_coaching_minutes_${event} on support_sessions`).execute(db);
  await sql.raw(`drop function if exists team_coaching_minutes_apply()`).execute(db);
  await db.schema.dropTable("team_coaching_minutes").execute();
}
