// npm run backup            — a backup of the configured database into BACKUP_DIR (./backups)
// npm run restore -- <file> — restores one (stop the app first on PGlite; on PostgreSQL the
//                             database's objects are replaced in one transaction)
// On PGlite while the server runs, the server holds the data folder: back up from
// Admin → Backups, or let the server do it on a schedule (BACKUP_EVERY_HOURS).
import { BackupError, backUp, backupDir, listBackups, pruneBackups, restore } from "./backup";
import { DataDirLockedError } from "./data-dir-lock";
import { createDatabase, databaseOptionsFromEnv } from "./index";

const [command, file] = process.argv.slice(2);

function size(bytes: number): string {
  return bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

try {
  if (command === "backup") {
    const handle = createDatabase({ ...databaseOptionsFromEnv(), purpose: "backup" });
    try {
      const backup = await backUp(handle, { dir: backupDir(), url: process.env.DATABASE_URL });
      console.log(`Backed up to ${backup.path} (${size(backup.bytes)}).`);
      const keep = Number(process.env.BACKUP_KEEP);
      if (keep > 0) for (const name of pruneBackups(backupDir(), keep)) console.log(`Removed the older backup ${name}.`);
    } finally {
      await handle.close();
    }
  } else if (command === "restore") {
    if (!file) {
      const backups = listBackups(backupDir());
      console.error(
        `Which backup? npm run restore -- <file>\n` +
          (backups.length
            ? backups.map((b) => `  ${b.path}  (${size(b.bytes)}, ${b.createdAt.toISOString()})`).join("\n")
            : `  (no backups in ${backupDir()})`),
      );
      process.exitCode = 1;
    } else {
      console.log(await restore(file, { url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || "./data" }));
    }
  } else {
    console.error("Usage: tsx db/backup-cli.ts backup | restore <file>");
    process.exitCode = 1;
  }
} catch (error) {
  if (error instanceof BackupError || error instanceof DataDirLockedError) {
    console.error(`${command === "restore" ? "Restore" : "Backup"} refused: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
