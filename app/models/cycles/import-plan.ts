import type { CheckInConfidence, KeyResultDirection, KeyResultKind, ObjectiveState, ObjectiveType } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import { keyResultSchema, OBJECTIVE_STATE_LABELS } from "~/validation/cycles";
import type { CheckInLine, KeyResultCells, LineError, OkrLine } from "./import-parse";
import { mayEditObjective, type TeamRights } from "./rules";

// Phase 2 of a cycle import: what the parsed lines would change, given what is stored (the
// teams named, their sets in the cycle, the people by email) and what the importer may do per
// team. Every line that cannot be applied is an error with its line; the commit applies the plan
// only when there is none. Objectives are matched by title within team and cycle, key results by
// title within their objective (ignoring case), so importing a file again updates what changed
// and adds nothing twice. No database here.

export interface PlanTeam {
  id: string;
  name: string;
  externalId: string | null;
  leadPersonId: string | null;
}

export interface PlanObjective {
  id: string;
  teamId: string;
  title: string;
  description: string;
  type: ObjectiveType;
  ownerPersonId: string | null;
  state: ObjectiveState;
  position: number;
}

export interface PlanKeyResult {
  id: string;
  objectiveId: string;
  title: string;
  kind: KeyResultKind;
  startValue: number | null;
  targetValue: number | null;
  unit: string;
  direction: KeyResultDirection;
  weight: number;
  ownerPersonId: string | null;
  milestoneDone: boolean;
  lastCheckInAt: Date | null;
  position: number;
}

const lower = (s: string) => s.trim().toLowerCase();

/** Finds the team a cell names: its identifier (external id) first, then its name. */
export function teamFinder(teams: PlanTeam[]) {
  const byId = new Map<string, PlanTeam>();
  const byName = new Map<string, PlanTeam[]>();
  for (const t of teams) {
    if (t.externalId) byId.set(lower(t.externalId), t);
    byName.set(lower(t.name), [...(byName.get(lower(t.name)) ?? []), t]);
  }
  return (cell: string): PlanTeam | string => {
    const key = lower(cell);
    const found = byId.get(key);
    if (found) return found;
    const named = byName.get(key) ?? [];
    if (named.length === 1) return named[0];
    if (named.length > 1) return `Several teams are named “${cell}”: write the team's identifier instead.`;
    return `No team “${cell}” in the organization (by name or identifier).`;
  };
}

// ----- OKR sets -----

export interface KeyResultValues {
  title: string;
  kind: KeyResultKind;
  startValue: number | null;
  targetValue: number | null;
  unit: string;
  direction: KeyResultDirection;
  weight: number;
  ownerPersonId: string | null;
}

export interface NewObjective {
  line: number;
  id: string;
  teamId: string;
  teamName: string;
  title: string;
  description: string;
  type: ObjectiveType;
  ownerPersonId: string | null;
  position: number;
}

export interface ObjectiveUpdate {
  line: number;
  id: string;
  teamName: string;
  title: string;
  set: { description?: string; type?: ObjectiveType; ownerPersonId?: string | null };
  fields: string[];
}

export interface NewKeyResult {
  line: number;
  objectiveId: string;
  teamName: string;
  objectiveTitle: string;
  values: KeyResultValues;
  position: number;
}

export interface KeyResultUpdate {
  line: number;
  id: string;
  teamName: string;
  objectiveTitle: string;
  values: KeyResultValues;
  fields: string[];
}

export interface OkrPlan {
  teams: number;
  newObjectives: NewObjective[];
  updatedObjectives: ObjectiveUpdate[];
  newKeyResults: NewKeyResult[];
  updatedKeyResults: KeyResultUpdate[];
  unchangedObjectives: number;
  unchangedKeyResults: number;
  errors: LineError[];
}

export interface OkrWorld {
  teams: PlanTeam[];
  /** The cycle's team objectives of the teams named. */
  objectives: PlanObjective[];
  keyResults: PlanKeyResult[];
  /** Active people by lower-cased email. */
  people: Map<string, string>;
  /** What the importer may do with a team's set. */
  rights: (team: PlanTeam) => TeamRights;
  newId?: () => string;
}

export const MAX_KEY_RESULTS = 10;

interface ObjectiveGroup {
  line: number;
  team: PlanTeam;
  title: string;
  description?: string;
  type?: ObjectiveType;
  ownerEmail?: string;
  keyResults: Array<{ line: number; cells: KeyResultCells }>;
}

/** What importing these OKR lines into the cycle would do. */
export function planOkrImport(lines: OkrLine[], world: OkrWorld): OkrPlan {
  const newId = world.newId ?? (() => crypto.randomUUID());
  const findTeam = teamFinder(world.teams);
  const errors: LineError[] = [];
  const error = (line: number, message: string) => errors.push({ line, message });

  // Lines of the same objective are one group: its fields may be given on any of its lines, but not differently.
  const groups = new Map<string, ObjectiveGroup>();
  for (const l of lines) {
    const team = findTeam(l.team);
    if (typeof team === "string") {
      error(l.line, team);
      continue;
    }
    const rights = world.rights(team);
    if (!rights.editDrafts) {
      error(l.line, `You may not change the OKRs of “${team.name}”: you lead or coach other teams.`);
      continue;
    }
    const key = `${team.id}\u0001${lower(l.objective)}`;
    let group = groups.get(key);
    if (!group) {
      group = { line: l.line, team, title: l.objective, keyResults: [] };
      groups.set(key, group);
    }
    let conflict = false;
    for (const [field, label] of [
      ["description", "description"],
      ["type", "type"],
      ["ownerEmail", "owner"],
    ] as const) {
      const value = l[field];
      if (value === undefined) continue;
      const earlier = group[field];
      if (earlier !== undefined && earlier !== value) {
        error(l.line, `This line gives the objective “${l.objective}” another ${label} than line ${group.line}.`);
        conflict = true;
      }
    }
    if (conflict) continue;
    if (l.description !== undefined) group.description = l.description;
    if (l.type !== undefined) group.type = l.type;
    if (l.ownerEmail !== undefined) group.ownerEmail = l.ownerEmail;
    if (l.keyResult) group.keyResults.push({ line: l.line, cells: l.keyResult });
  }

  const objectivesOf = new Map<string, PlanObjective>();
  const nextObjectivePosition = new Map<string, number>();
  for (const o of world.objectives) {
    objectivesOf.set(`${o.teamId}\u0001${lower(o.title)}`, o);
    nextObjectivePosition.set(o.teamId, Math.max(nextObjectivePosition.get(o.teamId) ?? 0, o.position));
  }
  const keyResultsOf = new Map<string, PlanKeyResult[]>();
  for (const kr of world.keyResults) keyResultsOf.set(kr.objectiveId, [...(keyResultsOf.get(kr.objectiveId) ?? []), kr]);
  const person = (email: string | undefined, line: number, what: string): string | null | undefined | false => {
    if (email === undefined) return undefined;
    const id = world.people.get(email);
    if (id) return id;
    error(line, `No person with the email ${email} in the organization (${what}).`);
    return false;
  };

  const plan: OkrPlan = {
    teams: new Set([...groups.values()].map((g) => g.team.id)).size,
    newObjectives: [],
    updatedObjectives: [],
    newKeyResults: [],
    updatedKeyResults: [],
    unchangedObjectives: 0,
    unchangedKeyResults: 0,
    errors,
  };

  for (const [key, group] of groups) {
    const rights = world.rights(group.team);
    const existing = objectivesOf.get(key);
    const owner = person(group.ownerEmail, group.line, "the objective's owner");
    if (owner === false) continue;
    let objectiveId: string;
    let state: ObjectiveState;
    let krs: PlanKeyResult[] = [];
    if (existing) {
      objectiveId = existing.id;
      state = existing.state;
      krs = keyResultsOf.get(existing.id) ?? [];
      const set: ObjectiveUpdate["set"] = {};
      const fields: string[] = [];
      if (group.description !== undefined && group.description !== existing.description) {
        set.description = group.description;
        fields.push("description");
      }
      if (group.type !== undefined && group.type !== existing.type) {
        set.type = group.type;
        fields.push("type");
      }
      if (owner !== undefined && owner !== existing.ownerPersonId) {
        set.ownerPersonId = owner;
        fields.push("owner");
      }
      if (fields.length === 0) plan.unchangedObjectives += 1;
      else if (!mayEditObjective(rights, existing.state)) {
        error(group.line, notEditable(existing.title, existing.state));
        continue;
      } else
        plan.updatedObjectives.push({ line: group.line, id: existing.id, teamName: group.team.name, title: existing.title, set, fields });
    } else {
      objectiveId = newId();
      state = "draft";
      const position = (nextObjectivePosition.get(group.team.id) ?? 0) + 1;
      nextObjectivePosition.set(group.team.id, position);
      plan.newObjectives.push({
        line: group.line,
        id: objectiveId,
        teamId: group.team.id,
        teamName: group.team.name,
        title: group.title,
        description: group.description ?? "",
        type: group.type ?? "committed",
        ownerPersonId: owner ?? null,
        position,
      });
    }
    const byTitle = new Map(krs.map((k) => [lower(k.title), k]));
    let count = krs.length;
    let position = krs.reduce((max, k) => Math.max(max, k.position), 0);
    for (const { line, cells } of group.keyResults) {
      const current = byTitle.get(lower(cells.title));
      const krOwner = person(cells.ownerEmail, line, "the key result's owner");
      if (krOwner === false) continue;
      const values = mergeKeyResult(current, cells, krOwner);
      const problem = keyResultProblem(values);
      if (problem) {
        error(line, problem);
        continue;
      }
      if (current) {
        const fields = changedFields(current, values);
        if (fields.length === 0) {
          plan.unchangedKeyResults += 1;
          continue;
        }
        if (!mayEditObjective(rights, state)) {
          error(line, notEditable(group.title, state));
          continue;
        }
        plan.updatedKeyResults.push({ line, id: current.id, teamName: group.team.name, objectiveTitle: group.title, values, fields });
      } else {
        if (!mayEditObjective(rights, state)) {
          error(line, notEditable(group.title, state));
          continue;
        }
        count += 1;
        if (count > MAX_KEY_RESULTS) {
          error(line, `The objective “${group.title}” would have more than ${MAX_KEY_RESULTS} key results (5 is plenty).`);
          continue;
        }
        position += 1;
        plan.newKeyResults.push({ line, objectiveId, teamName: group.team.name, objectiveTitle: group.title, values, position });
      }
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return plan;
}

function notEditable(title: string, state: ObjectiveState): string {
  return `The objective “${title}” is ${OBJECTIVE_STATE_LABELS[state].toLowerCase()}: a coach changes drafts only, ask the team lead or the PLO.`;
}

/** A key result's definition after the line: its cells over what is stored (or the form's defaults). */
function mergeKeyResult(current: PlanKeyResult | undefined, cells: KeyResultCells, owner: string | null | undefined): KeyResultValues {
  const kind = cells.kind ?? current?.kind ?? "metric";
  const metric = kind === "metric";
  return {
    title: current?.title ?? cells.title,
    kind,
    startValue: metric ? (cells.start ?? current?.startValue ?? null) : null,
    targetValue: metric ? (cells.target ?? current?.targetValue ?? null) : null,
    unit: metric ? (cells.unit ?? current?.unit ?? "") : "",
    direction: cells.direction ?? current?.direction ?? "increase",
    weight: cells.weight ?? current?.weight ?? 1,
    ownerPersonId: owner === undefined ? (current?.ownerPersonId ?? null) : owner,
  };
}

/** The key result form's own checks (target differs from start, direction matches them…), with its messages. */
function keyResultProblem(v: KeyResultValues): string | null {
  const result = keyResultSchema.safeParse({
    title: v.title,
    kind: v.kind,
    startValue: v.startValue === null ? "" : String(v.startValue),
    targetValue: v.targetValue === null ? "" : String(v.targetValue),
    unit: v.unit,
    direction: v.direction,
    weight: String(v.weight),
  });
  return result.success ? null : result.error.issues.map((i) => i.message).join(" ");
}

function changedFields(current: PlanKeyResult, v: KeyResultValues): string[] {
  const fields: string[] = [];
  if (current.kind !== v.kind) fields.push("kind");
  if (current.startValue !== v.startValue) fields.push("start");
  if (current.targetValue !== v.targetValue) fields.push("target");
  if (current.unit !== v.unit) fields.push("unit");
  if (current.direction !== v.direction) fields.push("direction");
  if (current.weight !== v.weight) fields.push("weight");
  if (current.ownerPersonId !== v.ownerPersonId) fields.push("owner");
  return fields;
}

// ----- Check-ins -----

export interface CheckInWorldKeyResult extends PlanKeyResult {
  teamId: string;
  objectiveTitle: string;
}

export interface PlannedCheckIn {
  line: number;
  keyResultId: string;
  teamName: string;
  keyResultTitle: string;
  kind: KeyResultKind;
  date: Day;
  value: number | null;
  done: boolean;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
}

export interface CheckInPlan {
  teams: number;
  checkIns: PlannedCheckIn[];
  /** Lines already imported (the same key result, day, value and confidence are stored). */
  alreadyThere: number[];
  errors: LineError[];
}

export interface CheckInImportWorld {
  cycleStartsOn: Day;
  teams: PlanTeam[];
  keyResults: CheckInWorldKeyResult[];
  /** Stored check-ins of these key results: `${keyResultId}|${day}|${value ?? ""}|${confidence}`. */
  stored: Set<string>;
  /** May the importer check in on this key result? A message when not. */
  mayCheckIn: (team: PlanTeam, keyResult: CheckInWorldKeyResult) => string | null;
}

export const storedCheckInKey = (keyResultId: string, day: Day, value: number | null, confidence: string) =>
  `${keyResultId}|${day}|${value ?? ""}|${confidence}`;

/** What importing these check-in lines into the cycle would do. */
export function planCheckInImport(lines: CheckInLine[], world: CheckInImportWorld): CheckInPlan {
  const findTeam = teamFinder(world.teams);
  const errors: LineError[] = [];
  const krsOf = new Map<string, CheckInWorldKeyResult[]>();
  for (const kr of world.keyResults) krsOf.set(kr.teamId, [...(krsOf.get(kr.teamId) ?? []), kr]);
  const plan: CheckInPlan = { teams: 0, checkIns: [], alreadyThere: [], errors };
  const teams = new Set<string>();
  for (const l of lines) {
    const team = findTeam(l.team);
    if (typeof team === "string") {
      errors.push({ line: l.line, message: team });
      continue;
    }
    const candidates = (krsOf.get(team.id) ?? []).filter(
      (kr) => lower(kr.title) === lower(l.keyResult) && (!l.objective || lower(kr.objectiveTitle) === lower(l.objective)),
    );
    if (candidates.length === 0) {
      errors.push({
        line: l.line,
        message: `No key result “${l.keyResult}”${l.objective ? ` under “${l.objective}”` : ""} in the set of ${team.name} in this cycle.`,
      });
      continue;
    }
    if (candidates.length > 1) {
      errors.push({ line: l.line, message: `${team.name} has several key results titled “${l.keyResult}”: add the objective's title.` });
      continue;
    }
    const kr = candidates[0];
    const refused = world.mayCheckIn(team, kr);
    if (refused) {
      errors.push({ line: l.line, message: refused });
      continue;
    }
    if (l.date < world.cycleStartsOn) {
      errors.push({ line: l.line, message: `The date ${l.date} is before the cycle starts (${world.cycleStartsOn}).` });
      continue;
    }
    if (kr.kind === "metric" && l.value === null) {
      errors.push({ line: l.line, message: `The value is missing: “${kr.title}” is a metric.` });
      continue;
    }
    const value = kr.kind === "metric" ? l.value : null;
    teams.add(team.id);
    if (world.stored.has(storedCheckInKey(kr.id, l.date, value, l.confidence))) {
      plan.alreadyThere.push(l.line);
      continue;
    }
    plan.checkIns.push({
      line: l.line,
      keyResultId: kr.id,
      teamName: team.name,
      keyResultTitle: kr.title,
      kind: kr.kind,
      date: l.date,
      value,
      done: kr.kind === "milestone" ? (l.done ?? kr.milestoneDone) : kr.milestoneDone,
      confidence: l.confidence,
      note: l.note,
      blockers: l.blockers,
    });
  }
  // Two lines naming the same key result and day differently (e.g. by its objective once, without it once).
  const byDay = new Map<string, number>();
  for (const c of plan.checkIns) {
    const key = `${c.keyResultId}|${c.date}`;
    const first = byDay.get(key);
    if (first !== undefined)
      errors.push({
        line: c.line,
        message: `A second check-in on the same key result and day as line ${first}: keep one of the two lines.`,
      });
    else byDay.set(key, c.line);
  }
  plan.teams = teams.size;
  errors.sort((a, b) => a.line - b.line);
  return plan;
}
