import { sql } from "kysely";
import { createDatabase } from "../../db/index";
import { listStates } from "~/models/enablement/resolve.server";
import { today } from "~/utils/dates";
const handle = createDatabase({ url: process.env.DATABASE_URL!, poolSize: 1 });
const db = handle.db;
try {
  const programId = (await db.selectFrom("enablement_requirements").select("program_id").groupBy("program_id").orderBy(sql`count(*)`, "desc").executeTakeFirstOrThrow()).program_id;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const rows = await listStates(db, programId, today(), { states: ["overdue"], necessity: "required", limit: 501 });
    console.log(`overdue ${rows.length} in ${(performance.now() - t).toFixed(0)} ms`);
  }
  const t = performance.now();
  const all = await listStates(db, programId, today(), { states: ["overdue"], necessity: "required" });
  console.log(`all overdue ${all.length} in ${(performance.now() - t).toFixed(0)} ms`);
} finally { await handle.close(); }
