import type { DB } from "~/utils/db.server";
import { getCycleRef } from "./checkins.server";

// Exports of a cycle (issue 14): a CSV with one row per team key result (its objective, team,
// wave, values, latest confidence and score), and a JSON document of the whole cycle (the cycle,
// its events, every objective with alignments and key results, check-ins and retrospectives).
// Bounded queries whatever the size.

export const CYCLE_CSV_COLUMNS = [
  "team",
  "wave",
  "objective",
  "objective_state",
  "objective_score",
  "key_result",
  "kind",
  "start",
  "target",
  "current",
  "unit",
  "direction",
  "milestone_done",
  "weight",
  "owner",
  "last_check_in",
  "last_confidence",
  "score",
] as const;

export async function cycleCsvRows(db: DB, programId: string, cycleId: string) {
  const cycle = await getCycleRef(db, programId, cycleId);
  const rows = await db
    .selectFrom("key_results as kr")
    .innerJoin("objectives as o", "o.id", "kr.objective_id")
    .innerJoin("teams as t", "t.id", "o.team_id")
    .leftJoin("program_teams as pt", (j) => j.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .leftJoin("people as p", "p.id", "kr.owner_person_id")
    .select([
      "t.name as team",
      "w.name as wave",
      "o.title as objective",
      "o.state as objective_state",
      "o.score as objective_score",
      "kr.title as key_result",
      "kr.kind",
      "kr.start_value as start",
      "kr.target_value as target",
      "kr.current_value as current",
      "kr.unit",
      "kr.direction",
      "kr.milestone_done",
      "kr.weight",
      "p.email as owner",
      "kr.last_check_in_at",
      "kr.last_confidence",
      "kr.score",
    ])
    .where("o.cycle_id", "=", cycle.id)
    .where("o.level", "=", "team")
    .orderBy("t.name")
    .orderBy("o.position")
    .orderBy("kr.position")
    .orderBy("kr.id")
    .execute();
  return {
    cycle,
    rows: rows.map((r) => ({ ...r, last_check_in: r.last_check_in_at ? r.last_check_in_at.toISOString() : "" })),
  };
}

/** The whole cycle as one JSON-ready document (six queries). */
export async function cycleDocument(db: DB, programId: string, cycleId: string) {
  const cycle = await getCycleRef(db, programId, cycleId);
  const [events, objectives, alignments, keyResults, checkIns, retrospectives] = await Promise.all([
    db.selectFrom("cycle_events").selectAll().where("cycle_id", "=", cycle.id).orderBy("occurs_on").orderBy("id").execute(),
    db.selectFrom("objectives").selectAll().where("cycle_id", "=", cycle.id).orderBy("level").orderBy("position").orderBy("id").execute(),
    db
      .selectFrom("objective_alignments as a")
      .innerJoin("objectives as o", "o.id", "a.child_id")
      .select(["a.child_id", "a.parent_id"])
      .where("o.cycle_id", "=", cycle.id)
      .execute(),
    db.selectFrom("key_results").selectAll().where("cycle_id", "=", cycle.id).orderBy("objective_id").orderBy("position").execute(),
    db
      .selectFrom("check_ins as c")
      .innerJoin("key_results as kr", "kr.id", "c.key_result_id")
      .select(["c.id", "c.key_result_id", "c.value", "c.confidence", "c.note", "c.blockers", "c.by_label", "c.at"])
      .where("kr.cycle_id", "=", cycle.id)
      .orderBy("c.at")
      .orderBy("c.id")
      .execute(),
    db.selectFrom("team_retrospectives").selectAll().where("cycle_id", "=", cycle.id).orderBy("team_id").execute(),
  ]);
  const parents = new Map<string, string[]>();
  for (const a of alignments) parents.set(a.child_id, [...(parents.get(a.child_id) ?? []), a.parent_id]);
  const checkInsOf = new Map<string, typeof checkIns>();
  for (const c of checkIns) checkInsOf.set(c.key_result_id, [...(checkInsOf.get(c.key_result_id) ?? []), c]);
  return {
    format: "rollout-desk.cycle/1",
    exportedAt: new Date().toISOString(),
    cycle,
    events,
    objectives: objectives.map((o) => ({
      ...o,
      alignedTo: parents.get(o.id) ?? [],
      keyResults: keyResults.filter((kr) => kr.objective_id === o.id).map((kr) => ({ ...kr, checkIns: checkInsOf.get(kr.id) ?? [] })),
    })),
    retrospectives,
  };
}
