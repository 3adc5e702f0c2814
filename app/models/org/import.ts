import Papa from "papaparse";
import { email as emailSchema } from "~/validation/common";

// Importing the organization from an HR system's CSV export, the pure part: reading the file
// (separator, BOM, quoted newlines, line numbers), recognizing its columns, and planning what an
// import would change against a snapshot of the database. No database access here: the server
// module loads the snapshot and applies the plan in one transaction.

export const IMPORT_FIELDS = [
  "name",
  "firstName",
  "lastName",
  "email",
  "title",
  "unitPath",
  "unit",
  "parentUnit",
  "team",
  "teamLeadEmail",
  "externalId",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const FIELD_LABELS: Record<ImportField, string> = {
  name: "Name",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  title: "Title",
  unitPath: "Unit path",
  unit: "Unit",
  parentUnit: "Parent unit",
  team: "Team",
  teamLeadEmail: "Team lead email",
  externalId: "External id",
};

/** One field (or null: ignored) per column of the file, in column order. */
export type ColumnMapping = Array<ImportField | null>;

export function isImportField(value: unknown): value is ImportField {
  return typeof value === "string" && (IMPORT_FIELDS as readonly string[]).includes(value);
}

// Header names as HR systems write them, compared without case, spaces, underscores, dashes or dots.
const SYNONYMS: Record<ImportField, readonly string[]> = {
  name: ["name", "full name", "employee name", "display name", "person", "person name"],
  firstName: ["first name", "given name", "forename", "firstname"],
  lastName: ["last name", "surname", "family name", "lastname"],
  email: ["email", "e-mail", "work email", "mail", "email address", "work email address", "business email", "e-mail address"],
  title: ["title", "job title", "position", "job"],
  unitPath: ["unit path", "org path", "department path", "organization path", "organisation path"],
  unit: [
    "unit",
    "department",
    "org unit",
    "division",
    "dept",
    "organizational unit",
    "organisational unit",
    "unit name",
    "department name",
  ],
  parentUnit: ["parent unit", "parent department", "parent org unit", "parent division", "parent unit name"],
  team: ["team", "team name", "squad"],
  teamLeadEmail: ["team lead email", "manager email", "lead email", "team leader email", "team lead e-mail", "manager e-mail"],
  externalId: ["employee id", "external id", "id", "personnel number", "emp id", "employee number", "staff id", "personnel id"],
};

export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_\-.]+/g, "");
}

const HEADER_INDEX = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => SYNONYMS[field].map((s) => [normalizeHeader(s), field] as const)),
);

/** The field a header names, when it is one of the usual names. */
export function recognizeHeader(header: string): ImportField | null {
  return HEADER_INDEX.get(normalizeHeader(header)) ?? null;
}

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

export const MAX_ROWS = 100_000;
/** Largest file accepted (an export of 20,000 people with long unit paths is ≈3 MB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
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
  let headerLine = 0;
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
        headerLine = rowLine;
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
  void headerLine;
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

/** Why a mapping cannot be used (an empty list when it can). */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const problems: string[] = [];
  const count = new Map<ImportField, number>();
  for (const field of mapping) if (field) count.set(field, (count.get(field) ?? 0) + 1);
  for (const [field, n] of count) if (n > 1) problems.push(`${n} columns are set to “${FIELD_LABELS[field]}”; choose one.`);
  const has = (field: ImportField) => count.has(field);
  if (!has("email")) problems.push("Choose the column that holds each person’s email: people are matched by it.");
  if (!has("name") && !has("firstName") && !has("lastName"))
    problems.push("Choose the column with the person’s name (or first and last name).");
  if (has("name") && (has("firstName") || has("lastName")))
    problems.push("Use either a name column or first and last name columns, not both.");
  if (has("unitPath") && (has("unit") || has("parentUnit")))
    problems.push("Use either a unit path column or unit (and parent unit) columns, not both.");
  if (has("parentUnit") && !has("unit")) problems.push("A parent unit column needs a unit column too.");
  if (has("team") && !has("unitPath") && !has("unit"))
    problems.push("A team belongs to a unit: choose the unit path or unit column as well.");
  if (has("teamLeadEmail") && !has("team")) problems.push("A team lead email column needs a team column too.");
  return problems;
}

// -----------------------------------------------------------------------------------------------
// Planning

export interface SnapshotUnit {
  id: string;
  name: string;
  parentId: string | null;
  archived: boolean;
}
export interface SnapshotTeam {
  id: string;
  name: string;
  unitId: string;
  leadPersonId: string | null;
  archived: boolean;
}
export interface SnapshotPerson {
  id: string;
  name: string;
  email: string;
  title: string;
  unitId: string | null;
  teamId: string | null;
  externalId: string | null;
  archived: boolean;
}
/** What the database holds now (every unit, team and person: a few queries, whatever the size). */
export interface OrgSnapshot {
  units: SnapshotUnit[];
  teams: SnapshotTeam[];
  people: SnapshotPerson[];
}

export interface PlannedPerson {
  line: number;
  id: string;
  name: string;
  email: string;
  title: string;
  unitId: string | null;
  teamId: string | null;
  externalId: string | null;
}
export interface FieldChange {
  field: string;
  from: string;
  to: string;
}
export interface PlannedUpdate extends PlannedPerson {
  changes: FieldChange[];
  /** The person was archived in Rollout Desk and is in the file again. */
  restore: boolean;
  previousTeamId: string | null;
}

export interface ImportPlan {
  rows: number;
  errors: RowError[];
  /** New units, parents before children. */
  unitsToCreate: Array<{ id: string; name: string; parentId: string | null; path: string }>;
  teamsToCreate: Array<{ id: string; name: string; unitId: string; label: string }>;
  peopleToCreate: PlannedPerson[];
  peopleToUpdate: PlannedUpdate[];
  unchanged: number;
  /** Teams whose lead changes. */
  teamLeads: Array<{ teamId: string; leadPersonId: string; label: string; lead: string }>;
  /** Teams whose size is recounted after the import (teams in the file and teams people left). */
  teamsToCount: string[];
  /** Active people in Rollout Desk that the file does not mention (they are kept). */
  kept: number;
  warnings: string[];
  /** Names to show for unit and team ids of this plan (new ones included). */
  label: { unit(id: string | null): string; team(id: string | null): string };
}

export type NewId = () => string;

const MAX = { name: 200, title: 200, email: 254, unit: 200, team: 200, externalId: 100 } as const;
const PATH_SEPARATOR = /\s*(?:›|>|\/)\s*/;
const lower = (s: string) => s.toLowerCase();
const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;

interface UnitNode {
  id: string;
  name: string;
  parentId: string | null;
  isNew: boolean;
  archived: boolean;
}

type Resolved = { ok: true; unitId: string } | { ok: false; field: ImportField; message: string };

/** What importing these rows with this mapping would do to the organization in `snapshot`. */
export function planImport(
  snapshot: OrgSnapshot,
  rows: CsvRow[],
  mapping: ColumnMapping,
  newId: NewId = () => crypto.randomUUID(),
): ImportPlan {
  const errors: RowError[] = [];
  const warnings = new Set<string>();
  const column = (field: ImportField) => mapping.indexOf(field);
  const cols = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, column(f)])) as Record<ImportField, number>;
  const mapped = (field: ImportField) => cols[field] !== -1;
  const cell = (row: CsvRow, field: ImportField) => (cols[field] === -1 ? "" : (row.cells[cols[field]] ?? "").trim());
  const fail = (line: number, field: ImportField, message: string) => errors.push({ line, field, message });

  // --- Units: every existing and planned unit, found by (parent, lower(name)).
  const units = new Map<string, UnitNode>();
  const children = new Map<string, UnitNode>();
  const childKey = (parentId: string | null, name: string) => `${parentId ?? ""}\u0001${lower(name)}`;
  const byName = new Map<string, UnitNode[]>();
  for (const u of snapshot.units) {
    const node: UnitNode = { id: u.id, name: u.name, parentId: u.parentId, isNew: false, archived: u.archived };
    units.set(u.id, node);
    children.set(childKey(u.parentId, u.name), node);
    const list = byName.get(lower(u.name)) ?? [];
    list.push(node);
    byName.set(lower(u.name), list);
  }
  const newUnits: UnitNode[] = [];
  const childUnit = (parentId: string | null, name: string): UnitNode => {
    const key = childKey(parentId, name);
    let node = children.get(key);
    if (!node) {
      node = { id: newId(), name, parentId, isNew: true, archived: false };
      children.set(key, node);
      units.set(node.id, node);
      newUnits.push(node);
    } else if (node.archived) {
      warnings.add(`Unit ${quote(node.name)} is archived in Rollout Desk; people are placed in it and it stays archived.`);
    }
    return node;
  };
  const pathCache = new Map<string, string>();
  const unitPath = (id: string | null): string => {
    if (!id) return "";
    const cached = pathCache.get(id);
    if (cached !== undefined) return cached;
    const names: string[] = [];
    const seen = new Set<string>();
    for (let node = units.get(id); node && !seen.has(node.id); node = node.parentId ? units.get(node.parentId) : undefined) {
      seen.add(node.id);
      names.unshift(node.name);
    }
    const path = names.join(" › ");
    pathCache.set(id, path);
    return path;
  };

  // Unit + parent columns: a unit named in the file with a parent is that parent's child; a name
  // without a parent is the file's unit of that name, else the one unit of that name in the
  // database, else (for a person's own unit) a new top-level unit.
  const fileParents = new Map<string, Map<string, { parent: string; line: number }>>();
  const fileUnitNames = new Map<string, string>();
  if (mapped("unit")) {
    for (const row of rows) {
      const unit = cell(row, "unit");
      if (!unit || unit.length > MAX.unit) continue;
      fileUnitNames.set(lower(unit), fileUnitNames.get(lower(unit)) ?? unit);
      const parent = cell(row, "parentUnit");
      if (!parent || parent.length > MAX.unit) continue;
      const parents = fileParents.get(lower(unit)) ?? new Map();
      if (!parents.has(lower(parent))) parents.set(lower(parent), { parent, line: row.line });
      fileParents.set(lower(unit), parents);
    }
  }
  const resolvedNames = new Map<string, Resolved>();
  const resolveName = (name: string, asParent: boolean, visiting: Set<string>): Resolved => {
    const key = lower(name);
    const field: ImportField = asParent ? "parentUnit" : "unit";
    const memo = resolvedNames.get(key);
    if (memo) return memo.ok ? memo : { ...memo, field };
    if (visiting.has(key)) return { ok: false, field, message: `The parent units in this file form a loop through ${quote(name)}.` };
    let result: Resolved;
    const parents = fileParents.get(key);
    if (parents && parents.size > 1) {
      const [a, b] = [...parents.values()];
      result = {
        ok: false,
        field,
        message: `Unit ${quote(fileUnitNames.get(key) ?? name)} has different parent units in this file (${quote(a.parent)} on line ${a.line}, ${quote(b.parent)} on line ${b.line}).`,
      };
    } else if (parents && parents.size === 1) {
      const [{ parent }] = [...parents.values()];
      const up = resolveName(parent, true, new Set([...visiting, key]));
      result = up.ok ? { ok: true, unitId: childUnit(up.unitId, fileUnitNames.get(key) ?? name).id } : up;
    } else {
      const existing = (byName.get(key) ?? []).filter((u) => !u.isNew);
      const active = existing.filter((u) => !u.archived);
      const candidates = active.length > 0 ? active : existing;
      if (candidates.length === 1) result = { ok: true, unitId: candidates[0].id };
      else if (candidates.length > 1) {
        result = {
          ok: false,
          field,
          message: `${candidates.length} units in Rollout Desk are called ${quote(name)} (${candidates
            .slice(0, 3)
            .map((u) => unitPath(u.id))
            .join("; ")}): add the parent unit, or use a unit path column.`,
        };
      } else if (!asParent || fileUnitNames.has(key)) result = { ok: true, unitId: childUnit(null, fileUnitNames.get(key) ?? name).id };
      else
        result = {
          ok: false,
          field,
          message: `Unknown parent unit ${quote(name)}: it is neither a unit in this file nor in Rollout Desk.`,
        };
    }
    resolvedNames.set(key, result);
    return result;
  };

  // --- Teams by (unit, lower(name)).
  const teams = new Map<string, SnapshotTeam & { isNew: boolean }>();
  const teamByKey = new Map<string, SnapshotTeam & { isNew: boolean }>();
  for (const t of snapshot.teams) {
    const node = { ...t, isNew: false };
    teams.set(t.id, node);
    teamByKey.set(childKey(t.unitId, t.name), node);
  }
  const teamsToCreate: ImportPlan["teamsToCreate"] = [];
  const teamIn = (unitId: string, name: string) => {
    const key = childKey(unitId, name);
    let team = teamByKey.get(key);
    if (!team) {
      team = { id: newId(), name, unitId, leadPersonId: null, archived: false, isNew: true };
      teamByKey.set(key, team);
      teams.set(team.id, team);
      teamsToCreate.push({ id: team.id, name, unitId, label: `${name} (${unitPath(unitId)})` });
    } else if (team.archived) {
      warnings.add(`Team ${quote(team.name)} is archived in Rollout Desk; people are placed in it and it stays archived.`);
    }
    return team;
  };

  // --- People: first pass for duplicates within the file.
  const firstLineByEmail = new Map<string, number>();
  const firstLineByExternalId = new Map<string, number>();
  const byExternalId = new Map<string, SnapshotPerson>();
  const byEmail = new Map<string, SnapshotPerson>();
  for (const p of snapshot.people) {
    if (p.externalId) byExternalId.set(p.externalId, p);
    byEmail.set(lower(p.email), p);
  }
  const matchedBy = new Map<string, number>();
  const peopleToCreate: PlannedPerson[] = [];
  const peopleToUpdate: PlannedUpdate[] = [];
  const planned: Array<{ row: CsvRow; person: PlannedPerson }> = [];
  let unchanged = 0;
  const teamLabel = (id: string | null) => {
    if (!id) return "";
    const team = teams.get(id);
    return team ? `${team.name} (${unitPath(team.unitId)})` : "";
  };

  for (const row of rows) {
    const before = errors.length;
    const line = row.line;
    const email = lower(cell(row, "email"));
    const name = mapped("name") ? cell(row, "name") : [cell(row, "firstName"), cell(row, "lastName")].filter(Boolean).join(" ");
    const title = cell(row, "title");
    const externalId = cell(row, "externalId");

    if (!email) fail(line, "email", "The email is missing.");
    else if (email.length > MAX.email || !emailSchema.safeParse(email).success)
      fail(line, "email", `${quote(cell(row, "email"))} is not a valid email address.`);
    else {
      const first = firstLineByEmail.get(email);
      if (first !== undefined)
        fail(line, "email", `The email ${quote(email)} appears twice in the file: on line ${first} and on line ${line}.`);
      else firstLineByEmail.set(email, line);
    }
    if (!name) fail(line, mapped("name") ? "name" : "firstName", "The name is missing.");
    else if (name.length > MAX.name) fail(line, mapped("name") ? "name" : "firstName", `The name is longer than ${MAX.name} characters.`);
    if (title.length > MAX.title) fail(line, "title", `The title is longer than ${MAX.title} characters.`);
    if (externalId) {
      if (externalId.length > MAX.externalId) fail(line, "externalId", `The external id is longer than ${MAX.externalId} characters.`);
      else {
        const first = firstLineByExternalId.get(externalId);
        if (first !== undefined)
          fail(line, "externalId", `The external id ${quote(externalId)} appears twice in the file: on line ${first} and on line ${line}.`);
        else firstLineByExternalId.set(externalId, line);
      }
    }

    // Unit.
    let unitId: string | null = null;
    if (mapped("unitPath")) {
      const raw = cell(row, "unitPath");
      if (raw) {
        const parts = raw.split(PATH_SEPARATOR);
        if (parts.some((p) => p === "")) fail(line, "unitPath", `The unit path ${quote(raw)} has an empty part.`);
        else if (parts.some((p) => p.length > MAX.unit))
          fail(line, "unitPath", `A unit name in ${quote(raw)} is longer than ${MAX.unit} characters.`);
        else if (parts.length > 20) fail(line, "unitPath", `The unit path ${quote(raw)} is more than 20 levels deep.`);
        else {
          let parentId: string | null = null;
          for (const part of parts) parentId = childUnit(parentId, part).id;
          unitId = parentId;
        }
      }
    } else if (mapped("unit")) {
      const unit = cell(row, "unit");
      const parent = cell(row, "parentUnit");
      if (!unit && parent) fail(line, "unit", "The parent unit is given but the unit is missing.");
      else if (unit.length > MAX.unit || parent.length > MAX.unit) fail(line, "unit", `A unit name is longer than ${MAX.unit} characters.`);
      else if (unit) {
        const resolved = resolveName(unit, false, new Set());
        if (resolved.ok) unitId = resolved.unitId;
        else fail(line, resolved.field, resolved.message);
      }
    }

    // Team.
    let teamId: string | null = null;
    const team = cell(row, "team");
    if (team) {
      if (team.length > MAX.team) fail(line, "team", `The team name is longer than ${MAX.team} characters.`);
      else if (unitId) teamId = teamIn(unitId, team).id;
      else if (errors.length === before) fail(line, "team", `The team ${quote(team)} needs a unit: the unit is missing.`);
    }
    const leadEmail = lower(cell(row, "teamLeadEmail"));
    if (leadEmail && !team && errors.length === before) fail(line, "teamLeadEmail", "A team lead is given but the team is missing.");

    if (errors.length > before) continue;

    // Match: external id first, else email.
    const match = (externalId ? byExternalId.get(externalId) : undefined) ?? byEmail.get(email);
    if (match) {
      const other = matchedBy.get(match.id);
      if (other !== undefined) {
        fail(line, "email", `This line and line ${other} both match ${quote(match.name)} (${match.email}) in Rollout Desk.`);
        continue;
      }
      const owner = byEmail.get(email);
      if (owner && owner.id !== match.id) {
        fail(line, "email", `The email ${quote(email)} belongs to another person in Rollout Desk (${owner.name}).`);
        continue;
      }
      matchedBy.set(match.id, line);
      const next: PlannedPerson = {
        line,
        id: match.id,
        name,
        email,
        title: mapped("title") ? title : match.title,
        unitId: mapped("unitPath") || mapped("unit") ? unitId : match.unitId,
        teamId: mapped("team")
          ? teamId
          : mapped("unitPath") || mapped("unit")
            ? unitId === match.unitId
              ? match.teamId
              : null
            : match.teamId,
        externalId: externalId || match.externalId,
      };
      const changes: FieldChange[] = [];
      const diff = (field: string, from: string, to: string) => {
        if (from !== to) changes.push({ field, from, to });
      };
      diff("name", match.name, next.name);
      diff("email", match.email, next.email);
      diff("title", match.title, next.title);
      if (match.unitId !== next.unitId) changes.push({ field: "unit", from: unitPath(match.unitId), to: unitPath(next.unitId) });
      if (match.teamId !== next.teamId) changes.push({ field: "team", from: teamLabel(match.teamId), to: teamLabel(next.teamId) });
      diff("external id", match.externalId ?? "", next.externalId ?? "");
      if (match.archived) changes.push({ field: "archived", from: "archived", to: "active" });
      if (changes.length > 0) peopleToUpdate.push({ ...next, changes, restore: match.archived, previousTeamId: match.teamId });
      else unchanged += 1;
      planned.push({ row, person: next });
    } else {
      const person: PlannedPerson = { line, id: newId(), name, email, title, unitId, teamId, externalId: externalId || null };
      peopleToCreate.push(person);
      planned.push({ row, person });
    }
  }

  // --- Team leads: by email, among the people of the file (as they will be) and the others.
  const idByEmail = new Map<string, string>();
  for (const p of snapshot.people) if (!matchedBy.has(p.id)) idByEmail.set(lower(p.email), p.id);
  for (const { person } of planned) idByEmail.set(person.email, person.id);
  const leadChosen = new Map<string, { email: string; line: number }>();
  const teamLeads: ImportPlan["teamLeads"] = [];
  if (mapped("teamLeadEmail")) {
    for (const { row, person } of planned) {
      const leadEmail = lower(cell(row, "teamLeadEmail"));
      if (!leadEmail || !person.teamId) continue;
      const leadId = idByEmail.get(leadEmail);
      if (!leadId) {
        fail(row.line, "teamLeadEmail", `The team lead ${quote(leadEmail)} is neither in this file nor in Rollout Desk.`);
        continue;
      }
      const chosen = leadChosen.get(person.teamId);
      if (chosen && chosen.email !== leadEmail) {
        fail(
          row.line,
          "teamLeadEmail",
          `Team ${quote(teams.get(person.teamId)?.name ?? "")} has another lead, ${quote(chosen.email)}, on line ${chosen.line}.`,
        );
        continue;
      }
      if (chosen) continue;
      leadChosen.set(person.teamId, { email: leadEmail, line: row.line });
      const team = teams.get(person.teamId);
      if (team && team.leadPersonId !== leadId)
        teamLeads.push({ teamId: team.id, leadPersonId: leadId, label: teamLabel(team.id), lead: leadEmail });
    }
  }

  const teamsToCount = new Set<string>();
  for (const { person } of planned) if (person.teamId) teamsToCount.add(person.teamId);
  for (const update of peopleToUpdate) if (update.previousTeamId) teamsToCount.add(update.previousTeamId);

  errors.sort((a, b) => a.line - b.line);
  return {
    rows: rows.length,
    errors,
    unitsToCreate: newUnits
      .map((u) => ({ id: u.id, name: u.name, parentId: u.parentId, path: unitPath(u.id) }))
      .sort((a, b) => depth(a.path) - depth(b.path)),
    teamsToCreate,
    peopleToCreate,
    peopleToUpdate,
    unchanged,
    teamLeads,
    teamsToCount: [...teamsToCount],
    kept: snapshot.people.filter((p) => !p.archived && !matchedBy.has(p.id)).length,
    warnings: [...warnings].slice(0, 20),
    label: { unit: unitPath, team: (id) => (id ? (teams.get(id)?.name ?? "") : "") },
  };
}

const depth = (path: string) => path.split(" › ").length;

export interface ImportCounts {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  /** Lines with at least one error. */
  errorLines: number;
  errors: number;
  unitsToCreate: number;
  teamsToCreate: number;
  teamLeads: number;
  kept: number;
}

export interface ImportPreview {
  counts: ImportCounts;
  errors: RowError[];
  create: Array<{ line: number; name: string; email: string; title: string; unit: string; team: string }>;
  update: Array<{ line: number; name: string; email: string; changes: FieldChange[] }>;
  unitsToCreate: string[];
  teamsToCreate: string[];
  teamLeads: Array<{ team: string; lead: string }>;
  warnings: string[];
}

export function countPlan(plan: ImportPlan): ImportCounts {
  return {
    rows: plan.rows,
    create: plan.peopleToCreate.length,
    update: plan.peopleToUpdate.length,
    unchanged: plan.unchanged,
    errorLines: new Set(plan.errors.map((e) => e.line)).size,
    errors: plan.errors.length,
    unitsToCreate: plan.unitsToCreate.length,
    teamsToCreate: plan.teamsToCreate.length,
    teamLeads: plan.teamLeads.length,
    kept: plan.kept,
  };
}

/** A page-sized view of a plan: the counts, the first errors and a sample of each kind of change. */
export function previewPlan(plan: ImportPlan, limits = { errors: 200, sample: 25 }): ImportPreview {
  return {
    counts: countPlan(plan),
    errors: plan.errors.slice(0, limits.errors),
    create: plan.peopleToCreate.slice(0, limits.sample).map((p) => ({
      line: p.line,
      name: p.name,
      email: p.email,
      title: p.title,
      unit: plan.label.unit(p.unitId),
      team: plan.label.team(p.teamId),
    })),
    update: plan.peopleToUpdate.slice(0, limits.sample).map((p) => ({ line: p.line, name: p.name, email: p.email, changes: p.changes })),
    unitsToCreate: plan.unitsToCreate.slice(0, limits.sample).map((u) => u.path),
    teamsToCreate: plan.teamsToCreate.slice(0, limits.sample).map((t) => t.label),
    teamLeads: plan.teamLeads.slice(0, limits.sample).map((t) => ({ team: t.label, lead: t.lead })),
    warnings: plan.warnings,
  };
}
