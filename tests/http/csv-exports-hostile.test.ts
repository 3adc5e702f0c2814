// Every server CSV export, on the demo installation after every name, title and note in it was
// given a leading spreadsheet-formula character (= + - @, tab, CR): each cell of each export is
// safe to open in a spreadsheet, and the hostile values do reach the exports (the test would
// prove nothing on data without them). The exports are found from the route files, so an export
// added later is covered without touching this test.
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, DEMO_PASSWORD } from "../../db/seed/demo";
import type { DB } from "~/utils/db.server";
import { HttpClient } from "../support/http-client";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { ROOT } from "../support/test-env";

/** Short prefixes: they keep every value within the columns' length checks and unique where it was. */
const HOSTILE_PREFIXES = ["=1+", "+1", "-1", "@A", "\tX", "\rX"] as const;
const TEXT_COLUMNS = ["name", "title", "note", "notes", "description", "summary", "label", "body"];
/** What a spreadsheet would run as a formula, unless it is a plain number. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?$/i;

interface World {
  params: Record<string, string>;
}

let server: RunningServer;
let world: World;
let plo: HttpClient;
let admin: HttpClient;

async function makeHostile(db: DB): Promise<number> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
      AND column_name = ANY(${TEXT_COLUMNS}) AND table_name NOT LIKE 'kysely_%'
    ORDER BY table_name, column_name`.execute(db);
  let changed = 0;
  for (const [i, { table_name, column_name }] of rows.entries()) {
    const prefix = HOSTILE_PREFIXES[i % HOSTILE_PREFIXES.length];
    // A column whose checks refuse this prefix (e.g. a trimmed name) gets the plainest one.
    for (const p of [prefix, "=1+"]) {
      try {
        const result = await sql`UPDATE ${sql.table(table_name)} SET ${sql.ref(column_name)} = ${p} || ${sql.ref(column_name)}
          WHERE ${sql.ref(column_name)} IS NOT NULL AND ${sql.ref(column_name)} <> ''`.execute(db);
        changed += Number(result.numAffectedRows ?? 0);
        break;
      } catch {
        // try the next prefix
      }
    }
  }
  // A published report exports its frozen snapshot (what the sponsor read), not today's names.
  const frozen = await sql`UPDATE status_reports
    SET snapshot = regexp_replace(snapshot::text, '"reason": "', '"reason": "=1+', 'g')::jsonb
    WHERE snapshot IS NOT NULL`.execute(db);
  return changed + Number(frozen.numAffectedRows ?? 0);
}

/** `programs.$programId.cycles_.$cycleId_.checkins[.]csv.tsx` → `/programs/$programId/cycles/$cycleId/checkins.csv`. */
function routePath(file: string): string {
  const name = file.replace(/\.tsx$/, "").replaceAll("[.]", "\u0000");
  return `/${name
    .split(".")
    .map((segment) => segment.replace(/_$/, ""))
    .join("/")
    .replaceAll("\u0000", ".")}`;
}

const exportFiles = fs
  .readdirSync(path.join(ROOT, "app", "routes"))
  .filter((file) => file.endsWith("[.]csv.tsx"))
  .sort();

beforeAll(async () => {
  ({ server, world } = await startSeededServer(
    async (db) => {
      await seedDemo(db);
      // The demo's HR re-import (its change report is an export too).
      const imported = await db.selectFrom("org_imports").select("id").where("committed_at", "is not", null).executeTakeFirst();
      const rollout = await db.selectFrom("programs").select("id").where("status", "=", "active").executeTakeFirstOrThrow();
      // One check-in at least (with a note), should the demo's cycles have none.
      const checkedIn = await db.selectFrom("check_ins").select("id").executeTakeFirst();
      if (!checkedIn) {
        const kr = await db.selectFrom("key_results").select("id").executeTakeFirstOrThrow();
        await db
          .insertInto("check_ins")
          .values({ id: crypto.randomUUID(), key_result_id: kr.id, value: null, confidence: "on_track", note: "Steady progress" })
          .execute();
      }
      // The cycle with the most check-ins (in any program), so the check-in export has rows.
      const cycle = await db
        .selectFrom("cycles")
        .innerJoin("objectives", "objectives.cycle_id", "cycles.id")
        .innerJoin("key_results", "key_results.objective_id", "objectives.id")
        .innerJoin("check_ins", "check_ins.key_result_id", "key_results.id")
        .select(["cycles.id", "cycles.program_id", (eb) => eb.fn.countAll().as("n")])
        .groupBy(["cycles.id", "cycles.program_id"])
        .orderBy("n", "desc")
        .executeTakeFirst();
      const report = await db
        .selectFrom("status_reports")
        .select("id")
        .where("program_id", "=", rollout.id)
        .where("snapshot", "is not", null)
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      const changed = await makeHostile(db);
      expect(changed).toBeGreaterThan(100);
      return {
        params: {
          $programId: rollout.id,
          ...(cycle ? { $cycleId: cycle.id, cycleProgramId: cycle.program_id } : {}),
          ...(report ? { $reportId: report.id } : {}),
          ...(imported ? { $importId: imported.id } : {}),
        },
      };
    },
    { demo: true },
  ));
  plo = new HttpClient(server.url);
  admin = new HttpClient(server.url);
  await Promise.all([plo.login("plo@demo.rollout-desk.test", DEMO_PASSWORD), admin.login("admin@demo.rollout-desk.test", DEMO_PASSWORD)]);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("every CSV export, with hostile names in the data", () => {
  it("finds the exports", () => {
    expect(exportFiles.length).toBeGreaterThanOrEqual(16);
  });

  it.each(exportFiles)("%s: no cell would run as a formula, and the hostile values are in it", async (file) => {
    const route = routePath(file);
    const url = route.replace(/\$\w+/g, (param) => {
      // A cycle's exports are read in the cycle's own program.
      const value = param === "$programId" && route.includes("$cycleId") ? world.params.cycleProgramId : world.params[param];
      if (!value) throw new Error(`${file}: the demo has no row for ${param}`);
      return value;
    });
    let response = await plo.get(url);
    if (response.status === 403 || response.status === 404) response = await admin.get(url);
    expect(response.status, url).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await response.text();
    const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
    expect(parsed.errors, url).toEqual([]);
    const cells = parsed.data.flat();
    const unsafe = cells.filter((cell) => FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell));
    expect(unsafe, url).toEqual([]);
    if (!file.includes("template")) {
      const neutralised = cells.filter((cell) => /^'[=+\-@\t\r]/.test(cell));
      expect(neutralised.length, `${url} carries none of the hostile values`).toBeGreaterThan(0);
    }
  });
});
