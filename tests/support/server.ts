import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { copyPgliteTemplateFolder, createFreshPostgresDatabase } from "./database";
import { postgresUrl, ROOT } from "./test-env";

export interface RunningServer {
  url: string;
  /** The server's process id (to read its memory, or to check it is still running). */
  pid: number;
  /** The PostgreSQL database it uses (undefined on PGlite). */
  databaseUrl: string | undefined;
  /** Lines the server printed (stdout and stderr), for diagnosing a failure. */
  output: string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Errors this test provokes on purpose (a dropped database connection, a killed process…).
   * Any other error the server prints — on stderr, or a log line of level error or above — fails
   * the test file when the server stops: a page can answer 200 while the server logs a failure.
   */
  expectErrors?: RegExp;
}

/** The lines of `output` that are errors: anything on stderr, and log lines of level error (50) or above. */
export function printedErrors(stdout: readonly string[], stderr: readonly string[]): string[] {
  const logged = stdout
    .join("")
    .split("\n")
    .filter((line) => {
      const level = /^\{.*"level":(\d+)/.exec(line)?.[1];
      return level !== undefined && Number(level) >= 50;
    });
  const printed = stderr
    .join("")
    .split("\n")
    // Node's own process warnings (deprecations, experimental features) are not the app's errors.
    .filter((line) => line.trim() !== "" && !/^\(node:\d+\) \w*Warning:|--trace-(warnings|deprecation)/.test(line));
  return [...printed, ...logged];
}

/**
 * Starts the real built server (server/index.js) on a random port against a fresh database:
 * a PGlite data folder copied from the migrated template (its migrations at boot find nothing
 * to do), or a new PostgreSQL database when DATABASE_URL is set — unless `env` names its own.
 */
export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  const fresh = postgresUrl() ? await createFreshPostgresDatabase() : undefined;
  const folder = !fresh && env.DATA_DIR === undefined ? copyPgliteTemplateFolder("server") : undefined;
  const removeFolder = () => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "server", "index.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_REQUESTS: "0",
      EXPOSE_QUERY_COUNT: "1",
      SESSION_SECRET: "",
      ...(fresh ? { DATABASE_URL: fresh.url } : { DATABASE_URL: "", DATA_DIR: folder ?? "memory://" }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test.
      child.once("exit", removeFolder);
      child.kill("SIGKILL");
      void fresh?.drop().catch(() => {});
      reject(new Error(`server did not start:\n${output.join("")}`));
    }, 45_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /listening on (http:\/\/localhost:\d+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join("")}`));
    });
  }).catch((error: unknown) => {
    // A server that refused to start leaves no folder behind.
    if (child.exitCode !== null || child.signalCode !== null) removeFolder();
    throw error;
  });
  return {
    url,
    pid: child.pid!,
    databaseUrl: env.DATABASE_URL ?? fresh?.url,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await fresh?.drop();
      removeFolder();
      const unexpected = printedErrors(stdout, stderr).filter((line) => !options.expectErrors?.test(line));
      if (unexpected.length > 0) {
        throw new Error(`the server printed errors no test expected:\n${unexpected.slice(0, 20).join("\n")}`);
      }
    },
  };
}
