import { sql, type Expression } from "kysely";
import type { Role } from "../../../db/schema";
import type { Actor } from "~/models/audit/audit.server";
import { ForbiddenError } from "~/models/errors";
import type { DB } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import type { TeamRights } from "./rules";

export { mayEditObjective, type TeamRights } from "./rules";

// Who may do what with a cycle's OKRs. The role says what a user may do at most; their relation
// to the team (they lead it, belong to it, coach it today) says what they may do to this team's
// set. Decided here, in one place, for the models of the area; the routes only show or hide.
//
//   PLO, admin      configure cycles and events; read and edit every set; comment
//   sponsor         read every set; write company and unit objectives (with the PLO)
//   team lead       read and edit their own team's set (any state); comment and resolve
//   coach           read every team's set of the program; edit drafts of the teams they coach
//                   today, comment and resolve there; never enters progress
//   member          read their own team's set (check in on their own key results: check-ins area)
//   anyone else     nothing

/** The user looking at a cycle's OKRs. */
export interface OkrViewer {
  userId: string;
  name: string;
  role: Role;
  /** The person record linked to the account (people.user_id), if any. */
  personId: string | null;
  /** Configures cycles and edits every set (admin, PLO). */
  manage: boolean;
}

export const actorOf = (viewer: OkrViewer): Actor => ({ id: viewer.userId, name: viewer.name });

export async function loadOkrViewer(db: DB, user: { id: string; name: string; role: Role }): Promise<OkrViewer> {
  const person = await db.selectFrom("people").select("id").where("user_id", "=", user.id).executeTakeFirst();
  return okrViewer(user, person?.id ?? null);
}

/** The viewer of a user whose person record (people.user_id) was read already, or null without one. */
export function okrViewer(user: { id: string; name: string; role: Role }, personId: string | null): OkrViewer {
  return { userId: user.id, name: user.name, role: user.role, personId, manage: can(user.role, "cycles:manage") };
}

/** How the viewer relates to one team of a program on `today`. */
export interface TeamRelation {
  lead: boolean;
  member: boolean;
  coach: boolean;
}

/**
 * The relation to the team `t` of a query of the person `person` (a value or a column; null: no
 * relation), as its `lead`, `member` and `coach` columns, so that a page's query can answer it
 * with what it reads.
 */
export function relationColumns(person: Expression<string | null>, programId: string, today: string) {
  return [
    sql<boolean>`coalesce(t.lead_person_id = ${person}, false)`.as("lead"),
    sql<boolean>`exists (select 1 from people p where p.id = ${person} and p.team_id = t.id)`.as("member"),
    sql<boolean>`exists (
        select 1 from coach_assignments a join coaches c on c.id = a.coach_id
        where a.program_id = ${programId} and a.team_id = t.id and c.person_id = ${person}
          and a.starts_on <= ${today} and (a.ends_on is null or a.ends_on >= ${today}))`.as("coach"),
  ];
}

export async function teamRelation(db: DB, viewer: OkrViewer, programId: string, teamId: string, today: string): Promise<TeamRelation> {
  if (!viewer.personId) return { lead: false, member: false, coach: false };
  const row = await db
    .selectFrom("teams as t")
    .select(relationColumns(sql.val(viewer.personId), programId, today))
    .where("t.id", "=", teamId)
    .executeTakeFirst();
  return { lead: Boolean(row?.lead), member: Boolean(row?.member), coach: Boolean(row?.coach) };
}

export function teamRights(viewer: OkrViewer, relation: TeamRelation): TeamRights {
  if (viewer.manage) return { read: true, editSet: true, editDrafts: true, comment: true, resolve: true };
  const lead = relation.lead && viewer.role === "team_lead";
  const coach = relation.coach && viewer.role === "coach";
  const read = lead || coach || viewer.role === "coach" || viewer.role === "sponsor" || relation.lead || relation.member;
  return { read, editSet: lead, editDrafts: lead || coach, comment: lead || coach, resolve: lead || coach };
}

/** Company and unit objectives: the PLO and the sponsor write them; every program reader reads them. */
export function mayWriteUpperLevels(viewer: OkrViewer): boolean {
  return can(viewer.role, "okrs:upper");
}

export function requireRight(allowed: boolean, message = "You may not change this team's OKRs."): void {
  if (!allowed) throw new ForbiddenError(message);
}
