// Where a request's time goes: a V8 CPU profile of the server (node --cpu-prof) summarized into
// buckets a reader can act on — Express middleware, the session check, route matching, the root
// and route loaders, React rendering, compression, the request log, the database driver… Prints
// nothing itself; ./run.ts starts a server with --cpu-prof, loads one page, stops the server (the
// profile is written at exit) and prints `formatProfile(summarizeCpuProfile(…))`.
//
// Attribution: each sample's time goes to the nearest frame of the stack (from the leaf up) that
// belongs to a package or file we can name; Node's own internals (streams, buffers, timers) are
// charged to whoever called them, so "compression" includes zlib's work and "React rendering"
// includes the stream writes it triggers. Only samples taken while the load ran count (the
// profile's clock and process.hrtime are the same monotonic clock), so the boot is left out.
import fs from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, on the same monotonic clock as process.hrtime(). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileBucket {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** CPU time sampled inside the window (idle left out), ms. */
  busyMs: number;
  /** Wall time of the window, ms. */
  windowMs: number;
  /** Requests answered in the window (given by the caller), to print µs per request. */
  requests: number;
  buckets: ProfileBucket[];
  /** The functions with the most self time (leaf frames, as V8 saw them). */
  topFunctions: Array<{ name: string; where: string; ms: number; share: number }>;
  /** False when the window could not be placed on the profile's clock (then every sample counts). */
  windowed: boolean;
}

/** Route matching inside @remix-run/router (matchRoutes over every route, several times a request). */
const MATCHING =
  /^(matchRoutes|matchRoutesImpl|flattenRoutes|rankRouteBranches|compareIndexes|computeScore|explodeOptionalSegments|matchRouteBranch|matchPath|compilePath|decodePath|stripBasename|convertRoutesToDataRoutes|createServerRoutes|createClientRoutes|groupRoutesByParentId|matchServerRoutes|createRoutes|createStaticHandlerDataRoutes|getPartialManifest)$/;

const SOCKET_WRITES = /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|writeUcs2String)$/;

/** The bucket of one frame, or null when the frame says nothing (Node internals, anonymous natives): look at its caller. */
function bucketOf(frame: CallFrame, root: string): string | null {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8/native (program)";
  if (functionName === "(idle)" || functionName === "(root)") return null;
  // Native socket writes: on loopback the kernel delivers to the peer inside the write itself.
  if (!url && SOCKET_WRITES.test(functionName)) return "socket writes (kernel)";
  if (!url || url.startsWith("node:") || !url.includes("/")) return null;
  const file = url.startsWith("file://") ? decodeURIComponent(url.slice(7)) : url;
  const relative = path.relative(root, file);
  if (MATCHING.test(functionName) && /@remix-run\/(router|react|server-runtime)|react-router/.test(relative))
    return "route matching (Remix/React Router)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(relative)?.[1];
  if (pkg) {
    if (
      pkg === "express" ||
      pkg === "router" ||
      pkg === "body-parser" ||
      pkg === "finalhandler" ||
      pkg === "send" ||
      pkg === "serve-static"
    )
      return "Express (router, static, response)";
    if (
      [
        "accepts",
        "negotiator",
        "type-is",
        "mime-types",
        "mime",
        "content-type",
        "fresh",
        "parseurl",
        "qs",
        "on-finished",
        "on-headers",
        "vary",
        "depd",
        "range-parser",
        "proxy-addr",
        "forwarded",
        "ipaddr.js",
        "etag",
        "cookie",
        "cookie-signature",
        "escape-html",
        "encodeurl",
        "statuses",
        "safe-buffer",
      ].includes(pkg)
    )
      return "Express helpers (accepts, proxy-addr, on-finished…)";
    if (pkg === "helmet") return "security headers (helmet)";
    if (pkg === "compression" || pkg === "compressible" || pkg === "bytes") return "compression (gzip)";
    if (
      [
        "pino",
        "sonic-boom",
        "thread-stream",
        "pino-std-serializers",
        "fast-redact",
        "quick-format-unescaped",
        "atomic-sleep",
        "on-exit-leak-free",
        "safe-stable-stringify",
      ].includes(pkg)
    )
      return "request log (pino)";
    if (pkg === "prom-client" || pkg === "tdigest" || pkg === "bintrees") return "metrics (prom-client)";
    if (pkg === "@remix-run/router" || pkg === "react-router" || pkg === "react-router-dom") return "React Router (static handler, render)";
    if (pkg.startsWith("@remix-run/")) return "Remix runtime (handler, headers, streams)";
    if (pkg === "react-dom" || pkg === "react" || pkg === "scheduler") return "React rendering";
    if (pkg === "turbo-stream") return "Remix runtime (handler, headers, streams)";
    if (pkg === "kysely") return "Kysely (query building)";
    if (
      pkg === "pg" ||
      pkg === "pg-protocol" ||
      pkg === "pg-pool" ||
      pkg === "pg-types" ||
      pkg === "postgres-date" ||
      pkg === "pg-connection-string"
    )
      return "database driver (pg)";
    if (pkg === "@electric-sql/pglite") return "database (PGlite, in process)";
    if (pkg === "lucia" || pkg.startsWith("@oslojs") || pkg === "oslo") return "session check (Lucia)";
    if (pkg === "undici" || pkg.startsWith("@web-std")) return "Fetch API (Request/Response/Headers)";
    if (pkg === "isbot") return "isbot";
    if (pkg === "cookie" || pkg === "cookie-signature") return "cookies";
    return `other package: ${pkg}`;
  }
  if (relative === path.join("server", "index.js")) return "server entry (own middleware, Request/Response bridge)";
  if (relative.startsWith(`build${path.sep}`)) return "app code (root/route loaders, components, auth)";
  return `other: ${relative}`;
}

/** Summarizes a profile; only samples inside [fromUs, toUs] (microseconds, process.hrtime's clock) count when given. */
export function summarizeCpuProfile(
  profile: CpuProfile,
  options: { root: string; fromUs?: number; toUs?: number; requests?: number; top?: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const bucketCache = new Map<number, string>();
  const bucketFor = (id: number): string => {
    const cached = bucketCache.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id)!;
    const own = bucketOf(node.callFrame, options.root);
    const up = parent.get(id);
    const bucket = own ?? (up === undefined ? "Node internals (http, streams, timers)" : bucketFor(up));
    bucketCache.set(id, bucket);
    return bucket;
  };
  // Idle samples: the process waited (for the database, the network): not CPU work.
  const idle = (id: number) => {
    const name = byId.get(id)?.callFrame.functionName;
    return name === "(idle)" || name === "(root)";
  };

  const windowed =
    options.fromUs !== undefined &&
    options.toUs !== undefined &&
    options.fromUs >= profile.startTime - 1e6 &&
    options.toUs <= profile.endTime + 1e6 &&
    options.fromUs < options.toUs;
  const from = windowed ? options.fromUs! : -Infinity;
  const to = windowed ? options.toUs! : Infinity;

  const buckets = new Map<string, number>();
  const selfByNode = new Map<number, number>();
  let busy = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample's time is the delta to the next sample.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < from || t > to) continue;
    const id = profile.samples[i];
    if (idle(id)) continue;
    busy += dt;
    const bucket = bucketFor(id);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
  }

  const selfByFunction = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfByNode) {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.startsWith("file://") ? path.relative(options.root, decodeURIComponent(frame.url.slice(7))) : frame.url;
    const where = file ? `${file.replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${where}`;
    const entry = selfByFunction.get(key) ?? { name: frame.functionName || "(anonymous)", where, us: 0 };
    entry.us += us;
    selfByFunction.set(key, entry);
  }
  const share = (us: number) => (busy > 0 ? us / busy : 0);
  return {
    busyMs: busy / 1000,
    windowMs: windowed ? (to - from) / 1000 : (profile.endTime - profile.startTime) / 1000,
    requests: options.requests ?? 0,
    windowed,
    buckets: [...buckets].map(([name, us]) => ({ name, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    topFunctions: [...selfByFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, options.top ?? 12)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
  };
}

/** Reads the newest .cpuprofile in `dir`. */
export function readNewestProfile(dir: string): CpuProfile | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files.length > 0 ? (JSON.parse(fs.readFileSync(files[0], "utf8")) as CpuProfile) : null;
}

export function formatProfile(title: string, s: ProfileSummary, maxBuckets = 14): string {
  const perRequest = (ms: number) => (s.requests > 0 ? ((ms * 1000) / s.requests).toFixed(0) : "n/a");
  const lines = [
    title,
    `${s.requests.toLocaleString("en")} requests, ${(s.busyMs / 1000).toFixed(2)} s busy (main thread not waiting) in a ${(s.windowMs / 1000).toFixed(1)} s window` +
      ` (${s.requests > 0 ? ((s.busyMs * 1000) / s.requests).toFixed(0) : "n/a"} µs busy a request)` +
      (s.windowed ? "" : "; the window could not be placed on the profile's clock, so the boot is included"),
    "| where the time goes | ms | share | µs/request |",
    "|---|--:|--:|--:|",
    ...s.buckets
      .slice(0, maxBuckets)
      .map((b) => `| ${b.name} | ${b.ms.toFixed(0)} | ${(b.share * 100).toFixed(1)} % | ${perRequest(b.ms)} |`),
  ];
  const rest = s.buckets.slice(maxBuckets);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, b) => sum + b.ms, 0);
    lines.push(
      `| ${rest.length} more buckets | ${ms.toFixed(0)} | ${((ms / Math.max(s.busyMs, 1e-9)) * 100).toFixed(1)} % | ${perRequest(ms)} |`,
    );
  }
  lines.push("", "Top functions by self time:", "| function | where | ms | share |", "|---|---|--:|--:|");
  for (const f of s.topFunctions) lines.push(`| ${f.name} | ${f.where} | ${f.ms.toFixed(0)} | ${(f.share * 100).toFixed(1)} % |`);
  return lines.join("\n");
}
