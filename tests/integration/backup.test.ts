import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { DB } from "~/utils/db.server";
import { afterAll, describe, expect, inject, it } from "vitest";
import { backUp, listBackups, pruneBackups, restore } from "../../db/backup";
import { createDatabase, DataDirLockedError } from "../../db/index";
import { createTestProgram, createTestUser } from "../support/builders";
import { createFreshPostgresDatabase } from "../support/database";
import { postgresUrl, TMP } from "../support/test-env";

// Backups and restores of both backends: back up, change data, restore, and every table holds
// exactly what it held at the backup (compared row by row, table by table).

const folders: string[] = [];
function folder(label: string): string {
  const dir = path.join(TMP, `${label}-${randomBytes(4).toString("hex")}`);
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  for (const dir of fs.readdirSync(TMP).filter((name) => name.includes(".before-restore-"))) {
    fs.rmSync(path.join(TMP, dir), { recursive: true, force: true });
  }
});

/** The migrated template the test run made once (migrating a folder from scratch takes a while). */
const template = () => new Blob([fs.readFileSync(inject("runNames").pgliteTemplate)]);

/** Every row of every table of the public schema, in a stable order. */
async function everyTable(db: DB): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const contents: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    contents[name] = rows.rows.map((r) => r.row).sort();
  }
  return contents;
}

/** Some data in several tables, then a change to it: a deletion, an update and new rows. */
async function seed(db: DB) {
  const user = await createTestUser(db, { role: "plo", name: "Bea Backup" });
  const actor = { id: user.id, name: user.name };
  await createTestProgram(db, actor, { name: "Backed-up rollout" });
  return actor;
}
async function change(db: DB, actor: { id: string; name: string }) {
  await createTestProgram(db, actor, { name: "Made after the backup" });
  await db.updateTable("programs").set({ name: "Renamed after the backup" }).where("name", "=", "Backed-up rollout").execute();
  await db.deleteFrom("audit_events").execute();
}

describe.skipIf(postgresUrl())("backups of the embedded database (PGlite)", () => {
  it("back up, change, restore: every table is as it was, and the replaced folder is kept", { timeout: 120_000 }, async () => {
    const dataDir = folder("backup-data");
    const dir = folder("backups");
    const first = createDatabase({ dataDir, purpose: "test", loadDataDir: template() });
    const actor = await seed(first.db);
    const backup = await backUp(first, { dir });
    const atBackup = await everyTable(first.db);
    await change(first.db, actor);
    expect(await everyTable(first.db)).not.toEqual(atBackup);

    // A restore is refused while the folder is open.
    await expect(restore(backup.path, { dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();

    const message = await restore(backup.path, { dataDir });
    expect(message).toMatch(/kept as .*\.before-restore-/);
    const restored = createDatabase({ dataDir, purpose: "test" });
    try {
      expect(await everyTable(restored.db)).toEqual(atBackup);
    } finally {
      await restored.close();
    }
  });
});

describe("the backup folder", () => {
  it("lists backups newest first, ignores other files, and keeps only the newest N", () => {
    const dir = folder("backups");
    fs.mkdirSync(dir, { recursive: true });
    const names = [
      "rollout-desk-20261101-020000.pglite.tar.gz",
      "rollout-desk-20261201-020000.pgdump",
      "rollout-desk-20261201-020000-2.pgdump",
    ];
    names.forEach((name, i) => {
      fs.writeFileSync(path.join(dir, name), "x".repeat(10 * (i + 1)));
      const when = new Date(Date.UTC(2026, 10 + Math.min(i, 1), 1, 2));
      fs.utimesSync(path.join(dir, name), when, when);
    });
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a backup");
    fs.writeFileSync(path.join(dir, "rollout-desk-20261202-020000.pgdump.partial"), "half written");
    expect(listBackups(dir).map((b) => [b.name, b.bytes])).toEqual([
      [names[2], 30],
      [names[1], 20],
      [names[0], 10],
    ]);
    expect(pruneBackups(dir, 2)).toEqual([names[0]]);
    expect(listBackups(dir).map((b) => b.name)).toEqual([names[2], names[1]]);
  });
});

describe.runIf(postgresUrl())("backups of PostgreSQL (pg_dump / pg_restore)", () => {
  it("back up, change, restore: every table is as it was", { timeout: 60_000 }, async () => {
    const fresh = await createFreshPostgresDatabase();
    const handle = createDatabase({ url: fresh.url, poolSize: 2 });
    try {
      const actor = await seed(handle.db);
      const backup = await backUp(handle, { dir: folder("pg-backups"), url: fresh.url });
      expect(backup.name).toMatch(/\.pgdump$/);
      const atBackup = await everyTable(handle.db);
      await change(handle.db, actor);
      expect(await everyTable(handle.db)).not.toEqual(atBackup);
      await restore(backup.path, { url: fresh.url });
      expect(await everyTable(handle.db)).toEqual(atBackup);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});
