import { sql } from "kysely";
import type { CheckInConfidence, CycleState, KeyResultDirection, KeyResultKind, ObjectiveState, Role } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError, type FieldMessages } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { CONFIDENCE_LABELS, flagsOf, rowField, type CycleClock, type Flags } from "./checkin-flags";

// Check-ins on a team's key results (issue 14, ADR 0016). Who enters progress:
//   admin, PLO        any key result of any team
//   team lead         every key result of the team they lead (role team_lead, linked person = the team's lead)
//   a key result's owner   any account linked to the owner person (typically a `member`)
//   coach             never (they guide check-ins; the numbers are the team's)
//   sponsor           never
// A check-in writes the key result's current value (or milestone state) and its last check-in,
// guarded by the key result's version: a concurrent save on the same key result is a 409 with
// what is there now. The whole team's check-in is one form and one transaction.

export const COACH_NO_PROGRESS = "Coaches guide check-ins but never enter a team's progress.";
export const NO_CHECKIN_RIGHT = "You may not check in on this team's key results.";
export const CHECKIN_CONFLICT = "Someone else checked in on this key result a moment ago. Here is what is there now; enter yours again.";

/** The user entering progress (the signed-in account). */
export interface ProgressViewer {
  id: string;
  name: string;
  role: Role;
}

export interface CycleRef extends CycleClock {
  id: string;
  programId: string;
  name: string;
  state: CycleState;
  previousCycleId: string | null;
  maxObjectives: number;
}

export async function getCycleRef(db: DB, programId: string, cycleId: string): Promise<CycleRef> {
  const cycle = await db
    .selectFrom("cycles")
    .select([
      "id",
      "program_id as programId",
      "name",
      "starts_on as startsOn",
      "ends_on as endsOn",
      "state",
      "checkin_cadence_days as checkinCadenceDays",
      "previous_cycle_id as previousCycleId",
      "max_objectives as maxObjectives",
    ])
    .where("program_id", "=", programId)
    .where("id", "=", cycleId)
    .executeTakeFirst();
  if (!cycle) throw new NotFoundError("This cycle does not exist in this program (or was deleted).");
  return cycle;
}

export interface TeamRef {
  id: string;
  name: string;
  leadPersonId: string | null;
}

/** A team taking part in the program (program_teams); 404 otherwise. */
export async function getProgramTeam(db: DB, programId: string, teamId: string): Promise<TeamRef> {
  const team = await db
    .selectFrom("teams as t")
    .innerJoin("program_teams as pt", (j) => j.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .select(["t.id", "t.name", "t.lead_person_id as leadPersonId"])
    .where("t.id", "=", teamId)
    .executeTakeFirst();
  if (!team) throw new NotFoundError("This team does not take part in this program.");
  return team;
}

/** The person linked to the account, if any. */
export async function personOf(db: DB, userId: string): Promise<string | null> {
  const row = await db.selectFrom("people").select("id").where("user_id", "=", userId).executeTakeFirst();
  return row?.id ?? null;
}

/** What the viewer may do with a team's progress, decided from the role and the linked person. */
export interface ProgressRights {
  /** Any key result of the team (admin, PLO, the team's lead). */
  all: boolean;
  /** The viewer's person: they check in on the key results it owns. */
  personId: string | null;
  /** Coaches and sponsors never enter progress. */
  never: boolean;
}

export function progressRights(viewer: ProgressViewer, team: TeamRef, personId: string | null): ProgressRights {
  if (viewer.role === "coach" || viewer.role === "sponsor") return { all: false, personId, never: true };
  if (viewer.role === "admin" || viewer.role === "plo") return { all: true, personId, never: false };
  const lead = viewer.role === "team_lead" && personId !== null && team.leadPersonId === personId;
  return { all: lead, personId, never: false };
}

export function mayCheckIn(rights: ProgressRights, ownerPersonId: string | null): boolean {
  if (rights.never) return false;
  return rights.all || (rights.personId !== null && ownerPersonId === rights.personId);
}

export interface CheckInKeyResult {
  id: string;
  objectiveId: string;
  title: string;
  kind: KeyResultKind;
  startValue: number | null;
  targetValue: number | null;
  currentValue: number | null;
  unit: string;
  direction: KeyResultDirection;
  milestoneDone: boolean;
  weight: number;
  ownerPersonId: string | null;
  ownerName: string | null;
  score: number | null;
  version: number;
  lastCheckInAt: Date | null;
  lastConfidence: CheckInConfidence | null;
  lastNote: string | null;
  lastBlockers: string | null;
  lastBy: string | null;
  flags: Flags;
  mayCheckIn: boolean;
}

export interface CheckInObjective {
  id: string;
  title: string;
  state: ObjectiveState;
  score: number | null;
  keyResults: CheckInKeyResult[];
}

/** A team's objectives of a cycle with their key results, latest check-in and flags (two queries). */
export async function teamKeyResults(
  db: DB,
  cycle: CycleRef,
  teamId: string,
  today: Day,
  rights: ProgressRights | null = null,
): Promise<CheckInObjective[]> {
  const objectives = await db
    .selectFrom("objectives")
    .select(["id", "title", "state", "score"])
    .where("cycle_id", "=", cycle.id)
    .where("team_id", "=", teamId)
    .where("level", "=", "team")
    .orderBy("position")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  if (objectives.length === 0) return [];
  const krs = await db
    .selectFrom("key_results as kr")
    .innerJoin("objectives as o", "o.id", "kr.objective_id")
    .leftJoin("people as p", "p.id", "kr.owner_person_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("check_ins as c")
          .select(["c.note", "c.blockers", "c.by_label"])
          .whereRef("c.key_result_id", "=", "kr.id")
          .orderBy("c.at", "desc")
          .limit(1)
          .as("last"),
      (j) => j.onTrue(),
    )
    .select([
      "kr.id",
      "kr.objective_id as objectiveId",
      "kr.title",
      "kr.kind",
      "kr.start_value as startValue",
      "kr.target_value as targetValue",
      "kr.current_value as currentValue",
      "kr.unit",
      "kr.direction",
      "kr.milestone_done as milestoneDone",
      "kr.weight",
      "kr.owner_person_id as ownerPersonId",
      "p.name as ownerName",
      "kr.score",
      "kr.version",
      "kr.last_check_in_at as lastCheckInAt",
      "kr.last_confidence as lastConfidence",
      "last.note as lastNote",
      "last.blockers as lastBlockers",
      "last.by_label as lastBy",
    ])
    .where("o.cycle_id", "=", cycle.id)
    .where("o.team_id", "=", teamId)
    .where("o.level", "=", "team")
    .orderBy("kr.position")
    .orderBy("kr.created_at")
    .orderBy("kr.id")
    .execute();
  const byObjective = new Map<string, CheckInKeyResult[]>();
  const states = new Map(objectives.map((o) => [o.id, o.state]));
  for (const kr of krs) {
    const list = byObjective.get(kr.objectiveId) ?? [];
    list.push({
      ...kr,
      flags: flagsOf({ ...kr, objectiveState: states.get(kr.objectiveId) }, cycle, today),
      mayCheckIn: rights !== null && mayCheckIn(rights, kr.ownerPersonId),
    });
    byObjective.set(kr.objectiveId, list);
  }
  return objectives.map((o) => ({ ...o, keyResults: byObjective.get(o.id) ?? [] }));
}

export interface CheckInSheet {
  cycle: CycleRef;
  team: TeamRef;
  objectives: CheckInObjective[];
  rights: ProgressRights;
}

/**
 * The team's check-in screen: every key result, the ones the viewer may check in on marked.
 * Refused (403) to coaches, sponsors and anyone who may check in on none of the team's key results.
 */
export async function checkInSheet(db: DB, viewer: ProgressViewer, programId: string, cycleId: string, teamId: string, today: Day) {
  const [cycle, team, personId] = await Promise.all([
    getCycleRef(db, programId, cycleId),
    getProgramTeam(db, programId, teamId),
    personOf(db, viewer.id),
  ]);
  const rights = progressRights(viewer, team, personId);
  if (rights.never) throw new ForbiddenError(viewer.role === "coach" ? COACH_NO_PROGRESS : NO_CHECKIN_RIGHT);
  const objectives = await teamKeyResults(db, cycle, teamId, today, rights);
  const any = rights.all || objectives.some((o) => o.keyResults.some((kr) => kr.mayCheckIn));
  if (!any) throw new ForbiddenError(NO_CHECKIN_RIGHT);
  return { cycle, team, objectives, rights } satisfies CheckInSheet;
}

/** One row of a check-in as submitted (already parsed). */
export interface CheckInRow {
  keyResultId: string;
  /** The key result's version the user saw. */
  version: number;
  /** The new value of a metric key result (null for a milestone). */
  value: number | null;
  /** A milestone's state after the check-in (ignored for metrics). */
  done: boolean;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
}

/** What a 409 carries: the key result as it is now. */
export interface CheckInConflict {
  keyResultId: string;
  title: string;
  currentValue: number | null;
  milestoneDone: boolean;
  lastConfidence: CheckInConfidence | null;
  lastCheckInAt: Date | null;
  version: number;
}

// The form's field names live in the pure module, so the screen's browser bundle gets them too.
export { rowField };

/**
 * Saves the check-ins of a team in one transaction: every row's key result must belong to the
 * team's set of this cycle and be one the viewer may check in on (else 403), and must still be
 * at the version the user saw (else a 409 naming that key result, with its current value; nothing
 * is saved). One audit event names every key result checked in.
 */
export async function saveCheckIns(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  rows: CheckInRow[],
  today: Day,
): Promise<{ saved: number }> {
  if (rows.length === 0) throw FieldError.on("_form", "Nothing to save: choose a confidence for at least one key result.");
  return inTransaction(db, async (trx) => {
    const [cycle, team, personId] = await Promise.all([
      getCycleRef(trx, programId, cycleId),
      getProgramTeam(trx, programId, teamId),
      personOf(trx, viewer.id),
    ]);
    const rights = progressRights(viewer, team, personId);
    if (rights.never) throw new ForbiddenError(viewer.role === "coach" ? COACH_NO_PROGRESS : NO_CHECKIN_RIGHT);
    if (cycle.state === "closed") throw FieldError.on("_form", "This cycle is closed: its check-ins can no longer change.");
    const ids = rows.map((r) => r.keyResultId);
    if (new Set(ids).size !== ids.length) throw FieldError.on("_form", "A key result appears twice in this check-in.");
    const current = await trx
      .selectFrom("key_results as kr")
      .innerJoin("objectives as o", "o.id", "kr.objective_id")
      .select([
        "kr.id",
        "kr.title",
        "kr.kind",
        "kr.owner_person_id as ownerPersonId",
        "kr.current_value as currentValue",
        "kr.milestone_done as milestoneDone",
        "kr.version",
      ])
      .where("kr.id", "in", ids)
      .where("o.cycle_id", "=", cycle.id)
      .where("o.team_id", "=", team.id)
      .where("o.level", "=", "team")
      .execute();
    const found = new Map(current.map((kr) => [kr.id, kr]));
    const errors: FieldMessages = {};
    for (const row of rows) {
      const kr = found.get(row.keyResultId);
      if (!kr) throw new NotFoundError("A key result of this check-in is not part of this team's set (or was deleted). Reload the page.");
      if (!mayCheckIn(rights, kr.ownerPersonId))
        throw new ForbiddenError(`You may not check in on “${kr.title}”: only its owner or the team lead may.`);
      if (kr.kind === "metric" && row.value === null) errors[rowField("value", kr.id)] = "Enter the current value.";
    }
    if (Object.keys(errors).length) throw new FieldError(errors);

    // One statement updates every key result still at the version the user saw.
    const values = sql.join(
      rows.map((r) => {
        const kr = found.get(r.keyResultId)!;
        return sql`(${r.keyResultId}, ${r.version}::int, ${kr.kind === "metric" ? r.value : null}::numeric, ${kr.kind === "milestone" ? r.done : kr.milestoneDone}::boolean, ${r.confidence})`;
      }),
    );
    const now = new Date();
    const updated = await sql<{ id: string }>`
      update key_results kr
         set current_value = case when kr.kind = 'metric' then v.value else kr.current_value end,
             milestone_done = v.done,
             last_check_in_at = ${now},
             last_confidence = v.confidence,
             version = kr.version + 1,
             updated_at = ${now}
        from (values ${values}) as v(id, version, value, done, confidence)
       where kr.id = v.id and kr.version = v.version
      returning kr.id`.execute(trx);
    const done = new Set(updated.rows.map((r) => r.id));
    const stale = rows.find((r) => !done.has(r.keyResultId));
    if (stale) {
      // Nothing of this transaction touched that row (its version did not match): it reads as committed.
      const there = await trx
        .selectFrom("key_results")
        .select([
          "id as keyResultId",
          "title",
          "current_value as currentValue",
          "milestone_done as milestoneDone",
          "last_confidence as lastConfidence",
          "last_check_in_at as lastCheckInAt",
          "version",
        ])
        .where("id", "=", stale.keyResultId)
        .executeTakeFirstOrThrow();
      throw new ConflictError<CheckInConflict>(CHECKIN_CONFLICT, there);
    }
    await trx
      .insertInto("check_ins")
      .values(
        rows.map((r) => {
          const kr = found.get(r.keyResultId)!;
          return {
            id: crypto.randomUUID(),
            key_result_id: r.keyResultId,
            value: kr.kind === "metric" ? r.value : null,
            confidence: r.confidence,
            note: r.note,
            blockers: r.blockers,
            by_user_id: viewer.id,
            by_label: viewer.name,
            at: now,
          };
        }),
      )
      .execute();
    const names = rows.map((r) => found.get(r.keyResultId)!.title);
    await recordAudit(trx, {
      actor: { id: viewer.id, name: viewer.name },
      action: "check_in.created",
      entityType: "team",
      entityId: team.id,
      programId,
      summary:
        rows.length === 1
          ? `Checked in on “${names[0]}” (${team.name}, ${cycle.name}): ${CONFIDENCE_LABELS[rows[0].confidence].toLowerCase()}`
          : `Checked in on ${rows.length} key results of ${team.name} (${cycle.name})`,
      details: {
        cycleId: cycle.id,
        checkIns: rows.map((r) => {
          const kr = found.get(r.keyResultId)!;
          return {
            keyResultId: r.keyResultId,
            title: kr.title,
            before: kr.kind === "metric" ? kr.currentValue : kr.milestoneDone,
            after: kr.kind === "metric" ? r.value : r.done,
            confidence: r.confidence,
          };
        }),
        today,
      },
    });
    return { saved: rows.length };
  });
}

export interface CheckInHistoryRow {
  id: string;
  keyResultId: string;
  value: number | null;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
  byLabel: string;
  at: Date;
}

/** The latest check-ins of a team's key results in a cycle (one query), newest first. */
export async function recentCheckIns(db: DB, cycleId: string, teamId: string, limit = 20): Promise<CheckInHistoryRow[]> {
  return db
    .selectFrom("check_ins as c")
    .innerJoin("key_results as kr", "kr.id", "c.key_result_id")
    .innerJoin("objectives as o", "o.id", "kr.objective_id")
    .select(["c.id", "c.key_result_id as keyResultId", "c.value", "c.confidence", "c.note", "c.blockers", "c.by_label as byLabel", "c.at"])
    .where("o.cycle_id", "=", cycleId)
    .where("o.team_id", "=", teamId)
    .orderBy("c.at", "desc")
    .orderBy("c.id")
    .limit(limit)
    .execute();
}
