import { sql, type Kysely } from "kysely";

// Search by part of a word (issue 20): the people list's search ("tanaka", "person.12@",
// "lead") is `ilike '%…%'` over people's names, emails and titles and their team's name. A
// B-tree cannot serve a pattern that starts with a wildcard, so every search read all 20,000
// people. pg_trgm's GIN indexes serve `ilike '%…%'` as they are: no query changes its meaning.
//
// PostgreSQL ships pg_trgm in its contrib package (a trusted extension since 13: a database
// owner may create it); PGlite ships it as a bundle the database factory loads on every open
// (db/index.ts). Where the extension truly cannot be created (a server without contrib, a role
// without the right), the migration still succeeds without the indexes and search works the
// slow way: the same `ilike`, by a sequential scan.
//
// Idempotent (an index or extension already there is kept), existing data untouched.
// Frozen in time: never import application code from a migration.

const INDEXES = [
  ["people_name_trgm_idx", "people", "name"],
  ["people_email_trgm_idx", "people", "email"],
  ["people_title_trgm_idx", "people", "title"],
  ["teams_name_trgm_idx", "teams", "name"],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // A failure to create the extension is caught inside the block (its own subtransaction), so the
  // migration's transaction stays usable.
  await sql`
    do $$
    begin
      create extension if not exists pg_trgm;
    exception when others then
      raise notice 'pg_trgm is not available (%): people search runs without its index', sqlerrm;
    end
    $$`.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (Number(rows[0]?.n ?? 0) === 0) return;
  for (const [name, table, column] of INDEXES) {
    await sql`create index if not exists ${sql.id(name)} on ${sql.id(table)} using gin (${sql.id(column)} gin_trgm_ops)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await sql`drop index if exists ${sql.id(name)}`.execute(db);
  // The extension stays: another schema object may use it, and keeping it is harmless (up is idempotent).
}
