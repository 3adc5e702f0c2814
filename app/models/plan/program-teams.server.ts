import { sql, type OrderByModifiersCallbackExpression, type SqlBool } from "kysely";
import { ONBOARDING_STATUSES, type OnboardingStatus } from "../../../db/schema";
import { teamWithoutLead, unitSubtree } from "~/models/org/org.server";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { ONBOARDING_STATUS_LABELS, type ProgramTeamSort } from "~/validation/plan";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import * as dates from "~/utils/dates";
import type { CsvRecord } from "~/utils/csv";

// Each team's place in a program's rollout plan: its wave and onboarding status. A team without
// a program_teams row is "not started, no wave": every active team of the organization is a
// candidate, so rows are upserted only when the PLO assigns a wave or changes a status, and bulk
// changes are single set-based statements (one statement for 2,000 teams, one audit event).

export interface ProgramTeamRow {
  id: string;
  name: string;
  size: number | null;
  unitId: string;
  unitName: string;
  leadName: string | null;
  leadEmail: string | null;
  waveId: string | null;
  waveName: string | null;
  status: OnboardingStatus;
  statusChangedOn: string | null;
}

/** The list's filters, as named in the URL: wave (id | "none"), status, unit (with sub-units), lead ("yes" | "no"). */
export interface TeamFilters {
  q?: string;
  wave?: string;
  status?: string;
  unit?: string;
  lead?: string;
}

/** Who a bulk action applies to: chosen teams, whole units (with sub-units), or every team matching the list's filters. */
export type TeamTarget = { teamIds: readonly string[] } | { unitIds: readonly string[] } | { matching: TeamFilters };

const statusExpr = sql<OnboardingStatus>`coalesce(pt.status, 'not_started')`;
const statusOrder = sql<number>`case coalesce(pt.status, 'not_started') ${sql.join(
  ONBOARDING_STATUSES.map((s, i) => sql`when ${sql.lit(s)} then ${sql.lit(i)}`),
  sql` `,
)} else ${sql.lit(ONBOARDING_STATUSES.length)} end`;

/** Active teams (not archived, in an active unit) with their unit, lead, and place in the program. */
function teamsInPlan(db: DB, programId: string) {
  return db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("people as p", (join) => join.onRef("p.id", "=", "t.lead_person_id").on("p.archived_at", "is", null))
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null);
}

type TeamsQuery = ReturnType<typeof teamsInPlan>;

function applyFilters(query: TeamsQuery, filters: TeamFilters): TeamsQuery {
  let q = query;
  if (filters.wave === "none") q = q.where("pt.wave_id", "is", null);
  else if (filters.wave) q = q.where("pt.wave_id", "=", filters.wave);
  if (filters.status && (ONBOARDING_STATUSES as readonly string[]).includes(filters.status)) {
    q = q.where(statusExpr, "=", filters.status as OnboardingStatus);
  }
  if (filters.unit) q = q.where("t.unit_id", "in", unitSubtree([filters.unit]));
  if (filters.lead === "yes") q = q.where("p.id", "is not", null);
  else if (filters.lead === "no") q = q.where("p.id", "is", null);
  if (filters.q) {
    const like = likePattern(filters.q);
    q = q.where((eb) =>
      eb.or([eb("t.name", "ilike", like), eb("u.name", "ilike", like), eb("p.name", "ilike", like), eb("w.name", "ilike", like)]),
    );
  }
  return q;
}

function filtersOf(params: Pick<ListParams, "q" | "filters">): TeamFilters {
  return { q: params.q, ...params.filters };
}

function selectRows(query: TeamsQuery, sort: ProgramTeamSort, dir: "asc" | "desc") {
  const ordered = (() => {
    const by = query.select([
      "t.id",
      "t.name",
      "t.size",
      "u.id as unitId",
      "u.name as unitName",
      "p.name as leadName",
      "p.email as leadEmail",
      "pt.wave_id as waveId",
      "w.name as waveName",
      statusExpr.as("status"),
      "pt.status_changed_on as statusChangedOn",
    ]);
    // Teams without a wave (or a status date) come last in either direction.
    const nullsLast: OrderByModifiersCallbackExpression = (ob) => (dir === "asc" ? ob.asc() : ob.desc()).nullsLast();
    switch (sort) {
      case "unit":
        return by.orderBy(sql`lower(u.name)`, dir);
      case "wave":
        return by.orderBy("w.position", nullsLast).orderBy(sql`lower(w.name)`, dir);
      case "status":
        return by.orderBy(statusOrder, dir);
      case "changed":
        return by.orderBy("pt.status_changed_on", nullsLast);
      default:
        return by;
    }
  })();
  // The team's name (then id) breaks ties, so paging is stable.
  return ordered.orderBy(sql`lower(t.name)`, sort === "team" ? dir : "asc").orderBy("t.id");
}

/** One page of the program's teams, filtered and sorted as the URL says (one query). */
export async function listProgramTeams(db: DB, programId: string, params: ListParams<ProgramTeamSort>): Promise<Page<ProgramTeamRow>> {
  const query = selectRows(applyFilters(teamsInPlan(db, programId), filtersOf(params)), params.sort, params.dir);
  const page = await fetchPage(query, params);
  return { ...page, rows: page.rows.map((r) => ({ ...r, size: r.size === null ? null : Number(r.size) })) };
}

/** Every team matching the URL's filters, in the list's order (for the CSV export). */
export async function allProgramTeams(
  db: DB,
  programId: string,
  params: Pick<ListParams<ProgramTeamSort>, "q" | "filters" | "sort" | "dir">,
) {
  return selectRows(applyFilters(teamsInPlan(db, programId), filtersOf(params)), params.sort, params.dir).execute();
}

export const PROGRAM_TEAM_CSV_COLUMNS = ["team", "unit", "lead", "lead_email", "size", "wave", "status", "status_changed_on"] as const;

/** The program's team list as CSV rows (for `csvResponse` with PROGRAM_TEAM_CSV_COLUMNS). */
export function programTeamCsvRows(
  rows: ProgramTeamRow[] | Awaited<ReturnType<typeof allProgramTeams>>,
): CsvRecord<(typeof PROGRAM_TEAM_CSV_COLUMNS)[number]>[] {
  return rows.map((r) => ({
    team: r.name,
    unit: r.unitName,
    lead: r.leadName ?? "",
    lead_email: r.leadEmail ?? "",
    size: r.size ?? "",
    wave: r.waveName ?? "",
    status: ONBOARDING_STATUS_LABELS[r.status],
    status_changed_on: r.statusChangedOn ?? "",
  }));
}

// ---------------------------------------------------------------------------------------------
// Bulk changes

/** The ids a target names, as a subquery (for set-based writes), after checking the named ids exist. */
async function resolveTarget(db: DB, programId: string, target: TeamTarget) {
  if ("teamIds" in target) {
    const ids = [...new Set(target.teamIds)];
    if (ids.length === 0) throw new FieldError({ teamId: "Select at least one team." });
    const subquery = db
      .selectFrom("teams as t")
      .innerJoin("org_units as u", "u.id", "t.unit_id")
      .select("t.id")
      .where("t.id", "in", ids)
      .where("t.archived_at", "is", null)
      .where("u.archived_at", "is", null);
    const found = await subquery.execute();
    if (found.length !== ids.length) {
      throw new FieldError({ teamId: "Some selected teams do not exist (or were archived). Reload the list and try again." });
    }
    return { subquery, teamIds: found.map((r) => r.id), scope: "selected" as const };
  }
  if ("unitIds" in target) {
    const ids = [...new Set(target.unitIds)];
    const units = ids.length
      ? await db.selectFrom("org_units").select("id").where("id", "in", ids).where("archived_at", "is", null).execute()
      : [];
    if (ids.length === 0 || units.length !== ids.length) throw new FieldError({ unitId: "Choose one of the listed units." });
    const subquery = teamsInPlan(db, programId).select("t.id").where("t.unit_id", "in", unitSubtree(ids));
    return { subquery, teamIds: (await subquery.execute()).map((r) => r.id), scope: "unit" as const };
  }
  const subquery = applyFilters(teamsInPlan(db, programId), target.matching).select("t.id");
  return { subquery, teamIds: (await subquery.execute()).map((r) => r.id), scope: "all-matching" as const };
}

async function requireProgramWave(db: DB, programId: string, waveId: string) {
  const wave = await db
    .selectFrom("waves")
    .select(["id", "name"])
    .where("id", "=", waveId)
    .where("program_id", "=", programId)
    .executeTakeFirst();
  if (!wave) throw new FieldError({ waveId: "Choose one of this program's waves." });
  return wave;
}

export interface BulkResult {
  /** Teams the action named. */
  matched: number;
  /** Teams that actually changed (the others were there already). */
  changed: number;
  /** The audit event of the change (what "Undo" names), null when nothing changed. */
  auditId: number | null;
}

/** Statuses of a team under way in its wave: moving it to another wave disrupts its rollout. */
export const UNDER_WAY_STATUSES: readonly OnboardingStatus[] = ["onboarding", "first_cycle", "running"];

export interface BulkPreview {
  /** Teams the action names. */
  matched: number;
  /** Already in the wave (or with the status): skipped. */
  already: number;
  /** Teams under way in another wave that would leave it (wave assignment only). */
  leaving: number;
  /** Teams that would change. */
  changing: number;
}

/**
 * What a bulk wave assignment would do, counted exactly on the server: one query after the
 * target is resolved. The bar states it, and a move of teams under way asks for confirmation.
 */
export async function previewAssign(db: DB, programId: string, target: TeamTarget, waveId: string | null): Promise<BulkPreview> {
  if (waveId !== null) await requireProgramWave(db, programId, waveId);
  const { subquery, teamIds } = await resolveTarget(db, programId, target);
  if (teamIds.length === 0) return { matched: 0, already: 0, leaving: 0, changing: 0 };
  const row = await db
    .selectFrom("teams as t")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .select([
      sql<number>`count(*)::int`.as("matched"),
      sql<number>`(count(*) filter (where pt.wave_id is not distinct from ${waveId}::text))::int`.as("already"),
      sql<number>`(count(*) filter (where pt.wave_id is not null and pt.wave_id is distinct from ${waveId}::text
        and pt.status in (${sql.join([...UNDER_WAY_STATUSES])})))::int`.as("leaving"),
    ])
    .where("t.id", "in", subquery)
    .executeTakeFirstOrThrow();
  const matched = Number(row.matched);
  const already = Number(row.already);
  return { matched, already, leaving: Number(row.leaving), changing: matched - already };
}

/** What a bulk status change would do (one query after the target is resolved). */
export async function previewStatus(db: DB, programId: string, target: TeamTarget, status: OnboardingStatus): Promise<BulkPreview> {
  const { subquery, teamIds } = await resolveTarget(db, programId, target);
  if (teamIds.length === 0) return { matched: 0, already: 0, leaving: 0, changing: 0 };
  const row = await db
    .selectFrom("teams as t")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .select([
      sql<number>`count(*)::int`.as("matched"),
      sql<number>`(count(*) filter (where coalesce(pt.status, 'not_started') = ${status}))::int`.as("already"),
    ])
    .where("t.id", "in", subquery)
    .executeTakeFirstOrThrow();
  const matched = Number(row.matched);
  const already = Number(row.already);
  return { matched, already, leaving: 0, changing: matched - already };
}

const teamsWord = (n: number) => `${n.toLocaleString("en")} team${n === 1 ? "" : "s"}`;

/** Puts the targeted teams into a wave (or, with `waveId` null, out of their wave): one statement. */
export async function assignWave(db: DB, actor: Actor, programId: string, target: TeamTarget, waveId: string | null): Promise<BulkResult> {
  return inTransaction(db, async (trx) => {
    const wave = waveId === null ? null : await requireProgramWave(trx, programId, waveId);
    const { subquery, teamIds, scope } = await resolveTarget(trx, programId, target);
    if (teamIds.length === 0) return { matched: 0, changed: 0, auditId: null };
    // Each team's wave before the change, for "Undo" (teams without a row had none).
    const beforeRows = await trx
      .selectFrom("program_teams")
      .select(["team_id", "wave_id"])
      .where("program_id", "=", programId)
      .where("team_id", "in", subquery)
      .execute();
    const waveBefore = new Map(beforeRows.map((r) => [r.team_id, r.wave_id]));
    const changedRows = wave
      ? await trx
          .insertInto("program_teams")
          .columns(["program_id", "team_id", "wave_id", "updated_at"])
          .expression(
            trx
              .selectFrom("teams")
              .select([sql.val(programId).as("program_id"), "id", sql.val(wave.id).as("wave_id"), sql<Date>`now()`.as("updated_at")])
              .where("id", "in", subquery),
          )
          .onConflict((oc) =>
            oc
              .columns(["program_id", "team_id"])
              .doUpdateSet({ wave_id: (eb) => eb.ref("excluded.wave_id"), updated_at: (eb) => eb.ref("excluded.updated_at") })
              .where(sql<SqlBool>`program_teams.wave_id is distinct from excluded.wave_id`),
          )
          .returning("team_id")
          .execute()
      : await trx
          .updateTable("program_teams")
          .set({ wave_id: null, updated_at: new Date() })
          .where("program_id", "=", programId)
          .where("wave_id", "is not", null)
          .where("team_id", "in", subquery)
          .returning("team_id")
          .execute();
    const changed = changedRows.map((r) => r.team_id);
    let auditId: number | null = null;
    if (changed.length > 0) {
      auditId = await recordAudit(trx, {
        actor,
        action: wave ? "plan.teams_assigned" : "plan.teams_unassigned",
        entityType: wave ? "wave" : "program",
        entityId: wave?.id ?? programId,
        programId,
        summary: wave
          ? `Assigned ${teamsWord(changed.length)} to wave “${wave.name}”`
          : `Took ${teamsWord(changed.length)} out of their wave`,
        details: {
          waveId: wave?.id ?? null,
          waveName: wave?.name ?? null,
          scope,
          ...scopeDetails(target),
          count: changed.length,
          teamIds: changed,
          before: Object.fromEntries(changed.map((id) => [id, waveBefore.get(id) ?? null])),
        },
      });
    }
    return { matched: teamIds.length, changed: changed.length, auditId };
  });
}

function scopeDetails(target: TeamTarget): Record<string, unknown> {
  if ("unitIds" in target) return { unitIds: target.unitIds };
  if ("matching" in target) return { filters: target.matching };
  return {};
}

/**
 * Sets the onboarding status of the targeted teams as of `changedOn` (default today; may be
 * backdated), recording one team_status_changes row per team whose status really changes: one
 * statement (a data-modifying CTE) whatever the number of teams.
 */
export async function setStatus(
  db: DB,
  actor: Actor,
  programId: string,
  target: TeamTarget,
  status: OnboardingStatus,
  changedOn: string | null = null,
): Promise<BulkResult> {
  const on = changedOn ?? dates.today();
  return inTransaction(db, async (trx) => {
    const { subquery, teamIds, scope } = await resolveTarget(trx, programId, target);
    if (teamIds.length === 0) return { matched: 0, changed: 0, auditId: null };
    const beforeRows = await trx
      .selectFrom("program_teams")
      .select(["team_id", "status", "status_changed_on"])
      .where("program_id", "=", programId)
      .where("team_id", "in", subquery)
      .execute();
    const statusBefore = new Map(beforeRows.map((r) => [r.team_id, [r.status, r.status_changed_on] as const]));
    const { rows } = await sql<{ id: number; team_id: string }>`
      with target as (
        select t.id as team_id, coalesce(pt.status, 'not_started') as from_status
        from teams t
        left join program_teams pt on pt.team_id = t.id and pt.program_id = ${programId}
        where t.id in ${subquery}
      ),
      changed as (
        insert into program_teams (program_id, team_id, status, status_changed_on, updated_at)
        select ${programId}, team_id, ${status}, ${on}::date, now() from target where from_status <> ${status}
        on conflict (program_id, team_id) do update
          set status = excluded.status, status_changed_on = excluded.status_changed_on, updated_at = excluded.updated_at
        returning team_id
      )
      insert into team_status_changes (program_id, team_id, from_status, to_status, changed_on, changed_by)
      select ${programId}, target.team_id, target.from_status, ${status}, ${on}::date, ${actor.id}
      from target join changed on changed.team_id = target.team_id
      returning id, team_id`.execute(trx);
    const changed = rows.map((r) => r.team_id);
    let auditId: number | null = null;
    if (changed.length > 0) {
      auditId = await recordAudit(trx, {
        actor,
        action: "plan.team_status_changed",
        entityType: "program",
        entityId: programId,
        programId,
        summary: `Set ${teamsWord(changed.length)} to “${ONBOARDING_STATUS_LABELS[status]}” as of ${on}`,
        details: {
          status,
          changedOn: on,
          scope,
          ...scopeDetails(target),
          count: changed.length,
          teamIds: changed,
          // For "Undo": each team's status and its date before (null: no row, "not started"), and the history rows added.
          before: Object.fromEntries(changed.map((id) => [id, statusBefore.get(id) ?? null])),
          changeIds: rows.map((r) => Number(r.id)),
        },
      });
    }
    return { matched: teamIds.length, changed: changed.length, auditId };
  });
}

/** How long a bulk change can be undone from the list (BULK_UNDO_SECONDS, default 5 minutes). */
export function bulkUndoWindowMs(): number {
  const seconds = Number(process.env.BULK_UNDO_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 1000;
}

export const BULK_UNDO_EXPIRED = "The time to undo this change has passed. Change the teams again instead.";
const UNDOABLE = ["plan.teams_assigned", "plan.teams_unassigned", "plan.team_status_changed"];

/** A bulk change the actor may still undo (their own, in the window, not undone yet), or null. One query. */
export async function undoableBulkChange(
  db: DB,
  actor: Actor,
  programId: string,
  auditId: number,
  windowMs: number = bulkUndoWindowMs(),
): Promise<{ id: number; summary: string } | null> {
  const row = await db
    .selectFrom("audit_events as e")
    .select(["e.id", "e.summary", "e.at"])
    .where("e.id", "=", auditId)
    .where("e.program_id", "=", programId)
    .where("e.actor_id", "=", actor.id)
    .where("e.action", "in", UNDOABLE)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("audit_events as u")
            .select("u.id")
            .where("u.action", "=", "plan.bulk_undone")
            .where("u.entity_id", "=", String(auditId)),
        ),
      ),
    )
    .executeTakeFirst();
  if (!row || Date.now() - new Date(row.at).getTime() > windowMs) return null;
  return { id: Number(row.id), summary: row.summary };
}

/**
 * Takes back a bulk change of one's own within the undo window: each team's wave (or status and
 * its date) as it was, and the status history rows the change added. A team changed again since
 * keeps its newer state. Once only (a second undo is a 409). Returns how many teams went back.
 */
export async function undoBulkChange(
  db: DB,
  actor: Actor,
  programId: string,
  auditId: number,
  windowMs: number = bulkUndoWindowMs(),
  now: Date = new Date(),
): Promise<{ restored: number; summary: string }> {
  return inTransaction(db, async (trx) => {
    const event = await trx
      .selectFrom("audit_events")
      .select(["id", "action", "actor_id", "at", "details", "summary"])
      .where("id", "=", auditId)
      .where("program_id", "=", programId)
      .where("action", "in", UNDOABLE)
      .executeTakeFirst();
    if (!event) throw new NotFoundError("This change does not exist in this program.");
    if (event.actor_id !== actor.id) throw new ForbiddenError("You can undo only your own changes.");
    if (now.getTime() - new Date(event.at).getTime() > windowMs) throw new ConflictError(BULK_UNDO_EXPIRED);
    const undone = await trx
      .selectFrom("audit_events")
      .select("id")
      .where("action", "=", "plan.bulk_undone")
      .where("entity_id", "=", String(auditId))
      .executeTakeFirst();
    if (undone) throw new ConflictError("This change was undone already.");
    const details = (typeof event.details === "string" ? JSON.parse(event.details) : event.details) as {
      waveId?: string | null;
      status?: OnboardingStatus;
      before?: Record<string, unknown>;
      changeIds?: number[];
    };
    const before = details.before ?? {};
    const teamIds = Object.keys(before);
    let restored = 0;
    if (teamIds.length > 0 && event.action === "plan.team_status_changed") {
      const rows = teamIds.map((id) => {
        const was = before[id] as [OnboardingStatus, string | null] | null;
        return { team_id: id, status: was ? was[0] : "not_started", changed_on: was ? was[1] : null };
      });
      const result = await sql<{ team_id: string }>`
        update program_teams pt set status = b.status, status_changed_on = b.changed_on::date, updated_at = now()
        from json_to_recordset(${JSON.stringify(rows)}::json) as b(team_id text, status text, changed_on text)
        where pt.program_id = ${programId} and pt.team_id = b.team_id and pt.status = ${details.status ?? ""}
        returning pt.team_id`.execute(trx);
      restored = result.rows.length;
      if (details.changeIds?.length) {
        await trx.deleteFrom("team_status_changes").where("program_id", "=", programId).where("id", "in", details.changeIds).execute();
      }
    } else if (teamIds.length > 0) {
      const rows = teamIds.map((id) => ({ team_id: id, wave_id: (before[id] as string | null) ?? null }));
      const result = await sql<{ team_id: string }>`
        update program_teams pt set wave_id = b.wave_id, updated_at = now()
        from json_to_recordset(${JSON.stringify(rows)}::json) as b(team_id text, wave_id text)
        where pt.program_id = ${programId} and pt.team_id = b.team_id
          and pt.wave_id is not distinct from ${details.waveId ?? null}::text
        returning pt.team_id`.execute(trx);
      restored = result.rows.length;
    }
    const summary = `Undid “${event.summary}”: ${teamsWord(restored)} back as ${restored === 1 ? "it was" : "they were"}`;
    await recordAudit(trx, {
      actor,
      action: "plan.bulk_undone",
      entityType: "audit_event",
      entityId: String(auditId),
      programId,
      summary,
      details: { undoOf: auditId, restored, teamIds },
    });
    return { restored, summary };
  });
}

// ---------------------------------------------------------------------------------------------
// Overview figures and single-team views

export interface WaveStatusCount {
  waveId: string | null;
  status: OnboardingStatus;
  count: number;
  /** Of those, the teams without an (active) lead. */
  withoutLead: number;
}

/** Active teams counted by wave × status (waveId null = no wave), in one query. */
export async function teamCountsByWaveAndStatus(db: DB, programId: string): Promise<WaveStatusCount[]> {
  const rows = await db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null)
    .select([
      "pt.wave_id as waveId",
      statusExpr.as("status"),
      sql<number>`count(*)::int`.as("count"),
      sql<number>`(count(*) filter (where ${teamWithoutLead}))::int`.as("withoutLead"),
    ])
    .groupBy(["pt.wave_id", statusExpr])
    .execute();
  return rows.map((r) => ({ waveId: r.waveId, status: r.status, count: Number(r.count), withoutLead: Number(r.withoutLead) }));
}

/** Pivots the counts: per wave id ("none" for no wave) the count per status and the total. */
export function pivotCounts(counts: WaveStatusCount[]) {
  const byWave: Record<string, Record<OnboardingStatus, number> & { total: number }> = {};
  for (const c of counts) {
    const key = c.waveId ?? "none";
    byWave[key] ??= { not_started: 0, onboarding: 0, first_cycle: 0, running: 0, self_sufficient: 0, total: 0 };
    byWave[key][c.status] += c.count;
    byWave[key].total += c.count;
  }
  return byWave;
}

export interface TeamPlace {
  teamId: string;
  teamName: string;
  unitName: string;
  leadName: string | null;
  leadUserId: string | null;
  waveId: string | null;
  waveName: string | null;
  waveStartsOn: string | null;
  waveEndsOn: string | null;
  waveGoal: string | null;
  status: OnboardingStatus;
  statusChangedOn: string | null;
}

function placeQuery(db: DB, programId: string) {
  return teamsInPlan(db, programId).select([
    "t.id as teamId",
    "t.name as teamName",
    "u.name as unitName",
    "p.name as leadName",
    "p.user_id as leadUserId",
    "pt.wave_id as waveId",
    "w.name as waveName",
    "w.starts_on as waveStartsOn",
    "w.ends_on as waveEndsOn",
    "w.goal as waveGoal",
    statusExpr.as("status"),
    "pt.status_changed_on as statusChangedOn",
  ]);
}

/** The teams a user leads (through their person record), with their wave and status in the program. */
export async function getTeamLeadView(db: DB, userId: string, programId: string): Promise<TeamPlace[]> {
  return placeQuery(db, programId)
    .where("p.user_id", "=", userId)
    .orderBy(sql`lower(t.name)`)
    .orderBy("t.id")
    .execute();
}

/** Some active teams' places in the plan (for a team lead's or member's home), in one query. */
export async function getTeamPlaces(db: DB, programId: string, teamIds: readonly string[]): Promise<TeamPlace[]> {
  if (teamIds.length === 0) return [];
  return placeQuery(db, programId)
    .where("t.id", "in", [...teamIds])
    .orderBy(sql`lower(t.name)`)
    .orderBy("t.id")
    .execute();
}

export interface StatusChange {
  id: number;
  fromStatus: OnboardingStatus;
  toStatus: OnboardingStatus;
  changedOn: string;
  changedByName: string | null;
  at: Date;
}

/** One active team's place in the plan and its status history (newest first); null if no such team. */
export async function getTeamPlace(
  db: DB,
  programId: string,
  teamId: string,
): Promise<{ place: TeamPlace; history: StatusChange[] } | null> {
  const place = await placeQuery(db, programId).where("t.id", "=", teamId).executeTakeFirst();
  if (!place) return null;
  const history = await db
    .selectFrom("team_status_changes as c")
    .leftJoin("users as usr", "usr.id", "c.changed_by")
    .select([
      "c.id",
      "c.from_status as fromStatus",
      "c.to_status as toStatus",
      "c.changed_on as changedOn",
      "usr.name as changedByName",
      "c.at",
    ])
    .where("c.program_id", "=", programId)
    .where("c.team_id", "=", teamId)
    .orderBy("c.changed_on", "desc")
    .orderBy("c.id", "desc")
    .execute();
  return { place, history: history.map((h) => ({ ...h, id: Number(h.id) })) };
}
