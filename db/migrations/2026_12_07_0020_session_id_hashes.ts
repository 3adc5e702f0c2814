import { sql, type Kysely } from "kysely";

// Sessions are stored under the SHA-256 of their token (hex), no longer under the token itself,
// so a copy of the database signs nobody in. Existing sessions are converted in place and stay
// valid (the cookie's token hashes to the new id). Going back cannot recover tokens from their
// hashes: `down` ends every session (everyone signs in again); no other data is touched.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update auth_sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("auth_sessions").execute();
}
