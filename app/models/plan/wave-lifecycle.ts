import type { WaveExitKind, WaveState } from "../../../db/schema";

// The lifecycle of a wave (issue 16), as rules pages show as well as enforce (no database here):
//
//   planned → starting → active → closing → closed
//
// A wave is planned until the PLO prepares its start; entry criteria (readiness) matter until it
// starts, and are then recorded as they were at the start (`entry_snapshot`). Once active, its
// exit criteria decide when it can close: computed shares of its teams ("≥ 90 % of the teams
// scored their first cycle", "≥ 70 % graduated to running") or criteria the PLO ticks. Closing
// freezes the wave's figures (`exit_snapshot`); a closed wave keeps them and stays closed.
// Dates do not move the state by themselves: a wave past its start or end date is flagged
// ("due to start", "due to close") until the PLO moves it.

export const WAVE_STATE_LABELS: Record<WaveState, string> = {
  planned: "Planned",
  starting: "Starting",
  active: "Active",
  closing: "Closing",
  closed: "Closed",
};

/** Where a wave may go from each state (one step; back from starting and closing). */
export const WAVE_TRANSITIONS: Record<WaveState, WaveState[]> = {
  planned: ["starting", "active"],
  starting: ["active", "planned"],
  active: ["closing"],
  closing: ["closed", "active"],
  closed: [],
};

export const WAVE_TRANSITION_LABELS: Record<string, string> = {
  "planned>starting": "Prepare the start",
  "planned>active": "Start the wave",
  "starting>active": "Start the wave",
  "starting>planned": "Back to planned",
  "active>closing": "Begin closing",
  "closing>closed": "Close the wave",
  "closing>active": "Back to active",
};

export const EXIT_KIND_LABELS: Record<WaveExitKind, string> = {
  manual: "Ticked by the PLO",
  first_cycle_scored: "Computed: share of the wave's teams that scored a whole cycle",
  graduated_running: "Computed: share of the wave's teams running or self-sufficient",
};

export const DEFAULT_EXIT_CRITERIA: ReadonlyArray<{ kind: WaveExitKind; label: string; threshold: number | null }> = [
  { kind: "first_cycle_scored", label: "Teams scored their first cycle", threshold: 90 },
  { kind: "graduated_running", label: "Teams graduated to running", threshold: 70 },
];

/** Reads the state in the light of the dates: "due to start" / "due to close", or null. */
export function dateHint(wave: { state: WaveState; startsOn: string | null; endsOn: string | null }, today: string): string | null {
  if ((wave.state === "planned" || wave.state === "starting") && wave.startsOn && wave.startsOn <= today) return "Due to start";
  if (wave.state === "active" && wave.endsOn && wave.endsOn < today) return "Due to close";
  return null;
}

export interface ExitCriterionRow {
  id: string;
  kind: WaveExitKind;
  label: string;
  threshold: number | null;
  position: number;
  metAt: Date | string | null;
  metByLabel: string | null;
}

/** What the computed exit criteria read of a wave's teams. */
export interface ExitFigures {
  teams: number;
  /** Teams that scored every key result of an ended cycle. */
  scoredACycle: number;
  /** Teams running or self-sufficient. */
  running: number;
}

export interface ExitCheck {
  id: string;
  kind: WaveExitKind;
  label: string;
  met: boolean;
  /** "38 of 40 teams (95 %, needs 90 %)", or who ticked it. */
  detail: string;
}

export interface ExitProgress {
  checks: ExitCheck[];
  met: number;
  total: number;
  /** Every exit criterion is met (and there is at least one team, or a manual criterion only). */
  canClose: boolean;
}

/** Judges a wave's exit criteria on its figures (pure). */
export function exitProgress(criteria: readonly ExitCriterionRow[], figures: ExitFigures): ExitProgress {
  const checks = criteria.map((c): ExitCheck => {
    if (c.kind === "manual") {
      return {
        id: c.id,
        kind: c.kind,
        label: c.label,
        met: c.metAt !== null,
        detail: c.metAt ? `Ticked by ${c.metByLabel ?? "someone"}` : "Not ticked yet",
      };
    }
    const done = c.kind === "first_cycle_scored" ? figures.scoredACycle : figures.running;
    const threshold = c.threshold ?? 100;
    if (figures.teams === 0) return { id: c.id, kind: c.kind, label: c.label, met: false, detail: "No teams in the wave" };
    const percent = Math.floor((done * 100) / figures.teams);
    return {
      id: c.id,
      kind: c.kind,
      label: c.label,
      met: percent >= threshold,
      detail: `${done} of ${figures.teams} team${figures.teams === 1 ? "" : "s"} (${percent} %, needs ${threshold} %)`,
    };
  });
  const met = checks.filter((c) => c.met).length;
  return { checks, met, total: checks.length, canClose: met === checks.length };
}
