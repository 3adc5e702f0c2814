// The columns an HR export can hold and the rules of a column mapping: shared by the importer's
// phases (parse → plan → commit) and by the import pages (labels, choices). No database, no
// server-only code: the browser bundle may import it.

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
  "teamExternalId",
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
  teamExternalId: "Team ID",
  teamLeadEmail: "Team lead email",
  externalId: "Employee number",
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
  team: ["team", "team name", "squad", "squad name"],
  teamExternalId: ["team id", "team code", "team number", "squad id", "squad code", "team key"],
  teamLeadEmail: ["team lead email", "manager email", "lead email", "team leader email", "team lead e-mail", "manager e-mail"],
  externalId: [
    "employee id",
    "external id",
    "id",
    "personnel number",
    "emp id",
    "employee number",
    "employee no",
    "staff id",
    "personnel id",
  ],
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

/** Why a mapping cannot be used (an empty list when it can). */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const problems: string[] = [];
  const count = new Map<ImportField, number>();
  for (const field of mapping) if (field) count.set(field, (count.get(field) ?? 0) + 1);
  for (const [field, n] of count) if (n > 1) problems.push(`${n} columns are set to “${FIELD_LABELS[field]}”; choose one.`);
  const has = (field: ImportField) => count.has(field);
  if (!has("email")) problems.push("Choose the column that holds each person’s email.");
  if (!has("name") && !has("firstName") && !has("lastName"))
    problems.push("Choose the column with the person’s name (or first and last name).");
  if (has("name") && (has("firstName") || has("lastName")))
    problems.push("Use either a name column or first and last name columns, not both.");
  if (has("unitPath") && (has("unit") || has("parentUnit")))
    problems.push("Use either a unit path column or unit (and parent unit) columns, not both.");
  if (has("parentUnit") && !has("unit")) problems.push("A parent unit column needs a unit column too.");
  if (has("team") && !has("unitPath") && !has("unit"))
    problems.push("A team belongs to a unit: choose the unit path or unit column as well.");
  if (has("teamExternalId") && !has("team")) problems.push("A team ID column needs a team column too.");
  if (has("teamLeadEmail") && !has("team")) problems.push("A team lead email column needs a team column too.");
  return problems;
}

/** How people in the file are matched to people in Rollout Desk. */
export type IdentityKey = "externalId" | "email";

export function identityKey(mapping: ColumnMapping): IdentityKey {
  return mapping.includes("externalId") ? "externalId" : "email";
}

/** The cells of one line the PLO may correct in the preview: the mapped columns a person is read from. */
export const EDITABLE_FIELDS: readonly ImportField[] = [
  "externalId",
  "name",
  "firstName",
  "lastName",
  "email",
  "title",
  "unitPath",
  "unit",
  "parentUnit",
  "team",
  "teamExternalId",
  "teamLeadEmail",
];

/** What the PLO decided about one staged file; the planner applies it. */
export interface ImportDecisions {
  /** Lines left out of the import. */
  skip: number[];
  /** Corrected cells, by line. */
  edits: Record<string, Partial<Record<ImportField, string>>>;
  /** Confirmed renames: the key of a team the file names ("unitId|name") → the existing team it is. */
  renames: Record<string, string>;
  /** Confirmed changed emails (email key only): line → the existing person the line is. */
  emailMatches: Record<string, string>;
  /** What happens to people in Rollout Desk who are not in the file; chosen at commit. */
  leavers?: LeaverChoice;
}
export const LEAVER_CHOICES = ["archive", "keep"] as const;
export type LeaverChoice = (typeof LEAVER_CHOICES)[number];

export const NO_DECISIONS: ImportDecisions = { skip: [], edits: {}, renames: {}, emailMatches: {} };

export const MAX_ROWS = 100_000;
/** Largest file accepted (an export of 20,000 people with long unit paths is ≈3 MB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Files up to this many rows are planned while the upload waits; larger ones in the background, with progress. */
export const SYNC_PLAN_ROWS = 2_000;
