// The demo's monthly HR re-import: the organization as HR exports it a month after the first
// load, with one move and one joiner, staged and committed through the same model functions as
// the import page. The import history then has an entry with its mapping, counts and change
// report, and the moved person's history says "moved … by import #1".
import type { Actor } from "~/models/audit/audit.server";
import { commitImport } from "~/models/org/import-commit.server";
import { getImport, planningSettled, stageUpload } from "~/models/org/import-stage.server";
import { listAllPeople, loadUnitIndex, PEOPLE_CSV_COLUMNS, PEOPLE_LIST_SPEC, personCsvRow } from "~/models/org/org.server";
import { toCsv } from "~/utils/csv";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";

export const DEMO_IMPORT_FILE = "northwind-hr-export-2026-12.csv";

/** Returns a line for the demo log, or null when an import was committed before. */
export async function seedDemoImport(db: DB, actor: Actor): Promise<string | null> {
  const before = await db.selectFrom("org_imports").select("id").where("committed_at", "is not", null).executeTakeFirst();
  if (before) return null;
  const index = await loadUnitIndex(db);
  const people = await listAllPeople(db, parseListParams(new URLSearchParams("status=active"), PEOPLE_LIST_SPEC), index);
  const rows = people.map(personCsvRow);

  // A team member (not a lead, not a demo account's person) moves to another team of their unit.
  const leads = new Set(rows.map((r) => r["Team lead email"]).filter(Boolean));
  const teamsByUnit = new Map<string, Set<string>>();
  for (const row of rows) if (row.Team) teamsByUnit.set(row["Unit path"], (teamsByUnit.get(row["Unit path"]) ?? new Set()).add(row.Team));
  const mover = rows.find(
    (r) =>
      r.Team && !leads.has(r.Email) && !r.Email.endsWith("@demo.rollout-desk.test") && (teamsByUnit.get(r["Unit path"])?.size ?? 0) > 1,
  );
  if (mover) {
    const target = [...teamsByUnit.get(mover["Unit path"])!].find((t) => t !== mover.Team)!;
    const lead = rows.find((r) => r.Team === target && r["Unit path"] === mover["Unit path"])?.["Team lead email"] ?? "";
    Object.assign(mover, { Team: target, "Team lead email": lead });
  }
  // A joiner in the same team as the first person with a team.
  const host = rows.find((r) => r.Team);
  if (host) {
    rows.push({
      ...host,
      "Employee ID": host["Employee ID"] ? "NW-90001" : "",
      Name: "Noor Haddad",
      Email: "noor.haddad@northwind.test",
      Title: "Operations Analyst",
    });
  }

  // The demo's people have no employee numbers: without the column, email is the key.
  const columns = rows.some((r) => r["Employee ID"]) ? PEOPLE_CSV_COLUMNS : PEOPLE_CSV_COLUMNS.filter((c) => c !== "Employee ID");
  const content = toCsv(columns, rows);
  const { id } = await stageUpload(db, actor, { fileName: DEMO_IMPORT_FILE, content });
  await planningSettled(id);
  const upload = await getImport(db, id);
  const result = await commitImport(db, actor, id, { fingerprint: upload.fingerprint, leavers: "keep" });
  return `HR re-import #${result.number}: ${result.summary}`;
}
