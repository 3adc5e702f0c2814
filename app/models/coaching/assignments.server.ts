import { sql } from "kysely";
import type { AssignmentKind } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { ASSIGNMENT_KIND_LABELS, END_BEFORE_START, type AssignInput } from "~/validation/coaching";
import { FieldError } from "~/models/errors";
import * as dates from "~/utils/dates";
import { UNKNOWN_COACH, UNKNOWN_TEAMS, loadByCoach } from "./coach-sql.server";
import { plural } from "~/utils/numbers";

// ---------------------------------------------------------------------------------------------
// Assignments

export interface ReplacedAssignment {
  teamId: string;
  teamName: string;
  coachName: string;
  kind: AssignmentKind;
  /** The new last day, or null when the assignment was removed (it had not started yet). */
  endedOn: string | null;
}

export interface AssignResult {
  coachId: string;
  coachName: string;
  kind: AssignmentKind;
  startsOn: string;
  endsOn: string | null;
  /** Teams newly assigned. */
  assigned: number;
  /** Teams the coach already coached that way on the start date (left as they were). */
  already: number;
  /** Other assignments ended or removed to keep one primary coach per team. */
  replaced: ReplacedAssignment[];
  /** The coach's load and capacity as of `today`, after the change. */
  load: number;
  capacity: number;
}

/**
 * Assigns teams to one coach as primary or secondary from `startsOn` (until `endsOn`, or open).
 * A new primary ends the team's previous primary assignment the day before (see the rules at
 * the top). A handful of statements whatever the number of teams; one audit event.
 */
export async function assignTeams(
  db: DB,
  actor: Actor,
  programId: string,
  input: Pick<AssignInput, "teamId" | "coachId" | "kind" | "startsOn" | "endsOn">,
  today = dates.today(),
): Promise<AssignResult> {
  const { coachId, kind, startsOn, endsOn } = input;
  if (endsOn !== null && endsOn < startsOn) throw new FieldError({ endsOn: END_BEFORE_START });
  const teamIds = [...new Set(input.teamId)];
  if (teamIds.length === 0) throw new FieldError({ teamId: "Select at least one team." });
  return inTransaction(db, async (trx) => {
    const coach = await trx
      .selectFrom("coaches as c")
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["c.id", "c.active", "c.capacity", "p.name"])
      .where("c.id", "=", coachId)
      .where("c.program_id", "=", programId)
      .executeTakeFirst();
    if (!coach) throw new FieldError({ coachId: UNKNOWN_COACH });
    if (!coach.active) throw new FieldError({ coachId: `${coach.name} is deactivated: reactivate them on their page first.` });
    // Locking the teams serializes two PLO members assigning coaches to the same team.
    const teams = await trx
      .selectFrom("teams as t")
      .innerJoin("org_units as u", "u.id", "t.unit_id")
      .select(["t.id", "t.name"])
      .where("t.id", "in", teamIds)
      .where("t.archived_at", "is", null)
      .where("u.archived_at", "is", null)
      .orderBy("t.id")
      .forNoKeyUpdate("t")
      .execute();
    if (teams.length !== teamIds.length) throw new FieldError({ teamId: UNKNOWN_TEAMS });
    const teamName = new Map(teams.map((t) => [t.id, t.name]));

    // Assignments that are still open on the start date and could collide: the teams' primaries,
    // and anything of this coach with these teams.
    const open = await trx
      .selectFrom("coach_assignments as a")
      .innerJoin("coaches as oc", "oc.id", "a.coach_id")
      .innerJoin("people as op", "op.id", "oc.person_id")
      .select([
        "a.id",
        "a.coach_id as coachId",
        "a.team_id as teamId",
        "a.kind",
        "a.starts_on as startsOn",
        "a.ends_on as endsOn",
        "op.name as coachName",
      ])
      .where("a.program_id", "=", programId)
      .where("a.team_id", "in", teamIds)
      .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", startsOn)]))
      .where((eb) => eb.or([eb("a.kind", "=", "primary"), eb("a.coach_id", "=", coachId)]))
      .execute();
    const overlaps = (a: { startsOn: string }) => endsOn === null || a.startsOn <= endsOn;
    const dayBefore = dates.addDays(startsOn, -1);
    const toEnd: string[] = [];
    const toRemove: string[] = [];
    const replaced: ReplacedAssignment[] = [];
    const newRows: Array<{
      id: string;
      program_id: string;
      coach_id: string;
      team_id: string;
      kind: AssignmentKind;
      starts_on: string;
      ends_on: string | null;
    }> = [];
    const skipped: string[] = [];
    for (const teamId of teamIds) {
      const mine = open.filter((a) => a.teamId === teamId && a.coachId === coachId && overlaps(a));
      const coversStart = (a: (typeof open)[number]) => a.startsOn <= startsOn;
      if (kind === "secondary" ? mine.length > 0 : mine.some((a) => a.kind === "primary" && coversStart(a))) {
        skipped.push(teamId);
        continue;
      }
      if (kind === "primary") {
        const colliding = open.filter((a) => a.teamId === teamId && overlaps(a) && (a.kind === "primary" || a.coachId === coachId));
        for (const a of colliding) {
          const removed = a.startsOn >= startsOn;
          (removed ? toRemove : toEnd).push(a.id);
          replaced.push({
            teamId,
            teamName: teamName.get(teamId) ?? "",
            coachName: a.coachName,
            kind: a.kind,
            endedOn: removed ? null : dayBefore,
          });
        }
      }
      newRows.push({
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: coachId,
        team_id: teamId,
        kind,
        starts_on: startsOn,
        ends_on: endsOn,
      });
    }
    if (toEnd.length) await trx.updateTable("coach_assignments").set({ ends_on: dayBefore }).where("id", "in", toEnd).execute();
    if (toRemove.length) await trx.deleteFrom("coach_assignments").where("id", "in", toRemove).execute();
    for (let i = 0; i < newRows.length; i += 1000)
      await trx
        .insertInto("coach_assignments")
        .values(newRows.slice(i, i + 1000))
        .execute();
    if (newRows.length > 0) {
      const label = ASSIGNMENT_KIND_LABELS[kind].toLowerCase();
      await recordAudit(trx, {
        actor,
        action: "coaching.teams_assigned",
        entityType: "coach",
        entityId: coachId,
        programId,
        summary:
          `Assigned ${coach.name} as ${label} coach of ${plural(newRows.length, "team")} from ${startsOn}${endsOn ? ` until ${endsOn}` : ""}` +
          (replaced.length ? `; ended or removed ${plural(replaced.length, "previous assignment")}` : ""),
        details: {
          coachId,
          coachName: coach.name,
          kind,
          startsOn,
          endsOn,
          count: newRows.length,
          teamIds: newRows.map((r) => r.team_id),
          assignmentIds: newRows.map((r) => r.id),
          alreadyAssigned: skipped,
          endedOn: toEnd.length ? dayBefore : null,
          ended: toEnd,
          removed: toRemove,
        },
      });
    }
    const load = await loadByCoach(trx, programId, today).where("a.coach_id", "=", coachId).executeTakeFirst();
    return {
      coachId,
      coachName: coach.name,
      kind,
      startsOn,
      endsOn,
      assigned: newRows.length,
      already: skipped.length,
      replaced,
      load: Number(load?.load ?? 0),
      capacity: Number(coach.capacity),
    };
  });
}

/**
 * The confirmation after an assignment, in words: what was assigned, what was already there,
 * which previous primary assignments ended (the day before) or were removed, and whether the
 * coach is now over capacity.
 */
export function describeAssignment(result: AssignResult): string {
  const label = ASSIGNMENT_KIND_LABELS[result.kind].toLowerCase();
  const parts: string[] = [];
  if (result.assigned === 0) {
    parts.push(
      `Nothing changed: ${result.coachName} already coaches ${result.already === 1 ? "this team" : `these ${plural(result.already, "team")}`} that way.`,
    );
  } else {
    const until = result.endsOn ? ` until ${dates.formatDate(result.endsOn)}` : "";
    parts.push(
      `Assigned ${result.coachName} as ${label} coach of ${plural(result.assigned, "team")} from ${dates.formatDate(result.startsOn)}${until}.`,
    );
    if (result.already > 0)
      parts.push(`${plural(result.already, "team")} ${result.already === 1 ? "was" : "were"} assigned that way already.`);
  }
  const ended = result.replaced.filter((r) => r.endedOn !== null);
  const removed = result.replaced.filter((r) => r.endedOn === null);
  if (ended.length > 0 && ended.length <= 3) {
    for (const r of ended)
      parts.push(`This ended ${r.coachName}'s ${r.kind} assignment to ${r.teamName} on ${dates.formatDate(r.endedOn)} (the day before).`);
  } else if (ended.length > 3) {
    parts.push(`This ended ${plural(ended.length, "previous assignment")} on ${dates.formatDate(ended[0].endedOn)} (the day before).`);
  }
  if (removed.length > 0 && removed.length <= 3) {
    for (const r of removed) parts.push(`It replaces ${r.coachName}'s upcoming ${r.kind} assignment to ${r.teamName}, which was removed.`);
  } else if (removed.length > 3) {
    parts.push(`It replaces ${plural(removed.length, "upcoming assignment")}, which were removed.`);
  }
  if (result.load > result.capacity) {
    parts.push(`${result.coachName} now coaches ${plural(result.load, "team")} with a capacity of ${result.capacity}: overloaded.`);
  }
  return parts.join(" ");
}

/** Sets the last day of one of the program's assignments (of `coachId`, when given). */
export async function endAssignment(
  db: DB,
  actor: Actor,
  programId: string,
  assignmentId: string,
  endsOn: string,
  coachId: string | null = null,
): Promise<{ teamName: string; coachName: string; endsOn: string }> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom("coach_assignments as a")
      .innerJoin("coaches as c", "c.id", "a.coach_id")
      .innerJoin("people as p", "p.id", "c.person_id")
      .innerJoin("teams as t", "t.id", "a.team_id")
      .select([
        "a.id",
        "a.kind",
        "a.starts_on as startsOn",
        "a.ends_on as endsOn",
        "a.team_id as teamId",
        "a.coach_id as coachId",
        "p.name as coachName",
        "t.name as teamName",
      ])
      .where("a.id", "=", assignmentId)
      .where("a.program_id", "=", programId);
    if (coachId) query = query.where("a.coach_id", "=", coachId);
    const assignment = await query.forUpdate("a").executeTakeFirst();
    if (!assignment) throw new FieldError({ assignmentId: "This assignment does not exist (any more). Reload the page." });
    if (endsOn < assignment.startsOn) {
      throw new FieldError({ endsOn: `${END_BEFORE_START} The assignment starts on ${assignment.startsOn}.` });
    }
    if (assignment.endsOn === endsOn) return { teamName: assignment.teamName, coachName: assignment.coachName, endsOn };
    await trx.updateTable("coach_assignments").set({ ends_on: endsOn }).where("id", "=", assignmentId).execute();
    await recordAudit(trx, {
      actor,
      action: "coaching.assignment_ended",
      entityType: "coach",
      entityId: assignment.coachId,
      programId,
      summary: `Ended ${assignment.coachName}'s ${assignment.kind} assignment to ${assignment.teamName} on ${endsOn}`,
      details: {
        assignmentId,
        teamId: assignment.teamId,
        kind: assignment.kind,
        startsOn: assignment.startsOn,
        from: assignment.endsOn,
        to: endsOn,
      },
    });
    return { teamName: assignment.teamName, coachName: assignment.coachName, endsOn };
  });
}

export type AssignmentState = "current" | "upcoming" | "ended";

export interface CoachAssignmentRow {
  id: string;
  teamId: string;
  teamName: string;
  unitName: string;
  waveName: string | null;
  kind: AssignmentKind;
  startsOn: string;
  endsOn: string | null;
  state: AssignmentState;
}

/** A coach's assignments: current and upcoming ones, then the 50 most recently ended (one query). */
export async function listCoachAssignments(db: DB, programId: string, coachId: string, day = dates.today()): Promise<CoachAssignmentRow[]> {
  const rows = await db
    .selectFrom("coach_assignments as a")
    .innerJoin("teams as t", "t.id", "a.team_id")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "a.team_id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .select([
      "a.id",
      "a.team_id as teamId",
      "t.name as teamName",
      "u.name as unitName",
      "w.name as waveName",
      "a.kind",
      "a.starts_on as startsOn",
      "a.ends_on as endsOn",
      sql<AssignmentState>`case when a.starts_on > ${day}::date then 'upcoming' when a.ends_on is null or a.ends_on >= ${day}::date then 'current' else 'ended' end`.as(
        "state",
      ),
      sql<number>`row_number() over (partition by (a.ends_on is not null and a.ends_on < ${day}::date) order by a.ends_on desc nulls first, a.starts_on desc, a.id)`.as(
        "rank",
      ),
    ])
    .where("a.program_id", "=", programId)
    .where("a.coach_id", "=", coachId)
    .orderBy(sql`case when a.starts_on > ${day}::date then 1 when a.ends_on is null or a.ends_on >= ${day}::date then 0 else 2 end`)
    .orderBy("a.kind")
    .orderBy(sql`lower(t.name)`)
    .orderBy("a.starts_on", "desc")
    .orderBy("a.id")
    .execute();
  return rows.filter((r) => r.state !== "ended" || Number(r.rank) <= 50).map(({ rank: _rank, ...r }) => r);
}
