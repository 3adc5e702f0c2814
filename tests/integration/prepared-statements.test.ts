import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { prepared } from "~/utils/db.server";
import { useTestDatabase } from "../support/database";

// A query marked `prepared` (ADR 0026) goes out on PostgreSQL as a named statement that the
// connection keeps, so that its plan can be reused; on PGlite it runs as any other. Either way each
// call gets the answer for its own values, also past the five runs after which PostgreSQL may
// switch to a generic plan.

describe("prepared queries", () => {
  const t = useTestDatabase();

  it("answer every call with its own values, the statement kept by the connection on PostgreSQL", async () => {
    const kept = await t.db.transaction().execute(async (trx) => {
      for (let n = 1; n <= 8; n++) {
        const row = await prepared(sql<{ n: number; label: string }>`select ${n}::int as n, ${`label ${n}`}::text as label`)
          .execute(trx)
          .then((r) => r.rows[0]);
        expect(row).toEqual({ n, label: `label ${n}` });
      }
      // One connection (the transaction's): one statement kept for the eight calls.
      const { rows } = await sql<{
        count: number;
      }>`select count(*)::int as count from pg_prepared_statements where name like 'rd\\_%'`.execute(trx);
      return rows[0].count;
    });
    expect(kept).toBe(t.handle.backend === "pg" ? 1 : 0);
  });
});
