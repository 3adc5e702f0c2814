import { email as emailSchema } from "~/validation/common";
import type { ImportField } from "./import-fields";
import type { CsvRow } from "./import-parse";
import type { FieldChange, PlannedPerson, SnapshotPerson } from "./import-plan";
import {
  childKey,
  lower,
  MAX,
  UNIT_PATH_SPLIT,
  quote,
  type LineOutcome,
  type PlanState,
  type Resolved,
  type TeamNode,
  type UnitNode,
} from "./import-plan-state";

// Steps of an HR import plan that read the lines: units and teams (found, created, renamed or
// moved) and each line's checks and identity (matched by employee number when mapped, else email).

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
export function unitNameResolver(s: PlanState, rows: CsvRow[]) {
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
    const parts = raw.split(UNIT_PATH_SPLIT);
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

export function readName(s: PlanState, row: CsvRow): string {
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

export function planRow(s: PlanState, row: CsvRow, resolveUnitName: ReturnType<typeof unitNameResolver>) {
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
