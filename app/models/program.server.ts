import { sql } from "kysely";
import type { Program } from "../../db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import type { ProgramInput } from "~/validation/program";

export type { Program };

export async function listPrograms(db: DB, { includeArchived = false } = {}): Promise<Program[]> {
  let q = db.selectFrom("programs").selectAll();
  if (!includeArchived) q = q.where("status", "!=", "archived");
  return q.orderBy("starts_on", "desc").orderBy("name").execute();
}

/**
 * The programs offered by the switcher on every page: the current one, then active ones, then the
 * most recent — at most `limit`, with how many there are in all (the switcher links to the rest).
 */
export async function listSwitcherPrograms(
  db: DB,
  currentId: string | undefined,
  limit = 15,
): Promise<{ programs: Pick<Program, "id" | "name" | "status">[]; total: number }> {
  // The inner query picks which programs (the current one surely), the outer one their order.
  const picked = db
    .selectFrom("programs")
    .select(["id", "name", "status", "starts_on", sql<number>`count(*) over ()`.as("total")])
    .where("status", "!=", "archived")
    .orderBy(sql`id = ${currentId ?? ""}`, "desc")
    .orderBy(sql`status = 'active'`, "desc")
    .orderBy(sql`starts_on desc nulls last`)
    .orderBy("name")
    .limit(limit);
  const rows = await db
    .selectFrom(picked.as("p"))
    .select(["id", "name", "status", "total"])
    .orderBy(sql`status = 'active'`, "desc")
    .orderBy(sql`starts_on desc nulls last`)
    .orderBy("name")
    .execute();
  return { programs: rows.map(({ id, name, status }) => ({ id, name, status })), total: Number(rows[0]?.total ?? 0) };
}

export async function getProgram(db: DB, id: string): Promise<Program | undefined> {
  return db.selectFrom("programs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function createProgram(db: DB, actor: Actor, input: ProgramInput): Promise<Program> {
  return inTransaction(db, async (trx) => {
    const program = await trx
      .insertInto("programs")
      .values({
        id: crypto.randomUUID(),
        name: input.name,
        description: input.description,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        status: input.status,
        created_by: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: "program.created",
      entityType: "program",
      entityId: program.id,
      programId: program.id,
      summary: `Created program “${program.name}”`,
      details: { ...input },
    });
    return program;
  });
}

export async function updateProgram(db: DB, actor: Actor, id: string, input: ProgramInput): Promise<Program | null> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("programs").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) return null;
    const after = await trx
      .updateTable("programs")
      .set({
        name: input.name,
        description: input.description,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        status: input.status,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const fields = ["name", "description", "starts_on", "ends_on", "status"] as const;
    const changed = fields.filter((f) => before[f] !== after[f]);
    if (changed.length > 0) {
      const archived = before.status !== "archived" && after.status === "archived";
      await recordAudit(trx, {
        actor,
        action: archived ? "program.archived" : "program.updated",
        entityType: "program",
        entityId: id,
        programId: id,
        summary: archived ? `Archived program “${after.name}”` : `Updated program “${after.name}”: ${changed.join(", ")}`,
        details: Object.fromEntries(changed.map((f) => [f, { from: before[f], to: after[f] }])),
      });
    }
    return after;
  });
}

export async function setProgramArchived(db: DB, actor: Actor, id: string, archived: boolean): Promise<Program | null> {
  const program = await getProgram(db, id);
  if (!program) return null;
  return updateProgram(db, actor, id, {
    name: program.name,
    description: program.description,
    startsOn: program.starts_on,
    endsOn: program.ends_on,
    status: archived ? "archived" : program.status === "archived" ? "active" : program.status,
  });
}
