// Benchmark of the HR import, through the real server as a PLO uses it: a generated export of
// 20,000 people (a tree of units five levels deep, 2,000 teams with their leads) is uploaded,
// planned (in the background, with progress) and committed into an empty organization; then the
// month-later export (2% moves, 1% leavers, 1% joiners, 1% renamed teams) is uploaded, its
// proposed renames confirmed, and committed with the leavers archived. Meanwhile a probe asks
// /healthz every 100 ms: its slowest answer tells how long the import kept other users waiting.
// Timings of parse and plan come from the server (the import records them); the commit is timed
// from request to response. Prints nothing itself.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import Papa from "papaparse";

export const ORG_IMPORT_ROWS = 20_000;
export const ORG_IMPORT_TEAMS = 2_000;

const FIRST = [
  "Ada",
  "Bram",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farid",
  "Greta",
  "Hugo",
  "Ines",
  "Jonas",
  "Kemal",
  "Lena",
  "Mateo",
  "Nora",
  "Oskar",
  "Priya",
];
const LAST = ["Andersen", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jansen", "Kowalski", "Larsen"];
const DIVISIONS = ["Operations", "Fleet", "Sales", "Finance", "Technology", "Customer Service"];
const TITLES = ["Engineer", "Analyst", "Planner", "Dispatcher", "Account Manager", "Specialist", "Coordinator"];
const HEADER = ["Employee ID", "Full Name", "Work Email", "Job Title", "Org Path", "Team", "Manager Email"];

/** Northwind › 6 divisions › 5 departments › 4 groups › 2 sections = 240 leaf units. */
function leafUnits(): string[] {
  const leaves: string[] = [];
  for (const division of DIVISIONS)
    for (let d = 1; d <= 5; d++)
      for (let g = 1; g <= 4; g++)
        for (let s = 1; s <= 2; s++)
          leaves.push(`Northwind › ${division} › ${division} ${d} › Group ${d}.${g} › Section ${g}${"ab"[s - 1]}`);
  return leaves;
}

function person(
  i: number,
  team: number,
  perTeam: number,
  leaves: string[],
  teamName = (t: number) => `Team ${String(t + 1).padStart(4, "0")}`,
) {
  return [
    `E${String(100000 + i)}`,
    `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
    `person${i}@northwind.example`,
    TITLES[i % TITLES.length],
    leaves[team % leaves.length],
    teamName(team),
    `person${team * perTeam}@northwind.example`,
  ];
}

/** The file an HR system would export for a company of `rows` people in `teams` teams. */
export function generateHrCsv(rows = ORG_IMPORT_ROWS, teams = ORG_IMPORT_TEAMS): string {
  const leaves = leafUnits();
  const perTeam = Math.ceil(rows / teams);
  const data: string[][] = [HEADER];
  for (let i = 0; i < rows; i++) data.push(person(i, Math.floor(i / perTeam), perTeam, leaves));
  return Papa.unparse(data, { newline: "\r\n" });
}

/**
 * The same company a month later: 2% of the people moved to another team, 1% left, 1% joined,
 * and 1% of the teams renamed (same unit, same members). Leads and team 0's members stay put.
 */
export function generateMonthLater(
  rows = ORG_IMPORT_ROWS,
  teams = ORG_IMPORT_TEAMS,
): { csv: string; moved: number; left: number; joined: number; renamed: number } {
  const leaves = leafUnits();
  const perTeam = Math.ceil(rows / teams);
  const renamedTeams = new Set(Array.from({ length: teams / 100 }, (_, k) => 7 + k * 100));
  const teamName = (t: number) => `Team ${String(t + 1).padStart(4, "0")}${renamedTeams.has(t) ? " (renamed)" : ""}`;
  const data: string[][] = [HEADER];
  let moved = 0;
  let left = 0;
  for (let i = 0; i < rows; i++) {
    const team = Math.floor(i / perTeam);
    const isLead = i % perTeam === 0;
    if (!isLead && !renamedTeams.has(team) && i % 100 === 3) {
      left += 1;
      continue;
    }
    if (!isLead && !renamedTeams.has(team) && (i % 100 === 5 || i % 100 === 6)) {
      const to = (team + 37) % teams;
      const row = person(i, to, perTeam, leaves, teamName);
      data.push(row);
      moved += 1;
      continue;
    }
    data.push(person(i, team, perTeam, leaves, teamName));
  }
  const joined = rows / 100;
  for (let j = 0; j < joined; j++) data.push(person(rows + j, (j * 13) % teams, perTeam, leaves, teamName));
  return { csv: Papa.unparse(data, { newline: "\r\n" }), moved, left, joined, renamed: renamedTeams.size };
}

export interface ImportRun {
  label: string;
  rows: number;
  /** Reading the file at the upload (the upload checks), on the server. */
  parseMs: number;
  /** Planning against the organization and writing the preview's items, on the server. */
  planMs: number;
  /** From the upload's request to a ready preview, as the PLO waits for it (progress shown). */
  previewWallMs: number;
  /** The commit as the PLO waits for it: plan again inside the transaction, then write. */
  commitMs: number;
  /** The slowest /healthz answer while this import ran: how long other users waited at worst. */
  probeMaxMs: number;
  summary: string;
}

export interface OrgImportBench {
  runs: ImportRun[];
  /** The server's peak resident memory (VmHWM) at the end, in MB. */
  peakServerMb: number | null;
}

interface Session {
  url: string;
  cookie: string;
}

async function post(session: Session, path: string, body: FormData | URLSearchParams): Promise<Response> {
  return fetch(new URL(path, session.url), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: session.cookie, origin: new URL(session.url).origin },
    body,
  });
}

async function page(session: Session, path: string): Promise<string> {
  const response = await fetch(new URL(path, session.url), { headers: { cookie: session.cookie } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  return response.text();
}

/** Asks /healthz every 100 ms until stopped; returns the slowest answer. */
function probe(url: string): { stop(): Promise<number> } {
  let running = true;
  let max = 0;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const ok = await fetch(new URL("/healthz", url))
        .then((r) => r.arrayBuffer())
        .then(
          () => true,
          () => false,
        );
      if (ok) max = Math.max(max, performance.now() - start);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

const decode = (html: string) => html.replaceAll("&quot;", '"').replaceAll("&amp;", "&");

async function waitReady(session: Session, path: string): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const html = await page(session, path);
    if (html.includes('name="fingerprint"') || html.includes("Record of import")) return html;
    if (html.includes("could not be prepared")) throw new Error(`planning failed: ${path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the preview of ${path} was not ready within two minutes`);
}

/** The server's own timings of the preview, from the page (data-timings). */
const timingsOf = (html: string) => JSON.parse(decode(/data-timings="([^"]*)"/.exec(html)?.[1] ?? "{}")) as Record<string, number>;

async function runImport(session: Session, label: string, csv: string, leavers: "archive" | "keep"): Promise<ImportRun> {
  const healthz = probe(session.url);
  const started = performance.now();
  const form = new FormData();
  form.append("intent", "upload");
  form.append("file", new Blob([csv], { type: "text/csv" }), `${label}.csv`);
  const uploaded = await post(session, "/org/import", form);
  const location = uploaded.headers.get("location");
  if (uploaded.status !== 302 || !location) throw new Error(`upload: ${uploaded.status} ${(await uploaded.text()).slice(0, 300)}`);
  let html = await waitReady(session, location);
  const previewWallMs = performance.now() - started;
  const timings = timingsOf(html);
  // Confirm every proposed rename (the month-later file renames 1% of the teams).
  const renames = [...html.matchAll(/name="rename" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
  if (renames.length > 0) {
    const body = new URLSearchParams({ intent: "confirm-renames" });
    for (const id of renames) {
      body.append("rename", id);
      body.append("shown", id);
    }
    const confirmed = await post(session, location, body);
    if (confirmed.status !== 302) throw new Error(`confirm-renames: ${confirmed.status}`);
    html = await waitReady(session, location);
  }
  const fingerprint = /name="fingerprint" value="([0-9a-f]*)"/.exec(html)?.[1] ?? "";
  const commitStarted = performance.now();
  const committed = await post(session, location, new URLSearchParams({ intent: "commit", fingerprint, leavers }));
  const commitMs = performance.now() - commitStarted;
  if (committed.status !== 302) throw new Error(`commit: ${committed.status} ${(await committed.text()).slice(0, 500)}`);
  const record = await waitReady(session, location);
  const probeMaxMs = await healthz.stop();
  const facts = [
    ...decode(record)
      .replaceAll("<!-- -->", "")
      .matchAll(/<dt>([^<]+)<\/dt><dd>([\d,]+)<\/dd>/g),
  ].map((m) => `${m[2]} ${m[1].toLowerCase()}`);
  return {
    label,
    rows: csv.split("\r\n").length - 1,
    parseMs: timings.uploadParseMs ?? NaN,
    planMs: (timings.planMs ?? NaN) + (timings.itemsMs ?? 0),
    previewWallMs,
    commitMs,
    probeMaxMs,
    summary: `${facts.slice(0, 9).join(", ")}${renames.length ? `; ${renames.length} renames confirmed` : ""}`,
  };
}

/** Peak resident memory of a process, from /proc (Linux), in MB. */
export function peakMemoryMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Imports the first file and the month-later one through the server at `url` as the signed-in PLO. */
export async function benchOrgImport(url: string, cookie: string, serverPid: number | undefined): Promise<OrgImportBench> {
  const session = { url, cookie };
  const first = await runImport(session, "hr-export-2026-11", generateHrCsv(), "keep");
  const later = generateMonthLater();
  const second = await runImport(session, "hr-export-2026-12", later.csv, "archive");
  return { runs: [first, second], peakServerMb: peakMemoryMb(serverPid) };
}
