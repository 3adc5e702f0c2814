import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, migrateToNone, migrationNames } from "../../db/migrate";
import { useTestDatabase } from "../support/database";

describe("migrations", () => {
  const t = useTestDatabase();

  async function tables(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_name not like 'kysely_%' order by 1`.execute(t.db);
    return rows.map((r) => r.name);
  }

  it("every migration runs down and up again, leaving the same tables", async () => {
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(["users", "auth_sessions", "audit_events", "programs"]));
    const reverted = await migrateToNone(t.db);
    expect(reverted).toHaveLength(migrationNames().length);
    expect(await tables()).toEqual([]);
    const applied = await migrateToLatest(t.db);
    expect(applied).toHaveLength(migrationNames().length);
    expect(await tables()).toEqual(before);
  });
});
