import Papa from "papaparse";
import { today } from "./dates";

// The one way CSV leaves the app. Every export answers through `csvResponse`: UTF-8 with a BOM
// (Excel then reads accents right), CRLF line ends, a dated file name, `no-store`, streamed in
// chunks, and every text cell that a spreadsheet would run as a formula (starting with = + - @,
// tab or CR) neutralised with a leading apostrophe. Importers of files we export (HR people,
// RACI) read such cells back with `readBackCell`, so an export re-imports exactly.

export type CsvValue = string | number | boolean | null | undefined;
export type CsvRecord<C extends string> = Record<C, CsvValue>;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet: "=SUM(A1)" → "'=SUM(A1)". Numbers stay numbers. */
export function neutraliseCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseCell` for importers: "'=SUM(A1)" → "=SUM(A1)"; other values unchanged. */
export function readBackCell(value: string): string {
  return value.length > 1 && value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const lines = (rows: string[][]) => `${Papa.unparse(rows, { newline: "\r\n", quotes: false })}\r\n`;

/** Header and rows as one CSV text (with BOM): for small exports and tests. */
export function toCsv<C extends string>(columns: readonly C[], rows: Iterable<CsvRecord<C>>): string {
  const body: string[][] = [];
  for (const row of rows) body.push(columns.map((c) => neutraliseCell(row[c])));
  return `\uFEFF${lines([columns.map((c) => neutraliseCell(c))])}${body.length ? lines(body) : ""}`;
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

export function csvHeaders(name: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${csvFileName(name)}"`,
    "Cache-Control": "private, no-store",
  };
}

type RowSource<C extends string> = Iterable<CsvRecord<C>> | AsyncIterable<ReadonlyArray<CsvRecord<C>>>;

const CHUNK_ROWS = 500;

/**
 * A CSV download. `rows` is an array (written in chunks of 500) or an async iterable of row
 * chunks (read lazily, e.g. by keyset pages: a large export starts at once and never sits in
 * memory; a client that goes away stops the reading).
 */
export function csvResponse<C extends string>(name: string, columns: readonly C[], rows: RowSource<C>): Response {
  const encoder = new TextEncoder();
  const encodeRows = (chunk: ReadonlyArray<CsvRecord<C>>) =>
    encoder.encode(lines(chunk.map((row) => columns.map((c) => neutraliseCell(row[c])))));
  let iterator: Iterator<CsvRecord<C>> | AsyncIterator<ReadonlyArray<CsvRecord<C>>> | null = null;
  const isAsync = Symbol.asyncIterator in Object(rows);
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${lines([columns.map((c) => neutraliseCell(c))])}`));
        return;
      }
      if (isAsync) {
        iterator ??= (rows as AsyncIterable<ReadonlyArray<CsvRecord<C>>>)[Symbol.asyncIterator]();
        const next = await (iterator as AsyncIterator<ReadonlyArray<CsvRecord<C>>>).next();
        if (next.done) return controller.close();
        if (next.value.length) controller.enqueue(encodeRows(next.value));
        return;
      }
      iterator ??= (rows as Iterable<CsvRecord<C>>)[Symbol.iterator]();
      const chunk: CsvRecord<C>[] = [];
      for (let i = 0; i < CHUNK_ROWS; i++) {
        const next = (iterator as Iterator<CsvRecord<C>>).next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) return controller.close();
      controller.enqueue(encodeRows(chunk));
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
  return new Response(body, { headers: csvHeaders(name) });
}
