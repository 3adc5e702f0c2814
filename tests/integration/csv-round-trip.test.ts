import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { listAllPeople, loadUnitIndex, PEOPLE_CSV_COLUMNS, PEOPLE_LIST_SPEC, personCsvRow } from "~/models/org/org.server";
import { createProgram } from "~/models/programs/programs.server";
import { csvToMatrix, matrixCsvTable } from "~/models/raci/csv";
import { contentOf, createMatrix, getMatrix, type MatrixContent } from "~/models/raci/matrix.server";
import { csvResponse } from "~/utils/csv.server";
import { parseListParams } from "~/utils/list-params";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { importFile, stage } from "../support/org-import";

// Exports meant to be imported again (HR people, RACI) read back exactly what they wrote, even
// when names look like spreadsheet formulas: the export neutralises them ("'=…"), the importer
// reads them back. Without `readBackCell` in the importers, a re-import would rename everyone.

const HOSTILE = ['=HYPERLINK("evil.example","x")', "+1 Sales", "-Minus", "@Admin", "=1+1"];
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`;

async function text(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe("CSV exports re-import exactly", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("the people export, imported again, changes nothing, hostile names included", async () => {
    const lines = [
      "Employee ID,Name,Email,Title,Unit path,Team,Team lead email",
      ...HOSTILE.map(
        (name, i) => `RT-${i},${cell(name)},rt-${i}@example.com,${cell(name)},${cell(`Roundtrip › ${name.trim()}`)},${cell(name)},`,
      ),
    ];
    await importFile(t.db, plo, lines.join("\n"), "keep");
    const index = await loadUnitIndex(t.db);
    const people = await listAllPeople(t.db, parseListParams(new URLSearchParams(), PEOPLE_LIST_SPEC), index);
    expect(people.map((p) => p.name).sort()).toEqual([...HOSTILE].sort());

    const csv = await text(csvResponse("people", PEOPLE_CSV_COLUMNS, people.map(personCsvRow)));
    expect(csv, "a formula-like name is neutralised in the file").toContain(`"'=HYPERLINK(""evil.example"",""x"")"`);
    expect(csv).toContain("'+1 Sales");
    expect(csv).not.toMatch(/(^|,)[=+\-@]/m);

    const again = await stage(t.db, plo, csv);
    expect(again.counts).toMatchObject({
      error: 0,
      warning: 0,
      join: 0,
      move: 0,
      update: 0,
      restore: 0,
      leave: 0,
      team_new: 0,
      unit_new: 0,
      rename: 0,
    });
    expect(again.counts?.unchanged).toBe(HOSTILE.length);
  });

  it("the RACI export, imported into another program, is the same matrix", async () => {
    const content: MatrixContent = {
      roles: HOSTILE.map((name, i) => ({ name, holders: i % 2 ? `=cmd|' /C calc'!A${i}` : "" })),
      activities: HOSTILE.map((name, i) => ({ group: i % 2 ? "@Group" : "-Group", name, cells: { [HOSTILE[i]]: "A" as const } })),
    };
    const source = await createProgram(t.db, plo, { name: "RACI source", description: "", startsOn: null, endsOn: null, status: "active" });
    await createMatrix(t.db, plo, source.id, { kind: "content", content });
    const exported = contentOf((await getMatrix(t.db, source.id))!);
    const { columns, rows } = matrixCsvTable(exported);
    const csv = await text(csvResponse("raci", columns, rows));
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).toContain("'@Group");

    const parsed = csvToMatrix(csv);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    expect(parsed.content).toEqual(exported);
    const copy = await createProgram(t.db, plo, { name: "RACI copy", description: "", startsOn: null, endsOn: null, status: "active" });
    await createMatrix(t.db, plo, copy.id, { kind: "content", content: parsed.content });
    expect(contentOf((await getMatrix(t.db, copy.id))!)).toEqual(exported);
  });
});
