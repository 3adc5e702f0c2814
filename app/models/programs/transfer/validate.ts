import { PROGRAM_STATUSES } from "../../../../db/schema";
import type { ProgramDocument } from "./export.server";
import {
  GROUPS,
  ORG_COLUMNS,
  ORG_PREFIX,
  ORG_SECTION,
  ORG_TARGETS,
  PROGRAM_COLUMNS,
  TABLES,
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  type ColumnSpec,
  type OrgTarget,
} from "./tables";

// Checks a transfer document before anything is written: the format and its version first (a
// foreign or newer file is named as such), then every row's shape, with the JSON path of each
// problem ("$.plan.waves[2].startsOn: expected a date (YYYY-MM-DD)").

export type Validation = { ok: true; document: ProgramDocument } | { ok: false; problems: string[] };

/** How many problems are collected before the check stops (the first few are what a reader acts on). */
const MAX_PROBLEMS = 20;
const MAX_TEXT = 1_000_000;
const INT4 = 2 ** 31;
/** Sections of which a program has one row at most. */
const SINGLE = new Set(["matrices", "cadence", "graduationRules"]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function parseDocument(text: string): Validation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { ok: false, problems: ["The file is not JSON. Upload the .json file a program export wrote, unchanged."] };
  }
  return validateDocument(parsed);
}

export function validateDocument(input: unknown): Validation {
  if (!isObject(input) || input.format !== TRANSFER_FORMAT)
    return { ok: false, problems: [`This is not a Rollout Desk program export ($.format should be “${TRANSFER_FORMAT}”).`] };
  const version = input.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    return { ok: false, problems: ["$.version: expected a whole number (the format version of the export)."] };
  if (version > TRANSFER_VERSION)
    return {
      ok: false,
      problems: [
        `This export was written by a newer Rollout Desk (format version ${version}); this installation reads version ${TRANSFER_VERSION}. Upgrade this installation first.`,
      ],
    };

  const problems: string[] = [];
  const problem = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${path}: ${message}`);
  };

  // First pass: every section is an array of objects, and the ids each one declares.
  const ids = new Map<string, Set<string>>();
  const sections: Array<{ path: string; rows: unknown[]; columns: ColumnSpec[]; prefix: string | null; key: string }> = [];
  const org = input.organization;
  if (!isObject(org)) problem("$.organization", "missing (an object with units, teams, people and accounts)");
  for (const target of ORG_TARGETS) {
    const name = ORG_SECTION[target];
    const rows = isObject(org) ? org[name] : [];
    const path = `$.organization.${name}`;
    if (!Array.isArray(rows)) problem(path, "expected a list");
    else sections.push({ path, rows, columns: ORG_COLUMNS[name], prefix: ORG_PREFIX[target], key: target });
  }
  for (const group of GROUPS) {
    const value = input[group];
    if (!isObject(value)) {
      problem(`$.${group}`, "missing (an object of lists)");
      continue;
    }
    const known = new Set(TABLES.filter((s) => s.group === group).map((s) => s.section));
    for (const key of Object.keys(value)) if (!known.has(key)) problem(`$.${group}.${key}`, "unknown section");
    for (const spec of TABLES.filter((s) => s.group === group)) {
      const rows = value[spec.section];
      const path = `$.${group}.${spec.section}`;
      if (!Array.isArray(rows)) problem(path, "expected a list");
      else {
        if (SINGLE.has(spec.section) && rows.length > 1) problem(path, "a program has at most one");
        sections.push({ path, rows, columns: spec.columns, prefix: spec.prefix, key: spec.section });
      }
    }
  }
  for (const section of sections) {
    const declared = new Set<string>();
    ids.set(section.key, declared);
    section.rows.forEach((row, i) => {
      const path = `${section.path}[${i}]`;
      if (!isObject(row)) return problem(path, "expected an object");
      if (!section.prefix) return;
      const id = row.id;
      if (typeof id !== "string" || !new RegExp(`^${section.prefix}#\\d{1,9}$`).test(id))
        return problem(`${path}.id`, `expected an id like “${section.prefix}#1”`);
      if (declared.has(id)) return problem(`${path}.id`, `“${id}” appears twice`);
      declared.add(id);
    });
  }

  // Second pass: every field of every row.
  const checkRow = (path: string, row: Record<string, unknown>, columns: ColumnSpec[], hasId: boolean) => {
    const fields = new Set(columns.map((c) => c.field));
    for (const key of Object.keys(row)) if (!fields.has(key) && !(hasId && key === "id")) problem(`${path}.${key}`, "unknown field");
    for (const column of columns) checkValue(`${path}.${column.field}`, row[column.field], column);
  };
  const checkValue = (path: string, value: unknown, column: ColumnSpec) => {
    if (value === undefined) return problem(path, "missing");
    if (value === null) {
      if (!column.nullable) problem(path, "may not be null");
      return;
    }
    if (column.ref) {
      if (typeof value !== "string") return problem(path, "expected an id (a text)");
      if (!column.soft && !ids.get(column.ref)?.has(value)) problem(path, `“${value.slice(0, 60)}” is not in the document`);
      return;
    }
    switch (column.kind) {
      case "ids":
      case "text":
        if (typeof value !== "string") return problem(path, "expected a text");
        if (value.length > MAX_TEXT) return problem(path, "longer than a million characters");
        if (value.includes("\u0000")) return problem(path, "contains a NUL character");
        if (column.enumValues && !column.enumValues.includes(value))
          return problem(path, `“${value.slice(0, 40)}” is not one of ${column.enumValues.join(", ")}`);
        return;
      case "int":
        if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) >= INT4) problem(path, "expected a whole number");
        return;
      case "num":
        if (typeof value !== "number" || !Number.isFinite(value)) problem(path, "expected a number");
        return;
      case "bool":
        if (typeof value !== "boolean") problem(path, "expected true or false");
        return;
      case "date":
        if (typeof value !== "string" || !validDate(value)) problem(path, "expected a date (YYYY-MM-DD)");
        return;
      case "ts":
        if (typeof value !== "string" || !INSTANT.test(value) || Number.isNaN(Date.parse(value)))
          problem(path, "expected a date and time (ISO 8601, e.g. 2026-12-07T09:30:00.000Z)");
        return;
      case "json":
        if (JSON.stringify(value).includes("\\u0000")) problem(path, "contains a NUL character");
        return;
    }
  };

  if (!isObject(input.program)) problem("$.program", "missing (an object)");
  else {
    checkRow("$.program", input.program, PROGRAM_COLUMNS, false);
    const { name, status } = input.program;
    if (typeof name === "string" && !name.trim()) problem("$.program.name", "may not be empty");
    if (typeof name === "string" && name.length > 200) problem("$.program.name", "longer than 200 characters");
    if (typeof status === "string" && !(PROGRAM_STATUSES as readonly string[]).includes(status))
      problem("$.program.status", `“${status.slice(0, 40)}” is not one of ${PROGRAM_STATUSES.join(", ")}`);
  }
  for (const section of sections)
    section.rows.forEach((row, i) => {
      if (isObject(row)) checkRow(`${section.path}[${i}]`, row, section.columns, section.prefix !== null);
    });

  // The organization's natural keys: each names one entry.
  if (isObject(org)) checkOrganization(org, problem);

  if (problems.length) return { ok: false, problems };
  return { ok: true, document: input as unknown as ProgramDocument };
}

function checkOrganization(org: Record<string, unknown>, problem: (path: string, message: string) => void) {
  const rowsOf = (name: string): unknown[] => (Array.isArray(org[name]) ? (org[name] as unknown[]) : []);
  const list = (name: string) => rowsOf(name).filter(isObject);
  const unique = (name: string, field: string, normalize: (v: string) => string = (v) => v) => {
    const seen = new Set<string>();
    rowsOf(name).forEach((row, i) => {
      const value = isObject(row) ? row[field] : null;
      if (typeof value !== "string") return;
      const key = normalize(value);
      if (seen.has(key)) problem(`$.organization.${name}[${i}].${field}`, `“${value.slice(0, 60)}” appears twice`);
      seen.add(key);
    });
  };
  unique("people", "email", (v) => v.toLowerCase());
  unique("people", "externalId");
  unique("teams", "externalId");
  unique("units", "externalId");
  rowsOf("people").forEach((row, i) => {
    if (isObject(row) && typeof row.email === "string" && !/^[^\s@]+@[^\s@]+$/.test(row.email))
      problem(`$.organization.people[${i}].email`, "expected an email address");
  });
  for (const name of ["units", "teams", "people"] as const)
    rowsOf(name).forEach((row, i) => {
      if (isObject(row) && typeof row.name === "string" && !row.name.trim())
        problem(`$.organization.${name}[${i}].name`, "may not be empty");
    });
  // Units form a tree.
  const parent = new Map(list("units").map((u) => [String(u.id), typeof u.parentId === "string" ? u.parentId : null]));
  for (const [id] of parent) {
    const seen = new Set<string>();
    for (let at: string | null = id; at; at = parent.get(at) ?? null) {
      if (seen.has(at)) {
        problem(`$.organization.units`, `the parents of “${id}” go round in a circle`);
        return;
      }
      seen.add(at);
    }
  }
}

export type { OrgTarget };
