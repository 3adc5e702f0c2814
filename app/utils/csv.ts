import Papa from "papaparse";
import { today } from "./dates";

// The CSV text rules, shared by the server's downloads (`~/utils/csv.server`, `csvResponse`) and
// the lists that export what they show in the browser (DataTable): UTF-8 with a BOM (Excel then
// reads accents right), CRLF line ends, a dated file name, and every text cell that a spreadsheet
// would run as a formula (starting with = + - @, tab or CR) neutralised with a leading
// apostrophe. Importers of files we export (HR people, RACI) read such cells back with
// `readBackCell`, so an export re-imports exactly.

/** The media type of every CSV the app hands out (server downloads and browser exports). */
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
/** What the file pickers of the CSV imports accept. */
export const CSV_ACCEPT = ".csv,text/csv";

export type CsvValue = string | number | boolean | null | undefined;
export type CsvRecord<C extends string> = Record<C, CsvValue>;
/** A row by column name, or by position (for tables whose columns are data, like the RACI roles). */
export type CsvRow<C extends string> = CsvRecord<C> | readonly CsvValue[];

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). Cells that
 * already start with apostrophes before such a character get one more, so `readBackCell` can
 * always remove exactly one: every value round-trips.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet: "=SUM(A1)" → "'=SUM(A1)". Numbers stay numbers. */
export function neutraliseCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseCell` for importers: "'=SUM(A1)" → "=SUM(A1)"; other values unchanged. */
export function readBackCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Rows as CSV lines (CRLF, each ending with CRLF), every cell neutralised. */
export function csvLines<C extends string>(columns: readonly C[], rows: Iterable<CsvRow<C>>): string {
  const cells: string[][] = [];
  for (const row of rows) cells.push(isPositional(row) ? row.map(neutraliseCell) : columns.map((c) => neutraliseCell(row[c])));
  return cells.length ? `${Papa.unparse(cells, { newline: "\r\n", quotes: false })}\r\n` : "";
}

function isPositional<C extends string>(row: CsvRow<C>): row is readonly CsvValue[] {
  return Array.isArray(row);
}

/** The BOM and the header line. */
export function csvHeader(columns: readonly string[]): string {
  return `\uFEFF${csvLines([], [columns])}`;
}

/** Header and rows as one CSV text (with BOM): for small exports, the browser's list exports and tests. */
export function toCsv<C extends string>(columns: readonly C[], rows: Iterable<CsvRow<C>>): string {
  return `${csvHeader(columns)}${csvLines(columns, rows)}`;
}

/** `name-2027-01-12.csv`, with the name reduced to safe characters. */
export function csvFileName(name: string, day = today()): string {
  const safe =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "export";
  return `${safe}-${day}.csv`;
}
