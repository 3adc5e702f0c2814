import { sql } from "kysely";
import type { EscalationCategory, EscalationStatus, SessionType, Urgency } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import type { CoachingViewer } from "~/models/coaching/viewer.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import {
  ALREADY_PROMOTED_MESSAGE,
  ESCALATION_CATEGORY_LABELS,
  escalationStatusParam,
  NO_ANSWER_MESSAGE,
  NOT_A_COACH_MESSAGE,
  UNKNOWN_SESSION_MESSAGE,
  UNKNOWN_TEAM_MESSAGE,
  urgencyParam,
  type EscalationInput,
  type PromoteInput,
} from "~/validation/sessions";
import { FieldError, ForbiddenError } from "~/models/errors";

// Escalations: a coach's question to the PLO. The coach raises it (from a session or on its
// own), the PLO takes it, answers it (the coach's home then shows the answer until they open
// it: answer_seen_at) and closes it; a good answer can become an FAQ entry of the learnings
// library. A coach sees only their own questions; answering, closing and promoting need
// coaching:manage (admin, PLO). Every change is audited.

const actorOf = (viewer: CoachingViewer) => ({ id: viewer.userId, name: viewer.name });

function requireManager(viewer: CoachingViewer) {
  if (!viewer.manage) throw new ForbiddenError("Only the Program Lead Office answers, closes and promotes questions.");
}

/** "method: how do we score…" shortened for summaries and notifications. */
export function questionTopic(category: EscalationCategory, question: string, max = 60): string {
  const text = question.replace(/\s+/g, " ").trim();
  const short = text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  return `${ESCALATION_CATEGORY_LABELS[category].toLowerCase()}: “${short}”`;
}

// ---------------------------------------------------------------------------------------------
// Raising
// ---------------------------------------------------------------------------------------------

export interface SessionContext {
  id: string;
  teamId: string;
  teamName: string;
  heldOn: string;
  type: SessionType;
}

/** A session the viewer may raise a question from (their own; any for the PLO); null otherwise. */
export async function sessionForEscalation(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  sessionId: string,
): Promise<SessionContext | null> {
  let query = db
    .selectFrom("support_sessions as s")
    .innerJoin("teams as t", "t.id", "s.team_id")
    .select(["s.id", "s.team_id as teamId", "t.name as teamName", "s.held_on as heldOn", "s.type"])
    .where("s.id", "=", sessionId)
    .where("s.program_id", "=", programId);
  if (!viewer.manage) query = query.where("s.coach_id", "=", viewer.coach?.id ?? "");
  return (await query.executeTakeFirst()) ?? null;
}

export async function raiseEscalation(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  input: EscalationInput,
): Promise<{ id: string; teamName: string | null }> {
  const coach = viewer.coach;
  if (!coach) throw FieldError.on("_form", NOT_A_COACH_MESSAGE);
  return inTransaction(db, async (trx) => {
    let teamId = input.teamId;
    let teamName: string | null = null;
    if (input.sessionId) {
      // A question raised from a session is about the session's team.
      const session = await sessionForEscalation(trx, { ...viewer, manage: false }, programId, input.sessionId);
      if (!session) throw FieldError.on("sessionId", UNKNOWN_SESSION_MESSAGE);
      teamId = session.teamId;
      teamName = session.teamName;
    } else if (teamId) {
      const team = await trx.selectFrom("teams").select(["id", "name"]).where("id", "=", teamId).executeTakeFirst();
      if (!team) throw FieldError.on("teamId", UNKNOWN_TEAM_MESSAGE);
      teamName = team.name;
    }
    const created = await trx
      .insertInto("escalations")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: coach.id,
        team_id: teamId,
        session_id: input.sessionId,
        category: input.category,
        urgency: input.urgency,
        question: input.question,
        created_by: viewer.userId,
      })
      .returning(["id", "category", "urgency"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "escalation.raised",
      entityType: "escalation",
      entityId: created.id,
      programId,
      summary: `Asked the PLO about ${questionTopic(input.category, input.question)}${teamName ? ` (team “${teamName}”)` : ""}`,
      details: { category: input.category, urgency: input.urgency, teamId, sessionId: input.sessionId, coachId: coach.id },
    });
    return { id: created.id, teamName };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export const ESCALATION_SORTS = ["urgency", "age", "status", "category", "team", "coach", "owner"] as const;
export type EscalationSort = (typeof ESCALATION_SORTS)[number];
export const ESCALATION_LIST_SPEC: ListSpec<EscalationSort> = {
  sorts: ESCALATION_SORTS,
  defaultSort: "urgency",
  defaultDir: "desc",
  filters: ["status", "urgency", "owner"],
};

export interface EscalationListRow {
  id: string;
  category: EscalationCategory;
  urgency: Urgency;
  status: EscalationStatus;
  /** The first 140 characters of the question. */
  questionExcerpt: string;
  teamId: string | null;
  teamName: string | null;
  coachName: string;
  ownerId: string | null;
  ownerName: string | null;
  createdAt: Date;
  /** Whole days since the question was raised. */
  ageDays: number;
  answeredAt: Date | null;
  answerSeenAt: Date | null;
}

const urgencyRank = sql<number>`case e.urgency when 'high' then 2 when 'normal' then 1 else 0 end`;
const statusRank = sql<number>`case e.status when 'open' then 0 when 'answered' then 1 else 2 end`;

/** The queue (PLO: every question; coach: their own), filtered by status, urgency and owner. */
export async function listEscalations(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  params: ListParams<EscalationSort>,
): Promise<Page<EscalationListRow>> {
  if (!viewer.manage && !viewer.coach) return { rows: [], total: 0, page: params.page, size: params.size };
  let query = db
    .selectFrom("escalations as e")
    .innerJoin("coaches as c", "c.id", "e.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .leftJoin("teams as t", "t.id", "e.team_id")
    .leftJoin("users as o", "o.id", "e.owner_id")
    .select([
      "e.id",
      "e.category",
      "e.urgency",
      "e.status",
      sql<string>`left(e.question, 140)`.as("questionExcerpt"),
      "e.team_id as teamId",
      "t.name as teamName",
      "p.name as coachName",
      "e.owner_id as ownerId",
      "o.name as ownerName",
      "e.created_at as createdAt",
      sql<number>`(current_date - (e.created_at)::date)::int`.as("ageDays"),
      "e.answered_at as answeredAt",
      "e.answer_seen_at as answerSeenAt",
    ])
    .where("e.program_id", "=", programId);
  if (!viewer.manage) query = query.where("e.coach_id", "=", viewer.coach!.id);
  const status = escalationStatusParam(params.filters.status);
  if (status === "active") query = query.where("e.status", "in", ["open", "answered"]);
  else if (status !== "all") query = query.where("e.status", "=", status);
  const urgency = urgencyParam(params.filters.urgency);
  if (urgency) query = query.where("e.urgency", "=", urgency);
  const owner = params.filters.owner;
  if (owner === "me") query = query.where("e.owner_id", "=", viewer.userId);
  else if (owner === "none") query = query.where("e.owner_id", "is", null);
  else if (owner) query = query.where("e.owner_id", "=", owner);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("e.question", "ilike", like), eb("t.name", "ilike", like), eb("p.name", "ilike", like)]));
  }
  const dir = params.dir;
  switch (params.sort) {
    case "age":
      // Oldest first when descending by age.
      query = query.orderBy("e.created_at", dir === "desc" ? "asc" : "desc");
      break;
    case "status":
      query = query.orderBy(statusRank, dir).orderBy(urgencyRank, "desc").orderBy("e.created_at");
      break;
    case "category":
      query = query.orderBy("e.category", dir).orderBy("e.created_at");
      break;
    case "team":
      query = query.orderBy(sql`lower(t.name) ${sql.raw(dir)} nulls last`).orderBy("e.created_at");
      break;
    case "coach":
      query = query.orderBy(sql`lower(p.name)`, dir).orderBy("e.created_at");
      break;
    case "owner":
      query = query.orderBy(sql`lower(o.name) ${sql.raw(dir)} nulls first`).orderBy("e.created_at");
      break;
    default:
      // Most urgent first, then the oldest: the order to work through the queue.
      query = query.orderBy(statusRank).orderBy(urgencyRank, dir).orderBy("e.created_at");
  }
  return fetchPage(query.orderBy("e.id"), params);
}

export interface EscalationDetail {
  id: string;
  programId: string;
  coachId: string;
  coachName: string;
  teamId: string | null;
  teamName: string | null;
  sessionId: string | null;
  sessionHeldOn: string | null;
  sessionType: SessionType | null;
  category: EscalationCategory;
  urgency: Urgency;
  question: string;
  status: EscalationStatus;
  ownerId: string | null;
  ownerName: string | null;
  answer: string | null;
  answeredByName: string | null;
  answeredAt: Date | null;
  answerSeenAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  ageDays: number;
  /** The FAQ entry promoted from this answer, if any. */
  learningId: string | null;
}

/** One question; null when not in this program; ForbiddenError when it is another coach's. */
export async function getEscalation(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<EscalationDetail | null> {
  const row = await db
    .selectFrom("escalations as e")
    .innerJoin("coaches as c", "c.id", "e.coach_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .leftJoin("teams as t", "t.id", "e.team_id")
    .leftJoin("support_sessions as s", "s.id", "e.session_id")
    .leftJoin("users as o", "o.id", "e.owner_id")
    .leftJoin("users as a", "a.id", "e.answered_by")
    .select([
      "e.id",
      "e.program_id as programId",
      "e.coach_id as coachId",
      "p.name as coachName",
      "e.team_id as teamId",
      "t.name as teamName",
      "e.session_id as sessionId",
      "s.held_on as sessionHeldOn",
      "s.type as sessionType",
      "e.category",
      "e.urgency",
      "e.question",
      "e.status",
      "e.owner_id as ownerId",
      "o.name as ownerName",
      "e.answer",
      "a.name as answeredByName",
      "e.answered_at as answeredAt",
      "e.answer_seen_at as answerSeenAt",
      "e.closed_at as closedAt",
      "e.created_at as createdAt",
      sql<number>`(current_date - (e.created_at)::date)::int`.as("ageDays"),
      (eb) =>
        eb
          .selectFrom("learnings as l")
          .select("l.id")
          .whereRef("l.escalation_id", "=", "e.id")
          .orderBy("l.created_at")
          .limit(1)
          .as("learningId"),
    ])
    .where("e.id", "=", id)
    .where("e.program_id", "=", programId)
    .executeTakeFirst();
  if (!row) return null;
  if (!viewer.manage && row.coachId !== viewer.coach?.id) throw new ForbiddenError("This question was asked by another coach.");
  return row;
}

export interface UnseenAnswer {
  id: string;
  category: EscalationCategory;
  question: string;
  answeredAt: Date | null;
  answeredByName: string | null;
}

/** Answers the coach has not opened yet, newest first (their home shows them as notifications). */
export async function unseenAnswers(db: DB, coachId: string, programId: string, limit = 10): Promise<UnseenAnswer[]> {
  return db
    .selectFrom("escalations as e")
    .leftJoin("users as a", "a.id", "e.answered_by")
    .select([
      "e.id",
      "e.category",
      sql<string>`left(e.question, 200)`.as("question"),
      "e.answered_at as answeredAt",
      "a.name as answeredByName",
    ])
    .where("e.coach_id", "=", coachId)
    .where("e.program_id", "=", programId)
    .where("e.answer", "is not", null)
    .where("e.answer_seen_at", "is", null)
    .orderBy("e.answered_at", "desc")
    .orderBy("e.id")
    .limit(limit)
    .execute();
}

/** How many of a coach's questions are open, answered and unseen (one query). */
export async function coachQuestionCounts(
  db: DB,
  coachId: string,
  programId: string,
): Promise<{ open: number; answered: number; unseen: number }> {
  return db
    .selectFrom("escalations")
    .select([
      sql<number>`count(*) filter (where status = 'open')::int`.as("open"),
      sql<number>`count(*) filter (where status = 'answered')::int`.as("answered"),
      sql<number>`count(*) filter (where answer is not null and answer_seen_at is null)::int`.as("unseen"),
    ])
    .where("coach_id", "=", coachId)
    .where("program_id", "=", programId)
    .executeTakeFirstOrThrow();
}

export interface OwnerOption {
  id: string;
  name: string;
}

/** Who can own a question: active admin and PLO accounts. */
export async function listOwnerOptions(db: DB): Promise<OwnerOption[]> {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("role", "in", ["admin", "plo"])
    .where("active", "=", true)
    .orderBy(sql`lower(name)`)
    .orderBy("id")
    .limit(200)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The PLO's work on a question, and the coach reading the answer
// ---------------------------------------------------------------------------------------------

async function lockEscalation(trx: DB, programId: string, id: string) {
  return (
    (await trx
      .selectFrom("escalations")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

/** "Take it": the viewer (PLO) becomes the owner. Null when not in this program. */
export async function takeEscalation(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<{ id: string } | null> {
  requireManager(viewer);
  return inTransaction(db, async (trx) => {
    const before = await lockEscalation(trx, programId, id);
    if (!before) return null;
    if (before.owner_id === viewer.userId) return { id };
    await trx.updateTable("escalations").set({ owner_id: viewer.userId, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "escalation.taken",
      entityType: "escalation",
      entityId: id,
      programId,
      summary: `Took the question about ${questionTopic(before.category, before.question)}`,
      details: { owner: { from: before.owner_id, to: viewer.userId } },
    });
    return { id };
  });
}

/** Answers (or re-answers) a question: status answered, the coach sees it on their home. */
export async function answerEscalation(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  id: string,
  answer: string,
): Promise<{ id: string } | null> {
  requireManager(viewer);
  return inTransaction(db, async (trx) => {
    const before = await lockEscalation(trx, programId, id);
    if (!before) return null;
    await trx
      .updateTable("escalations")
      .set({
        answer,
        status: "answered",
        answered_by: viewer.userId,
        answered_at: new Date(),
        answer_seen_at: null,
        closed_at: null,
        owner_id: before.owner_id ?? viewer.userId,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "escalation.answered",
      entityType: "escalation",
      entityId: id,
      programId,
      summary: `${before.answer ? "Changed the answer to" : "Answered"} the question about ${questionTopic(before.category, before.question)}`,
      details: { status: { from: before.status, to: "answered" }, answerLength: answer.length },
    });
    return { id };
  });
}

export async function closeEscalation(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<{ id: string } | null> {
  requireManager(viewer);
  return inTransaction(db, async (trx) => {
    const before = await lockEscalation(trx, programId, id);
    if (!before) return null;
    if (before.status === "closed") return { id };
    await trx
      .updateTable("escalations")
      .set({ status: "closed", closed_at: new Date(), updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "escalation.closed",
      entityType: "escalation",
      entityId: id,
      programId,
      summary: `Closed the question about ${questionTopic(before.category, before.question)}`,
      details: { status: { from: before.status, to: "closed" } },
    });
    return { id };
  });
}

/**
 * The asking coach opened the answer: answer_seen_at is set (once), so the notification goes
 * away. Anyone else opening the question changes nothing. Returns whether it was marked now.
 */
export async function markAnswerSeen(db: DB, viewer: CoachingViewer, programId: string, id: string): Promise<boolean> {
  if (!viewer.coach) return false;
  const coachId = viewer.coach.id;
  return inTransaction(db, async (trx) => {
    const marked = await trx
      .updateTable("escalations")
      .set({ answer_seen_at: new Date() })
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .where("coach_id", "=", coachId)
      .where("answer", "is not", null)
      .where("answer_seen_at", "is", null)
      .returning(["category", "question"])
      .executeTakeFirst();
    if (!marked) return false;
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "escalation.answer_seen",
      entityType: "escalation",
      entityId: id,
      programId,
      summary: `Read the answer to the question about ${questionTopic(marked.category, marked.question)}`,
    });
    return true;
  });
}

/** The text of an FAQ entry made from a question and its answer. */
export function faqBody(question: string, answer: string): string {
  return `Question: ${question.trim()}\n\nAnswer: ${answer.trim()}`;
}

/** Adds an answered question to the learnings library as an FAQ entry (once per question). */
export async function promoteToFaq(
  db: DB,
  viewer: CoachingViewer,
  programId: string,
  id: string,
  input: PromoteInput,
): Promise<{ learningId: string } | null> {
  requireManager(viewer);
  return inTransaction(db, async (trx) => {
    const escalation = await lockEscalation(trx, programId, id);
    if (!escalation) return null;
    if (!escalation.answer) throw FieldError.on("_form", NO_ANSWER_MESSAGE);
    const existing = await trx.selectFrom("learnings").select("id").where("escalation_id", "=", id).executeTakeFirst();
    if (existing) throw FieldError.on("_form", ALREADY_PROMOTED_MESSAGE);
    const learningId = crypto.randomUUID();
    const tags = input.tags.join(",");
    await trx
      .insertInto("learnings")
      .values({
        id: learningId,
        program_id: programId,
        kind: "faq",
        title: input.title,
        body: faqBody(escalation.question, escalation.answer),
        tags,
        team_id: escalation.team_id,
        escalation_id: id,
        author_id: viewer.userId,
        author_label: viewer.name,
      })
      .execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: "learning.promoted",
      entityType: "learning",
      entityId: learningId,
      programId,
      summary: `Added the answer about ${questionTopic(escalation.category, escalation.question)} to the library as FAQ “${input.title}”`,
      details: { escalationId: id, title: input.title, tags },
    });
    return { learningId };
  });
}
