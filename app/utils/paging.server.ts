import { sql, type SelectQueryBuilder } from "kysely";
import type { ListParams, Page } from "./list-params";

/**
 * One query for a page of rows and the number of rows matching: `count(*) over ()` rides along
 * with the page. The query must already be filtered and ordered (with a unique tie-breaker).
 * When the page is past the end (e.g. after a filter narrowed the list) a second, cheap count
 * query answers how many rows there are, so the page can say "page 3 of 2" never happens.
 */
export async function fetchPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  params: Pick<ListParams, "page" | "size">,
): Promise<Page<O>> {
  const rows = await query
    .select(sql<number>`count(*) over ()`.as("__total"))
    .limit(params.size)
    .offset((params.page - 1) * params.size)
    .execute();
  let total = rows.length > 0 ? Number((rows[0] as { __total: number }).__total) : 0;
  if (rows.length === 0 && params.page > 1) {
    const counted = await query
      .clearSelect()
      .clearOrderBy()
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirst();
    total = Number((counted as { n: number } | undefined)?.n ?? 0);
  }
  for (const row of rows) delete (row as { __total?: number }).__total;
  return { rows: rows as O[], total, page: params.page, size: params.size };
}
