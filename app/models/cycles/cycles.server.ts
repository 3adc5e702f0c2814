import { sql, type RawBuilder } from "kysely";
import type { CycleEventKind, CycleEventScope, CycleEventState, CycleState } from "../../../db/schema";
import { CYCLE_STATES } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, isUniqueViolation, NotFoundError } from "~/models/errors";
import { addDays, daysBetween, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { CYCLE_EVENT_KIND_LABELS, CYCLE_STATE_LABELS, type CycleInput, type EventInput, type NewCycleInput } from "~/validation/cycles";
import { actorOf, type OkrViewer } from "./access.server";

// A program's OKR cycles and their calendar. A cycle moves planning → drafting → aligning →
// executing → reviewing → closed (one step at a time, forward or back, by the PLO). New cycles
// get the standard events (the template below, relative to the start); "next cycle" copies the
// previous one's settings and events, shifted by its length, in one step. Events are for all
// teams of the program, or the teams of one wave, or of one unit (and the units below it).

export const DUPLICATE_CYCLE_MESSAGE = "This program already has a cycle with this name.";
export const UNKNOWN_WAVE_MESSAGE = "Choose one of this program's waves.";
export const UNKNOWN_UNIT_MESSAGE = "Choose one of the organization's units.";
export const NO_FACILITATOR_MESSAGE = "No active account with this email.";

export interface CycleRow {
  id: string;
  programId: string;
  name: string;
  startsOn: Day;
  endsOn: Day;
  state: CycleState;
  checkinCadenceDays: number;
  maxObjectives: number;
  previousCycleId: string | null;
  version: number;
}

function cycleQuery(db: DB) {
  return db
    .selectFrom("cycles")
    .select([
      "id",
      "program_id as programId",
      "name",
      "starts_on as startsOn",
      "ends_on as endsOn",
      "state",
      "checkin_cadence_days as checkinCadenceDays",
      "max_objectives as maxObjectives",
      "previous_cycle_id as previousCycleId",
      "version",
    ]);
}

/** The program's cycles, latest first. */
export async function listCycles(db: DB, programId: string): Promise<CycleRow[]> {
  return cycleQuery(db).where("program_id", "=", programId).orderBy("starts_on", "desc").orderBy("name").execute();
}

export const CYCLE_NOT_FOUND_MESSAGE = "This cycle does not exist in this program (or was deleted).";

export async function getCycle(db: DB, programId: string, id: string): Promise<CycleRow> {
  const cycle = await cycleQuery(db).where("program_id", "=", programId).where("id", "=", id).executeTakeFirst();
  if (!cycle) throw new NotFoundError(CYCLE_NOT_FOUND_MESSAGE);
  return cycle;
}

/** The cycle that runs on `today`, else the next one to start, else the latest; null without cycles. */
export async function currentCycle(db: DB, programId: string, today: Day): Promise<CycleRow | null> {
  const row = await cycleQuery(db)
    .where("program_id", "=", programId)
    .orderBy(sql`case when starts_on <= ${today} and ends_on >= ${today} then 0 when starts_on > ${today} then 1 else 2 end`)
    .orderBy(sql`case when starts_on > ${today} then starts_on end`, "asc")
    .orderBy("starts_on", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

// ----- The event template -----

export interface TemplateEvent {
  kind: CycleEventKind;
  /** Days after the cycle's start (negative: before it); "end" counts back from the end. */
  offset: number;
  from: "start" | "end";
  startsAt: string | null;
  durationMinutes: number | null;
}

/** The standard calendar of a cycle; check-ins are added every `cadence` days between alignment and scoring. */
export const EVENT_TEMPLATE: TemplateEvent[] = [
  { kind: "priorities", offset: -14, from: "start", startsAt: "10:00", durationMinutes: 60 },
  { kind: "drafting_workshop", offset: -7, from: "start", startsAt: "09:30", durationMinutes: 180 },
  { kind: "alignment", offset: 0, from: "start", startsAt: "14:00", durationMinutes: 90 },
  { kind: "scoring", offset: -7, from: "end", startsAt: "10:00", durationMinutes: 60 },
  { kind: "retrospective", offset: -2, from: "end", startsAt: "14:00", durationMinutes: 90 },
];

/** The template's events for a cycle (dates only; all teams, planned). */
export function templateEvents(cycle: { startsOn: Day; endsOn: Day; checkinCadenceDays: number }) {
  const events: Array<{ kind: CycleEventKind; occursOn: Day; startsAt: string | null; durationMinutes: number | null }> = [];
  for (const t of EVENT_TEMPLATE) {
    events.push({
      kind: t.kind,
      occursOn: addDays(t.from === "start" ? cycle.startsOn : cycle.endsOn, t.offset),
      startsAt: t.startsAt,
      durationMinutes: t.durationMinutes,
    });
  }
  const length = daysBetween(cycle.startsOn, cycle.endsOn);
  events.push({
    kind: "mid_cycle_review",
    occursOn: addDays(cycle.startsOn, Math.floor(length / 2)),
    startsAt: "10:00",
    durationMinutes: 60,
  });
  const scoring = addDays(cycle.endsOn, -7);
  for (
    let d = addDays(cycle.startsOn, cycle.checkinCadenceDays), n = 0;
    d < scoring && n < 60;
    d = addDays(d, cycle.checkinCadenceDays), n++
  ) {
    events.push({ kind: "check_in", occursOn: d, startsAt: "09:15", durationMinutes: 30 });
  }
  return events.sort((a, b) => (a.occursOn < b.occursOn ? -1 : a.occursOn > b.occursOn ? 1 : 0));
}

// ----- Cycles -----

function requireManage(viewer: OkrViewer): void {
  if (!viewer.manage) throw new ForbiddenError("Only the Program Lead Office configures cycles.");
}

async function insertCycle(trx: DB, viewer: OkrViewer, programId: string, input: CycleInput, previousCycleId: string | null) {
  try {
    return await trx
      .insertInto("cycles")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        name: input.name,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        checkin_cadence_days: input.checkinCadenceDays,
        max_objectives: input.maxObjectives,
        previous_cycle_id: previousCycleId,
        created_by: viewer.userId,
      })
      .returning(["id", "name"])
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw FieldError.on("name", DUPLICATE_CYCLE_MESSAGE);
    throw error;
  }
}

async function nameTaken(trx: DB, programId: string, name: string, exceptId: string | null): Promise<boolean> {
  let q = trx
    .selectFrom("cycles")
    .select("id")
    .where("program_id", "=", programId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where("id", "<>", exceptId);
  return Boolean(await q.executeTakeFirst());
}

/** Creates a cycle (with the template's events when asked). */
export async function createCycle(db: DB, viewer: OkrViewer, programId: string, input: NewCycleInput): Promise<{ id: string }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    if (await nameTaken(trx, programId, input.name, null)) throw FieldError.on("name", DUPLICATE_CYCLE_MESSAGE);
    const created = await insertCycle(trx, viewer, programId, input, null);
    const events = input.template ? templateEvents(input) : [];
    if (events.length > 0) {
      await trx
        .insertInto("cycle_events")
        .values(
          events.map((e) => ({
            id: crypto.randomUUID(),
            cycle_id: created.id,
            program_id: programId,
            kind: e.kind,
            occurs_on: e.occursOn,
            starts_at: e.startsAt,
            duration_minutes: e.durationMinutes,
          })),
        )
        .execute();
    }
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle.created",
      entityType: "cycle",
      entityId: created.id,
      programId,
      summary: `Created cycle “${input.name}” (${input.startsOn} to ${input.endsOn})${events.length ? ` with ${events.length} standard events` : ""}`,
      details: { ...input, events: events.length },
    });
    return { id: created.id };
  });
}

/** Saves a cycle's name, dates and settings. */
export async function updateCycle(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  id: string,
  input: CycleInput & { version: number },
): Promise<void> {
  requireManage(viewer);
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("cycles")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This cycle does not exist in this program (or was deleted).");
    if (before.version !== input.version)
      throw new ConflictError("Someone else changed this cycle in the meantime.", await getCycle(trx, programId, id));
    if (await nameTaken(trx, programId, input.name, id)) throw FieldError.on("name", DUPLICATE_CYCLE_MESSAGE);
    await trx
      .updateTable("cycles")
      .set({
        name: input.name,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        checkin_cadence_days: input.checkinCadenceDays,
        max_objectives: input.maxObjectives,
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle.updated",
      entityType: "cycle",
      entityId: id,
      programId,
      summary: `Updated cycle “${input.name}”`,
      details: {
        before: {
          name: before.name,
          startsOn: before.starts_on,
          endsOn: before.ends_on,
          cadence: before.checkin_cadence_days,
          max: before.max_objectives,
        },
        after: {
          name: input.name,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          cadence: input.checkinCadenceDays,
          max: input.maxObjectives,
        },
      },
    });
  });
}

/** The states a cycle may move to from `state`: one step forward or back. */
export function nextCycleStates(state: CycleState): CycleState[] {
  const i = CYCLE_STATES.indexOf(state);
  return [CYCLE_STATES[i + 1], CYCLE_STATES[i - 1]].filter((s): s is CycleState => s !== undefined);
}

export async function changeCycleState(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  id: string,
  state: CycleState,
  version: number,
): Promise<{ name: string }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("cycles")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This cycle does not exist in this program (or was deleted).");
    if (before.version !== version)
      throw new ConflictError("Someone else changed this cycle in the meantime.", await getCycle(trx, programId, id));
    if (!nextCycleStates(before.state).includes(state))
      throw FieldError.on("state", `A ${CYCLE_STATE_LABELS[before.state].toLowerCase()} cycle can only move one step forward or back.`);
    await trx
      .updateTable("cycles")
      .set({ state, version: sql`version + 1`, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle.state_changed",
      entityType: "cycle",
      entityId: id,
      programId,
      summary: `Moved cycle “${before.name}” from ${CYCLE_STATE_LABELS[before.state]} to ${CYCLE_STATE_LABELS[state]}`,
      details: { state: { from: before.state, to: state } },
    });
    return { name: before.name };
  });
}

/** A name for the cycle after `name`: "2027-Q1" → "2027-Q2", "Q4 2026" → "Q1 2027", "Cycle 3" → "Cycle 4". */
export function suggestNextName(name: string): string {
  const quarter = /^(\d{4})([\s-]*)Q([1-4])$/i.exec(name.trim());
  if (quarter) {
    const [year, q] = [Number(quarter[1]), Number(quarter[3])];
    return q === 4 ? `${year + 1}${quarter[2]}Q1` : `${year}${quarter[2]}Q${q + 1}`;
  }
  const quarterFirst = /^Q([1-4])(\s+)(\d{4})$/i.exec(name.trim());
  if (quarterFirst) {
    const [q, year] = [Number(quarterFirst[1]), Number(quarterFirst[3])];
    return q === 4 ? `Q1${quarterFirst[2]}${year + 1}` : `Q${q + 1}${quarterFirst[2]}${year}`;
  }
  const numbered = /^(.*?)(\d+)$/.exec(name.trim());
  if (numbered) return `${numbered[1]}${Number(numbered[2]) + 1}`;
  return `${name.trim()} (next)`;
}

/**
 * The next cycle, in one step: it starts the day after `fromId` ends and lasts as long, keeps its
 * settings, and gets a copy of its events (planned again, same scope, facilitator and place)
 * shifted by the cycle's length.
 */
export async function createNextCycle(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  fromId: string,
  name: string,
): Promise<{ id: string; shiftDays: number }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    const from = await getCycle(trx, programId, fromId);
    if (await nameTaken(trx, programId, name, null)) throw FieldError.on("name", DUPLICATE_CYCLE_MESSAGE);
    const startsOn = addDays(from.endsOn, 1);
    const shiftDays = daysBetween(from.startsOn, startsOn);
    const endsOn = addDays(from.endsOn, shiftDays);
    const created = await insertCycle(
      trx,
      viewer,
      programId,
      { name, startsOn, endsOn, checkinCadenceDays: from.checkinCadenceDays, maxObjectives: from.maxObjectives },
      from.id,
    );
    const copied = await sql<{ n: number }>`
      with inserted as (
        insert into cycle_events (id, cycle_id, program_id, kind, title, occurs_on, starts_at, duration_minutes, scope, wave_id, unit_id,
                                  facilitator_user_id, location, state, notes)
        select gen_random_uuid()::text, ${created.id}, program_id, kind, title, occurs_on + ${shiftDays}::int, starts_at, duration_minutes,
               scope, wave_id, unit_id, facilitator_user_id, location, 'planned', ''
        from cycle_events where cycle_id = ${from.id} and state <> 'cancelled'
        returning 1)
      select count(*)::int as n from inserted`.execute(trx);
    const events = copied.rows[0]?.n ?? 0;
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle.created",
      entityType: "cycle",
      entityId: created.id,
      programId,
      summary: `Created cycle “${name}” after “${from.name}” (${startsOn} to ${endsOn}), ${events} events shifted by ${shiftDays} days`,
      details: { previousCycleId: from.id, startsOn, endsOn, shiftDays, events },
    });
    return { id: created.id, shiftDays };
  });
}

/** Deletes a cycle that has no objectives yet (a mistake); a cycle with OKRs is closed instead. */
export async function deleteCycle(db: DB, viewer: OkrViewer, programId: string, id: string): Promise<{ name: string }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    const cycle = await getCycle(trx, programId, id);
    const used = await trx.selectFrom("objectives").select("id").where("cycle_id", "=", id).limit(1).executeTakeFirst();
    if (used) throw FieldError.on("confirm", "This cycle has objectives: close it instead of deleting it.");
    await trx.deleteFrom("cycles").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle.deleted",
      entityType: "cycle",
      entityId: id,
      programId,
      summary: `Deleted cycle “${cycle.name}”`,
      details: { name: cycle.name, startsOn: cycle.startsOn, endsOn: cycle.endsOn },
    });
    return { name: cycle.name };
  });
}

// ----- Events -----

export interface EventRow {
  id: string;
  cycleId: string;
  cycleName: string;
  kind: CycleEventKind;
  title: string;
  /** The title, or the kind's label when it has none. */
  label: string;
  occursOn: Day;
  startsAt: string | null;
  durationMinutes: number | null;
  scope: CycleEventScope;
  waveId: string | null;
  waveName: string | null;
  unitId: string | null;
  unitName: string | null;
  facilitatorUserId: string | null;
  facilitatorName: string | null;
  facilitatorEmail: string | null;
  location: string;
  state: CycleEventState;
  notes: string;
  version: number;
}

function eventQuery(db: DB) {
  return db
    .selectFrom("cycle_events as e")
    .innerJoin("cycles as c", "c.id", "e.cycle_id")
    .leftJoin("waves as w", "w.id", "e.wave_id")
    .leftJoin("org_units as u", "u.id", "e.unit_id")
    .leftJoin("users as f", "f.id", "e.facilitator_user_id")
    .select([
      "e.id",
      "e.cycle_id as cycleId",
      "c.name as cycleName",
      "e.kind",
      "e.title",
      "e.occurs_on as occursOn",
      "e.starts_at as startsAt",
      "e.duration_minutes as durationMinutes",
      "e.scope",
      "e.wave_id as waveId",
      "w.name as waveName",
      "e.unit_id as unitId",
      "u.name as unitName",
      "e.facilitator_user_id as facilitatorUserId",
      "f.name as facilitatorName",
      "f.email as facilitatorEmail",
      "e.location",
      "e.state",
      "e.notes",
      "e.version",
    ]);
}

type EventBase = Omit<EventRow, "label">;
const labelled = (e: EventBase): EventRow => ({ ...e, label: e.title || CYCLE_EVENT_KIND_LABELS[e.kind] });

/** A cycle's events by date (one query). */
export async function listCycleEvents(db: DB, cycleId: string): Promise<EventRow[]> {
  const rows = await eventQuery(db)
    .where("e.cycle_id", "=", cycleId)
    .orderBy("e.occurs_on")
    .orderBy("e.starts_at")
    .orderBy("e.id")
    .execute();
  return rows.map(labelled);
}

export async function getEvent(db: DB, programId: string, cycleId: string, id: string): Promise<EventRow> {
  const row = await eventQuery(db)
    .where("e.id", "=", id)
    .where("e.cycle_id", "=", cycleId)
    .where("e.program_id", "=", programId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("This event does not exist in this cycle (or was deleted).");
  return labelled(row);
}

async function resolveEventRefs(trx: DB, programId: string, input: EventInput) {
  let waveId: string | null = null;
  let unitId: string | null = null;
  if (input.scope === "wave") {
    const wave = await trx
      .selectFrom("waves")
      .select("id")
      .where("id", "=", input.waveId ?? "")
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!wave) throw FieldError.on("waveId", UNKNOWN_WAVE_MESSAGE);
    waveId = wave.id;
  } else if (input.scope === "unit") {
    const unit = await trx
      .selectFrom("org_units")
      .select("id")
      .where("id", "=", input.unitId ?? "")
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (!unit) throw FieldError.on("unitId", UNKNOWN_UNIT_MESSAGE);
    unitId = unit.id;
  }
  let facilitatorId: string | null = null;
  if (input.facilitatorEmail) {
    const user = await trx
      .selectFrom("users")
      .select("id")
      .where(sql<boolean>`lower(email) = ${input.facilitatorEmail}`)
      .where("active", "=", true)
      .executeTakeFirst();
    if (!user) throw FieldError.on("facilitatorEmail", NO_FACILITATOR_MESSAGE);
    facilitatorId = user.id;
  }
  return { waveId, unitId, facilitatorId };
}

function eventValues(input: EventInput, refs: { waveId: string | null; unitId: string | null; facilitatorId: string | null }) {
  return {
    kind: input.kind,
    title: input.title,
    occurs_on: input.occursOn,
    starts_at: input.startsAt,
    duration_minutes: input.durationMinutes,
    scope: input.scope,
    wave_id: refs.waveId,
    unit_id: refs.unitId,
    facilitator_user_id: refs.facilitatorId,
    location: input.location,
    state: input.state,
    notes: input.notes,
  };
}

export async function createEvent(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  input: EventInput,
): Promise<{ id: string }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    const cycle = await getCycle(trx, programId, cycleId);
    const refs = await resolveEventRefs(trx, programId, input);
    const id = crypto.randomUUID();
    await trx
      .insertInto("cycle_events")
      .values({ id, cycle_id: cycle.id, program_id: programId, ...eventValues(input, refs) })
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle_event.created",
      entityType: "cycle_event",
      entityId: id,
      programId,
      summary: `Added “${input.title || CYCLE_EVENT_KIND_LABELS[input.kind]}” on ${input.occursOn} to cycle “${cycle.name}”`,
      details: { ...input, cycleId },
    });
    return { id };
  });
}

export async function updateEvent(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  id: string,
  input: EventInput & { version: number },
): Promise<void> {
  requireManage(viewer);
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("cycle_events")
      .selectAll()
      .where("id", "=", id)
      .where("cycle_id", "=", cycleId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This event does not exist in this cycle (or was deleted).");
    if (before.version !== input.version)
      throw new ConflictError("Someone else changed this event in the meantime.", await getEvent(trx, programId, cycleId, id));
    const refs = await resolveEventRefs(trx, programId, input);
    const values = eventValues(input, refs);
    await trx
      .updateTable("cycle_events")
      .set({ ...values, version: sql`version + 1`, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(values)) {
      const old = (before as Record<string, unknown>)[key];
      if (old !== value) changes[key] = { from: old ?? null, to: value ?? null };
    }
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle_event.updated",
      entityType: "cycle_event",
      entityId: id,
      programId,
      summary: `Updated event “${input.title || CYCLE_EVENT_KIND_LABELS[input.kind]}” on ${input.occursOn}`,
      details: changes,
    });
  });
}

export async function deleteEvent(db: DB, viewer: OkrViewer, programId: string, cycleId: string, id: string): Promise<{ label: string }> {
  requireManage(viewer);
  return inTransaction(db, async (trx) => {
    const before = await trx
      .deleteFrom("cycle_events")
      .where("id", "=", id)
      .where("cycle_id", "=", cycleId)
      .where("program_id", "=", programId)
      .returningAll()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This event does not exist in this cycle (or was deleted).");
    const label = before.title || CYCLE_EVENT_KIND_LABELS[before.kind];
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "cycle_event.deleted",
      entityType: "cycle_event",
      entityId: id,
      programId,
      summary: `Deleted event “${label}” on ${before.occurs_on}`,
      details: { kind: before.kind, occursOn: before.occurs_on, scope: before.scope, state: before.state },
    });
    return { label };
  });
}

// ----- Which events apply to which team -----

/**
 * The SQL condition "event `e` applies to team `t`" (whose place in the event's program is `pt`,
 * left-joined: every active team is in every program, a row exists once it has a wave): an
 * all-teams event, an event of the team's wave, or an event of the team's unit or a unit above it.
 * The caller matches the program. Expects aliases e (cycle_events), t (teams), pt (program_teams).
 */
const appliesToTeam = sql<boolean>`(
  e.scope = 'all'
  or (e.scope = 'wave' and e.wave_id = pt.wave_id)
  or (e.scope = 'unit' and e.unit_id in (
    with recursive up(id, parent_id, depth) as (
      select u.id, u.parent_id, 0 from org_units u where u.id = t.unit_id
      union all
      select p.id, p.parent_id, up.depth + 1 from org_units p join up on p.id = up.parent_id where up.depth < 20)
    select id from up)))`;

/**
 * The calendar of a program between two days: all its events (`filter.teamId`: only those for one
 * team, `filter.teamIds` for some teams; `filter.coachId`: those for the teams a coach coaches in the window, and those they
 * facilitate). One query.
 */
export async function calendarEvents(
  db: DB,
  programId: string,
  from: Day,
  to: Day,
  filter: { teamId?: string | null; teamIds?: readonly string[]; coachId?: string | null; limit?: number } = {},
): Promise<EventRow[]> {
  let query = eventQuery(db).where("e.program_id", "=", programId).where("e.occurs_on", ">=", from).where("e.occurs_on", "<=", to);
  const teamIds = filter.teamIds ?? (filter.teamId ? [filter.teamId] : null);
  if (teamIds) {
    query = query.where(
      teamIds.length === 0
        ? sql<boolean>`false`
        : sql<boolean>`exists (select 1 from teams t left join program_teams pt on pt.team_id = t.id and pt.program_id = ${programId}
                   where t.id in (${sql.join(teamIds)}) and ${appliesToTeam})`,
    );
  }
  if (filter.coachId) {
    query = query.where(
      sql<boolean>`(e.facilitator_user_id = (select p.user_id from coaches c join people p on p.id = c.person_id where c.id = ${filter.coachId})
        or exists (select 1 from coach_assignments a join teams t on t.id = a.team_id
                   left join program_teams pt on pt.program_id = a.program_id and pt.team_id = a.team_id
                   where a.coach_id = ${filter.coachId} and a.starts_on <= e.occurs_on and (a.ends_on is null or a.ends_on >= e.occurs_on)
                     and ${appliesToTeam}))`,
    );
  }
  const rows = await query
    .orderBy("e.occurs_on")
    .orderBy("e.starts_at")
    .orderBy("e.id")
    .limit(filter.limit ?? 2000)
    .execute();
  return rows.map(labelled);
}

/**
 * For every active team (each is in every program): the day of the first drafting workshop that applies to it (not
 * cancelled, on or after the start of the team's wave when the wave has a start). Teams with none
 * are absent. One query.
 */
export async function firstDraftingEvents(db: DB, programId: string): Promise<Map<string, Day>> {
  const placed = sql`select t.id as team_id, t.unit_id, pt.wave_id, w.starts_on
    from teams t
    left join program_teams pt on pt.team_id = t.id and pt.program_id = ${programId}
    left join waves w on w.id = pt.wave_id
    where t.archived_at is null`;
  const { rows } = await sql<{ team_id: string; day: Day }>`${firstDraftingEventsOf(programId, placed)}`.execute(db);
  return new Map(rows.map((r) => [r.team_id, r.day]));
}

/**
 * The first drafting workshop of some teams, as a query of (team_id, day) to embed in a larger one
 * (enablement's "due before the team's first drafting" computes it inside its state query, for
 * the teams that query reaches). `placed` selects the teams: team_id, unit_id, wave_id and the
 * wave's starts_on.
 */
export function firstDraftingEventsOf(programId: string, placed: RawBuilder<unknown>): RawBuilder<{ team_id: string; day: Day }> {
  // Teams of one wave and one unit share their answer, so the workshops are matched once per
  // (unit, wave) pair — a few dozen — rather than once per team: every enablement read asks this,
  // and 2,000 teams × 56 workshops took 60–100 ms in the bench (now ~15 ms). The match is
  // `appliesToTeam`'s, with the units' ancestors computed once instead of once per pair (a
  // correlated recursive subquery per pair also made the planner's estimate large enough to JIT-
  // compile the query, which cost more than it saved).
  return sql<{ team_id: string; day: Day }>`
    with recursive placed as (${placed}),
    pairs as (select distinct unit_id, wave_id, starts_on from placed),
    up(unit_id, ancestor_id, parent_id, depth) as (
      select u.id, u.id, u.parent_id, 0 from org_units u where u.id in (select unit_id from pairs)
      union all
      select up.unit_id, p.id, p.parent_id, up.depth + 1 from org_units p join up on p.id = up.parent_id where up.depth < 20
    ),
    firsts as (
      select c.unit_id, c.wave_id, min(e.occurs_on) as day
      from pairs c
      join cycle_events e on e.program_id = ${programId} and e.kind = 'drafting_workshop' and e.state <> 'cancelled'
      where (c.starts_on is null or e.occurs_on >= c.starts_on)
        and (e.scope = 'all'
          or (e.scope = 'wave' and e.wave_id = c.wave_id)
          or (e.scope = 'unit' and exists (select 1 from up where up.unit_id = c.unit_id and up.ancestor_id = e.unit_id)))
      group by c.unit_id, c.wave_id
    )
    select p.team_id, f.day
    from placed p
    -- An equality the planner can hash and estimate: with "is not distinct from" it guessed ten
    -- rows for 1,334, and the states query joined them in a nested loop (9 s after a re-import).
    join firsts f on coalesce(f.unit_id, '') = coalesce(p.unit_id, '') and coalesce(f.wave_id, '') = coalesce(p.wave_id, '')`;
}

/** Options for the event form: the program's waves and the organization's units (active). */
export async function eventFormOptions(db: DB, programId: string) {
  const [waves, units] = await Promise.all([
    db.selectFrom("waves").select(["id", "name"]).where("program_id", "=", programId).orderBy("position").orderBy("name").execute(),
    db
      .selectFrom("org_units")
      .select(["id", "name"])
      .where("archived_at", "is", null)
      .orderBy(sql`lower(name)`)
      .limit(1000)
      .execute(),
  ]);
  return { waves, units };
}

/** Support sessions that delivered an event of this cycle (logged by coaches), per event id. */
export async function sessionsPerEvent(db: DB, cycleId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("support_sessions as s")
    .innerJoin("cycle_events as e", "e.id", "s.cycle_event_id")
    .select(["e.id", sql<number>`count(*)::int`.as("n")])
    .where("e.cycle_id", "=", cycleId)
    .groupBy("e.id")
    .execute();
  return new Map(rows.map((r) => [r.id, r.n]));
}

// ----- Support sessions that delivered an event -----

/** How far (in days) a session's date may be from the event it delivered. */
export const EVENT_NEAR_DAYS = 21;
export const UNKNOWN_EVENT_MESSAGE = `Choose one of this program's events within ${EVENT_NEAR_DAYS} days of the session's date.`;

export interface EventChoice {
  id: string;
  label: string;
}

const choiceLabel = (e: { title: string; kind: CycleEventKind; occurs_on: string; cycleName: string }) =>
  `${e.title || CYCLE_EVENT_KIND_LABELS[e.kind]} · ${e.occurs_on} (${e.cycleName})`;

/**
 * The program's events a session held on `day` may have delivered: not cancelled, within
 * EVENT_NEAR_DAYS of it, nearest first (one query; `include` is added when it is further away).
 */
export async function eventChoicesNear(db: DB, programId: string, day: Day, include: string | null = null): Promise<EventChoice[]> {
  const rows = await db
    .selectFrom("cycle_events as e")
    .innerJoin("cycles as c", "c.id", "e.cycle_id")
    .select(["e.id", "e.title", "e.kind", "e.occurs_on", "c.name as cycleName"])
    .where("e.program_id", "=", programId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb("e.state", "<>", "cancelled"),
          eb("e.occurs_on", ">=", addDays(day, -EVENT_NEAR_DAYS)),
          eb("e.occurs_on", "<=", addDays(day, EVENT_NEAR_DAYS)),
        ]),
        eb("e.id", "=", include ?? ""),
      ]),
    )
    .orderBy(sql`abs(e.occurs_on - ${day}::date)`)
    .orderBy("e.occurs_on")
    .orderBy("e.id")
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, label: choiceLabel(r) }));
}

/** The event a session on `heldOn` delivered, checked: one of the program's, not cancelled, near the date. */
export async function requireEventNear(db: DB, programId: string, eventId: string, heldOn: Day): Promise<string> {
  const event = await db
    .selectFrom("cycle_events")
    .select(["id", "occurs_on", "state"])
    .where("id", "=", eventId)
    .where("program_id", "=", programId)
    .executeTakeFirst();
  if (!event || event.state === "cancelled" || Math.abs(daysBetween(event.occurs_on, heldOn)) > EVENT_NEAR_DAYS)
    throw FieldError.on("cycleEventId", UNKNOWN_EVENT_MESSAGE);
  return event.id;
}

/** The support sessions logged as delivering an event: who, which team, when (never the notes). */
export async function sessionsOfEvent(db: DB, programId: string, eventId: string) {
  return db
    .selectFrom("support_sessions as s")
    .innerJoin("teams as t", "t.id", "s.team_id")
    .innerJoin("coaches as c", "c.id", "s.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["s.id", "s.held_on as heldOn", "s.type", "s.duration_minutes as durationMinutes", "t.name as teamName", "p.name as coachName"])
    .where("s.program_id", "=", programId)
    .where("s.cycle_event_id", "=", eventId)
    .orderBy("s.held_on")
    .orderBy(sql`lower(t.name)`)
    .limit(500)
    .execute();
}

/** Links a logged support session to the cycle event it delivered (or unlinks it with null). */
export async function linkSessionToEvent(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  sessionId: string,
  eventId: string | null,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const session = await trx
      .selectFrom("support_sessions as s")
      .innerJoin("coaches as c", "c.id", "s.coach_id")
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["s.id", "s.cycle_event_id", "p.user_id"])
      .where("s.id", "=", sessionId)
      .where("s.program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!session) throw new NotFoundError("This session does not exist in this program.");
    if (!viewer.manage && session.user_id !== viewer.userId) throw new ForbiddenError("You can only link your own sessions.");
    if (eventId) {
      const event = await trx
        .selectFrom("cycle_events")
        .select("id")
        .where("id", "=", eventId)
        .where("program_id", "=", programId)
        .executeTakeFirst();
      if (!event) throw FieldError.on("eventId", "Choose one of this program's cycle events.");
    }
    await trx
      .updateTable("support_sessions")
      .set({ cycle_event_id: eventId, updated_at: new Date() })
      .where("id", "=", sessionId)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "session.event_linked",
      entityType: "support_session",
      entityId: sessionId,
      programId,
      summary: eventId ? "Linked a support session to the cycle event it delivered" : "Unlinked a support session from its cycle event",
      details: { cycleEventId: { from: session.cycle_event_id, to: eventId } },
    });
  });
}

/**
 * The calendar's filters: the teams the viewer is involved in (all of the program's for readers of
 * the plan, at most 500) and the program's coaches.
 */
export async function calendarFilterOptions(db: DB, viewer: OkrViewer, programId: string, today: Day) {
  const wide = viewer.manage || viewer.role === "coach" || viewer.role === "sponsor";
  const [teams, coaches] = await Promise.all([
    wide
      ? db
          .selectFrom("teams as t")
          .select(["t.id", "t.name"])
          .where("t.archived_at", "is", null)
          .orderBy(sql`lower(t.name)`)
          .limit(500)
          .execute()
      : viewerTeamsLite(db, viewer, programId, today),
    db
      .selectFrom("coaches as c")
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["c.id", "p.name"])
      .where("c.program_id", "=", programId)
      .where("c.active", "=", true)
      .orderBy(sql`lower(p.name)`)
      .limit(500)
      .execute(),
  ]);
  return { teams, coaches };
}

async function viewerTeamsLite(db: DB, viewer: OkrViewer, programId: string, today: Day) {
  if (!viewer.personId) return [];
  const { rows } = await sql<{ id: string; name: string }>`
    select t.id, t.name from teams t
    where t.archived_at is null
      and (t.lead_person_id = ${viewer.personId}
        or exists (select 1 from people p where p.id = ${viewer.personId} and p.team_id = t.id)
        or exists (select 1 from coach_assignments a join coaches c on c.id = a.coach_id
                   where a.program_id = ${programId} and a.team_id = t.id and c.person_id = ${viewer.personId}
                     and (a.ends_on is null or a.ends_on >= ${today})))
    order by lower(t.name) limit 200`.execute(db);
  return rows;
}
