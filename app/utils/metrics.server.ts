import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getHandle } from "./db.server";

// What /metrics reports in Prometheus' text format (prom-client). One registry per process: a
// Prometheus server scrapes each process, and sums them. The server entry records requests; the
// app records what only it knows (sign-in failures, imports). See README "Operations".

const holder = globalThis as typeof globalThis & { __rolloutDeskMetrics?: ReturnType<typeof createMetrics> };

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "rollout_desk_" });
  const requests = new Counter({
    name: "rollout_desk_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "rollout_desk_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route pattern and method",
    labelNames: ["route", "method"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: "rollout_desk_login_failures_total",
    help: "Refused sign-ins, by reason (invalid, locked)",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const imports = new Histogram({
    name: "rollout_desk_import_duration_seconds",
    help: "Time to commit an import, by kind",
    labelNames: ["kind"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: "rollout_desk_db_pool_connections",
    help: "Database pool connections, by state (total, idle, waiting clients); PGlite has one",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const pool = getHandle().poolStats?.();
      if (!pool) return;
      this.set({ state: "total" }, pool.total);
      this.set({ state: "idle" }, pool.idle);
      this.set({ state: "waiting" }, pool.waiting);
    },
  });
  return { registry, requests, duration, loginFailures, imports };
}

export function metrics() {
  holder.__rolloutDeskMetrics ??= createMetrics();
  return holder.__rolloutDeskMetrics;
}

/**
 * The route pattern of a path, for a label with few values: ids (UUIDs, numbers, long tokens)
 * become ":id", so /programs/9f…/teams/4e… counts as /programs/:id/teams/:id.
 */
export function routePattern(pathname: string): string {
  const path = pathname.replace(/\.data$/, "");
  return (
    path
      .split("/")
      .map((segment) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || /^\d+$/.test(segment) || segment.length > 40
          ? ":id"
          : segment,
      )
      .join("/")
      .slice(0, 120) || "/"
  );
}

/** Records one answered request (called by the server entry when the response finishes). */
export function recordRequest(method: string, pathname: string, status: number, seconds: number): void {
  const route = routePattern(pathname);
  const m = metrics();
  m.requests.inc({ route, method, status: String(status) });
  m.duration.observe({ route, method }, seconds);
}

export function recordLoginFailure(reason: "invalid" | "locked"): void {
  metrics().loginFailures.inc({ reason });
}

export function recordImportDuration(kind: string, seconds: number): void {
  metrics().imports.observe({ kind }, seconds);
}

/** The text a Prometheus server scrapes. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
