import { useCallback, useMemo, useRef, useState } from "react";
import { cellKey, compactCellAt, compactValueAt, type CompactCells, type RaciValue } from "~/models/raci/rules";

// The RACI editor's cells as the user sees them: the server's cells with the user's edits on top,
// each edit saved at once, its answer (saved, a conflict, a failure) turned into the cell's value,
// a message beside it and the save status. The pure parts (which value wins, what an answer
// means) are exported for unit tests; `useCellEdits` holds the state.

export interface CellState {
  value: RaciValue | null;
  version: number;
}

export type SaveStatus = { kind: "idle" } | { kind: "saving"; count: number } | { kind: "saved" } | { kind: "failed"; message: string };

/** A local edit wins until the server shows a version at least as new (after a reload, or someone else's change). */
export function resolveCell(server: CellState, local: CellState | undefined): CellState {
  return local && local.version >= server.version ? local : server;
}

/** What the server answered to one cell's save (a network failure is `null`). */
export interface SaveAnswer {
  status: number;
  body: {
    cell?: CellState;
    current?: CellState & { updatedByLabel: string | null };
    error?: string;
  };
}

/** What a save's answer does to the cell: the value it now shows, and the message beside it when it failed. */
export interface SaveOutcome {
  cell: CellState;
  /** Shown beside the cell (a conflict). */
  conflict: string | null;
  /** Shown in the status line; null when saved. */
  failure: string | null;
}

/**
 * The cell after its save was answered: saved (the server's value and version), a conflict (the
 * value someone else saved, and who), or refused / unreachable (the value before the edit).
 */
export function saveOutcome(answer: SaveAnswer | null, previous: CellState, attempted: RaciValue | null): SaveOutcome {
  if (!answer) return { cell: previous, conflict: null, failure: "The change could not be saved: the server is unreachable." };
  const { status, body } = answer;
  if (status >= 200 && status < 300 && body.cell) return { cell: body.cell, conflict: null, failure: null };
  if (status === 409 && body.current) {
    const who = body.current.updatedByLabel ?? "someone else";
    const message = `${who} changed this cell to ${body.current.value ?? "empty"} meanwhile; your ${attempted ?? "clear"} was not saved.`;
    return { cell: { value: body.current.value, version: body.current.version }, conflict: message, failure: message };
  }
  return { cell: previous, conflict: null, failure: body.error ?? `The change could not be saved (${status}).` };
}

/** The save status once `pending` saves are still under way after one was answered. */
export function statusAfter(pending: number, outcome: SaveOutcome): SaveStatus {
  if (outcome.failure) return { kind: "failed", message: outcome.failure };
  return pending > 0 ? { kind: "saving", count: pending } : { kind: "saved" };
}

/**
 * The cells of the grid with the user's edits: lookups by position (the compact data is not turned
 * into a map of 1,200 keys on every render; only local edits are keyed by ids), and `save`.
 */
export function useCellEdits({
  programId,
  activities,
  roles,
  cells,
}: {
  programId: string;
  activities: ReadonlyArray<{ id: string }>;
  roles: ReadonlyArray<{ id: string }>;
  cells: CompactCells;
}) {
  const [overrides, setOverrides] = useState<Map<string, CellState>>(() => new Map());
  const [conflicts, setConflicts] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const inFlight = useRef(0);
  const activityIndex = useMemo(() => new Map(activities.map((a, i) => [a.id, i])), [activities]);
  const roleIndex = useMemo(() => new Map(roles.map((r, i) => [r.id, i])), [roles]);

  const stateAt = useCallback(
    (ai: number, ri: number): CellState => {
      const server = compactCellAt(cells, ai, ri);
      if (overrides.size === 0) return server;
      return resolveCell(server, overrides.get(cellKey(activities[ai].id, roles[ri].id)));
    },
    [cells, overrides, activities, roles],
  );
  /** The value alone (what rendering and validation need): no version lookup while nothing is edited. */
  const valueAt = useCallback(
    (ai: number, ri: number): RaciValue | null => (overrides.size === 0 ? compactValueAt(cells, ai, ri) : stateAt(ai, ri).value),
    [cells, overrides, stateAt],
  );
  const cellState = useCallback(
    (activityId: string, roleId: string): CellState => {
      const ai = activityIndex.get(activityId);
      const ri = roleIndex.get(roleId);
      return ai === undefined || ri === undefined ? { value: null, version: 0 } : stateAt(ai, ri);
    },
    [activityIndex, roleIndex, stateAt],
  );

  const save = useCallback(
    async (activityId: string, roleId: string, value: RaciValue | null) => {
      const key = cellKey(activityId, roleId);
      const previous = cellState(activityId, roleId);
      if (previous.value === value) return;
      setOverrides((m) => new Map(m).set(key, { value, version: previous.version }));
      setConflicts((m) => {
        const next = new Map(m);
        next.delete(key);
        return next;
      });
      inFlight.current += 1;
      setStatus({ kind: "saving", count: inFlight.current });
      const body = new URLSearchParams({ activityId, roleId, value: value ?? "", version: String(previous.version) });
      let answer: SaveAnswer | null;
      try {
        const response = await fetch(`/programs/${programId}/raci/cell`, { method: "POST", body, headers: { Accept: "application/json" } });
        answer = { status: response.status, body: (await response.json().catch(() => ({}))) as SaveAnswer["body"] };
      } catch {
        answer = null;
      }
      inFlight.current -= 1;
      const outcome = saveOutcome(answer, previous, value);
      setOverrides((m) => new Map(m).set(key, outcome.cell));
      if (outcome.conflict) {
        const message = outcome.conflict;
        setConflicts((m) => new Map(m).set(key, message));
      }
      setStatus(statusAfter(inFlight.current, outcome));
    },
    [cellState, programId],
  );

  return { valueAt, cellState, save, status, conflicts, activityIndex };
}
