import type { Kysely } from "kysely";

// The audit log grows without bound: a program's recent changes and the list of actions must be
// found through indexes, not by scanning every event.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("audit_events_program_id_idx").on("audit_events").columns(["program_id", "id"]).execute();
  await db.schema.createIndex("audit_events_action_idx").on("audit_events").columns(["action", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_events_action_idx").execute();
  await db.schema.dropIndex("audit_events_program_id_idx").execute();
}
