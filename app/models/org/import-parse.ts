import { createHash } from "node:crypto";
import Papa from "papaparse";
import { readBackCell } from "~/utils/csv.server";
import { MAX_ROWS, recognizeHeader, type ColumnMapping, type ImportDecisions, type ImportField } from "./import-fields";

// Phase 1 of an HR import: reading the file. Separator, BOM, quoted commas and newlines, line
// numbers as an editor shows them, the header and the column mapping it suggests, and the one
// function that reads a cell (the PLO's corrections first, then the file). No database here.

export interface RowError {
  /** The line of the file (1-based, counting the header and every line of a quoted field). */
  line: number;
  field: ImportField | "file";
  message: string;
}

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  headers: string[];
  rows: CsvRow[];
  delimiter: string;
  /** The mapping guessed from the headers (and, for email, from the values). */
  mapping: ColumnMapping;
  /** Lines the parser could not read (an unclosed quote, too many fields). */
  problems: RowError[];
  /** Why the file cannot be imported at all (empty, binary, no header); null when readable. */
  fatal: string | null;
}

const MAX_COLUMNS = 200;

/** The separator of the header line: the most frequent of `,`, `;` and tab outside quotes. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let seenContent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "\n") {
      if (seenContent) break;
    } else if (!quoted && c in counts) counts[c] += 1;
    if (c !== "\n" && c !== " ") seenContent = true;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

/** Reads an HR export: header, rows with their line numbers, and the detected column mapping. */
export function parseHrCsv(input: string): ParsedCsv {
  const empty = (fatal: string): ParsedCsv => ({ headers: [], rows: [], delimiter: ",", mapping: [], problems: [], fatal });
  if (input.includes("\u0000"))
    return empty("The file is not a CSV text file (it contains binary data). Export it from your HR system as CSV.");
  const text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (text.trim() === "") return empty("The file is empty. Export the people from your HR system as CSV, with a header line.");
  const delimiter = detectDelimiter(text);

  let headers: string[] | null = null;
  const rows: CsvRow[] = [];
  const problems: RowError[] = [];
  let cursor = 0;
  let line = 1;
  let tooMany = false;
  Papa.parse<string[]>(text, {
    delimiter,
    step: (result, parser) => {
      const end = result.meta.cursor;
      const rowLine = line;
      // Lines of this record (quoted newlines included) are counted from where it started.
      for (let i = text.indexOf("\n", cursor); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) line += 1;
      cursor = end;
      const cells = result.data;
      for (const error of result.errors) {
        if (error.code === "MissingQuotes") {
          problems.push({
            line: rowLine,
            field: "file",
            message: 'A quoted field is not closed: a " is missing, so the rest of the file cannot be read.',
          });
        } else if (error.code !== "UndetectableDelimiter") {
          problems.push({ line: rowLine, field: "file", message: error.message });
        }
      }
      if (isBlank(cells)) return;
      if (!headers) {
        headers = cells.map((h, i) => h.trim() || `Column ${i + 1}`);
        return;
      }
      if (rows.length >= MAX_ROWS) {
        tooMany = true;
        parser.abort();
        return;
      }
      rows.push({ line: rowLine, cells });
    },
  });
  const header = headers as string[] | null;
  if (!header) return empty("The file has no header line.");
  if (tooMany) return empty(`The file has more than ${MAX_ROWS.toLocaleString("en")} people; split it into smaller files.`);
  if (header.length > MAX_COLUMNS)
    return empty(`The header has ${header.length} columns; an HR export for import has at most ${MAX_COLUMNS}.`);
  for (const row of rows) {
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim() !== "")) {
      problems.push({
        line: row.line,
        field: "file",
        message: `The line has ${row.cells.length} fields but the header has ${header.length}: check the quotes and separators.`,
      });
    }
  }
  return { headers: header, rows, delimiter, mapping: detectMapping(header, rows), problems, fatal: null };
}

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

/** Each field goes to the first column whose header names it; email may also be found by its values. */
export function detectMapping(headers: string[], rows: CsvRow[] = []): ColumnMapping {
  const taken = new Set<ImportField>();
  const mapping: ColumnMapping = headers.map((header) => {
    const field = recognizeHeader(header);
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
  if (!taken.has("email")) {
    const sample = rows.slice(0, 50);
    const index = mapping.findIndex((field, i) => {
      if (field !== null) return false;
      const values = sample.map((r) => r.cells[i] ?? "").filter((v) => v.trim() !== "");
      return values.length > 0 && values.filter(looksLikeEmail).length >= values.length * 0.8;
    });
    if (index !== -1) mapping[index] = "email";
  }
  return mapping;
}

/** The same header set (whatever the case, spacing or order of mention) gives the same key. */
export function headerKey(headers: readonly string[]): string {
  return createHash("sha256")
    .update(headers.map((h) => h.trim().toLowerCase()).join("\u0001"))
    .digest("hex")
    .slice(0, 32);
}

/**
 * How a line's cells are read, in one place: the PLO's correction of the cell if any, else the
 * file's cell, trimmed, with a spreadsheet-formula guard our own exports add taken off again
 * (`readBackCell`), so an exported list re-imports exactly.
 */
export type CellReader = (row: CsvRow, field: ImportField) => string;

export function cellReader(mapping: ColumnMapping, edits: ImportDecisions["edits"] = {}): CellReader {
  const columns = new Map<ImportField, number>();
  mapping.forEach((field, i) => {
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const hasEdits = Object.keys(edits).length > 0;
  return (row, field) => {
    if (hasEdits) {
      const edited = edits[String(row.line)]?.[field];
      if (edited !== undefined) return edited.trim();
    }
    const index = columns.get(field);
    if (index === undefined) return "";
    return readBackCell((row.cells[index] ?? "").trim());
  };
}
