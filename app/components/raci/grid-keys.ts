import type { RaciValue } from "~/models/raci/rules";

// The RACI grid's keyboard, as a pure function of the key and the focused cell: what the editor
// does is decided here (and unit-tested), the component only carries it out. Column 0 is the
// activity's name; columns 1… are the roles.

export type GridKeyAction =
  { kind: "move"; row: number; col: number } | { kind: "rename" } | { kind: "set"; value: RaciValue | null } | { kind: "cycle" } | null;

export interface GridKey {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const MOVES: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
const LETTERS: readonly string[] = ["R", "A", "C", "I"];

/**
 * What a key does in the cell at `at` of a grid of `rows` activities and `roles` roles: arrows
 * move (stopping at the edges), Enter or F2 on a name renames, R/A/C/I set a cell, Backspace or
 * Delete clear it, Space or Enter cycle it. Null: the key is not the grid's (let it through).
 */
export function gridKeyAction(
  event: GridKey,
  at: { row: number; col: number },
  size: { rows: number; roles: number },
  canEdit: boolean,
): GridKeyAction {
  const move = MOVES[event.key];
  if (move) {
    return {
      kind: "move",
      row: Math.min(Math.max(at.row + move[0], 0), size.rows - 1),
      col: Math.min(Math.max(at.col + move[1], 0), size.roles),
    };
  }
  if (!canEdit || at.row < 0 || at.row >= size.rows) return null;
  if (at.col === 0) return event.key === "Enter" || event.key === "F2" ? { kind: "rename" } : null;
  if (at.col > size.roles) return null;
  const letter = event.key.toUpperCase();
  if (LETTERS.includes(letter) && !event.ctrlKey && !event.metaKey && !event.altKey) return { kind: "set", value: letter as RaciValue };
  if (event.key === "Backspace" || event.key === "Delete") return { kind: "set", value: null };
  if (event.key === " " || event.key === "Enter") return { kind: "cycle" };
  return null;
}

const CYCLE: Array<RaciValue | null> = [null, "R", "A", "C", "I"];

/** The value a click (or Space) gives a cell: empty → R → A → C → I → empty. */
export function nextCycleValue(current: RaciValue | null): RaciValue | null {
  return CYCLE[(CYCLE.indexOf(current) + 1) % CYCLE.length];
}
