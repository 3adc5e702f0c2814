import { sql } from "kysely";
import type { SessionType } from "../../../db/schema";
import type { DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";
import { ForbiddenError } from "~/models/errors";
import { isDayInRange } from "~/utils/dates";
import type { CoachingViewer } from "~/models/coaching/viewer.server";

// Reading support sessions: one session, the paged and filtered history, its CSV export, and a
// coach's latest sessions. A coach sees their own sessions, the PLO everyone's.

export interface SessionDetail {
  id: string;
  programId: string;
  coachId: string;
  coachName: string;
  teamId: string;
  teamName: string;
  heldOn: string;
  type: SessionType;
  durationMinutes: number;
  attendees: number;
  notes: string;
  maturity: number | null;
  followUps: string;
  /** The cycle event the session delivered, if linked. */
  cycleEventId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One session with its team and coach; null when not in this program; 403 (thrown) when not the viewer's. */
export async function getSupportSession(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<SessionDetail | null> {
  const row = await withTeamAndCoach(db.selectFrom("support_sessions as s"))
    .select([
      "s.id",
      "s.program_id as programId",
      "s.coach_id as coachId",
      "p.name as coachName",
      "s.team_id as teamId",
      "t.name as teamName",
      "s.held_on as heldOn",
      "s.type",
      "s.duration_minutes as durationMinutes",
      "s.attendees",
      "s.notes",
      "s.maturity",
      "s.follow_ups as followUps",
      "s.cycle_event_id as cycleEventId",
      "s.created_at as createdAt",
      "s.updated_at as updatedAt",
    ])
    .where("s.id", "=", id)
    .where("s.program_id", "=", programId)
    .executeTakeFirst();
  if (!row) return null;
  if (!viewer.manage && row.coachId !== viewer.coach?.id) throw new ForbiddenError("This session was logged by another coach.");
  return row;
}

export const SESSION_SORTS = ["date", "team", "type", "duration", "attendees", "maturity", "coach"] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];
export const SESSION_LIST_SPEC: ListSpec<SessionSort> = {
  sorts: SESSION_SORTS,
  defaultSort: "date",
  defaultDir: "desc",
  filters: ["team", "type", "from", "to", "coach"],
};

export interface SessionFilters {
  q: string;
  team?: string;
  type?: string;
  from?: string;
  to?: string;
  coach?: string;
}

export interface SessionListRow {
  id: string;
  heldOn: string;
  type: SessionType;
  teamId: string;
  teamName: string;
  coachId: string;
  coachName: string;
  durationMinutes: number;
  attendees: number;
  maturity: number | null;
  /** The first 160 characters of the notes. */
  notesExcerpt: string;
}

/** Rows the viewer may see, filtered as the URL says (no joins: the count stays on the session indexes). */
function filteredSessions(db: DB, viewer: CoachingViewer, programId: string, filters: SessionFilters) {
  let query = db.selectFrom("support_sessions as s").where("s.program_id", "=", programId);
  if (!viewer.manage) query = query.where("s.coach_id", "=", viewer.coach?.id ?? "");
  else if (filters.coach) query = query.where("s.coach_id", "=", filters.coach);
  if (filters.team) query = query.where("s.team_id", "=", filters.team);
  if (filters.type) query = query.where("s.type", "=", filters.type as SessionType);
  if (isDayInRange(filters.from)) query = query.where("s.held_on", ">=", filters.from);
  if (isDayInRange(filters.to)) query = query.where("s.held_on", "<=", filters.to);
  if (filters.q) {
    const like = likePattern(filters.q);
    query = query.where((eb) =>
      eb.or([
        eb("s.team_id", "in", eb.selectFrom("teams").select("teams.id").where("teams.name", "ilike", like)),
        eb("s.notes", "ilike", like),
        eb("s.follow_ups", "ilike", like),
      ]),
    );
  }
  return query;
}

type SessionsQuery = ReturnType<typeof filteredSessions>;

/** Sessions (alias `s`) joined to their team (`t`), coach (`c`) and the coach's person (`p`). */
function withTeamAndCoach(query: SessionsQuery) {
  return query
    .innerJoin("teams as t", "t.id", "s.team_id")
    .innerJoin("coaches as c", "c.id", "s.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id");
}

/** The columns of a row of a session list (notes cut to an excerpt). */
function listRows(query: SessionsQuery) {
  return withTeamAndCoach(query).select([
    "s.id",
    "s.held_on as heldOn",
    "s.type",
    "s.team_id as teamId",
    "t.name as teamName",
    "s.coach_id as coachId",
    "p.name as coachName",
    "s.duration_minutes as durationMinutes",
    "s.attendees",
    "s.maturity",
    sql<string>`left(s.notes, 160)`.as("notesExcerpt"),
  ]);
}

function filtersOf(params: Pick<ListParams, "q" | "filters">): SessionFilters {
  return { q: params.q, ...params.filters };
}

/** The history counts matching sessions up to this many (the pager then reaches that far). */
export const SESSION_COUNT_CAP = 10_000;

/**
 * One page of the session history: a coach sees their own sessions, the PLO everyone's (with a
 * coach filter). Two queries whatever the size: the page (index on program/coach + held_on) and
 * the count, capped at SESSION_COUNT_CAP (`capped` says there are more).
 */
export async function listSupportSessions(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  params: ListParams<SessionSort>,
): Promise<Page<SessionListRow> & { capped: boolean }> {
  if (!viewer.manage && !viewer.coach) return { rows: [], total: 0, page: params.page, size: params.size, capped: false };
  const base = filteredSessions(db, viewer, programId, filtersOf(params));
  const dir = params.dir;
  let query = listRows(base);
  switch (params.sort) {
    case "team":
      query = query.orderBy(sql`lower(t.name)`, dir).orderBy("s.held_on", "desc");
      break;
    case "type":
      query = query.orderBy("s.type", dir).orderBy("s.held_on", "desc");
      break;
    case "duration":
      query = query.orderBy("s.duration_minutes", dir).orderBy("s.held_on", "desc");
      break;
    case "attendees":
      query = query.orderBy("s.attendees", dir).orderBy("s.held_on", "desc");
      break;
    case "maturity":
      query = query.orderBy(sql`s.maturity ${sql.raw(dir)} nulls last`).orderBy("s.held_on", "desc");
      break;
    case "coach":
      query = query.orderBy(sql`lower(p.name)`, dir).orderBy("s.held_on", "desc");
      break;
    default:
      query = query.orderBy("s.held_on", dir).orderBy("s.created_at", dir);
  }
  const [rows, counted] = await Promise.all([
    query
      .orderBy("s.id")
      .limit(params.size)
      .offset((params.page - 1) * params.size)
      .execute(),
    // Counting 100,000 sessions costs more than the page itself: count up to the cap, say "more".
    db
      .selectFrom(
        base
          .select(sql<number>`1`.as("one"))
          .limit(SESSION_COUNT_CAP + 1)
          .as("matching"),
      )
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(counted.n);
  return { rows, total: Math.min(n, SESSION_COUNT_CAP), page: params.page, size: params.size, capped: n > SESSION_COUNT_CAP };
}

export const SESSION_CSV_COLUMNS = [
  "Date",
  "Team",
  "Coach",
  "Type",
  "Duration (minutes)",
  "Attendees",
  "Maturity",
  "Notes",
  "Follow-ups",
] as const;
export type SessionCsvRecord = Record<(typeof SESSION_CSV_COLUMNS)[number], string | number>;

const CSV_CHUNK = 2_000;

/**
 * Every session the history's URL filters match, newest first, in chunks of 2,000 read by keyset
 * (held_on, id), so a 100,000-session export never sits in memory at once.
 */
export async function* sessionCsvChunks(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  params: Pick<ListParams, "q" | "filters">,
): AsyncGenerator<SessionCsvRecord[]> {
  if (!viewer.manage && !viewer.coach) return;
  let after: { heldOn: string; id: string } | null = null;
  for (;;) {
    let query = withTeamAndCoach(filteredSessions(db, viewer, programId, filtersOf(params))).select([
      "s.id",
      "s.held_on as heldOn",
      "t.name as teamName",
      "p.name as coachName",
      "s.type",
      "s.duration_minutes as durationMinutes",
      "s.attendees",
      "s.maturity",
      "s.notes",
      "s.follow_ups as followUps",
    ]);
    if (after) {
      const { heldOn, id } = after;
      query = query.where(sql<boolean>`(s.held_on, s.id) < (${heldOn}::date, ${id})`);
    }
    const rows = await query.orderBy("s.held_on", "desc").orderBy("s.id", "desc").limit(CSV_CHUNK).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      Date: r.heldOn,
      Team: r.teamName,
      Coach: r.coachName,
      Type: SESSION_TYPE_LABELS[r.type] ?? r.type,
      "Duration (minutes)": r.durationMinutes,
      Attendees: r.attendees,
      Maturity: r.maturity ?? "",
      Notes: r.notes,
      "Follow-ups": r.followUps,
    }));
    if (rows.length < CSV_CHUNK) return;
    const last = rows[rows.length - 1];
    after = { heldOn: last.heldOn, id: last.id };
  }
}

/** The coach's latest sessions (for the home page). */
export async function recentSessions(db: DB, coachId: string, programId: string, limit = 5): Promise<SessionListRow[]> {
  return listRows(db.selectFrom("support_sessions as s"))
    .where("s.coach_id", "=", coachId)
    .where("s.program_id", "=", programId)
    .orderBy("s.held_on", "desc")
    .orderBy("s.created_at", "desc")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}
