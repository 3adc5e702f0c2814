import { sql } from "kysely";
import type { OnboardingStatus, WaveState } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, NotFoundError } from "~/models/errors";
import { healthSummary, type HealthSummary } from "~/models/health/health-page.server";
import type { BandOrNone } from "~/models/health/metrics";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  EXIT_KIND_LABELS,
  WAVE_STATE_LABELS,
  WAVE_TRANSITIONS,
  dateHint,
  exitProgress,
  type ExitCriterionRow,
  type ExitFigures,
  type ExitProgress,
} from "./wave-lifecycle";
import { pivotCounts, teamCountsByWaveAndStatus, type WaveStatusCount } from "./program-teams.server";
import { wavesWithReadiness } from "./waves.server";
import type { ExitCriterionInput } from "~/validation/health";

// Waves with a lifecycle (issue 16): the exit criteria and their progress, the health band of
// each wave, and the moves along planned → starting → active → closing → closed, which record
// the entry criteria at the start and the wave's figures at the close (rules: ./wave-lifecycle.ts).

/** The entry criteria as they stood when the wave started. */
export interface EntrySnapshot {
  recordedOn: Day;
  state: string;
  reasons: string[];
  criteria: Array<{ label: string; state: string; detail: string | null }>;
}

/** The wave's figures as they stood when it closed. */
export interface ExitSnapshot {
  closedOn: Day;
  teams: Record<OnboardingStatus, number> & { total: number };
  health: { score: number | null; band: BandOrNone; cycle: string | null };
  exit: ExitProgress;
}

export interface WaveLifecycle {
  waveId: string;
  state: WaveState;
  hint: string | null;
  entry: EntrySnapshot | null;
  exit: ExitProgress;
  health: { score: number | null; band: BandOrNone; cycle: string | null };
  /** Set for a closed wave: its figures at the close, shown instead of live ones. */
  frozen: ExitSnapshot | null;
}

/** Every wave's exit criteria, in order (one query). */
export async function exitCriteriaByWave(db: DB, programId: string): Promise<Map<string, ExitCriterionRow[]>> {
  const rows = await db
    .selectFrom("wave_exit_criteria as c")
    .innerJoin("waves as w", "w.id", "c.wave_id")
    .select(["c.id", "c.wave_id", "c.kind", "c.label", "c.threshold", "c.position", "c.met_at as metAt", "c.met_by_label as metByLabel"])
    .where("w.program_id", "=", programId)
    .orderBy("c.wave_id")
    .orderBy("c.position")
    .orderBy("c.id")
    .execute();
  const byWave = new Map<string, ExitCriterionRow[]>();
  for (const { wave_id, ...row } of rows) {
    const list = byWave.get(wave_id) ?? [];
    list.push(row);
    byWave.set(wave_id, list);
  }
  return byWave;
}

/** Per wave: its teams, those that scored a whole ended cycle, those running or beyond (from the health summary and the status counts). */
export function exitFigures(health: Pick<HealthSummary, "scoredACycle">, counts: readonly WaveStatusCount[]): Map<string, ExitFigures> {
  const figures = new Map<string, ExitFigures>();
  const get = (waveId: string) => {
    let f = figures.get(waveId);
    if (!f) figures.set(waveId, (f = { teams: 0, scoredACycle: 0, running: 0 }));
    return f;
  };
  for (const c of counts) {
    if (!c.waveId) continue;
    const f = get(c.waveId);
    f.teams += c.count;
    if (c.status === "running" || c.status === "self_sufficient") f.running += c.count;
  }
  for (const [waveId, teams] of health.scoredACycle) get(waveId).scoredACycle += teams;
  return figures;
}

const asJson = <T>(value: unknown): T | null =>
  value === null || value === undefined ? null : typeof value === "string" ? (JSON.parse(value) as T) : (value as T);

/**
 * The lifecycle of every wave: state, date hint, entry snapshot, exit progress and health band
 * (frozen figures for closed waves). Needs the program's health summary and status counts (which
 * the caller has) and two queries.
 */
export async function wavesLifecycle(
  db: DB,
  programId: string,
  summary: Pick<HealthSummary, "scoredACycle" | "waves" | "cycle">,
  counts: readonly WaveStatusCount[],
  today: Day,
): Promise<Record<string, WaveLifecycle>> {
  const [criteria, snapshots] = await Promise.all([
    exitCriteriaByWave(db, programId),
    db
      .selectFrom("waves")
      .select(["id", "state", "starts_on", "ends_on", "entry_snapshot", "exit_snapshot"])
      .where("program_id", "=", programId)
      .execute(),
  ]);
  const figures = exitFigures(summary, counts);
  const health = new Map(summary.waves.map((w) => [w.id, w]));
  const cycle = summary.cycle?.name ?? null;
  const result: Record<string, WaveLifecycle> = {};
  for (const w of snapshots) {
    const frozen = w.state === "closed" ? asJson<ExitSnapshot>(w.exit_snapshot) : null;
    const h = health.get(w.id);
    result[w.id] = {
      waveId: w.id,
      state: w.state,
      hint: dateHint({ state: w.state, startsOn: w.starts_on, endsOn: w.ends_on }, today),
      entry: asJson<EntrySnapshot>(w.entry_snapshot),
      exit: frozen?.exit ?? exitProgress(criteria.get(w.id) ?? [], figures.get(w.id) ?? { teams: 0, scoredACycle: 0, running: 0 }),
      health: frozen?.health ?? { score: h?.score ?? null, band: h?.band ?? "not_measured", cycle },
      frozen,
    };
  }
  return result;
}

async function lockWave(trx: DB, programId: string, waveId: string) {
  const wave = await trx
    .selectFrom("waves")
    .selectAll()
    .where("id", "=", waveId)
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!wave) throw new NotFoundError("This wave does not exist (or no longer exists).");
  return wave;
}

/**
 * Moves a wave to its next state. Starting records the entry criteria as they are; closing needs
 * every exit criterion met and records the wave's figures. One transaction, one audit event.
 */
export async function changeWaveState(db: DB, actor: Actor, programId: string, waveId: string, to: WaveState, today: Day): Promise<void> {
  await inTransaction(db, async (trx) => {
    const wave = await lockWave(trx, programId, waveId);
    if (!WAVE_TRANSITIONS[wave.state].includes(to)) {
      throw FieldError.on(
        "to",
        `A ${WAVE_STATE_LABELS[wave.state].toLowerCase()} wave cannot become ${WAVE_STATE_LABELS[to].toLowerCase()}.`,
      );
    }
    const set: { state: WaveState; updated_at: Date; started_on?: Day; closed_on?: Day; entry_snapshot?: string; exit_snapshot?: string } =
      {
        state: to,
        updated_at: new Date(),
      };
    let details: Record<string, unknown> = { from: wave.state, to };
    if (to === "active" && (wave.state === "planned" || wave.state === "starting")) {
      const readiness = (await wavesWithReadiness(trx, programId, today)).readiness[waveId];
      const entry: EntrySnapshot = {
        recordedOn: today,
        state: readiness.state,
        reasons: readiness.reasons,
        criteria: readiness.criteria.map((c) => ({ label: c.label, state: c.state, detail: c.detail })),
      };
      set.started_on = today;
      set.entry_snapshot = JSON.stringify(entry);
      details = { ...details, entry };
    }
    if (to === "closed") {
      const [summary, counts, criteria] = await Promise.all([
        healthSummary(trx, programId, today),
        teamCountsByWaveAndStatus(trx, programId),
        exitCriteriaByWave(trx, programId),
      ]);
      const progress = exitProgress(
        criteria.get(waveId) ?? [],
        exitFigures(summary, counts).get(waveId) ?? { teams: 0, scoredACycle: 0, running: 0 },
      );
      if (!progress.canClose) {
        const open = progress.checks.filter((c) => !c.met).map((c) => `“${c.label}” (${c.detail})`);
        throw FieldError.on("to", `The wave cannot close yet: ${open.join("; ")}.`);
      }
      const h = summary.waves.find((w) => w.id === waveId);
      const teams = pivotCounts(counts.filter((c) => c.waveId === waveId))[waveId] ?? {
        not_started: 0,
        onboarding: 0,
        first_cycle: 0,
        running: 0,
        self_sufficient: 0,
        total: 0,
      };
      const exit: ExitSnapshot = {
        closedOn: today,
        teams,
        health: { score: h?.score ?? null, band: h?.band ?? "not_measured", cycle: summary.cycle?.name ?? null },
        exit: progress,
      };
      set.closed_on = today;
      set.exit_snapshot = JSON.stringify(exit);
      details = { ...details, exit };
    }
    await trx.updateTable("waves").set(set).where("id", "=", waveId).execute();
    await recordAudit(trx, {
      actor,
      action: "wave.state_changed",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Moved wave “${wave.name}” from ${WAVE_STATE_LABELS[wave.state].toLowerCase()} to ${WAVE_STATE_LABELS[to].toLowerCase()}`,
      details,
    });
  });
}

function closedGuard(wave: { state: WaveState; name: string }) {
  if (wave.state === "closed") throw FieldError.on("_form", `Wave “${wave.name}” is closed: its exit criteria are kept as they were.`);
}

export async function addExitCriterion(
  db: DB,
  actor: Actor,
  programId: string,
  waveId: string,
  input: ExitCriterionInput,
): Promise<string> {
  return inTransaction(db, async (trx) => {
    const wave = await lockWave(trx, programId, waveId);
    closedGuard(wave);
    const last = await trx
      .selectFrom("wave_exit_criteria")
      .select(sql<number>`coalesce(max(position), 0)::int`.as("position"))
      .where("wave_id", "=", waveId)
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    const label = input.label || EXIT_KIND_LABELS[input.kind].replace(/^Computed: share of the wave's teams (that )?/, "Teams ");
    await trx
      .insertInto("wave_exit_criteria")
      .values({
        id,
        wave_id: waveId,
        kind: input.kind,
        label,
        threshold: input.kind === "manual" ? null : input.threshold,
        position: Number(last.position) + 1,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "wave.exit_criterion_added",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Added exit criterion “${label}” to wave “${wave.name}”`,
      details: { exitCriterionId: id, kind: input.kind, label, threshold: input.threshold },
    });
    return id;
  });
}

async function lockExitCriterion(trx: DB, programId: string, waveId: string, id: string) {
  const wave = await lockWave(trx, programId, waveId);
  closedGuard(wave);
  const criterion = await trx
    .selectFrom("wave_exit_criteria")
    .selectAll()
    .where("id", "=", id)
    .where("wave_id", "=", waveId)
    .forUpdate()
    .executeTakeFirst();
  if (!criterion) throw FieldError.on("exitCriterionId", "This exit criterion does not exist in the wave (any more).");
  return { wave, criterion };
}

export async function removeExitCriterion(db: DB, actor: Actor, programId: string, waveId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { wave, criterion } = await lockExitCriterion(trx, programId, waveId, id);
    await trx.deleteFrom("wave_exit_criteria").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "wave.exit_criterion_removed",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Removed exit criterion “${criterion.label}” from wave “${wave.name}”`,
      details: { exitCriterionId: id, kind: criterion.kind, label: criterion.label },
    });
  });
}

/** Ticks or unticks a manual exit criterion; false when nothing changed. */
export async function setExitCriterionMet(
  db: DB,
  actor: Actor,
  programId: string,
  waveId: string,
  id: string,
  met: boolean,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const { wave, criterion } = await lockExitCriterion(trx, programId, waveId, id);
    if (criterion.kind !== "manual")
      throw FieldError.on("exitCriterionId", "This criterion is computed by the app; it cannot be ticked by hand.");
    if ((criterion.met_at !== null) === met) return false;
    await trx
      .updateTable("wave_exit_criteria")
      .set(met ? { met_at: new Date(), met_by: actor.id, met_by_label: actor.name } : { met_at: null, met_by: null, met_by_label: null })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: met ? "wave.exit_criterion_met" : "wave.exit_criterion_unmet",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `${met ? "Ticked" : "Unticked"} exit criterion “${criterion.label}” for wave “${wave.name}”`,
      details: { exitCriterionId: id, label: criterion.label },
    });
    return true;
  });
}
