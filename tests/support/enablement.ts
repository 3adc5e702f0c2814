// Builders for enablement tests, the demo and the bench: an organization slice (units, teams with
// leads and members) placed in waves of a program, written with plain inserts (fast at any size).
import { sql } from "kysely";
import type { FirstDraftingEvents } from "~/models/enablement/due-anchors.server";
import type { DB } from "~/utils/db.server";
import type { ModuleInput, RequirementInput } from "~/validation/enablement";

let seq = 0;
const tag = () => `${Date.now().toString(36)}${(seq += 1).toString(36)}`;

export async function insertUnit(db: DB, name = "Unit", parentId: string | null = null): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto("org_units")
    .values({ id, name: `${name} ${tag()}`, parent_id: parentId })
    .execute();
  return id;
}

export async function insertWave(db: DB, programId: string, name: string, startsOn: string | null, position = 1): Promise<string> {
  const id = crypto.randomUUID();
  await db.insertInto("waves").values({ id, program_id: programId, name, position, starts_on: startsOn }).execute();
  return id;
}

export interface BuiltTeam {
  id: string;
  name: string;
  leadId: string;
  memberIds: string[];
}

/** A team in `unitId` with a lead and `members` members (the lead is a member too), placed in `waveId` of the program. */
export async function insertTeam(
  db: DB,
  programId: string,
  unitId: string,
  waveId: string | null,
  members = 3,
  options: { name?: string; userIdOfLead?: string | null } = {},
): Promise<BuiltTeam> {
  const id = crypto.randomUUID();
  const name = options.name ?? `Team ${tag()}`;
  const people = Array.from({ length: members }, (_, i) => {
    const t = tag();
    return {
      id: crypto.randomUUID(),
      name: `${i === 0 ? "Lead" : "Member"} ${t}`,
      email: `p-${t}@example.com`,
      unit_id: unitId,
      external_id: `E${t}`,
      user_id: i === 0 ? (options.userIdOfLead ?? null) : null,
    };
  });
  await db.insertInto("teams").values({ id, name, unit_id: unitId }).execute();
  await db
    .insertInto("people")
    .values(people.map((p) => ({ ...p, team_id: id })))
    .execute();
  await db.updateTable("teams").set({ lead_person_id: people[0].id }).where("id", "=", id).execute();
  await db.insertInto("program_teams").values({ program_id: programId, team_id: id, wave_id: waveId }).execute();
  return { id, name, leadId: people[0].id, memberIds: people.map((p) => p.id) };
}

export async function insertPerson(
  db: DB,
  input: { unitId?: string | null; teamId?: string | null; userId?: string | null; name?: string } = {},
) {
  const t = tag();
  const person = {
    id: crypto.randomUUID(),
    name: input.name ?? `Person ${t}`,
    email: `p-${t}@example.com`,
    unit_id: input.unitId ?? null,
    team_id: input.teamId ?? null,
    user_id: input.userId ?? null,
    external_id: `E${t}`,
  };
  await db.insertInto("people").values(person).execute();
  return person;
}

/** A self-paced fundamentals module of an hour, no expiry, no prerequisites; `extra` overrides. */
export function moduleInput(title: string, extra: Partial<ModuleInput> = {}): ModuleInput {
  return {
    title,
    kind: "fundamentals",
    delivery: "self_paced",
    durationMinutes: 60,
    validityMonths: null,
    description: "",
    prerequisiteIds: [],
    ...extra,
  };
}

/** A required module for every team member of the organization, due on no day yet; `extra` sets the due rule and the rest. */
export function requirementInput(moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput {
  return {
    moduleId,
    audience: "team_member",
    scope: "all",
    waveId: null,
    unitId: null,
    necessity: "required",
    dueRule: "fixed",
    dueDays: null,
    dueOn: null,
    ...extra,
  };
}

/**
 * A provider of first drafting days (for `setFirstDraftingEventsProvider`) that knows these days of
 * one program's teams and no others, whatever the OKR cycles hold.
 */
export function draftingDays(programId: string, days: ReadonlyArray<readonly [teamId: string, day: string]>): FirstDraftingEvents {
  return (askedFor) =>
    askedFor === programId && days.length > 0
      ? sql`select v.team_id, v.day::date as day from (values ${sql.join(days.map(([teamId, day]) => sql`(${teamId}, ${day})`))}) as v(team_id, day)`
      : sql`select null::text as team_id, null::date as day where false`;
}
