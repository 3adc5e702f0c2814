import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import type { DB } from "~/utils/db.server";

// The administrator's home: accounts by role and recent security events, from two aggregate
// queries (SQL does the counting).

export interface AccountCounts {
  byRole: Array<{ role: Role; active: number; inactive: number }>;
  active: number;
  inactive: number;
}

export async function accountCounts(db: DB): Promise<AccountCounts> {
  const rows = await db
    .selectFrom("users")
    .select([
      "role",
      sql<number>`count(*) filter (where active)::int`.as("active"),
      sql<number>`count(*) filter (where not active)::int`.as("inactive"),
    ])
    .groupBy("role")
    .orderBy("role")
    .execute();
  const byRole = rows.map((r) => ({ role: r.role, active: Number(r.active), inactive: Number(r.inactive) }));
  return {
    byRole,
    active: byRole.reduce((sum, r) => sum + r.active, 0),
    inactive: byRole.reduce((sum, r) => sum + r.inactive, 0),
  };
}

/** Audit actions that are security events: lockouts and failed sign-ins or password checks. */
export const SECURITY_ACTIONS = ["login.locked", "login.failed", "user.password_check_locked", "user.password_check_failed"] as const;

export interface SecurityEvent {
  id: number;
  at: Date;
  action: string;
  summary: string;
  ip: string | null;
}

export async function recentSecurityEvents(db: DB, limit = 8): Promise<{ events: SecurityEvent[]; lastDay: number }> {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [events, count] = await Promise.all([
    db
      .selectFrom("audit_events")
      .select(["id", "at", "action", "summary", "ip"])
      .where("action", "in", [...SECURITY_ACTIONS])
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute(),
    db
      .selectFrom("audit_events")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("action", "in", [...SECURITY_ACTIONS])
      .where("at", ">=", since)
      .executeTakeFirst(),
  ]);
  return { events, lastDay: Number(count?.n ?? 0) };
}
