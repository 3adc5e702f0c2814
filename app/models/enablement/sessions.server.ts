import { sql } from "kysely";
import { TRAINING_SESSION_STATES, type RosterStatus, type TrainingSessionState } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import { today, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import type { AttendanceInput, InviteInput, SessionInput } from "~/validation/enablement";
import { coverageAfter, coverageBefore } from "./coverage.server";
import { requireModule } from "./curriculum.server";
import { personByEmail } from "./requirements.server";
import { listStates } from "./resolve.server";
import { instantToZoned, zonedToInstant } from "./zoned-time";

// Training sessions: a module delivered at a time (with its time zone), a place or link, a
// trainer, a capacity with a waiting list, and a state (planned / open / full / held /
// cancelled). The roster holds invited / registered / waitlisted / attended / no-show / excused.
//
// Rules kept here:
// - Seats are taken by invited, registered and attended people; beyond the capacity people go on
//   the waiting list (in the order they were added). When someone is excused or removed, the
//   first on the waiting list gets the seat (registered). An open session whose seats are all
//   taken is "full", and "open" again when a seat frees.
// - Attendance is marked by the PLO or by the session's own trainer; it writes one completion
//   per person present (source attendance, the module's current version, the session's day in its
//   time zone) and removes the completion of anyone no longer marked present.

const SEAT_STATUSES: RosterStatus[] = ["invited", "registered", "attended"];

export interface SessionRow {
  id: string;
  moduleId: string;
  moduleTitle: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  /** Day and time on the session's own clock. */
  localDay: Day;
  localTime: string;
  location: string;
  url: string;
  trainerUserId: string | null;
  trainerName: string | null;
  capacity: number;
  state: TrainingSessionState;
  seatsTaken: number;
  waitlisted: number;
}

export interface RosterRow {
  personId: string;
  name: string;
  email: string;
  externalId: string | null;
  status: RosterStatus;
}

/** Who is looking: the PLO manages every session; anyone else only trains their own. */
export interface SessionViewer {
  userId: string;
  manage: boolean;
}

// Seats are counted per session listed (the roster's primary key starts with the session):
// grouping the whole roster first cost every list a scan of all of it (60,000 rows in the bench).
// They are column subqueries, so a page's count query (which clears the columns) skips them.
function sessionsQuery(db: DB, programId: string) {
  return db
    .selectFrom("enablement_sessions as s")
    .innerJoin("enablement_modules as m", "m.id", "s.module_id")
    .leftJoin("users as u", "u.id", "s.trainer_user_id")
    .select([
      "s.id",
      "s.module_id as moduleId",
      "m.title as moduleTitle",
      "s.starts_at as startsAt",
      "s.duration_minutes as durationMinutes",
      "s.time_zone as timeZone",
      "s.location",
      "s.url",
      "s.trainer_user_id as trainerUserId",
      "u.name as trainerName",
      "s.capacity",
      "s.state",
      sql<number>`(select count(*) from enablement_roster r where r.session_id = s.id and r.status in ('invited', 'registered', 'attended'))::int`.as(
        "seatsTaken",
      ),
      sql<number>`(select count(*) from enablement_roster r where r.session_id = s.id and r.status = 'waitlisted')::int`.as("waitlisted"),
    ])
    .where("s.program_id", "=", programId);
}

type RawSession = Awaited<ReturnType<ReturnType<typeof sessionsQuery>["execute"]>>[number];

function toSession(r: RawSession): SessionRow {
  const local = instantToZoned(new Date(r.startsAt), r.timeZone);
  return {
    ...r,
    startsAt: new Date(r.startsAt),
    localDay: local.day,
    localTime: local.time,
    seatsTaken: Number(r.seatsTaken),
    waitlisted: Number(r.waitlisted),
  };
}

/** The program's sessions in time order (one query, at most `limit`, 500); `trainerUserId` keeps a trainer's own. */
export async function listSessions(
  db: DB,
  programId: string,
  options: { trainerUserId?: string; limit?: number; newestFirst?: boolean; withoutCancelled?: boolean } = {},
): Promise<SessionRow[]> {
  let query = sessionsQuery(db, programId);
  if (options.trainerUserId) query = query.where("s.trainer_user_id", "=", options.trainerUserId);
  if (options.withoutCancelled) query = query.where("s.state", "<>", "cancelled");
  const rows = await query
    .orderBy("s.starts_at", options.newestFirst ? "desc" : "asc")
    .orderBy("s.id")
    .limit(options.limit ?? 500)
    .execute();
  return rows.map(toSession);
}

export const SESSION_SORTS = ["when", "module", "trainer", "state"] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];
/** The schedule's URL state (~/utils/list-params): `period` is upcoming / past (empty: all). */
export const SESSION_LIST_SPEC: ListSpec<SessionSort> = {
  sorts: SESSION_SORTS,
  defaultSort: "when",
  filters: ["period", "state"],
};

/**
 * One page of the program's sessions (the PLO's schedule, or a trainer's own with
 * `trainerUserId`), searched by module, place and trainer, filtered by period and state: two
 * queries whatever the number of sessions.
 */
export async function pageSessions(
  db: DB,
  programId: string,
  params: ListParams<SessionSort>,
  options: { trainerUserId?: string; now?: Date } = {},
): Promise<Page<SessionRow>> {
  let query = sessionsQuery(db, programId);
  if (options.trainerUserId) query = query.where("s.trainer_user_id", "=", options.trainerUserId);
  const now = options.now ?? new Date();
  if (params.filters.period === "upcoming") query = query.where("s.starts_at", ">=", now);
  else if (params.filters.period === "past") query = query.where("s.starts_at", "<", now);
  const state = params.filters.state;
  if (state && (TRAINING_SESSION_STATES as readonly string[]).includes(state))
    query = query.where("s.state", "=", state as TrainingSessionState);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("m.title", "ilike", like), eb("s.location", "ilike", like), eb("u.name", "ilike", like)]));
  }
  const dir = params.dir;
  switch (params.sort) {
    case "module":
      query = query.orderBy(sql`lower(m.title)`, dir).orderBy("s.starts_at");
      break;
    case "trainer":
      query = query.orderBy(sql`lower(u.name) ${sql.raw(dir)} nulls last`).orderBy("s.starts_at");
      break;
    case "state":
      query = query.orderBy("s.state", dir).orderBy("s.starts_at");
      break;
    default:
      query = query.orderBy("s.starts_at", dir);
  }
  const page = await fetchPage(query.orderBy("s.id"), params);
  return { ...page, rows: page.rows.map(toSession) };
}

export async function getSession(db: DB, programId: string, sessionId: string): Promise<SessionRow> {
  const row = await sessionsQuery(db, programId).where("s.id", "=", sessionId).executeTakeFirst();
  if (!row) throw new NotFoundError("This training session does not exist in the program.");
  return toSession(row);
}

export async function listRoster(db: DB, sessionId: string): Promise<RosterRow[]> {
  return db
    .selectFrom("enablement_roster as r")
    .innerJoin("people as p", "p.id", "r.person_id")
    .select(["p.id as personId", "p.name", "p.email", "p.external_id as externalId", "r.status"])
    .where("r.session_id", "=", sessionId)
    .orderBy(sql`case when r.status = 'waitlisted' then 1 else 0 end`)
    .orderBy("r.added_at")
    .orderBy("p.name")
    .execute();
}

async function trainerByEmail(trx: DB, email: string | null): Promise<{ id: string; name: string } | null> {
  if (!email) return null;
  const user = await trx.selectFrom("users").select(["id", "name", "active"]).where("email", "=", email).executeTakeFirst();
  if (!user || !user.active) throw FieldError.on("trainerEmail", "No active account with this email: the trainer needs an account.");
  return { id: user.id, name: user.name };
}

export async function createSession(db: DB, actor: Actor, programId: string, input: SessionInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const module = await requireModule(trx, programId, input.moduleId);
    const trainer = await trainerByEmail(trx, input.trainerEmail);
    // No state moves here: the stored heat map is only re-stamped (its version follows the audit's bump).
    const coverage = await coverageBefore(trx, programId, [], today());
    const id = crypto.randomUUID();
    const startsAt = zonedToInstant(input.date, input.time, input.timeZone);
    await trx
      .insertInto("enablement_sessions")
      .values({
        id,
        program_id: programId,
        module_id: module.id,
        starts_at: startsAt,
        duration_minutes: input.durationMinutes,
        time_zone: input.timeZone,
        location: input.location,
        url: input.url,
        trainer_user_id: trainer?.id ?? null,
        capacity: input.capacity,
        state: input.state,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.session_scheduled",
      entityType: "enablement_session",
      entityId: id,
      programId,
      summary: `Scheduled “${module.title}” on ${input.date} ${input.time} (${input.timeZone})${trainer ? ` with ${trainer.name}` : ""}`,
      details: { ...input },
    });
    await coverageAfter(trx, coverage);
    return id;
  });
}

async function lockSession(trx: DB, programId: string, sessionId: string) {
  const session = await trx
    .selectFrom("enablement_sessions as s")
    .innerJoin("enablement_modules as m", "m.id", "s.module_id")
    .select(["s.id", "s.module_id", "s.capacity", "s.state", "s.trainer_user_id", "s.starts_at", "s.time_zone", "m.title", "m.version"])
    .where("s.id", "=", sessionId)
    .where("s.program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!session) throw new NotFoundError("This training session does not exist in the program.");
  return session;
}

/** Promotes the waiting list into free seats and sets open/full; returns who was promoted. */
async function settleSeats(trx: DB, session: { id: string; capacity: number; state: TrainingSessionState }): Promise<string[]> {
  const { taken } = await trx
    .selectFrom("enablement_roster")
    .select(sql<number>`count(*)::int`.as("taken"))
    .where("session_id", "=", session.id)
    .where("status", "in", SEAT_STATUSES)
    .executeTakeFirstOrThrow();
  let promoted: string[] = [];
  const free = session.capacity - Number(taken);
  if (free > 0 && session.state !== "held" && session.state !== "cancelled") {
    const waiting = await trx
      .selectFrom("enablement_roster")
      .select("person_id")
      .where("session_id", "=", session.id)
      .where("status", "=", "waitlisted")
      .orderBy("added_at")
      .orderBy("person_id")
      .limit(free)
      .execute();
    promoted = waiting.map((w) => w.person_id);
    if (promoted.length > 0)
      await trx
        .updateTable("enablement_roster")
        .set({ status: "registered", updated_at: new Date() })
        .where("session_id", "=", session.id)
        .where("person_id", "in", promoted)
        .execute();
  }
  if (session.state === "open" || session.state === "full") {
    const next = Number(taken) + promoted.length >= session.capacity ? "full" : "open";
    if (next !== session.state)
      await trx.updateTable("enablement_sessions").set({ state: next, updated_at: new Date() }).where("id", "=", session.id).execute();
  }
  return promoted;
}

export async function setSessionState(
  db: DB,
  actor: Actor,
  programId: string,
  sessionId: string,
  state: TrainingSessionState,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const session = await lockSession(trx, programId, sessionId);
    if (session.state === state) return;
    const coverage = await coverageBefore(trx, programId, [], today());
    await trx.updateTable("enablement_sessions").set({ state, updated_at: new Date() }).where("id", "=", sessionId).execute();
    if (state === "open" || state === "full") await settleSeats(trx, { id: sessionId, capacity: session.capacity, state });
    await recordAudit(trx, {
      actor,
      action: "enablement.session_state_changed",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: `“${session.title}” session: ${session.state} → ${state}`,
      details: { from: session.state, to: state },
    });
    await coverageAfter(trx, coverage);
  });
}

/** Adds people to the roster: seats first (as `status`), the rest on the waiting list. */
async function addToRoster(
  trx: DB,
  session: { id: string; capacity: number },
  personIds: readonly string[],
  status: "invited" | "registered",
): Promise<{ seated: number; waitlisted: number }> {
  if (personIds.length === 0) return { seated: 0, waitlisted: 0 };
  const { taken } = await trx
    .selectFrom("enablement_roster")
    .select(sql<number>`count(*)::int`.as("taken"))
    .where("session_id", "=", session.id)
    .where("status", "in", SEAT_STATUSES)
    .executeTakeFirstOrThrow();
  const free = Math.max(0, session.capacity - Number(taken));
  const now = Date.now();
  const rows = personIds.map((personId, i) => ({
    session_id: session.id,
    person_id: personId,
    status: (i < free ? status : "waitlisted") as RosterStatus,
    // Distinct instants keep the waiting list in the order people were added.
    added_at: new Date(now + i),
  }));
  for (let i = 0; i < rows.length; i += 2000)
    await trx
      .insertInto("enablement_roster")
      .values(rows.slice(i, i + 2000))
      .execute();
  const seated = Math.min(free, personIds.length);
  return { seated, waitlisted: personIds.length - seated };
}

export interface InviteResult {
  invited: number;
  waitlisted: number;
  /** People of the audience who already meet the requirement (or are waived): left out. */
  alreadyMet: number;
  /** People already on this session's roster: left out. */
  alreadyOnRoster: number;
}

/**
 * Invites in bulk the people of an audience (optionally of one wave or unit) who still need the
 * session's module: those who meet it or are waived are left out, as are people already on the
 * roster. Seats first, then the waiting list. One audit event.
 */
export async function inviteToSession(
  db: DB,
  actor: Actor,
  programId: string,
  sessionId: string,
  input: InviteInput,
  today: Day,
): Promise<InviteResult> {
  return inTransaction(db, async (trx) => {
    const session = await lockSession(trx, programId, sessionId);
    if (session.state === "held" || session.state === "cancelled")
      throw FieldError.on("_form", `This session is ${session.state}: nobody can be invited.`);
    const coverage = await coverageBefore(trx, programId, [], today);
    if (input.waveId) {
      const wave = await trx
        .selectFrom("waves")
        .select("id")
        .where("id", "=", input.waveId)
        .where("program_id", "=", programId)
        .executeTakeFirst();
      if (!wave) throw FieldError.on("waveId", "Choose one of this program's waves.");
    }
    const states = await listStates(trx, programId, today, {
      moduleIds: [session.module_id],
      audiences: [input.audience],
      waveId: input.waveId ?? undefined,
      unitId: input.unitId ?? undefined,
    });
    const need = new Set<string>();
    const met = new Set<string>();
    for (const s of states) (s.state === "met" || s.state === "waived" ? met : need).add(s.personId);
    for (const p of need) met.delete(p);
    const onRoster = new Set(
      (await trx.selectFrom("enablement_roster").select("person_id").where("session_id", "=", sessionId).execute()).map((r) => r.person_id),
    );
    let candidates = [...need].filter((p) => !onRoster.has(p));
    const alreadyOnRoster = need.size - candidates.length;
    if (input.limit !== null) candidates = candidates.slice(0, input.limit);
    const { seated, waitlisted } = await addToRoster(trx, session, candidates, "invited");
    await settleSeats(trx, { id: sessionId, capacity: session.capacity, state: session.state });
    await recordAudit(trx, {
      actor,
      action: "enablement.session_invited",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: `Invited ${seated} to “${session.title}” (${waitlisted} on the waiting list, ${met.size} already met)`,
      details: { ...input, invited: seated, waitlisted, alreadyMet: met.size, alreadyOnRoster },
    });
    await coverageAfter(trx, coverage);
    return { invited: seated, waitlisted, alreadyMet: met.size, alreadyOnRoster };
  });
}

/** Registers one person (by email) for a session; waiting list when full. Returns their status. */
export async function registerPerson(db: DB, actor: Actor, programId: string, sessionId: string, email: string): Promise<RosterStatus> {
  return inTransaction(db, async (trx) => {
    const session = await lockSession(trx, programId, sessionId);
    if (session.state === "held" || session.state === "cancelled") throw FieldError.on("email", `This session is ${session.state}.`);
    const coverage = await coverageBefore(trx, programId, [], today());
    const person = await personByEmail(trx, email);
    const existing = await trx
      .selectFrom("enablement_roster")
      .select("status")
      .where("session_id", "=", sessionId)
      .where("person_id", "=", person.id)
      .executeTakeFirst();
    if (existing) throw FieldError.on("email", `${person.name} is already on the roster.`);
    const { seated } = await addToRoster(trx, session, [person.id], "registered");
    await settleSeats(trx, { id: sessionId, capacity: session.capacity, state: session.state });
    const status: RosterStatus = seated ? "registered" : "waitlisted";
    await recordAudit(trx, {
      actor,
      action: "enablement.roster_added",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: `${person.name} ${status === "registered" ? "registered for" : "is on the waiting list of"} “${session.title}”`,
      details: { personId: person.id, status },
    });
    await coverageAfter(trx, coverage);
    return status;
  });
}

/**
 * Someone cannot come: excused (kept on the roster, the seat freed). The first on the waiting
 * list gets the seat. Returns the ids of the people promoted.
 */
export async function excusePerson(db: DB, actor: Actor, programId: string, sessionId: string, personId: string): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const session = await lockSession(trx, programId, sessionId);
    const row = await trx
      .selectFrom("enablement_roster as r")
      .innerJoin("people as p", "p.id", "r.person_id")
      .select(["r.status", "p.name"])
      .where("r.session_id", "=", sessionId)
      .where("r.person_id", "=", personId)
      .executeTakeFirst();
    if (!row) throw FieldError.on("personId", "This person is not on the roster.");
    const coverage = await coverageBefore(trx, programId, [personId], today());
    await trx
      .updateTable("enablement_roster")
      .set({ status: "excused", updated_at: new Date() })
      .where("session_id", "=", sessionId)
      .where("person_id", "=", personId)
      .execute();
    await trx.deleteFrom("enablement_completions").where("session_id", "=", sessionId).where("person_id", "=", personId).execute();
    const promoted = await settleSeats(trx, { id: sessionId, capacity: session.capacity, state: session.state });
    await recordAudit(trx, {
      actor,
      action: "enablement.roster_excused",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: `${row.name} excused from “${session.title}”${promoted.length ? ` (${promoted.length} moved up from the waiting list)` : ""}`,
      details: { personId, from: row.status, promoted },
    });
    await coverageAfter(trx, coverage);
    return promoted;
  });
}

/** Throws unless the viewer may mark this session's attendance (the PLO, or its own trainer). */
export function assertMayMark(viewer: SessionViewer, session: { trainer_user_id: string | null } | { trainerUserId: string | null }): void {
  const trainer = "trainer_user_id" in session ? session.trainer_user_id : session.trainerUserId;
  if (!viewer.manage && trainer !== viewer.userId)
    throw new ForbiddenError("Only the PLO or this session's trainer may mark its attendance.");
}

export interface AttendanceResult {
  attended: number;
  noShow: number;
  excused: number;
}

/**
 * Marks the class list in one go: the people ticked present attended (a completion each), the
 * excused stay excused, everyone else on the roster (except the waiting list) is a no-show.
 * The session becomes "held".
 */
export async function markAttendance(
  db: DB,
  viewer: SessionViewer,
  actor: Actor,
  programId: string,
  sessionId: string,
  input: AttendanceInput,
): Promise<AttendanceResult> {
  return inTransaction(db, async (trx) => {
    const session = await lockSession(trx, programId, sessionId);
    assertMayMark(viewer, session);
    if (session.state === "cancelled") throw FieldError.on("_form", "This session was cancelled: no attendance to mark.");
    const roster = await trx.selectFrom("enablement_roster").select(["person_id", "status"]).where("session_id", "=", sessionId).execute();
    const onRoster = new Set(roster.map((r) => r.person_id));
    // Attendance gives and takes completions of the roster: the stored heat map follows them (ADR 0014).
    const coverage = await coverageBefore(trx, programId, [...onRoster], today());
    const unknown = [...input.present, ...input.excused].filter((p) => !onRoster.has(p));
    if (unknown.length > 0) throw FieldError.on("present", "Some ticked people are not on this session's roster. Reload the list.");
    const present = new Set(
      input.allPresent ? roster.filter((r) => r.status !== "waitlisted" && r.status !== "excused").map((r) => r.person_id) : input.present,
    );
    const excused = new Set(input.excused.filter((p) => !present.has(p)));
    const next = new Map<string, RosterStatus>();
    for (const r of roster) {
      if (present.has(r.person_id)) next.set(r.person_id, "attended");
      else if (excused.has(r.person_id) || r.status === "excused") next.set(r.person_id, "excused");
      else if (r.status === "waitlisted") next.set(r.person_id, "waitlisted");
      else next.set(r.person_id, "no_show");
    }
    await applyStatuses(trx, sessionId, next);
    const attended = [...next].filter(([, s]) => s === "attended").map(([p]) => p);
    await syncAttendanceCompletions(trx, session, attended, viewer.userId);
    await trx.updateTable("enablement_sessions").set({ state: "held", updated_at: new Date() }).where("id", "=", sessionId).execute();
    const result = {
      attended: attended.length,
      noShow: [...next.values()].filter((s) => s === "no_show").length,
      excused: [...next.values()].filter((s) => s === "excused").length,
    };
    await recordAudit(trx, {
      actor,
      action: "enablement.attendance_marked",
      entityType: "enablement_session",
      entityId: sessionId,
      programId,
      summary: `Marked attendance of “${session.title}”: ${result.attended} attended, ${result.noShow} no-show, ${result.excused} excused`,
      details: { ...result },
    });
    await coverageAfter(trx, coverage);
    return result;
  });
}

/** Writes roster statuses in one statement. */
export async function applyStatuses(trx: DB, sessionId: string, statuses: Map<string, RosterStatus>): Promise<void> {
  if (statuses.size === 0) return;
  const entries = [...statuses];
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    await sql`update enablement_roster set status = v.status, updated_at = now()
      from (values ${sql.join(chunk.map(([p, s]) => sql`(${p}, ${s})`))}) as v(person_id, status)
      where enablement_roster.session_id = ${sessionId} and enablement_roster.person_id = v.person_id
        and enablement_roster.status is distinct from v.status`.execute(trx);
  }
}

/** One attendance completion per attendee of the session; removes the ones of people no longer attended. */
export async function syncAttendanceCompletions(
  trx: DB,
  session: { id: string; module_id: string; version: number; starts_at: Date | string; time_zone: string },
  attended: readonly string[],
  recordedBy: string | null,
): Promise<void> {
  const day = instantToZoned(new Date(session.starts_at), session.time_zone).day;
  let remove = trx.deleteFrom("enablement_completions").where("session_id", "=", session.id);
  if (attended.length > 0) remove = remove.where("person_id", "not in", attended);
  await remove.execute();
  for (let i = 0; i < attended.length; i += 2000) {
    await trx
      .insertInto("enablement_completions")
      .values(
        attended.slice(i, i + 2000).map((personId) => ({
          id: crypto.randomUUID(),
          person_id: personId,
          module_id: session.module_id,
          module_version: session.version,
          completed_on: day,
          source: "attendance" as const,
          evidence: "Attended the session",
          session_id: session.id,
          recorded_by: recordedBy,
        })),
      )
      .onConflict((oc) => oc.columns(["session_id", "person_id"]).where("session_id", "is not", null).doNothing())
      .execute();
  }
}

export { lockSession };
