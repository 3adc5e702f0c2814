import { sql } from "kysely";
import type { DB } from "~/utils/db.server";
import type { CoachingViewer } from "~/models/coaching/viewer.server";

// Options for the session log form: the teams a session can be logged for, and the coaches the
// PLO picks from.

export interface SessionTeamOption {
  id: string;
  name: string;
  /** Coached today (an assignment covers today). */
  current: boolean;
  /** When the viewer's assignments to this team began and ended (null: open-ended). */
  startsOn: string | null;
  endsOn: string | null;
}

/**
 * The teams a session can be logged for: a coach's own assigned teams (current and past, current
 * first). The PLO gets the teams of the coach they picked (`coachId`), never the whole program at
 * once (a large program has thousands); `include` adds a team asked for in the URL (`?team=`)
 * when it exists, so the PLO can log for any team.
 */
export async function listSessionTeamOptions(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  today: string,
  options: { include?: string | null; coachId?: string | null } = {},
): Promise<SessionTeamOption[]> {
  const coachId = viewer.manage ? (options.coachId ?? null) : (viewer.coach?.id ?? null);
  const current = sql<boolean>`bool_or(a.starts_on <= ${today} and (a.ends_on is null or a.ends_on >= ${today}))`;
  const rows = coachId
    ? await db
        .selectFrom("coach_assignments as a")
        .innerJoin("teams as t", "t.id", "a.team_id")
        .select([
          "t.id",
          "t.name",
          current.as("current"),
          sql<string | null>`min(a.starts_on)`.as("startsOn"),
          sql<string | null>`case when bool_or(a.ends_on is null) then null else max(a.ends_on) end`.as("endsOn"),
        ])
        .where("a.program_id", "=", programId)
        .where("a.coach_id", "=", coachId)
        .groupBy(["t.id", "t.name"])
        .orderBy(current, "desc")
        .orderBy(sql`lower(t.name)`)
        .orderBy("t.id")
        .execute()
    : [];
  const teams: SessionTeamOption[] = rows.map((r) => ({ ...r, current: Boolean(r.current) }));
  const include = options.include;
  if (include && viewer.manage && !teams.some((o) => o.id === include)) {
    const team = await findTeam(db, include);
    if (team) teams.unshift({ id: team.id, name: team.name, current: false, startsOn: null, endsOn: null });
  }
  return teams;
}

/** A team by id (name only), or null. */
export async function findTeam(db: DB, id: string): Promise<{ id: string; name: string } | null> {
  return (await db.selectFrom("teams").select(["id", "name"]).where("id", "=", id).executeTakeFirst()) ?? null;
}

export interface SessionCoachOption {
  id: string;
  name: string;
  active: boolean;
}

/** The program's coaches, for the PLO's coach pickers (one query). */
export async function listSessionCoachOptions(db: DB, programId: string): Promise<SessionCoachOption[]> {
  return db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "p.name", "c.active"])
    .where("c.program_id", "=", programId)
    .orderBy("c.active", "desc")
    .orderBy(sql`lower(p.name)`)
    .orderBy("c.id")
    .execute();
}
