import { sql } from "kysely";
import type { DB } from "~/utils/db.server";

/**
 * Each team's size: the size recorded on the team, else the number of people placed in it
 * (null when neither is known). One query whatever the number of teams.
 */
export async function teamSizes(db: DB, teamIds: readonly string[]): Promise<Map<string, number | null>> {
  if (teamIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("teams as t")
    .leftJoin("people as p", (join) => join.onRef("p.team_id", "=", "t.id").on("p.archived_at", "is", null))
    .select(["t.id", "t.size", sql<number>`count(p.id)::int`.as("members")])
    .where("t.id", "in", [...teamIds])
    .groupBy(["t.id", "t.size"])
    .execute();
  return new Map(rows.map((r) => [r.id, r.size ?? (Number(r.members) > 0 ? Number(r.members) : null)]));
}
