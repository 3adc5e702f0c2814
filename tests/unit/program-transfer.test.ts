import { describe, expect, it } from "vitest";
import { GROUPS, TABLES } from "~/models/programs/transfer/tables";
import { parseDocument, validateDocument } from "~/models/programs/transfer/validate";
import { compareRows, remapIds, remapJson } from "~/models/programs/transfer/values";

/** The smallest valid document: a program with nothing in it. */
function emptyDocument(): Record<string, unknown> {
  return {
    format: "rollout-desk-program",
    version: 1,
    exportedAt: "2027-01-01T00:00:00.000Z",
    program: {
      name: "Empty",
      description: "",
      startsOn: null,
      endsOn: null,
      status: "planned",
      createdAt: "2027-01-01T00:00:00.000Z",
      updatedAt: "2027-01-01T00:00:00.000Z",
      createdBy: null,
    },
    organization: { units: [], teams: [], people: [], accounts: [] },
    ...Object.fromEntries(GROUPS.map((g) => [g, Object.fromEntries(TABLES.filter((t) => t.group === g).map((t) => [t.section, []]))])),
  };
}

const problems = (doc: unknown) => {
  const result = validateDocument(doc);
  return result.ok ? [] : result.problems;
};

describe("the program transfer document", () => {
  it("accepts an empty program and refuses what is not JSON", () => {
    expect(problems(emptyDocument())).toEqual([]);
    expect(parseDocument("{")).toEqual({ ok: false, problems: [expect.stringMatching(/^The file is not JSON/)] });
    expect(parseDocument(`\uFEFF${JSON.stringify(emptyDocument())}`).ok).toBe(true);
  });

  it("names unknown sections, sections that are not lists and a second RACI matrix", () => {
    const doc = emptyDocument() as Record<string, Record<string, unknown>>;
    doc.plan.extra = [];
    doc.coaching.coaches = "none";
    doc.raci.matrices = [
      { id: "matrix#1", overloadShare: 0.5, revision: 1, createdAt: "2027-01-01T00:00:00Z", updatedAt: "2027-01-01T00:00:00Z" },
      { id: "matrix#2", overloadShare: 0.5, revision: 1, createdAt: "2027-01-01T00:00:00Z", updatedAt: "2027-01-01T00:00:00Z" },
    ];
    expect(problems(doc)).toEqual([
      "$.plan.extra: unknown section",
      "$.coaching.coaches: expected a list",
      "$.raci.matrices: a program has at most one",
    ]);
  });

  it("finds units whose parents go round in a circle, duplicate emails and malformed ids", () => {
    const doc = emptyDocument() as { organization: Record<string, unknown[]> };
    doc.organization.units = [
      { id: "unit#1", name: "A", externalId: null, parentId: "unit#2", archivedAt: null },
      { id: "unit#2", name: "B", externalId: null, parentId: "unit#1", archivedAt: null },
    ];
    const person = (id: string, email: string) => ({
      id,
      name: "P",
      email,
      externalId: null,
      title: "",
      unitId: null,
      teamId: null,
      userId: null,
      archivedAt: null,
    });
    doc.organization.people = [
      person("person#1", "a@example.com"),
      person("person#2", "A@example.com"),
      person("somebody", "b@example.com"),
    ];
    expect(problems(doc)).toEqual([
      "$.organization.people[2].id: expected an id like “person#1”",
      "$.organization.people[1].email: “A@example.com” appears twice",
      "$.organization.units: the parents of “unit#1” go round in a circle",
    ]);
  });

  it("maps ids inside frozen JSON and inside texts, and keeps a __proto__ key a plain key", () => {
    const map = new Map([
      ["a", "risk#1"],
      ["b", "risk#2"],
    ]);
    const mapped = remapJson(JSON.parse('{"risks":["a","b","c"],"__proto__":{"id":"a"}}'), map) as Record<string, unknown>;
    expect(Object.keys(mapped)).toEqual(["risks", "__proto__"]);
    expect(JSON.stringify(mapped)).toBe('{"risks":["risk#1","risk#2","c"],"__proto__":{"id":"risk#1"}}');
    expect(({} as Record<string, unknown>).id).toBeUndefined();
    expect(remapIds("cycle#1/cycle#2", new Map([["cycle#1", "x"]]), /[a-z]+#\d+/g)).toBe("x/cycle#2");
  });

  it("orders rows by their values, numbers as numbers and nulls first", () => {
    const rows = [{ p: 10 }, { p: 9 }, { p: null }, { p: 1 }];
    expect(rows.sort((a, b) => compareRows(["p"], a, b)).map((r) => r.p)).toEqual([null, 1, 9, 10]);
  });
});
