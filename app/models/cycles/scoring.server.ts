import { sql } from "kysely";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { weightedScore } from "./checkin-flags";
import {
  COACH_NO_PROGRESS,
  getCycleRef,
  getProgramTeam,
  personOf,
  progressRights,
  teamKeyResults,
  type CheckInObjective,
  type CycleRef,
  type ProgressViewer,
  type TeamRef,
} from "./checkins.server";

// Scoring at the end of a cycle: every key result gets a score 0–1 (suggested from its progress:
// a metric's share of the way from start to target, a milestone 1 when done), and every objective
// the weighted mean of its key results' scores (weights of the key results; unscored ones left
// out). The team lead scores their team's set; the PLO may; coaches and sponsors never.

export const SCORING_TOO_EARLY = "Scoring comes at the end of the cycle: wait until it is executing or in review.";
export const SCORING_CLOSED = "This cycle is closed: its scores can no longer change.";
export const NO_SCORING_RIGHT = "Only the team's lead (or the PLO) scores the team's key results.";

export interface ScoreSheet {
  cycle: CycleRef;
  team: TeamRef;
  objectives: CheckInObjective[];
  /** The cycle's state lets scores change now. */
  open: boolean;
}

const SCORING_STATES = new Set(["executing", "reviewing"]);

async function scoringRights(db: DB, viewer: ProgressViewer, programId: string, cycleId: string, teamId: string) {
  const [cycle, team, personId] = await Promise.all([
    getCycleRef(db, programId, cycleId),
    getProgramTeam(db, programId, teamId),
    personOf(db, viewer.id),
  ]);
  const rights = progressRights(viewer, team, personId);
  if (rights.never) throw new ForbiddenError(viewer.role === "coach" ? COACH_NO_PROGRESS : NO_SCORING_RIGHT);
  if (!rights.all) throw new ForbiddenError(NO_SCORING_RIGHT);
  return { cycle, team, rights };
}

export async function scoreSheet(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  today: Day,
): Promise<ScoreSheet> {
  const { cycle, team, rights } = await scoringRights(db, viewer, programId, cycleId, teamId);
  const objectives = await teamKeyResults(db, cycle, teamId, today, rights);
  return { cycle, team, objectives, open: SCORING_STATES.has(cycle.state) };
}

/** The suggested score of a key result: its progress, rounded to two decimals (0 without one). */
export function suggestedScore(progress: number | null): number {
  return Math.round((progress ?? 0) * 100) / 100;
}

export interface ScoreRow {
  keyResultId: string;
  version: number;
  score: number;
}

/**
 * Saves key result scores (guarded by each key result's version: a 409 when one moved) and
 * recomputes the weighted score of every objective touched, in one transaction with one audit event.
 */
export async function saveScores(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  rows: ScoreRow[],
): Promise<{ saved: number }> {
  if (rows.length === 0) throw FieldError.on("_form", "Nothing to save: enter at least one score.");
  return inTransaction(db, async (trx) => {
    const { cycle, team } = await scoringRights(trx, viewer, programId, cycleId, teamId);
    if (cycle.state === "closed") throw FieldError.on("_form", SCORING_CLOSED);
    if (!SCORING_STATES.has(cycle.state)) throw FieldError.on("_form", SCORING_TOO_EARLY);
    const ids = rows.map((r) => r.keyResultId);
    const found = await trx
      .selectFrom("key_results as kr")
      .innerJoin("objectives as o", "o.id", "kr.objective_id")
      .select(["kr.id", "kr.title", "kr.objective_id as objectiveId", "kr.score"])
      .where("kr.id", "in", ids)
      .where("o.cycle_id", "=", cycle.id)
      .where("o.team_id", "=", team.id)
      .where("o.level", "=", "team")
      .execute();
    if (found.length !== new Set(ids).size)
      throw new NotFoundError("A key result of these scores is not part of this team's set (or was deleted). Reload the page.");
    const values = sql.join(rows.map((r) => sql`(${r.keyResultId}, ${r.version}::int, ${r.score}::numeric)`));
    const updated = await sql<{ id: string }>`
      update key_results kr set score = v.score, version = kr.version + 1, updated_at = now()
        from (values ${values}) as v(id, version, score)
       where kr.id = v.id and kr.version = v.version
      returning kr.id`.execute(trx);
    const done = new Set(updated.rows.map((r) => r.id));
    const stale = rows.find((r) => !done.has(r.keyResultId));
    if (stale) {
      const there = await trx
        .selectFrom("key_results")
        .select(["id as keyResultId", "title", "score", "current_value as currentValue", "version"])
        .where("id", "=", stale.keyResultId)
        .executeTakeFirstOrThrow();
      throw new ConflictError(
        `“${there.title}” changed while you were scoring (a check-in or another score). Here it is now; score again.`,
        there,
      );
    }
    const objectiveIds = [...new Set(found.map((kr) => kr.objectiveId))];
    const all = await trx
      .selectFrom("key_results")
      .select(["objective_id as objectiveId", "weight", "score"])
      .where("objective_id", "in", objectiveIds)
      .execute();
    for (const objectiveId of objectiveIds) {
      const score = weightedScore(all.filter((kr) => kr.objectiveId === objectiveId));
      await trx
        .updateTable("objectives")
        .set({ score, version: sql`version + 1`, updated_at: new Date() })
        .where("id", "=", objectiveId)
        .execute();
    }
    const titles = new Map(found.map((kr) => [kr.id, kr.title]));
    await recordAudit(trx, {
      actor: { id: viewer.id, name: viewer.name },
      action: "key_result.scored",
      entityType: "team",
      entityId: team.id,
      programId,
      summary: `Scored ${rows.length} key result${rows.length === 1 ? "" : "s"} of ${team.name} (${cycle.name})`,
      details: {
        cycleId: cycle.id,
        scores: rows.map((r) => ({ keyResultId: r.keyResultId, title: titles.get(r.keyResultId), score: r.score })),
      },
    });
    return { saved: rows.length };
  });
}
