import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { KeyResultDirection, KeyResultKind, ObjectiveLevel, ObjectiveState, ObjectiveType, Role } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  NO_PERSON_MESSAGE,
  OBJECTIVE_STATE_LABELS,
  STALE_VERSION_MESSAGE,
  type CommentInput,
  type KeyResultEditInput,
  type KeyResultInput,
  type ObjectiveEditInput,
  type ObjectiveInput,
} from "~/validation/cycles";
import {
  actorOf,
  mayEditObjective,
  mayWriteUpperLevels,
  okrViewer,
  relationColumns,
  requireRight,
  teamRelation,
  teamRights,
  type OkrViewer,
  type TeamRights,
} from "./access.server";
import { CYCLE_NOT_FOUND_MESSAGE, getCycle, type CycleRow } from "./cycles.server";
import { checkQuality, type QualityResult } from "./quality";
import { OBJECTIVE_TRANSITIONS } from "./rules";

export { OBJECTIVE_TRANSITIONS } from "./rules";

// Objectives and key results of a cycle at the company, unit and team levels, their alignment to
// parent objectives, and comments on them. Every write checks the viewer's rights on the team
// (access.server.ts), runs in one transaction with an audit event, and guards concurrent edits
// with the row's version: a stale version is a ConflictError (409) carrying what is there now.
// Progress (current values, check-ins) and scores are written by the check-ins and scoring models.

export const UNKNOWN_PARENT_MESSAGE = "Choose parent objectives of this cycle at the unit or company level.";

// ----- Reading a team's set -----

export interface TeamRef {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  waveId: string | null;
  waveName: string | null;
}

export interface TeamContext {
  viewer: OkrViewer;
  cycle: CycleRow;
  team: TeamRef;
  rights: TeamRights;
}

/**
 * The user as an OKR viewer, the cycle, the team (in this program) and the viewer's rights on its
 * set; 404 / 403 otherwise. One query: the team's page and its forms read them on every request.
 */
export async function loadTeamContext(
  db: DB,
  user: { id: string; name: string; role: Role },
  programId: string,
  cycleId: string,
  teamId: string,
  today: Day,
): Promise<TeamContext> {
  const row = await db
    .selectFrom("cycles as cy")
    .leftJoin("people as me", (join) => join.on("me.user_id", "=", user.id))
    .leftJoin("teams as t", (join) => join.on("t.id", "=", teamId).on("t.archived_at", "is", null))
    .leftJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .select([
      "cy.id",
      "cy.program_id as programId",
      "cy.name",
      "cy.starts_on as startsOn",
      "cy.ends_on as endsOn",
      "cy.state",
      "cy.checkin_cadence_days as checkinCadenceDays",
      "cy.max_objectives as maxObjectives",
      "cy.previous_cycle_id as previousCycleId",
      "cy.version",
      "me.id as personId",
      "t.id as teamId",
      "t.name as teamName",
      "t.unit_id as unitId",
      "u.name as unitName",
      "pt.wave_id as waveId",
      "w.name as waveName",
    ])
    .select((eb) => relationColumns(eb.ref("me.id"), programId, today))
    .where("cy.program_id", "=", programId)
    .where("cy.id", "=", cycleId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(CYCLE_NOT_FOUND_MESSAGE);
  const { personId, teamId: foundTeamId, teamName, unitId, unitName, waveId, waveName, lead, member, coach, ...cycle } = row;
  if (!foundTeamId || !teamName || !unitId || !unitName) throw new NotFoundError("This team is not part of this program.");
  const viewer = okrViewer(user, personId);
  const rights = teamRights(viewer, { lead: Boolean(lead), member: Boolean(member), coach: Boolean(coach) });
  if (!rights.read) throw new ForbiddenError("You can read the OKRs of your own team only.");
  return { viewer, cycle, team: { id: foundTeamId, name: teamName, unitId, unitName, waveId, waveName }, rights };
}

export interface KeyResultView {
  id: string;
  objectiveId: string;
  title: string;
  kind: KeyResultKind;
  startValue: number | null;
  targetValue: number | null;
  currentValue: number | null;
  unit: string;
  direction: KeyResultDirection;
  milestoneDone: boolean;
  weight: number;
  ownerPersonId: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  score: number | null;
  version: number;
}

export interface ParentRef {
  id: string;
  title: string;
  level: ObjectiveLevel;
}

export interface CommentView {
  id: string;
  objectiveId: string | null;
  keyResultId: string | null;
  authorLabel: string;
  body: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedByLabel: string | null;
}

export interface ObjectiveView {
  id: string;
  level: ObjectiveLevel;
  unitId: string | null;
  unitName: string | null;
  teamId: string | null;
  title: string;
  description: string;
  type: ObjectiveType;
  state: ObjectiveState;
  ownerPersonId: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  standaloneReason: string | null;
  carriedFromId: string | null;
  score: number | null;
  version: number;
  parents: ParentRef[];
  keyResults: KeyResultView[];
  comments: CommentView[];
}

const KEY_RESULT_COLUMNS = [
  "k.id",
  "k.objective_id as objectiveId",
  "k.title",
  "k.kind",
  "k.start_value as startValue",
  "k.target_value as targetValue",
  "k.current_value as currentValue",
  "k.unit",
  "k.direction",
  "k.milestone_done as milestoneDone",
  "k.weight",
  "k.owner_person_id as ownerPersonId",
  "kp.name as ownerName",
  "kp.email as ownerEmail",
  "k.score",
  "k.version",
] as const;

const COMMENT_COLUMNS = [
  "c.id",
  "c.objective_id as objectiveId",
  "c.key_result_id as keyResultId",
  "c.author_label as authorLabel",
  "c.body",
  "c.created_at as createdAt",
  "c.resolved_at as resolvedAt",
  "c.resolved_by_label as resolvedByLabel",
] as const;

/**
 * Objectives with their key results, parents and comments (the objective's own and its key
 * results'), in one query whatever their number: each list is a JSON array of the objective's row.
 */
function objectiveQuery(db: DB) {
  return db
    .selectFrom("objectives as o")
    .leftJoin("people as p", "p.id", "o.owner_person_id")
    .leftJoin("org_units as u", "u.id", "o.unit_id")
    .select([
      "o.id",
      "o.level",
      "o.unit_id as unitId",
      "u.name as unitName",
      "o.team_id as teamId",
      "o.title",
      "o.description",
      "o.type",
      "o.state",
      "o.owner_person_id as ownerPersonId",
      "p.name as ownerName",
      "p.email as ownerEmail",
      "o.standalone_reason as standaloneReason",
      "o.carried_from_id as carriedFromId",
      "o.score",
      "o.version",
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("objective_alignments as a")
          .innerJoin("objectives as po", "po.id", "a.parent_id")
          .select(["po.id", "po.title", "po.level"])
          .whereRef("a.child_id", "=", "o.id")
          .orderBy("po.level")
          .orderBy("po.title"),
      ).as("parents"),
      jsonArrayFrom(
        eb
          .selectFrom("key_results as k")
          .leftJoin("people as kp", "kp.id", "k.owner_person_id")
          .select(KEY_RESULT_COLUMNS)
          .whereRef("k.objective_id", "=", "o.id")
          .orderBy("k.position")
          .orderBy("k.created_at")
          .orderBy("k.id"),
      ).as("keyResults"),
      // Two branches, each on its own index, rather than one OR that would scan every comment.
      jsonArrayFrom(
        eb
          .selectFrom("okr_comments as c")
          .select(COMMENT_COLUMNS)
          .whereRef("c.objective_id", "=", "o.id")
          .unionAll(
            eb
              .selectFrom("okr_comments as c")
              .innerJoin("key_results as ck", "ck.id", "c.key_result_id")
              .select(COMMENT_COLUMNS)
              .whereRef("ck.objective_id", "=", "o.id"),
          )
          .orderBy("createdAt")
          .orderBy("id"),
      ).as("comments"),
    ]);
}

function keyResultQuery(db: DB) {
  return db.selectFrom("key_results as k").leftJoin("people as kp", "kp.id", "k.owner_person_id").select(KEY_RESULT_COLUMNS);
}

type ObjectiveQueryRow = Awaited<ReturnType<ReturnType<typeof objectiveQuery>["execute"]>>[number];

/** An objective's row as the views use it (JSON carries the comments' times as text). */
function toView(row: ObjectiveQueryRow): ObjectiveView {
  return {
    ...row,
    comments: row.comments.map((c) => ({
      ...c,
      createdAt: new Date(c.createdAt),
      resolvedAt: c.resolvedAt === null ? null : new Date(c.resolvedAt),
    })),
  };
}

/** A team's set for a cycle, in order. */
export async function teamObjectives(db: DB, cycleId: string, teamId: string): Promise<ObjectiveView[]> {
  const rows = await objectiveQuery(db)
    .where("o.cycle_id", "=", cycleId)
    .where("o.team_id", "=", teamId)
    .orderBy("o.position")
    .orderBy("o.created_at")
    .orderBy("o.id")
    .execute();
  return rows.map(toView);
}

/** The company's and the units' objectives of a cycle (`unitIds`: only these units'). */
export async function upperObjectives(db: DB, cycleId: string, unitIds?: string[]): Promise<ObjectiveView[]> {
  let query = objectiveQuery(db).where("o.cycle_id", "=", cycleId).where("o.level", "in", ["company", "unit"]);
  if (unitIds) query = query.where((eb) => eb.or([eb("o.level", "=", "company"), eb("o.unit_id", "in", unitIds.length ? unitIds : ["-"])]));
  const rows = await query
    .orderBy(sql`case o.level when 'company' then 0 else 1 end`)
    .orderBy("u.name")
    .orderBy("o.position")
    .orderBy("o.id")
    .limit(500)
    .execute();
  return rows.map(toView);
}

/** What a team objective may align to: the company's objectives and those of the team's unit and the units above it. */
function parentOptionsQuery(db: DB, cycleId: string, unitId: string) {
  return db
    .withRecursive("up(id, parent_id, depth)", (qb) =>
      qb
        .selectFrom("org_units")
        .select(["id", "parent_id", sql<number>`0`.as("depth")])
        .where("id", "=", unitId)
        .unionAll(
          qb
            .selectFrom("org_units as ou")
            .innerJoin("up", "up.parent_id", "ou.id")
            .select(["ou.id", "ou.parent_id", sql<number>`up.depth + 1`.as("depth")])
            .where("up.depth", "<", 20),
        ),
    )
    .selectFrom("objectives as o")
    .leftJoin("org_units as u", "u.id", "o.unit_id")
    .select(["o.id", "o.level", sql<string>`case when u.name is null then o.title else o.title || ' (' || u.name || ')' end`.as("title")])
    .where("o.cycle_id", "=", cycleId)
    .where((eb) =>
      eb.or([
        eb("o.level", "=", "company"),
        eb.and([eb("o.level", "=", "unit"), eb("o.unit_id", "in", eb.selectFrom("up").select("up.id"))]),
      ]),
    )
    .where("o.state", "<>", "abandoned")
    .orderBy(sql`case o.level when 'company' then 0 else 1 end`)
    .orderBy("o.title")
    .limit(200);
}

/** The quality of a set as the drafting panel shows it. */
export function setQuality(objectives: ObjectiveView[], maxObjectives: number): QualityResult {
  return checkQuality(
    objectives.map((o) => ({
      id: o.id,
      title: o.title,
      state: o.state,
      aligned: o.parents.length > 0,
      standaloneReason: o.standaloneReason,
      keyResults: o.keyResults.map((k) => ({
        id: k.id,
        title: k.title,
        kind: k.kind,
        targetValue: k.targetValue,
        ownerPersonId: k.ownerPersonId,
      })),
    })),
    maxObjectives,
  );
}

export interface PersonOption {
  id: string;
  name: string;
  email: string;
}

/** The people of a team (and its lead), as owner suggestions. */
function teamPeopleQuery(db: DB, teamId: string) {
  return db
    .selectFrom("people as p")
    .select(["p.id", "p.name", "p.email"])
    .where("p.archived_at", "is", null)
    .where((eb) =>
      eb.or([eb("p.team_id", "=", teamId), eb("p.id", "=", eb.selectFrom("teams").select("lead_person_id").where("id", "=", teamId))]),
    )
    .orderBy(sql`lower(p.name)`)
    .limit(200);
}

/** What the drafting forms of a team's set offer: the parent objectives and the owners to suggest (one query). */
export async function draftingOptions(
  db: DB,
  cycleId: string,
  team: Pick<TeamRef, "id" | "unitId">,
): Promise<{ parents: ParentRef[]; people: PersonOption[] }> {
  const row = await db
    .selectNoFrom([
      jsonArrayFrom(parentOptionsQuery(db, cycleId, team.unitId)).as("parents"),
      jsonArrayFrom(teamPeopleQuery(db, team.id)).as("people"),
    ])
    .executeTakeFirstOrThrow();
  return { parents: row.parents, people: row.people };
}

// ----- Rights on one objective -----

interface ObjectiveRow {
  id: string;
  cycle_id: string;
  program_id: string;
  level: ObjectiveLevel;
  unit_id: string | null;
  team_id: string | null;
  title: string;
  state: ObjectiveState;
  version: number;
}

async function lockObjective(trx: DB, programId: string, id: string): Promise<ObjectiveRow> {
  const row = await trx
    .selectFrom("objectives")
    .select(["id", "cycle_id", "program_id", "level", "unit_id", "team_id", "title", "state", "version"])
    .where("id", "=", id)
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError("This objective does not exist in this program (or was deleted).");
  return row;
}

/** The viewer's rights on an objective's team (or, for company and unit objectives, the upper levels' writers). */
async function rightsOn(
  trx: DB,
  viewer: OkrViewer,
  objective: { program_id: string; level: ObjectiveLevel; team_id: string | null },
  today: Day,
): Promise<TeamRights> {
  if (objective.level !== "team" || !objective.team_id) {
    const write = mayWriteUpperLevels(viewer);
    return { read: true, editSet: write, editDrafts: write, comment: write, resolve: write };
  }
  return teamRights(viewer, await teamRelation(trx, viewer, objective.program_id, objective.team_id, today));
}

function requireEdit(rights: TeamRights, state: ObjectiveState): void {
  if (mayEditObjective(rights, state)) return;
  if (rights.editDrafts)
    throw new ForbiddenError(`This objective is ${OBJECTIVE_STATE_LABELS[state].toLowerCase()}: only drafts can be changed by a coach.`);
  throw new ForbiddenError("You may not change these OKRs.");
}

// ----- Objectives -----

async function resolvePerson(trx: DB, email: string | null, field = "ownerEmail"): Promise<string | null> {
  if (!email) return null;
  const person = await trx
    .selectFrom("people")
    .select("id")
    .where("email", "=", email.toLowerCase())
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!person) throw FieldError.on(field, NO_PERSON_MESSAGE);
  return person.id;
}

async function resolveParents(
  trx: DB,
  cycleId: string,
  level: ObjectiveLevel,
  parentIds: string[],
  selfId: string | null,
): Promise<string[]> {
  const ids = [...new Set(parentIds)].filter((id) => id !== selfId);
  if (ids.length === 0) return [];
  if (level === "company") throw FieldError.on("parentIds", "A company objective aligns to nothing above it.");
  const allowed: ObjectiveLevel[] = level === "team" ? ["company", "unit"] : ["company"];
  const found = await trx
    .selectFrom("objectives")
    .select("id")
    .where("id", "in", ids)
    .where("cycle_id", "=", cycleId)
    .where("level", "in", allowed)
    .execute();
  if (found.length !== ids.length) throw FieldError.on("parentIds", UNKNOWN_PARENT_MESSAGE);
  return ids;
}

async function setParents(trx: DB, childId: string, parentIds: string[]): Promise<void> {
  await trx.deleteFrom("objective_alignments").where("child_id", "=", childId).execute();
  if (parentIds.length)
    await trx
      .insertInto("objective_alignments")
      .values(parentIds.map((parent_id) => ({ child_id: childId, parent_id })))
      .execute();
}

export interface ObjectiveTarget {
  level: ObjectiveLevel;
  teamId?: string | null;
  unitId?: string | null;
}

/** Adds an objective (a draft) to a team's set, a unit's or the company's. */
export async function createObjective(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  target: ObjectiveTarget,
  input: ObjectiveInput,
  today: Day,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const cycle = await getCycle(trx, programId, cycleId);
    const teamId = target.level === "team" ? (target.teamId ?? null) : null;
    let unitId = target.level === "unit" ? (target.unitId ?? null) : null;
    if (target.level === "team") {
      // Every active team of the organization is in every program (a program_teams row only holds its wave and status).
      const inProgram = await trx
        .selectFrom("teams")
        .select("id")
        .where("id", "=", teamId ?? "")
        .where("archived_at", "is", null)
        .executeTakeFirst();
      if (!inProgram) throw new NotFoundError("This team is not part of this program.");
    } else if (target.level === "unit") {
      const unit = await trx
        .selectFrom("org_units")
        .select("id")
        .where("id", "=", unitId ?? "")
        .where("archived_at", "is", null)
        .executeTakeFirst();
      if (!unit) throw FieldError.on("unitId", "Choose one of the organization's units.");
      unitId = unit.id;
    }
    const rights = await rightsOn(trx, viewer, { program_id: programId, level: target.level, team_id: teamId }, today);
    requireRight(
      rights.editDrafts,
      target.level === "team"
        ? "You may not add objectives to this team's set."
        : "Only the PLO and the sponsor write company and unit objectives.",
    );
    if (cycle.state === "closed") throw FieldError.on("_form", "This cycle is closed.");
    const owner = await resolvePerson(trx, input.ownerEmail);
    const parents = await resolveParents(trx, cycle.id, target.level, input.parentIds, null);
    const position = await trx
      .selectFrom("objectives")
      .select(sql<number>`coalesce(max(position), 0) + 1`.as("next"))
      .where("cycle_id", "=", cycle.id)
      .where(teamId ? sql<boolean>`team_id = ${teamId}` : sql<boolean>`team_id is null`)
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    await trx
      .insertInto("objectives")
      .values({
        id,
        cycle_id: cycle.id,
        program_id: programId,
        level: target.level,
        unit_id: unitId,
        team_id: teamId,
        title: input.title,
        description: input.description,
        owner_person_id: owner,
        type: input.type,
        standalone_reason: parents.length ? null : input.standaloneReason,
        position: position.next,
        created_by: viewer.userId,
      })
      .execute();
    await setParents(trx, id, parents);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "objective.created",
      entityType: "objective",
      entityId: id,
      programId,
      summary: `Added the ${target.level} objective “${input.title}” to cycle “${cycle.name}”`,
      details: { cycleId: cycle.id, level: target.level, teamId, unitId, type: input.type, ownerPersonId: owner, parentIds: parents },
    });
    return { id };
  });
}

async function objectiveSnapshot(trx: DB, id: string) {
  const row = await objectiveQuery(trx).where("o.id", "=", id).executeTakeFirst();
  const view = row ? toView(row) : null;
  return view
    ? {
        title: view.title,
        description: view.description,
        type: view.type,
        state: view.state,
        ownerEmail: view.ownerEmail ?? "",
        parentIds: view.parents.map((p) => p.id),
        parents: view.parents.map((p) => p.title),
        standaloneReason: view.standaloneReason ?? "",
        version: view.version,
      }
    : null;
}

/** Saves an objective's text, owner and alignment; a stale `version` is a 409 with what is there now. */
export async function updateObjective(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  id: string,
  input: ObjectiveEditInput,
  today: Day,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await lockObjective(trx, programId, id);
    requireEdit(await rightsOn(trx, viewer, before, today), before.state);
    if (before.version !== input.version) throw new ConflictError(STALE_VERSION_MESSAGE, await objectiveSnapshot(trx, id));
    const snapshot = await objectiveSnapshot(trx, id);
    const owner = await resolvePerson(trx, input.ownerEmail);
    const parents = await resolveParents(trx, before.cycle_id, before.level, input.parentIds, id);
    await trx
      .updateTable("objectives")
      .set({
        title: input.title,
        description: input.description,
        type: input.type,
        owner_person_id: owner,
        standalone_reason: parents.length ? null : input.standaloneReason,
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await setParents(trx, id, parents);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "objective.updated",
      entityType: "objective",
      entityId: id,
      programId,
      summary: `Updated objective “${input.title}”`,
      details: {
        before: snapshot,
        after: {
          title: input.title,
          description: input.description,
          type: input.type,
          ownerEmail: input.ownerEmail ?? "",
          parentIds: parents,
          standaloneReason: input.standaloneReason ?? "",
        },
      },
    });
  });
}

/** Moves an objective along draft → in review → approved → active → achieved / abandoned (team lead, PLO). */
export async function changeObjectiveState(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  id: string,
  state: ObjectiveState,
  version: number,
  today: Day,
): Promise<{ title: string }> {
  return inTransaction(db, async (trx) => {
    const before = await lockObjective(trx, programId, id);
    const rights = await rightsOn(trx, viewer, before, today);
    requireRight(rights.editSet, "Only the team lead and the PLO move objectives through review and approval.");
    if (before.version !== version) throw new ConflictError(STALE_VERSION_MESSAGE, await objectiveSnapshot(trx, id));
    if (!OBJECTIVE_TRANSITIONS[before.state].includes(state))
      throw FieldError.on(
        "state",
        `A ${OBJECTIVE_STATE_LABELS[before.state].toLowerCase()} objective cannot become ${OBJECTIVE_STATE_LABELS[state].toLowerCase()}.`,
      );
    await trx
      .updateTable("objectives")
      .set({ state, version: sql`version + 1`, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "objective.state_changed",
      entityType: "objective",
      entityId: id,
      programId,
      summary: `Moved objective “${before.title}” from ${OBJECTIVE_STATE_LABELS[before.state]} to ${OBJECTIVE_STATE_LABELS[state]}`,
      details: { state: { from: before.state, to: state } },
    });
    return { title: before.title };
  });
}

/** Deletes an objective with its key results (team lead, PLO; the audit log keeps it). */
export async function deleteObjective(db: DB, viewer: OkrViewer, programId: string, id: string, today: Day): Promise<{ title: string }> {
  return inTransaction(db, async (trx) => {
    const before = await lockObjective(trx, programId, id);
    const rights = await rightsOn(trx, viewer, before, today);
    requireRight(rights.editSet, "Only the team lead and the PLO delete objectives.");
    const snapshot = await objectiveSnapshot(trx, id);
    await trx.deleteFrom("objectives").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "objective.deleted",
      entityType: "objective",
      entityId: id,
      programId,
      summary: `Deleted objective “${before.title}”`,
      details: { ...snapshot, level: before.level, teamId: before.team_id, unitId: before.unit_id },
    });
    return { title: before.title };
  });
}

// ----- Key results -----

async function lockKeyResult(trx: DB, programId: string, id: string) {
  const row = await trx
    .selectFrom("key_results as k")
    .innerJoin("objectives as o", "o.id", "k.objective_id")
    .select([
      "k.id",
      "k.title",
      "k.version",
      "k.objective_id",
      "o.program_id",
      "o.level",
      "o.team_id",
      "o.state",
      "o.title as objectiveTitle",
    ])
    .where("k.id", "=", id)
    .where("o.program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError("This key result does not exist in this program (or was deleted).");
  return row;
}

async function keyResultSnapshot(trx: DB, id: string) {
  const k = await keyResultQuery(trx).where("k.id", "=", id).executeTakeFirst();
  return k
    ? {
        title: k.title,
        kind: k.kind,
        startValue: k.startValue,
        targetValue: k.targetValue,
        unit: k.unit,
        direction: k.direction,
        weight: k.weight,
        ownerEmail: k.ownerEmail ?? "",
        version: k.version,
      }
    : null;
}

function keyResultValues(input: KeyResultInput, owner: string | null) {
  const metric = input.kind === "metric";
  return {
    title: input.title,
    kind: input.kind,
    start_value: metric ? input.startValue : null,
    target_value: metric ? input.targetValue : null,
    unit: metric ? input.unit : "",
    direction: input.direction,
    weight: input.weight,
    owner_person_id: owner,
  };
}

export async function createKeyResult(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  objectiveId: string,
  input: KeyResultInput,
  today: Day,
): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const objective = await lockObjective(trx, programId, objectiveId);
    requireEdit(await rightsOn(trx, viewer, objective, today), objective.state);
    const owner = await resolvePerson(trx, input.ownerEmail);
    const count = await trx
      .selectFrom("key_results")
      .select([sql<number>`count(*)::int`.as("n"), sql<number>`coalesce(max(position), 0) + 1`.as("next")])
      .where("objective_id", "=", objectiveId)
      .executeTakeFirstOrThrow();
    if (count.n >= 10) throw FieldError.on("_form", "An objective has at most 10 key results (5 is plenty).");
    const id = crypto.randomUUID();
    const values = keyResultValues(input, owner);
    await trx
      .insertInto("key_results")
      .values({
        id,
        objective_id: objectiveId,
        cycle_id: objective.cycle_id,
        ...values,
        current_value: values.start_value,
        position: count.next,
      })
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "key_result.created",
      entityType: "key_result",
      entityId: id,
      programId,
      summary: `Added key result “${input.title}” to objective “${objective.title}”`,
      details: { objectiveId, ...values },
    });
    return { id };
  });
}

/** Saves a key result's definition; a stale `version` is a 409 with what is there now. Progress is not written here. */
export async function updateKeyResult(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  id: string,
  input: KeyResultEditInput,
  today: Day,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await lockKeyResult(trx, programId, id);
    requireEdit(await rightsOn(trx, viewer, before, today), before.state);
    const snapshot = await keyResultSnapshot(trx, id);
    if (before.version !== input.version) throw new ConflictError(STALE_VERSION_MESSAGE, snapshot);
    const owner = await resolvePerson(trx, input.ownerEmail);
    const values = keyResultValues(input, owner);
    await trx
      .updateTable("key_results")
      .set({ ...values, version: sql`version + 1`, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "key_result.updated",
      entityType: "key_result",
      entityId: id,
      programId,
      summary: `Updated key result “${input.title}” of objective “${before.objectiveTitle}”`,
      details: { before: snapshot, after: { ...values, ownerEmail: input.ownerEmail ?? "" } },
    });
  });
}

export async function deleteKeyResult(db: DB, viewer: OkrViewer, programId: string, id: string, today: Day): Promise<{ title: string }> {
  return inTransaction(db, async (trx) => {
    const before = await lockKeyResult(trx, programId, id);
    requireEdit(await rightsOn(trx, viewer, before, today), before.state);
    const snapshot = await keyResultSnapshot(trx, id);
    await trx.deleteFrom("key_results").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "key_result.deleted",
      entityType: "key_result",
      entityId: id,
      programId,
      summary: `Deleted key result “${before.title}” of objective “${before.objectiveTitle}”`,
      details: { objectiveId: before.objective_id, ...snapshot },
    });
    return { title: before.title };
  });
}

// ----- Comments -----

/** A comment on an objective or a key result (coach, team lead, PLO). */
export async function addComment(db: DB, viewer: OkrViewer, programId: string, input: CommentInput, today: Day): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    if (Boolean(input.objectiveId) === Boolean(input.keyResultId))
      throw FieldError.on("body", "Comment on one objective or one key result.");
    const target = input.keyResultId
      ? await lockKeyResult(trx, programId, input.keyResultId)
      : await lockObjective(trx, programId, input.objectiveId ?? "");
    const rights = await rightsOn(trx, viewer, target, today);
    requireRight(rights.comment, "Only the team's coach, its lead and the PLO comment on its OKRs.");
    const id = crypto.randomUUID();
    await trx
      .insertInto("okr_comments")
      .values({
        id,
        objective_id: input.keyResultId ? null : target.id,
        key_result_id: input.keyResultId ?? null,
        author_id: viewer.userId,
        author_label: viewer.name,
        body: input.body,
      })
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "okr_comment.created",
      entityType: "okr_comment",
      entityId: id,
      programId,
      summary: `Commented on ${input.keyResultId ? "key result" : "objective"} “${target.title}”`,
      details: { objectiveId: input.objectiveId, keyResultId: input.keyResultId, body: input.body },
    });
    return { id };
  });
}

/** Marks a comment resolved (it stays, with who resolved it and when). */
export async function resolveComment(db: DB, viewer: OkrViewer, programId: string, commentId: string, today: Day): Promise<void> {
  await inTransaction(db, async (trx) => {
    const comment = await trx
      .selectFrom("okr_comments as c")
      .leftJoin("key_results as k", "k.id", "c.key_result_id")
      .innerJoin("objectives as o", (join) => join.on(sql<boolean>`o.id = coalesce(c.objective_id, k.objective_id)`))
      .select(["c.id", "c.body", "c.resolved_at", "o.program_id", "o.level", "o.team_id", "o.title"])
      .where("c.id", "=", commentId)
      .where("o.program_id", "=", programId)
      .executeTakeFirst();
    if (!comment) throw new NotFoundError("This comment does not exist in this program.");
    requireRight((await rightsOn(trx, viewer, comment, today)).resolve, "Only the team's coach, its lead and the PLO resolve comments.");
    if (comment.resolved_at) return;
    await trx
      .updateTable("okr_comments")
      .set({ resolved_at: new Date(), resolved_by: viewer.userId, resolved_by_label: viewer.name })
      .where("id", "=", commentId)
      .where("resolved_at", "is", null)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "okr_comment.resolved",
      entityType: "okr_comment",
      entityId: commentId,
      programId,
      summary: `Resolved a comment on “${comment.title}”`,
      details: { body: comment.body },
    });
  });
}

// ----- The viewer's teams -----

/** The teams of the program the viewer leads, belongs to or coaches today (for "your teams" links). */
export async function viewerTeams(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  today: Day,
): Promise<Array<{ id: string; name: string; relation: "lead" | "member" | "coach" }>> {
  if (!viewer.personId) return [];
  const { rows } = await sql<{ id: string; name: string; relation: "lead" | "member" | "coach" }>`
    select t.id, t.name,
      case when t.lead_person_id = ${viewer.personId} then 'lead'
           when exists (select 1 from people p where p.id = ${viewer.personId} and p.team_id = t.id) then 'member'
           else 'coach' end as relation
    from teams t
    where t.archived_at is null
      and (t.lead_person_id = ${viewer.personId}
        or exists (select 1 from people p where p.id = ${viewer.personId} and p.team_id = t.id)
        or exists (select 1 from coach_assignments a join coaches c on c.id = a.coach_id
                   where a.program_id = ${programId} and a.team_id = t.id and c.person_id = ${viewer.personId}
                     and a.starts_on <= ${today} and (a.ends_on is null or a.ends_on >= ${today})))
    order by lower(t.name), t.id
    limit 200`.execute(db);
  return rows;
}
