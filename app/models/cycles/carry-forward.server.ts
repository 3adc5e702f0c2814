import { recordAudit } from "~/models/audit/audit.server";
import { FieldError, ForbiddenError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { progressOf } from "./checkin-flags";
import {
  COACH_NO_PROGRESS,
  getCycleRef,
  getProgramTeam,
  personOf,
  progressRights,
  type CycleRef,
  type ProgressViewer,
  type TeamRef,
} from "./checkins.server";

// Carry-forward: copy a team's unfinished objectives, with their unfinished key results, into the
// next cycle in one action. Unfinished: an objective neither achieved nor abandoned that has a key
// result not yet done (a metric below its target, a milestone not done) or none at all. The
// copies start as drafts linked to where they came from (carried_from_id); a metric continues
// from where it stood (its start is the value reached). Parent alignments belong to the old cycle
// and are not copied: the team aligns the draft again. Idempotent: an objective already carried
// into the next cycle is skipped, so a second click (or two at once: the sources are locked)
// creates nothing twice. The next cycle is the one naming this one as previous, else the next
// by start date. The team's lead and the PLO carry forward.

export const NO_NEXT_CYCLE = "There is no next cycle yet: the PLO creates it first.";
export const NO_CARRY_RIGHT = "Only the team's lead (or the PLO) carries objectives forward.";

export interface CarryCandidate {
  id: string;
  title: string;
  state: string;
  /** Already carried into the next cycle (a second carry skips it). */
  carried: boolean;
  keyResults: Array<{ id: string; title: string; progress: number | null }>;
}

export async function nextCycleOf(db: DB, cycle: CycleRef): Promise<{ id: string; name: string; state: string } | null> {
  const named = await db
    .selectFrom("cycles")
    .select(["id", "name", "state"])
    .where("program_id", "=", cycle.programId)
    .where("previous_cycle_id", "=", cycle.id)
    .orderBy("starts_on")
    .limit(1)
    .executeTakeFirst();
  if (named) return named;
  return (
    (await db
      .selectFrom("cycles")
      .select(["id", "name", "state"])
      .where("program_id", "=", cycle.programId)
      .where("starts_on", ">", cycle.startsOn)
      .where("id", "<>", cycle.id)
      .orderBy("starts_on")
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

async function carryRights(db: DB, viewer: ProgressViewer, programId: string, cycleId: string, teamId: string) {
  const [cycle, team, personId] = await Promise.all([
    getCycleRef(db, programId, cycleId),
    getProgramTeam(db, programId, teamId),
    personOf(db, viewer.id),
  ]);
  const rights = progressRights(viewer, team, personId);
  if (rights.never) throw new ForbiddenError(viewer.role === "coach" ? COACH_NO_PROGRESS : NO_CARRY_RIGHT);
  if (!rights.all) throw new ForbiddenError(NO_CARRY_RIGHT);
  return { cycle, team };
}

async function candidates(db: DB, cycle: CycleRef, teamId: string, nextCycleId: string | null, lock = false): Promise<CarryCandidate[]> {
  let objectivesQuery = db
    .selectFrom("objectives as o")
    .select(["o.id", "o.title", "o.state"])
    .where("o.cycle_id", "=", cycle.id)
    .where("o.team_id", "=", teamId)
    .where("o.level", "=", "team")
    .where("o.state", "not in", ["achieved", "abandoned"])
    .orderBy("o.position")
    .orderBy("o.id");
  if (lock) objectivesQuery = objectivesQuery.forUpdate();
  const objectives = await objectivesQuery.execute();
  if (objectives.length === 0) return [];
  const ids = objectives.map((o) => o.id);
  const [krs, carried] = await Promise.all([
    db
      .selectFrom("key_results")
      .select([
        "id",
        "objective_id as objectiveId",
        "title",
        "kind",
        "start_value as startValue",
        "target_value as targetValue",
        "current_value as currentValue",
        "direction",
        "milestone_done as milestoneDone",
      ])
      .where("objective_id", "in", ids)
      .orderBy("position")
      .orderBy("id")
      .execute(),
    nextCycleId
      ? db
          .selectFrom("objectives")
          .select("carried_from_id")
          .where("cycle_id", "=", nextCycleId)
          .where("carried_from_id", "in", ids)
          .execute()
      : Promise.resolve([]),
  ]);
  const carriedIds = new Set(carried.map((c) => c.carried_from_id));
  return objectives
    .map((o) => {
      const own = krs.filter((kr) => kr.objectiveId === o.id);
      const open = own
        .map((kr) => ({ id: kr.id, title: kr.title, progress: progressOf(kr) }))
        .filter((kr) => kr.progress === null || kr.progress < 1);
      return { ...o, carried: carriedIds.has(o.id), keyResults: open, total: own.length };
    })
    .filter((o) => o.total === 0 || o.keyResults.length > 0)
    .map(({ total: _total, ...o }) => o);
}

export async function carryForwardPreview(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
): Promise<{ cycle: CycleRef; team: TeamRef; next: { id: string; name: string; state: string } | null; objectives: CarryCandidate[] }> {
  const { cycle, team } = await carryRights(db, viewer, programId, cycleId, teamId);
  const next = await nextCycleOf(db, cycle);
  return { cycle, team, next, objectives: await candidates(db, cycle, teamId, next?.id ?? null) };
}

/** Copies the team's unfinished objectives into the next cycle; returns how many were created and skipped. */
export async function carryForward(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  today: Day,
): Promise<{ nextCycle: { id: string; name: string }; created: number; skipped: number }> {
  return inTransaction(db, async (trx) => {
    const { cycle, team } = await carryRights(trx, viewer, programId, cycleId, teamId);
    const next = await nextCycleOf(trx, cycle);
    if (!next) throw FieldError.on("_form", NO_NEXT_CYCLE);
    if (next.state === "closed") throw FieldError.on("_form", `The next cycle (${next.name}) is closed already.`);
    const list = await candidates(trx, cycle, teamId, next.id, true);
    const toCopy = list.filter((o) => !o.carried);
    if (toCopy.length === 0) return { nextCycle: next, created: 0, skipped: list.length };
    const sources = await trx
      .selectFrom("objectives")
      .selectAll()
      .where(
        "id",
        "in",
        toCopy.map((o) => o.id),
      )
      .execute();
    const keyResultIds = toCopy.flatMap((o) => o.keyResults.map((kr) => kr.id));
    const sourceKrs = keyResultIds.length ? await trx.selectFrom("key_results").selectAll().where("id", "in", keyResultIds).execute() : [];
    const { max } = await trx
      .selectFrom("objectives")
      .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(-1)).as("max"))
      .where("cycle_id", "=", next.id)
      .where("team_id", "=", teamId)
      .executeTakeFirstOrThrow();
    const newIds = new Map<string, string>();
    const objectiveRows = toCopy.map((o, i) => {
      const s = sources.find((x) => x.id === o.id)!;
      const id = crypto.randomUUID();
      newIds.set(o.id, id);
      return {
        id,
        cycle_id: next.id,
        program_id: programId,
        level: s.level,
        unit_id: s.unit_id,
        team_id: s.team_id,
        title: s.title,
        description: s.description,
        owner_person_id: s.owner_person_id,
        owner_user_id: s.owner_user_id,
        type: s.type,
        state: "draft" as const,
        standalone_reason: s.standalone_reason,
        carried_from_id: s.id,
        position: Number(max) + 1 + i,
        created_by: viewer.id,
      };
    });
    await trx.insertInto("objectives").values(objectiveRows).execute();
    if (sourceKrs.length)
      await trx
        .insertInto("key_results")
        .values(
          sourceKrs.map((kr) => ({
            id: crypto.randomUUID(),
            objective_id: newIds.get(kr.objective_id)!,
            cycle_id: next.id,
            title: kr.title,
            kind: kr.kind,
            start_value: kr.kind === "metric" ? (kr.current_value ?? kr.start_value) : null,
            target_value: kr.target_value,
            current_value: kr.current_value,
            unit: kr.unit,
            direction: kr.direction,
            milestone_done: false,
            weight: kr.weight,
            owner_person_id: kr.owner_person_id,
            position: kr.position,
          })),
        )
        .execute();
    await recordAudit(trx, {
      actor: { id: viewer.id, name: viewer.name },
      action: "objective.carried_forward",
      entityType: "team",
      entityId: team.id,
      programId,
      summary: `Carried ${toCopy.length} unfinished objective${toCopy.length === 1 ? "" : "s"} of ${team.name} from ${cycle.name} to ${next.name}`,
      details: {
        fromCycleId: cycle.id,
        toCycleId: next.id,
        objectives: toCopy.map((o) => ({ from: o.id, to: newIds.get(o.id), title: o.title })),
        today,
      },
    });
    return { nextCycle: next, created: toCopy.length, skipped: list.length - toCopy.length };
  });
}
