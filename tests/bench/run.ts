// npm run bench — builds (npm script), then: a fresh database (PGlite in a temporary folder, or a
// fresh PostgreSQL database `rollout_desk_bench` when DATABASE_URL is set), migrated and loaded
// with the synthetic dataset; the built server in production mode on it; autocannon on a trivial
// route and on every real page. Prints one table and fails when a page answers anything but 2xx.
//
// Settings (environment): BENCH_DURATION (seconds per page, 5), BENCH_WARMUP (seconds, 1),
// BENCH_CONNECTIONS (10), BENCH_ONLY (comma-separated page names, to measure a few), BENCH_DUMP
// (a folder: each page's sampled HTML is written there, to see what makes a page heavy),
// BENCH_UNCACHED=0 (skip the second pass over the cached pages without the read cache),
// BENCH_KEEP=1 (PostgreSQL only: keep the loaded database after the run and reuse it on the next
// run with BENCH_KEEP=1 — for profiling one page at a time; the figures to report come from a
// fresh load), BENCH_LOAD_SECONDS (the PostgreSQL load run, ≤ 60, default 30). BENCH_ONLY also
// takes "RACI cell edits", "HR import", "hostile", "load run" and "two processes", and the timed
// sections of the newer areas: "check-in saves", "attendance import", "publishing", "report PDF"
// and "after HR re-import" (see ./areas.ts), and "profile" and "cold start" (issue 20). The pages of the OKR cycles, enablement and sponsor
// reports are ordinary targets (names below: "team OKR page", "iCal feed, coach of 10 teams",
// "enablement heat map", "live status", "published report"…).
//
// Dataset (./dataset.ts and the files it loads): 20,000 people in 2,000 teams, the coach community,
// 8 OKR cycles with ~50,000 key results and ~500,000 check-ins (./cycles-dataset.ts), enablement
// with 12 modules, ~120,000 person × requirement states, 2,000 sessions and 60,000 roster rows
// (./enablement-dataset.ts), three published reports (./reports-dataset.ts). The same size on both
// backends, which keeps the PGlite figures comparable rather than flattered by less data: the load
// took 46 s on PostgreSQL and 128–165 s on PGlite (2 cores shared with other work; the OKR
// check-ins are most of it), so on PGlite expect close to three minutes before the first page.
//
// Per-request cost (issue 20): after the page table the bench prints the floor ratio (the trivial
// page's req/s ÷ /healthz's, both from the table: BENCH_ONLY must name "floor (no Remix)"), where
// the trivial page's time goes (a server of its own run with --cpu-prof under the same load for
// BENCH_PROFILE_SECONDS, 5; summarized by ./profile.ts), and the cold start: the page server
// started again on the existing database, timed from spawning `node server/index.js` to the first
// page served. The HR import section prints the import server's peak memory (VmHWM).
//
// Targets are printed beside the figures: "≤ 2×" is the page's p50 against the trivial route's
// (ADR 0009), "p95 ≤ 150 ms (PG)" an absolute bound that applies on PostgreSQL; ✓ met, ✗ missed.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Result } from "autocannon";
import pg from "pg";
import { createDatabase, type DatabaseOptions } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { BENCH_ADMIN, BENCH_COACH, BENCH_PLO, loadDataset, type DatasetSummary } from "./dataset";
import { formatHostile, formatLoad, formatProcesses, loadRun, loadRunOn, measureHostile } from "./hostile";
import { benchOrgImport, type OrgImportBench } from "./org-import";
import {
  formatTimed,
  measureAfterReimport,
  measureAttendanceImport,
  measureCheckInSaves,
  measurePdf,
  measurePublishing,
  type TimedRow,
} from "./areas";
import { BENCH_FEED_COACH } from "./cycles-dataset";
import { formatProfile, readNewestProfile, summarizeCpuProfile, type ProfileSummary } from "./profile";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DURATION = Number(process.env.BENCH_DURATION) || 5;
const WARMUP = Number(process.env.BENCH_WARMUP) || 1;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 10;
const ONLY = process.env.BENCH_ONLY?.split(/,(?! )/)
  .map((s) => s.trim())
  .filter(Boolean);
// BENCH_PG_DATABASE: another name for the bench's database, so that two people (or helpers) can
// bench on one PostgreSQL server at once without dropping each other's database.
const PG_BENCH_DB = /^[a-z_][a-z0-9_]{0,40}$/.test(process.env.BENCH_PG_DATABASE ?? "")
  ? process.env.BENCH_PG_DATABASE!
  : "rollout_desk_bench";
const KEEP = process.env.BENCH_KEEP === "1";
const KEPT_SUMMARY = path.join(os.tmpdir(), `${PG_BENCH_DB}-summary.json`);

type Who = "anonymous" | "admin" | "plo" | "coach";

interface Target {
  name: string;
  path: string;
  who: Who;
  /** Read through the data-version cache (ADR 0011): also measured with READ_CACHE=off. */
  cached?: boolean;
  /** The issue's target: p50 at most this many times the trivial route's. */
  ratio?: number;
  /** The issue's target on PostgreSQL: p95 at most this many ms. */
  p95Pg?: number;
}

interface Measurement extends Target {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  responses: number;
  /** Responses outside 2xx, plus connection errors and timeouts. */
  failures: number;
  failureDetail: string;
  queries: number | null;
  /** Size of the (uncompressed) response body. */
  bytes: number;
  /** The sample request alone (no other load from the bench): what one request costs. */
  sampleMs: number;
  /** The trivial route measured around this page (see YARDSTICK_EVERY): p50 and req/s. */
  yardstick?: { p50: number; requestsPerSecond: number };
}

/**
 * The trivial route is measured again after every this many pages, and each page is compared
 * with the mean of the measurements just before and just after it: on a shared 2-core machine
 * the speed drifts over a run, and a yardstick taken minutes earlier made ratios swing by ±30 %.
 */
const YARDSTICK_EVERY = 3;

// ---------------------------------------------------------------------------------------------
// Database

interface BenchDatabase {
  backend: string;
  /** The summary of the dataset already loaded (BENCH_KEEP), or null to load it. */
  kept: DatasetSummary | null;
  options: DatabaseOptions;
  /** Environment for the server process. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function adminQuery(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<BenchDatabase> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const url = new URL(base);
    url.pathname = `/${PG_BENCH_DB}`;
    const where = new URL(base);
    const backend = `PostgreSQL (database ${PG_BENCH_DB} on ${where.host})`;
    const options = { url: url.toString(), poolSize: 2 };
    const env = { DATABASE_URL: url.toString() };
    if (KEEP && fs.existsSync(KEPT_SUMMARY) && (await databaseExists(base, PG_BENCH_DB))) {
      const kept = JSON.parse(fs.readFileSync(KEPT_SUMMARY, "utf8")) as DatasetSummary;
      // The hostile section's wrong sign-ins of an earlier run would otherwise lock the bench's own sign-in out.
      await adminQuery(url.toString(), "DELETE FROM login_throttle");
      return { backend: `${backend}, kept from an earlier run`, kept, options, env, cleanup: async () => {} };
    }
    await adminQuery(base, `DROP DATABASE IF EXISTS ${PG_BENCH_DB} WITH (FORCE)`);
    await adminQuery(base, `CREATE DATABASE ${PG_BENCH_DB}`);
    return {
      backend,
      kept: null,
      options,
      env,
      cleanup: KEEP ? async () => {} : () => adminQuery(base, `DROP DATABASE IF EXISTS ${PG_BENCH_DB} WITH (FORCE)`),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-desk-bench-"));
  const dataDir = path.join(dir, "pgdata");
  return {
    backend: `PGlite (embedded, data folder ${dataDir})`,
    kept: null,
    options: { dataDir },
    env: { DATABASE_URL: "", DATA_DIR: dataDir },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function databaseExists(url: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

async function prepare(database: BenchDatabase): Promise<DatasetSummary> {
  if (database.kept) return database.kept;
  const handle = createDatabase(database.options);
  try {
    await migrateToLatest(handle.db);
    return await loadDataset(handle.db);
  } finally {
    // Closed before the server opens it: PGlite must never be open in two processes.
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Server

interface BenchServer {
  url: string;
  pid: number | undefined;
  output: string[];
  /** performance.now() when the process was spawned, and when it said it listens. */
  spawnedAt: number;
  listeningAt: number;
  stop(): Promise<void>;
}

async function startBuiltServer(env: Record<string, string>, extraFlags: string[] = [], startSeconds = 60): Promise<BenchServer> {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    throw new Error("No build found: run `npm run bench` (it builds first) or `npm run build`.");
  }
  // BENCH_SERVER_FLAGS: node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const flags = [...(process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? []), ...extraFlags];
  const spawnedAt = performance.now();
  let listeningAt = Number.NaN;
  const child: ChildProcess = spawn(process.execPath, [...flags, path.join(ROOT, "server", "index.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_REQUESTS: "0",
      EXPOSE_QUERY_COUNT: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      SESSION_SECRET: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within ${startSeconds} s:\n${output.join("")}`)),
      startSeconds * 1000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /listening on http:\/\/localhost:(\d+)/.exec(text);
      if (match) {
        listeningAt = performance.now();
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output.join("")}`));
    });
  });
  return {
    url,
    pid: child.pid,
    output,
    spawnedAt,
    listeningAt,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** Signs in like a browser (same-origin post) and returns the Cookie header to send. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(new URL("/login", baseUrl), {
    method: "POST",
    headers: { Origin: new URL(baseUrl).origin },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  if (response.status !== 302) throw new Error(`signing in as ${email} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0].trim())
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
  if (!cookie) throw new Error(`signing in as ${email} set no cookie`);
  return cookie;
}

// ---------------------------------------------------------------------------------------------
// Load

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest-rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function cannon(url: string, headers: Record<string, string>, seconds: number, onResponse?: (status: number, ms: number) => void) {
  return new Promise<{ result: Result; elapsedSeconds: number }>((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, timeout: 10 }, (error, result) => {
      if (error) reject(error);
      else resolve({ result, elapsedSeconds: (performance.now() - started) / 1000 });
    });
    if (onResponse) instance.on("response", (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

async function measure(baseUrl: string, target: Target, cookies: Record<Who, string>): Promise<Measurement> {
  const url = new URL(target.path, baseUrl).toString();
  const headers: Record<string, string> = cookies[target.who] ? { cookie: cookies[target.who] } : {};

  // One plain request first: it must succeed, and it tells how many SQL queries the page runs and
  // what one request costs alone. A 503 (the server shedding load after a page that overran it)
  // gets one more try once the server has caught up.
  let sampleStarted = performance.now();
  let sample = await fetch(url, { headers, redirect: "manual" });
  let body = await sample.text();
  if (sample.status === 503) {
    await drain(baseUrl, cookies.plo);
    sampleStarted = performance.now();
    sample = await fetch(url, { headers, redirect: "manual" });
    body = await sample.text();
  }
  const sampleMs = performance.now() - sampleStarted;
  if (sample.status !== 200) {
    throw new Error(`${target.name} (${target.path}) answered ${sample.status} to a sample request:\n${body.slice(0, 500)}`);
  }
  const queryHeader = sample.headers.get("x-query-count");
  if (process.env.BENCH_DUMP) fs.writeFileSync(path.join(process.env.BENCH_DUMP, `${target.name.replace(/\W+/g, "-")}.html`), body);

  await cannon(url, headers, WARMUP);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const { result, elapsedSeconds } = await cannon(url, headers, DURATION, (status, ms) => {
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  latencies.sort((a, b) => a - b);
  const bad = [...statuses].filter(([status]) => status < 200 || status > 299);
  const failures = bad.reduce((sum, [, n]) => sum + n, 0) + result.errors + result.timeouts;
  const failureDetail = [
    ...bad.map(([status, n]) => `${n}× HTTP ${status}`),
    result.errors ? `${result.errors} errors` : "",
    result.timeouts ? `${result.timeouts} timeouts` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return {
    ...target,
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    responses: latencies.length,
    failures,
    failureDetail,
    queries: queryHeader === null ? null : Number(queryHeader),
    bytes: Buffer.byteLength(body),
    sampleMs,
  };
}

/**
 * Waits (up to two minutes) until the trivial route answers within a second again: a page that
 * takes seconds leaves requests queued behind it, and the next page must not pay for them.
 */
async function drain(baseUrl: string, cookie: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const started = performance.now();
    const answer = await fetch(new URL("/account/password", baseUrl), { headers: { cookie } }).catch(() => null);
    await answer?.arrayBuffer();
    if (answer?.status === 200 && performance.now() - started < 1000) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// ---------------------------------------------------------------------------------------------
// RACI cell edits: request-to-response time of the grid's save, with the right version each time.

interface CellEditMeasurement {
  name: string;
  edits: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  failures: number;
  failureDetail: string;
}

const CELL_EDITS = Number(process.env.BENCH_CELL_EDITS) || 300;
const CYCLE = ["R", "C", "I", ""];

async function raciIds(baseUrl: string, programId: string, cookie: string): Promise<{ activities: string[]; roles: string[] }> {
  const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.source;
  const page = await (await fetch(`${baseUrl}/programs/${programId}/raci`, { headers: { cookie } })).text();
  const activities = [...new Set([...page.matchAll(new RegExp(`raci/activities/(${id})`, "g"))].map((m) => m[1]))];
  const row = await (await fetch(`${baseUrl}/programs/${programId}/raci/activities/${activities[0]}`, { headers: { cookie } })).text();
  const roles = [...row.matchAll(new RegExp(`name="version-(${id})"`, "g"))].map((m) => m[1]);
  return { activities, roles };
}

/** One POST over a kept-alive connection; node:http, lighter than fetch, so the client takes less of the machine it measures. */
function postForm(
  url: URL,
  agent: http.Agent,
  headers: Record<string, string>,
  form: URLSearchParams,
): Promise<{ status: number; body: string }> {
  const body = form.toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** One connection editing one cell `count` times in a row; returns each round trip in ms. */
async function editLoop(baseUrl: string, programId: string, cookie: string, activityId: string, roleId: string, count: number) {
  const times: number[] = [];
  const bad = new Map<string, number>();
  // The cell's current version: read it from the row form once, then from each answer.
  const row = await (await fetch(`${baseUrl}/programs/${programId}/raci/activities/${activityId}`, { headers: { cookie } })).text();
  let version = Number(new RegExp(`name="version-${roleId}" value="(\\d+)"`).exec(row)?.[1] ?? 0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${baseUrl}/programs/${programId}/raci/cell`);
  try {
    for (let i = 0; i < count; i++) {
      const form = new URLSearchParams({ activityId, roleId, value: CYCLE[i % CYCLE.length], version: String(version) });
      const started = performance.now();
      const response = await postForm(url, agent, { cookie, origin: baseUrl }, form);
      times.push(performance.now() - started);
      const json = (() => {
        try {
          return JSON.parse(response.body) as { cell?: { version: number } };
        } catch {
          return {};
        }
      })();
      if (response.status !== 200 || !json.cell) bad.set(`HTTP ${response.status}`, (bad.get(`HTTP ${response.status}`) ?? 0) + 1);
      else version = json.cell.version;
    }
  } finally {
    agent.destroy();
  }
  return { times, bad };
}

async function measureCellEdits(baseUrl: string, programId: string, cookie: string): Promise<CellEditMeasurement[]> {
  const { activities, roles } = await raciIds(baseUrl, programId, cookie);
  const out: CellEditMeasurement[] = [];
  for (const connections of [1, 10]) {
    process.stdout.write(`[bench] RACI cell edits, ${connections} connection${connections === 1 ? "" : "s"} … `);
    const started = performance.now();
    // Each connection owns its own cell, so no edit is a conflict.
    const loops = await Promise.all(
      Array.from({ length: connections }, (_, c) =>
        editLoop(baseUrl, programId, cookie, activities[c + 1], roles[(c * 4) % roles.length], Math.ceil(CELL_EDITS / connections)),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const times = loops.flatMap((l) => l.times).sort((a, b) => a - b);
    const bad = new Map<string, number>();
    for (const l of loops) for (const [k, n] of l.bad) bad.set(k, (bad.get(k) ?? 0) + n);
    const m: CellEditMeasurement = {
      name: connections === 1 ? "one editor, sequential" : `${connections} editors at once, a cell each`,
      edits: times.length,
      requestsPerSecond: times.length / seconds,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      failures: [...bad.values()].reduce((a, b) => a + b, 0),
      failureDetail: [...bad].map(([k, n]) => `${n}× ${k}`).join(", "),
    };
    console.log(`median ${m.p50.toFixed(1)} ms${m.failures ? `, ${m.failures} FAILED` : ""}`);
    out.push(m);
  }
  return out;
}

function formatCellEdits(rows: CellEditMeasurement[]): string {
  const lines = [
    "RACI cell edits (POST …/raci/cell, request to response; target: median under 50 ms on PostgreSQL)",
    "| run | edits | edits/s | median ms | p95 ms | failed |",
    "|---|--:|--:|--:|--:|--:|",
    ...rows.map(
      (r) => `| ${r.name} | ${r.edits} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.failures} |`,
    ),
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Per-request cost (issue 20): the floor ratio (the trivial page's req/s against /healthz's, from
// the page table), where the trivial page's time goes (a CPU profile of the server under the same
// load, summarized by ./profile.ts), and the cold start on the existing database.

const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS) || 5;

interface ColdStart {
  /** From spawning `node server/index.js` to its "listening" line. */
  listeningMs: number;
  /** From then to the first page's last byte (the trivial signed-in page, with a session from before). */
  firstPageMs: number;
  totalMs: number;
  status: number;
}

/** Starts the server on the existing database and times it to the first page served. */
async function coldStart(env: Record<string, string>, cookie: string): Promise<{ server: BenchServer; cold: ColdStart }> {
  const server = await startBuiltServer(env);
  const response = await fetch(new URL("/account/password", server.url), { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  const done = performance.now();
  return {
    server,
    cold: {
      listeningMs: server.listeningAt - server.spawnedAt,
      firstPageMs: done - server.listeningAt,
      totalMs: done - server.spawnedAt,
      status: response.status,
    },
  };
}

/**
 * A server of its own started with --cpu-prof; the trivial page loaded as in the page table (a
 * warm-up, then PROFILE_SECONDS measured); the server stopped, which writes the profile; only the
 * samples of the measured seconds are summarized.
 */
async function profileTrivialPage(
  env: Record<string, string>,
  account: { email: string; password: string },
): Promise<ProfileSummary | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-desk-profile-"));
  const server = await startBuiltServer(env, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  try {
    const cookie = await signIn(server.url, account.email, account.password);
    const url = new URL("/account/password", server.url).toString();
    await cannon(url, { cookie }, WARMUP + 1);
    let requests = 0;
    const from = Number(process.hrtime.bigint() / 1000n);
    await cannon(url, { cookie }, PROFILE_SECONDS, () => (requests += 1));
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    const profile = readNewestProfile(dir);
    return profile ? summarizeCpuProfile(profile, { root: ROOT, fromUs: from, toUs: to, requests }) : null;
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function formatFloor(results: Measurement[]): string | null {
  const floor = results.find((m) => m.path === "/healthz");
  if (!floor || !floor.yardstick || floor.requestsPerSecond === 0) return null;
  const ratio = floor.yardstick.requestsPerSecond / floor.requestsPerSecond;
  return (
    `Floor ratio (target ≥ 1/8): trivial page ${floor.yardstick.requestsPerSecond.toFixed(0)} req/s ÷ /healthz ${floor.requestsPerSecond.toFixed(0)} req/s` +
    ` = ${ratio.toFixed(3)} (1/${(1 / ratio).toFixed(1)}) ${ratio >= 1 / 8 ? "✓" : "✗"}`
  );
}

function formatColdStart(cold: ColdStart, backend: string): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return (
    `Cold start on the existing ${backend} database (target ≤ 3 s on PGlite): ${s(cold.totalMs)} s from \`node server/index.js\` to the first page served ` +
    `(${s(cold.listeningMs)} s to listening, ${s(cold.firstPageMs)} s for the first page, HTTP ${cold.status})` +
    `${backend === "PGlite" ? (cold.totalMs <= 3000 ? " ✓" : " ✗") : ""}`
  );
}

// ---------------------------------------------------------------------------------------------
// HR import: a 20,000-row HR export into an empty organization, then the month-later export, through
// a server of its own on a database of its own, so the measured pages are not disturbed and the
// server's peak memory is the import's. On PGlite the database is a fresh data folder, as the app
// runs it (DATA_DIR): an in-memory PGlite would keep the database's own files, its WAL included,
// inside the server process and count them as the import's memory.

async function measureOrgImport(): Promise<OrgImportBench> {
  const base = process.env.DATABASE_URL;
  const name = `${PG_BENCH_DB}_import`;
  const folder = base ? null : fs.mkdtempSync(path.join(os.tmpdir(), "rollout-desk-import-bench-"));
  const env: Record<string, string> = { DATA_DIR: folder ? path.join(folder, "pgdata") : "memory://", READ_CACHE: "on" };
  if (base) {
    await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(base, `CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
  }
  if (folder) {
    // Created and migrated beforehand (PGlite's first initialization of a folder alone peaks near
    // 900 MB, once per installation): the server opens it as it does on every start.
    const handle = createDatabase({ dataDir: env.DATA_DIR });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
  }
  const server = await startBuiltServer(env, [], 180);
  try {
    const email = "import-bench@bench.rollout-desk.test";
    // A password the strength rules accept (no part of the email or name, not a common one).
    const password = "lantern-quartz-meadow-71";
    const setup = await fetch(new URL("/setup", server.url), {
      method: "POST",
      redirect: "manual",
      headers: { Origin: new URL(server.url).origin },
      body: new URLSearchParams({ name: "Import Bench", email, password, confirm: password }),
    });
    if (setup.status !== 302) throw new Error(`setting up the import bench's installation: ${setup.status}`);
    const cookie = await signIn(server.url, email, password);
    return await benchOrgImport(server.url, cookie, server.pid);
  } catch (error) {
    console.error(`[bench] the HR import failed; server output:\n${server.output.join("").split("\n").slice(-40).join("\n")}`);
    throw error;
  } finally {
    await server.stop();
    if (base) await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  }
}

function formatOrgImport(m: OrgImportBench): string {
  const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "n/a");
  return [
    "HR import through the server (targets: parse, plan and commit each ≤ 2 s on PostgreSQL, ≤ 5 s on PGlite; server peak memory ≤ 400 MB)",
    "| import | rows | parse s | plan s | preview ready s | commit s | slowest /healthz meanwhile ms | what it did |",
    "|---|--:|--:|--:|--:|--:|--:|---|",
    ...m.runs.map(
      (r) =>
        `| ${r.label} | ${r.rows.toLocaleString("en")} | ${s(r.parseMs)} | ${s(r.planMs)} | ${s(r.previewWallMs)} | ${s(r.commitMs)} | ${r.probeMaxMs.toFixed(0)} | ${r.summary} |`,
    ),
    `Server peak memory (VmHWM): ${m.peakServerMb === null ? "n/a" : `${m.peakServerMb} MB`}`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Report

/** The page's targets in words with ✓ / ✗ ("" without a target). The p95 bound applies on PostgreSQL only. */
function targetVerdict(m: Measurement, trivial: Measurement, postgres: boolean): string {
  const parts: string[] = [];
  let pass = true;
  if (m.ratio !== undefined) {
    parts.push(`≤ ${m.ratio}×`);
    pass &&= m.p50 / (m.yardstick ?? trivial).p50 <= m.ratio;
  }
  if (m.p95Pg !== undefined) {
    parts.push(`p95 ≤ ${m.p95Pg} ms${postgres ? "" : " (PG only)"}`);
    if (postgres) pass &&= m.p95 <= m.p95Pg;
  }
  return parts.length === 0 ? "" : `${parts.join(", ")} ${pass ? "✓" : "✗"}`;
}

function formatTable(rows: Measurement[], postgres: boolean): string {
  const trivial = rows[0];
  const header = [
    "page",
    "path",
    "as",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p50 × trivial",
    "target",
    "req/s ÷ trivial",
    "alone ms",
    "SQL/req",
    "KB",
    "non-2xx",
  ];
  const body = rows.map((m) => [
    m.name,
    m.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>").replace(/\/calendar\/[^/]+\.ics$/, "/calendar/<secret>.ics"),
    m.who,
    m.requestsPerSecond.toFixed(0),
    m.p50.toFixed(1),
    m.p95.toFixed(1),
    m === trivial ? "1" : `${(m.p50 / (m.yardstick ?? trivial).p50).toFixed(1)}×`,
    targetVerdict(m, trivial, postgres),
    m === trivial ? "1" : (m.requestsPerSecond / (m.yardstick ?? trivial).requestsPerSecond).toFixed(3),
    m.sampleMs.toFixed(0),
    m.queries === null ? "n/a" : String(m.queries),
    (m.bytes / 1024).toFixed(0),
    String(m.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const numeric = new Set([3, 4, 5, 6, 8, 9, 10, 11, 12]);
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric.has(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (ONLY && ONLY.length === 1 && ONLY[0] === "HR import") {
    // Only the import: it needs neither the synthetic dataset nor the pages' server.
    console.log(
      `[bench] backend: ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}; HR import of a 20,000-row file (own server and database)…`,
    );
    console.log(formatOrgImport(await measureOrgImport()));
    return 0;
  }
  const totalStarted = performance.now();
  const database = await freshDatabase();
  let server: BenchServer | undefined;
  const stopAll = async () => {
    await server?.stop().catch(() => {});
    server = undefined;
    await database.cleanup().catch((error) => console.warn(`[bench] cleanup failed: ${error}`));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`[bench] ${signal}: stopping`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    console.log(`[bench] backend: ${database.backend}`);
    console.log("[bench] migrating and loading the synthetic dataset…");
    const dataset = await prepare(database);
    if (KEEP && !database.kept && process.env.DATABASE_URL) fs.writeFileSync(KEPT_SUMMARY, JSON.stringify(dataset));
    console.log(
      `[bench] dataset loaded in ${dataset.loadSeconds.toFixed(1)} s (${(dataset.steps ?? []).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(", ")})`,
    );

    server = await startBuiltServer(database.env);
    console.log(`[bench] server (production mode) on ${server.url}`);
    const cookies: Record<Who, string> = {
      anonymous: "",
      admin: await signIn(server.url, BENCH_ADMIN.email, BENCH_ADMIN.password),
      plo: await signIn(server.url, BENCH_PLO.email, BENCH_PLO.password),
      coach: await signIn(server.url, BENCH_COACH.email, BENCH_COACH.password),
    };

    const id = dataset.programId;
    const cycle = dataset.cycles.currentCycleId;
    // The measured team: the first with a full set in the current cycle (three objectives).
    const okrTeam = dataset.cycles.checkInTeams.find((t) => t.keyResults >= 7) ?? dataset.cycles.checkInTeams[0];
    // A wave of the program, for the per-wave health page (read from the waves page, as a user would).
    const wavesHtml = await (await fetch(`${server.url}/programs/${id}/waves`, { headers: { Cookie: cookies.plo } })).text();
    const waveId = new RegExp(`/programs/${id}/waves/([\\w-]+)"`).exec(wavesHtml)?.[1] ?? "none";
    const targets: Target[] = [
      // The yardstick (ADR 0009): the lightest signed-in page, through the same stack as every
      // page (session check, root layout, document render). /healthz (plain Express, one query)
      // is printed below it as the floor.
      { name: "trivial route", path: "/account/password", who: "plo" },
      { name: "floor (no Remix)", path: "/healthz", who: "anonymous" },
      { name: "sign-in page", path: "/login", who: "anonymous" },
      { name: "programs list", path: "/programs", who: "plo" },
      { name: "program overview", path: `/programs/${id}`, who: "plo", cached: true, ratio: 3 },
      { name: "program settings", path: `/programs/${id}/settings`, who: "plo" },
      { name: "RACI matrix 80×15", path: `/programs/${id}/raci`, who: "plo" },
      { name: "program teams", path: `/programs/${id}/teams`, who: "plo", cached: true },
      {
        name: "program teams, filtered",
        path: `/programs/${id}/teams?status=onboarding&sort=unit&dir=desc&page=3`,
        who: "plo",
        cached: true,
      },
      { name: "waves", path: `/programs/${id}/waves`, who: "plo" },
      // Process health (issue 16, ADR 0017): computed on read over every cycle's check-ins, cached by data version.
      { name: "health", path: `/programs/${id}/health`, who: "plo", cached: true },
      { name: "health of a wave", path: `/programs/${id}/health?wave=${waveId}`, who: "plo", cached: true },
      { name: "graduation proposals", path: `/programs/${id}/graduation`, who: "plo", cached: true },
      { name: "milestones", path: `/programs/${id}/milestones`, who: "plo" },
      { name: "timeline", path: `/programs/${id}/timeline`, who: "plo" },
      { name: "stakeholders", path: `/programs/${id}/stakeholders`, who: "plo" },
      { name: "risks", path: `/programs/${id}/risks`, who: "plo" },
      { name: "coverage board", path: `/programs/${id}/coverage`, who: "plo", cached: true },
      { name: "coaching activity", path: `/programs/${id}/coaching-activity`, who: "plo", cached: true },
      { name: "coaching activity by coach", path: `/programs/${id}/coaching-activity?view=coaches`, who: "plo", cached: true },
      { name: "coaches", path: `/programs/${id}/coaches`, who: "plo" },
      { name: "assignments", path: `/programs/${id}/assignments`, who: "plo" },
      { name: "sessions (PLO)", path: `/programs/${id}/sessions`, who: "plo" },
      { name: "escalations", path: `/programs/${id}/escalations`, who: "plo" },
      { name: "coach home", path: `/programs/${id}/my-teams`, who: "coach" },
      { name: "coach's sessions", path: `/programs/${id}/sessions`, who: "coach" },
      { name: "learnings", path: "/learnings", who: "coach" },
      { name: "org units", path: "/org", who: "plo" },
      { name: "org teams", path: "/org/teams", who: "plo" },
      { name: "org people", path: "/org/people", who: "plo" },
      { name: "org people search", path: "/org/people?q=tanaka", who: "plo" },
      { name: "users", path: "/admin/users", who: "admin" },
      { name: "audit log", path: "/admin/audit", who: "admin" },
      // OKR cycles (issue 14). The program's cycle overview (checklist counts per wave) is the
      // cycle card of the program overview (≤ 3×, above; the "(uncached)" line is the honest one).
      { name: "OKR cycles", path: `/programs/${id}/cycles`, who: "plo" },
      { name: "cycle calendar", path: `/programs/${id}/cycles/${cycle}`, who: "plo" },
      { name: "team OKR page", path: `/programs/${id}/cycles/${cycle}/teams/${okrTeam.teamId}`, who: "plo", ratio: 2 },
      { name: "team check-in sheet", path: `/programs/${id}/cycles/${cycle}/teams/${okrTeam.teamId}/check-in`, who: "plo", ratio: 2 },
      { name: "team page with checklist", path: `/programs/${id}/teams/${okrTeam.teamId}`, who: "plo" },
      { name: "iCal feed, coach of 10 teams", path: `/calendar/${BENCH_FEED_COACH.feedSecret}.ics`, who: "anonymous", ratio: 2 },
      // Enablement (issue 15): requirements are resolved by query on every read (ADR 0014).
      { name: "enablement heat map", path: `/programs/${id}/enablement`, who: "plo", cached: true, ratio: 3 },
      { name: "enablement heat map by unit", path: `/programs/${id}/enablement?by=unit`, who: "plo", cached: true, ratio: 3 },
      { name: "what I still need (coach)", path: `/programs/${id}/enablement/mine`, who: "coach", ratio: 2 },
      { name: "team's enablement gaps", path: `/programs/${id}/enablement/teams/${okrTeam.teamId}`, who: "plo", ratio: 2 },
      // Paged over the stored overdue rows (kept with the heat map's, ADR 0014).
      { name: "enablement overdue list", path: `/programs/${id}/enablement/overdue`, who: "plo", cached: true, ratio: 3 },
      { name: "training sessions", path: `/programs/${id}/enablement/sessions`, who: "plo" },
      // Sponsor reports (issue 17).
      { name: "live status", path: `/programs/${id}/status`, who: "plo", cached: true, ratio: 3, p95Pg: 150 },
      { name: "published report", path: `/programs/${id}/reports/${dataset.reports.latestReportId}`, who: "plo", ratio: 1.5 },
      { name: "reports list", path: `/programs/${id}/reports`, who: "plo" },
    ].filter((t) => !ONLY || t.name === "trivial route" || ONLY.includes(t.name)) as Target[];

    const results: Measurement[] = [];
    const yardsticks: Measurement[] = [];
    const measureOne = async (target: Target) => {
      process.stdout.write(`[bench] ${target.name.padEnd(26)} ${target.path} … `);
      const m = await measure(server!.url, target, cookies);
      // A page that overran the server leaves requests queued behind it: wait them out.
      if (m.failures > 0 || m.responses === 0 || m.p50 > 1000) await drain(server!.url, cookies.plo);
      console.log(`${m.requestsPerSecond.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms${m.failures ? `, ${m.failures} FAILED` : ""}`);
      return m;
    };
    // Pages in blocks of YARDSTICK_EVERY, the trivial route measured before and after each block.
    const measureAll = async (list: Target[]) => {
      const yardstick = { name: "trivial route", path: "/account/password", who: "plo" } satisfies Target;
      let before = await measureOne(yardstick);
      if (results.length === 0) results.push(before);
      yardsticks.push(before);
      for (let i = 0; i < list.length; i += YARDSTICK_EVERY) {
        const block: Measurement[] = [];
        for (const target of list.slice(i, i + YARDSTICK_EVERY)) if (target.name !== "trivial route") block.push(await measureOne(target));
        const after = await measureOne(yardstick);
        yardsticks.push(after);
        // A yardstick that got no answer (the server still busy with the page before) does not count.
        const sticks = [before, after].filter((y) => y.responses > 0);
        for (const m of block) {
          m.yardstick = {
            p50: sticks.reduce((sum, y) => sum + y.p50, 0) / sticks.length,
            requestsPerSecond: sticks.reduce((sum, y) => sum + y.requestsPerSecond, 0) / sticks.length,
          };
          results.push(m);
        }
        before = after;
      }
    };
    await measureAll(targets);

    // The cached pages once more on a server without the cache: what a page costs right after a
    // change, when it is read afresh. (The database cannot be opened by two processes on PGlite:
    // one server at a time.)
    const cachedTargets = process.env.BENCH_UNCACHED === "0" ? [] : targets.filter((t) => t.cached);
    if (cachedTargets.length > 0) {
      await server.stop();
      server = await startBuiltServer({ ...database.env, READ_CACHE: "off" });
      console.log(`[bench] server without the read cache on ${server.url}`);
      for (const who of ["plo", "coach", "admin"] as const) {
        const account = { plo: BENCH_PLO, coach: BENCH_COACH, admin: BENCH_ADMIN }[who];
        cookies[who] = await signIn(server.url, account.email, account.password);
      }
      await measureAll(cachedTargets.map((t) => ({ ...t, name: `${t.name} (uncached)`, cached: false })));
    }

    // Where the trivial page's time goes, and the cold start: a server with the profiler of its
    // own (PGlite: one process at a time, so the page server is stopped meanwhile), then the page
    // server started afresh on the existing database, timed to its first page.
    const serverEnv = cachedTargets.length > 0 ? { ...database.env, READ_CACHE: "off" } : database.env;
    let profile: ProfileSummary | null = null;
    let cold: ColdStart | null = null;
    if (!ONLY || ONLY.includes("profile") || ONLY.includes("cold start")) {
      await server.stop();
      if (!ONLY || ONLY.includes("profile")) {
        process.stdout.write(`[bench] CPU profile of the trivial page (${PROFILE_SECONDS} s under load) … `);
        profile = await profileTrivialPage(serverEnv, BENCH_PLO);
        console.log(profile ? `${profile.requests} requests profiled` : "no profile written");
      }
      const restarted = await coldStart(serverEnv, cookies.plo);
      server = restarted.server;
      cold = restarted.cold;
      console.log(`[bench] cold start: first page after ${(cold.totalMs / 1000).toFixed(2)} s (HTTP ${cold.status})`);
    }

    const cpus = os.cpus();
    console.log("");
    console.log(`Rollout Desk bench — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
    console.log(`Backend: ${database.backend}`);
    console.log(
      `Dataset: ${dataset.users} users, ${dataset.programs} programs, ${dataset.auditEvents.toLocaleString("en")} audit events, ` +
        `${dataset.raciMatrices} RACI matrix (${dataset.raciRoles} roles × ${dataset.raciActivities} activities), ` +
        `${dataset.units} units, ${dataset.teams.toLocaleString("en")} teams, ${dataset.people.toLocaleString("en")} people, ` +
        `${dataset.waves} waves with ${dataset.plannedTeams.toLocaleString("en")} planned teams, ` +
        `${dataset.coaches} coaches, ${dataset.sessions.toLocaleString("en")} support sessions, ` +
        `${dataset.cycles.cycles} OKR cycles (${dataset.cycles.cycleEvents} events, ${dataset.cycles.objectives.toLocaleString("en")} objectives, ` +
        `${dataset.cycles.keyResults.toLocaleString("en")} key results, ${dataset.cycles.checkIns.toLocaleString("en")} check-ins), ` +
        `enablement (${dataset.enablement.modules} modules, ${dataset.enablement.requirements} requirements reaching ` +
        `${dataset.enablement.states.toLocaleString("en")} person × requirement states, ${dataset.enablement.sessions.toLocaleString("en")} sessions, ` +
        `${dataset.enablement.rosterRows.toLocaleString("en")} roster rows, ${dataset.enablement.completions.toLocaleString("en")} completions), ` +
        `${dataset.reports.publishedReports} published reports; database ${megabytes(dataset.databaseBytes)}`,
    );
    console.log(
      `Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per page after a ${WARMUP} s warm-up; ` +
        `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}; p50/p95 exact over every response`,
    );
    console.log("");
    console.log(formatTable(results, Boolean(process.env.DATABASE_URL)));
    console.log("");
    const p50s = yardsticks.map((y) => y.p50);
    console.log(
      `× trivial: against the trivial route, the lightest signed-in page (/account/password; see docs/decisions/0009), measured before and after every ${YARDSTICK_EVERY} pages ` +
        `(${yardsticks.length} times, p50 ${Math.min(...p50s).toFixed(1)}–${Math.max(...p50s).toFixed(1)} ms); each page against the mean of the two around it.`,
    );
    console.log("SQL/req: X-Query-Count of one request (n/a: /healthz runs before the request context, it sends 1 query).");
    console.log(
      "alone ms: the page's first request, alone on the server (before the load). A page that answered no request within the measuring window (BENCH_DURATION, 10 connections queueing behind each other) shows req/s 0 and p50 NaN: read its cost from 'alone ms'.",
    );
    console.log(
      'Pages read through the data-version cache (ADR 0011) are measured warm, as users meet them between two changes; "(uncached)": the same page with READ_CACHE=off, as it is right after a change.',
    );
    const floorLine = formatFloor(results);
    if (floorLine) {
      console.log("");
      console.log(floorLine);
    }
    if (profile) {
      console.log("");
      console.log(
        formatProfile(
          `Where the trivial page's time goes (/account/password, CPU profile of the server under ${CONNECTIONS} connections for ${PROFILE_SECONDS} s; self time charged to the nearest named package or file)`,
          profile,
        ),
      );
    }
    if (cold) {
      console.log("");
      console.log(formatColdStart(cold, process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"));
    }

    const edits = !ONLY || ONLY.includes("RACI cell edits") ? await measureCellEdits(server.url, id, cookies.plo) : null;
    if (edits) {
      console.log("");
      console.log(formatCellEdits(edits));
    }

    // The newer areas' writes and one-off requests (./areas.ts), after the pages: each of them
    // changes the program's data (and so its cached pages).
    const postgres = Boolean(process.env.DATABASE_URL);
    const timed: Array<{ title: string; rows: TimedRow[]; note?: string }> = [];
    const wants = (name: string) => !ONLY || ONLY.includes(name);
    if (wants("check-in saves")) {
      const teams = dataset.cycles.checkInTeams.map((t) => t.teamId);
      timed.push({
        title:
          "Check-in saves (POST …/check-in: a whole team's check-in, every key result of its set; target: median ≤ 20 ms on PostgreSQL)",
        rows: await measureCheckInSaves(server.url, id, cycle, teams, cookies.plo, Number(process.env.BENCH_CHECKINS) || 200, postgres),
      });
    }
    if (wants("attendance import")) {
      timed.push({
        title: "Attendance import (5,000 rows of a meeting tool's export into one training session; target: ≤ 2 s in all on PostgreSQL)",
        rows: await measureAttendanceImport(server.url, id, dataset.enablement.importSessionId, cookies.plo, postgres),
      });
    }
    if (wants("publishing")) {
      timed.push({
        title: "Publishing a status report (the live status frozen into a snapshot, in one transaction; target: ≤ 1 s)",
        rows: [await measurePublishing(server.url, id, cookies.plo, 5)],
      });
    }
    if (wants("report PDF")) {
      const pdf = await measurePdf(server.url, id, dataset.reports.latestReportId, cookies.plo, 3);
      timed.push({
        title: "Report PDF (GET …/reports/<id>.pdf, one after the other; measured, no target)",
        rows: pdf.row ? [pdf.row] : [],
        note: pdf.note,
      });
    }
    if (wants("after HR re-import")) {
      if (postgres) {
        timed.push({
          title:
            "Enablement after changes (ADR 0014: completions keep the stored heat map current as they are saved; an HR re-import makes the next reader recompute it, so the reads right after it are timed; target: ≤ 5 s)",
          rows: await measureAfterReimport(server.url, database.env.DATABASE_URL, id, okrTeam.teamId, cookies.plo),
        });
      } else {
        timed.push({
          title: "Enablement after an HR re-import",
          rows: [],
          note: "PostgreSQL only (the change is written beside the running server).",
        });
      }
    }
    for (const t of timed) {
      console.log("");
      console.log(formatTimed(t.title, t.rows, t.note));
    }

    if (!ONLY || ONLY.includes("HR import")) {
      console.log("");
      console.log("[bench] HR import of a 20,000-row file (own database)…");
      console.log(formatOrgImport(await measureOrgImport()));
    }

    // The load run (PostgreSQL: many connections are what it is for) and, last because its sign-in
    // burst locks the bench's address for a while, the hostile section.
    let loadErrors = 0;
    if (process.env.DATABASE_URL && (!ONLY || ONLY.includes("load run"))) {
      const seconds = Math.min(60, Number(process.env.BENCH_LOAD_SECONDS) || 30);
      console.log("");
      console.log(`[bench] load run: 50 connections, reads and writes, ${seconds} s…`);
      const load = await loadRun(server.url, cookies, id, seconds);
      loadErrors = load.errors;
      console.log(formatLoad(load));
    }
    if (process.env.DATABASE_URL && (!ONLY || ONLY.includes("two processes"))) {
      const seconds = Math.min(60, Number(process.env.BENCH_LOAD_SECONDS) || 30) / 2;
      console.log("");
      console.log(`[bench] one process, then two on the same database: 20 connections, ${seconds} s each…`);
      const one = await loadRunOn([server.url], cookies, id, seconds, 20);
      const second = await startBuiltServer(database.env);
      try {
        const two = await loadRunOn([server.url, second.url], cookies, id, seconds, 20);
        loadErrors += one.errors + two.errors;
        console.log(formatProcesses(one, two));
      } finally {
        await second.stop();
      }
    }
    if (!ONLY || ONLY.includes("hostile")) {
      console.log("");
      console.log(formatHostile(await measureHostile(server.url, cookies)));
    }

    if (loadErrors > 0) {
      console.error("");
      console.error(`BENCH FAILED: the load run answered ${loadErrors} errors.`);
      return 1;
    }
    const failed = [...results, ...yardsticks].filter((m) => m.failures > 0);
    const timedFailures = timed.flatMap((t) => t.rows).filter((r) => r.failures > 0);
    if (timedFailures.length > 0) {
      console.error("");
      console.error(`BENCH FAILED: ${timedFailures.map((r) => `${r.name}: ${r.failureDetail}`).join("; ")}`);
      console.error(`Server output (last lines):\n${server.output.join("").split("\n").slice(-40).join("\n")}`);
      return 1;
    }
    if (edits && edits.some((e) => e.failures > 0)) {
      console.error("");
      console.error(
        `BENCH FAILED: RACI cell edits answered errors: ${edits.map((e) => `${e.name}: ${e.failureDetail || "ok"}`).join("; ")}`,
      );
      return 1;
    }
    if (failed.length > 0) {
      console.error("");
      console.error("BENCH FAILED: pages answered errors under load:");
      for (const m of failed) console.error(`  ${m.name} (${m.path}): ${m.failureDetail}`);
      console.error(`Server output (last lines):\n${server.output.join("").split("\n").slice(-40).join("\n")}`);
      return 1;
    }
    console.log(`[bench] done in ${((performance.now() - totalStarted) / 1000).toFixed(0)} s`);
    return 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
