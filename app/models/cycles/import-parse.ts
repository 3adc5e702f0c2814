import {
  CHECK_IN_CONFIDENCES,
  KEY_RESULT_DIRECTIONS,
  KEY_RESULT_KINDS,
  OBJECTIVE_TYPES,
  type CheckInConfidence,
  type CycleImportKind,
  type KeyResultDirection,
  type KeyResultKind,
  type ObjectiveType,
} from "../../../db/schema";
import { parseHrCsv } from "~/models/org/import-parse";
import { readBackCell } from "~/utils/csv";
import { importDay, type Day } from "~/utils/dates";
import { MAX_NOTE, parseNumber } from "~/validation/checkins";

// Phase 1 of a cycle import (OKR sets or check-ins): reading the file. The org import's CSV reader
// does the text (separator, BOM, quoted newlines, line numbers as an editor shows them); here each
// line's cells become typed values, and every cell that cannot (a word where a number goes, a date
// that is no date, an unknown kind) is an error with its line. Nothing is looked up: teams, key
// results and rights are the plan's (import-plan.ts). No database here.
//
// OKR sets: one line per key result; an objective's lines repeat its team and title (a line
// without a key result adds or updates the objective alone). The cycle's CSV export has the same
// columns, so an exported file imports again without changing anything.
// Check-ins: one line per check-in on a key result, found by its title within the team's set (the
// objective's title tells two key results of the same title apart).

export const OKR_IMPORT_COLUMNS = [
  "team",
  "objective",
  "objective_description",
  "objective_type",
  "objective_owner",
  "key_result",
  "kind",
  "start",
  "target",
  "unit",
  "direction",
  "weight",
  "owner",
] as const;

export const CHECKIN_IMPORT_COLUMNS = [
  "team",
  "objective",
  "key_result",
  "date",
  "value",
  "done",
  "confidence",
  "note",
  "blockers",
] as const;

type OkrColumn = (typeof OKR_IMPORT_COLUMNS)[number];
type CheckInColumn = (typeof CHECKIN_IMPORT_COLUMNS)[number];

/** Header names each column is recognised by (compared without case, spaces, dashes, underscores and dots). */
const SYNONYMS: Record<OkrColumn | CheckInColumn, readonly string[]> = {
  team: ["team", "team name", "team id", "team identifier", "team external id"],
  objective: ["objective", "objective title", "objective name"],
  objective_description: ["objective description", "description"],
  objective_type: ["objective type", "type"],
  objective_owner: ["objective owner", "objective owner email"],
  key_result: ["key result", "key result title", "kr", "kr title"],
  kind: ["kind", "key result kind", "kr kind"],
  start: ["start", "start value", "baseline"],
  target: ["target", "target value", "goal"],
  unit: ["unit", "unit of measure"],
  direction: ["direction"],
  weight: ["weight", "kr weight"],
  owner: ["owner", "owner email", "key result owner", "kr owner"],
  date: ["date", "check-in date", "checked in on", "check in date", "day"],
  value: ["value", "current value", "current", "new value"],
  done: ["done", "milestone done", "completed"],
  confidence: ["confidence", "status"],
  note: ["note", "notes", "comment"],
  blockers: ["blockers", "blocker", "impediments"],
};

const norm = (h: string) => h.toLowerCase().replace(/[\s_\-.]+/g, "");

/** Where each column is in the header (the first header that names it). */
function findColumns<C extends OkrColumn | CheckInColumn>(headers: string[], columns: readonly C[]): Partial<Record<C, number>> {
  const found: Partial<Record<C, number>> = {};
  const taken = new Set<number>();
  for (const column of columns) {
    const names = new Set(SYNONYMS[column].map(norm));
    const index = headers.findIndex((h, i) => !taken.has(i) && names.has(norm(h)));
    if (index >= 0) {
      found[column] = index;
      taken.add(index);
    }
  }
  return found;
}

export interface LineError {
  line: number;
  message: string;
}

/** A key result's definition as a line gives it; undefined: the cell is empty (or the column absent), keep what is there. */
export interface KeyResultCells {
  title: string;
  kind?: KeyResultKind;
  start?: number;
  target?: number;
  unit?: string;
  direction?: KeyResultDirection;
  weight?: number;
  ownerEmail?: string;
}

export interface OkrLine {
  line: number;
  team: string;
  objective: string;
  description?: string;
  type?: ObjectiveType;
  ownerEmail?: string;
  keyResult: KeyResultCells | null;
}

export interface CheckInLine {
  line: number;
  team: string;
  /** Empty when the file does not say (the key result's title must then be unique in the team's set). */
  objective: string;
  keyResult: string;
  date: Day;
  value: number | null;
  /** A milestone's state; null when the cell is empty. */
  done: boolean | null;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
}

export interface Parsed<L> {
  lines: L[];
  errors: LineError[];
  /** Why the file cannot be imported at all; null when readable. */
  fatal: string | null;
}

const MAX_TITLE = 200;
const MAX_TEAM = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A value of a fixed list as people write it: "Needs attention", "needs_attention", "NEEDS-ATTENTION". */
function choice<T extends string>(raw: string, values: readonly T[], extra: Record<string, T> = {}): T | null {
  const key = norm(raw);
  return values.find((v) => norm(v) === key) ?? extra[key] ?? null;
}

const CONFIDENCE_WORDS: Record<string, CheckInConfidence> = {
  green: "on_track",
  ontrack: "on_track",
  amber: "needs_attention",
  yellow: "needs_attention",
  atrisk: "needs_attention",
  red: "off_track",
  offtrack: "off_track",
};

const YES = new Set(["yes", "y", "true", "1", "done", "x", "on"]);
const NO = new Set(["no", "n", "false", "0", "open", "off", "notdone"]);

function textCell(raw: string, label: string, max: number, line: number, errors: LineError[]): string {
  if (raw.length > max) errors.push({ line, message: `The ${label} is longer than ${max} characters.` });
  return raw.slice(0, max);
}

function readFile<C extends OkrColumn | CheckInColumn>(csv: string, columns: readonly C[], required: readonly C[]) {
  const parsed = parseHrCsv(csv);
  // The reader's messages speak of HR exports; these files come from a spreadsheet or an OKR tool.
  if (parsed.fatal)
    return {
      fatal: parsed.fatal.replace(/Export (it|the people) from your HR system as CSV/, "Save it as CSV").replace(" people;", " lines;"),
    } as const;
  const found = findColumns(parsed.headers, columns);
  const missing = required.filter((c) => found[c] === undefined);
  if (missing.length)
    return {
      fatal: `The file has no ${missing.map((c) => `“${c}”`).join(", ")} column${missing.length === 1 ? "" : "s"}. Start from the template.`,
    } as const;
  const cell = (cells: string[], column: C): string => {
    const index = found[column];
    return index === undefined ? "" : readBackCell((cells[index] ?? "").trim());
  };
  return { fatal: null, rows: parsed.rows, problems: parsed.problems, cell } as const;
}

/** Reads an OKR-set file: one line per key result (or per objective without key results). */
export function parseOkrCsv(csv: string): Parsed<OkrLine> {
  const file = readFile(csv, OKR_IMPORT_COLUMNS, ["team", "objective"]);
  if (file.fatal !== null) return { lines: [], errors: [], fatal: file.fatal };
  const errors: LineError[] = file.problems.map((p) => ({ line: p.line, message: p.message }));
  const lines: OkrLine[] = [];
  const seen = new Map<string, number>();
  for (const row of file.rows) {
    const cell = (c: OkrColumn) => file.cell(row.cells, c);
    const before = errors.length;
    const line = row.line;
    const team = textCell(cell("team"), "team", MAX_TEAM, line, errors);
    const objective = textCell(cell("objective"), "objective", MAX_TITLE, line, errors);
    if (!team) errors.push({ line, message: "The team is missing." });
    if (!objective) errors.push({ line, message: "The objective is missing." });
    const out: OkrLine = { line, team, objective, keyResult: null };
    const description = cell("objective_description");
    if (description) out.description = textCell(description, "objective's description", 2000, line, errors);
    const type = cell("objective_type");
    if (type) {
      const t = choice(type, OBJECTIVE_TYPES);
      if (t) out.type = t;
      else errors.push({ line, message: `“${type}” is not an objective type: use committed, aspirational or learning.` });
    }
    const objectiveOwner = cell("objective_owner").toLowerCase();
    if (objectiveOwner) {
      if (EMAIL.test(objectiveOwner) && objectiveOwner.length <= 254) out.ownerEmail = objectiveOwner;
      else errors.push({ line, message: `The objective's owner “${objectiveOwner}” is not an email address.` });
    }
    const krTitle = textCell(cell("key_result"), "key result", MAX_TITLE, line, errors);
    if (krTitle) {
      const kr: KeyResultCells = { title: krTitle };
      const kind = cell("kind");
      if (kind) {
        const k = choice(kind, KEY_RESULT_KINDS);
        if (k) kr.kind = k;
        else errors.push({ line, message: `“${kind}” is not a kind of key result: use metric or milestone.` });
      }
      for (const [column, label] of [
        ["start", "start"],
        ["target", "target"],
        ["weight", "weight"],
      ] as const) {
        const raw = cell(column);
        if (!raw) continue;
        const n = parseNumber(raw);
        if (n === null) errors.push({ line, message: `The ${label} “${raw}” is not a number (like 42 or 12.5).` });
        else kr[column] = n;
      }
      if (kr.weight !== undefined && !(kr.weight > 0 && kr.weight <= 100))
        errors.push({ line, message: "The weight must be a number above 0 and at most 100." });
      const unit = cell("unit");
      if (unit) kr.unit = textCell(unit, "unit", 30, line, errors);
      const direction = cell("direction");
      if (direction) {
        const d = choice(direction, KEY_RESULT_DIRECTIONS, { up: "increase", down: "decrease" });
        if (d) kr.direction = d;
        else errors.push({ line, message: `“${direction}” is not a direction: use increase or decrease.` });
      }
      const owner = cell("owner").toLowerCase();
      if (owner) {
        if (EMAIL.test(owner) && owner.length <= 254) kr.ownerEmail = owner;
        else errors.push({ line, message: `The key result's owner “${owner}” is not an email address.` });
      }
      out.keyResult = kr;
      const key = [team, objective, krTitle].map((s) => s.toLowerCase()).join("\u0001");
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({ line, message: `The same key result as line ${first} (same team, objective and title): keep one of the two lines.` });
      else seen.set(key, line);
    }
    if (errors.length === before) lines.push(out);
  }
  return { lines, errors: errors.sort((a, b) => a.line - b.line), fatal: null };
}

/** Reads a check-in file: one line per check-in. `today` bounds the dates (no check-in in the future). */
export function parseCheckInCsv(csv: string, today: Day): Parsed<CheckInLine> {
  const file = readFile(csv, CHECKIN_IMPORT_COLUMNS, ["team", "key_result", "date", "confidence"]);
  if (file.fatal !== null) return { lines: [], errors: [], fatal: file.fatal };
  const errors: LineError[] = file.problems.map((p) => ({ line: p.line, message: p.message }));
  const lines: CheckInLine[] = [];
  const seen = new Map<string, number>();
  for (const row of file.rows) {
    const cell = (c: CheckInColumn) => file.cell(row.cells, c);
    const before = errors.length;
    const line = row.line;
    const team = textCell(cell("team"), "team", MAX_TEAM, line, errors);
    const objective = textCell(cell("objective"), "objective", MAX_TITLE, line, errors);
    const keyResult = textCell(cell("key_result"), "key result", MAX_TITLE, line, errors);
    if (!team) errors.push({ line, message: "The team is missing." });
    if (!keyResult) errors.push({ line, message: "The key result is missing." });
    const rawDate = cell("date");
    const date = importDay(rawDate);
    if (!rawDate) errors.push({ line, message: "The date is missing." });
    else if (!date) errors.push({ line, message: `“${rawDate}” is not a date (use YYYY-MM-DD).` });
    else if (date > today) errors.push({ line, message: `The date ${date} is in the future.` });
    const rawValue = cell("value");
    const value = rawValue ? parseNumber(rawValue) : null;
    if (rawValue && value === null) errors.push({ line, message: `The value “${rawValue}” is not a number (like 42 or 12.5).` });
    const rawDone = cell("done");
    let done: boolean | null = null;
    if (rawDone) {
      const key = norm(rawDone);
      if (YES.has(key)) done = true;
      else if (NO.has(key)) done = false;
      else errors.push({ line, message: `“${rawDone}” is neither yes nor no (done).` });
    }
    const rawConfidence = cell("confidence");
    const confidence = rawConfidence ? choice(rawConfidence, CHECK_IN_CONFIDENCES, CONFIDENCE_WORDS) : null;
    if (!rawConfidence) errors.push({ line, message: "The confidence is missing: on track, needs attention or off track." });
    else if (!confidence)
      errors.push({ line, message: `“${rawConfidence}” is not a confidence: use on track, needs attention or off track.` });
    const note = textCell(cell("note"), "note", MAX_NOTE, line, errors);
    const blockers = textCell(cell("blockers"), "blockers", MAX_NOTE, line, errors);
    if (errors.length > before || !date || !confidence) continue;
    const key = [team, objective, keyResult, date].map((s) => s.toLowerCase()).join("\u0001");
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line, message: `A second check-in on the same key result and day as line ${first}: keep one of the two lines.` });
      continue;
    }
    seen.set(key, line);
    lines.push({ line, team, objective, keyResult, date, value, done, confidence, note, blockers });
  }
  return { lines, errors: errors.sort((a, b) => a.line - b.line), fatal: null };
}

/** The template of each kind: the header and two example lines. */
export function importTemplate(kind: CycleImportKind): { columns: readonly string[]; rows: string[][] } {
  if (kind === "okrs")
    return {
      columns: OKR_IMPORT_COLUMNS,
      rows: [
        [
          "Warehouse",
          "Ship orders faster",
          "Customers get their orders the next day",
          "committed",
          "lead@example.com",
          "Orders shipped the same day",
          "metric",
          "60",
          "90",
          "%",
          "increase",
          "1",
          "owner@example.com",
        ],
        ["Warehouse", "Ship orders faster", "", "", "", "New packing line running", "milestone", "", "", "", "", "1", ""],
      ],
    };
  return {
    columns: CHECKIN_IMPORT_COLUMNS,
    rows: [
      ["Warehouse", "Ship orders faster", "Orders shipped the same day", "2027-01-18", "72", "", "on track", "Second shift helps", ""],
      ["Warehouse", "Ship orders faster", "New packing line running", "2027-01-18", "", "no", "needs attention", "", "Supplier late"],
    ],
  };
}
