import { sql } from "kysely";
import { PROGRAM_STATUSES, type Program, type ProgramStatus } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { memoPerRequest } from "~/utils/request-context.server";
import type { ProgramInput } from "~/validation/program";

export type { Program };

/** Every column of a program the app uses (all but the data version). */
const PROGRAM_COLUMNS = ["id", "name", "description", "starts_on", "ends_on", "status", "created_at", "updated_at", "created_by"] as const;

export async function listPrograms(db: DB, { includeArchived = false } = {}): Promise<Program[]> {
  let q = db.selectFrom("programs").select(PROGRAM_COLUMNS);
  if (!includeArchived) q = q.where("status", "!=", "archived");
  return q.orderBy("starts_on", "desc").orderBy("name").execute();
}

export const PROGRAM_SORTS = ["name", "status", "starts", "ends"] as const;

export type ProgramSort = (typeof PROGRAM_SORTS)[number];

/** The programs list (server-paged like every list): the latest start first, search by name, filter by status. */
export const PROGRAM_LIST_SPEC: ListSpec<ProgramSort> = {
  sorts: PROGRAM_SORTS,
  defaultSort: "starts",
  defaultDir: "desc",
  filters: ["status"],
};

export type ProgramListRow = Pick<Program, "id" | "name" | "status" | "starts_on" | "ends_on">;

/** One page of programs (archived ones too, unless filtered) and how many match: two queries. */
export async function listProgramsPage(db: DB, params: ListParams<ProgramSort>): Promise<Page<ProgramListRow>> {
  let query = db.selectFrom("programs").select(["id", "name", "status", "starts_on", "ends_on"]);
  if (params.q) query = query.where("name", "ilike", likePattern(params.q));
  const status = params.filters.status;
  if (status && (PROGRAM_STATUSES as readonly string[]).includes(status)) query = query.where("status", "=", status as ProgramStatus);
  const dir = sql.raw(params.dir);
  switch (params.sort) {
    case "name":
      query = query.orderBy(sql`lower(name) ${dir}`);
      break;
    case "status":
      // In the order a program goes through them (planned → … → archived), not alphabetically.
      query = query.orderBy(sql`array_position(array[${sql.join(PROGRAM_STATUSES.map((st) => sql.lit(st)))}]::text[], status) ${dir}`);
      break;
    case "ends":
      query = query.orderBy(sql`ends_on ${dir} nulls last`);
      break;
    default:
      query = query.orderBy(sql`starts_on ${dir} nulls last`);
  }
  return fetchPage(query.orderBy(sql`lower(name)`).orderBy("id"), params);
}

export type SwitcherProgram = Pick<Program, "id" | "name" | "status">;

/**
 * The programs offered by the switcher on every page: the current one, then active ones, then the
 * most recent — at most `limit`, with how many there are in all (the switcher links to the rest).
 * Also returns the current program in full (even when archived, which the switcher does not
 * offer), so a program page needs one query for both.
 */
export async function listSwitcherPrograms(
  db: DB,
  currentId: string | undefined,
  limit = 15,
): Promise<{ programs: SwitcherProgram[]; total: number; current: Program | undefined; dataVersion: string }> {
  const current = currentId ?? "";
  // The inner query picks which programs (the current one surely, first), the outer one their order.
  const picked = db
    .selectFrom("programs")
    .select(PROGRAM_COLUMNS)
    .select("data_version")
    .select(sql<number>`count(*) filter (where status != 'archived') over ()`.as("total"))
    .select(sql<number>`(select i.data_version from installation i where i.id = 1)`.as("installation_version"))
    .where((eb) => eb.or([eb("status", "!=", "archived"), eb("id", "=", current)]))
    .orderBy(sql`id = ${current}`, "desc")
    .orderBy(sql`status = 'active'`, "desc")
    .orderBy(sql`starts_on desc nulls last`)
    .orderBy("name")
    .limit(limit + 1);
  const rows = await db
    .selectFrom(picked.as("p"))
    .selectAll()
    .orderBy(sql`status = 'active'`, "desc")
    .orderBy(sql`starts_on desc nulls last`)
    .orderBy("name")
    .execute();
  let program: Program | undefined;
  let programVersion = 0;
  const programs: SwitcherProgram[] = [];
  for (const { total: _total, installation_version: _version, data_version, ...row } of rows) {
    if (row.id === current) {
      program = row;
      programVersion = Number(data_version);
    }
    if (row.status !== "archived") programs.push({ id: row.id, name: row.name, status: row.status });
  }
  // One place too many when the current program is not archived: drop the least relevant other one.
  if (programs.length > limit)
    programs.splice(
      lastIndexWhere(programs, (p) => p.id !== current),
      1,
    );
  const dataVersion = versionKey(programVersion, rows[0]?.installation_version ?? 0);
  return { programs, total: Number(rows[0]?.total ?? 0), current: program, dataVersion };
}

/** The data versions (ADR 0011) of a program and of the installation, as one cache-key part. */
function versionKey(programVersion: number, installationVersion: number): string {
  return `${Number(programVersion)}.${Number(installationVersion)}`;
}

/** One program with its data versions (ADR 0011) in one light query: for requests without the switcher (actions). */
export async function getProgramWithVersion(db: DB, id: string): Promise<{ current: Program | undefined; dataVersion: string }> {
  const row = await db
    .selectFrom("programs")
    .select(PROGRAM_COLUMNS)
    .select(["data_version", sql<number>`(select i.data_version from installation i where i.id = 1)`.as("installation_version")])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return { current: undefined, dataVersion: "" };
  const { data_version, installation_version, ...current } = row;
  return { current, dataVersion: versionKey(data_version, installation_version) };
}

/** `listSwitcherPrograms` once per request: the root layout and the program's loaders share it (and the data versions). */
export function programAndSwitcher(db: DB, currentId: string | undefined) {
  return memoPerRequest(`switcher:${currentId ?? ""}`, () => listSwitcherPrograms(db, currentId));
}

function lastIndexWhere<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

export async function getProgram(db: DB, id: string): Promise<Program | undefined> {
  return db.selectFrom("programs").select(PROGRAM_COLUMNS).where("id", "=", id).executeTakeFirst();
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
      .returning(PROGRAM_COLUMNS)
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
    const before = await trx.selectFrom("programs").select(PROGRAM_COLUMNS).where("id", "=", id).forUpdate().executeTakeFirst();
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
      .returning(PROGRAM_COLUMNS)
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
