// What the demo's OKR sets went through (issue 14): check-ins every two weeks, scores and
// retrospectives for the pilot's two closed quarters (the second quarter's weakest objectives
// carried forward from the first), and the rollout's current cycle mid-way — model teams checking
// in on cadence, a team gone stale, an approved set not checked in on yet (the drafts and the teams
// without a set come from demo-cycles.ts). Written in a few bulk inserts, so the demo loads fast.
//
// The rollout's check-ins are dated back from the day the demo is loaded (kept within the cycle,
// and not before the demo's own "today", 23 Nov 2026), so "on cadence" and "stale" read as meant
// when the demo is opened; the pilot's quarters are in the past and have fixed dates.

import type { CheckInConfidence, KeyResultDirection, KeyResultKind } from "../schema";
import { progressOf, weightedScore } from "~/models/cycles/checkin-flags";
import { addDays, daysBetween, maxDay, minDay, today as todayDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import type { DemoCycles } from "./demo-cycles";

const DEMO_TODAY: Day = "2026-11-23";

/** A small deterministic generator, so every demo load tells the same story. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NOTES_GOOD = [
  "Ahead of plan after the new rota.",
  "Steady; the weekly review keeps us honest.",
  "Good week: the backlog is down.",
  "On track, nothing to escalate.",
];
const NOTES_WORRY = [
  "Slower than planned: two people out sick.",
  "The new tool arrives later than promised.",
  "Volumes up 20 % since the campaign; we are behind.",
  "Unclear baseline: we measured it differently last month.",
];
const BLOCKERS = ["Waiting for IT to open the data export.", "Needs a decision on the overtime budget.", ""];

const RETROS = [
  {
    wentWell: "Weekly check-ins of ten minutes kept everyone on the same page. The customer numbers made the goal real.",
    toImprove: "We wrote too many key results at first; three per objective is plenty. Baselines must be measured before drafting.",
    processFeedback: "The drafting workshop was too short; two sessions would help. The coach's questions were the most useful part.",
  },
  {
    wentWell: "The team owned its numbers: nobody waited for the monthly report any more.",
    toImprove: "Key results owned by 'the team' slipped; every key result needs one named owner.",
    processFeedback: "Scoring took five minutes once the check-ins were current. Keep the retrospective right after scoring.",
  },
  {
    wentWell: "Aligning to the division's objective made it easy to say no to side projects.",
    toImprove: "The mid-cycle review came too late to change a wrong target.",
    processFeedback: "Please share the other teams' sets earlier, we found two overlaps only at the review.",
  },
];

interface KrRow {
  id: string;
  objective_id: string;
  kind: KeyResultKind;
  start_value: number | null;
  target_value: number | null;
  direction: KeyResultDirection;
  weight: number;
}

interface CheckInRow {
  id: string;
  key_result_id: string;
  value: number | null;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
  by_user_id: string | null;
  by_label: string;
  at: Date;
}

const noon = (day: Day) => new Date(`${day}T12:00:00.000Z`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const confidenceOf = (onPace: number): CheckInConfidence => (onPace >= 0.85 ? "on_track" : onPace >= 0.6 ? "needs_attention" : "off_track");

/** The value a metric reads after `share` of the way towards `reach` (0–1.1 of start → target). */
function valueAt(kr: KrRow, share: number, reach: number): number {
  const start = kr.start_value ?? 0;
  const target = kr.target_value ?? start;
  return round1(start + (target - start) * reach * share);
}

/** Check-ins of a team's key results from `from` every `every` days up to `until`, reaching `reach` of each target by `end`. */
function checkIns(
  krs: KrRow[],
  opts: { from: Day; until: Day; end: Day; every: number; reach: (kr: KrRow) => number; by: string; rand: () => number },
): { rows: CheckInRow[]; last: Map<string, CheckInRow & { done: boolean }> } {
  const rows: CheckInRow[] = [];
  const last = new Map<string, CheckInRow & { done: boolean }>();
  const span = Math.max(1, daysBetween(opts.from, opts.end));
  for (const kr of krs) {
    const reach = opts.reach(kr);
    for (let day = addDays(opts.from, 7); day <= opts.until; day = addDays(day, opts.every)) {
      const share = Math.min(1, daysBetween(opts.from, day) / span);
      const done = kr.kind === "milestone" && reach >= 0.5 && share >= 0.8;
      const worry = reach < 0.7 && share > 0.3;
      const row: CheckInRow = {
        id: crypto.randomUUID(),
        key_result_id: kr.id,
        value: kr.kind === "metric" ? valueAt(kr, share, reach) : null,
        confidence: kr.kind === "milestone" ? (done || reach >= 0.5 ? "on_track" : "needs_attention") : confidenceOf(reach),
        note: (worry ? NOTES_WORRY : NOTES_GOOD)[Math.floor(opts.rand() * 4)],
        blockers: worry ? BLOCKERS[Math.floor(opts.rand() * BLOCKERS.length)] : "",
        by_user_id: null,
        by_label: opts.by,
        at: noon(day),
      };
      rows.push(row);
      last.set(kr.id, { ...row, done });
    }
  }
  return { rows, last };
}

async function insertCheckIns(db: DB, rows: CheckInRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto("check_ins")
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** Writes each key result's latest check-in (and, when `score`, its score) back onto it, and objective scores. */
async function applyLatest(
  db: DB,
  krs: KrRow[],
  last: Map<string, CheckInRow & { done: boolean }>,
  score: boolean,
): Promise<Map<string, number | null>> {
  const scores = new Map<string, number | null>();
  for (const kr of krs) {
    const latest = last.get(kr.id);
    if (!latest) continue;
    const progress = progressOf({
      kind: kr.kind,
      startValue: kr.start_value,
      targetValue: kr.target_value,
      currentValue: latest.value,
      direction: kr.direction,
      milestoneDone: latest.done,
    });
    // Scores as teams give them: in steps of 0.1.
    const krScore = score && progress !== null ? Math.round(progress * 10) / 10 : null;
    scores.set(kr.id, krScore);
    await db
      .updateTable("key_results")
      .set({
        current_value: latest.value,
        milestone_done: latest.done,
        last_check_in_at: latest.at,
        last_confidence: latest.confidence,
        ...(score ? { score: krScore } : {}),
      })
      .where("id", "=", kr.id)
      .execute();
  }
  if (score) {
    const byObjective = new Map<string, KrRow[]>();
    for (const kr of krs) byObjective.set(kr.objective_id, [...(byObjective.get(kr.objective_id) ?? []), kr]);
    for (const [objectiveId, list] of byObjective) {
      const objectiveScore = weightedScore(list.map((kr) => ({ weight: kr.weight, score: scores.get(kr.id) ?? null })));
      await db.updateTable("objectives").set({ score: objectiveScore }).where("id", "=", objectiveId).execute();
    }
  }
  return scores;
}

async function keyResultsOf(db: DB, ids: string[]): Promise<KrRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("key_results")
    .select(["id", "objective_id", "kind", "start_value", "target_value", "direction", "weight"])
    .where("id", "in", ids)
    .orderBy("position")
    .execute();
}

async function leadNames(db: DB, teamIds: string[]): Promise<Map<string, string>> {
  if (teamIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("teams as t")
    .leftJoin("people as p", "p.id", "t.lead_person_id")
    .select(["t.id", "t.name", "p.name as lead"])
    .where("t.id", "in", teamIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r.lead ?? `${r.name} lead`]));
}

export async function seedDemoCycleProgress(db: DB, cycles: DemoCycles, ploUserId: string): Promise<void> {
  const rand = seeded(14);
  const all = cycles.objectives;
  const krs = await keyResultsOf(
    db,
    all.flatMap((o) => o.keyResultIds),
  );
  const krsOf = (objectiveIds: Set<string>) => krs.filter((k) => objectiveIds.has(k.objective_id));
  const leads = await leadNames(db, [...new Set(all.map((o) => o.teamId))]);
  const cycleRows = await db
    .selectFrom("cycles")
    .select(["id", "starts_on", "ends_on"])
    .where("id", "in", [...cycles.pilotCycleIds, ...(cycles.rolloutCycleId ? [cycles.rolloutCycleId] : [])].concat("-"))
    .execute();
  const cycleOf = new Map(cycleRows.map((c) => [c.id, c]));

  // ----- The pilot: two closed quarters, checked in, scored, looked back on -----
  const pilotScores = new Map<string, number | null>();
  for (const [q, cycleId] of cycles.pilotCycleIds.entries()) {
    const cycle = cycleOf.get(cycleId)!;
    const objectives = all.filter((o) => o.cycleId === cycleId);
    const rows: CheckInRow[] = [];
    const lastAll = new Map<string, CheckInRow & { done: boolean }>();
    for (const [t, teamId] of [...new Set(objectives.map((o) => o.teamId))].entries()) {
      const teamKrs = krsOf(new Set(objectives.filter((o) => o.teamId === teamId).map((o) => o.id)));
      // The first quarter was a learning one; in the second most teams reached more.
      const base = q === 0 ? 0.45 + 0.1 * t : 0.65 + 0.07 * t;
      const made = checkIns(teamKrs, {
        from: cycle.starts_on,
        until: cycle.ends_on,
        end: cycle.ends_on,
        every: 14,
        reach: () => Math.min(1.05, base + rand() * 0.3),
        by: leads.get(teamId) ?? "Team lead",
        rand,
      });
      rows.push(...made.rows);
      for (const [k, v] of made.last) lastAll.set(k, v);
    }
    await insertCheckIns(db, rows);
    const scores = await applyLatest(db, krsOf(new Set(objectives.map((o) => o.id))), lastAll, true);
    for (const [k, v] of scores) pilotScores.set(k, v);
    const teams = [...new Set(objectives.map((o) => o.teamId))];
    await db
      .insertInto("team_retrospectives")
      .values(
        teams.map((teamId, i) => ({
          id: crypto.randomUUID(),
          team_id: teamId,
          cycle_id: cycleId,
          went_well: RETROS[(i + q) % RETROS.length].wentWell,
          to_improve: RETROS[(i + q) % RETROS.length].toImprove,
          process_feedback: RETROS[(i + q) % RETROS.length].processFeedback,
          held_on: addDays(cycle.ends_on, 2 + (i % 3)),
          created_by: ploUserId,
        })),
      )
      .execute();
  }
  // The second quarter's objectives that continued a weak one of the first are linked to it.
  if (cycles.pilotCycleIds.length === 2) {
    const [q1, q2] = cycles.pilotCycleIds;
    const scored = await db
      .selectFrom("objectives")
      .select(["id", "team_id", "title", "score", "cycle_id"])
      .where("cycle_id", "in", [q1, q2])
      .execute();
    for (const o of scored.filter((s) => s.cycle_id === q1 && s.score !== null && s.score < 0.7)) {
      const next = scored.find((s) => s.cycle_id === q2 && s.team_id === o.team_id && s.title === o.title);
      if (next) await db.updateTable("objectives").set({ carried_from_id: o.id }).where("id", "=", next.id).execute();
    }
  }

  // ----- The rollout: its current cycle mid-way -----
  if (cycles.rolloutCycleId) {
    const cycle = cycleOf.get(cycles.rolloutCycleId)!;
    const anchor = minDay(maxDay(todayDay(), DEMO_TODAY), addDays(cycle.ends_on, -7));
    const objectives = all.filter((o) => o.cycleId === cycles.rolloutCycleId && o.state === "active");
    const teams = [...new Set(objectives.map((o) => o.teamId))];
    const rows: CheckInRow[] = [];
    const lastAll = new Map<string, CheckInRow & { done: boolean }>();
    for (const [t, teamId] of teams.entries()) {
      const teamKrs = krsOf(new Set(objectives.filter((o) => o.teamId === teamId).map((o) => o.id)));
      // The first teams are the model teams, checking in every week up to a few days ago; the last
      // active team stopped a month ago (stale, and behind).
      const stale = t === teams.length - 1 && teams.length > 1;
      const made = checkIns(teamKrs, {
        from: cycle.starts_on,
        until: stale ? addDays(anchor, -30) : addDays(anchor, -2),
        end: cycle.ends_on,
        every: stale ? 14 : 7,
        reach: () => (stale ? 0.35 + rand() * 0.2 : 0.8 + rand() * 0.3),
        by: leads.get(teamId) ?? "Team lead",
        rand,
      });
      rows.push(...made.rows);
      for (const [k, v] of made.last) lastAll.set(k, v);
    }
    await insertCheckIns(db, rows);
    await applyLatest(db, krsOf(new Set(objectives.map((o) => o.id))), lastAll, false);
  }
}
