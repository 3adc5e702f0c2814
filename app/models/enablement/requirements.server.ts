import { sql } from "kysely";
import type { Audience, DueRule, Necessity, RequirementScope } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, duplicateAsFieldError, NotFoundError } from "~/models/errors";
import { today, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { CompletionInput, RequirementInput, WaiverInput } from "~/validation/enablement";
import { requireModule } from "./curriculum.server";
import { coverageAfter, coverageBefore } from "./coverage.server";

// Who needs what, by when (requirements of a program), and the records that meet or excuse a
// requirement: completions recorded by hand with evidence, and waivers with a reason and who
// granted them. Completions from attendance and imports are written by sessions / imports.

export interface RequirementRow {
  id: string;
  moduleId: string;
  moduleTitle: string;
  audience: Audience;
  scope: RequirementScope;
  waveId: string | null;
  waveName: string | null;
  unitId: string | null;
  unitName: string | null;
  necessity: Necessity;
  dueRule: DueRule;
  dueDays: number | null;
  dueOn: Day | null;
}

export async function listRequirements(db: DB, programId: string): Promise<RequirementRow[]> {
  return db
    .selectFrom("enablement_requirements as r")
    .innerJoin("enablement_modules as m", "m.id", "r.module_id")
    .leftJoin("waves as w", "w.id", "r.wave_id")
    .leftJoin("org_units as u", "u.id", "r.unit_id")
    .select([
      "r.id",
      "r.module_id as moduleId",
      "m.title as moduleTitle",
      "r.audience",
      "r.scope",
      "r.wave_id as waveId",
      "w.name as waveName",
      "r.unit_id as unitId",
      "u.name as unitName",
      "r.necessity",
      "r.due_rule as dueRule",
      "r.due_days as dueDays",
      "r.due_on as dueOn",
    ])
    .where("r.program_id", "=", programId)
    .orderBy(sql`lower(m.title)`)
    .orderBy("r.audience")
    .orderBy("r.id")
    .execute();
}

/** A readable label: "Fundamentals · Team members · wave “Wave 1”". */
export function requirementLabel(
  r: Pick<RequirementRow, "moduleTitle" | "audience" | "waveName" | "unitName">,
  audienceLabel: string,
): string {
  const where = r.waveName ? ` · wave “${r.waveName}”` : r.unitName ? ` · unit “${r.unitName}”` : "";
  return `${r.moduleTitle} · ${audienceLabel}${where}`;
}

async function checkScope(trx: DB, programId: string, input: RequirementInput): Promise<void> {
  if (input.waveId) {
    const wave = await trx
      .selectFrom("waves")
      .select("id")
      .where("id", "=", input.waveId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!wave) throw FieldError.on("waveId", "Choose one of this program's waves.");
  }
  if (input.unitId) {
    const unit = await trx
      .selectFrom("org_units")
      .select("id")
      .where("id", "=", input.unitId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (!unit) throw FieldError.on("unitId", "Choose one of the organization's units.");
  }
}

export async function createRequirement(db: DB, actor: Actor, programId: string, input: RequirementInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const module = await requireModule(trx, programId, input.moduleId);
    await checkScope(trx, programId, input);
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_requirements")
      .values({
        id,
        program_id: programId,
        module_id: input.moduleId,
        audience: input.audience,
        scope: input.scope,
        wave_id: input.waveId,
        unit_id: input.unitId,
        necessity: input.necessity,
        due_rule: input.dueRule,
        due_days: input.dueDays,
        due_on: input.dueOn,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.requirement_created",
      entityType: "enablement_requirement",
      entityId: id,
      programId,
      summary: `Required “${module.title}” for ${input.audience.replace("_", " ")}s (${input.scope})`,
      details: { ...input },
    });
    return id;
  });
}

export async function deleteRequirement(db: DB, actor: Actor, programId: string, requirementId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom("enablement_requirements as r")
      .innerJoin("enablement_modules as m", "m.id", "r.module_id")
      .select(["r.id", "r.audience", "m.title"])
      .where("r.id", "=", requirementId)
      .where("r.program_id", "=", programId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("This requirement does not exist in the program.");
    await trx.deleteFrom("enablement_requirements").where("id", "=", requirementId).execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.requirement_deleted",
      entityType: "enablement_requirement",
      entityId: requirementId,
      programId,
      summary: `Removed the requirement “${row.title}” for ${row.audience.replace("_", " ")}s`,
    });
  });
}

/** The active person with this email, or a FieldError on `field`. */
export async function personByEmail(db: DB, email: string, field = "email"): Promise<{ id: string; name: string; email: string }> {
  const person = await db
    .selectFrom("people")
    .select(["id", "name", "email", "archived_at"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  if (!person) throw FieldError.on(field, "No person with this email in the organization.");
  if (person.archived_at) throw FieldError.on(field, `${person.name} is archived: choose someone in the organization today.`);
  return { id: person.id, name: person.name, email: person.email };
}

/** Records a completion by hand, with evidence; returns its id. */
export async function recordCompletion(db: DB, actor: Actor, programId: string, input: CompletionInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const module = await requireModule(trx, programId, input.moduleId);
    const person = await personByEmail(trx, input.email);
    const coverage = await coverageBefore(trx, programId, [person.id], today());
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_completions")
      .values({
        id,
        person_id: person.id,
        module_id: module.id,
        module_version: module.version,
        completed_on: input.completedOn,
        source: "manual",
        evidence: input.evidence,
        recorded_by: actor.id,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.completion_recorded",
      entityType: "enablement_completion",
      entityId: id,
      programId,
      summary: `Recorded that ${person.name} completed “${module.title}” on ${input.completedOn}`,
      details: { personId: person.id, moduleId: module.id, completedOn: input.completedOn, evidence: input.evidence },
    });
    await coverageAfter(trx, coverage);
    return id;
  });
}

export interface CompletionRow {
  id: string;
  personName: string;
  personEmail: string;
  moduleTitle: string;
  moduleVersion: number;
  completedOn: Day;
  source: string;
  evidence: string;
}

/** The latest completions of the program's modules (newest first, bounded). */
export async function listCompletions(db: DB, programId: string, limit = 50): Promise<CompletionRow[]> {
  return db
    .selectFrom("enablement_completions as c")
    .innerJoin("enablement_modules as m", "m.id", "c.module_id")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select([
      "c.id",
      "p.name as personName",
      "p.email as personEmail",
      "m.title as moduleTitle",
      "c.module_version as moduleVersion",
      "c.completed_on as completedOn",
      "c.source",
      "c.evidence",
    ])
    .where("m.program_id", "=", programId)
    .orderBy("c.created_at", "desc")
    .orderBy("c.id")
    .limit(limit)
    .execute();
}

/** Waives a requirement for a person, with a reason; returns the waiver's id. */
export async function grantWaiver(db: DB, actor: Actor, programId: string, input: WaiverInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const requirement = await trx
      .selectFrom("enablement_requirements as r")
      .innerJoin("enablement_modules as m", "m.id", "r.module_id")
      .select(["r.id", "m.title"])
      .where("r.id", "=", input.requirementId)
      .where("r.program_id", "=", programId)
      .executeTakeFirst();
    if (!requirement) throw FieldError.on("requirementId", "Choose one of this program's requirements.");
    const person = await personByEmail(trx, input.email);
    const coverage = await coverageBefore(trx, programId, [person.id], today());
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_waivers")
      .values({
        id,
        requirement_id: requirement.id,
        person_id: person.id,
        reason: input.reason,
        granted_by: actor.id,
        granted_by_label: actor.name,
      })
      .execute()
      .catch((error: unknown) => {
        throw duplicateAsFieldError(error, "email", `${person.name} already has a waiver for this requirement.`);
      });
    await recordAudit(trx, {
      actor,
      action: "enablement.waiver_granted",
      entityType: "enablement_waiver",
      entityId: id,
      programId,
      summary: `Waived “${requirement.title}” for ${person.name}: ${input.reason}`,
      details: { personId: person.id, requirementId: requirement.id, reason: input.reason },
    });
    await coverageAfter(trx, coverage);
    return id;
  });
}

export interface WaiverRow {
  id: string;
  personName: string;
  moduleTitle: string;
  audience: Audience;
  reason: string;
  grantedByLabel: string;
  grantedAt: Date;
}

export async function listWaivers(db: DB, programId: string, limit = 100): Promise<WaiverRow[]> {
  return db
    .selectFrom("enablement_waivers as w")
    .innerJoin("enablement_requirements as r", "r.id", "w.requirement_id")
    .innerJoin("enablement_modules as m", "m.id", "r.module_id")
    .innerJoin("people as p", "p.id", "w.person_id")
    .select([
      "w.id",
      "p.name as personName",
      "m.title as moduleTitle",
      "r.audience",
      "w.reason",
      "w.granted_by_label as grantedByLabel",
      "w.granted_at as grantedAt",
    ])
    .where("r.program_id", "=", programId)
    .orderBy("w.granted_at", "desc")
    .orderBy("w.id")
    .limit(limit)
    .execute();
}
