import { Form, Link, useLocation, useNavigation, useSubmit } from "@remix-run/react";
import {
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
} from "@tanstack/react-table";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { listSearch, PAGE_SIZES, type ListParams } from "~/utils/list-params";
import { useDelegatedNavigation } from "~/utils/delegated-navigation";
import { formatCount } from "~/utils/numbers";
import { renderCell, type LeanColumn } from "./cells";

/**
 * A server-paged list: the URL holds search, filters, sort and page (see ~/utils/list-params),
 * the loader returns one page, and this table renders it with TanStack (manual sorting and
 * paging). Everything works without JavaScript: the filter bar is a GET form, sort headers and
 * pager are links, and the row checkboxes belong to the caller's bulk-action form (`formId`).
 * Cells link with plain `<a href>` (navigating in place through one handler on the body).
 * With JavaScript, filters apply as you type or pick, and "select all on this page" works.
 */
export const serverTableFeatures = tableFeatures({ rowSortingFeature, rowSelectionFeature });

/** A column; its `id` is the sort key the loader understands (set `enableSorting: false` otherwise). */
export type ServerColumn<T extends RowData> = LeanColumn<ColumnDef<typeof serverTableFeatures, T>, T>;

export interface ServerTableSelection<T> {
  /** The form field name of the row checkboxes, e.g. "teamId". */
  name: string;
  /** The id of the bulk-action <form> the checkboxes submit with. */
  formId: string;
  /** Names the row for the checkbox's accessible label ("Select Team Falcon"). */
  label: (row: T) => string;
}

interface ServerTableProps<T extends RowData> {
  caption: string;
  rows: T[];
  total: number;
  params: ListParams;
  columns: ServerColumn<T>[];
  getRowId: (row: T) => string;
  /** The CSV export of every row matching the current filters (a resource route). */
  csvHref?: string;
  /** Extra filter controls (selects named after the list's filters), inside the filter form. */
  filters?: ReactNode;
  searchLabel?: string;
  selection?: ServerTableSelection<T>;
  /** Rendered above the table when rows are selectable: gets the number of selected rows. */
  bulkActions?: (selectedCount: number) => ReactNode;
  emptyMessage?: string;
  /** Filters that name what the list is of (e.g. the import being previewed): "Clear filters" keeps them. */
  keepFilters?: readonly string[];
}

export function ServerTable<T extends RowData>({
  caption,
  rows,
  total,
  params,
  columns,
  getRowId,
  csvHref,
  filters,
  searchLabel,
  selection,
  bulkActions,
  emptyMessage,
  keepFilters,
}: ServerTableProps<T>) {
  const location = useLocation();
  const navigation = useNavigation();
  const submit = useSubmit();
  const searchId = useId();
  const filterForm = useRef<HTMLFormElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;
  // Cells link with plain <a> elements; this makes them navigate like router links.
  const onBodyClick = useDelegatedNavigation();

  // A new page of rows is a new selection (reset while rendering, as React recommends).
  const [selectionRows, setSelectionRows] = useState(rows);
  if (selectionRows !== rows) {
    setSelectionRows(rows);
    setRowSelection({});
  }
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  const table = useTable({
    features: serverTableFeatures,
    columns: columns as ColumnDef<typeof serverTableFeatures, T>[],
    data: rows,
    getRowId: (row) => getRowId(row),
    manualSorting: true,
    enableRowSelection: Boolean(selection),
    state: { sorting: [{ id: params.sort, desc: params.dir === "desc" }], rowSelection },
    onRowSelectionChange: (updater) => setRowSelection((old) => (typeof updater === "function" ? updater(old) : updater)),
  });
  const pageRows = table.getRowModel().rows;
  const selectedCount = Object.values(rowSelection).filter(Boolean).length;
  const pageCount = Math.max(1, Math.ceil(total / params.size));
  const first = total === 0 ? 0 : (params.page - 1) * params.size + 1;
  const last = Math.min(total, params.page * params.size);
  const columnCount = columns.length + (selection ? 1 : 0);
  const kept = Object.fromEntries(Object.entries(params.filters).filter(([name]) => keepFilters?.includes(name)));
  const filtered = Boolean(params.q) || Object.keys(params.filters).length > Object.keys(kept).length;
  // Clearing keeps the sort and the page size (and the kept filters), drops search and filters.
  const clearFilters = listSearch({ ...params, q: "", filters: kept }, { page: 1 });

  function applyFilters(delay: number) {
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => {
      if (filterForm.current) submit(filterForm.current, { replace: true, preventScrollReset: true });
    }, delay);
  }

  return (
    <div className="data-table" aria-busy={loading || undefined}>
      <Form
        method="get"
        ref={filterForm}
        className="data-table__toolbar"
        role="search"
        aria-label={`Filter ${caption.toLowerCase()}`}
        onChange={(event) => applyFilters((event.target as HTMLElement).getAttribute("type") === "search" ? 350 : 0)}
      >
        <label htmlFor={searchId} className="visually-hidden">
          {searchLabel ?? `Search ${caption.toLowerCase()}`}
        </label>
        <input id={searchId} type="search" name="q" placeholder="Search…" defaultValue={params.q} />
        {filters}
        <input type="hidden" name="sort" value={params.sort} />
        <input type="hidden" name="dir" value={params.dir} />
        <label className="data-table__size">
          <span className="visually-hidden">Rows per page</span>
          <select name="size" defaultValue={String(params.size)}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} per page
              </option>
            ))}
          </select>
        </label>
        {/* One filter behaviour everywhere: a visible submit (works without JavaScript); with it, filters also apply as you type or pick. */}
        <button type="submit" className="button button--secondary button--small">
          Filter
        </button>
        <span className="muted data-table__count" aria-live="polite">
          {loading ? "Loading…" : `${formatCount(total)} ${total === 1 ? "row" : "rows"}`}
        </span>
        {csvHref ? (
          <a className="button button--secondary button--small" href={csvHref} download>
            Export CSV
          </a>
        ) : null}
      </Form>
      {loading ? <progress className="data-table__progress" aria-label={`Loading ${caption.toLowerCase()}`} /> : null}
      {selection && bulkActions && total > 0 ? <div className="data-table__bulk">{bulkActions(selectedCount)}</div> : null}
      <div className="data-table__scroll">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {selection ? (
                  <th scope="col" className="data-table__select">
                    <input
                      type="checkbox"
                      aria-label="Select all rows on this page"
                      checked={pageRows.length > 0 && table.getIsAllPageRowsSelected()}
                      onChange={table.getToggleAllPageRowsSelectedHandler()}
                    />
                  </th>
                ) : null}
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const nextDir = sorted === "asc" ? "desc" : "asc";
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <Link
                          className="sort-button"
                          to={listSearch(params, { sort: header.column.id, dir: nextDir, page: 1 })}
                          preventScrollReset
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="sort-indicator">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </Link>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody onClick={onBodyClick}>
            {pageRows.length === 0 ? (
              <tr>
                <td colSpan={columnCount} className="muted">
                  {total > 0 ? (
                    // A page past the last one (an old link, a hand-typed URL): say so, and lead back.
                    <>
                      There are only {formatCount(pageCount)} {pageCount === 1 ? "page" : "pages"}.{" "}
                      <Link to={listSearch(params, { page: pageCount })}>Go to the last page</Link>
                    </>
                  ) : filtered ? (
                    <>
                      No rows match these filters. <Link to={clearFilters}>Clear filters</Link>
                    </>
                  ) : (
                    (emptyMessage ?? "Nothing here yet.")
                  )}
                </td>
              </tr>
            ) : (
              pageRows.map((row) => (
                <tr key={row.id} className={row.getIsSelected() ? "is-selected" : undefined}>
                  {selection ? (
                    <td className="data-table__select">
                      <input
                        type="checkbox"
                        name={selection.name}
                        value={row.id}
                        form={selection.formId}
                        aria-label={`Select ${selection.label(row.original)}`}
                        checked={row.getIsSelected()}
                        onChange={row.getToggleSelectedHandler()}
                      />
                    </td>
                  ) : null}
                  {columns.map((column, i) => (
                    <td key={column.id ?? i}>{renderCell(column, row)}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={`Pages of ${caption.toLowerCase()}`}>
        {total > 0 && pageRows.length > 0 ? (
          <span className="muted">
            {formatCount(first)}–{formatCount(last)} of {formatCount(total)} · page {params.page} of {pageCount}
          </span>
        ) : null}
        {params.page > 1 ? (
          <Link to={listSearch(params, { page: params.page - 1 })} rel="prev" preventScrollReset>
            ← Previous
          </Link>
        ) : null}
        {params.page < pageCount ? (
          <Link to={listSearch(params, { page: params.page + 1 })} rel="next" preventScrollReset>
            Next →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
