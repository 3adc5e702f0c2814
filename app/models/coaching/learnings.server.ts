import { sql } from "kysely";
import type { LearningKind, Role, SessionType } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { formatDate } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { can } from "~/utils/permissions";
import { LEARNING_KIND_LABELS, UNKNOWN_SESSION_MESSAGE, UNKNOWN_TEAM_MESSAGE, type LearningInput } from "~/validation/sessions";
import { FieldError, ForbiddenError } from "~/models/errors";

// The learnings library: best practices and lessons coaches share with the whole community
// (installation-wide, across programs), and FAQ entries the PLO promotes from answered
// escalations. Anyone with learnings:read browses and searches it (ILIKE over title, text and
// tags; tag chips; newest first); authors edit and delete their own entries, the PLO any.

export interface LearningUser {
  id: string;
  name: string;
  role: Role;
}

const manages = (user: LearningUser) => can(user.role, "coaching:manage");

/** Tags are stored comma-separated and lower-case ("drafting,key results"). */
export function splitTags(tags: string): string[] {
  return tags ? tags.split(",").filter(Boolean) : [];
}

export const LEARNING_LIST_SPEC: ListSpec<"newest"> = {
  sorts: ["newest"],
  defaultSort: "newest",
  defaultDir: "desc",
  filters: ["tag", "kind", "mine"],
};

export interface LearningListRow {
  id: string;
  kind: LearningKind;
  title: string;
  /** The first 600 characters of the text. */
  excerpt: string;
  bodyLength: number;
  tags: string[];
  authorId: string | null;
  authorLabel: string;
  programName: string | null;
  teamName: string | null;
  createdAt: Date;
}

/** One page of the library, newest first, searched and filtered as the URL says. */
export async function listLearnings(db: DB, user: LearningUser, params: ListParams<"newest">): Promise<Page<LearningListRow>> {
  let query = db
    .selectFrom("learnings as l")
    .leftJoin("programs as pr", "pr.id", "l.program_id")
    .leftJoin("teams as t", "t.id", "l.team_id")
    .select([
      "l.id",
      "l.kind",
      "l.title",
      sql<string>`left(l.body, 600)`.as("excerpt"),
      sql<number>`length(l.body)::int`.as("bodyLength"),
      "l.tags",
      "l.author_id as authorId",
      "l.author_label as authorLabel",
      "pr.name as programName",
      "t.name as teamName",
      "l.created_at as createdAt",
    ]);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("l.title", "ilike", like), eb("l.body", "ilike", like), eb("l.tags", "ilike", like)]));
  }
  const tag = params.filters.tag?.toLowerCase();
  // Whole tags only: ",key results," inside ",drafting,key results,".
  if (tag) query = query.where(sql<boolean>`(',' || l.tags || ',') like ${likePattern(`,${tag},`)}`);
  const kind = params.filters.kind;
  if (kind === "practice" || kind === "lesson" || kind === "faq") query = query.where("l.kind", "=", kind);
  if (params.filters.mine === "1") query = query.where("l.author_id", "=", user.id);
  const page = await fetchPage(query.orderBy("l.created_at", params.dir === "asc" ? "asc" : "desc").orderBy("l.id"), params);
  return { ...page, rows: page.rows.map((r) => ({ ...r, tags: splitTags(r.tags) })) };
}

/** The most used tags (for the filter chips), most used first. */
export async function topTags(db: DB, limit = 24): Promise<Array<{ tag: string; count: number }>> {
  const { rows } = await sql<{ tag: string; count: number }>`
    select tag, count(*)::int as count
    from learnings, unnest(string_to_array(tags, ',')) as tag
    where tags <> '' and tag <> ''
    group by tag
    order by count(*) desc, tag
    limit ${limit}`.execute(db);
  return rows;
}

export interface LearningDetail {
  id: string;
  kind: LearningKind;
  title: string;
  body: string;
  tags: string[];
  authorId: string | null;
  authorLabel: string;
  programId: string | null;
  programName: string | null;
  teamId: string | null;
  teamName: string | null;
  sessionId: string | null;
  sessionHeldOn: string | null;
  sessionType: SessionType | null;
  escalationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The viewer may edit and delete it (author, or the PLO). */
  canEdit: boolean;
}

export async function getLearning(db: DB, user: LearningUser, id: string): Promise<LearningDetail | null> {
  const row = await db
    .selectFrom("learnings as l")
    .leftJoin("programs as pr", "pr.id", "l.program_id")
    .leftJoin("teams as t", "t.id", "l.team_id")
    .leftJoin("support_sessions as s", "s.id", "l.session_id")
    .select([
      "l.id",
      "l.kind",
      "l.title",
      "l.body",
      "l.tags",
      "l.author_id as authorId",
      "l.author_label as authorLabel",
      "l.program_id as programId",
      "pr.name as programName",
      "l.team_id as teamId",
      "t.name as teamName",
      "l.session_id as sessionId",
      "s.held_on as sessionHeldOn",
      "s.type as sessionType",
      "l.escalation_id as escalationId",
      "l.created_at as createdAt",
      "l.updated_at as updatedAt",
    ])
    .where("l.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return { ...row, tags: splitTags(row.tags), canEdit: manages(user) || (row.authorId !== null && row.authorId === user.id) };
}

export interface LearningSource {
  sessionId: string | null;
  teamId: string | null;
  teamName: string | null;
  programId: string | null;
  sessionHeldOn: string | null;
}

/**
 * Where a learning came from: a session (the author's own; the PLO may cite any) gives its team
 * and program; a team on its own gives just the team; a program id from the page it was written
 * on is kept when it exists.
 */
export async function resolveSource(
  db: DB,
  user: LearningUser,
  input: { sessionId: string | null; teamId: string | null; programId?: string | null },
): Promise<LearningSource> {
  if (input.sessionId) {
    let query = db
      .selectFrom("support_sessions as s")
      .innerJoin("teams as t", "t.id", "s.team_id")
      .innerJoin("coaches as c", "c.id", "s.coach_id")
      .innerJoin("people as p", "p.id", "c.person_id")
      .select(["s.id", "s.team_id as teamId", "t.name as teamName", "s.program_id as programId", "s.held_on as heldOn"])
      .where("s.id", "=", input.sessionId);
    if (!manages(user)) query = query.where("p.user_id", "=", user.id);
    const session = await query.executeTakeFirst();
    if (!session) throw FieldError.on("sessionId", UNKNOWN_SESSION_MESSAGE);
    return {
      sessionId: session.id,
      teamId: session.teamId,
      teamName: session.teamName,
      programId: session.programId,
      sessionHeldOn: session.heldOn,
    };
  }
  let teamName: string | null = null;
  if (input.teamId) {
    const team = await db.selectFrom("teams").select(["name"]).where("id", "=", input.teamId).executeTakeFirst();
    if (!team) throw FieldError.on("teamId", UNKNOWN_TEAM_MESSAGE);
    teamName = team.name;
  }
  let programId: string | null = null;
  if (input.programId) {
    const program = await db.selectFrom("programs").select("id").where("id", "=", input.programId).executeTakeFirst();
    programId = program?.id ?? null;
  }
  return { sessionId: null, teamId: input.teamId, teamName, programId, sessionHeldOn: null };
}

/** "the session with Falcons on 12 Jan 2027", "work with Falcons", or null. */
export function sourceLabel(source: Pick<LearningSource, "teamName" | "sessionHeldOn">): string | null {
  if (source.sessionHeldOn) return `the session with ${source.teamName ?? "a team"} on ${formatDate(source.sessionHeldOn)}`;
  if (source.teamName) return `work with ${source.teamName}`;
  return null;
}

export async function createLearning(db: DB, user: LearningUser, input: LearningInput): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const source = await resolveSource(trx, user, input);
    const id = crypto.randomUUID();
    const tags = input.tags.join(",");
    await trx
      .insertInto("learnings")
      .values({
        id,
        program_id: source.programId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        tags,
        team_id: source.teamId,
        session_id: source.sessionId,
        author_id: user.id,
        author_label: user.name,
      })
      .execute();
    await recordAudit(trx, {
      actor: user,
      action: "learning.created",
      entityType: "learning",
      entityId: id,
      programId: source.programId,
      summary: `Shared the ${LEARNING_KIND_LABELS[input.kind].toLowerCase()} “${input.title}”`,
      details: { kind: input.kind, title: input.title, tags, teamId: source.teamId, sessionId: source.sessionId },
    });
    return { id };
  });
}

async function lockEditable(trx: DB, user: LearningUser, id: string) {
  const before = await trx.selectFrom("learnings").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!before) return null;
  if (!manages(user) && before.author_id !== user.id) throw new ForbiddenError("You can only change the learnings you shared yourself.");
  return before;
}

/** Saves a learning (author or PLO); an FAQ entry stays an FAQ entry. Null when it does not exist. */
export async function updateLearning(
  db: DB,
  user: LearningUser,
  id: string,
  input: LearningInput,
): Promise<{ id: string; title: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await lockEditable(trx, user, id);
    if (!before) return null;
    const source =
      input.sessionId === before.session_id && input.teamId === before.team_id
        ? { sessionId: before.session_id, teamId: before.team_id, programId: before.program_id }
        : await resolveSource(trx, user, { ...input, programId: before.program_id });
    const kind: LearningKind = before.kind === "faq" ? "faq" : input.kind;
    const tags = input.tags.join(",");
    const after = {
      title: input.title,
      body: input.body,
      kind,
      tags,
      team_id: source.teamId,
      session_id: source.sessionId,
      program_id: source.programId ?? before.program_id,
    };
    await trx
      .updateTable("learnings")
      .set({ ...after, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ["title", "kind", "tags", "team_id", "session_id"] as const) {
      if (before[key] !== after[key]) changed[key] = { from: before[key], to: after[key] };
    }
    if (before.body !== after.body) changed.body = { from: `${before.body.length} characters`, to: `${after.body.length} characters` };
    if (Object.keys(changed).length > 0) {
      await recordAudit(trx, {
        actor: user,
        action: "learning.updated",
        entityType: "learning",
        entityId: id,
        programId: after.program_id,
        summary: `Updated the learning “${after.title}”: ${Object.keys(changed).join(", ")}`,
        details: changed,
      });
    }
    return { id, title: after.title };
  });
}

export async function deleteLearning(db: DB, user: LearningUser, id: string): Promise<{ title: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await lockEditable(trx, user, id);
    if (!before) return null;
    await trx.deleteFrom("learnings").where("id", "=", id).execute();
    await recordAudit(trx, {
      actor: user,
      action: "learning.deleted",
      entityType: "learning",
      entityId: id,
      programId: before.program_id,
      summary: `Deleted the learning “${before.title}”`,
      details: { kind: before.kind, title: before.title, tags: before.tags, authorLabel: before.author_label },
    });
    return { title: before.title };
  });
}
