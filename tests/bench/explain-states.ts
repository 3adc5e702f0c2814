// Profiling aid (not part of the bench run): EXPLAIN ANALYZE of the enablement state CTE as the
// heat map's recomputation runs it, on a kept bench database (BENCH_KEEP=1).
//   DATABASE_URL=postgres://…/bench_enable npx tsx tests/bench/explain-states.ts [program id]
import { sql } from "kysely";
import { createDatabase } from "../../db/index";
import { statesCte } from "~/models/enablement/resolve.server";
import { today } from "~/utils/dates";

const handle = createDatabase({ url: process.env.DATABASE_URL!, poolSize: 1 });
const db = handle.db;
try {
  const programId =
    process.argv[2] ??
    (
      await db
        .selectFrom("enablement_requirements")
        .select("program_id")
        .groupBy("program_id")
        .orderBy(sql`count(*)`, "desc")
        .executeTakeFirstOrThrow()
    ).program_id;
  const cte = statesCte(programId, today(), { necessity: "required" });
  const started = performance.now();
  const { rows } = await sql<{
    "QUERY PLAN": string;
  }>`explain (analyze, buffers) ${cte} select module_id, state, count(*) from states group by 1, 2`.execute(db);
  console.log(rows.map((r) => r["QUERY PLAN"]).join("\n"));
  console.log(`wall ${(performance.now() - started).toFixed(0)} ms`);
} finally {
  await handle.close();
}
