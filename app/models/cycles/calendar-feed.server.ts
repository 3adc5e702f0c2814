import { createHash, randomBytes } from "node:crypto";
import ical, { ICalEventStatus } from "ical-generator";
import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { addDays, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { CYCLE_EVENT_KIND_LABELS, CYCLE_EVENT_STATE_LABELS } from "~/validation/cycles";

// The iCal feed (RFC 5545) a calendar client subscribes to: one secret URL per user,
// /calendar/<secret>.ics. Only the SHA-256 of the secret is stored (like session ids, ADR 0003),
// so the URL is shown once, when it is made; revoking it makes it a 404 at once, and a new one
// can be made at any time (it revokes the previous one).
//
// What the feed holds comes from calendar sources. The cycles area registers the OKR cycle events
// of the teams and programs the user is involved in; another area adds its own with
// `registerCalendarSource`, e.g. enablement's training sessions:
//
//   registerCalendarSource("training", async (db, user, window) => [...FeedEvent]);
//
//   registerCalendarSource(name: string, source: CalendarSource): void
//   type CalendarSource = (db: DB, user: FeedUser, window: { from: Day; to: Day }) => Promise<FeedEvent[]>
//   FeedUser = { id, name, role, personId }   FeedEvent = see below
//
// A source must answer in a bounded number of queries, whatever the user's involvement.

/** The feed's owner, as sources see them. */
export interface FeedUser {
  id: string;
  name: string;
  role: Role;
  /** The person record linked to the account, if any. */
  personId: string | null;
}

export interface FeedEvent {
  /** Stable across feeds and edits: calendar clients update an event with the same uid. */
  uid: string;
  day: Day;
  /** 'HH:MM' local time; null: an all-day event. */
  startsAt: string | null;
  durationMinutes: number | null;
  summary: string;
  description: string;
  location: string;
  status: "planned" | "held" | "cancelled";
  /** A path of the app (e.g. /programs/…/cycles/…), made absolute with the feed's origin. */
  path: string | null;
  /**
   * For an event planned at an instant in a time zone (a training session): its start and end,
   * written in UTC. Without it the event is on `day` at `startsAt` on every reader's clock.
   */
  instant?: { start: Date; end: Date };
}

export type CalendarSource = (db: DB, user: FeedUser, window: { from: Day; to: Day }) => Promise<FeedEvent[]>;

const sources = new Map<string, CalendarSource>();

/** Adds (or replaces) a named source of feed events. */
export function registerCalendarSource(name: string, source: CalendarSource): void {
  sources.set(name, source);
}

/** The days a feed covers around `today`: two months back, a year ahead. */
export function feedWindow(today: Day): { from: Day; to: Day } {
  return { from: addDays(today, -62), to: addDays(today, 366) };
}

// ----- Tokens -----

export function hashFeedSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface FeedTokenState {
  active: { id: string; createdAt: Date } | null;
  revokedCount: number;
}

export async function feedTokenState(db: DB, userId: string): Promise<FeedTokenState> {
  const rows = await db
    .selectFrom("calendar_feed_tokens")
    .select(["id", "created_at as createdAt", "revoked_at as revokedAt"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(50)
    .execute();
  const active = rows.find((r) => r.revokedAt === null);
  return {
    active: active ? { id: active.id, createdAt: active.createdAt } : null,
    revokedCount: rows.filter((r) => r.revokedAt !== null).length,
  };
}

/** Makes a new secret for the user's feed (revoking any previous one); returns the secret, shown once. */
export async function createFeedToken(db: DB, user: { id: string; name: string }): Promise<{ secret: string }> {
  const secret = randomBytes(24).toString("base64url");
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("calendar_feed_tokens")
      .set({ revoked_at: new Date() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    const id = crypto.randomUUID();
    await trx
      .insertInto("calendar_feed_tokens")
      .values({ id, user_id: user.id, secret_hash: hashFeedSecret(secret) })
      .execute();
    await recordAudit(trx, {
      actor: user,
      action: "calendar_feed.created",
      entityType: "calendar_feed",
      entityId: id,
      summary: `${user.name} made a new calendar feed address`,
    });
  });
  return { secret };
}

/** Revokes the user's feed address; true when there was one. */
export async function revokeFeedTokens(db: DB, user: { id: string; name: string }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const revoked = await trx
      .updateTable("calendar_feed_tokens")
      .set({ revoked_at: new Date() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .returning("id")
      .execute();
    if (revoked.length === 0) return false;
    await recordAudit(trx, {
      actor: user,
      action: "calendar_feed.revoked",
      entityType: "calendar_feed",
      entityId: revoked[0].id,
      summary: `${user.name} revoked their calendar feed address`,
    });
    return true;
  });
}

/** The active account whose unrevoked feed secret this is, or null. */
export async function userForFeedSecret(db: DB, secret: string): Promise<FeedUser | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(secret)) return null;
  const row = await db
    .selectFrom("calendar_feed_tokens as f")
    .innerJoin("users as u", "u.id", "f.user_id")
    .leftJoin("people as p", "p.user_id", "u.id")
    .select(["u.id", "u.name", "u.role", "p.id as personId"])
    .where("f.secret_hash", "=", hashFeedSecret(secret))
    .where("f.revoked_at", "is", null)
    .where("u.active", "=", true)
    .executeTakeFirst();
  return row ?? null;
}

// ----- The cycles' source -----

/**
 * OKR cycle events of the user's involvement, in one query: those they facilitate; for the PLO
 * and admins every event of the running programs, for sponsors their all-teams events; for team
 * leads, members and coaches the events of the teams they lead, belong to or coach on that day.
 */
export const cycleEventsSource: CalendarSource = async (db, user, window) => {
  const broad = user.role === "admin" || user.role === "plo";
  const sponsor = user.role === "sponsor";
  const person = user.personId ?? "";
  const { rows } = await sql<{
    id: string;
    kind: keyof typeof CYCLE_EVENT_KIND_LABELS;
    title: string;
    occursOn: Day;
    startsAt: string | null;
    durationMinutes: number | null;
    location: string;
    state: "planned" | "held" | "cancelled";
    notes: string;
    cycleId: string;
    cycleName: string;
    programId: string;
    programName: string;
    facilitator: string | null;
  }>`
    with recursive mine as (
      -- Teams the user leads or belongs to take part in every program; coached ones in the assignment's.
      select null::text as program_id, t.id as team_id, t.unit_id, null::date as from_day, null::date as to_day
      from teams t
      where ${person} <> '' and t.archived_at is null
        and (t.lead_person_id = ${person} or t.id = (select team_id from people where id = ${person}))
      union all
      select a.program_id, a.team_id, t.unit_id, a.starts_on, a.ends_on
      from coach_assignments a
      join coaches c on c.id = a.coach_id
      join teams t on t.id = a.team_id
      where c.person_id = ${person}
    ),
    up(unit_id, ancestor_id, depth) as (
      select distinct unit_id, unit_id, 0 from mine
      union all
      select up.unit_id, u.parent_id, up.depth + 1 from up join org_units u on u.id = up.ancestor_id
      where u.parent_id is not null and up.depth < 20
    )
    select e.id, e.kind, e.title, e.occurs_on as "occursOn", e.starts_at as "startsAt", e.duration_minutes as "durationMinutes",
           e.location, e.state, e.notes, c.id as "cycleId", c.name as "cycleName", pr.id as "programId", pr.name as "programName",
           f.name as facilitator
    from cycle_events e
    join cycles c on c.id = e.cycle_id
    join programs pr on pr.id = e.program_id
    left join users f on f.id = e.facilitator_user_id
    where e.occurs_on between ${window.from} and ${window.to}
      and (
        e.facilitator_user_id = ${user.id}
        or (${broad} and pr.status in ('planned', 'active', 'paused'))
        or (${sponsor} and e.scope = 'all' and pr.status in ('planned', 'active', 'paused'))
        or exists (
          select 1 from mine m
          where (m.program_id is null or m.program_id = e.program_id)
            and (m.from_day is null or (m.from_day <= e.occurs_on and (m.to_day is null or m.to_day >= e.occurs_on)))
            and (e.scope = 'all'
              or (e.scope = 'wave' and exists (
                select 1 from program_teams pt where pt.program_id = e.program_id and pt.team_id = m.team_id and pt.wave_id = e.wave_id))
              or (e.scope = 'unit' and e.unit_id in (select ancestor_id from up where up.unit_id = m.unit_id))))
      )
    order by e.occurs_on, e.starts_at, e.id
    limit 3000`.execute(db);
  return rows.map((e) => ({
    uid: `cycle-event-${e.id}`,
    day: e.occursOn,
    startsAt: e.startsAt,
    durationMinutes: e.durationMinutes,
    summary: `${e.title || CYCLE_EVENT_KIND_LABELS[e.kind]} · ${e.cycleName}`,
    description: [
      `${e.programName}, cycle ${e.cycleName}: ${CYCLE_EVENT_KIND_LABELS[e.kind]} (${CYCLE_EVENT_STATE_LABELS[e.state].toLowerCase()})`,
      e.facilitator ? `Facilitator: ${e.facilitator}` : "",
      e.notes,
    ]
      .filter(Boolean)
      .join("\n"),
    location: e.location,
    status: e.state,
    path: `/programs/${e.programId}/cycles/${e.cycleId}`,
  }));
};

registerCalendarSource("cycles", cycleEventsSource);

// ----- The feed -----

function localDate(day: Day, time: string | null): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time ? time.split(":").map(Number) : [0, 0];
  return new Date(y, m - 1, d, hh, mm);
}

/** The user's whole feed as an RFC 5545 text, from every registered source. */
export async function renderFeed(db: DB, user: FeedUser, today: Day, origin: string): Promise<string> {
  const window = feedWindow(today);
  const lists = await Promise.all([...sources.values()].map((source) => source(db, user, window)));
  const calendar = ical({
    name: `Rollout Desk · ${user.name}`,
    prodId: { company: "Rollout Desk", product: "Calendar feed", language: "EN" },
    ttl: 60 * 60,
  });
  for (const event of lists.flat()) {
    if (event.instant) {
      calendar.createEvent({
        id: event.uid,
        start: event.instant.start,
        end: event.instant.end,
        summary: event.summary,
        description: event.description,
        location: event.location || null,
        status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        url: event.path ? `${origin}${event.path}` : null,
      });
      continue;
    }
    const allDay = event.startsAt === null;
    const start = localDate(event.day, event.startsAt);
    const end = allDay ? localDate(addDays(event.day, 1), null) : new Date(start.getTime() + (event.durationMinutes ?? 60) * 60_000);
    calendar.createEvent({
      id: event.uid,
      start,
      end,
      allDay,
      floating: true,
      summary: event.summary,
      description: event.description,
      location: event.location || null,
      status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: event.path ? `${origin}${event.path}` : null,
    });
  }
  return calendar.toString();
}
