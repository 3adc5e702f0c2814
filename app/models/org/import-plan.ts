import { createHash } from "node:crypto";
import type { ColumnMapping, IdentityKey, ImportDecisions } from "./import-fields";
import type { CsvRow, RowError } from "./import-parse";
import { describeChanges, item, PlanState } from "./import-plan-state";
import { planRow, readName, unitNameResolver } from "./import-plan-rows";
import { decideLeads, findLeavers, leaverItems, proposeEmailChanges, proposeRenames, watchedTeams } from "./import-plan-people";

// Phase 2 of an HR import: planning what the file would change in the organization as it is now
// (a snapshot the server loads in a few queries). No database here. The plan is built in steps,
// each its own function over one shared state (import-plan-state.ts):
//   rows      — each line: its cells checked, its unit and team found or planned, its person
//               matched by the identity key (employee number when mapped, else email)
//               (import-plan-rows.ts);
//   leads     — each team's lead decided by the rows of the team (import-plan-people.ts);
//   leavers   — people in Rollout Desk the file no longer names, with the roles they hold;
//   proposals — "renamed?" teams and "changed email?" people for the PLO to confirm;
//   items     — every change, problem and proposal as a list the preview pages through, the
//               change report downloads, and the commit records as history (here, with the
//               counts and the teams whose size the commit recounts).
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

/**
 * What the commit writes, by kind, in the order it applies them: kept with the preview as rows of
 * org_import_writes (one per unit, team or person), so that the commit of an unchanged
 * organization applies them in the database without planning again or reading them back.
 */
export type WriteKind = "unit" | "team_new" | "team_change" | "leaver" | "person_update" | "person_new" | "lead" | "recount";

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

/**
 * The plan from the state once every line is read, in phases: team leads, leavers, the units and
 * teams to create or change, the items the preview lists, their counts and the teams to recount.
 */
function finishPlan(s: PlanState, rowCount: number): ImportPlan {
  const leadChanges = decideLeads(s);
  const leavers = findLeavers(s);
  const { teamsToCreate, teamsToChange, unitsToCreate } = plannedUnitsAndTeams(s);
  const errors = [...s.errors].sort((a, b) => a.line - b.line);
  const items = planItems(s, { errors, leavers, leadChanges, teamsToCreate, teamsToChange, unitsToCreate });
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
    teamsToCount: teamsToRecount(s, leavers),
    unchanged: s.unchanged,
    items,
    counts: countItems(items, rowCount, s.unchanged, errors),
    fingerprint: digest(items, s.key),
  };
}

/** New units (parents first) and the teams the file creates, renames, moves or re-identifies. */
function plannedUnitsAndTeams(s: PlanState) {
  const teamsToCreate = [...s.teams.values()].filter((t) => t.isNew);
  const teamsToChange = [...s.teams.values()].filter(
    (t) =>
      !t.isNew && t.original && (t.name !== t.original.name || t.unitId !== t.original.unitId || t.externalId !== t.original.externalId),
  );
  const unitsToCreate = s.newUnits
    .map((u) => ({ id: u.id, name: u.name, parentId: u.parentId, path: s.unitPath(u.id) }))
    .sort((a, b) => a.path.split(" › ").length - b.path.split(" › ").length);
  return { teamsToCreate, teamsToChange, unitsToCreate };
}

/** Every change, problem and proposal as one list, in the order the preview shows them. */
function planItems(
  s: PlanState,
  {
    errors,
    leavers,
    leadChanges,
    teamsToCreate,
    teamsToChange,
    unitsToCreate,
  }: {
    errors: RowError[];
    leavers: SnapshotPerson[];
    leadChanges: ReturnType<typeof decideLeads>;
  } & ReturnType<typeof plannedUnitsAndTeams>,
): PlanItem[] {
  const leaverIds = new Set(leavers.map((p) => p.id));
  const leadChanged = new Map(leadChanges.map((c) => [c.teamId, c.leadPersonId]));
  const cellsOf = new Map(s.outcomes.map((o) => [o.row.line, o.row.cells]));
  const byLine = (a: { line: number | null }, b: { line: number | null }) => (a.line ?? 0) - (b.line ?? 0);
  return [
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
}

function countItems(items: PlanItem[], rowCount: number, unchanged: number, errors: RowError[]): ImportCounts {
  const counts = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as ImportCounts;
  for (const i of items) counts[i.kind] += 1;
  counts.rows = rowCount;
  counts.unchanged = unchanged;
  counts.errorLines = new Set(errors.map((e) => e.line)).size;
  return counts;
}

/** Teams whose member count the commit recomputes: where people arrive, leave from or move away from. */
function teamsToRecount(s: PlanState, leavers: SnapshotPerson[]): string[] {
  const teams = new Set<string>();
  for (const o of s.outcomes) if (o.person?.teamId) teams.add(o.person.teamId);
  for (const u of s.peopleToUpdate) if (u.previousTeamId) teams.add(u.previousTeamId);
  for (const p of leavers) if (p.teamId) teams.add(p.teamId);
  return [...teams];
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
