import { sql } from "kysely";
import type { OnboardingStatus, Role, SessionType } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import {
  NOT_A_COACH_MESSAGE,
  NOT_ASSIGNED_MESSAGE,
  SESSION_TYPE_LABELS,
  UNKNOWN_COACH_MESSAGE,
  UNKNOWN_TEAM_MESSAGE,
  type SessionInput,
} from "~/validation/sessions";
import { FieldError, ForbiddenError } from "~/models/errors";
import { addDays, isDayInRange } from "~/utils/dates";
import { requireEventNear } from "~/models/cycles/cycles.server";

// Support sessions as a coach lives them: who the current user is as a coach of the program,
// their teams and what each needs next, logging / editing / deleting sessions (a coach only
// their own, and only for a team they coach on that date), and the session history.
//
// Ownership is decided here, not in the routes: every function takes the CoachingViewer (the
// user, whether their role manages coaching, and their coach row in this program, if any) and
// throws CoachingForbiddenError (→ 403) or CoachingFieldError (→ 400 on a field).

export interface CoachRef {
  id: string;
  personId: string;
  name: string;
  email: string;
  active: boolean;
}

/** The user looking at coaching pages of one program. */
export interface CoachingViewer {
  userId: string;
  name: string;
  role: Role;
  /** The role manages coaching (admin, PLO): sees every coach's sessions, logs for anyone, answers escalations. */
  manage: boolean;
  /** The user's coach row in this program (through their person record), or null. */
  coach: CoachRef | null;
}

/**
 * The current user's coach row in a program: coaches where person_id is the person linked to the
 * user's account and program_id is this program. Null when the user coaches nothing here.
 */
export async function coachForUser(db: DB, userId: string, programId: string): Promise<CoachRef | null> {
  const row = await db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "c.person_id as personId", "p.name", "p.email", "c.active"])
    .where("p.user_id", "=", userId)
    .where("c.program_id", "=", programId)
    .orderBy("c.active", "desc")
    .orderBy("c.created_at")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function loadViewer(db: DB, user: { id: string; name: string; role: Role }, programId: string): Promise<CoachingViewer> {
  return {
    userId: user.id,
    name: user.name,
    role: user.role,
    manage: can(user.role, "coaching:manage"),
    coach: await coachForUser(db, user.id, programId),
  };
}

const actorOf = (viewer: CoachingViewer) => ({ id: viewer.userId, name: viewer.name });

// ---------------------------------------------------------------------------------------------
// Options for the log form
// ---------------------------------------------------------------------------------------------

export interface TeamOption {
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
export async function listTeamOptions(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  today: string,
  options: { include?: string | null; coachId?: string | null } = {},
): Promise<TeamOption[]> {
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
  const teams: TeamOption[] = rows.map((r) => ({ ...r, current: Boolean(r.current) }));
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

// ---------------------------------------------------------------------------------------------
// Writing sessions
// ---------------------------------------------------------------------------------------------

async function resolveCoach(trx: DB, programId: string, coachId: string): Promise<{ id: string; name: string }> {
  const coach = await trx
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "p.name"])
    .where("c.id", "=", coachId)
    .where("c.program_id", "=", programId)
    .executeTakeFirst();
  if (!coach) throw FieldError.on("coachId", UNKNOWN_COACH_MESSAGE);
  return coach;
}

async function resolveTeam(trx: DB, teamId: string): Promise<{ id: string; name: string }> {
  const team = await trx.selectFrom("teams").select(["id", "name"]).where("id", "=", teamId).executeTakeFirst();
  if (!team) throw FieldError.on("teamId", UNKNOWN_TEAM_MESSAGE);
  return team;
}

/** True when one of the coach's assignments to the team covers the day: starts_on <= day <= ends_on (open end). */
export async function isAssignedOn(db: DB, programId: string, coachId: string, teamId: string, day: string): Promise<boolean> {
  const row = await db
    .selectFrom("coach_assignments")
    .select("id")
    .where("program_id", "=", programId)
    .where("coach_id", "=", coachId)
    .where("team_id", "=", teamId)
    .where("starts_on", "<=", day)
    .where((eb) => eb.or([eb("ends_on", "is", null), eb("ends_on", ">=", day)]))
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Which coach a session is logged for: a coach always logs as themself; the PLO picks the coach
 * (their own coach row when they leave it empty).
 */
async function sessionCoach(
  trx: DB,
  viewer: CoachingViewer,
  programId: string,
  chosen: string | null,
): Promise<{ id: string; name: string }> {
  if (!viewer.manage) {
    if (!viewer.coach) throw FieldError.on("_form", NOT_A_COACH_MESSAGE);
    return { id: viewer.coach.id, name: viewer.coach.name };
  }
  const coachId = chosen ?? viewer.coach?.id ?? null;
  if (!coachId) throw FieldError.on("coachId", "Choose the coach who held the session.");
  return resolveCoach(trx, programId, coachId);
}

function sessionAuditView(s: {
  team_id: string;
  coach_id: string;
  held_on: string;
  type: string;
  duration_minutes: number;
  attendees: number;
  maturity: number | null;
  notes: string;
  follow_ups: string;
  cycle_event_id: string | null;
}) {
  // Notes and follow-ups stay out of the log (they are the coach's); only whether they changed.
  return {
    teamId: s.team_id,
    coachId: s.coach_id,
    heldOn: s.held_on,
    type: s.type,
    durationMinutes: s.duration_minutes,
    attendees: s.attendees,
    maturity: s.maturity,
    cycleEventId: s.cycle_event_id,
    notesLength: s.notes.length,
    followUpsLength: s.follow_ups.length,
  };
}

function changes<T extends Record<string, unknown>>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) if (before[key] !== after[key]) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  return out;
}

export interface LoggedSession {
  id: string;
  teamId: string;
  teamName: string;
  coachName: string;
  heldOn: string;
}

/** Logs a support session (one transaction, audited). */
export async function logSession(db: DB, viewer: CoachingViewer, programId: string, input: SessionInput): Promise<LoggedSession> {
  return inTransaction(db, async (trx) => {
    const coach = await sessionCoach(trx, viewer, programId, input.coachId);
    const team = await resolveTeam(trx, input.teamId);
    if (!viewer.manage && !(await isAssignedOn(trx, programId, coach.id, team.id, input.heldOn))) {
      throw FieldError.on("teamId", NOT_ASSIGNED_MESSAGE);
    }
    const cycleEventId = input.cycleEventId ? await requireEventNear(trx, programId, input.cycleEventId, input.heldOn) : null;
    const created = await trx
      .insertInto("support_sessions")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: coach.id,
        team_id: team.id,
        held_on: input.heldOn,
        type: input.type,
        duration_minutes: input.durationMinutes,
        attendees: input.attendees,
        notes: input.notes,
        maturity: input.maturity,
        follow_ups: input.followUps,
        cycle_event_id: cycleEventId,
        created_by: viewer.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "session.logged",
      entityType: "support_session",
      entityId: created.id,
      programId,
      summary: `Logged a ${SESSION_TYPE_LABELS[created.type].toLowerCase()} session with “${team.name}” on ${created.held_on}${coach.id === viewer.coach?.id ? "" : ` for ${coach.name}`}`,
      details: { ...sessionAuditView(created), teamName: team.name, coachName: coach.name },
    });
    return { id: created.id, teamId: team.id, teamName: team.name, coachName: coach.name, heldOn: created.held_on };
  });
}

async function lockOwnSession(trx: DB, viewer: CoachingViewer, programId: string, id: string) {
  const before = await trx
    .selectFrom("support_sessions")
    .selectAll()
    .where("id", "=", id)
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return null;
  if (!viewer.manage && before.coach_id !== viewer.coach?.id)
    throw new ForbiddenError("You can only change the sessions you logged yourself.");
  return before;
}

/** Saves a session; null when it is not in this program. A coach may edit only their own. */
export async function updateSession(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  id: string,
  input: SessionInput,
): Promise<LoggedSession | null> {
  return inTransaction(db, async (trx) => {
    const before = await lockOwnSession(trx, viewer, programId, id);
    if (!before) return null;
    const coach = viewer.manage
      ? await resolveCoach(trx, programId, input.coachId ?? before.coach_id)
      : { id: before.coach_id, name: viewer.coach!.name };
    const team = await resolveTeam(trx, input.teamId);
    if (!viewer.manage && !(await isAssignedOn(trx, programId, coach.id, team.id, input.heldOn))) {
      throw FieldError.on("teamId", NOT_ASSIGNED_MESSAGE);
    }
    const cycleEventId =
      input.cycleEventId === undefined
        ? before.cycle_event_id
        : input.cycleEventId && (input.cycleEventId !== before.cycle_event_id || input.heldOn !== before.held_on)
          ? await requireEventNear(trx, programId, input.cycleEventId, input.heldOn)
          : input.cycleEventId;
    const after = await trx
      .updateTable("support_sessions")
      .set({
        coach_id: coach.id,
        team_id: team.id,
        held_on: input.heldOn,
        type: input.type,
        duration_minutes: input.durationMinutes,
        attendees: input.attendees,
        notes: input.notes,
        maturity: input.maturity,
        follow_ups: input.followUps,
        cycle_event_id: cycleEventId,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changed = changes(sessionAuditView(before), sessionAuditView(after));
    if (before.notes !== after.notes) changed.notes = { from: "(changed)", to: "(changed)" };
    if (before.follow_ups !== after.follow_ups) changed.followUps = { from: "(changed)", to: "(changed)" };
    if (Object.keys(changed).length > 0) {
      await recordAudit(trx, {
        actor: actorOf(viewer),
        action: "session.updated",
        entityType: "support_session",
        entityId: id,
        programId,
        summary: `Updated the session with “${team.name}” on ${after.held_on}: ${Object.keys(changed).join(", ")}`,
        details: changed,
      });
    }
    return { id, teamId: team.id, teamName: team.name, coachName: coach.name, heldOn: after.held_on };
  });
}

/** How long after logging a session its "Undo" works (SESSION_UNDO_SECONDS, default 10 minutes). */
export function sessionUndoWindowMs(): number {
  const seconds = Number(process.env.SESSION_UNDO_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 600) * 1000;
}

export const UNDO_EXPIRED_MESSAGE = "The time to undo has passed. Open the session to edit or delete it.";

/**
 * Deletes a session; null when it is not in this program. A coach may delete only their own.
 * With `undoWithinMs` it is the "Undo" right after logging: only the user who logged it, and only
 * within that many milliseconds of logging (a CoachingFieldError on "_form" afterwards).
 */
export async function deleteSession(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  id: string,
  options: { undoWithinMs?: number } = {},
): Promise<LoggedSession | null> {
  return inTransaction(db, async (trx) => {
    const before = await lockOwnSession(trx, viewer, programId, id);
    if (!before) return null;
    if (options.undoWithinMs !== undefined) {
      if (before.created_by !== viewer.userId) throw new ForbiddenError("You can only undo a session you logged yourself.");
      if (Date.now() - new Date(before.created_at).getTime() > options.undoWithinMs) {
        throw FieldError.on("_form", UNDO_EXPIRED_MESSAGE);
      }
    }
    const names = await trx
      .selectFrom("teams as t")
      .innerJoin("coaches as c", (join) => join.on("c.id", "=", before.coach_id))
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["t.name as teamName", "p.name as coachName"])
      .where("t.id", "=", before.team_id)
      .executeTakeFirst();
    await trx.deleteFrom("support_sessions").where("id", "=", id).execute();
    const teamName = names?.teamName ?? "a team";
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: options.undoWithinMs === undefined ? "session.deleted" : "session.undone",
      entityType: "support_session",
      entityId: id,
      programId,
      summary: `${options.undoWithinMs === undefined ? "Deleted" : "Undid"} the ${SESSION_TYPE_LABELS[before.type].toLowerCase()} session with “${teamName}” on ${before.held_on}`,
      details: { ...sessionAuditView(before), teamName, coachName: names?.coachName ?? null },
    });
    return { id, teamId: before.team_id, teamName, coachName: names?.coachName ?? "", heldOn: before.held_on };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading sessions
// ---------------------------------------------------------------------------------------------

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
export async function getSession(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<SessionDetail | null> {
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
export async function listSessions(
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

// ---------------------------------------------------------------------------------------------
// My teams: a coach's home
// ---------------------------------------------------------------------------------------------

/** The session types whose last date the next-step rules look at. */
const TRACKED_TYPES = [
  "drafting",
  "alignment",
  "check_in",
  "review",
  "retrospective",
  "training",
] as const satisfies readonly SessionType[];
type TrackedType = (typeof TRACKED_TYPES)[number];

export interface TeamSessionFacts {
  status: OnboardingStatus;
  /** The team's last session in this program, by any coach. */
  lastSessionOn: string | null;
  /** The last session of each tracked type. */
  lastByType: Record<TrackedType, string | null>;
}

export interface NextStep {
  /** Short, stable code (for tests and styling). */
  code:
    | "kickoff"
    | "no_session"
    | "no_training"
    | "no_drafting"
    | "no_alignment"
    | "no_check_in"
    | "check_in_gap"
    | "no_review"
    | "stale"
    | "waiting"
    | "on_track";
  text: string;
  /** Something the coach should act on (otherwise it's information). */
  attention: boolean;
}

/** A session in the last `days` days counts as recent. */
export const STALE_AFTER_DAYS = 28;
export const SELF_SUFFICIENT_STALE_AFTER_DAYS = 84;
export const CHECK_IN_CADENCE_DAYS = 28;
export const REVIEW_WITHIN_DAYS = 100;

/**
 * What a team needs next from its coach, derived from its onboarding status and the sessions
 * logged with it (by any coach of the program). The rules, in order; every rule that applies is
 * listed, the first one is "the" next step:
 *
 * 1. No session at all: a team not started needs a kick-off with its lead ("Not started yet: plan
 *    a kick-off with the team lead."); any other team "No session logged yet."
 * 2. What the onboarding phase needs, by session type:
 *    - onboarding: a training session, then a drafting session;
 *    - first cycle: drafting, then alignment, then a check-in cadence: no check-in ever is
 *      "First cycle: check-in cadence not yet seen.", none in the last 4 weeks is a gap;
 *    - running: a review or retrospective within the last quarter (100 days);
 *    - self-sufficient: nothing by type.
 * 3. Staleness: no session in 4 weeks (12 weeks for a self-sufficient team).
 * 4. Otherwise: a not-started team is "waiting to start"; any other team is on track.
 */
export function nextSteps(facts: TeamSessionFacts, today: string): NextStep[] {
  const steps: NextStep[] = [];
  const since = (days: number) => addDays(today, -days);
  const { status, lastSessionOn, lastByType } = facts;
  if (!lastSessionOn) {
    return status === "not_started"
      ? [{ code: "kickoff", text: "Not started yet: plan a kick-off with the team lead.", attention: true }]
      : [{ code: "no_session", text: "No session logged yet.", attention: true }];
  }
  const missing = (type: TrackedType, code: NextStep["code"], text: string) => {
    if (!lastByType[type]) steps.push({ code, text, attention: true });
  };
  switch (status) {
    case "onboarding":
      missing("training", "no_training", "No training session logged yet: introduce OKRs to the team.");
      missing("drafting", "no_drafting", "No drafting session logged yet.");
      break;
    case "first_cycle":
      missing("drafting", "no_drafting", "No drafting session logged yet.");
      missing("alignment", "no_alignment", "No alignment session logged yet.");
      if (!lastByType.check_in) steps.push({ code: "no_check_in", text: "First cycle: check-in cadence not yet seen.", attention: true });
      else if (lastByType.check_in < since(CHECK_IN_CADENCE_DAYS)) {
        steps.push({ code: "check_in_gap", text: "First cycle: no check-in in 4 weeks.", attention: true });
      }
      break;
    case "running": {
      const lastReview = [lastByType.review, lastByType.retrospective].filter(Boolean).sort().at(-1);
      if (!lastReview || lastReview < since(REVIEW_WITHIN_DAYS)) {
        steps.push({ code: "no_review", text: "No review or retrospective in the last quarter.", attention: true });
      }
      break;
    }
    default:
      break;
  }
  const staleDays = status === "self_sufficient" ? SELF_SUFFICIENT_STALE_AFTER_DAYS : STALE_AFTER_DAYS;
  if (lastSessionOn < since(staleDays)) {
    steps.push({
      code: "stale",
      text: status === "self_sufficient" ? "No session in 12 weeks." : "No session in 4 weeks.",
      attention: status !== "not_started",
    });
  }
  if (steps.length === 0) {
    steps.push(
      status === "not_started"
        ? { code: "waiting", text: "Waiting for the team to start onboarding.", attention: false }
        : { code: "on_track", text: "On track: nothing due.", attention: false },
    );
  }
  return steps;
}

export interface MyTeam extends TeamSessionFacts {
  teamId: string;
  teamName: string;
  unitName: string | null;
  kind: string;
  startsOn: string;
  endsOn: string | null;
  waveName: string | null;
  sessionCount: number;
  steps: NextStep[];
}

/**
 * The teams a coach is assigned to today, with wave, onboarding status, the last session and
 * what each needs next. One query: the session facts come from a lateral aggregate per team.
 */
export async function listMyTeams(db: DB, coachId: string, programId: string, today: string): Promise<MyTeam[]> {
  const rows = await db
    .selectFrom("coach_assignments as a")
    .innerJoin("teams as t", "t.id", "a.team_id")
    .leftJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "a.team_id").onRef("pt.program_id", "=", "a.program_id"))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("support_sessions as s")
          .select([
            sql<string | null>`max(s.held_on)`.as("lastSessionOn"),
            sql<number>`count(*)::int`.as("sessionCount"),
            ...TRACKED_TYPES.map((type) => sql<string | null>`max(s.held_on) filter (where s.type = ${type})`.as(`last_${type}`)),
          ])
          .whereRef("s.team_id", "=", "a.team_id")
          .whereRef("s.program_id", "=", "a.program_id")
          .as("agg"),
      (join) => join.onTrue(),
    )
    .select([
      "a.team_id as teamId",
      "t.name as teamName",
      "u.name as unitName",
      "a.kind",
      "a.starts_on as startsOn",
      "a.ends_on as endsOn",
      "w.name as waveName",
      sql<OnboardingStatus>`coalesce(pt.status, 'not_started')`.as("status"),
      "agg.lastSessionOn",
      "agg.sessionCount",
      ...TRACKED_TYPES.map((type) => sql.ref<string | null>(`agg.last_${type}`).as(`last_${type}`)),
    ])
    .where("a.coach_id", "=", coachId)
    .where("a.program_id", "=", programId)
    .where("a.starts_on", "<=", today)
    .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", today)]))
    .orderBy(sql`lower(t.name)`)
    .orderBy("t.id")
    .orderBy("a.kind")
    .execute();
  const seen = new Set<string>();
  const teams: MyTeam[] = [];
  for (const row of rows as Array<(typeof rows)[number] & Record<string, unknown>>) {
    if (seen.has(row.teamId)) continue;
    seen.add(row.teamId);
    const lastByType = Object.fromEntries(TRACKED_TYPES.map((type) => [type, (row[`last_${type}`] as string | null) ?? null])) as Record<
      TrackedType,
      string | null
    >;
    const facts: TeamSessionFacts = { status: row.status, lastSessionOn: row.lastSessionOn ?? null, lastByType };
    teams.push({
      teamId: row.teamId,
      teamName: row.teamName,
      unitName: row.unitName,
      kind: row.kind,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      waveName: row.waveName,
      sessionCount: Number(row.sessionCount ?? 0),
      ...facts,
      steps: nextSteps(facts, today),
    });
  }
  return teams;
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

/** A coach of the program by id (for the PLO viewing a coach's home); null when not in the program. */
export async function getCoachRef(db: DB, programId: string, coachId: string): Promise<CoachRef | null> {
  const row = await db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "c.person_id as personId", "p.name", "p.email", "c.active"])
    .where("c.id", "=", coachId)
    .where("c.program_id", "=", programId)
    .executeTakeFirst();
  return row ?? null;
}
