import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { LOCK_FILE } from "../../db/data-dir-lock";
import { startServer, type RunningServer } from "../support/server";
import { postgresUrl, ROOT, TMP } from "../support/test-env";

// Two processes on one PGlite folder lost data silently (each ignored the other's writes). Now
// the second one refuses to start and says why — a second server, `npm run db:migrate` and the
// demo loader alike —, and a server killed with kill -9 leaves no lock behind that blocks the
// next start. (The embedded database only: these processes run with DATABASE_URL unset.)

const dir = path.join(TMP, `one-process-${randomBytes(4).toString("hex")}`);
const env = { DATABASE_URL: "", DATA_DIR: dir };
const running: RunningServer[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs a tsx script of the project against the folder; resolves with its exit code and output. */
function runScript(script: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), script, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

const IN_USE =
  /The data folder .+ is in use by another Rollout Desk process \(server\/index\.js, pid (\d+) on .+, since .+\)\. Stop that process first/;

// The embedded database only: the PostgreSQL run has no PGlite template and no data folder to lock.
describe.skipIf(postgresUrl())("one process per embedded database folder", () => {
  it("a second server, the migrate command and the demo loader refuse a folder a server holds; a killed server's lock does not linger", async () => {
    // A migrated folder to start from (as `npm start` would leave it).
    fs.mkdirSync(dir, { recursive: true });
    const { PGlite } = await import("@electric-sql/pglite");
    const { PGLITE_EXTENSIONS } = await import("../../db/index");
    const seeded = new PGlite(dir, {
      loadDataDir: new Blob([fs.readFileSync(inject("runNames").pgliteTemplate)]),
      extensions: PGLITE_EXTENSIONS,
    });
    await seeded.close();

    const first = await startServer(env);
    running.push(first);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);

    const second = await startServer(env).then(
      () => "started",
      (error: Error) => error.message,
    );
    expect(second).toMatch(/server exited with 1/);
    expect(second).toMatch(/Rollout Desk cannot start: /);
    expect(IN_USE.exec(second)?.[1]).toBe(String(first.pid));

    const migrate = await runScript("db/migrate-cli.ts", ["up"]);
    expect(migrate.code).toBe(1);
    expect(migrate.output).toMatch(IN_USE);

    const demo = await runScript("db/seed/demo-cli.ts");
    expect(demo.code).toBe(1);
    expect(demo.output).toMatch(/\[demo\] failed: The data folder .+ is in use by another Rollout Desk process/);

    // The first server kept serving throughout.
    expect((await fetch(new URL("/healthz", first.url))).status).toBe(200);

    // kill -9: no chance to clean up. The next start takes the folder over.
    process.kill(first.pid, "SIGKILL");
    running.splice(running.indexOf(first), 1);
    while (isRunning(first.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await startServer(env);
    running.push(third);
    expect((await fetch(new URL("/healthz", third.url))).status).toBe(200);

    // A clean stop gives the folder back; then the migrate command may open it.
    await third.stop();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const migrated = await runScript("db/migrate-cli.ts", ["up"]);
    expect(migrated.output).not.toMatch(IN_USE);
    expect(migrated.code).toBe(0);
  }, 300_000);
});
