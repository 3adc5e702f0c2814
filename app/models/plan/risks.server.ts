import { sql } from "kysely";
import type { RiskStatus } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { changedFields } from "~/models/audit/audit.server";
import { resolveOwner, resolveWave } from "~/models/plan/refs.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { UNKNOWN_UNIT_MESSAGE, type RiskInput } from "~/validation/plan-details";
import { FieldError } from "~/models/errors";

// A program's risk register: likelihood 1–5 × impact 1–5 (score = the product), an owner, a
// mitigation and a status. "Active" risks are the ones not closed; the top risks are the open and
// mitigating ones by score. A risk may concern one wave or one unit of the organization.

/** Risks still in play: shown on the heat map. */
export const ACTIVE_RISK_STATUSES: readonly RiskStatus[] = ["open", "mitigating", "accepted"];
/** Risks someone is (or should be) working on: the "top risks". */
export const WORKED_RISK_STATUSES: readonly RiskStatus[] = ["open", "mitigating"];

export type RiskStatusFilter = RiskStatus | "active";

export interface RiskFilter {
  likelihood?: number | null;
  impact?: number | null;
  status?: RiskStatusFilter | null;
  /** A wave id, or "none" for risks tied to no wave. */
  waveId?: string | null;
}

export interface RiskRow {
  id: string;
  title: string;
  description: string;
  likelihood: number;
  impact: number;
  score: number;
  status: RiskStatus;
  mitigation: string;
  ownerPersonId: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  waveId: string | null;
  waveName: string | null;
  unitId: string | null;
  unitName: string | null;
}

function baseQuery(db: DB, programId: string) {
  return db
    .selectFrom("risks as r")
    .leftJoin("people as p", "p.id", "r.owner_person_id")
    .leftJoin("waves as w", "w.id", "r.wave_id")
    .leftJoin("org_units as u", "u.id", "r.unit_id")
    .select([
      "r.id",
      "r.title",
      "r.description",
      "r.likelihood",
      "r.impact",
      sql<number>`(r.likelihood * r.impact)::int`.as("score"),
      "r.status",
      "r.mitigation",
      "r.owner_person_id as ownerPersonId",
      "p.name as ownerName",
      "p.email as ownerEmail",
      "r.wave_id as waveId",
      "w.name as waveName",
      "r.unit_id as unitId",
      "u.name as unitName",
    ])
    .where("r.program_id", "=", programId);
}

/** The program's risks (one query), highest score first. */
export async function listRisks(db: DB, programId: string, filter: RiskFilter = {}): Promise<RiskRow[]> {
  let query = baseQuery(db, programId);
  if (filter.likelihood) query = query.where("r.likelihood", "=", filter.likelihood);
  if (filter.impact) query = query.where("r.impact", "=", filter.impact);
  if (filter.status === "active") query = query.where("r.status", "in", ACTIVE_RISK_STATUSES);
  else if (filter.status) query = query.where("r.status", "=", filter.status);
  if (filter.waveId === "none") query = query.where("r.wave_id", "is", null);
  else if (filter.waveId) query = query.where("r.wave_id", "=", filter.waveId);
  return query
    .orderBy(sql`r.likelihood * r.impact`, "desc")
    .orderBy("r.impact", "desc")
    .orderBy("r.title")
    .orderBy("r.id")
    .execute();
}

export async function getRisk(db: DB, programId: string, id: string): Promise<RiskRow | null> {
  return (await baseQuery(db, programId).where("r.id", "=", id).executeTakeFirst()) ?? null;
}

/** Open and mitigating risks by score (then impact), highest first. */
export async function topRisks(db: DB, programId: string, limit = 5): Promise<RiskRow[]> {
  return baseQuery(db, programId)
    .where("r.status", "in", WORKED_RISK_STATUSES)
    .orderBy(sql`r.likelihood * r.impact`, "desc")
    .orderBy("r.impact", "desc")
    .orderBy("r.title")
    .orderBy("r.id")
    .limit(limit)
    .execute();
}

export interface HeatMapCell {
  likelihood: number;
  impact: number;
  count: number;
}

/** Active (not closed) risks counted per likelihood × impact cell: 25 cells, zeros included. */
export async function riskHeatMap(db: DB, programId: string): Promise<HeatMapCell[]> {
  const rows = await db
    .selectFrom("risks")
    .select(["likelihood", "impact", sql<number>`count(*)::int`.as("count")])
    .where("program_id", "=", programId)
    .where("status", "in", ACTIVE_RISK_STATUSES)
    .groupBy(["likelihood", "impact"])
    .execute();
  const counts = new Map(rows.map((r) => [`${r.likelihood}:${r.impact}`, r.count]));
  const cells: HeatMapCell[] = [];
  for (let likelihood = 5; likelihood >= 1; likelihood--) {
    for (let impact = 1; impact <= 5; impact++) cells.push({ likelihood, impact, count: counts.get(`${likelihood}:${impact}`) ?? 0 });
  }
  return cells;
}

/** How many risks are in each status, and how many active ones score 15 or more. */
export async function riskCounts(db: DB, programId: string): Promise<Record<RiskStatus, number> & { total: number; high: number }> {
  return db
    .selectFrom("risks")
    .select([
      sql<number>`count(*)::int`.as("total"),
      sql<number>`count(*) filter (where status = 'open')::int`.as("open"),
      sql<number>`count(*) filter (where status = 'mitigating')::int`.as("mitigating"),
      sql<number>`count(*) filter (where status = 'accepted')::int`.as("accepted"),
      sql<number>`count(*) filter (where status = 'closed')::int`.as("closed"),
      sql<number>`count(*) filter (where status in ('open', 'mitigating') and likelihood * impact >= 15)::int`.as("high"),
    ])
    .where("program_id", "=", programId)
    .executeTakeFirstOrThrow();
}

async function resolveUnit(db: DB, unitId: string | null) {
  if (!unitId) return null;
  const unit = await db
    .selectFrom("org_units")
    .select(["id", "name"])
    .where("id", "=", unitId)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!unit) throw FieldError.on("unitId", UNKNOWN_UNIT_MESSAGE);
  return unit;
}

function auditView(r: {
  title: string;
  description: string;
  likelihood: number;
  impact: number;
  owner_person_id: string | null;
  mitigation: string;
  status: string;
  wave_id: string | null;
  unit_id: string | null;
}) {
  return {
    title: r.title,
    description: r.description,
    likelihood: r.likelihood,
    impact: r.impact,
    ownerPersonId: r.owner_person_id,
    mitigation: r.mitigation,
    status: r.status,
    waveId: r.wave_id,
    unitId: r.unit_id,
  };
}

export async function createRisk(db: DB, actor: Actor, programId: string, input: RiskInput): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const owner = await resolveOwner(trx, input.ownerEmail);
    const wave = await resolveWave(trx, programId, input.waveId);
    const unit = await resolveUnit(trx, input.unitId);
    const created = await trx
      .insertInto("risks")
      .values({
        id: crypto.randomUUID(),
        program_id: programId,
        title: input.title,
        description: input.description,
        likelihood: input.likelihood,
        impact: input.impact,
        owner_person_id: owner?.id ?? null,
        mitigation: input.mitigation,
        status: input.status,
        wave_id: wave?.id ?? null,
        unit_id: unit?.id ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: "risk.created",
      entityType: "risk",
      entityId: created.id,
      programId,
      summary: `Logged risk “${created.title}” (likelihood ${created.likelihood} × impact ${created.impact} = ${created.likelihood * created.impact})`,
      details: { ...auditView(created), ownerName: owner?.name ?? null, waveName: wave?.name ?? null, unitName: unit?.name ?? null },
    });
    return { id: created.id };
  });
}

export async function updateRisk(db: DB, actor: Actor, programId: string, id: string, input: RiskInput): Promise<{ id: string } | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("risks")
      .selectAll()
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    const owner = await resolveOwner(trx, input.ownerEmail);
    const wave = await resolveWave(trx, programId, input.waveId);
    const unit = await resolveUnit(trx, input.unitId);
    const after = await trx
      .updateTable("risks")
      .set({
        title: input.title,
        description: input.description,
        likelihood: input.likelihood,
        impact: input.impact,
        owner_person_id: owner?.id ?? null,
        mitigation: input.mitigation,
        status: input.status,
        wave_id: wave?.id ?? null,
        unit_id: unit?.id ?? null,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changes = changedFields(auditView(before), auditView(after));
    if (Object.keys(changes).length > 0) {
      const closed = before.status !== "closed" && after.status === "closed";
      await recordAudit(trx, {
        actor,
        action: closed ? "risk.closed" : "risk.updated",
        entityType: "risk",
        entityId: id,
        programId,
        summary: closed ? `Closed risk “${after.title}”` : `Updated risk “${after.title}”: ${Object.keys(changes).join(", ")}`,
        details: changes,
      });
    }
    return { id };
  });
}

/** Sets a risk's status to closed; returns its title, or null when it is not in this program. */
export async function closeRisk(db: DB, actor: Actor, programId: string, id: string): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("risks")
      .select(["title", "status"])
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    if (before.status === "closed") return before.title;
    await trx.updateTable("risks").set({ status: "closed", updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "risk.closed",
      entityType: "risk",
      entityId: id,
      programId,
      summary: `Closed risk “${before.title}”`,
      details: { status: { from: before.status, to: "closed" } },
    });
    return before.title;
  });
}

export async function deleteRisk(db: DB, actor: Actor, programId: string, id: string): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("risks")
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) return null;
    await recordAudit(trx, {
      actor,
      action: "risk.deleted",
      entityType: "risk",
      entityId: id,
      programId,
      summary: `Deleted risk “${removed.title}”`,
      details: auditView(removed),
    });
    return removed.title;
  });
}
