import { describe, expect, it } from "vitest";
import { gridKeyAction, nextCycleValue } from "~/components/raci/grid-keys";

const size = { rows: 3, roles: 4 };

describe("the RACI grid's keyboard", () => {
  it("moves with the arrows and stops at the edges (column 0 is the activity's name)", () => {
    expect(gridKeyAction({ key: "ArrowDown" }, { row: 0, col: 1 }, size, true)).toEqual({ kind: "move", row: 1, col: 1 });
    expect(gridKeyAction({ key: "ArrowUp" }, { row: 0, col: 1 }, size, true)).toEqual({ kind: "move", row: 0, col: 1 });
    expect(gridKeyAction({ key: "ArrowLeft" }, { row: 2, col: 0 }, size, true)).toEqual({ kind: "move", row: 2, col: 0 });
    expect(gridKeyAction({ key: "ArrowRight" }, { row: 2, col: 4 }, size, true)).toEqual({ kind: "move", row: 2, col: 4 });
    expect(gridKeyAction({ key: "ArrowDown" }, { row: 2, col: 3 }, size, true)).toEqual({ kind: "move", row: 2, col: 3 });
  });

  it("lets a reader move but not change anything", () => {
    expect(gridKeyAction({ key: "ArrowRight" }, { row: 0, col: 0 }, size, false)).toEqual({ kind: "move", row: 0, col: 1 });
    for (const key of ["R", "a", "Delete", " ", "Enter", "F2"]) {
      expect(gridKeyAction({ key }, { row: 0, col: 1 }, size, false)).toBeNull();
      expect(gridKeyAction({ key }, { row: 0, col: 0 }, size, false)).toBeNull();
    }
  });

  it("sets a cell with R, A, C or I in either case, clears it with Backspace or Delete, and cycles it with Space or Enter", () => {
    expect(gridKeyAction({ key: "a" }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "set", value: "A" });
    expect(gridKeyAction({ key: "R" }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "set", value: "R" });
    expect(gridKeyAction({ key: "Backspace" }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "set", value: null });
    expect(gridKeyAction({ key: "Delete" }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "set", value: null });
    expect(gridKeyAction({ key: " " }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "cycle" });
    expect(gridKeyAction({ key: "Enter" }, { row: 1, col: 2 }, size, true)).toEqual({ kind: "cycle" });
  });

  it("leaves shortcuts with Ctrl, Cmd or Alt and other letters to the browser", () => {
    expect(gridKeyAction({ key: "c", ctrlKey: true }, { row: 1, col: 2 }, size, true)).toBeNull();
    expect(gridKeyAction({ key: "a", metaKey: true }, { row: 1, col: 2 }, size, true)).toBeNull();
    expect(gridKeyAction({ key: "i", altKey: true }, { row: 1, col: 2 }, size, true)).toBeNull();
    expect(gridKeyAction({ key: "x" }, { row: 1, col: 2 }, size, true)).toBeNull();
  });

  it("renames an activity with Enter or F2 on its name, and sets nothing there", () => {
    expect(gridKeyAction({ key: "Enter" }, { row: 1, col: 0 }, size, true)).toEqual({ kind: "rename" });
    expect(gridKeyAction({ key: "F2" }, { row: 1, col: 0 }, size, true)).toEqual({ kind: "rename" });
    expect(gridKeyAction({ key: "R" }, { row: 1, col: 0 }, size, true)).toBeNull();
  });

  it("cycles a clicked cell empty → R → A → C → I → empty", () => {
    const seen = [nextCycleValue(null)];
    while (seen.length < 5) seen.push(nextCycleValue(seen[seen.length - 1]));
    expect(seen).toEqual(["R", "A", "C", "I", null]);
  });
});
