import { sql } from "kysely";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, ForbiddenError } from "~/models/errors";
import { formatDate, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { RetroInput } from "~/validation/checkins";
import { getCycleRef, getProgramTeam, personOf, type CycleRef, type ProgressViewer, type TeamRef } from "./checkins.server";

// A team's retrospective of a cycle (one per team and cycle): what went well, what to improve,
// feedback on the OKR process, and the day it was held ("retrospective held" on the checklist).
// It can feed the learnings library: one learning per retrospective, written (and later kept in
// step) from it. Rights: the team's lead, the coaches coaching the team on that day and the PLO
// record it; the team's members read it; sponsors never see it (it is the team's own talk).

export const NO_RETRO_RIGHT = "Only the team's lead, its coach and the PLO record the team's retrospective.";
export const NO_RETRO_READ = "Only the team, its coach and the PLO read the team's retrospective.";

export interface RetroView {
  id: string;
  wentWell: string;
  toImprove: string;
  processFeedback: string;
  heldOn: Day | null;
  learningId: string | null;
  version: number;
  updatedAt: Date;
}

export interface RetroRights {
  read: boolean;
  edit: boolean;
}

async function retroRights(db: DB, viewer: ProgressViewer, programId: string, team: TeamRef, today: Day): Promise<RetroRights> {
  if (viewer.role === "admin" || viewer.role === "plo") return { read: true, edit: true };
  if (viewer.role === "sponsor") return { read: false, edit: false };
  const personId = await personOf(db, viewer.id);
  if (!personId) return { read: false, edit: false };
  const row = await db
    .selectFrom("people as p")
    .select([
      sql<boolean>`p.team_id is not distinct from ${team.id}`.as("member"),
      sql<boolean>`exists (
        select 1 from coach_assignments a join coaches c on c.id = a.coach_id
         where a.program_id = ${programId} and a.team_id = ${team.id} and c.person_id = p.id
           and a.starts_on <= ${today} and (a.ends_on is null or a.ends_on >= ${today}))`.as("coach"),
    ])
    .where("p.id", "=", personId)
    .executeTakeFirst();
  const lead = viewer.role === "team_lead" && team.leadPersonId === personId;
  const coach = viewer.role === "coach" && Boolean(row?.coach);
  return { read: lead || coach || Boolean(row?.member) || team.leadPersonId === personId, edit: lead || coach };
}

export async function retroPage(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  today: Day,
): Promise<{ cycle: CycleRef; team: TeamRef; retro: RetroView | null; rights: RetroRights }> {
  const [cycle, team] = await Promise.all([getCycleRef(db, programId, cycleId), getProgramTeam(db, programId, teamId)]);
  const rights = await retroRights(db, viewer, programId, team, today);
  if (!rights.read) throw new ForbiddenError(NO_RETRO_READ);
  return { cycle, team, retro: await getRetro(db, cycleId, teamId), rights };
}

export async function getRetro(db: DB, cycleId: string, teamId: string): Promise<RetroView | null> {
  return (
    (await db
      .selectFrom("team_retrospectives")
      .select([
        "id",
        "went_well as wentWell",
        "to_improve as toImprove",
        "process_feedback as processFeedback",
        "held_on as heldOn",
        "learning_id as learningId",
        "version",
        "updated_at as updatedAt",
      ])
      .where("cycle_id", "=", cycleId)
      .where("team_id", "=", teamId)
      .executeTakeFirst()) ?? null
  );
}

function learningBody(team: TeamRef, cycle: CycleRef, input: RetroInput): string {
  const part = (title: string, text: string) => (text ? `${title}\n${text}\n` : "");
  return [
    `Retrospective of ${team.name} at the end of ${cycle.name}${input.heldOn ? ` (held ${formatDate(input.heldOn)})` : ""}.`,
    "",
    part("What went well", input.wentWell),
    part("What to improve", input.toImprove),
    part("Feedback on the OKR process", input.processFeedback),
  ]
    .join("\n")
    .trim();
}

/**
 * Records (or updates) the retrospective, guarded by its version (a 409 with what is there now
 * when someone saved in between). With `share`, it feeds the learnings library: a learning is
 * created once and kept in step with later saves; never a second one.
 */
export async function saveRetro(
  db: DB,
  viewer: ProgressViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  input: RetroInput,
  today: Day,
): Promise<{ created: boolean; learningId: string | null }> {
  return inTransaction(db, async (trx) => {
    const [cycle, team] = await Promise.all([getCycleRef(trx, programId, cycleId), getProgramTeam(trx, programId, teamId)]);
    const rights = await retroRights(trx, viewer, programId, team, today);
    if (!rights.edit) throw new ForbiddenError(NO_RETRO_RIGHT);
    const existing = await trx
      .selectFrom("team_retrospectives")
      .select(["id", "version", "learning_id"])
      .where("cycle_id", "=", cycleId)
      .where("team_id", "=", teamId)
      .forUpdate()
      .executeTakeFirst();
    if ((existing?.version ?? 0) !== input.version) {
      throw new ConflictError(
        "Someone saved this retrospective while you were writing. Here it is now; add yours to it.",
        await getRetro(trx, cycleId, teamId),
      );
    }
    const now = new Date();
    let id = existing?.id ?? null;
    let learningId = existing?.learning_id ?? null;
    const fields = {
      went_well: input.wentWell,
      to_improve: input.toImprove,
      process_feedback: input.processFeedback,
      held_on: input.heldOn || null,
      updated_at: now,
    };
    if (id) {
      await trx
        .updateTable("team_retrospectives")
        .set({ ...fields, version: sql`version + 1` })
        .where("id", "=", id)
        .execute();
    } else {
      id = crypto.randomUUID();
      await trx
        .insertInto("team_retrospectives")
        .values({ id, team_id: teamId, cycle_id: cycleId, ...fields, created_by: viewer.id })
        .execute();
    }
    if (input.share || learningId) {
      const title = `Retrospective: ${team.name}, ${cycle.name}`.slice(0, 200);
      const body = learningBody(team, cycle, input);
      if (learningId) {
        await trx.updateTable("learnings").set({ body, updated_at: now }).where("id", "=", learningId).execute();
      } else {
        learningId = crypto.randomUUID();
        await trx
          .insertInto("learnings")
          .values({
            id: learningId,
            program_id: programId,
            kind: "lesson",
            title,
            body,
            tags: "retrospective,cycle",
            team_id: teamId,
            author_id: viewer.id,
            author_label: viewer.name,
          })
          .execute();
        await trx.updateTable("team_retrospectives").set({ learning_id: learningId }).where("id", "=", id).execute();
      }
    }
    await recordAudit(trx, {
      actor: { id: viewer.id, name: viewer.name },
      action: existing ? "retrospective.updated" : "retrospective.created",
      entityType: "team_retrospective",
      entityId: id,
      programId,
      summary: `${existing ? "Updated" : "Recorded"} the retrospective of ${team.name} (${cycle.name})${
        input.share && !existing?.learning_id ? ", shared to the learnings library" : ""
      }`,
      details: { cycleId, teamId, heldOn: input.heldOn || null, learningId },
    });
    return { created: !existing, learningId };
  });
}
