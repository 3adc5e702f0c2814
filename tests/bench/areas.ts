// The bench's timed sections of the OKR cycles (issue 14), enablement (15) and sponsor reports
// (17): writes and slow one-off requests, each timed request to response through the running
// server, as a user does them (the pages of these areas are in run.ts's table).
//
//   check-in saves       a team lead's whole-team check-in (every key result of the set, one form),
//                        one team after another on one connection, then 10 teams at once; the
//                        versions follow each save, so none is a conflict. Target: median ≤ 20 ms (PG).
//   attendance import    a 5,000-row attendance export of one training session: upload, preview,
//                        commit. Target: ≤ 2 s in all on PostgreSQL.
//   publishing           a new draft (not timed), then its publication (timed): the live status
//                        frozen into a snapshot. Target: ≤ 1 s.
//   PDF                  the latest published report as PDF (headless Chromium, one at a time);
//                        measured only, skipped with a note when Chromium is missing (503).
//   after an HR re-import  requirements are resolved by query on every read (ADR 0014): there is
//                        no re-resolution job to time. What is timed instead is the enablement
//                        heat map and a team's gaps read right after 2,000 people changed team and
//                        200 left (PostgreSQL only: the change is written by SQL beside the server).
//                        Target: the first heat map after the change ≤ 5 s.
import http from "node:http";
import pg from "pg";

export interface TimedRow {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  failures: number;
  failureDetail: string;
  /** The target in words ("median ≤ 20 ms"), and whether it was met (null: no target here). */
  target: string;
  pass: boolean | null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function row(
  name: string,
  times: number[],
  bad: Map<string, number>,
  target: string,
  pass: (r: { p50: number; max: number }) => boolean | null,
): TimedRow {
  const sorted = [...times].sort((a, b) => a - b);
  const r = {
    name,
    runs: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? Number.NaN,
    failures: [...bad.values()].reduce((a, b) => a + b, 0),
    failureDetail: [...bad].map(([k, n]) => `${n}× ${k}`).join(", "),
    target,
    pass: null as boolean | null,
  };
  r.pass = r.failures > 0 || sorted.length === 0 ? false : pass(r);
  return r;
}

function count(bad: Map<string, number>, key: string) {
  bad.set(key, (bad.get(key) ?? 0) + 1);
}

/** One request over a kept-alive connection (node:http, lighter than fetch): status, Location, body. */
function request(
  url: URL,
  agent: http.Agent,
  method: "GET" | "POST",
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; location: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, body: text }));
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const form = (pairs: Array<[string, string]>) => new URLSearchParams(pairs).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

// ---------------------------------------------------------------------------------------------
// Check-in saves

interface SheetRow {
  id: string;
  version: number;
  was: string;
  metric: boolean;
}

/** The check-in sheet's rows (key result, version, shown value, metric or milestone) read from the page. */
function sheetRows(html: string): SheetRow[] {
  const ids = [...html.matchAll(/name="kr" value="([^"]+)"/g)].map((m) => m[1]);
  return ids.map((id) => {
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return {
      id,
      version: Number(new RegExp(`name="version:${esc}" value="(\\d+)"`).exec(html)?.[1] ?? 0),
      was: new RegExp(`name="was:${esc}" value="([^"]*)"`).exec(html)?.[1] ?? "",
      metric: new RegExp(`name="value:${esc}"`).test(html),
    };
  });
}

async function checkInLoop(baseUrl: string, path: string, cookie: string, saves: number) {
  const times: number[] = [];
  const bad = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(path, baseUrl);
  const headers = { cookie, origin: new URL(baseUrl).origin };
  try {
    const page = await request(url, agent, "GET", headers);
    if (page.status !== 200) throw new Error(`the check-in sheet ${path} answered ${page.status}`);
    const rows = sheetRows(page.body);
    if (rows.length === 0) throw new Error(`the check-in sheet ${path} has no key result`);
    for (let i = 0; i < saves; i++) {
      const value = (k: number) => String(20 + ((i + k) % 30));
      const pairs: Array<[string, string]> = [];
      for (const [k, r] of rows.entries()) {
        pairs.push(["kr", r.id], [`version:${r.id}`, String(r.version)], [`was:${r.id}`, r.was]);
        if (r.metric) pairs.push([`value:${r.id}`, value(k)]);
        pairs.push(
          [`confidence:${r.id}`, i % 5 === 4 ? "needs_attention" : "on_track"],
          [`note:${r.id}`, i % 3 === 0 ? `Bench check-in ${i}` : ""],
        );
        pairs.push([`blockers:${r.id}`, ""]);
      }
      const started = performance.now();
      const answer = await request(url, agent, "POST", { ...headers, ...FORM }, form(pairs));
      times.push(performance.now() - started);
      if (answer.status === 302 || answer.status === 303) {
        // Saved: every key result moved one version on, showing the value just entered.
        for (const [k, r] of rows.entries()) {
          r.version += 1;
          if (r.metric) r.was = value(k);
        }
      } else count(bad, `HTTP ${answer.status}`);
    }
  } finally {
    agent.destroy();
  }
  return { times, bad };
}

/** Whole-team check-ins: one connection, then 10 at once (a team each). */
export async function measureCheckInSaves(
  baseUrl: string,
  programId: string,
  cycleId: string,
  teamIds: readonly string[],
  cookie: string,
  saves: number,
  postgres: boolean,
): Promise<TimedRow[]> {
  const out: TimedRow[] = [];
  for (const connections of [1, 10]) {
    process.stdout.write(`[bench] check-in saves, ${connections} connection${connections === 1 ? "" : "s"} … `);
    const loops = await Promise.all(
      Array.from({ length: connections }, (_, c) =>
        checkInLoop(
          baseUrl,
          `/programs/${programId}/cycles/${cycleId}/teams/${teamIds[(connections === 1 ? 0 : 1) + c]}/check-in`,
          cookie,
          Math.ceil(saves / connections),
        ),
      ),
    );
    const bad = new Map<string, number>();
    for (const l of loops) for (const [k, n] of l.bad) bad.set(k, (bad.get(k) ?? 0) + n);
    const r = row(
      connections === 1 ? "one team lead, sequential" : `${connections} teams at once`,
      loops.flatMap((l) => l.times),
      bad,
      connections === 1 ? "median ≤ 20 ms (PostgreSQL)" : "",
      (m) => (connections === 1 && postgres ? m.p50 <= 20 : null),
    );
    console.log(`median ${r.p50.toFixed(1)} ms${r.failures ? `, ${r.failures} FAILED (${r.failureDetail})` : ""}`);
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Attendance import

/** A meeting tool's participant export: name, email, minutes attended. */
export function attendanceCsv(rows: number, offset: number): string {
  const lines = ["Name (original name),Attendee Email,Duration (minutes)"];
  for (let i = 0; i < rows; i++) {
    const n = offset + i;
    lines.push(`Bench Person ${n},person.${n}@bench-corp.test,${60 + (i % 30)}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

export async function measureAttendanceImport(
  baseUrl: string,
  programId: string,
  sessionId: string,
  cookie: string,
  postgres: boolean,
): Promise<TimedRow[]> {
  const base = `${baseUrl}/programs/${programId}/enablement/import`;
  const headers = { cookie, Origin: new URL(baseUrl).origin };
  const csv = attendanceCsv(5_000, 5_000);
  const bad = new Map<string, number>();
  const body = new FormData();
  body.set("intent", "upload");
  body.set("kind", "attendance");
  body.set("sessionId", sessionId);
  body.set("file", new Blob([csv], { type: "text/csv" }), "attendance-5000.csv");
  process.stdout.write("[bench] attendance import, 5,000 rows … ");
  const t0 = performance.now();
  const upload = await fetch(base, { method: "POST", headers, body, redirect: "manual" });
  const t1 = performance.now();
  const location = upload.headers.get("location") ?? "";
  const importId = /[?&]id=([^&]+)/.exec(location)?.[1];
  if (upload.status !== 302 || !importId) {
    count(bad, `upload HTTP ${upload.status}: ${(await upload.text()).slice(0, 200)}`);
    console.log("FAILED");
    return [row("attendance import, 5,000 rows", [], bad, "≤ 2 s in all (PostgreSQL)", () => false)];
  }
  const preview = await fetch(`${base}?id=${importId}`, { headers });
  const previewText = await preview.text();
  const t2 = performance.now();
  if (preview.status !== 200) count(bad, `preview HTTP ${preview.status}`);
  const commit = await fetch(base, {
    method: "POST",
    headers: { ...headers, ...FORM },
    body: form([
      ["intent", "commit"],
      ["importId", importId],
    ]),
    redirect: "manual",
  });
  const t3 = performance.now();
  if (commit.status !== 302) count(bad, `commit HTTP ${commit.status}: ${(await commit.text()).slice(0, 200)}`);
  const matched = /([\d,]+)(?:<!-- -->)? matched/.exec(previewText)?.[1] ?? "?";
  const total = t3 - t0;
  console.log(`${(total / 1000).toFixed(2)} s (${matched} matched in the preview)`);
  const target = postgres ? "≤ 2 s in all (PostgreSQL)" : "";
  return [
    row("upload (store the file)", [t1 - t0], new Map(), "", () => null),
    row("preview (parse, match 5,000 people)", [t2 - t1], new Map(), "", () => null),
    row("commit (roster, completions, audit)", [t3 - t2], new Map(), "", () => null),
    row("in all", [total], bad, target, (m) => (postgres ? m.max <= 2000 : null)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Publishing and PDF

export async function measurePublishing(baseUrl: string, programId: string, cookie: string, runs: number): Promise<TimedRow> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { cookie, origin: new URL(baseUrl).origin, ...FORM };
  const times: number[] = [];
  const bad = new Map<string, number>();
  process.stdout.write(`[bench] publishing ${runs} reports … `);
  try {
    for (let i = 0; i < runs; i++) {
      const end = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
      const start = new Date(Date.now() - (i + 27) * 86_400_000).toISOString().slice(0, 10);
      const created = await request(
        new URL(`/programs/${programId}/reports`, baseUrl),
        agent,
        "POST",
        headers,
        form([
          ["intent", "create"],
          ["periodStart", start],
          ["periodEnd", end],
          ["unitId", ""],
        ]),
      );
      const reportPath = created.location ? new URL(created.location, baseUrl).pathname : "";
      if (created.status !== 302 || !/\/reports\/[^/]+$/.test(reportPath)) {
        count(bad, `create HTTP ${created.status}`);
        continue;
      }
      const started = performance.now();
      const published = await request(new URL(reportPath, baseUrl), agent, "POST", headers, form([["intent", "publish"]]));
      times.push(performance.now() - started);
      if (published.status !== 302) count(bad, `publish HTTP ${published.status}`);
    }
  } finally {
    agent.destroy();
  }
  const r = row("publish a report (snapshot of the live status)", times, bad, "≤ 1 s", (m) => m.max <= 1000);
  console.log(`median ${r.p50.toFixed(0)} ms${r.failures ? `, ${r.failures} FAILED (${r.failureDetail})` : ""}`);
  return r;
}

/** The PDF of a report a few times, one after the other; null (with the server's words) when the server has no Chromium. */
export async function measurePdf(
  baseUrl: string,
  programId: string,
  reportId: string,
  cookie: string,
  runs: number,
): Promise<{ row: TimedRow | null; note: string }> {
  const url = `${baseUrl}/programs/${programId}/reports/${reportId}.pdf`;
  const times: number[] = [];
  const bad = new Map<string, number>();
  let bytes = 0;
  process.stdout.write(`[bench] report PDF ×${runs} … `);
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = new Uint8Array(await response.arrayBuffer());
    const ms = performance.now() - started;
    if (response.status === 503) {
      console.log("skipped (no Chromium on the server)");
      return { row: null, note: `PDF not measured: ${new TextDecoder().decode(body).slice(0, 120)}` };
    }
    if (response.status !== 200 || response.headers.get("content-type") !== "application/pdf") count(bad, `HTTP ${response.status}`);
    else {
      times.push(ms);
      bytes = body.byteLength;
    }
  }
  const r = row("report PDF (headless Chromium)", times, bad, "measured only", () => null);
  console.log(`median ${r.p50.toFixed(0)} ms`);
  return { row: r, note: `PDF size ${(bytes / 1024).toFixed(0)} KB; the first rendering includes Chromium's start.` };
}

// ---------------------------------------------------------------------------------------------
// Enablement right after an HR re-import

export async function measureAfterReimport(
  baseUrl: string,
  databaseUrl: string,
  programId: string,
  teamId: string,
  cookie: string,
): Promise<TimedRow[]> {
  const out: TimedRow[] = [];
  // First, five completions recorded by hand, each followed by the heat map: the write keeps the
  // stored figures current (ADR 0014), so the read after it is an ordinary read.
  {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const origin = new URL(baseUrl).origin;
    const records = await request(new URL(`/programs/${programId}/enablement/records`, baseUrl), agent, "GET", { cookie });
    const moduleId = /<select[^>]*name="moduleId"[\s\S]*?<option value="([^"]+)"/.exec(records.body)?.[1] ?? "";
    const writes: number[] = [];
    const reads: number[] = [];
    const bad = new Map<string, number>();
    // Warm: the stored figures current before the first write.
    await request(new URL(`/programs/${programId}/enablement`, baseUrl), agent, "GET", { cookie });
    for (let i = 1; i <= 5; i++) {
      let started = performance.now();
      const saved = await request(
        new URL(`/programs/${programId}/enablement/records`, baseUrl),
        agent,
        "POST",
        { cookie, origin, ...FORM },
        form([
          ["intent", "completion"],
          ["email", `person.${i * 7}@bench-corp.test`],
          ["moduleId", moduleId],
          ["completedOn", new Date().toISOString().slice(0, 10)],
          ["evidence", "Bench: signed class list"],
        ]),
      );
      writes.push(performance.now() - started);
      if (saved.status !== 302) count(bad, `completion HTTP ${saved.status}: ${saved.body.slice(0, 120)}`);
      started = performance.now();
      const map = await request(new URL(`/programs/${programId}/enablement`, baseUrl), agent, "GET", { cookie });
      reads.push(performance.now() - started);
      if (map.status !== 200) count(bad, `heat map HTTP ${map.status}`);
    }
    agent.destroy();
    out.push(row("a completion recorded by hand (POST, keeps the stored heat map current)", writes, bad, "", () => null));
    out.push(row("heat map right after each completion", reads, new Map(), "", () => null));
  }
  // The re-import's effect, written as its commit would: 2,000 people move to a team three
  // hundred teams on (another wave and unit), 200 leave (archived); the versions bumped as
  // recordAudit does for an organization change (data and enablement versions).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  process.stdout.write("[bench] enablement after an HR re-import (2,000 moves, 200 leavers) … ");
  try {
    await client.query("begin");
    await client.query(`update people p set team_id = t.id, unit_id = t.unit_id
      from teams t
      where p.external_id like 'E-%' and substring(p.external_id from 3)::int % 10 = 5
        and t.external_id = 'T-' || (((substring(p.external_id from 3)::int / 10) + 300) % 2000 + 1)`);
    await client.query(`update people set archived_at = now()
      where external_id like 'E-%' and substring(external_id from 3)::int % 100 = 7`);
    await client.query("update programs set data_version = data_version + 1, enablement_version = enablement_version + 1 where id = $1", [
      programId,
    ]);
    await client.query("update installation set data_version = data_version + 1, enablement_version = enablement_version + 1");
    await client.query("commit");
  } finally {
    await client.end();
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const [name, path, target, limit] of [
      ["heat map, first read after the re-import", `/programs/${programId}/enablement`, "≤ 5 s", 5000],
      ["heat map, the next 4 reads", `/programs/${programId}/enablement`, "", null],
      ["a team's gaps", `/programs/${programId}/enablement/teams/${teamId}`, "", null],
      ["overdue list", `/programs/${programId}/enablement/overdue`, "", null],
    ] as const) {
      const times: number[] = [];
      const bad = new Map<string, number>();
      const n = name.startsWith("heat map, the next") ? 4 : 1;
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const answer = await request(new URL(path, baseUrl), agent, "GET", { cookie });
        times.push(performance.now() - started);
        if (answer.status !== 200) count(bad, `HTTP ${answer.status}`);
      }
      out.push(row(name, times, bad, target, (m) => (limit === null ? null : m.max <= limit)));
    }
  } finally {
    agent.destroy();
  }
  console.log(`first heat map after the re-import ${out[2].p50.toFixed(0)} ms`);
  return out;
}

// ---------------------------------------------------------------------------------------------

export function formatTimed(title: string, rows: TimedRow[], note?: string): string {
  const verdict = (r: TimedRow) => (r.pass === null ? "" : r.pass ? " ✓" : " ✗");
  return [
    title,
    "| run | requests | median ms | p95 ms | max ms | failed | target |",
    "|---|--:|--:|--:|--:|--:|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.runs} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.failures}${r.failureDetail ? ` (${r.failureDetail})` : ""} | ${r.target}${verdict(r)} |`,
    ),
    ...(note ? [note] : []),
  ].join("\n");
}
