import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, DataDirLockedError, lockDataDir } from "../../db/index";
import { LOCK_FILE } from "../../db/data-dir-lock";
import { postgresUrl, TMP } from "../support/test-env";

// One process per PGlite data folder: the lock every opener takes (server, migrate, demo loader,
// backups), refused with the holder named, and taken over when its holder died.

const folders: string[] = [];
function folder(): string {
  const dir = path.join(TMP, `lock-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir, { recursive: true });
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

function writeLock(dir: string, holder: Record<string, unknown> | string) {
  fs.writeFileSync(path.join(dir, LOCK_FILE), typeof holder === "string" ? holder : JSON.stringify(holder));
}

/** The kernel's start time of a process, as the lock records it. */
function startTime(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

describe("the data folder lock", () => {
  it("a second lock on a held folder is refused with a message naming the holder; after release it is granted", () => {
    const dir = folder();
    const first = lockDataDir(dir, "server");
    let refusal: unknown;
    try {
      lockDataDir(dir, "backup");
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as Error).message).toMatch(
      new RegExp(
        `^The data folder .+ is in use by another Rollout Desk process \\(server, pid ${process.pid} on .+, since .+\\)\\. Stop that process first`,
      ),
    );
    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir, "backup").release();
  });

  it("a lock left by a process that died (kill -9) is taken over", () => {
    const dir = folder();
    writeLock(dir, { pid: 2_147_483_000, started: "1", host: os.hostname(), purpose: "server", since: "2027-01-01T00:00:00Z" });
    const lock = lockDataDir(dir, "server");
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, purpose: "server" });
    lock.release();
  });

  it("a running process with the recorded pid but another start time (a reused pid) does not hold it", () => {
    const dir = folder();
    writeLock(dir, { pid: process.ppid, started: "1", host: os.hostname(), purpose: "server", since: "2027-01-01T00:00:00Z" });
    lockDataDir(dir, "server").release();
  });

  it("the recorded process still running holds it", () => {
    const dir = folder();
    writeLock(dir, {
      pid: process.ppid,
      started: startTime(process.ppid),
      host: os.hostname(),
      purpose: "migrate",
      since: "2027-01-01T00:00:00Z",
    });
    expect(() => lockDataDir(dir, "server")).toThrow(/in use by another Rollout Desk process \(migrate, pid/);
  });

  it("a lock held from another machine or container cannot be checked, so it holds", () => {
    const dir = folder();
    writeLock(dir, { pid: 1, started: null, host: "some-other-container", purpose: "server", since: "2027-01-01T00:00:00Z" });
    expect(() => lockDataDir(dir, "server")).toThrow(/pid 1 on some-other-container/);
  });

  it("an unreadable lock file (a crash while writing it) is taken over", () => {
    const dir = folder();
    writeLock(dir, '{"pid": 12');
    lockDataDir(dir, "server").release();
  });

  // A real data folder of the embedded database (the PostgreSQL run has no PGlite template).
  it.skipIf(postgresUrl())(
    "opening the database takes the lock, a second open is refused, and closing gives it back",
    async () => {
      const dir = folder();
      const template = new Blob([fs.readFileSync(inject("runNames").pgliteTemplate)]);
      const handle = createDatabase({ dataDir: dir, purpose: "test", loadDataDir: template });
      expect(() => createDatabase({ dataDir: dir })).toThrow(DataDirLockedError);
      await handle.db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
      await handle.close();
      const again = createDatabase({ dataDir: dir });
      await again.close();
      expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    },
    120_000,
  );
});
