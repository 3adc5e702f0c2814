import { AsyncLocalStorage } from "node:async_hooks";

/** What one HTTP request carries through every loader, action and query it triggers. */
export interface RequestContext {
  queries: number;
  ip: string | null;
  /** Per-request memo (e.g. the authenticated user), so root and route loaders share one lookup. */
  memo: Map<string, unknown>;
  /** The signed-in user, once the auth module has read the session (for the request log). */
  userId: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(ip: string | null, fn: () => T): T {
  return storage.run({ queries: 0, ip, memo: new Map(), userId: null }, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const LOG_SQL = process.env.LOG_SQL === "1";

/** Counts the query for the request it belongs to; with LOG_SQL=1, also prints it with its duration. */
export function countQuery(event?: { query: { sql: string; parameters: readonly unknown[] }; queryDurationMillis: number }): void {
  const store = storage.getStore();
  if (store) store.queries += 1;
  if (LOG_SQL && event) {
    console.log(
      `[sql] ${event.queryDurationMillis.toFixed(1)} ms  ${event.query.sql.replace(/\s+/g, " ")}  -- ${JSON.stringify(event.query.parameters)}`,
    );
  }
}

/** Runs `compute` once per request for `key`; outside a request it simply runs it. */
export async function memoPerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const store = storage.getStore();
  if (!store) return compute();
  if (!store.memo.has(key)) store.memo.set(key, compute());
  return store.memo.get(key) as Promise<T>;
}
