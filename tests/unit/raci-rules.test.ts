import { describe, expect, it } from "vitest";
import { TEMPLATE_ACTIVITIES, TEMPLATE_ROLES } from "~/models/raci/template";
import {
  cellKey,
  compactCellAt,
  compactCells,
  compactValueAt,
  summarizeIssues,
  validateRaci,
  type RaciShape,
  type RaciValue,
} from "~/models/raci/rules";

function shape(
  rows: Record<string, Partial<Record<string, RaciValue>>>,
  holders: Record<string, string> = {},
  overloadShare = 0.5,
): RaciShape {
  const roleNames = [
    ...new Set(
      Object.values(rows)
        .flatMap((r) => Object.keys(r))
        .concat(Object.keys(holders)),
    ),
  ];
  const roles = roleNames.map((name) => ({ id: name, name, holders: holders[name] ?? "" }));
  const activities = Object.keys(rows).map((name) => ({ id: name, name }));
  const cells = new Map<string, RaciValue>();
  for (const [activity, row] of Object.entries(rows)) {
    for (const [role, value] of Object.entries(row)) if (value) cells.set(cellKey(activity, role), value);
  }
  return { activities, roles, cells, overloadShare };
}

const codes = (s: RaciShape) => validateRaci(s).map((i) => `${i.code}:${i.activityId ?? i.roleId}`);

describe("RACI rules", () => {
  it("a complete activity (one A, an R, an I) has no issue", () => {
    expect(validateRaci(shape({ Draft: { PLO: "A", Coach: "R", Lead: "I" } }))).toEqual([]);
  });

  it("an activity without an Accountable or Responsible is an error", () => {
    expect(codes(shape({ Draft: { Coach: "C", Lead: "I" } }))).toEqual(["no-accountable:Draft", "no-responsible:Draft"]);
  });

  it("two Accountable roles on one activity is an error naming both", () => {
    const issues = validateRaci(shape({ Draft: { PLO: "A", Sponsor: "A", Coach: "R", Lead: "I" } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "several-accountable", severity: "error" });
    expect(issues[0].message).toContain("PLO, Sponsor");
  });

  it("an activity that informs nobody gets a note", () => {
    expect(codes(shape({ Draft: { PLO: "A", Coach: "R" } }))).toEqual(["no-informed:Draft"]);
  });

  it("the same named person being Accountable and Responsible gets a note", () => {
    const s = shape({ Draft: { PLO: "A", Coach: "R", Lead: "I" } }, { PLO: "Maria Keller\nTom Berg", Coach: "maria keller" });
    expect(codes(s)).toEqual(["accountable-also-responsible:Draft"]);
  });

  it("a role Accountable for more than the configured share of activities is an overload warning", () => {
    const ok = { PLO: "A", Coach: "R", Lead: "I" } as const;
    const rows = { One: ok, Two: ok, Three: ok, Four: { Lead: "A", Coach: "R", PLO: "I" } } as const;
    expect(codes(shape(rows, {}, 0.5))).toEqual(["accountable-overload:PLO"]);
    expect(codes(shape(rows, {}, 0.8))).toEqual([]);
  });

  it("the default template derived from the seeds is free of errors, warnings and notes", () => {
    const roles = TEMPLATE_ROLES.map((name) => ({ id: name, name, holders: "" }));
    const activities = TEMPLATE_ACTIVITIES.map((a) => ({ id: a.name, name: a.name }));
    const cells = new Map<string, RaciValue>();
    for (const a of TEMPLATE_ACTIVITIES) for (const [role, v] of Object.entries(a.cells)) if (v) cells.set(cellKey(a.name, role), v);
    const issues = validateRaci({ roles, activities, cells, overloadShare: 0.5 });
    expect(issues).toEqual([]);
    expect(summarizeIssues(issues)).toEqual({ errors: 0, warnings: 0, notes: 0 });
  });
});

describe("compact cells (the grid's page data)", () => {
  const activities = [{ id: "a1" }, { id: "a2" }];
  const roles = [{ id: "r1" }, { id: "r2" }, { id: "r3" }];

  it("round-trips values and versions, keeping cleared cells' versions", () => {
    const cells = [
      { activityId: "a1", roleId: "r1", value: "A" as const, version: 1 },
      { activityId: "a1", roleId: "r3", value: "R" as const, version: 4 },
      { activityId: "a2", roleId: "r2", value: null, version: 3 },
    ];
    const compact = compactCells(activities, roles, cells);
    expect(compact.rows).toEqual(["A.R", "..."]);
    expect(compact.versions).toEqual({ "0:2": 4, "1:1": 3 });
    expect(compactCellAt(compact, 0, 0)).toEqual({ value: "A", version: 1 });
    expect(compactCellAt(compact, 0, 1)).toEqual({ value: null, version: 0 });
    expect(compactCellAt(compact, 0, 2)).toEqual({ value: "R", version: 4 });
    expect(compactCellAt(compact, 1, 1)).toEqual({ value: null, version: 3 });
    expect(compactCellAt(compact, 1, 2)).toEqual({ value: null, version: 0 });
    expect([
      compactValueAt(compact, 0, 0),
      compactValueAt(compact, 0, 2),
      compactValueAt(compact, 1, 1),
      compactValueAt(compact, 5, 5),
    ]).toEqual(["A", "R", null, null]);
  });

  it("ignores cells of activities or roles it was not given (deleted ones)", () => {
    const compact = compactCells(activities, roles, [
      { activityId: "gone", roleId: "r1", value: "A", version: 1 },
      { activityId: "a2", roleId: "r3", value: "C", version: 1 },
    ]);
    expect(compact.rows).toEqual(["...", "..C"]);
  });

  it("validates compact cells exactly as keyed ones", () => {
    const named = {
      activities: [
        { id: "a1", name: "Draft" },
        { id: "a2", name: "Align" },
      ],
      roles: [
        { id: "r1", name: "PLO", holders: "" },
        { id: "r2", name: "Coach", holders: "" },
        { id: "r3", name: "Lead", holders: "" },
      ],
      overloadShare: 0.5,
    };
    const cells = [
      { activityId: "a1", roleId: "r1", value: "A" as const, version: 1 },
      { activityId: "a1", roleId: "r2", value: "R" as const, version: 1 },
      { activityId: "a2", roleId: "r1", value: "A" as const, version: 2 },
      { activityId: "a2", roleId: "r3", value: "A" as const, version: 1 },
    ];
    const keyed = validateRaci({ ...named, cells: new Map(cells.map((c) => [cellKey(c.activityId, c.roleId), c.value])) });
    const compact = compactCells(named.activities, named.roles, cells);
    expect(validateRaci({ ...named, cells: (ai, ri) => compactCellAt(compact, ai, ri).value })).toEqual(keyed);
    expect(keyed.map((i) => i.code)).toContain("several-accountable");
  });
});
