import { registerCalendarSource, type CalendarSource } from "~/models/cycles/calendar-feed.server";
import type { DB } from "~/utils/db.server";

// Training sessions for a user's calendar feed (the OKR cycles' iCal feed adds them, see
// `trainingCalendarSource` below): the sessions they train and the ones they are on the roster of
// (invited, registered, waiting or attended), cancelled ones left out. One query.

export interface TrainingEvent {
  /** Stable across feeds: `training-<session id>@rollout-desk`. */
  uid: string;
  sessionId: string;
  title: string;
  start: Date;
  end: Date;
  location: string;
  url: string;
  programId: string;
  /** "trainer" or the person's roster status. */
  role: string;
}

export async function trainingEventsFor(db: DB, userId: string): Promise<TrainingEvent[]> {
  const rows = await db
    .selectFrom("enablement_sessions as s")
    .innerJoin("enablement_modules as m", "m.id", "s.module_id")
    .leftJoin("enablement_roster as r", (join) =>
      join
        .onRef("r.session_id", "=", "s.id")
        .on("r.person_id", "in", (eb) => eb.selectFrom("people").select("id").where("user_id", "=", userId))
        .on("r.status", "in", ["invited", "registered", "waitlisted", "attended"]),
    )
    .select([
      "s.id",
      "s.program_id as programId",
      "m.title",
      "s.starts_at",
      "s.duration_minutes",
      "s.location",
      "s.url",
      "s.trainer_user_id",
      "r.status",
    ])
    .where("s.state", "!=", "cancelled")
    .where((eb) => eb.or([eb("s.trainer_user_id", "=", userId), eb("r.person_id", "is not", null)]))
    .orderBy("s.starts_at")
    .orderBy("s.id")
    .execute();
  const seen = new Set<string>();
  const events: TrainingEvent[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const start = new Date(r.starts_at);
    events.push({
      uid: `training-${r.id}@rollout-desk`,
      sessionId: r.id,
      title: r.trainer_user_id === userId ? `Training (you train): ${r.title}` : `Training: ${r.title}`,
      start,
      end: new Date(start.getTime() + r.duration_minutes * 60_000),
      location: r.location,
      url: r.url,
      programId: r.programId,
      role: r.trainer_user_id === userId ? "trainer" : (r.status ?? "invited"),
    });
  }
  return events;
}

const ROLE_WORDS: Record<string, string> = {
  trainer: "You train this session.",
  invited: "You are invited.",
  registered: "You are registered.",
  waitlisted: "You are on the waiting list.",
  attended: "You attended.",
};

/**
 * The user's training sessions in their iCal feed (within the feed's window), at their instant:
 * a trainer's link opens the session, a participant's their own training page.
 */
export const trainingCalendarSource: CalendarSource = async (db, user, window) => {
  const events = await trainingEventsFor(db, user.id);
  const from = new Date(`${window.from}T00:00:00Z`).getTime();
  const to = new Date(`${window.to}T23:59:59Z`).getTime();
  return events
    .filter((e) => e.start.getTime() >= from && e.start.getTime() <= to)
    .map((e) => ({
      uid: e.uid,
      day: e.start.toISOString().slice(0, 10),
      startsAt: null,
      durationMinutes: Math.round((e.end.getTime() - e.start.getTime()) / 60_000),
      summary: e.title,
      description: [ROLE_WORDS[e.role] ?? "", e.url ? `Join: ${e.url}` : ""].filter(Boolean).join("\n"),
      location: e.location || e.url,
      status: "planned" as const,
      path:
        e.role === "trainer" ? `/programs/${e.programId}/enablement/sessions/${e.sessionId}` : `/programs/${e.programId}/enablement/mine`,
      instant: { start: e.start, end: e.end },
    }));
};

registerCalendarSource("training", trainingCalendarSource);
