import { createHash } from "node:crypto";
import { email as emailSchema } from "~/validation/common";
import { identityKey, type ColumnMapping, type IdentityKey, type ImportDecisions, type ImportField } from "./import-fields";
import { cellReader, type CellReader, type CsvRow, type RowError } from "./import-parse";

// Phase 2 of an HR import: planning what the file would change in the organization as it is now
// (a snapshot the server loads in a few queries). No database here. The plan is built in steps,
// each its own function over one shared state:
//   rows      — each line: its cells checked, its unit and team found or planned, its person
//               matched by the identity key (employee number when mapped, else email);
//   leads     — each team's lead decided by the rows of the team;
//   leavers   — people in Rollout Desk the file no longer names, with the roles they hold;
//   proposals — "renamed?" teams and "changed email?" people for the PLO to confirm;
//   items     — every change, problem and proposal as a list the preview pages through, the
//               change report downloads, and the commit records as history.
// Ids of things to create are derived from the import and the thing (not random), so planning
// the same file twice against the same organization gives the same plan and the same digest:
// the commit plans again and refuses when anything changed since the preview.

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
  externalId: string | null;
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
/** A person who coaches in a program (flagged when they leave). */
export interface SnapshotCoach {
  personId: string;
  programName: string;
  teams: number;
}
/** What the database holds now (every unit, team and person: a few queries, whatever the size). */
export interface OrgSnapshot {
  units: SnapshotUnit[];
  teams: SnapshotTeam[];
  people: SnapshotPerson[];
  coaches: SnapshotCoach[];
  /** The installation's data version when the snapshot was read (bumped by every audited change). */
  version?: string | null;
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
export interface PlannedTeamChange {
  id: string;
  name: string;
  unitId: string;
  externalId: string | null;
}

export const ITEM_KINDS = [
  "error",
  "warning",
  "join",
  "move",
  "update",
  "restore",
  "leave",
  "rename",
  "rename_candidate",
  "email_candidate",
  "team_new",
  "unit_new",
  "lead",
  "team_alert",
  "skipped",
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** One line of the preview and of the change report. */
export interface PlanItem {
  kind: ItemKind;
  line: number | null;
  refId: string | null;
  name: string;
  email: string;
  field: string;
  before: string;
  after: string;
  message: string;
  extra: Record<string, unknown> | null;
}

export type ImportCounts = Record<ItemKind, number> & {
  rows: number;
  unchanged: number;
  /** Lines with at least one error. */
  errorLines: number;
};

export interface ImportPlan {
  key: IdentityKey;
  rows: number;
  errors: RowError[];
  /** New units, parents before children. */
  unitsToCreate: Array<{ id: string; name: string; parentId: string | null; path: string }>;
  teamsToCreate: Array<{ id: string; name: string; unitId: string; externalId: string | null }>;
  /** Renamed or moved teams, and teams that get their HR id. */
  teamsToChange: PlannedTeamChange[];
  peopleToCreate: PlannedPerson[];
  peopleToUpdate: PlannedUpdate[];
  /** Active people in Rollout Desk the file does not name. */
  leavers: Array<{ id: string; name: string; teamId: string | null }>;
  /** Teams whose lead changes. */
  teamLeads: Array<{ teamId: string; leadPersonId: string }>;
  /** Teams whose size is recounted after the import. */
  teamsToCount: string[];
  unchanged: number;
  items: PlanItem[];
  counts: ImportCounts;
  /** A digest of every item: equal plans, equal digests. */
  fingerprint: string;
}

/** The part of a plan the commit writes (kept with the preview as JSON). */
export type PlanWrites = Pick<
  ImportPlan,
  | "unitsToCreate"
  | "teamsToCreate"
  | "teamsToChange"
  | "peopleToCreate"
  | "peopleToUpdate"
  | "leavers"
  | "teamLeads"
  | "teamsToCount"
  | "counts"
  | "rows"
>;

export function planWrites(plan: ImportPlan): PlanWrites {
  return {
    rows: plan.rows,
    counts: plan.counts,
    unitsToCreate: plan.unitsToCreate,
    teamsToCreate: plan.teamsToCreate,
    teamsToChange: plan.teamsToChange,
    // The field changes are in the items already; the commit needs the new values only.
    peopleToCreate: plan.peopleToCreate,
    peopleToUpdate: plan.peopleToUpdate.map((p) => ({ ...p, changes: [] })),
    leavers: plan.leavers,
    teamLeads: plan.teamLeads,
    teamsToCount: plan.teamsToCount,
  };
}

export interface PlanOptions {
  /** Makes the ids of new units, teams and people: the same key gives the same id. */
  newId?: (key: string) => string;
  /** Called between chunks of rows (lets the caller report progress and yield the event loop). */
  onProgress?: (done: number, total: number) => Promise<void> | void;
  chunkSize?: number;
}

/** An id derived from a seed and a key: stable across plans of the same import. */
export function stableIds(seed: string): (key: string) => string {
  return (key) => {
    const h = createHash("sha256").update(seed).update("\u0000").update(key).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

const MAX = { name: 200, title: 200, email: 254, unit: 200, team: 200, externalId: 100 } as const;
const PATH_SEPARATOR = /\s*(?:›|>|\/)\s*/;
const lower = (s: string) => s.toLowerCase();
const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;
const childKey = (parentId: string | null, name: string) => `${parentId ?? ""}|${lower(name)}`;
const listLines = (lines: number[]) => (lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(", ")}`);

interface UnitNode {
  id: string;
  name: string;
  parentId: string | null;
  isNew: boolean;
  archived: boolean;
}
interface TeamNode {
  id: string;
  name: string;
  unitId: string;
  leadPersonId: string | null;
  externalId: string | null;
  archived: boolean;
  isNew: boolean;
  /** The name and unit it has in Rollout Desk now (for renames and moves). */
  original: { name: string; unitId: string; externalId: string | null } | null;
  /** The line that gave it its new name, unit or id. */
  changedOn: number | null;
}
type Resolved = { ok: true; unitId: string } | { ok: false; field: ImportField; message: string };

/** A line that names a person (valid or not): what the lead and leaver steps need of it. */
interface LineOutcome {
  row: CsvRow;
  person: PlannedPerson | null;
  /** The person in Rollout Desk the line is, when known. */
  matchedId: string | null;
}

/** The planner's state, shared by its steps. */
class PlanState {
  readonly errors: RowError[] = [];
  readonly warnings: PlanItem[] = [];
  readonly units = new Map<string, UnitNode>();
  readonly unitChildren = new Map<string, UnitNode>();
  readonly unitsByName = new Map<string, UnitNode[]>();
  readonly newUnits: UnitNode[] = [];
  readonly teams = new Map<string, TeamNode>();
  readonly teamByKey = new Map<string, TeamNode>();
  readonly teamByExternalId = new Map<string, TeamNode>();
  readonly peopleById = new Map<string, SnapshotPerson>();
  readonly byEmail = new Map<string, SnapshotPerson>();
  readonly byExternalId = new Map<string, SnapshotPerson>();
  /** Person id → line that matched them. */
  readonly matchedBy = new Map<string, number>();
  /** People a line names even if the line has an error or is skipped: they are not leavers. */
  readonly present = new Set<string>();
  readonly firstLineByEmail = new Map<string, number>();
  readonly firstLineByExternalId = new Map<string, number>();
  readonly teamNameByExternalId = new Map<string, { line: number; name: string; unitId: string }>();
  readonly outcomes: LineOutcome[] = [];
  readonly peopleToCreate: PlannedPerson[] = [];
  readonly peopleToUpdate: PlannedUpdate[] = [];
  readonly skipped: CsvRow[] = [];
  readonly renamesTo = new Map<string, string>();
  readonly confirmedEmails = new Map<number, string>();
  readonly skip: Set<number>;
  readonly key: IdentityKey;
  readonly cell: CellReader;
  readonly mapped: (field: ImportField) => boolean;
  unchanged = 0;
  private readonly pathCache = new Map<string, string>();

  constructor(
    readonly snapshot: OrgSnapshot,
    readonly mapping: ColumnMapping,
    readonly decisions: ImportDecisions,
    readonly newId: (key: string) => string,
  ) {
    const fields = new Set(mapping.filter((f): f is ImportField => f !== null));
    this.mapped = (field) => fields.has(field);
    this.key = identityKey(mapping);
    this.cell = cellReader(mapping, decisions.edits);
    this.skip = new Set(decisions.skip);
    for (const [key, teamId] of Object.entries(decisions.renames)) this.renamesTo.set(key, teamId);
    for (const [line, personId] of Object.entries(decisions.emailMatches)) this.confirmedEmails.set(Number(line), personId);
    for (const u of snapshot.units) {
      const node: UnitNode = { id: u.id, name: u.name, parentId: u.parentId, isNew: false, archived: u.archived };
      this.units.set(u.id, node);
      this.unitChildren.set(childKey(u.parentId, u.name), node);
      const list = this.unitsByName.get(lower(u.name)) ?? [];
      list.push(node);
      this.unitsByName.set(lower(u.name), list);
    }
    for (const t of snapshot.teams) {
      const node: TeamNode = {
        ...t,
        isNew: false,
        original: { name: t.name, unitId: t.unitId, externalId: t.externalId },
        changedOn: null,
      };
      this.teams.set(t.id, node);
      this.teamByKey.set(childKey(t.unitId, t.name), node);
      if (t.externalId) this.teamByExternalId.set(t.externalId, node);
    }
    for (const p of snapshot.people) {
      this.peopleById.set(p.id, p);
      this.byEmail.set(lower(p.email), p);
      if (p.externalId) this.byExternalId.set(p.externalId, p);
    }
  }

  fail(line: number, field: ImportField, message: string) {
    this.errors.push({ line, field, message });
  }
  warn(line: number | null, field: string, message: string, refId: string | null = null, name = "") {
    this.warnings.push({ kind: "warning", line, refId, name, email: "", field, before: "", after: "", message, extra: null });
  }

  unitPath(id: string | null): string {
    if (!id) return "";
    const cached = this.pathCache.get(id);
    if (cached !== undefined) return cached;
    const names: string[] = [];
    const seen = new Set<string>();
    for (let node = this.units.get(id); node && !seen.has(node.id); node = node.parentId ? this.units.get(node.parentId) : undefined) {
      seen.add(node.id);
      names.unshift(node.name);
    }
    const path = names.join(" › ");
    this.pathCache.set(id, path);
    return path;
  }
  teamLabel(id: string | null): string {
    const team = id ? this.teams.get(id) : undefined;
    return team ? `${team.name} (${this.unitPath(team.unitId)})` : "";
  }
  /** Where a person is, in words: "Payments (Northwind › Finance)", else the unit path. */
  placeLabel(unitId: string | null, teamId: string | null): string {
    return teamId ? this.teamLabel(teamId) : this.unitPath(unitId);
  }
  personLabel(p: SnapshotPerson): string {
    return p.externalId ? `${p.externalId} ${p.name}` : p.name;
  }
}

// --- Step: units ---------------------------------------------------------------------------

function childUnit(s: PlanState, parentId: string | null, name: string, line: number): UnitNode {
  const key = childKey(parentId, name);
  let node = s.unitChildren.get(key);
  if (!node) {
    node = { id: s.newId(`unit:${key}`), name, parentId, isNew: true, archived: false };
    s.unitChildren.set(key, node);
    s.units.set(node.id, node);
    s.newUnits.push(node);
  } else if (node.archived && !s.warnings.some((w) => w.refId === node!.id)) {
    s.warn(line, "unit", `Unit ${quote(node.name)} is archived in Rollout Desk; people are placed in it and it stays archived.`, node.id);
  }
  return node;
}

/** Units named by "unit" (+ "parent unit") columns: each name once, its parent from the file or from Rollout Desk. */
function unitNameResolver(s: PlanState, rows: CsvRow[]) {
  const fileUnitNames = new Map<string, string>();
  const fileParents = new Map<string, Map<string, { parent: string; line: number }>>();
  if (s.mapped("unit")) {
    for (const row of rows) {
      const unit = s.cell(row, "unit");
      if (!unit || unit.length > MAX.unit) continue;
      fileUnitNames.set(lower(unit), fileUnitNames.get(lower(unit)) ?? unit);
      const parent = s.cell(row, "parentUnit");
      if (!parent || parent.length > MAX.unit) continue;
      const parents = fileParents.get(lower(unit)) ?? new Map();
      if (!parents.has(lower(parent))) parents.set(lower(parent), { parent, line: row.line });
      fileParents.set(lower(unit), parents);
    }
  }
  const memo = new Map<string, Resolved>();
  const resolve = (name: string, asParent: boolean, visiting: Set<string>, line: number): Resolved => {
    const key = lower(name);
    const field: ImportField = asParent ? "parentUnit" : "unit";
    const known = memo.get(key);
    if (known) return known.ok ? known : { ...known, field };
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
      const up = resolve(parent, true, new Set([...visiting, key]), line);
      result = up.ok ? { ok: true, unitId: childUnit(s, up.unitId, fileUnitNames.get(key) ?? name, line).id } : up;
    } else {
      const existing = (s.unitsByName.get(key) ?? []).filter((u) => !u.isNew);
      const active = existing.filter((u) => !u.archived);
      const candidates = active.length > 0 ? active : existing;
      if (candidates.length === 1) result = { ok: true, unitId: candidates[0].id };
      else if (candidates.length > 1) {
        result = {
          ok: false,
          field,
          message: `${candidates.length} units in Rollout Desk are called ${quote(name)} (${candidates
            .slice(0, 3)
            .map((u) => s.unitPath(u.id))
            .join("; ")}): add the parent unit, or use a unit path column.`,
        };
      } else if (!asParent || fileUnitNames.has(key))
        result = { ok: true, unitId: childUnit(s, null, fileUnitNames.get(key) ?? name, line).id };
      else
        result = {
          ok: false,
          field,
          message: `Unknown parent unit ${quote(name)}: it is neither a unit in this file nor in Rollout Desk.`,
        };
    }
    memo.set(key, result);
    return result;
  };
  return (name: string, line: number) => resolve(name, false, new Set(), line);
}

function readUnit(s: PlanState, row: CsvRow, resolveUnitName: ReturnType<typeof unitNameResolver>): string | null {
  const line = row.line;
  if (s.mapped("unitPath")) {
    const raw = s.cell(row, "unitPath");
    if (!raw) return null;
    const parts = raw.split(PATH_SEPARATOR);
    if (parts.some((p) => p === "")) s.fail(line, "unitPath", `The unit path ${quote(raw)} has an empty part.`);
    else if (parts.some((p) => p.length > MAX.unit))
      s.fail(line, "unitPath", `A unit name in ${quote(raw)} is longer than ${MAX.unit} characters.`);
    else if (parts.length > 20) s.fail(line, "unitPath", `The unit path ${quote(raw)} is more than 20 levels deep.`);
    else {
      let parentId: string | null = null;
      for (const part of parts) parentId = childUnit(s, parentId, part, line).id;
      return parentId;
    }
    return null;
  }
  if (s.mapped("unit")) {
    const unit = s.cell(row, "unit");
    const parent = s.cell(row, "parentUnit");
    if (!unit && parent) s.fail(line, "unit", "The parent unit is given but the unit is missing.");
    else if (unit.length > MAX.unit || parent.length > MAX.unit) s.fail(line, "unit", `A unit name is longer than ${MAX.unit} characters.`);
    else if (unit) {
      const resolved = resolveUnitName(unit, line);
      if (resolved.ok) return resolved.unitId;
      s.fail(line, resolved.field, resolved.message);
    }
  }
  return null;
}

// --- Step: teams ---------------------------------------------------------------------------

function newTeam(s: PlanState, unitId: string, name: string, externalId: string | null, line: number): TeamNode {
  const team: TeamNode = {
    id: s.newId(externalId ? `team-id:${externalId}` : `team:${childKey(unitId, name)}`),
    name,
    unitId,
    leadPersonId: null,
    externalId,
    archived: false,
    isNew: true,
    original: null,
    changedOn: line,
  };
  s.teamByKey.set(childKey(unitId, name), team);
  s.teams.set(team.id, team);
  if (externalId) s.teamByExternalId.set(externalId, team);
  return team;
}

function noteArchived(s: PlanState, team: TeamNode, line: number) {
  if (team.archived && !s.warnings.some((w) => w.refId === team.id)) {
    s.warn(line, "team", `Team ${quote(team.name)} is archived in Rollout Desk; people are placed in it and it stays archived.`, team.id);
  }
}

/** The team a line names, by the team ID column when mapped (a new name is then a rename), else by unit and name. */
function readTeam(s: PlanState, row: CsvRow, unitId: string | null, errorsBefore: number): string | null {
  const line = row.line;
  const name = s.cell(row, "team");
  const teamKey = s.mapped("teamExternalId") ? s.cell(row, "teamExternalId") : "";
  if (!name && !teamKey) return null;
  if (name.length > MAX.team) {
    s.fail(line, "team", `The team name is longer than ${MAX.team} characters.`);
    return null;
  }
  if (teamKey.length > MAX.externalId) {
    s.fail(line, "teamExternalId", `The team ID is longer than ${MAX.externalId} characters.`);
    return null;
  }
  if (!unitId) {
    if (s.errors.length === errorsBefore) s.fail(line, "team", `The team ${quote(name || teamKey)} needs a unit: the unit is missing.`);
    return null;
  }
  if (teamKey) {
    const first = s.teamNameByExternalId.get(teamKey);
    if (first && (lower(first.name) !== lower(name || first.name) || first.unitId !== unitId)) {
      s.fail(
        line,
        "teamExternalId",
        `Team ID ${quote(teamKey)} is ${quote(first.name)} in ${quote(s.unitPath(first.unitId))} on line ${first.line}, but ${quote(name)} in ${quote(s.unitPath(unitId))} here.`,
      );
      return null;
    }
    let team = s.teamByExternalId.get(teamKey);
    if (!team && !name) {
      s.fail(line, "team", `The team name is missing (team ID ${quote(teamKey)} is new).`);
      return null;
    }
    const teamName = name || team!.name;
    if (!first) s.teamNameByExternalId.set(teamKey, { line, name: teamName, unitId });
    if (team) {
      if (!first && (team.name !== teamName || team.unitId !== unitId)) {
        const clash = s.teamByKey.get(childKey(unitId, teamName));
        if (clash && clash.id !== team.id) {
          s.fail(
            line,
            "team",
            `Team ID ${quote(teamKey)} would be renamed to ${quote(teamName)}, but ${quote(s.unitPath(unitId))} already has a team of that name.`,
          );
          return null;
        }
        s.teamByKey.delete(childKey(team.unitId, team.name));
        team.name = teamName;
        team.unitId = unitId;
        team.changedOn ??= line;
        s.teamByKey.set(childKey(unitId, teamName), team);
      }
    } else {
      // A team Rollout Desk knows by name but not yet by ID gets the ID; otherwise a new team.
      const byName = s.teamByKey.get(childKey(unitId, teamName));
      if (byName && !byName.externalId) {
        byName.externalId = teamKey;
        byName.changedOn ??= line;
        s.teamByExternalId.set(teamKey, byName);
        team = byName;
      } else if (byName) {
        s.fail(
          line,
          "teamExternalId",
          `Team ${quote(teamName)} has team ID ${quote(byName.externalId ?? "")} in Rollout Desk, not ${quote(teamKey)}.`,
        );
        return null;
      } else team = newTeam(s, unitId, teamName, teamKey, line);
    }
    noteArchived(s, team, line);
    return team.id;
  }
  let team = s.teamByKey.get(childKey(unitId, name));
  const renamed = s.renamesTo.get(childKey(unitId, name));
  if (renamed && (!team || team.isNew)) {
    const old = s.teams.get(renamed);
    if (old && !old.isNew && old.unitId === unitId && !old.archived) {
      if (old.name !== name) {
        old.name = name;
        old.changedOn ??= line;
      }
      s.teamByKey.set(childKey(unitId, name), old);
      team = old;
    }
  }
  if (!team) team = newTeam(s, unitId, name, null, line);
  noteArchived(s, team, line);
  return team.id;
}

// --- Step: rows (checks, place, identity) ----------------------------------------------------

/** The person in Rollout Desk a line names by its key value, whatever else is wrong with it. */
function personByKey(s: PlanState, row: CsvRow): SnapshotPerson | undefined {
  if (s.key === "externalId") {
    const id = s.cell(row, "externalId");
    return id ? s.byExternalId.get(id) : undefined;
  }
  return s.byEmail.get(lower(s.cell(row, "email")));
}

function readName(s: PlanState, row: CsvRow): string {
  return s.mapped("name") ? s.cell(row, "name") : [s.cell(row, "firstName"), s.cell(row, "lastName")].filter(Boolean).join(" ");
}

function checkRow(s: PlanState, row: CsvRow, email: string, name: string, title: string, externalId: string) {
  const line = row.line;
  if (!email) s.fail(line, "email", "The email is missing.");
  else if (email.length > MAX.email || !emailSchema.safeParse(email).success)
    s.fail(line, "email", `${quote(s.cell(row, "email"))} is not a valid email address.`);
  else {
    const first = s.firstLineByEmail.get(email);
    if (first !== undefined)
      s.fail(line, "email", `The email ${quote(email)} appears twice in the file: on line ${first} and on line ${line}.`);
    else s.firstLineByEmail.set(email, line);
  }
  const nameField: ImportField = s.mapped("name") ? "name" : "firstName";
  if (!name) s.fail(line, nameField, "The name is missing.");
  else if (name.length > MAX.name) s.fail(line, nameField, `The name is longer than ${MAX.name} characters.`);
  if (title.length > MAX.title) s.fail(line, "title", `The title is longer than ${MAX.title} characters.`);
  if (s.key === "externalId" && !externalId)
    s.fail(line, "externalId", "The employee number is missing: people are matched by their employee number.");
  if (externalId) {
    if (externalId.length > MAX.externalId) s.fail(line, "externalId", `The employee number is longer than ${MAX.externalId} characters.`);
    else {
      const first = s.firstLineByExternalId.get(externalId);
      if (first !== undefined)
        s.fail(
          line,
          "externalId",
          `The employee number ${quote(externalId)} appears twice in the file: on line ${first} and on line ${line}.`,
        );
      else s.firstLineByExternalId.set(externalId, line);
    }
  }
}

/**
 * Who a valid line is. With employee numbers the number decides; an email that belongs to someone
 * with another number is an error, never a silent re-keying. With emails only, the email decides;
 * a new email is a new person unless the PLO confirmed which person it is.
 */
function identify(s: PlanState, line: number, email: string, externalId: string): { match: SnapshotPerson | null } | { error: string } {
  const owner = s.byEmail.get(email);
  if (s.key === "externalId") {
    const byNumber = s.byExternalId.get(externalId);
    if (byNumber) {
      if (owner && owner.id !== byNumber.id)
        return { error: `This email belongs to ${s.personLabel(owner)} in Rollout Desk, not to ${externalId}.` };
      return { match: byNumber };
    }
    if (owner && owner.externalId) return { error: `This email belongs to ${s.personLabel(owner)} in Rollout Desk, not to ${externalId}.` };
    return { match: owner ?? null };
  }
  if (owner) return { match: owner };
  const confirmed = s.confirmedEmails.get(line);
  const person = confirmed ? s.peopleById.get(confirmed) : undefined;
  return { match: person ?? null };
}

function planRow(s: PlanState, row: CsvRow, resolveUnitName: ReturnType<typeof unitNameResolver>) {
  const line = row.line;
  if (s.skip.has(line)) {
    s.skipped.push(row);
    const known = personByKey(s, row);
    if (known) s.present.add(known.id);
    return;
  }
  const before = s.errors.length;
  const email = lower(s.cell(row, "email"));
  const name = readName(s, row);
  const title = s.cell(row, "title");
  const externalId = s.cell(row, "externalId");
  checkRow(s, row, email, name, title, externalId);
  const unitId = readUnit(s, row, resolveUnitName);
  const teamId = s.errors.length === before || unitId ? readTeam(s, row, unitId, before) : null;
  if (s.mapped("teamLeadEmail") && s.cell(row, "teamLeadEmail") && !teamId && s.errors.length === before)
    s.fail(line, "teamLeadEmail", "A team lead is given but the team is missing.");

  const outcome: LineOutcome = { row, person: null, matchedId: null };
  s.outcomes.push(outcome);
  if (s.errors.length > before) {
    const known = personByKey(s, row);
    if (known) s.present.add(known.id);
    return;
  }
  const who = identify(s, line, email, externalId);
  if ("error" in who) {
    s.fail(line, "email", who.error);
    const known = personByKey(s, row);
    if (known) s.present.add(known.id);
    return;
  }
  const match = who.match;
  if (match) {
    const other = s.matchedBy.get(match.id);
    if (other !== undefined) {
      s.fail(line, "email", `This line and line ${other} are both ${s.personLabel(match)} (${match.email}) in Rollout Desk.`);
      return;
    }
    s.matchedBy.set(match.id, line);
    s.present.add(match.id);
    outcome.matchedId = match.id;
    const unitMapped = s.mapped("unitPath") || s.mapped("unit");
    const next: PlannedPerson = {
      line,
      id: match.id,
      name,
      email,
      title: s.mapped("title") ? title : match.title,
      unitId: unitMapped ? unitId : match.unitId,
      teamId: s.mapped("team") ? teamId : unitMapped ? (unitId === match.unitId ? match.teamId : null) : match.teamId,
      externalId: externalId || match.externalId,
    };
    outcome.person = next;
    const changes: FieldChange[] = [];
    const diff = (field: string, from: string, to: string) => {
      if (from !== to) changes.push({ field, from, to });
    };
    diff("name", match.name, next.name);
    diff("email", match.email, next.email);
    diff("title", match.title, next.title);
    if (match.unitId !== next.unitId) changes.push({ field: "unit", from: s.unitPath(match.unitId), to: s.unitPath(next.unitId) });
    if (match.teamId !== next.teamId) changes.push({ field: "team", from: s.teamLabel(match.teamId), to: s.teamLabel(next.teamId) });
    diff("employee number", match.externalId ?? "", next.externalId ?? "");
    if (match.archived) changes.push({ field: "archived", from: "archived", to: "active" });
    if (changes.length > 0) s.peopleToUpdate.push({ ...next, changes, restore: match.archived, previousTeamId: match.teamId });
    else s.unchanged += 1;
  } else {
    const person: PlannedPerson = {
      line,
      id: s.newId(`person:${email}`),
      name,
      email,
      title,
      unitId,
      teamId,
      externalId: externalId || null,
    };
    outcome.person = person;
    s.peopleToCreate.push(person);
  }
}

// --- Step: team leads ----------------------------------------------------------------------

/**
 * A team's lead is decided by the rows of the team: the lead's own row when one row names its own
 * person as lead, else the lead most rows name (the current lead wins a tie). Rows that name
 * someone else give one warning per team, with their lines.
 */
function decideLeads(s: PlanState): Array<{ teamId: string; leadPersonId: string; from: string; to: string; reason: string }> {
  if (!s.mapped("teamLeadEmail")) return [];
  const idByEmail = new Map<string, { id: string; name: string }>();
  for (const p of s.snapshot.people) if (!p.archived && !s.matchedBy.has(p.id)) idByEmail.set(lower(p.email), { id: p.id, name: p.name });
  for (const o of s.outcomes) if (o.person) idByEmail.set(o.person.email, { id: o.person.id, name: o.person.name });
  const byTeam = new Map<string, Array<{ line: number; lead: string; own: boolean }>>();
  for (const o of s.outcomes) {
    if (!o.person?.teamId) continue;
    const lead = lower(s.cell(o.row, "teamLeadEmail"));
    if (!lead) continue;
    const list = byTeam.get(o.person.teamId) ?? [];
    list.push({ line: o.row.line, lead, own: lead === o.person.email });
    byTeam.set(o.person.teamId, list);
  }
  const changes: Array<{ teamId: string; leadPersonId: string; from: string; to: string; reason: string }> = [];
  for (const [teamId, rows] of byTeam) {
    const team = s.teams.get(teamId)!;
    const currentEmail = team.leadPersonId ? lower(s.peopleById.get(team.leadPersonId)?.email ?? "") : "";
    const votes = new Map<string, number[]>();
    for (const r of rows) votes.set(r.lead, [...(votes.get(r.lead) ?? []), r.line]);
    const own = [...new Set(rows.filter((r) => r.own).map((r) => r.lead))];
    const ranked = [...votes.entries()].sort(
      (a, b) => b[1].length - a[1].length || Number(b[0] === currentEmail) - Number(a[0] === currentEmail) || a[1][0] - b[1][0],
    );
    const chosen = own.length === 1 ? own[0] : ranked[0][0];
    const reason =
      own.length === 1
        ? `their own row, line ${rows.find((r) => r.own)!.line}`
        : `named on ${votes.get(chosen)!.length} of ${rows.length} rows`;
    const others = ranked.filter(([email]) => email !== chosen);
    if (others.length > 0) {
      const detail = others.map(([email, lines]) => `${listLines(lines)} ${lines.length === 1 ? "names" : "name"} ${email}`).join("; ");
      s.warn(
        others[0][1][0],
        "teamLeadEmail",
        `Team ${quote(team.name)}: the lead is ${chosen} (${reason}); ${detail}.`,
        teamId,
        s.teamLabel(teamId),
      );
    }
    const lead = idByEmail.get(chosen);
    if (!lead) {
      s.warn(
        votes.get(chosen)![0],
        "teamLeadEmail",
        `Team ${quote(team.name)}: the lead ${chosen} (${listLines(votes.get(chosen)!)}) is neither in this file nor in Rollout Desk; the team keeps its current lead.`,
        teamId,
        s.teamLabel(teamId),
      );
      continue;
    }
    if (team.leadPersonId !== lead.id) {
      const from = team.leadPersonId ? (s.peopleById.get(team.leadPersonId)?.name ?? "") : "";
      changes.push({ teamId, leadPersonId: lead.id, from, to: `${lead.name} (${chosen})`, reason });
      team.leadPersonId = lead.id;
    }
  }
  return changes;
}

// --- Steps: leavers, watched teams, proposals ------------------------------------------------

function findLeavers(s: PlanState): SnapshotPerson[] {
  return s.snapshot.people
    .filter((p) => !p.archived && !s.present.has(p.id))
    .sort((a, b) => a.name.localeCompare(b.name, "en") || a.email.localeCompare(b.email));
}

/** Existing teams that no line of the file names and most of whose members now are in one new team. */
function proposeRenames(s: PlanState, leaverIds: Set<string>): PlanItem[] {
  if (s.mapped("teamExternalId") || !s.mapped("team")) return [];
  const named = new Set<string>();
  for (const o of s.outcomes) if (o.person?.teamId) named.add(o.person.teamId);
  const membersBefore = new Map<string, number>();
  for (const p of s.snapshot.people) if (!p.archived && p.teamId) membersBefore.set(p.teamId, (membersBefore.get(p.teamId) ?? 0) + 1);
  // New team → (old team → members who come from it).
  const flows = new Map<string, Map<string, number>>();
  for (const u of s.peopleToUpdate) {
    const to = u.teamId ? s.teams.get(u.teamId) : undefined;
    const from = u.previousTeamId ? s.teams.get(u.previousTeamId) : undefined;
    if (!to?.isNew || !from || from.isNew || from.archived || named.has(from.id) || from.unitId !== to.unitId) continue;
    const m = flows.get(to.id) ?? new Map<string, number>();
    m.set(from.id, (m.get(from.id) ?? 0) + 1);
    flows.set(to.id, m);
  }
  const items: PlanItem[] = [];
  const used = new Set<string>();
  for (const [newTeamId, sources] of flows) {
    const [best] = [...sources.entries()].sort((a, b) => b[1] - a[1]);
    if (!best || used.has(best[0])) continue;
    const [oldId, shared] = best;
    const total = membersBefore.get(oldId) ?? 0;
    if (shared * 2 <= total) continue;
    used.add(oldId);
    const oldTeam = s.teams.get(oldId)!;
    const newTeam = s.teams.get(newTeamId)!;
    const leaving = [...leaverIds].filter((id) => s.peopleById.get(id)?.teamId === oldId).length;
    items.push({
      kind: "rename_candidate",
      line: newTeam.changedOn,
      refId: oldId,
      name: s.unitPath(oldTeam.unitId),
      email: "",
      field: childKey(newTeam.unitId, newTeam.name),
      before: oldTeam.name,
      after: newTeam.name,
      message: `${shared} of its ${total} members are in ${quote(newTeam.name)} in this file${leaving ? `; ${leaving} not in the file` : ""}. Confirm to rename the team (its coaches, wave and history follow).`,
      extra: { shared, total },
    });
  }
  return items;
}

/** Email key only: a new line whose name is a leaver's name may be that person with a changed email. */
function proposeEmailChanges(s: PlanState, leavers: SnapshotPerson[]): PlanItem[] {
  if (s.key !== "email") return [];
  const leaversByName = new Map<string, SnapshotPerson[]>();
  for (const p of leavers) leaversByName.set(lower(p.name), [...(leaversByName.get(lower(p.name)) ?? []), p]);
  const items: PlanItem[] = [];
  for (const p of s.peopleToCreate) {
    const same = leaversByName.get(lower(p.name));
    if (!same || same.length !== 1) continue;
    const old = same[0];
    items.push({
      kind: "email_candidate",
      line: p.line,
      refId: old.id,
      name: p.name,
      email: p.email,
      field: "email",
      before: old.email,
      after: p.email,
      message: `Line ${p.line} has a new email, and ${old.name} (${old.email}, ${s.placeLabel(old.unitId, old.teamId) || "no unit"}) is not in the file. Confirm if they are the same person; otherwise the line is a new person.`,
      extra: null,
    });
  }
  return items;
}

function leaverItems(s: PlanState, leavers: SnapshotPerson[], leadChanges: Map<string, string>): PlanItem[] {
  const coachRoles = new Map<string, string[]>();
  for (const c of s.snapshot.coaches)
    coachRoles.set(c.personId, [...(coachRoles.get(c.personId) ?? []), `coach in ${quote(c.programName)} (${c.teams} teams)`]);
  const leads = new Map<string, string[]>();
  for (const t of s.teams.values()) {
    if (t.isNew || t.archived || !t.leadPersonId || leadChanges.has(t.id)) continue;
    leads.set(t.leadPersonId, [...(leads.get(t.leadPersonId) ?? []), t.name]);
  }
  return leavers.map((p) => {
    const roles = [...(leads.get(p.id) ?? []).map((team) => `leads ${quote(team)}`), ...(coachRoles.get(p.id) ?? [])];
    return {
      kind: "leave",
      line: null,
      refId: p.id,
      name: p.name,
      email: p.email,
      field: p.externalId ?? "",
      before: s.placeLabel(p.unitId, p.teamId),
      after: "",
      message: roles.length > 0 ? `To replace: ${roles.join("; ")}` : "",
      extra: roles.length > 0 ? { roles } : null,
    };
  });
}

/** Teams the import leaves without members or without a lead. */
function watchedTeams(s: PlanState, leaverIds: Set<string>): PlanItem[] {
  const before = new Map<string, number>();
  for (const p of s.snapshot.people) if (!p.archived && p.teamId) before.set(p.teamId, (before.get(p.teamId) ?? 0) + 1);
  const after = new Map<string, number>();
  for (const o of s.outcomes) if (o.person?.teamId) after.set(o.person.teamId, (after.get(o.person.teamId) ?? 0) + 1);
  const items: PlanItem[] = [];
  for (const team of s.teams.values()) {
    if (team.archived) continue;
    const reasons: string[] = [];
    const had = before.get(team.id) ?? 0;
    if (had > 0 && !after.has(team.id))
      reasons.push(`no one in the file is in this team (it has ${had} ${had === 1 ? "member" : "members"} now)`);
    if (team.leadPersonId && leaverIds.has(team.leadPersonId))
      reasons.push(`its lead ${s.peopleById.get(team.leadPersonId)?.name ?? ""} is not in the file`);
    else if (!team.leadPersonId && after.has(team.id) && s.mapped("teamLeadEmail")) reasons.push("it has no lead");
    if (reasons.length === 0) continue;
    items.push({
      kind: "team_alert",
      line: null,
      refId: team.id,
      name: s.teamLabel(team.id),
      email: "",
      field: "",
      before: "",
      after: "",
      message: reasons.join("; "),
      extra: null,
    });
  }
  return items.sort((a, b) => a.name.localeCompare(b.name, "en"));
}

// --- Step: items, counts, digest -------------------------------------------------------------

const item = (kind: ItemKind, fields: Partial<PlanItem>): PlanItem => ({
  kind,
  line: null,
  refId: null,
  name: "",
  email: "",
  field: "",
  before: "",
  after: "",
  message: "",
  extra: null,
  ...fields,
});

const describeChanges = (changes: FieldChange[]) =>
  changes.map((c) => `${c.field}: ${c.from || "(none)"} → ${c.to || "(none)"}`).join("; ");

function digest(items: PlanItem[], key: IdentityKey): string {
  const hash = createHash("sha256").update(key);
  for (const i of items)
    hash.update(
      `\u0001${i.kind}\u0002${i.line ?? ""}\u0002${i.refId ?? ""}\u0002${i.name}\u0002${i.email}\u0002${i.field}\u0002${i.before}\u0002${i.after}\u0002${i.message}`,
    );
  return hash.digest("hex").slice(0, 40);
}

/** What importing these rows with this mapping and these decisions would do to the organization in `snapshot`. */
export async function planImport(
  snapshot: OrgSnapshot,
  rows: CsvRow[],
  mapping: ColumnMapping,
  decisions: ImportDecisions,
  options: PlanOptions = {},
): Promise<ImportPlan> {
  const s = new PlanState(snapshot, mapping, decisions, options.newId ?? (() => crypto.randomUUID()));
  const resolveUnitName = unitNameResolver(s, rows);
  const chunk = options.chunkSize ?? 500;
  for (let start = 0; start < rows.length; start += chunk) {
    const end = Math.min(rows.length, start + chunk);
    for (let i = start; i < end; i++) planRow(s, rows[i], resolveUnitName);
    await options.onProgress?.(end, rows.length);
  }
  return finishPlan(s, rows.length);
}

function finishPlan(s: PlanState, rowCount: number): ImportPlan {
  const leadChanges = decideLeads(s);
  const leavers = findLeavers(s);
  const leaverIds = new Set(leavers.map((p) => p.id));
  const leadChanged = new Map(leadChanges.map((c) => [c.teamId, c.leadPersonId]));

  const teamsToCreate = [...s.teams.values()].filter((t) => t.isNew);
  const teamsToChange = [...s.teams.values()].filter(
    (t) =>
      !t.isNew && t.original && (t.name !== t.original.name || t.unitId !== t.original.unitId || t.externalId !== t.original.externalId),
  );
  const unitsToCreate = s.newUnits
    .map((u) => ({ id: u.id, name: u.name, parentId: u.parentId, path: s.unitPath(u.id) }))
    .sort((a, b) => a.path.split(" › ").length - b.path.split(" › ").length);

  const errors = [...s.errors].sort((a, b) => a.line - b.line);
  const cellsOf = new Map(s.outcomes.map((o) => [o.row.line, o.row.cells]));
  const byLine = (a: { line: number | null }, b: { line: number | null }) => (a.line ?? 0) - (b.line ?? 0);
  const items: PlanItem[] = [
    ...[
      ...errors.map((e) =>
        item("error", {
          line: e.line,
          field: e.field,
          message: e.message,
          extra: { cells: cellsOf.get(e.line) ?? [] },
        }),
      ),
      ...s.warnings,
    ].sort(byLine),
    ...s.peopleToCreate.map((p) =>
      item("join", {
        line: p.line,
        refId: p.id,
        name: p.name,
        email: p.email,
        field: p.externalId ?? "",
        after: s.placeLabel(p.unitId, p.teamId),
        message: p.title,
      }),
    ),
    ...s.peopleToUpdate.map((u) => {
      const moved = u.changes.some((c) => c.field === "unit" || c.field === "team");
      const previous = s.peopleById.get(u.id)!;
      return item(u.restore ? "restore" : moved ? "move" : "update", {
        line: u.line,
        refId: u.id,
        name: u.name,
        email: u.email,
        field: u.externalId ?? "",
        before: moved || u.restore ? s.placeLabel(previous.unitId, previous.teamId) : "",
        after: moved || u.restore ? s.placeLabel(u.unitId, u.teamId) : "",
        message: describeChanges(u.changes),
        extra: { changes: u.changes },
      });
    }),
    ...leaverItems(s, leavers, leadChanged),
    ...teamsToChange
      .filter((t) => t.name !== t.original!.name || t.unitId !== t.original!.unitId)
      .map((t) =>
        item("rename", {
          line: t.changedOn,
          refId: t.id,
          name: t.name,
          before: `${t.original!.name} (${s.unitPath(t.original!.unitId)})`,
          after: s.teamLabel(t.id),
          message: t.name !== t.original!.name ? "renamed" : "moved to another unit",
        }),
      ),
    ...proposeRenames(s, leaverIds),
    ...proposeEmailChanges(s, leavers),
    ...teamsToCreate.map((t) =>
      item("team_new", { line: t.changedOn, refId: t.id, name: t.name, after: s.teamLabel(t.id), field: t.externalId ?? "" }),
    ),
    ...unitsToCreate.map((u) => item("unit_new", { refId: u.id, name: u.name, after: u.path })),
    ...leadChanges.map((c) =>
      item("lead", { refId: c.teamId, name: s.teamLabel(c.teamId), before: c.from, after: c.to, message: c.reason }),
    ),
    ...watchedTeams(s, leaverIds),
    ...s.skipped.map((row) =>
      item("skipped", {
        line: row.line,
        name: readName(s, row),
        email: s.cell(row, "email"),
        field: s.cell(row, "externalId"),
        message: "Skipped in the preview",
        extra: { cells: row.cells },
      }),
    ),
  ];

  const counts = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as ImportCounts;
  for (const i of items) counts[i.kind] += 1;
  counts.rows = rowCount;
  counts.unchanged = s.unchanged;
  counts.errorLines = new Set(errors.map((e) => e.line)).size;

  const teamsToCount = new Set<string>();
  for (const o of s.outcomes) if (o.person?.teamId) teamsToCount.add(o.person.teamId);
  for (const u of s.peopleToUpdate) if (u.previousTeamId) teamsToCount.add(u.previousTeamId);
  for (const p of leavers) if (p.teamId) teamsToCount.add(p.teamId);

  return {
    key: s.key,
    rows: rowCount,
    errors,
    unitsToCreate,
    teamsToCreate: teamsToCreate.map((t) => ({ id: t.id, name: t.name, unitId: t.unitId, externalId: t.externalId })),
    teamsToChange: teamsToChange.map((t) => ({ id: t.id, name: t.name, unitId: t.unitId, externalId: t.externalId })),
    peopleToCreate: s.peopleToCreate,
    peopleToUpdate: s.peopleToUpdate,
    leavers: leavers.map((p) => ({ id: p.id, name: p.name, teamId: p.teamId })),
    teamLeads: leadChanges.map((c) => ({ teamId: c.teamId, leadPersonId: c.leadPersonId })),
    teamsToCount: [...teamsToCount],
    unchanged: s.unchanged,
    items,
    counts,
    fingerprint: digest(items, s.key),
  };
}

/** "12 people joined, 3 moved, …" for toasts, the audit log and the history. */
export function importSummary(counts: Partial<ImportCounts>): string {
  const n = (value: number | undefined, one: string, many: string) => `${(value ?? 0).toLocaleString("en")} ${value === 1 ? one : many}`;
  const parts = [
    n(counts.join, "person joined", "people joined"),
    `${(counts.move ?? 0).toLocaleString("en")} moved`,
    `${((counts.update ?? 0) + (counts.restore ?? 0)).toLocaleString("en")} updated`,
    n(counts.leave, "leaver", "leavers"),
    n(counts.rename, "team renamed", "teams renamed"),
    n(counts.team_new, "new team", "new teams"),
    n(counts.unit_new, "new unit", "new units"),
  ];
  return parts.join(", ");
}
