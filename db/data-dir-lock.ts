// One process per embedded database folder. PGlite has no lock across processes: two processes
// on one folder each ignore the other's writes, and one side's writes are lost when both stop.
// Every opener of a data folder (the server, `npm run db:migrate`, the demo loader, a backup)
// takes this lock first. It is a file in the folder naming the holder; a holder that died
// (kill -9, power loss) leaves a file whose process is gone, which the next opener takes over.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const LOCK_FILE = "rollout-desk.lock";

export interface LockHolder {
  pid: number;
  /** The process's start time as the kernel knows it (Linux), so a reused pid is not mistaken for the holder. */
  started: string | null;
  host: string;
  purpose: string;
  since: string;
}

export interface DataDirLock {
  readonly dir: string;
  /** Gives the folder up (idempotent). Also done on a normal exit of the process. */
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data folder ${dir} is in use by another Rollout Desk process (${holder.purpose}, pid ${holder.pid} on ${holder.host}, ` +
        `since ${holder.since}). Stop that process first: two processes must never open one embedded database folder. ` +
        `If no such process exists any more, delete ${path.join(dir, LOCK_FILE)}.`,
    );
    this.name = "DataDirLockedError";
  }
}

/** The start time of a process (field 22 of /proc/<pid>/stat), or null where /proc is not available. */
function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the recorded holder is still running (and is the same process, not a reused pid). */
function holderIsRunning(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  // Another machine (or container) sharing the folder: its processes cannot be seen from here, so
  // the lock stands (two containers on one volume must not both run).
  if (holder.host !== os.hostname()) return true;
  // Our own pid in a lock we do not hold: a previous life of this pid (a container restarted after a crash).
  if (holder.pid === process.pid) return false;
  if (!isAlive(holder.pid)) return false;
  const started = processStartTime(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

function readHolder(file: string): { holder: LockHolder; ino: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const ino = fs.fstatSync(fd).ino;
    const text = fs.readFileSync(fd, "utf8");
    try {
      return { holder: JSON.parse(text) as LockHolder, ino };
    } catch {
      // Unreadable (a crash while it was written): nobody can be holding it.
      return { holder: { pid: 0, started: null, host: os.hostname(), purpose: "unknown", since: "unknown" }, ino };
    }
  } finally {
    fs.closeSync(fd);
  }
}

// Folders this process holds, so a second open inside one process is refused as well.
const held = new Map<string, DataDirLock>();

/**
 * Takes the exclusive lock on an embedded database folder, or throws DataDirLockedError naming
 * the process that holds it. `purpose` says who holds it ("server", "migrate", "demo loader",
 * "backup") in the message another process gets.
 */
export function lockDataDir(dataDir: string, purpose: string): DataDirLock {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const mine: LockHolder = {
    pid: process.pid,
    started: processStartTime(process.pid),
    host: os.hostname(),
    purpose,
    since: new Date().toISOString(),
  };
  const already = held.get(dir);
  if (already) throw new DataDirLockedError(dir, readHolder(file)?.holder ?? mine);

  // Written completely to a private file first, then linked into place: link() fails if the lock
  // exists, so exactly one process wins and nobody ever reads a half-written lock.
  const draft = `${file}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(draft, JSON.stringify(mine), { flag: "wx" });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = readHolder(file);
      if (!current) continue; // released meanwhile
      if (holderIsRunning(current.holder) || attempt >= 5) throw new DataDirLockedError(dir, current.holder);
      takeOverStale(file, current.ino);
    }
  } finally {
    fs.rmSync(draft, { force: true });
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(dir);
    process.removeListener("exit", release);
    const current = readHolder(file);
    if (current && current.holder.pid === mine.pid && current.holder.since === mine.since) fs.rmSync(file, { force: true });
  };
  process.on("exit", release);
  const lock: DataDirLock = { dir, release };
  held.set(dir, lock);
  return lock;
}

/**
 * Removes a stale lock file — only the one judged stale: it is first renamed aside (atomic), and
 * if what was renamed turns out to be another process's fresh lock, it is put back.
 */
function takeOverStale(file: string, staleIno: number): void {
  const aside = `${file}.stale.${process.pid}.${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (fs.statSync(aside).ino !== staleIno) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process took the folder meanwhile; its lock stands.
    }
  }
  fs.rmSync(aside, { force: true });
}
