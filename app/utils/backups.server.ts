import { backUp, backupDir, listBackups, pruneBackups, type BackupFile } from "../../db/backup";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { getDb, getHandle } from "./db.server";

// The running server's backups: taken through its own database handle (on PGlite the server
// holds the data folder, so only it can take a consistent copy while it runs), by an
// administrator from Admin → Backups or on a schedule (BACKUP_EVERY_HOURS, BACKUP_KEEP).

export interface BackupSettings {
  dir: string;
  everyHours: number;
  keep: number;
  backend: "pg" | "pglite";
}

export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings {
  return {
    dir: backupDir(env),
    everyHours: Math.max(0, Number(env.BACKUP_EVERY_HOURS) || 0),
    keep: Math.max(0, Math.floor(Number(env.BACKUP_KEEP) || 14)),
    backend: getHandle().backend,
  };
}

export function backups(): BackupFile[] {
  return listBackups(backupSettings().dir);
}

/** Takes a backup now, prunes beyond BACKUP_KEEP, and records who asked (null: the schedule). */
export async function takeBackup(actor: Actor | null): Promise<{ backup: BackupFile; removed: string[] }> {
  const settings = backupSettings();
  const backup = await backUp(getHandle(), { dir: settings.dir, url: process.env.DATABASE_URL || undefined });
  const removed = settings.keep > 0 ? pruneBackups(settings.dir, settings.keep) : [];
  await recordAudit(getDb(), {
    actor,
    action: "backup.created",
    entityType: "backup",
    entityId: null,
    summary: `${actor ? `${actor.name} took` : "The schedule took"} the backup ${backup.name}`,
    details: { bytes: backup.bytes, removed },
  });
  return { backup, removed };
}

/** Starts the scheduled backups, if BACKUP_EVERY_HOURS is set; returns a stop function. */
export function startBackupSchedule(log: (message: string) => void): () => void {
  const { everyHours } = backupSettings();
  if (!everyHours) return () => {};
  const timer = setInterval(
    () => {
      takeBackup(null).then(
        ({ backup }) => log(`scheduled backup written: ${backup.path}`),
        (error) => log(`scheduled backup failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
    everyHours * 3600 * 1000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
