// Cached reads of heavy aggregates (ADR 0011). A page that adds up thousands of rows (coverage
// board, coaching activity, plan overview, team pipeline) keys what it reads by the data versions
// of its program and of the installation, which every audited change bumps in its own
// transaction: an entry is only ever reused while nothing it depends on has changed, in any
// process. Entries also name the day, for figures that depend on "today".
//
// Values are shared between requests: callers must not mutate them. READ_CACHE=off turns the
// cache off (to measure or debug the uncached path).

const MAX_ENTRIES = 300;
const enabled = process.env.READ_CACHE !== "off";
const entries = new Map<string, Promise<unknown>>();

/**
 * `compute()` once per key while the key's data versions hold; later calls with the same key get
 * the same result. A failed computation is not kept. Least recently used entries go first.
 */
export function cachedRead<T>(key: string, compute: () => Promise<T>): Promise<T> {
  if (!enabled) return compute();
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    return hit as Promise<T>;
  }
  const pending = compute();
  entries.set(key, pending);
  pending.catch(() => {
    if (entries.get(key) === pending) entries.delete(key);
  });
  while (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
  return pending;
}

/** Forgets every entry (tests). */
export function clearReadCache(): void {
  entries.clear();
}
