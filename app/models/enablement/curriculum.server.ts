import { sql } from "kysely";
import type { ModuleDelivery, ModuleKind } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, duplicateAsFieldError, NotFoundError } from "~/models/errors";
import { today as todayDay, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { MaterialInput, ModuleInput, VersionInput } from "~/validation/enablement";

// A program's curriculum: modules (kind, delivery, duration, version, validity, prerequisites)
// and materials (playbook, templates, decks) linked to modules. Publishing a new version of a
// module or material records it; with "requires refresh" the earlier completions become
// "refresh due" (see resolve.server). Every change is audited in its transaction.

export interface ModuleRow {
  id: string;
  title: string;
  kind: ModuleKind;
  delivery: ModuleDelivery;
  durationMinutes: number;
  version: number;
  validityMonths: number | null;
  description: string;
  prerequisiteIds: string[];
  materialIds: string[];
}

export interface MaterialRow {
  id: string;
  title: string;
  url: string;
  version: number;
  moduleIds: string[];
}

export interface VersionRow {
  ownerId: string;
  version: number;
  requiresRefresh: boolean;
  publishedOn: Day;
  note: string;
}

const DUPLICATE_MODULE = "There is already a module with this title in the program.";
const DUPLICATE_MATERIAL = "There is already a material with this title in the program.";

/** The program's modules in title order with prerequisites and materials (three queries). */
export async function listModules(db: DB, programId: string): Promise<ModuleRow[]> {
  const [modules, prereqs, links] = await Promise.all([
    db.selectFrom("enablement_modules").selectAll().where("program_id", "=", programId).orderBy("title").orderBy("id").execute(),
    db
      .selectFrom("enablement_module_prerequisites as p")
      .innerJoin("enablement_modules as m", "m.id", "p.module_id")
      .select(["p.module_id", "p.prerequisite_id"])
      .where("m.program_id", "=", programId)
      .execute(),
    db
      .selectFrom("enablement_module_materials as l")
      .innerJoin("enablement_modules as m", "m.id", "l.module_id")
      .select(["l.module_id", "l.material_id"])
      .where("m.program_id", "=", programId)
      .execute(),
  ]);
  return modules.map((m) => ({
    id: m.id,
    title: m.title,
    kind: m.kind,
    delivery: m.delivery,
    durationMinutes: m.duration_minutes,
    version: m.version,
    validityMonths: m.validity_months,
    description: m.description,
    prerequisiteIds: prereqs.filter((p) => p.module_id === m.id).map((p) => p.prerequisite_id),
    materialIds: links.filter((l) => l.module_id === m.id).map((l) => l.material_id),
  }));
}

export async function listMaterials(db: DB, programId: string): Promise<MaterialRow[]> {
  const [materials, links] = await Promise.all([
    db.selectFrom("enablement_materials").selectAll().where("program_id", "=", programId).orderBy("title").orderBy("id").execute(),
    db
      .selectFrom("enablement_module_materials as l")
      .innerJoin("enablement_materials as m", "m.id", "l.material_id")
      .select(["l.module_id", "l.material_id"])
      .where("m.program_id", "=", programId)
      .execute(),
  ]);
  return materials.map((m) => ({
    id: m.id,
    title: m.title,
    url: m.url,
    version: m.version,
    moduleIds: links.filter((l) => l.material_id === m.id).map((l) => l.module_id),
  }));
}

/** Version history of the program's modules and materials, newest first. */
export async function listVersions(db: DB, programId: string): Promise<{ modules: VersionRow[]; materials: VersionRow[] }> {
  const [modules, materials] = await Promise.all([
    db
      .selectFrom("enablement_module_versions as v")
      .innerJoin("enablement_modules as m", "m.id", "v.module_id")
      .select(["v.module_id as ownerId", "v.version", "v.requires_refresh as requiresRefresh", "v.published_on as publishedOn", "v.note"])
      .where("m.program_id", "=", programId)
      .orderBy("v.published_on", "desc")
      .orderBy("v.version", "desc")
      .execute(),
    db
      .selectFrom("enablement_material_versions as v")
      .innerJoin("enablement_materials as m", "m.id", "v.material_id")
      .select(["v.material_id as ownerId", "v.version", "v.requires_refresh as requiresRefresh", "v.published_on as publishedOn", "v.note"])
      .where("m.program_id", "=", programId)
      .orderBy("v.published_on", "desc")
      .orderBy("v.version", "desc")
      .execute(),
  ]);
  return { modules, materials };
}

async function checkModuleIds(trx: DB, programId: string, ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await trx
    .selectFrom("enablement_modules")
    .select("id")
    .where("program_id", "=", programId)
    .where("id", "in", ids)
    .execute();
  if (found.length !== ids.length) throw FieldError.on(field, "Choose modules of this program.");
}

/** Throws unless the module belongs to the program. */
export async function requireModule(db: DB, programId: string, moduleId: string, field = "moduleId") {
  const module = await db
    .selectFrom("enablement_modules")
    .selectAll()
    .where("id", "=", moduleId)
    .where("program_id", "=", programId)
    .executeTakeFirst();
  if (!module) throw FieldError.on(field, "Choose one of this program's modules.");
  return module;
}

/** Creates a module at version 1; returns its id. */
export async function createModule(db: DB, actor: Actor, programId: string, input: ModuleInput, publishedOn: Day = todayDay()) {
  return inTransaction(db, async (trx) => {
    await checkModuleIds(trx, programId, input.prerequisiteIds, "prerequisiteIds");
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_modules")
      .values({
        id,
        program_id: programId,
        title: input.title,
        kind: input.kind,
        delivery: input.delivery,
        duration_minutes: input.durationMinutes,
        validity_months: input.validityMonths,
        description: input.description,
      })
      .execute()
      .catch((error: unknown) => {
        throw duplicateAsFieldError(error, "title", DUPLICATE_MODULE);
      });
    await trx
      .insertInto("enablement_module_versions")
      .values({ module_id: id, version: 1, published_on: publishedOn, note: "First version", published_by: actor.id })
      .execute();
    if (input.prerequisiteIds.length > 0)
      await trx
        .insertInto("enablement_module_prerequisites")
        .values(input.prerequisiteIds.map((p) => ({ module_id: id, prerequisite_id: p })))
        .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.module_created",
      entityType: "enablement_module",
      entityId: id,
      programId,
      summary: `Added module “${input.title}”`,
      details: { ...input },
    });
    return id;
  });
}

export async function updateModule(db: DB, actor: Actor, programId: string, moduleId: string, input: ModuleInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("enablement_modules")
      .selectAll()
      .where("id", "=", moduleId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("This module does not exist in the program.");
    if (input.prerequisiteIds.includes(moduleId)) throw FieldError.on("prerequisiteIds", "A module cannot be its own prerequisite.");
    await checkModuleIds(trx, programId, input.prerequisiteIds, "prerequisiteIds");
    await trx
      .updateTable("enablement_modules")
      .set({
        title: input.title,
        kind: input.kind,
        delivery: input.delivery,
        duration_minutes: input.durationMinutes,
        validity_months: input.validityMonths,
        description: input.description,
        updated_at: new Date(),
      })
      .where("id", "=", moduleId)
      .execute()
      .catch((error: unknown) => {
        throw duplicateAsFieldError(error, "title", DUPLICATE_MODULE);
      });
    await trx.deleteFrom("enablement_module_prerequisites").where("module_id", "=", moduleId).execute();
    if (input.prerequisiteIds.length > 0)
      await trx
        .insertInto("enablement_module_prerequisites")
        .values(input.prerequisiteIds.map((p) => ({ module_id: moduleId, prerequisite_id: p })))
        .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.module_updated",
      entityType: "enablement_module",
      entityId: moduleId,
      programId,
      summary: `Updated module “${input.title}”`,
      details: { before: { title: before.title, validityMonths: before.validity_months }, after: input },
    });
  });
}

/** Publishes the module's next version; returns the new version number. */
export async function publishModuleVersion(
  db: DB,
  actor: Actor,
  programId: string,
  moduleId: string,
  input: VersionInput,
  publishedOn: Day = todayDay(),
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const module = await trx
      .selectFrom("enablement_modules")
      .select(["id", "title", "version"])
      .where("id", "=", moduleId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!module) throw new NotFoundError("This module does not exist in the program.");
    const version = module.version + 1;
    await trx.updateTable("enablement_modules").set({ version, updated_at: new Date() }).where("id", "=", moduleId).execute();
    await trx
      .insertInto("enablement_module_versions")
      .values({
        module_id: moduleId,
        version,
        requires_refresh: input.requiresRefresh,
        published_on: publishedOn,
        note: input.note,
        published_by: actor.id,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.module_version_published",
      entityType: "enablement_module",
      entityId: moduleId,
      programId,
      summary: `Published version ${version} of “${module.title}”${input.requiresRefresh ? " (earlier completions need a refresh)" : ""}`,
      details: { version, ...input },
    });
    return version;
  });
}

export async function createMaterial(db: DB, actor: Actor, programId: string, input: MaterialInput, publishedOn: Day = todayDay()) {
  return inTransaction(db, async (trx) => {
    await checkModuleIds(trx, programId, input.moduleIds, "moduleIds");
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_materials")
      .values({ id, program_id: programId, title: input.title, url: input.url })
      .execute()
      .catch((error: unknown) => {
        throw duplicateAsFieldError(error, "title", DUPLICATE_MATERIAL);
      });
    await trx
      .insertInto("enablement_material_versions")
      .values({ material_id: id, version: 1, published_on: publishedOn, note: "First version", url: input.url })
      .execute();
    if (input.moduleIds.length > 0)
      await trx
        .insertInto("enablement_module_materials")
        .values(input.moduleIds.map((m) => ({ module_id: m, material_id: id })))
        .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.material_created",
      entityType: "enablement_material",
      entityId: id,
      programId,
      summary: `Added material “${input.title}”`,
      details: { ...input },
    });
    return id;
  });
}

/** Publishes the material's next version (a new link, optionally making linked modules' completions refresh due). */
export async function publishMaterialVersion(
  db: DB,
  actor: Actor,
  programId: string,
  materialId: string,
  input: VersionInput,
  publishedOn: Day = todayDay(),
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const material = await trx
      .selectFrom("enablement_materials")
      .select(["id", "title", "version", "url"])
      .where("id", "=", materialId)
      .where("program_id", "=", programId)
      .forUpdate()
      .executeTakeFirst();
    if (!material) throw new NotFoundError("This material does not exist in the program.");
    const version = material.version + 1;
    const url = input.url || material.url;
    await trx.updateTable("enablement_materials").set({ version, url, updated_at: new Date() }).where("id", "=", materialId).execute();
    await trx
      .insertInto("enablement_material_versions")
      .values({
        material_id: materialId,
        version,
        requires_refresh: input.requiresRefresh,
        published_on: publishedOn,
        note: input.note,
        url,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.material_version_published",
      entityType: "enablement_material",
      entityId: materialId,
      programId,
      summary: `Published version ${version} of “${material.title}”${input.requiresRefresh ? " (linked modules need a refresh)" : ""}`,
      details: { version, ...input },
    });
    return version;
  });
}

/** Module options for selects (id, title), in title order. */
export async function moduleOptions(db: DB, programId: string): Promise<Array<{ id: string; title: string }>> {
  return db
    .selectFrom("enablement_modules")
    .select(["id", "title"])
    .where("program_id", "=", programId)
    .orderBy(sql`lower(title)`)
    .orderBy("id")
    .execute();
}
