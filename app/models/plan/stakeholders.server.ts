import { sql } from "kysely";
import type { Attitude, Level } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { changedFields } from "~/models/audit/audit.server";
import { findActivePerson } from "~/models/plan/refs.server";
import { inTransaction, type DB } from "~/utils/db.server";
import {
  DUPLICATE_STAKEHOLDER_MESSAGE,
  NO_PERSON_MESSAGE,
  QUADRANTS,
  quadrantOf,
  type QuadrantId,
  type StakeholderInput,
} from "~/validation/plan-details";
import { FieldError, duplicateAsFieldError } from "~/models/errors";

// A program's stakeholders: people of the organization with their influence and interest (the
// 2×2 grid), attitude to the rollout, how they are kept informed and how often. A contact is
// overdue when the person was never contacted, or the last contact plus the interval is before
// today. One stakeholder row per person and program (a unique index guards it).

export interface StakeholderRow {
  id: string;
  personId: string;
  name: string;
  email: string;
  title: string;
  unitName: string | null;
  influence: Level;
  interest: Level;
  quadrant: QuadrantId;
  /** Null when the viewer may not see attitudes (everyone but the PLO and admins: see hideAttitude). */
  attitude: Attitude | null;
  communicationPlan: string;
  contactEveryDays: number;
  lastContactOn: string | null;
  /** Last contact + interval; null when never contacted. */
  nextContactOn: string | null;
  overdue: boolean;
}

export interface StakeholderFilter {
  quadrant?: QuadrantId | null;
  attitude?: Attitude | null;
  overdue?: boolean;
}

function baseQuery(db: DB, programId: string, today: string) {
  return db
    .selectFrom("stakeholders as s")
    .innerJoin("people as p", "p.id", "s.person_id")
    .leftJoin("org_units as u", "u.id", "p.unit_id")
    .select([
      "s.id",
      "s.person_id as personId",
      "p.name",
      "p.email",
      "p.title",
      "u.name as unitName",
      "s.influence",
      "s.interest",
      "s.attitude",
      "s.communication_plan as communicationPlan",
      "s.contact_every_days as contactEveryDays",
      "s.last_contact_on as lastContactOn",
      sql<string | null>`(s.last_contact_on + s.contact_every_days)`.as("nextContactOn"),
      sql<boolean>`(s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)`.as("overdue"),
    ])
    .where("s.program_id", "=", programId);
}

/**
 * A stakeholder's attitude ("Sceptic"…) is the PLO's working knowledge: pages and exports for
 * anyone without `stakeholders:attitudes` pass every row through this.
 */
export function hideAttitude<T extends { attitude: Attitude | null }>(row: T): T {
  return { ...row, attitude: null };
}

type Base = Omit<StakeholderRow, "quadrant" | "attitude"> & { attitude: Attitude };
const withQuadrant = (row: Base): StakeholderRow => ({
  ...row,
  overdue: Boolean(row.overdue),
  quadrant: quadrantOf(row.influence, row.interest),
});

/** Every stakeholder of the program (one query), by name. */
export async function listStakeholders(
  db: DB,
  programId: string,
  today: string,
  filter: StakeholderFilter = {},
): Promise<StakeholderRow[]> {
  let query = baseQuery(db, programId, today);
  if (filter.quadrant) {
    const q = QUADRANTS.find((x) => x.id === filter.quadrant)!;
    query = query.where("s.influence", "=", q.influence).where("s.interest", "=", q.interest);
  }
  if (filter.attitude) query = query.where("s.attitude", "=", filter.attitude);
  if (filter.overdue)
    query = query.where(sql<boolean>`(s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)`);
  const rows = await query
    .orderBy(sql`lower(p.name)`)
    .orderBy("s.id")
    .execute();
  return rows.map(withQuadrant);
}

export async function getStakeholder(db: DB, programId: string, id: string, today: string): Promise<StakeholderRow | null> {
  const row = await baseQuery(db, programId, today).where("s.id", "=", id).executeTakeFirst();
  return row ? withQuadrant(row) : null;
}

/**
 * Who to contact next: overdue ones first (never contacted, then the longest overdue), then the
 * ones due soonest.
 */
export async function stakeholdersToContact(db: DB, programId: string, today: string, limit = 5): Promise<StakeholderRow[]> {
  const rows = await baseQuery(db, programId, today)
    .orderBy(sql`(s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)`, "desc")
    .orderBy(sql`(s.last_contact_on + s.contact_every_days)`, (ob) => ob.asc().nullsFirst())
    .orderBy(sql`lower(p.name)`)
    .limit(limit)
    .execute();
  return rows.map(withQuadrant);
}

/** How many stakeholders there are and how many are overdue for a contact. */
export async function stakeholderCounts(
  db: DB,
  programId: string,
  today: string,
): Promise<{ total: number; overdue: number; sceptics: number }> {
  return db
    .selectFrom("stakeholders as s")
    .select([
      sql<number>`count(*)::int`.as("total"),
      sql<number>`count(*) filter (where s.last_contact_on is null or s.last_contact_on + s.contact_every_days < ${today}::date)::int`.as(
        "overdue",
      ),
      sql<number>`count(*) filter (where s.attitude = 'sceptic')::int`.as("sceptics"),
    ])
    .where("s.program_id", "=", programId)
    .executeTakeFirstOrThrow();
}

async function resolvePerson(db: DB, programId: string, email: string, exceptId: string | null) {
  const person = await findActivePerson(db, email);
  if (!person) throw FieldError.on("personEmail", NO_PERSON_MESSAGE);
  let dup = db.selectFrom("stakeholders").select("id").where("program_id", "=", programId).where("person_id", "=", person.id);
  if (exceptId) dup = dup.where("id", "<>", exceptId);
  if (await dup.executeTakeFirst()) throw FieldError.on("personEmail", DUPLICATE_STAKEHOLDER_MESSAGE);
  return person;
}

function auditView(s: {
  person_id: string;
  influence: string;
  interest: string;
  attitude: string;
  communication_plan: string;
  contact_every_days: number;
  last_contact_on: string | null;
}) {
  return {
    personId: s.person_id,
    influence: s.influence,
    interest: s.interest,
    attitude: s.attitude,
    communicationPlan: s.communication_plan,
    contactEveryDays: s.contact_every_days,
    lastContactOn: s.last_contact_on,
  };
}

/** Adds a stakeholder; unknown person or a person already listed is a PlanFieldError on personEmail. */
export async function createStakeholder(db: DB, actor: Actor, programId: string, input: StakeholderInput): Promise<{ id: string }> {
  try {
    return await inTransaction(db, async (trx) => {
      const person = await resolvePerson(trx, programId, input.personEmail, null);
      const created = await trx
        .insertInto("stakeholders")
        .values({
          id: crypto.randomUUID(),
          program_id: programId,
          person_id: person.id,
          influence: input.influence,
          interest: input.interest,
          attitude: input.attitude,
          communication_plan: input.communicationPlan,
          contact_every_days: input.contactEveryDays,
          last_contact_on: input.lastContactOn,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor,
        action: "stakeholder.added",
        entityType: "stakeholder",
        entityId: created.id,
        programId,
        summary: `Added stakeholder ${person.name} (${quadrantLabel(created.influence, created.interest)}, ${created.attitude})`,
        details: { ...auditView(created), name: person.name, email: person.email },
      });
      return { id: created.id };
    });
  } catch (error) {
    // Two PLO members adding the same person at the same moment: the unique index decides.
    throw duplicateAsFieldError(error, "personEmail", DUPLICATE_STAKEHOLDER_MESSAGE);
  }
}

function quadrantLabel(influence: Level, interest: Level): string {
  return QUADRANTS.find((q) => q.id === quadrantOf(influence, interest))!.label.toLowerCase();
}

/** Saves the form; null when the stakeholder is not in this program. */
export async function updateStakeholder(
  db: DB,
  actor: Actor,
  programId: string,
  id: string,
  input: StakeholderInput,
): Promise<{ id: string } | null> {
  try {
    return await inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom("stakeholders")
        .selectAll()
        .where("id", "=", id)
        .where("program_id", "=", programId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) return null;
      const person = await resolvePerson(trx, programId, input.personEmail, id);
      const after = await trx
        .updateTable("stakeholders")
        .set({
          person_id: person.id,
          influence: input.influence,
          interest: input.interest,
          attitude: input.attitude,
          communication_plan: input.communicationPlan,
          contact_every_days: input.contactEveryDays,
          last_contact_on: input.lastContactOn,
          updated_at: new Date(),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const changes = changedFields(auditView(before), auditView(after));
      if (Object.keys(changes).length > 0) {
        await recordAudit(trx, {
          actor,
          action: "stakeholder.updated",
          entityType: "stakeholder",
          entityId: id,
          programId,
          summary: `Updated stakeholder ${person.name}: ${Object.keys(changes).join(", ")}`,
          details: changes,
        });
      }
      return { id };
    });
  } catch (error) {
    throw duplicateAsFieldError(error, "personEmail", DUPLICATE_STAKEHOLDER_MESSAGE);
  }
}

/** Records a contact on `on` (today). Returns the person's name, or null when not in this program. */
export async function markContacted(db: DB, actor: Actor, programId: string, id: string, on: string): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("stakeholders as s")
      .innerJoin("people as p", "p.id", "s.person_id")
      .select(["s.id", "s.last_contact_on", "p.name"])
      .where("s.id", "=", id)
      .where("s.program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return null;
    if (before.last_contact_on === on) return before.name;
    await trx.updateTable("stakeholders").set({ last_contact_on: on, updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actor,
      action: "stakeholder.contacted",
      entityType: "stakeholder",
      entityId: id,
      programId,
      summary: `Contacted stakeholder ${before.name} on ${on}`,
      details: { lastContactOn: { from: before.last_contact_on, to: on } },
    });
    return before.name;
  });
}

/** Removes a stakeholder from the program (the person stays in the organization). */
export async function removeStakeholder(db: DB, actor: Actor, programId: string, id: string): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("stakeholders")
      .where("id", "=", id)
      .where("program_id", "=", programId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) return null;
    const person = await trx.selectFrom("people").select(["name", "email"]).where("id", "=", removed.person_id).executeTakeFirst();
    const name = person?.name ?? "a person";
    await recordAudit(trx, {
      actor,
      action: "stakeholder.removed",
      entityType: "stakeholder",
      entityId: id,
      programId,
      summary: `Removed stakeholder ${name}`,
      details: { ...auditView(removed), name, email: person?.email ?? null },
    });
    return name;
  });
}
