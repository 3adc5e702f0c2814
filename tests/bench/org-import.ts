// Benchmark of the HR import: a generated export of 20,000 people (a tree of units five levels
// deep, 2,000 teams with their leads) is parsed, planned and committed into the given database,
// then the same file is imported again (which must change nothing). Prints nothing itself.
import { performance } from "node:perf_hooks";
import Papa from "papaparse";
import { parseHrCsv, planImport } from "~/models/org/import";
import { commitImport, loadSnapshot, stageImport } from "~/models/org/import.server";
import type { Actor } from "~/models/audit/audit.server";
import type { DB } from "~/utils/db.server";

export const ORG_IMPORT_ROWS = 20_000;
export const ORG_IMPORT_TEAMS = 2_000;

const FIRST = [
  "Ada",
  "Bram",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farid",
  "Greta",
  "Hugo",
  "Ines",
  "Jonas",
  "Kemal",
  "Lena",
  "Mateo",
  "Nora",
  "Oskar",
  "Priya",
];
const LAST = ["Andersen", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jansen", "Kowalski", "Larsen"];
const DIVISIONS = ["Operations", "Fleet", "Sales", "Finance", "Technology", "Customer Service"];
const TITLES = ["Engineer", "Analyst", "Planner", "Dispatcher", "Account Manager", "Specialist", "Coordinator"];

/** The file an HR system would export for a company of `rows` people in `teams` teams. */
export function generateHrCsv(rows = ORG_IMPORT_ROWS, teams = ORG_IMPORT_TEAMS): string {
  // Northwind › 6 divisions › 5 departments › 4 groups › 2 sections = 240 leaf units.
  const leaves: string[] = [];
  for (const division of DIVISIONS)
    for (let d = 1; d <= 5; d++)
      for (let g = 1; g <= 4; g++)
        for (let s = 1; s <= 2; s++)
          leaves.push(`Northwind › ${division} › ${division} ${d} › Group ${d}.${g} › Section ${g}${"ab"[s - 1]}`);
  const perTeam = Math.ceil(rows / teams);
  const data: string[][] = [["Employee ID", "Full Name", "Work Email", "Job Title", "Org Path", "Team", "Manager Email"]];
  for (let i = 0; i < rows; i++) {
    const team = Math.floor(i / perTeam);
    const lead = team * perTeam;
    data.push([
      `E${String(100000 + i)}`,
      `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
      `person${i}@northwind.example`,
      TITLES[i % TITLES.length],
      leaves[team % leaves.length],
      `Team ${String(team + 1).padStart(4, "0")}`,
      `person${lead}@northwind.example`,
    ]);
  }
  return Papa.unparse(data, { newline: "\r\n" });
}

async function benchActor(db: DB): Promise<Actor> {
  const existing = await db.selectFrom("users").select(["id", "name"]).orderBy("created_at").executeTakeFirst();
  if (existing) return existing;
  const id = crypto.randomUUID();
  await db
    .insertInto("users")
    .values({
      id,
      email: `org-import-bench-${id.slice(0, 8)}@bench.rollout-desk.test`,
      name: "Import Bench",
      password_hash: "!",
      role: "plo",
    })
    .execute();
  return { id, name: "Import Bench" };
}

export interface OrgImportBench {
  rows: number;
  parseMs: number;
  /** Loading the organization and planning the import (what the preview page does after parsing). */
  planMs: number;
  /** The commit as the user waits for it: parse and plan again inside the transaction, then write. */
  commitMs: number;
  /** Importing the same file a second time (nothing to change). */
  reimportMs: number;
  created: number;
  updatedOnReimport: number;
}

export async function benchOrgImport(db: DB): Promise<OrgImportBench> {
  const actor = await benchActor(db);
  const csv = generateHrCsv();

  let start = performance.now();
  const parsed = parseHrCsv(csv);
  const parseMs = performance.now() - start;
  if (parsed.fatal) throw new Error(parsed.fatal);

  start = performance.now();
  const plan = planImport(await loadSnapshot(db), parsed.rows, parsed.mapping);
  const planMs = performance.now() - start;
  if (plan.errors.length > 0) throw new Error(`the generated file has errors: ${JSON.stringify(plan.errors.slice(0, 3))}`);

  const first = await stageImport(db, actor, { fileName: "bench-hr-export.csv", csv });
  start = performance.now();
  const committed = await commitImport(db, actor, first);
  const commitMs = performance.now() - start;
  if (!committed.ok) throw new Error(committed.message);

  const second = await stageImport(db, actor, { fileName: "bench-hr-export.csv", csv });
  start = performance.now();
  const again = await commitImport(db, actor, second);
  const reimportMs = performance.now() - start;
  if (!again.ok) throw new Error(again.message);

  return {
    rows: parsed.rows.length,
    parseMs: Math.round(parseMs),
    planMs: Math.round(planMs),
    commitMs: Math.round(commitMs),
    reimportMs: Math.round(reimportMs),
    created: committed.counts.create,
    updatedOnReimport: again.counts.update + again.counts.create,
  };
}
