import { sql } from "kysely";
import type { DB } from "~/utils/db.server";
import { currentRequestContext } from "~/utils/request-context.server";

export interface Actor {
  id: string;
  name: string;
}

export interface AuditEntry {
  actor: Actor | null;
  /** Verb in the past tense, e.g. "user.created", "login.failed". */
  action: string;
  entityType: string;
  entityId?: string | null;
  programId?: string | null;
  /** One human sentence, shown in the audit screen. */
  summary: string;
  /** Before/after values and the like; never passwords, hashes or tokens. */
  details?: Record<string, unknown>;
}

const SECRET_KEYS = /password|hash|token|secret|session/i;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, SECRET_KEYS.test(key) ? "[redacted]" : scrub(v)]));
  }
  return value;
}

const escapeLike = (text: string) => text.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * Entities no cached read depends on (ADR 0011), so their changes leave the data versions alone:
 * the RACI matrix is read afresh on every request and guards its edits with versions of its own
 * (ADR 0008) — and its cell edits, ten editors at once, should not queue on the program row.
 */
const OUTSIDE_CACHED_READS = new Set(["raci_matrix", "backup"]);

/**
 * Entities whose changes cannot move anyone's enablement state (ADR 0014): they leave the
 * enablement versions alone, so the stored coverage heat map survives the day's check-ins,
 * reports and coaching logs. Anything not listed (a new area too) is taken to matter.
 */
const OUTSIDE_ENABLEMENT = new Set([
  "raci_matrix",
  "backup",
  "session",
  "calendar_feed",
  "status_report",
  "status_override",
  "report_question",
  "report_decision",
  "report_cadence",
  "sponsor_commitment",
  "budget_line",
  "escalation",
  "support_session",
  "learning",
  "risk",
  "milestone",
  "objective",
  "key_result",
  "okr_comment",
  "team_retrospective",
  "enablement_cert_path",
  "enablement_cert_award",
]);

async function bumpDataVersion(db: DB, programId: string | null, enablement: boolean): Promise<void> {
  const set = enablement
    ? { data_version: sql<number>`data_version + 1`, enablement_version: sql<number>`enablement_version + 1` }
    : { data_version: sql<number>`data_version + 1` };
  await (
    programId
      ? db.updateTable("programs").set(set).where("id", "=", programId)
      : db.updateTable("installation").set(set).where("id", "=", 1)
  ).execute();
}

/** The client address an audit event records: the one of the request being served, if any. */
export function requestIp(): string | null {
  return currentRequestContext()?.ip ?? null;
}

/**
 * Records who did what, and bumps the data version of the program (or, for a change outside a
 * program, of the installation) so cached reads see the change (ADR 0011). Call it with the same
 * transaction as the change it describes.
 */
/** Records an event; returns its id (a bulk change's undo names it). */
export async function recordAudit(db: DB, entry: AuditEntry): Promise<number> {
  if (!OUTSIDE_CACHED_READS.has(entry.entityType))
    await bumpDataVersion(db, entry.programId ?? null, !OUTSIDE_ENABLEMENT.has(entry.entityType));
  const row = await db
    .insertInto("audit_events")
    .values({
      actor_id: entry.actor?.id ?? null,
      actor_label: entry.actor?.name ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      program_id: entry.programId ?? null,
      summary: entry.summary,
      details: JSON.stringify(scrub(entry.details ?? {})),
      ip: requestIp(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  entityType?: string;
  programId?: string;
  q?: string;
  page: number;
  pageSize: number;
  /** Keyset paging for long lists: only events older than this id (then `page` is ignored). */
  beforeId?: number;
  /** Counting every matching event is costly on a large log; lists that page by keyset skip it. */
  withTotal?: boolean;
}

export async function listAuditEvents(db: DB, filter: AuditFilter) {
  let query = db.selectFrom("audit_events");
  if (filter.action) query = query.where("action", "like", `${escapeLike(filter.action)}%`);
  if (filter.actorId) query = query.where("actor_id", "=", filter.actorId);
  if (filter.entityType) query = query.where("entity_type", "=", filter.entityType);
  if (filter.programId) query = query.where("program_id", "=", filter.programId);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb("summary", "ilike", like), eb("actor_label", "ilike", like)]));
  }
  const columns = [
    "id",
    "at",
    "actor_id as actorId",
    "actor_label as actorLabel",
    "action",
    "entity_type as entityType",
    "entity_id as entityId",
    "program_id as programId",
    "summary",
    "details",
    "ip",
  ] as const;
  if (filter.withTotal === false || filter.beforeId !== undefined) {
    let keyset = query.select(columns);
    if (filter.beforeId !== undefined) keyset = keyset.where("id", "<", filter.beforeId);
    else keyset = keyset.offset((filter.page - 1) * filter.pageSize);
    // One row more than asked tells whether an older page exists.
    const rows = await keyset
      .orderBy("id", "desc")
      .limit(filter.pageSize + 1)
      .execute();
    const events = rows.slice(0, filter.pageSize);
    return { events, total: null, olderBeforeId: rows.length > filter.pageSize ? events.at(-1)!.id : null };
  }
  const rows = await query
    .select([...columns, sql<number>`count(*) over ()::int`.as("total")])
    .orderBy("id", "desc")
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  // Past the last page there is no row to carry the total: count separately (rare).
  const total =
    rows[0]?.total ?? (filter.page > 1 ? (await query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow()).n : 0);
  const events = rows.map(({ total: _t, ...row }) => row);
  return { events, total, olderBeforeId: filter.page * filter.pageSize < total ? (events.at(-1)?.id ?? null) : null };
}

/** The distinct actions, found by hopping through the action index (a loose index scan). */
export async function listAuditActions(db: DB): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    with recursive actions(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select e.action from audit_events e where e.action > a.action order by e.action limit 1)
      from actions a where a.action is not null
    )
    select action from actions where action is not null`.execute(db);
  return rows.map((r) => r.action);
}

/** Only the fields that differ, as { field: { from, to } }, for audit details. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (before[key] !== after[key]) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}
