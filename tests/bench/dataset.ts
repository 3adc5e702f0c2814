// The synthetic dataset `npm run bench` runs on: sized like a large organization a few years
// into its rollout, loaded with direct bulk inserts (the model functions would take minutes).
// Later issues grow it with their own tables (teams, waves, reports…): add a step below and a
// count to `DatasetSummary`, keeping the whole load within a few seconds on PGlite.
import { randomBytes } from "node:crypto";
import { sql, type Insertable, type Kysely } from "kysely";
import type { Database, ProgramStatus, Role } from "../../db/schema";
import { createMatrix, type MatrixContent } from "~/models/raci.server";
import type { RaciValue } from "../../db/schema";
import { hashPassword } from "~/utils/password.server";

export const BENCH_ADMIN = { email: "admin@bench.rollout-desk.test", password: "bench-admin-password", name: "Bench Admin" };
export const BENCH_PLO = { email: "plo@bench.rollout-desk.test", password: "bench-plo-password", name: "Bench PLO" };

export const DATASET_SIZE = {
  /** Besides the admin and PLO above. */
  users: 500,
  programs: 200,
  auditEvents: 100_000,
} as const;

export interface DatasetSummary {
  users: number;
  programs: number;
  auditEvents: number;
  raciMatrices: number;
  raciActivities: number;
  raciRoles: number;
  databaseBytes: number;
  /** The program the per-program pages are measured on (active, with a RACI matrix). */
  programId: string;
  loadSeconds: number;
}

/** Role mix of the generated accounts (out of 100): mostly team leads, as in a real rollout. */
const ROLE_MIX: ReadonlyArray<[Role, number]> = [
  ["admin", 2],
  ["plo", 6],
  ["coach", 16],
  ["sponsor", 6],
  ["team_lead", 70],
];

const STATUS_MIX: readonly ProgramStatus[] = ["active", "active", "planned", "paused", "completed", "completed", "completed", "planned", "active", "archived"];
const DIVISIONS = ["Operations", "Fleet", "Sales", "Finance", "IT", "Customer Service", "HR", "Procurement", "Legal", "Marketing"];
const FIRST = ["Ada", "Bram", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq"];
const LAST = ["Andersen", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jansen", "Kowalski", "Larsen", "Moreau", "Nowak", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"];
type AuditKind = { action: string; entityType: string; summary: (n: number) => string };
const PROGRAM_ACTIONS: readonly AuditKind[] = [
  { action: "program.updated", entityType: "program", summary: (n) => `Updated the program (change ${n})` },
  { action: "raci.cell_changed", entityType: "raci_cell", summary: (n) => `Set a RACI cell to R (edit ${n})` },
  { action: "raci.activity_added", entityType: "raci_activity", summary: (n) => `Added activity “Check-in ${n}”` },
  { action: "raci.role_updated", entityType: "raci_role", summary: (n) => `Renamed a RACI role (edit ${n})` },
];
const ACCOUNT_ACTIONS: readonly AuditKind[] = [
  { action: "login.succeeded", entityType: "user", summary: () => "Signed in" },
  { action: "login.failed", entityType: "user", summary: () => "Failed sign-in" },
  { action: "user.updated", entityType: "user", summary: (n) => `Changed a user's role (change ${n})` },
];

const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function insertInBatches<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  batchSize: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a generic table's rows here.
    await db.insertInto(table).values(rows.slice(i, i + batchSize) as any).execute();
  }
}

/** Loads the dataset into a freshly migrated, empty database. */
export async function loadDataset(db: Kysely<Database>): Promise<DatasetSummary> {
  const started = performance.now();
  const now = Date.now();

  // The installation is set up (no /setup redirect); its secret signs the toast cookie.
  await db
    .insertInto("installation")
    .values({ id: 1, secret: randomBytes(32).toString("base64url"), setup_completed_at: new Date(now - 400 * DAY) })
    .execute();

  // Users: two known accounts, then the crowd. The crowd shares one real hash (argon2 is slow on
  // purpose; their passwords are never used).
  const [adminHash, ploHash, crowdHash] = await Promise.all([
    hashPassword(BENCH_ADMIN.password),
    hashPassword(BENCH_PLO.password),
    hashPassword(randomBytes(16).toString("hex")),
  ]);
  const adminId = crypto.randomUUID();
  const ploId = crypto.randomUUID();
  const users: Insertable<Database["users"]>[] = [
    { id: adminId, email: BENCH_ADMIN.email, name: BENCH_ADMIN.name, password_hash: adminHash, role: "admin", created_at: new Date(now - 400 * DAY) },
    { id: ploId, email: BENCH_PLO.email, name: BENCH_PLO.name, password_hash: ploHash, role: "plo", created_at: new Date(now - 399 * DAY) },
  ];
  const roles = ROLE_MIX.flatMap(([role, share]) => Array.from({ length: share }, () => role));
  for (let i = 0; i < DATASET_SIZE.users; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    users.push({
      id: crypto.randomUUID(),
      email: `${first}.${last}.${i}@bench.rollout-desk.test`.toLowerCase(),
      name: `${first} ${last} ${i}`,
      password_hash: crowdHash,
      role: roles[i % roles.length],
      active: i % 20 !== 7,
      created_at: new Date(now - (390 - (i % 390)) * DAY),
      last_login_at: i % 3 === 0 ? null : new Date(now - (i % 60) * DAY - i * 1000),
    });
  }
  await insertInBatches(db, "users", users, 500);
  const actors = users.filter((u) => u.role === "admin" || u.role === "plo");

  // Programs: a few years of rollouts, waves and pilots per division.
  const programs: Insertable<Database["programs"]>[] = [];
  for (let i = 0; i < DATASET_SIZE.programs; i++) {
    const status = i === 0 ? "active" : STATUS_MIX[i % STATUS_MIX.length];
    const start = now - (700 - (i * 7) % 900) * DAY;
    programs.push({
      id: crypto.randomUUID(),
      name: `${DIVISIONS[i % DIVISIONS.length]} OKR rollout — wave ${Math.floor(i / DIVISIONS.length) + 1}`,
      description: `Synthetic program ${i + 1}: ${DIVISIONS[i % DIVISIONS.length]} teams adopting OKRs over ${2 + (i % 4)} quarterly cycles.`,
      starts_on: isoDate(start),
      ends_on: isoDate(start + (180 + (i % 4) * 90) * DAY),
      status,
      created_by: ploId,
      created_at: new Date(now - (800 - i) * DAY),
    });
  }
  await insertInBatches(db, "programs", programs, 200);
  const programId = programs[0].id as string;

  // Audit events: oldest first (ids grow with time), spread over the programs; one in ten is
  // not about a program (sign-ins, account changes).
  const span = 365 * DAY;
  const auditBatch: Insertable<Database["audit_events"]>[] = [];
  const flush = async () => {
    if (auditBatch.length === 0) return;
    await db.insertInto("audit_events").values(auditBatch).execute();
    auditBatch.length = 0;
  };
  for (let i = 0; i < DATASET_SIZE.auditEvents; i++) {
    const aboutProgram = i % 10 !== 0;
    const kind = aboutProgram ? PROGRAM_ACTIONS[i % PROGRAM_ACTIONS.length] : ACCOUNT_ACTIONS[(i / 10) % ACCOUNT_ACTIONS.length];
    const actor = actors[i % actors.length];
    const program = programs[(i * 7919) % programs.length];
    auditBatch.push({
      at: new Date(now - span + Math.floor((i / DATASET_SIZE.auditEvents) * span)),
      actor_id: actor.id as string,
      actor_label: actor.name as string,
      action: kind.action,
      entity_type: kind.entityType,
      entity_id: aboutProgram ? (program.id as string) : (actor.id as string),
      program_id: aboutProgram ? (program.id as string) : null,
      summary: kind.summary(i),
      details: JSON.stringify({ field: "name", before: `value ${i - 1}`, after: `value ${i}` }),
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    });
    if (auditBatch.length === 1000) await flush();
  }
  await flush();

  // The measured program gets a large RACI matrix (80 activities × 15 roles, the issue's
  // target size) through the model, which knows its invariants and logs its history.
  await createMatrix(db, { id: ploId, name: BENCH_PLO.name }, programId, { kind: "content", content: largeRaciContent() });

  // Planner statistics, as autovacuum would have them on a database in use for a while.
  await sql`analyze`.execute(db);

  const count = async (table: keyof Database) =>
    (await db.selectFrom(table).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow()).n;
  const size = await sql<{ bytes: number }>`select pg_database_size(current_database())::float8 as bytes`.execute(db);
  return {
    users: await count("users"),
    programs: await count("programs"),
    auditEvents: await count("audit_events"),
    raciMatrices: await count("raci_matrices"),
    raciActivities: await count("raci_activities"),
    raciRoles: await count("raci_roles"),
    databaseBytes: size.rows[0].bytes,
    programId,
    loadSeconds: (performance.now() - started) / 1000,
  };
}

/** 80 activities in 8 groups × 15 roles: one A, one or two R, a few C and I per activity. */
export function largeRaciContent(): MatrixContent {
  const roles = Array.from({ length: 15 }, (_, r) => ({ name: `Role ${String(r + 1).padStart(2, "0")}`, holders: r % 3 === 0 ? `Person ${r}a\nPerson ${r}b` : "" }));
  const activities = Array.from({ length: 80 }, (_, a) => {
    const cells: Record<string, RaciValue> = {};
    // Step 4 is coprime with 15 roles, so the six picks of an activity are six different roles.
    const pick = (k: number) => roles[(a * 7 + k * 4) % roles.length].name;
    cells[pick(0)] = "A";
    cells[pick(1)] = "R";
    if (a % 2 === 0) cells[pick(2)] = "R";
    cells[pick(3)] = "C";
    cells[pick(4)] = "I";
    cells[pick(5)] = "I";
    return { group: `Phase ${Math.floor(a / 10) + 1}`, name: `Activity ${a + 1}`, cells };
  });
  return { roles, activities };
}
