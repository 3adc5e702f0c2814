// The Node entry of Rollout Desk: Express in front of the Remix request handler.
// It owns what must happen before any route runs: refusing malformed and oversized requests,
// security headers, the cross-site request check, the health check, per-request context (query
// counting), migrations at boot, and a clean shutdown (PGlite must be closed, or it recovers on
// the next start). See docs/decisions/0004 and 0012.
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { Transform } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import remixNode from "@remix-run/node";
import compression from "compression";
import escapeHtml from "escape-html";
import express from "express";
import helmet from "helmet";
import onHeaders from "on-headers";
import pLimit from "p-limit";
import pino from "pino";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(pathToFileURL(path.join(root, "build", "index.js")).href);
/** Server-side helpers exported by app/entry.server.tsx (one module instance of the database). */
const app$ = build.entry.module;
// @remix-run/node is CommonJS: its named exports are read from the default export.
const { createReadableStreamFromReadable, createRequestHandler } = remixNode;

/** Error details (stacks) reach the browser only when development mode was asked for explicitly. */
const DEVELOPMENT = process.env.NODE_ENV === "development";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Bodies above this size are read one at a time per client address (see the middleware). */
const LARGE_BODY_BYTES = 64 * 1024;
/** Per client address, the line its large posts and sign-in attempts wait in (gone when empty). */
const oneAtATime = new Map();
const LINE_HOLD_MS = 30_000;
const REFUSED_BODY_PAUSE_MS = 100;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
/**
 * After refusing a body, at most this much more is read (and dropped, never kept) so that the
 * client, still sending, gets to read the answer; beyond it the connection is cut.
 */
const DRAIN_LIMIT = 16 * 1024 * 1024;
/** Remix answers up to this size are read whole and sent with their length (see sendRemixResponse). */
const BUFFERED_BODY_BYTES = 64 * 1024;
/** Smaller answers are not gzipped (see the compression middleware). */
const COMPRESS_FROM_BYTES = 16 * 1024;

/** Set on SIGTERM/SIGINT: readiness fails and answers close their connection. */
let shuttingDown = false;

/** A request id we accept from a proxy (X-Request-Id); anything else gets one of ours. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * The request log: one JSON line per answered request (pino) with its id, user, route, status,
 * duration and query count. LOG_REQUESTS=0 turns it off; LOG_LEVEL chooses the level.
 */
const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  enabled: process.env.LOG_REQUESTS !== "0",
  base: { pid: process.pid },
});

/** A configuration mistake found at start: printed without a stack, the process exits with 1. */
class ConfigError extends Error {}

/**
 * TRUST_PROXY: how many proxies stand in front of the app ("1"), or their addresses/subnets
 * ("10.0.0.1, 10.0.0.0/8", "loopback"). Never `true`: trusting every hop lets a client choose its
 * own address with X-Forwarded-For (audit log, per-IP login throttle).
 */
export function trustProxySetting(value = "") {
  const text = value.trim();
  if (text === "" || text === "0" || text === "false") return false;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === "true") {
    throw new ConfigError(
      "TRUST_PROXY=true is refused: it would trust every X-Forwarded-For entry, so any client could choose its own IP address. " +
        "Set the number of proxies in front of the app (usually TRUST_PROXY=1) or their addresses (TRUST_PROXY=10.0.0.5,10.0.0.6).",
    );
  }
  const entries = text.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const named = ["loopback", "linklocal", "uniquelocal"].includes(entry);
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (net.isIPv6(address) ? 128 : 32));
    if (!named && !(net.isIP(address) && validBits)) {
      throw new ConfigError(
        `TRUST_PROXY: "${entry}" is neither a number of proxies nor an IP address or subnet (e.g. 1, or 10.0.0.5,10.0.0.0/24).`,
      );
    }
  }
  return entries;
}

/** PUBLIC_URL: the address(es) users reach the app at; when set, only these origins may post. */
export function allowedOrigins(value = "") {
  const origins = new Set();
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    let url;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError(`PUBLIC_URL: "${entry}" is not a URL (e.g. https://rollout.example.com).`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new ConfigError(`PUBLIC_URL: "${entry}" must start with https:// or http://.`);
    origins.add(url.origin);
  }
  return origins;
}

/** A short answer before any route runs: an HTML page for browsers (message in role=alert), plain text otherwise. */
function refuse(req, res, status, message) {
  res.status(status);
  if (req.accepts(["text/html", "text/plain"]) === "text/html") {
    const title =
      { 400: "Bad request", 403: "Not allowed", 413: "Too large", 415: "Not a form", 500: "Something went wrong" }[status] ?? "Error";
    res
      .type("html")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<title>${title} · Rollout Desk</title></head><body><main><h1>${title}</h1><p role="alert">${escapeHtml(message)}</p>` +
          `<p><a href="/">Go to the start page</a></p></main></body></html>`,
      );
  } else {
    res.type("text/plain").send(message);
  }
}

/** The request line and Host as Remix will see them, or the reason they cannot be understood. */
function malformed(req) {
  const host = req.get("host");
  if (!host) return "The request has no Host header.";
  try {
    const url = new URL(`http://${host}`);
    if (url.pathname !== "/" || url.username || url.password || url.search || url.hash) throw new Error("not a host");
  } catch {
    return "The Host header is not a valid host name.";
  }
  const [pathname, query = ""] = req.originalUrl.split("?", 2);
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return "The address contains an invalid %-escape.";
  }
  // The query is read leniently (a typed "?q=50%" stays as it is), like the routes read it.
  for (const [name, value] of new URLSearchParams(query)) decoded += name + value;
  // NUL and other control characters are never part of a page address (PostgreSQL text cannot
  // hold NUL at all); tabs and newlines are allowed in the query (a search can hold them).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(decoded)) return "The address contains a character that is not allowed.";
  return null;
}

/**
 * The Cookie header without pairs no server-side parser could read (an invalid %-escape, a
 * control character): such a cookie is ignored instead of failing every page, /login included.
 */
export function sanitizeCookieHeader(header) {
  if (!header) return header;
  const kept = [];
  for (const pair of header.split(";")) {
    // An empty pair (a trailing ";") would leave the header ending in "; ", which the Fetch
    // Headers trim to ";" — and the session cookie's parser splits on "; " only.
    if (!pair.trim()) continue;
    const eq = pair.indexOf("=");
    const value = eq === -1 ? "" : pair.slice(eq + 1).trim();
    try {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(decodeURIComponent(value))) continue;
    } catch {
      continue;
    }
    kept.push(pair.trim());
  }
  return kept.join("; ");
}

/** Counts bytes and field separators as the body streams in; `onOver` is told once when a limit is passed. */
class BodyCounter extends Transform {
  constructor(limit, contentType, onOver) {
    super();
    this.limit = limit;
    this.onOver = onOver;
    this.bytes = 0;
    this.fields = 0;
    this.over = false;
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    // urlencoded: one "&" between fields; multipart: one delimiter line before each part.
    this.separator = boundary ? Buffer.from(`--${boundary[1] ?? boundary[2]}`) : Buffer.from("&");
    this.multipart = Boolean(boundary);
    this.tail = Buffer.alloc(0);
  }

  _transform(chunk, _encoding, callback) {
    if (this.over) return callback();
    this.bytes += chunk.length;
    // A delimiter may straddle two chunks: search the end of the previous chunk with this one.
    const text = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    for (let at = text.indexOf(this.separator); at !== -1; at = text.indexOf(this.separator, at + this.separator.length)) this.fields++;
    this.tail = text.subarray(Math.max(0, text.length - (this.separator.length - 1)));
    const fields = this.multipart ? this.fields - 1 : this.fields + 1;
    const reason = this.bytes > this.limit.bytes ? "bytes" : fields > this.limit.fields ? "fields" : null;
    if (reason) {
      this.over = true;
      this.onOver(reason);
      return callback();
    }
    callback(null, chunk);
  }
}

export async function createServer() {
  const trustProxy = trustProxySetting(process.env.TRUST_PROXY);
  const publicOrigins = allowedOrigins(process.env.PUBLIC_URL);

  const migrated = await app$.migrateDatabase();
  for (const line of migrated) console.log(`[db] ${line}`);
  const secret = await app$.ensureInstallation(app$.getDb());
  process.env.SESSION_SECRET ||= secret;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);

  // Every request gets an id first, so that even a refused one can be found in the log.
  app.use((req, res, next) => {
    if (shuttingDown) res.setHeader("Connection", "close");
    const incoming = req.get("x-request-id");
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomBytes(9).toString("base64url");
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      app$.recordRequest(req.method, req.path, res.statusCode, ms / 1000);
      const context = res.locals.requestContext;
      logger.info({
        reqId: id,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        userId: context?.userId ?? null,
        queries: context?.queries ?? 0,
        ip: req.ip,
      });
    });
    next();
  });

  // Before anything else reads them: a request whose Host or address cannot be understood.
  app.use((req, res, next) => {
    const problem = malformed(req);
    if (problem) return refuse(req, res, 400, problem);
    next();
  });

  app.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'self'"],
          "object-src": ["'none'"],
        },
      },
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // The app uses none of the browser's powerful features: deny them all to every page (and to
  // anything a page might embed).
  app.use((_req, res, next) => {
    res.setHeader(
      "Permissions-Policy",
      "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), " +
        "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), " +
        "xr-spatial-tracking=()",
    );
    next();
  });
  // Only answers of COMPRESS_FROM_BYTES or more are gzipped: below, gzip's setup and work cost
  // the server more than the few kilobytes it saves (a saved cell's JSON, a small page). Remix's
  // answers up to BUFFERED_BODY_BYTES are sent with their length (sendRemixResponse), so the
  // threshold sees their size; longer ones stream, and are gzipped.
  app.use(compression({ threshold: COMPRESS_FROM_BYTES }));

  // A missing asset is a 404, not a page: stale hashed files must not fall through to Remix.
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y", fallthrough: false }));
  // Public files all have an extension; pages don't, so they skip the file-system lookup.
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h", index: false });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.get("/healthz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    try {
      await app$
        .getDb()
        .selectNoFrom((eb) => eb.lit(1).as("ok"))
        .execute();
      res.json({ status: "ok", database: "ok" });
    } catch (error) {
      res.status(503).json({ status: "error", database: error instanceof Error ? error.message : "unreachable" });
    }
  });

  // Readiness: take traffic only when the database answers and this build's migrations are all
  // applied (a load balancer keeps a process out of rotation while it is not ready).
  app.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (shuttingDown) return res.status(503).json({ status: "shutting down" });
    const state = await app$.readiness();
    res
      .status(state.ready ? 200 : 503)
      .json({ status: state.ready ? "ready" : "not ready", database: state.database, pending: state.pending });
  });

  // Prometheus metrics: with METRICS_TOKEN, answered to "Authorization: Bearer <token>" only;
  // without it, not served here (see METRICS_PORT for a private listener).
  app.get("/metrics", async (req, res) => {
    const token = process.env.METRICS_TOKEN;
    if (!token) return res.status(404).type("text/plain").send("Not found");
    if (req.get("authorization") !== `Bearer ${token}`) return res.status(401).type("text/plain").send("Metrics need a token.");
    const { contentType, body } = await app$.metricsText();
    res.setHeader("Cache-Control", "no-store");
    res.type(contentType).send(body);
  });

  /** Refuses state-changing requests from another origin, or that cannot show where they come from. */
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const ok = origin
      ? publicOrigins.size > 0
        ? publicOrigins.has(origin)
        : origin === `${req.protocol}://${req.get("host")}`
      : req.get("sec-fetch-site") === "same-origin";
    if (ok) return next();
    res.status(403).type("text/plain").send("Cross-site request refused: this form must be sent from Rollout Desk itself.");
  });

  // Some posts are read one at a time per client address: a large body (over 64 KB, or of unknown
  // length) and sign-in attempts (a password hash each). A client sending many at once waits for
  // its own, while everyone else's pages are answered in between: parsing a body and rendering
  // the answer is work on the one thread that answers everyone. The line is held until the
  // answer is sent and the body is read (or dropped), so a refused body's remainder counts too.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const length = req.get("content-length");
    const large = length === undefined || Number(length) > LARGE_BODY_BYTES;
    if (!large && app$.bodyLimitFor(req.path).kind !== "small") return next();
    const key = req.ip ?? "";
    let line = oneAtATime.get(key);
    if (!line) oneAtATime.set(key, (line = pLimit(1)));
    void line(() => {
      if (res.destroyed || req.socket.destroyed) return;
      const answered = new Promise((done) => res.once("close", done));
      const read = bodyRead(req);
      next();
      // Bounded, so that a request whose events never come cannot close the line for good.
      const done = Promise.all([answered, read]).then(
        // A body refused as too large holds its sender's line a moment longer: a flood of them is slowed to a trickle.
        () => res.locals.refusedBody && new Promise((pause) => setTimeout(pause, REFUSED_BODY_PAUSE_MS).unref()),
      );
      return Promise.race([done, new Promise((done) => setTimeout(done, LINE_HOLD_MS).unref())]);
    }).finally(() => {
      if (line.activeCount === 0 && line.pendingCount === 0 && oneAtATime.get(key) === line) oneAtATime.delete(key);
    });
  });

  // What a post may send: a form (urlencoded or multipart), within the limit of its route kind.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const type = req.get("content-type") ?? "";
    if (!FORM_TYPES.test(type)) {
      return refuse(req, res, 415, "Rollout Desk accepts forms only (application/x-www-form-urlencoded or multipart/form-data).");
    }
    const limit = app$.bodyLimitFor(req.path);
    res.locals.bodyLimit = limit;
    if (Number(req.get("content-length") ?? 0) > limit.bytes) return refuseBody(req, res, limit, "bytes");
    next();
  });

  // Every request runs in its own context: the client IP for the audit log, a query counter.
  app.use((req, res, next) => {
    app$.runWithRequestContext(req.ip ?? null, () => {
      res.locals.requestContext = app$.currentRequestContext();
      if (process.env.EXPOSE_QUERY_COUNT === "1") {
        const context = app$.currentRequestContext();
        onHeaders(res, () => res.setHeader("X-Query-Count", String(context?.queries ?? 0)));
      }
      next();
    });
  });

  const handleRequest = createRequestHandler(build, DEVELOPMENT ? "development" : "production");
  app.all("*", async (req, res, next) => {
    const controller = new AbortController();
    try {
      const request = remixRequest(req, res, controller, publicOrigins);
      const response = await handleRequest(request, { cspNonce: res.locals.cspNonce, requestId: res.locals.requestId });
      if (res.headersSent) return; // refused while the body streamed in (413)
      // Pages and data are personal (or soon will be): never kept by a browser or proxy cache.
      if (!/no-store/i.test(response.headers.get("Cache-Control") ?? "")) response.headers.set("Cache-Control", "no-store");
      await sendRemixResponse(res, response);
    } catch (error) {
      if (res.headersSent || controller.signal.aborted) return;
      next(error);
    }
  });

  // Last resort: never a stack trace or a server path in an answer unless NODE_ENV=development.
  app.use((error, req, res, _next) => {
    const status = Number(error?.status ?? error?.statusCode);
    const clientError = Number.isInteger(status) && status >= 400 && status < 500;
    if (!clientError) logger.error({ reqId: res.locals.requestId, err: error }, "request failed");
    if (res.headersSent) return res.end();
    const message = DEVELOPMENT
      ? String(error?.stack ?? error)
      : clientError
        ? "The request could not be understood."
        : `An unexpected error happened on our side. It has been logged; please try again in a moment. Reference: ${res.locals.requestId ?? "none"}`;
    refuse(req, res, clientError ? status : 500, message);
  });
  return app;
}

/**
 * Resolves when the request's body has been read to its end (by the route, or dropped), or its
 * connection is gone. Not the request's "close": Node emits that once the answer is sent, while
 * the client may still be sending.
 */
function bodyRead(req) {
  if (req.readableEnded || req.socket.destroyed) return null;
  return new Promise((resolve) => {
    // Listeners removed once told: a keep-alive socket carries many requests.
    const done = () => {
      req.off("end", done);
      req.off("error", done);
      req.socket.off("close", done);
      resolve();
    };
    req.once("end", done);
    req.once("error", done);
    req.socket.once("close", done);
  });
}

/** Answers 413 and drops the rest of the body. */
function refuseBody(req, res, limit, reason) {
  res.locals.refusedBody = true;
  refuse(req, res, 413, app$.bodyLimitMessage(limit, reason));
  dropRest(req);
}

/**
 * Reads and drops what is left of a request body nobody will read (a refused or half-read post),
 * so that the connection can serve the next request; cuts it if the client keeps sending.
 */
function dropRest(req) {
  if (req.readableEnded || req.dropping) return;
  req.dropping = true;
  req.unpipe();
  let dropped = 0;
  req.on("data", (chunk) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

/** The Fetch headers of a Node request (as @remix-run/express builds them). */
function remixHeaders(nodeHeaders) {
  const headers = new Headers();
  for (const [name, values] of Object.entries(nodeHeaders)) {
    if (Array.isArray(values)) for (const value of values) headers.append(name, value);
    else if (values) headers.set(name, values);
  }
  return headers;
}

/**
 * Writes Remix's Response to Express's. A body that ends within BUFFERED_BODY_BYTES (most pages)
 * is read whole first and sent in one write with its Content-Length: React renders a page in
 * several small chunks, and each chunk sent on its own cost a socket write (five a page, a fifth
 * of a small page's time). A longer body is sent as it comes, without a flush per chunk.
 */
async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A header the route sets replaces the middleware's (a feed's own Referrer-Policy); cookies add up.
  for (const [name, value] of response.headers.entries()) {
    if (name === "set-cookie") res.append(name, value);
    else res.setHeader(name, value);
  }
  if (!response.body) return res.end();
  const reader = response.body.getReader();
  // A client that goes away before the end stops the rendering (the page's stream is cancelled).
  res.once("close", () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  });
  const chunks = [];
  let size = 0;
  try {
    while (size <= BUFFERED_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) {
        if (!res.hasHeader("Content-Length")) res.setHeader("Content-Length", String(size));
        res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
        return;
      }
      chunks.push(value);
      size += value.byteLength;
    }
    for (const chunk of chunks) res.write(chunk);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  } catch (error) {
    res.destroy(error);
    throw error;
  }
}

/**
 * The origin the app answers as: with PUBLIC_URL, the listed origin this request came from (or
 * the first), whatever Host the proxy passed on — so Remix's own origin check, the Secure
 * cookies of HTTPS and absolute links agree with what the browser sees. Otherwise the request's
 * own scheme and Host.
 */
function answeringOrigin(req, publicOrigins) {
  if (publicOrigins.size === 0) return `${req.protocol}://${req.get("host")}`;
  const origin = req.get("origin");
  if (origin && publicOrigins.has(origin)) return origin;
  const byHost = [...publicOrigins].find((o) => new URL(o).host === req.get("host"));
  return byHost ?? [...publicOrigins][0];
}

/** The Fetch Request Remix gets: the cookie header sanitized, the body counted against its limit. */
function remixRequest(req, res, controller, publicOrigins) {
  const base = answeringOrigin(req, publicOrigins);
  const url = new URL(`${base}${req.originalUrl}`);
  const headers = remixHeaders(req.headers);
  if (headers.has("cookie")) headers.set("cookie", sanitizeCookieHeader(headers.get("cookie")));
  // The host the origin check above compared against; a client's X-Forwarded-Host is not trusted.
  headers.set("host", url.host);
  headers.delete("x-forwarded-host");
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const limit = res.locals.bodyLimit ?? app$.bodyLimitFor(req.path);
    const counter = new BodyCounter(limit, req.get("content-type") ?? "", (reason) => {
      // The route stops reading (its request is aborted, so nothing is logged as an error).
      req.unpipe(counter);
      counter.end();
      controller.abort();
      if (!res.headersSent) refuseBody(req, res, limit, reason);
    });
    init.body = createReadableStreamFromReadable(req.pipe(counter));
    init.duplex = "half";
  }
  res.on("finish", () => {
    controller = null;
    // The route answered without reading all of the body (an upload over its own limit).
    dropRest(req);
  });
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

const isMain = process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  let app;
  try {
    app = await createServer();
  } catch (error) {
    // A refused start (another process on the data folder, a bad setting) says why, without a stack.
    if (error instanceof ConfigError || error?.name === "DataDirLockedError") {
      console.error(`Rollout Desk cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // A failure nobody awaited is logged, never the end of the process serving everyone else.
  process.on("unhandledRejection", (reason) => console.error("[server] unhandled rejection:", reason));
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  const server = app.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    const backend = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env.DATA_DIR || "./data"}`;
    console.log(`Rollout Desk listening on http://localhost:${actualPort} — database: ${backend}`);
  });
  const stopBackups = app$.startBackupSchedule((message) => logger.info(message));

  // Which connections have sent a request and which are between requests. Node's own
  // closeIdleConnections also cuts a connection accepted a moment ago whose first request has not
  // arrived yet — its client sees a reset, a request lost in a rolling restart. On shutdown only
  // keep-alive connections that have been answered and wait idle are closed; a fresh one gets its
  // answer (with "Connection: close").
  const connections = new Map();
  server.on("connection", (socket) => {
    connections.set(socket, { served: 0, active: 0 });
    socket.once("close", () => connections.delete(socket));
  });
  server.on("request", (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.served += 1;
    state.active += 1;
    res.once("close", () => {
      state.active -= 1;
    });
  });
  const closeAnsweredIdleConnections = () => {
    for (const [socket, state] of connections) {
      if (state.served > 0 && state.active === 0) socket.destroy();
    }
  };

  // Graceful shutdown (a rolling restart): stop accepting connections, let the requests under way
  // finish (at most SHUTDOWN_GRACE_MS, 10 s), answer them with "Connection: close" so keep-alive
  // clients reconnect elsewhere, then close the database (PGlite must be closed cleanly).
  const shutdown = (signal) => {
    if (shuttingDown) return;
    shuttingDown = true;
    stopBackups();
    logger.info({ signal }, "shutting down: finishing requests under way");
    const grace = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);
    server.close(async () => {
      await app$.closeDatabase();
      logger.info("stopped");
      process.exit(0);
    });
    closeAnsweredIdleConnections();
    // A keep-alive connection that finishes its last request after this point is closed by that
    // answer's "Connection: close"; these sweeps catch one that went idle in between.
    const sweep = setInterval(closeAnsweredIdleConnections, 250);
    sweep.unref();
    setTimeout(() => server.closeAllConnections?.(), grace).unref();
    setTimeout(() => process.exit(1), grace + 5_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
