import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS, type DatabaseHandle } from "./index";
import { lockDataDir } from "./data-dir-lock";

// Backups of either backend, used by `npm run backup` / `npm run restore`, the admin's Backups
// page and the scheduled backup (BACKUP_EVERY_HOURS, BACKUP_KEEP). See README "Operations".
//   PGlite: a consistent dump of the data folder (dumpDataDir, gzip tarball) taken by the process
//     that holds the folder — the server itself while it runs, the command when it does not.
//   PostgreSQL: pg_dump's custom format, restored with pg_restore.

export interface BackupFile {
  name: string;
  path: string;
  bytes: number;
  createdAt: Date;
}

const BACKUP_NAME = /^rollout-desk-\d{8}-\d{6}(-\d+)?\.(pglite\.tar\.gz|pgdump)$/;

export class BackupError extends Error {
  override name = "BackupError";
}

export function backupDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BACKUP_DIR || "./backups");
}

function stamp(date = new Date()): string {
  const iso = date.toISOString(); // 2026-12-07T05:40:29.123Z
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
}

function freeName(dir: string, extension: string): string {
  const base = `rollout-desk-${stamp()}`;
  let name = `${base}.${extension}`;
  for (let n = 2; fs.existsSync(path.join(dir, name)); n++) name = `${base}-${n}.${extension}`;
  return name;
}

function describe(file: string): BackupFile {
  const stat = fs.statSync(file);
  return { name: path.basename(file), path: file, bytes: stat.size, createdAt: stat.mtime };
}

/** Runs a PostgreSQL client program; a missing program is a clear message, not a stack. */
function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          error.code === "ENOENT"
            ? `${program} is not installed on this machine. Install the PostgreSQL client programs (e.g. apt-get install postgresql-client) of the server's major version.`
            : `${program} could not run: ${error.message}`,
        ),
      );
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${program} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`)),
    );
  });
}

/**
 * Takes a backup through an open database handle (the running server's, or a command's) into
 * `dir`. `url` is the PostgreSQL connection string (pg_dump connects on its own).
 */
export async function backUp(handle: DatabaseHandle, options: { dir: string; url?: string }): Promise<BackupFile> {
  fs.mkdirSync(options.dir, { recursive: true });
  if (handle.backend === "pglite") {
    const dump = await handle.pglite!.dumpDataDir("gzip");
    const file = path.join(options.dir, freeName(options.dir, "pglite.tar.gz"));
    // Written under a temporary name first: a half-written file never looks like a backup.
    fs.writeFileSync(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${file}.partial`, file);
    return describe(file);
  }
  if (!options.url) throw new BackupError("A PostgreSQL backup needs the database's URL (DATABASE_URL).");
  const file = path.join(options.dir, freeName(options.dir, "pgdump"));
  try {
    await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}.partial`, options.url]);
  } catch (error) {
    fs.rmSync(`${file}.partial`, { force: true });
    throw error;
  }
  fs.renameSync(`${file}.partial`, file);
  return describe(file);
}

/** Backups taken in the same second sort by their counter ("-2", "-3" …). */
function order(name: string): number {
  const [, time, counter] = /(\d{8}-\d{6})(?:-(\d+))?\./.exec(name) ?? [];
  return Number(time?.replace("-", "") ?? 0) * 1000 + Number(counter ?? 1);
}

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .map((name) => describe(path.join(dir, name)))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || order(b.name) - order(a.name));
}

/** Keeps the newest `keep` backups of `dir`; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const removed: string[] = [];
  for (const backup of listBackups(dir).slice(Math.max(1, keep))) {
    fs.rmSync(backup.path, { force: true });
    removed.push(backup.name);
  }
  return removed;
}

/**
 * Restores a backup. PostgreSQL: pg_restore replaces every object of the database at `url`.
 * PGlite: the data folder must not be in use; it is kept beside as `<folder>.before-restore-…`
 * (nothing is deleted) and a new folder is made from the backup.
 */
export async function restore(file: string, target: { url?: string; dataDir?: string }): Promise<string> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const isPglite = file.endsWith(".pglite.tar.gz");
  if (target.url) {
    if (isPglite) throw new BackupError("This is a backup of the embedded database (PGlite); DATABASE_URL points to PostgreSQL.");
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", `--dbname=${target.url}`, file]);
    return `Restored ${path.basename(file)} into the PostgreSQL database.`;
  }
  if (!isPglite) throw new BackupError("This is a PostgreSQL backup (pg_dump); set DATABASE_URL to restore it.");
  const dataDir = path.resolve(target.dataDir ?? "./data");
  let keptAs: string | null = null;
  if (fs.existsSync(dataDir)) {
    // Refused while a server (or anything else) holds the folder; released at once otherwise.
    lockDataDir(dataDir, "restore").release();
    keptAs = `${dataDir}.before-restore-${stamp()}`;
    fs.renameSync(dataDir, keptAs);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir, "restore");
  try {
    const pglite = new PGlite(dataDir, { loadDataDir: new Blob([fs.readFileSync(file)]), extensions: PGLITE_EXTENSIONS });
    await pglite.waitReady;
    await pglite.close();
  } finally {
    lock.release();
  }
  return `Restored ${path.basename(file)} into ${dataDir}.${keptAs ? ` The folder it replaced is kept as ${keptAs}.` : ""}`;
}
