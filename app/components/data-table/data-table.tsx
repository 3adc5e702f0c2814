import {
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  columnFilteringFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
} from "@tanstack/react-table";
import { useId, useState } from "react";
import { CSV_CONTENT_TYPE, csvFileName as datedCsvFileName, toCsv } from "~/utils/csv";
import { useDelegatedNavigation } from "~/utils/delegated-navigation";
import { renderCell, type LeanColumn } from "./cells";

/** The features every list in the app has: sorting, a search box, CSV export of what is shown. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, basic: sortFn_basic, datetime: sortFn_datetime },
  filterFns: { includesString: filterFn_includesString },
});

export type DataColumn<T extends RowData> = LeanColumn<ColumnDef<typeof dataTableFeatures, T>, T>;

interface DataTableProps<T extends RowData> {
  data: T[];
  columns: DataColumn<T>[];
  /** Describes the table for screen readers and names the CSV file. */
  caption: string;
  csvFileName?: string;
  /**
   * The page's server CSV export (every row matching the URL's filters): the one CSV button then
   * links there instead of exporting the rows shown.
   */
  csvHref?: string;
  /** Plain values for the CSV export, one object per row (defaults to each column's value). */
  toCsvRow?: (row: T) => Record<string, unknown>;
  getRowId?: (row: T) => string;
  emptyMessage?: string;
}

export function DataTable<T extends RowData>({
  data,
  columns,
  caption,
  csvFileName,
  csvHref,
  toCsvRow,
  getRowId,
  emptyMessage,
}: DataTableProps<T>) {
  const [globalFilter, setGlobalFilter] = useState("");
  const searchId = useId();
  const table = useTable({
    features: dataTableFeatures,
    columns: columns as ColumnDef<typeof dataTableFeatures, T>[],
    data,
    getRowId: getRowId ? (row) => getRowId(row) : undefined,
    globalFilterFn: "includesString",
    state: { globalFilter },
    onGlobalFilterChange: (updater) => setGlobalFilter((old) => String(typeof updater === "function" ? updater(old) : (updater ?? ""))),
  });
  const rows = table.getRowModel().rows;
  const onBodyClick = useDelegatedNavigation();

  // The rows shown, through the same CSV rules as the server's exports (formulas neutralised).
  function exportCsv() {
    const records: Record<string, unknown>[] = rows.map((row) =>
      toCsvRow
        ? toCsvRow(row.original)
        : Object.fromEntries(
            row.getAllCells().map((cell) => {
              const header = cell.column.columnDef.header;
              return [typeof header === "string" ? header : cell.column.id, cell.getValue()];
            }),
          ),
    );
    const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const csv = toCsv(
      header,
      records.map((r) => header.map((c) => (r[c] === null || r[c] === undefined ? "" : typeof r[c] === "number" ? r[c] : String(r[c])))),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: CSV_CONTENT_TYPE }));
    const link = document.createElement("a");
    link.href = url;
    link.download = datedCsvFileName(csvFileName ?? caption);
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="data-table">
      <div className="data-table__toolbar">
        <label htmlFor={searchId} className="visually-hidden">
          Search {caption.toLowerCase()}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search…"
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.currentTarget.value)}
        />
        <span className="muted" aria-live="polite">
          {rows.length} of {data.length}
        </span>
        {csvHref ? (
          <a className="button button--secondary button--small" href={csvHref} download>
            Export CSV
          </a>
        ) : (
          <button type="button" className="button button--secondary button--small" onClick={exportCsv}>
            Export CSV
          </button>
        )}
      </div>
      <div className="data-table__scroll">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="sort-indicator">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
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
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="muted">
                  {data.length === 0 ? (emptyMessage ?? "Nothing here yet.") : "No rows match your search."}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id}>
                  {columns.map((column, i) => (
                    <td key={column.id ?? i}>{renderCell(column, row)}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
