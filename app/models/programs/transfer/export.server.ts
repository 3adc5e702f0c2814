import { sql } from "kysely";
import { NotFoundError } from "~/models/errors";
import type { DB } from "~/utils/db.server";
import {
  GROUPS,
  ORG_COLUMNS,
  ORG_PREFIX,
  PROGRAM_COLUMNS,
  TABLES,
  TRANSFER_FORMAT,
  TRANSFER_VERSION,
  type ColumnSpec,
  type Group,
  type OrgTarget,
} from "./tables";
import { compareRows, isoInstant, remapIds, remapJson, type DocRow, type DocValue } from "./values";

/** A whole program as a file (ADR 0018): what `exportProgram` writes and `importProgram` reads. */
export interface ProgramDocument {
  format: typeof TRANSFER_FORMAT;
  version: number;
  exportedAt: string;
  program: DocRow;
  organization: { units: DocRow[]; teams: DocRow[]; people: DocRow[]; accounts: DocRow[] };
  plan: Record<string, DocRow[]>;
  coaching: Record<string, DocRow[]>;
  raci: Record<string, DocRow[]>;
  cycles: Record<string, DocRow[]>;
  enablement: Record<string, DocRow[]>;
  reports: Record<string, DocRow[]>;
}

type Raw = Record<string, unknown>;

/** A database id inside a text (ids are UUIDs). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** How many rounds of "the lead of a team, the team of a person…" the export follows at most. */
const MAX_ORG_ROUNDS = 8;

/** A plain value of the document (not a reference). */
function plainValue(column: ColumnSpec, value: unknown): DocValue {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "ts":
      return isoInstant(value);
    case "int":
    case "num":
      return Number(value);
    case "bool":
      return Boolean(value);
    case "json":
      return value as DocValue;
    default:
      return String(value);
  }
}

/**
 * The program and everything that belongs to it, with every reference written as an id local to
 * the document ("wave#2") and the organization it refers to by natural keys (employee number,
 * email, unit path, team name). One query per table, in one snapshot of the database.
 */
export async function exportProgram(db: DB, programId: string): Promise<ProgramDocument> {
  const run = (trx: DB) => exportIn(trx, programId);
  if (db.isTransaction) return run(db);
  return db.transaction().setIsolationLevel("repeatable read").execute(run);
}

async function exportIn(db: DB, programId: string): Promise<ProgramDocument> {
  const program = await db
    .selectFrom("programs")
    .select(["name", "description", "starts_on", "ends_on", "status", "created_at", "updated_at", "created_by"])
    .where("id", "=", programId)
    .executeTakeFirst();
  if (!program) throw new NotFoundError("This program does not exist (or no longer exists).");

  // 1. The program's rows, one query per table.
  const raw = new Map<string, Raw[]>();
  for (const spec of TABLES) {
    const columns = [...(spec.prefix ? ["id"] : []), ...spec.columns.map((c) => c.name)];
    const { rows } =
      await sql<Raw>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(spec.table)} where ${spec.scope(programId)}`.execute(
        db,
      );
    raw.set(spec.section, rows);
  }

  // 2. The organization they refer to.
  const wanted: Record<OrgTarget, Set<string>> = { unit: new Set(), team: new Set(), person: new Set(), account: new Set() };
  if (program.created_by) wanted.account.add(program.created_by);
  for (const spec of TABLES)
    for (const row of raw.get(spec.section) ?? [])
      for (const column of spec.columns)
        if (column.ref && column.ref in wanted && typeof row[column.name] === "string")
          wanted[column.ref as OrgTarget].add(row[column.name] as string);
  const org = await loadOrganization(db, wanted);

  // 3. Export-local ids: the organization by natural keys, then every table in order.
  const local = new Map<string, string>();
  const organization = localOrganization(org, local);

  const groups = Object.fromEntries(GROUPS.map((g) => [g, {} as Record<string, DocRow[]>])) as Record<Group, Record<string, DocRow[]>>;
  const withJson: Array<{ rows: DocRow[]; columns: ColumnSpec[] }> = [];
  for (const spec of TABLES) {
    const selfRefs = spec.columns.filter((c) => c.ref === spec.section);
    const jsonColumns = spec.columns.filter((c) => c.kind === "json" || c.kind === "ids");
    const converted = (raw.get(spec.section) ?? []).map((row) => {
      const out: DocRow = {};
      for (const column of spec.columns) {
        const value = row[column.name];
        if (column.ref && column.ref !== spec.section) {
          const mapped = value === null || value === undefined ? null : (local.get(String(value)) ?? null);
          if (mapped === null && value !== null && value !== undefined && !column.nullable)
            throw new Error(`transfer export: ${spec.table}.${column.name} refers to ${String(value)}, which the document does not hold`);
          out[column.field] = mapped;
        } else if (column.ref) out[column.field] = value === null || value === undefined ? null : String(value);
        else out[column.field] = plainValue(column, value);
      }
      return { id: row.id === undefined ? null : String(row.id), out };
    });
    // Ordered by content (ids and frozen JSON aside), so two installations holding the same
    // program write the same document.
    const sortFields = spec.columns.filter((c) => !selfRefs.includes(c) && !jsonColumns.includes(c)).map((c) => c.field);
    converted.sort((a, b) => compareRows(sortFields, a.out, b.out));
    const rows = converted.map(({ id, out }, index) => {
      if (!spec.prefix || id === null) return out;
      const localId = `${spec.prefix}#${index + 1}`;
      local.set(id, localId);
      return { id: localId, ...out };
    });
    for (const row of rows)
      for (const column of selfRefs) {
        const value = row[column.field];
        row[column.field] = typeof value === "string" ? (local.get(value) ?? null) : null;
      }
    if (jsonColumns.length) withJson.push({ rows, columns: jsonColumns });
    groups[spec.group][spec.section] = rows;
  }
  // Frozen JSON (report snapshots, RACI changes) names rows by id: those of the document too.
  for (const { rows, columns } of withJson)
    for (const row of rows)
      for (const column of columns)
        row[column.field] = column.kind === "ids" ? remapIds(row[column.field], local, UUID) : remapJson(row[column.field], local);

  const programRow: DocRow = {};
  for (const column of PROGRAM_COLUMNS) {
    const value = (program as Raw)[column.name];
    programRow[column.field] = column.ref ? (typeof value === "string" ? (local.get(value) ?? null) : null) : plainValue(column, value);
  }

  return {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    exportedAt: new Date().toISOString(),
    program: programRow,
    organization,
    ...groups,
  };
}

interface OrgRows {
  units: Raw[];
  teams: Raw[];
  people: Raw[];
  accounts: Raw[];
}

/**
 * The units, teams, people and accounts the program names, with what they name in turn (a
 * team's unit and lead, a person's unit, team and account, a unit's ancestors). A few queries
 * per round, a handful of rounds at most.
 */
async function loadOrganization(db: DB, wanted: Record<OrgTarget, Set<string>>): Promise<OrgRows> {
  const teams = new Map<string, Raw>();
  const people = new Map<string, Raw>();
  let pendingTeams = [...wanted.team];
  let pendingPeople = [...wanted.person];
  for (let round = 0; round < MAX_ORG_ROUNDS && (pendingTeams.length || pendingPeople.length); round++) {
    const nextTeams = new Set<string>();
    const nextPeople = new Set<string>();
    if (pendingTeams.length) {
      const rows = await db
        .selectFrom("teams")
        .select(["id", "name", "external_id", "unit_id", "lead_person_id", "size", "archived_at"])
        .where("id", "in", pendingTeams)
        .execute();
      for (const row of rows) {
        teams.set(row.id, row);
        wanted.unit.add(row.unit_id);
        if (row.lead_person_id && !people.has(row.lead_person_id)) nextPeople.add(row.lead_person_id);
      }
    }
    if (pendingPeople.length) {
      const rows = await db
        .selectFrom("people")
        .select(["id", "name", "email", "external_id", "title", "unit_id", "team_id", "user_id", "archived_at"])
        .where("id", "in", pendingPeople)
        .execute();
      for (const row of rows) {
        people.set(row.id, row);
        if (row.unit_id) wanted.unit.add(row.unit_id);
        if (row.user_id) wanted.account.add(row.user_id);
        if (row.team_id && !teams.has(row.team_id)) nextTeams.add(row.team_id);
      }
    }
    pendingTeams = [...nextTeams].filter((id) => !teams.has(id));
    pendingPeople = [...nextPeople].filter((id) => !people.has(id));
  }
  const unitIds = [...wanted.unit];
  const units = unitIds.length
    ? (
        await sql<Raw>`
          with recursive up as (
            select id, name, external_id, parent_id, archived_at from org_units where id in (${sql.join(unitIds)})
            union
            select u.id, u.name, u.external_id, u.parent_id, u.archived_at from org_units u join up on u.id = up.parent_id
          )
          select * from up`.execute(db)
      ).rows
    : [];
  const accountIds = [...wanted.account];
  const accounts = accountIds.length
    ? await db.selectFrom("users").select(["id", "email", "name"]).where("id", "in", accountIds).execute()
    : [];
  return { units, teams: [...teams.values()], people: [...people.values()], accounts };
}

/** Gives the organization its local ids (in an order that depends only on names and keys) and writes its rows. */
function localOrganization(org: OrgRows, local: Map<string, string>): ProgramDocument["organization"] {
  const unitById = new Map(org.units.map((u) => [String(u.id), u]));
  const pathOf = (id: string, seen = new Set<string>()): string => {
    const unit = unitById.get(id);
    if (!unit || seen.has(id)) return "";
    seen.add(id);
    const parent = unit.parent_id ? pathOf(String(unit.parent_id), seen) : "";
    return parent ? `${parent}\u0000${String(unit.name).toLowerCase()}` : String(unit.name).toLowerCase();
  };
  const key = (values: unknown[]) => values.map((v) => (v === null || v === undefined ? "" : String(v))).join("\u0001");
  const order = (rows: Raw[], keyOf: (row: Raw) => string) =>
    [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

  const units = order(org.units, (u) => key([pathOf(String(u.id)), u.external_id]));
  const teams = order(org.teams, (t) => key([pathOf(String(t.unit_id)), String(t.name).toLowerCase(), t.external_id]));
  const people = order(org.people, (p) => key([p.email]));
  const accounts = order(org.accounts, (a) => key([String(a.email).toLowerCase()]));
  const assign = (rows: Raw[], target: OrgTarget) => rows.forEach((row, i) => local.set(String(row.id), `${ORG_PREFIX[target]}#${i + 1}`));
  assign(units, "unit");
  assign(teams, "team");
  assign(people, "person");
  assign(accounts, "account");

  const write = (rows: Raw[], columns: ColumnSpec[]) =>
    rows.map((row) => {
      const out: DocRow = { id: local.get(String(row.id)) ?? null };
      for (const column of columns) {
        const value = row[column.name];
        out[column.field] = column.ref ? (typeof value === "string" ? (local.get(value) ?? null) : null) : plainValue(column, value);
      }
      return out;
    });
  return {
    units: write(units, ORG_COLUMNS.units),
    teams: write(teams, ORG_COLUMNS.teams),
    people: write(people, ORG_COLUMNS.people),
    accounts: write(accounts, ORG_COLUMNS.accounts),
  };
}
