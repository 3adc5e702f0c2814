/**
 * The state of a server-paged list, read from (and written to) the URL: search text, sort,
 * direction, page, page size and named filters. The URL is the state, so a list can be
 * bookmarked, shared, reloaded and used without JavaScript.
 */
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

export type SortDirection = "asc" | "desc";

export interface ListParams<S extends string = string> {
  q: string;
  sort: S;
  dir: SortDirection;
  /** 1-based. */
  page: number;
  size: number;
  /** Only the filters the list declares; unknown ones are dropped. */
  filters: Record<string, string>;
  /** The list's own page size when the URL names none (left out of URLs). */
  defaultSize?: number;
}

export interface ListSpec<S extends string> {
  sorts: readonly S[];
  defaultSort: S;
  defaultDir?: SortDirection;
  filters?: readonly string[];
  /** One of PAGE_SIZES; DEFAULT_PAGE_SIZE when not given. */
  defaultSize?: (typeof PAGE_SIZES)[number];
}

const MAX_QUERY = 200;

export function parseListParams<S extends string>(search: URLSearchParams, spec: ListSpec<S>): ListParams<S> {
  const sortParam = search.get("sort") ?? "";
  const sort = (spec.sorts as readonly string[]).includes(sortParam) ? (sortParam as S) : spec.defaultSort;
  const dirParam = search.get("dir");
  const dir: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : (spec.defaultDir ?? "asc");
  const page = Math.min(Math.max(Number.parseInt(search.get("page") ?? "1", 10) || 1, 1), 100_000);
  const sizeParam = Number.parseInt(search.get("size") ?? "", 10);
  const defaultSize = spec.defaultSize ?? DEFAULT_PAGE_SIZE;
  const size = (PAGE_SIZES as readonly number[]).includes(sizeParam) ? sizeParam : defaultSize;
  const q = (search.get("q") ?? "").replaceAll("\u0000", "").trim().slice(0, MAX_QUERY);
  const filters: Record<string, string> = {};
  for (const name of spec.filters ?? []) {
    const value = (search.get(name) ?? "").replaceAll("\u0000", "").trim().slice(0, MAX_QUERY);
    if (value) filters[name] = value;
  }
  return { q, sort, dir, page, size, filters, ...(defaultSize !== DEFAULT_PAGE_SIZE ? { defaultSize } : {}) };
}

/** The query string for `params` with `changes` applied (defaults left out to keep URLs short). */
export function listSearch(
  params: ListParams,
  changes: Partial<Omit<ListParams, "filters">> & { filters?: Record<string, string> } = {},
): string {
  const next = { ...params, ...changes, filters: { ...params.filters, ...changes.filters } };
  const search = new URLSearchParams();
  if (next.q) search.set("q", next.q);
  for (const [name, value] of Object.entries(next.filters)) if (value) search.set(name, value);
  search.set("sort", next.sort);
  search.set("dir", next.dir);
  if (next.page > 1) search.set("page", String(next.page));
  if (next.size !== (next.defaultSize ?? DEFAULT_PAGE_SIZE)) search.set("size", String(next.size));
  return `?${search.toString()}`;
}

/** Escapes `%`, `_` and `\` for a LIKE/ILIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  size: number;
}
