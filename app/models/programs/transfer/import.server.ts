import { sql, type Kysely } from "kysely";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError } from "~/models/errors";
import { inTransaction, type DB } from "~/utils/db.server";
import type { ProgramDocument } from "./export.server";
import { PROGRAM_COLUMNS, TABLES, type ColumnSpec, type TableSpec } from "./tables";
import { validateDocument } from "./validate";
import { remapIds, remapJson, type DocRow } from "./values";

/** A document id inside a text ("cycle#2/cycle#3"). */
const LOCAL_ID = /[A-Za-z]+#\d+/g;

// Imports a transfer document (ADR 0018) as a new program, all or nothing. The organization is
// matched by natural keys — a unit by its external id, else its path of names; a team by its
// external id, else its name in its unit; a person by employee number, then email — and what
// the installation lacks is created. Accounts are never created: a row that names an account
// (who created, answered, checked in…) points to the account with the same email here, or to
// nobody (its name stays in the row's label); the new program is created by that account or,
// failing it, by the importing administrator.

export interface ImportSummary {
  programId: string;
  programName: string;
  /** The document's name when it was taken here and the program got a suffix. */
  renamedFrom: string | null;
  exportedAt: string;
  organization: Record<"units" | "teams" | "people", { matched: number; created: number }>;
  accounts: { matched: number; unmatched: number };
  /** Rows written per section of the document, in the document's order. */
  sections: Array<{ group: string; section: string; rows: number }>;
}

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the tables are named by the transfer spec

/** Where a failed import says what went wrong. */
const FIELD = "file";

/** The first problems in one sentence a person can act on. */
function problemMessage(problems: string[]): string {
  const shown = problems.slice(0, 5);
  const more = problems.length - shown.length;
  return `Nothing was imported. ${shown.join(" · ")}${more > 0 ? ` · and ${more}${problems.length >= 20 ? "+" : ""} more.` : ""}`;
}

export async function importProgram(db: DB, input: unknown, { actor }: { actor: Actor }): Promise<ImportSummary> {
  const checked = validateDocument(input);
  if (!checked.ok) throw FieldError.on(FIELD, problemMessage(checked.problems));
  const doc = checked.document;
  try {
    return await inTransaction(db, (trx) => write(trx, doc, actor));
  } catch (error) {
    // A constraint of this installation the document breaks (two rows of one person where one
    // is allowed…): nothing was written, and the database's words say which.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && /^(23|22)/.test(code))
      throw FieldError.on(FIELD, problemMessage([`the document does not fit this installation: ${(error as Error).message}`]));
    throw error;
  }
}

/** Chunks rows so a statement stays well below PostgreSQL's 65,535 parameters. */
function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(30_000 / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function insertRows(db: DB, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  for (const chunk of chunks(rows, Object.keys(rows[0]).length)) await (db as AnyDb).insertInto(table).values(chunk).execute();
}

/** `update <table> set <column> = v.value from (values …) where id = v.id`, chunked. */
async function updateColumn(db: DB, table: string, column: string, pairs: Array<[string, string]>): Promise<void> {
  for (const chunk of chunks(pairs, 2)) {
    if (!chunk.length) continue;
    const values = sql.join(chunk.map(([id, value]) => sql`(${id}, ${value})`));
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = v.value from (values ${values}) as v(id, value) where ${sql.table(table)}.id = v.id`.execute(
      db,
    );
  }
}

const lower = (value: unknown) => String(value).trim().toLowerCase();

/**
 * Names as the database lower-cases them (its unique indexes on units and teams use `lower(name)`,
 * which may differ from JavaScript's for letters outside ASCII): one query for all of them.
 */
async function databaseLower(db: DB, names: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  const out = new Map<string, string>();
  for (const chunk of chunks(unique, 1)) {
    const { rows } = await sql<{ name: string; key: string }>`
      select v.name, lower(v.name) as key from (values ${sql.join(chunk.map((n) => sql`(${n}::text)`))}) as v(name)`.execute(db);
    for (const row of rows) out.set(row.name, row.key);
  }
  return out;
}
const str = (value: unknown) => (typeof value === "string" ? value : null);

async function write(db: DB, doc: ProgramDocument, actor: Actor): Promise<ImportSummary> {
  /** Local id of the document → id in this installation. */
  const ids = new Map<string, string>();
  const org = doc.organization;

  // Accounts: by email, never created.
  const accountEmails = org.accounts.map((a) => lower(a.email));
  const users = accountEmails.length
    ? await db.selectFrom("users").select(["id", "email"]).where("email", "in", accountEmails).execute()
    : [];
  const userByEmail = new Map(users.map((u) => [u.email, u.id]));
  let accountsMatched = 0;
  for (const account of org.accounts) {
    const id = userByEmail.get(lower(account.email));
    if (id) {
      ids.set(String(account.id), id);
      accountsMatched += 1;
    }
  }

  const counts = { units: { matched: 0, created: 0 }, teams: { matched: 0, created: 0 }, people: { matched: 0, created: 0 } };

  // Units, parents first: external id, else the name under the (matched or new) parent.
  const keyOf = await databaseLower(db, [...org.units.map((u) => String(u.name)), ...org.teams.map((t) => String(t.name))]);
  const key = (name: unknown) => keyOf.get(String(name)) ?? lower(name);
  const existingUnits = await db
    .selectFrom("org_units")
    .select(["id", "parent_id", "external_id", sql<string>`lower(name)`.as("key")])
    .execute();
  const unitByExternal = new Map(existingUnits.filter((u) => u.external_id).map((u) => [u.external_id as string, u.id]));
  const unitByPlace = new Map(existingUnits.map((u) => [`${u.parent_id ?? ""}\u0000${u.key}`, u.id]));
  const unitRows = new Map(org.units.map((u) => [String(u.id), u]));
  const depth = (row: DocRow): number => {
    let d = 0;
    for (let at = str(row.parentId); at; at = str(unitRows.get(at)?.parentId)) d += 1;
    return d;
  };
  const newUnits: Record<string, unknown>[] = [];
  for (const unit of [...org.units].sort((a, b) => depth(a) - depth(b))) {
    const external = str(unit.externalId);
    const parent = str(unit.parentId) ? (ids.get(String(unit.parentId)) ?? null) : null;
    const place = `${parent ?? ""}\u0000${key(unit.name)}`;
    let id = (external && unitByExternal.get(external)) || unitByPlace.get(place);
    if (id) counts.units.matched += 1;
    else {
      id = crypto.randomUUID();
      counts.units.created += 1;
      newUnits.push({ id, name: unit.name, parent_id: parent, external_id: external, archived_at: unit.archivedAt });
      unitByPlace.set(place, id);
      if (external) unitByExternal.set(external, id);
    }
    ids.set(String(unit.id), id);
  }
  await insertRows(db, "org_units", newUnits);

  // Teams: external id, else the name in its unit. Leads are set once people are known.
  const teamExternal = org.teams.map((t) => str(t.externalId)).filter((v): v is string => !!v);
  const teamNames = [...new Set(org.teams.map((t) => key(t.name)))];
  const existingTeams = org.teams.length
    ? await db
        .selectFrom("teams")
        .select(["id", "unit_id", "external_id", sql<string>`lower(name)`.as("key")])
        .where((eb) =>
          eb.or([eb(sql`lower(name)`, "in", teamNames), ...(teamExternal.length ? [eb("external_id", "in", teamExternal)] : [])]),
        )
        .execute()
    : [];
  const teamByExternal = new Map(existingTeams.filter((t) => t.external_id).map((t) => [t.external_id as string, t.id]));
  const teamByPlace = new Map(existingTeams.map((t) => [`${t.unit_id}\u0000${t.key}`, t.id]));
  const newTeams: Record<string, unknown>[] = [];
  const leads: Array<[string, string]> = [];
  for (const team of org.teams) {
    const external = str(team.externalId);
    const unit = ids.get(String(team.unitId)) as string;
    const place = `${unit}\u0000${key(team.name)}`;
    let id = (external && teamByExternal.get(external)) || teamByPlace.get(place);
    if (id) counts.teams.matched += 1;
    else {
      id = crypto.randomUUID();
      counts.teams.created += 1;
      newTeams.push({ id, name: team.name, unit_id: unit, size: team.size, external_id: external, archived_at: team.archivedAt });
      teamByPlace.set(place, id);
      if (external) teamByExternal.set(external, id);
      if (team.leadPersonId) leads.push([id, String(team.leadPersonId)]);
    }
    ids.set(String(team.id), id);
  }
  await insertRows(db, "teams", newTeams);

  // People: employee number, then email. A new person is linked to the account with their
  // account's email when that account has no person yet.
  const personExternal = org.people.map((p) => str(p.externalId)).filter((v): v is string => !!v);
  const personEmails = org.people.map((p) => lower(p.email));
  const existingPeople = org.people.length
    ? await db
        .selectFrom("people")
        .select(["id", "email", "external_id"])
        .where((eb) =>
          eb.or([eb("email", "in", personEmails), ...(personExternal.length ? [eb("external_id", "in", personExternal)] : [])]),
        )
        .execute()
    : [];
  const personByExternal = new Map(existingPeople.filter((p) => p.external_id).map((p) => [p.external_id as string, p.id]));
  const personByEmail = new Map(existingPeople.map((p) => [lower(p.email), p.id]));
  const candidateUsers = org.people.map((p) => (p.userId ? ids.get(String(p.userId)) : undefined)).filter((v): v is string => !!v);
  const linkedUsers = new Set(
    candidateUsers.length
      ? (await db.selectFrom("people").select("user_id").where("user_id", "in", candidateUsers).execute()).map((p) => p.user_id as string)
      : [],
  );
  const newPeople: Record<string, unknown>[] = [];
  for (const person of org.people) {
    const external = str(person.externalId);
    const email = lower(person.email);
    let id = (external && personByExternal.get(external)) || personByEmail.get(email);
    if (id) counts.people.matched += 1;
    else {
      id = crypto.randomUUID();
      counts.people.created += 1;
      const user = person.userId ? ids.get(String(person.userId)) : undefined;
      const userId = user && !linkedUsers.has(user) ? user : null;
      if (userId) linkedUsers.add(userId);
      newPeople.push({
        id,
        name: person.name,
        email,
        title: person.title,
        unit_id: person.unitId ? (ids.get(String(person.unitId)) ?? null) : null,
        team_id: person.teamId ? (ids.get(String(person.teamId)) ?? null) : null,
        user_id: userId,
        external_id: external,
        archived_at: person.archivedAt,
      });
      personByEmail.set(email, id);
      if (external) personByExternal.set(external, id);
    }
    ids.set(String(person.id), id);
  }
  await insertRows(db, "people", newPeople);
  await updateColumn(
    db,
    "teams",
    "lead_person_id",
    leads.map(([team, lead]) => [team, ids.get(lead) as string]),
  );

  // The program, under a name not taken here.
  const wanted = String(doc.program.name).trim();
  const taken = new Set((await db.selectFrom("programs").select("name").execute()).map((p) => lower(p.name)));
  let name = wanted;
  for (let n = 1; taken.has(lower(name)); n++) name = n === 1 ? `${wanted} (imported)` : `${wanted} (imported ${n})`;
  const programId = crypto.randomUUID();
  const programRow: Record<string, unknown> = { id: programId };
  for (const column of PROGRAM_COLUMNS) programRow[column.name] = dbValue(column, doc.program[column.field], ids);
  programRow.name = name;
  programRow.created_by ??= actor.id;
  await insertRows(db, "programs", [programRow]);

  // Every table, parents first, under new ids; self-references once all their rows exist.
  for (const spec of TABLES) {
    const rows = sectionRows(doc, spec);
    if (spec.prefix) for (const row of rows) ids.set(String(row.id), crypto.randomUUID());
  }
  const sections: ImportSummary["sections"] = [];
  for (const spec of TABLES) {
    const rows = sectionRows(doc, spec);
    const selfRefs = spec.columns.filter((c) => c.ref === spec.section);
    const later: Record<string, Array<[string, string]>> = {};
    const out = rows.map((row) => {
      const record: Record<string, unknown> = {};
      if (spec.prefix) record.id = ids.get(String(row.id));
      if (spec.programColumn) record.program_id = programId;
      for (const column of spec.columns) {
        if (selfRefs.includes(column)) {
          record[column.name] = null;
          const target = row[column.field];
          if (typeof target === "string" && ids.has(target))
            (later[column.name] ??= []).push([record.id as string, ids.get(target) as string]);
        } else record[column.name] = dbValue(column, row[column.field], ids);
      }
      return record;
    });
    await insertRows(db, spec.table, out);
    for (const [column, pairs] of Object.entries(later)) await updateColumn(db, spec.table, column, pairs);
    sections.push({ group: spec.group, section: spec.section, rows: out.length });
  }

  const summary: ImportSummary = {
    programId,
    programName: name,
    renamedFrom: name === wanted ? null : wanted,
    exportedAt: String(doc.exportedAt ?? ""),
    organization: counts,
    accounts: { matched: accountsMatched, unmatched: org.accounts.length - accountsMatched },
    sections,
  };
  await recordAudit(db, {
    actor,
    action: "program.imported",
    entityType: "program",
    entityId: programId,
    programId,
    summary: `Imported program “${name}” from a transfer file${summary.renamedFrom ? ` (named “${wanted}” there)` : ""}`,
    details: {
      exportedAt: summary.exportedAt,
      organization: counts,
      accounts: summary.accounts,
      rows: Object.fromEntries(sections.filter((s) => s.rows).map((s) => [s.section, s.rows])),
    },
  });
  const created = counts.units.created + counts.teams.created + counts.people.created;
  if (created)
    await recordAudit(db, {
      actor,
      action: "org.created_by_program_import",
      entityType: "organization",
      summary: `Added ${counts.units.created} units, ${counts.teams.created} teams and ${counts.people.created} people for the imported program “${name}”`,
      details: { programId, ...counts },
    });
  return summary;
}

function sectionRows(doc: ProgramDocument, spec: TableSpec): DocRow[] {
  return (doc[spec.group] as Record<string, DocRow[]>)[spec.section] ?? [];
}

/** A document value as the column stores it: references mapped, JSON with its ids mapped. */
function dbValue(column: ColumnSpec, value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (value === null || value === undefined) return null;
  if (column.ref) return ids.get(String(value)) ?? null;
  if (column.kind === "json") return JSON.stringify(remapJson(value, ids));
  if (column.kind === "ids") return remapIds(value, ids, LOCAL_ID);
  return value;
}
