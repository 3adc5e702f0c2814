// The bench's hostile section (issue 12) and its load run on PostgreSQL.
//
// Hostile: while an attacker sends (a) the worst form the server still reads — the form limit's
// 1 MB with its 1,000 fields, to a signed-in form route (the lightest page, so that the form's
// cost is what is measured), several at a time —, (b) a refused 20,000-field sign-in, or (c) a burst of 50
// simultaneous wrong sign-ins, another user keeps loading a page. Printed: how much longer that
// user's requests took than without the attack (target: none more than 100 ms longer).
//
// Load: 50 connections for up to 60 s, reads and writes mixed (three page loads and one new
// learning per round), on PostgreSQL. Printed: throughput, p99, errors (target: 0 errors).
import http from "node:http";
import autocannon from "autocannon";

export const LIMITS = { formBytes: 1024 * 1024, formFields: 1_000 };

/** One GET over a kept-alive connection; the time to the last byte, in ms. */
function timedGet(url: URL, agent: http.Agent, cookie: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { cookie } }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/** Another user loading a page again and again (one connection, one request at a time) until `until` resolves. */
async function otherUser(baseUrl: string, path: string, cookie: string, until: Promise<unknown>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(path, baseUrl);
  const times: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  try {
    while (!done) {
      const { status, ms } = await timedGet(url, agent, cookie);
      if (status !== 200) throw new Error(`the other user's page ${path} answered ${status}`);
      times.push(ms);
    }
  } finally {
    agent.destroy();
  }
  return times;
}

function post(baseUrl: string, path: string, body: string | Buffer, headers: Record<string, string>): Promise<number> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        headers: {
          origin: url.origin,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** The largest form the server reads: just under the byte limit, just at the field limit. */
export function worstForm(): string {
  const fields = LIMITS.formFields;
  const overhead = 64;
  const size = Math.floor((LIMITS.formBytes - overhead * fields) / fields);
  const parts: string[] = [];
  for (let i = 0; i < fields; i++) parts.push(`f${i}=${"x".repeat(size)}`);
  return parts.join("&");
}

export interface HostileResult {
  name: string;
  attackRequests: number;
  attackStatuses: string;
  baselineP50: number;
  baselineMax: number;
  duringP50: number;
  duringMax: number;
  otherRequests: number;
}

const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function baseline(baseUrl: string, path: string, cookie: string, seconds: number): Promise<number[]> {
  return otherUser(baseUrl, path, cookie, new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
}

/**
 * Runs `attack` while another user loads `path`, after the same user alone for as long; returns
 * both sets of timings.
 */
async function underAttack(
  name: string,
  baseUrl: string,
  probe: { path: string; cookie: string },
  attack: () => Promise<number[]>,
): Promise<HostileResult> {
  const before = await baseline(baseUrl, probe.path, probe.cookie, 3);
  let statuses: number[] = [];
  const attacking = attack().then((s) => (statuses = s));
  const during = await otherUser(baseUrl, probe.path, probe.cookie, attacking);
  await attacking;
  const counted = new Map<number, number>();
  for (const s of statuses) counted.set(s, (counted.get(s) ?? 0) + 1);
  return {
    name,
    attackRequests: statuses.length,
    attackStatuses: [...counted].map(([s, n]) => `${n}× ${s}`).join(", "),
    baselineP50: median(before),
    baselineMax: max(before),
    duringP50: median(during),
    duringMax: max(during),
    otherRequests: during.length,
  };
}

export async function measureHostile(baseUrl: string, cookies: { plo: string; coach: string }): Promise<HostileResult[]> {
  const probe = { path: "/learnings", cookie: cookies.coach };
  const results: HostileResult[] = [];

  process.stdout.write("[bench] hostile: the worst accepted form (1 MB, 1,000 fields), 8 at a time for 5 s … ");
  const form = worstForm();
  results.push(
    await underAttack("worst accepted form ×8 for 5 s", baseUrl, probe, async () => {
      const statuses: number[] = [];
      const end = performance.now() + 5_000;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (performance.now() < end) statuses.push(await post(baseUrl, "/account/password", form, { cookie: cookies.plo }));
        }),
      );
      return statuses;
    }),
  );
  console.log("done");

  process.stdout.write("[bench] hostile: a refused form (20,000 fields, 169 KB) to /login, 8 at a time for 5 s … ");
  const refused = Array.from({ length: 20_000 }, (_, i) => `f${i}=1`).join("&");
  results.push(
    await underAttack("20,000-field sign-in ×8 for 5 s", baseUrl, probe, async () => {
      const statuses: number[] = [];
      const end = performance.now() + 5_000;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (performance.now() < end) statuses.push(await post(baseUrl, "/login", refused, {}));
        }),
      );
      return statuses;
    }),
  );
  console.log("done");

  process.stdout.write("[bench] hostile: 50 simultaneous wrong sign-ins (50 accounts, one address) … ");
  results.push(
    await underAttack("50 wrong sign-ins at once", baseUrl, probe, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(baseUrl, "/login", new URLSearchParams({ email: `nobody-${i}@bench.test`, password: `wrong-password-${i}` }).toString(), {}),
        ),
      ),
    ),
  );
  console.log("done");
  return results;
}

export function formatHostile(rows: HostileResult[]): string {
  return [
    "Hostile requests (another user loads /learnings meanwhile; target: none of their requests more than 100 ms longer than without the attack)",
    "| attack | attack answers | other user: requests | p50 ms alone → during | slowest ms alone → during | slowest, longer by |",
    "|---|---|--:|--:|--:|--:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.attackStatuses} | ${r.otherRequests} | ${r.baselineP50.toFixed(0)} → ${r.duringP50.toFixed(0)} | ` +
        `${r.baselineMax.toFixed(0)} → ${r.duringMax.toFixed(0)} | ${(r.duringMax - r.baselineMax).toFixed(0)} ms${r.duringMax - r.baselineMax > 100 ? " (over target)" : ""} |`,
    ),
  ].join("\n");
}

export interface LoadResult {
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  errorDetail: string;
  writes: number;
}

/** 50 connections, each cycling through three page loads and one new learning, for `seconds` (≤ 60). */
export function loadRun(
  baseUrl: string,
  cookies: { plo: string },
  programId: string,
  seconds: number,
  connections = 50,
): Promise<LoadResult> {
  const headers = { cookie: cookies.plo };
  const origin = new URL(baseUrl).origin;
  let counter = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let writes = 0;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: Math.min(seconds, 60),
        timeout: 20,
        requests: [
          { method: "GET", path: "/programs", headers },
          { method: "GET", path: `/programs/${programId}/teams`, headers },
          { method: "GET", path: "/learnings", headers },
          {
            method: "POST",
            path: "/learnings/new",
            headers: { ...headers, origin, "content-type": "application/x-www-form-urlencoded" },
            setupRequest: (request) => {
              counter += 1;
              writes += 1;
              return {
                ...request,
                body: new URLSearchParams({
                  title: `Load run learning ${counter}`,
                  body: "Written by the bench's load run.",
                  kind: "practice",
                  tags: "",
                }).toString(),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        const bad = [...statuses].filter(([s]) => !(s >= 200 && s < 400));
        const errors = bad.reduce((sum, [, n]) => sum + n, 0) + result.errors + result.timeouts;
        resolve({
          seconds: elapsed,
          connections,
          requests: latencies.length,
          requestsPerSecond: latencies.length / elapsed,
          p50: latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN,
          p99: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] ?? Number.NaN,
          errors,
          errorDetail: [
            ...bad.map(([s, n]) => `${n}× HTTP ${s}`),
            result.errors ? `${result.errors} errors` : "",
            result.timeouts ? `${result.timeouts} timeouts` : "",
          ]
            .filter(Boolean)
            .join(", "),
          writes,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

/**
 * The same mixed workload spread over several processes of one database (the connections split
 * evenly, as a load balancer would), run at the same time; the figures are the sum.
 */
export async function loadRunOn(
  baseUrls: string[],
  cookies: { plo: string },
  programId: string,
  seconds: number,
  connections = 50,
): Promise<LoadResult> {
  const parts = await Promise.all(
    baseUrls.map((url) => loadRun(url, cookies, programId, seconds, Math.round(connections / baseUrls.length))),
  );
  const requests = parts.reduce((sum, p) => sum + p.requests, 0);
  const elapsed = Math.max(...parts.map((p) => p.seconds));
  // Percentiles of the union, weighted by each part's requests (close enough for a summary).
  const weighted = (pick: (p: LoadResult) => number) => parts.reduce((sum, p) => sum + pick(p) * p.requests, 0) / Math.max(1, requests);
  return {
    seconds: elapsed,
    connections: parts.reduce((sum, p) => sum + p.connections, 0),
    requests,
    requestsPerSecond: requests / elapsed,
    p50: weighted((p) => p.p50),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    errorDetail: parts
      .map((p) => p.errorDetail)
      .filter(Boolean)
      .join("; "),
    writes: parts.reduce((sum, p) => sum + p.writes, 0),
  };
}

export function formatProcesses(one: LoadResult, two: LoadResult): string {
  const row = (label: string, r: LoadResult) =>
    `| ${label} | ${r.connections} | ${r.requests} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.errors}${r.errorDetail ? ` (${r.errorDetail})` : ""} |`;
  return [
    "One process against two on the same PostgreSQL (same mixed workload and connections; a ratio above 1 shows the app is not serialised in one process)",
    "| processes | connections | requests | req/s | p50 ms (weighted) | p99 ms | errors |",
    "|---|--:|--:|--:|--:|--:|--:|",
    row("one", one),
    row("two", two),
    `Throughput ratio two ÷ one: ${(two.requestsPerSecond / one.requestsPerSecond).toFixed(2)}×`,
  ].join("\n");
}

export function formatLoad(r: LoadResult): string {
  return [
    "Load run on PostgreSQL (mixed: /programs, program teams, /learnings, and a new learning per round; target: 0 errors)",
    "| connections | seconds | requests | req/s | writes | p50 ms | p99 ms | errors |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|",
    `| ${r.connections} | ${r.seconds.toFixed(0)} | ${r.requests} | ${r.requestsPerSecond.toFixed(0)} | ${r.writes} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.errors}${r.errorDetail ? ` (${r.errorDetail})` : ""} |`,
  ].join("\n");
}
