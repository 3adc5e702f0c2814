import fs from "node:fs";
import path from "node:path";
import { getHandle, readiness } from "./db.server";

let version: string | undefined;

/** The installation's health for the administrator's home: database backend, pending migrations, version. */
export async function installationHealth() {
  version ??= (() => {
    try {
      return String(JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")).version ?? "unknown");
    } catch {
      return "unknown";
    }
  })();
  const ready = await readiness();
  return {
    backend: getHandle().backend === "pg" ? "PostgreSQL" : "PGlite (embedded)",
    database: ready.database,
    pending: ready.pending,
    version,
  };
}
