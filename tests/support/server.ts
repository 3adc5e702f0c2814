import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createFreshPostgresDatabase } from "./database";
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

/**
 * Starts the real built server (server/index.js) on a random port against a fresh database:
 * an in-memory PGlite, or a new PostgreSQL database when DATABASE_URL is set.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const fresh = postgresUrl() ? await createFreshPostgresDatabase() : undefined;
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
      ...(fresh ? { DATABASE_URL: fresh.url } : { DATABASE_URL: "", DATA_DIR: "memory://" }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("")}`)), 45_000);
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
  });
  return {
    url,
    pid: child.pid!,
    databaseUrl: env.DATABASE_URL ?? fresh?.url,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await fresh?.drop();
    },
  };
}
