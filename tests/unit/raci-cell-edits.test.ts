import { describe, expect, it } from "vitest";
import { resolveCell, saveOutcome, statusAfter } from "~/components/raci/cell-edits";

// What the RACI editor shows after an edit: which value wins (the user's edit or the server's),
// and what each answer to a cell's save does to the cell, the message beside it and the status line.

describe("which value a cell shows", () => {
  it("shows the user's edit until the server has a version at least as new, then the server's", () => {
    const server = { value: "R" as const, version: 3 };
    expect(resolveCell(server, undefined)).toBe(server);
    expect(resolveCell(server, { value: "A", version: 3 })).toEqual({ value: "A", version: 3 });
    expect(resolveCell(server, { value: "A", version: 4 })).toEqual({ value: "A", version: 4 });
    // Someone else saved meanwhile (a reload shows version 5): their value, not the stale edit.
    expect(resolveCell({ value: "C", version: 5 }, { value: "A", version: 4 })).toEqual({ value: "C", version: 5 });
  });
});

describe("what a save's answer does", () => {
  const previous = { value: "I" as const, version: 2 };

  it("saved: the server's value and version, no message", () => {
    const outcome = saveOutcome({ status: 200, body: { cell: { value: "A", version: 3 } } }, previous, "A");
    expect(outcome).toEqual({ cell: { value: "A", version: 3 }, conflict: null, failure: null });
    expect(statusAfter(0, outcome)).toEqual({ kind: "saved" });
    expect(statusAfter(2, outcome)).toEqual({ kind: "saving", count: 2 });
  });

  it("a conflict: the value someone else saved, who saved it, and that the user's edit was not saved", () => {
    const outcome = saveOutcome({ status: 409, body: { current: { value: "C", version: 3, updatedByLabel: "Paula PLO" } } }, previous, "R");
    expect(outcome.cell).toEqual({ value: "C", version: 3 });
    expect(outcome.conflict).toBe("Paula PLO changed this cell to C meanwhile; your R was not saved.");
    expect(statusAfter(0, outcome)).toEqual({ kind: "failed", message: outcome.conflict });
    // A cleared cell and an unknown author read as words.
    const cleared = saveOutcome({ status: 409, body: { current: { value: null, version: 3, updatedByLabel: null } } }, previous, null);
    expect(cleared.conflict).toBe("someone else changed this cell to empty meanwhile; your clear was not saved.");
  });

  it("refused or unreachable: the value before the edit comes back, with the server's reason or a plain one", () => {
    const refused = saveOutcome({ status: 403, body: { error: "Only the PLO edits the matrix." } }, previous, "A");
    expect(refused).toEqual({ cell: previous, conflict: null, failure: "Only the PLO edits the matrix." });
    expect(saveOutcome({ status: 500, body: {} }, previous, "A").failure).toBe("The change could not be saved (500).");
    // A 409 without the current cell is no conflict to show: the edit is undone.
    expect(saveOutcome({ status: 409, body: {} }, previous, "A").cell).toBe(previous);
    const offline = saveOutcome(null, previous, "A");
    expect(offline.cell).toBe(previous);
    expect(statusAfter(1, offline)).toEqual({ kind: "failed", message: "The change could not be saved: the server is unreachable." });
  });
});
