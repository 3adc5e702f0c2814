import { sql, type Kysely } from "kysely";

// Indexes the coaching activity page and the plan overview need at 100,000 sessions and 20,000
// people (measured by `npm run bench`):
// - The session indexes carry the columns the activity figures add up (team, coach, minutes), so
//   counting a program's last weeks reads only the index, not thousands of scattered table pages.
// - "Teams without a lead" asks whether a team's lead is archived: a partial index of the (few)
//   archived people answers that without reading all people.
// Indexes only: no data changes, and `down` restores the previous ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("support_sessions_program_idx").execute();
  await db.schema.dropIndex("support_sessions_coach_idx").execute();
  await db.schema.dropIndex("support_sessions_team_idx").execute();
  await sql`create index support_sessions_program_idx on support_sessions (program_id, held_on) include (team_id, coach_id, duration_minutes)`.execute(
    db,
  );
  await sql`create index support_sessions_coach_idx on support_sessions (coach_id, held_on) include (program_id, team_id, duration_minutes)`.execute(
    db,
  );
  await sql`create index support_sessions_team_idx on support_sessions (team_id, held_on) include (program_id, duration_minutes)`.execute(
    db,
  );
  await sql`create index people_archived_idx on people (id) where archived_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("people_archived_idx").execute();
  await db.schema.dropIndex("support_sessions_team_idx").execute();
  await db.schema.dropIndex("support_sessions_coach_idx").execute();
  await db.schema.dropIndex("support_sessions_program_idx").execute();
  await db.schema.createIndex("support_sessions_program_idx").on("support_sessions").columns(["program_id", "held_on"]).execute();
  await db.schema.createIndex("support_sessions_coach_idx").on("support_sessions").columns(["coach_id", "held_on"]).execute();
  await db.schema.createIndex("support_sessions_team_idx").on("support_sessions").columns(["team_id", "held_on"]).execute();
}
