import { identityKey, type ColumnMapping, type IdentityKey, type ImportDecisions, type ImportField } from "./import-fields";
import { cellReader, type CellReader, type CsvRow, type RowError } from "./import-parse";
import type { FieldChange, ItemKind, OrgSnapshot, PlanItem, PlannedPerson, PlannedUpdate, SnapshotPerson } from "./import-plan";

// The planner's state, shared by the steps of an HR import plan (import-plan-rows.ts for each
// line's identity, unit and team; import-plan-people.ts for leads, leavers and proposals), with
// the small helpers they all use.

export const MAX = { name: 200, title: 200, email: 254, unit: 200, team: 200, externalId: 100 } as const;
export const UNIT_PATH_SPLIT = /\s*(?:›|>|\/)\s*/;
export const lower = (s: string) => s.toLowerCase();
export const quote = (s: string) => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;
export const childKey = (parentId: string | null, name: string) => `${parentId ?? ""}|${lower(name)}`;
export const listLines = (lines: number[]) => (lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(", ")}`);

export interface UnitNode {
  id: string;
  name: string;
  parentId: string | null;
  isNew: boolean;
  archived: boolean;
}
export interface TeamNode {
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
export type Resolved = { ok: true; unitId: string } | { ok: false; field: ImportField; message: string };

/** A line that names a person (valid or not): what the lead and leaver steps need of it. */
export interface LineOutcome {
  row: CsvRow;
  person: PlannedPerson | null;
  /** The person in Rollout Desk the line is, when known. */
  matchedId: string | null;
}

/** The planner's state, shared by its steps. */
export class PlanState {
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

export const item = (kind: ItemKind, fields: Partial<PlanItem>): PlanItem => ({
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

export const describeChanges = (changes: FieldChange[]) =>
  changes.map((c) => `${c.field}: ${c.from || "(none)"} → ${c.to || "(none)"}`).join("; ");
