import { changedFields, recordAudit } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  NOT_A_COACH_MESSAGE,
  NOT_ASSIGNED_MESSAGE,
  SESSION_TYPE_LABELS,
  UNKNOWN_COACH_MESSAGE,
  UNKNOWN_TEAM_MESSAGE,
  type SessionInput,
} from "~/validation/sessions";
import { FieldError, ForbiddenError } from "~/models/errors";
import type { CoachingViewer } from "~/models/coaching/viewer.server";
import { requireEventNear } from "~/models/cycles/cycles.server";

// Writing support sessions: logging, editing, deleting and undoing — a coach only their own, and
// only for a team they coach on that date; the PLO for any coach. Reading them is in
// session-history.server.ts, a coach's teams and next steps in my-teams.server.ts.

const actorOf = (viewer: CoachingViewer) => ({ id: viewer.userId, name: viewer.name });

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
    const changed = changedFields(sessionAuditView(before), sessionAuditView(after));
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
 * within that many milliseconds of logging (a FieldError on "_form" afterwards).
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
