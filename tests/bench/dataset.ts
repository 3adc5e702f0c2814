// The synthetic dataset `npm run bench` runs on: sized like a large organization a few years
// into its rollout, loaded with direct bulk inserts (the model functions would take minutes).
// Later issues grow it with their own tables (teams, waves, reports…): add a step below and a
// count to `DatasetSummary`, keeping the whole load within a few seconds on PGlite.
import { randomBytes } from "node:crypto";
import { sql, type Insertable, type Kysely } from "kysely";
import type { Database, ProgramStatus, Role } from "../../db/schema";
import { createMatrix, type MatrixContent } from "~/models/raci/matrix.server";
import { loadCoachingDataset } from "./coaching-dataset";
import { loadCyclesDataset, type CyclesDatasetSummary } from "./cycles-dataset";
import { loadEnablementDataset, type EnablementDatasetSummary } from "./enablement-dataset";
import { loadReportsDataset, type ReportsDatasetSummary } from "./reports-dataset";
import type { RaciValue } from "../../db/schema";
import { hashPassword } from "~/utils/password.server";

export const BENCH_ADMIN = { email: "admin@bench.rollout-desk.test", password: "bench-admin-password", name: "Bench Admin" };
export const BENCH_COACH = { email: "coach@bench.rollout-desk.test", password: "bench-coach-password", name: "Bench Coach" };
export const BENCH_PLO = { email: "plo@bench.rollout-desk.test", password: "bench-plo-password", name: "Bench PLO" };

export const DATASET_SIZE = {
  /** Besides the admin and PLO above. */
  users: 500,
  programs: 200,
  auditEvents: 100_000,
  /** The organization (issue 3): units in a 3-level tree, teams and people. */
  units: 6 * 6,
  teams: 2_000,
  people: 20_000,
} as const;

export interface DatasetSummary {
  users: number;
  programs: number;
  auditEvents: number;
  raciMatrices: number;
  raciActivities: number;
  raciRoles: number;
  units: number;
  teams: number;
  people: number;
  waves: number;
  plannedTeams: number;
  coaches: number;
  sessions: number;
  databaseBytes: number;
  /** The program the per-program pages are measured on (active, with a RACI matrix). */
  programId: string;
  /** OKR cycles (issue 14), enablement (15) and sponsor reports (17) of the measured program. */
  cycles: CyclesDatasetSummary;
  enablement: EnablementDatasetSummary;
  reports: ReportsDatasetSummary;
  /** Seconds each step of the load took, in order. */
  steps: Array<[string, number]>;
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

const STATUS_MIX: readonly ProgramStatus[] = [
  "active",
  "active",
  "planned",
  "paused",
  "completed",
  "completed",
  "completed",
  "planned",
  "active",
  "archived",
];
const DIVISIONS = ["Operations", "Fleet", "Sales", "Finance", "IT", "Customer Service", "HR", "Procurement", "Legal", "Marketing"];
const FIRST = [
  "Ada",
  "Bram",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farid",
  "Greta",
  "Hugo",
  "Ines",
  "Jonas",
  "Kemal",
  "Lena",
  "Mateo",
  "Nora",
  "Oskar",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tariq",
];
const LAST = [
  "Andersen",
  "Becker",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Hansen",
  "Ivanova",
  "Jansen",
  "Kowalski",
  "Larsen",
  "Moreau",
  "Nowak",
  "Okafor",
  "Petrov",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Weber",
];
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
    await db
      .insertInto(table)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a generic table's rows here.
      .values(rows.slice(i, i + batchSize) as any)
      .execute();
  }
}

/** Loads the dataset into a freshly migrated, empty database. */
export async function loadDataset(db: Kysely<Database>): Promise<DatasetSummary> {
  const started = performance.now();
  const now = Date.now();
  const steps: Array<[string, number]> = [];
  let stepStarted = started;
  const step = (name: string) => {
    const at = performance.now();
    steps.push([name, (at - stepStarted) / 1000]);
    stepStarted = at;
  };

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
    {
      id: adminId,
      email: BENCH_ADMIN.email,
      name: BENCH_ADMIN.name,
      password_hash: adminHash,
      role: "admin",
      created_at: new Date(now - 400 * DAY),
    },
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
    const start = now - (700 - ((i * 7) % 900)) * DAY;
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

  step("accounts, programs, audit log, RACI");
  await loadOrganizationAndPlan(db, programId, ploId, now);
  step("organization and plan");
  await loadCoachingDataset(db, programId, now);
  step("coach community");
  // A known coach account for the coach's pages: the first bench coach (a full load of teams).
  const coachId = crypto.randomUUID();
  await db
    .insertInto("users")
    .values({
      id: coachId,
      email: BENCH_COACH.email,
      name: BENCH_COACH.name,
      password_hash: await hashPassword(BENCH_COACH.password),
      role: "coach",
    })
    .execute();
  await db.updateTable("people").set({ user_id: coachId }).where("email", "=", "coach.1@bench-coaches.test").execute();

  const plo = { id: ploId, name: BENCH_PLO.name };
  const cycles = await loadCyclesDataset(db, programId, now, plo);
  step("OKR cycles and check-ins");
  const enablement = await loadEnablementDataset(db, programId, now, plo);
  step("enablement");
  // Last: the published reports freeze the figures of every other area.
  const reports = await loadReportsDataset(db, programId, isoDate(now), plo);
  step("sponsor reports");

  // Planner statistics and visibility maps, as autovacuum keeps them on a database in use for a
  // while (PostgreSQL 13+ also vacuums tables that only grow): without the visibility map no
  // index-only scan is possible, which no real installation would see for long.
  await sql`vacuum analyze`.execute(db);
  // And the freshly written data checkpointed, so the first pages measured do not share the
  // machine with the database flushing 170 MB of new pages to disk.
  await sql`checkpoint`.execute(db);
  step("vacuum analyze, checkpoint");

  const count = async (table: keyof Database) =>
    (
      await db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow()
    ).n;
  const size = await sql<{ bytes: number }>`select pg_database_size(current_database())::float8 as bytes`.execute(db);
  return {
    users: await count("users"),
    programs: await count("programs"),
    auditEvents: await count("audit_events"),
    raciMatrices: await count("raci_matrices"),
    raciActivities: await count("raci_activities"),
    raciRoles: await count("raci_roles"),
    units: await count("org_units"),
    teams: await count("teams"),
    people: await count("people"),
    waves: await count("waves"),
    plannedTeams: await count("program_teams"),
    coaches: await count("coaches"),
    sessions: await count("support_sessions"),
    databaseBytes: size.rows[0].bytes,
    programId,
    cycles,
    enablement,
    reports,
    steps,
    loadSeconds: (performance.now() - started) / 1000,
  };
}

/** 80 activities in 8 groups × 15 roles: one A, one or two R, a few C and I per activity. */
export function largeRaciContent(): MatrixContent {
  const roles = Array.from({ length: 15 }, (_, r) => ({
    name: `Role ${String(r + 1).padStart(2, "0")}`,
    holders: r % 3 === 0 ? `Person ${r}a\nPerson ${r}b` : "",
  }));
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

const ONBOARDING_MIX = [
  "not_started",
  "onboarding",
  "onboarding",
  "first_cycle",
  "first_cycle",
  "running",
  "running",
  "self_sufficient",
] as const;

/**
 * The organization and the measured program's plan: a company root with 6 divisions of 5
 * departments, 2,000 teams of 10 people (a lead each, but for one team in 25), 6 waves with
 * criteria, three quarters of the teams planned with statuses and their history, milestones,
 * stakeholders and risks.
 */
async function loadOrganizationAndPlan(db: Kysely<Database>, programId: string, actorId: string, now: number): Promise<void> {
  const rootId = crypto.randomUUID();
  const units: Insertable<Database["org_units"]>[] = [{ id: rootId, name: "Bench Corp", parent_id: null, external_id: "U-0" }];
  const departments: string[] = [];
  for (let d = 0; d < 6; d++) {
    const divisionId = crypto.randomUUID();
    units.push({ id: divisionId, name: DIVISIONS[d], parent_id: rootId, external_id: `U-${d + 1}` });
    for (let k = 0; k < 5; k++) {
      const id = crypto.randomUUID();
      units.push({ id, name: `${DIVISIONS[d]} ${k + 1}`, parent_id: divisionId, external_id: `U-${d + 1}-${k + 1}` });
      departments.push(id);
    }
  }
  await insertInBatches(db, "org_units", units, 500);

  const teams: Insertable<Database["teams"]>[] = [];
  const people: Insertable<Database["people"]>[] = [];
  const perTeam = DATASET_SIZE.people / DATASET_SIZE.teams;
  for (let t = 0; t < DATASET_SIZE.teams; t++) {
    const teamId = crypto.randomUUID();
    const unitId = departments[t % departments.length];
    let leadId: string | null = null;
    for (let m = 0; m < perTeam; m++) {
      const i = t * perTeam + m;
      const id = crypto.randomUUID();
      if (m === 0) leadId = id;
      people.push({
        id,
        name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
        email: `person.${i}@bench-corp.test`,
        title: m === 0 ? "Team Lead" : "Specialist",
        unit_id: unitId,
        team_id: null,
        external_id: `E-${String(i).padStart(6, "0")}`,
      });
    }
    teams.push({
      id: teamId,
      name: `Team ${String(t + 1).padStart(4, "0")}`,
      unit_id: unitId,
      lead_person_id: t % 25 === 3 ? null : leadId,
      size: perTeam,
      external_id: `T-${t + 1}`,
    });
  }
  await insertInBatches(db, "people", people, 1000);
  await insertInBatches(db, "teams", teams, 1000);
  // Members join their team once both exist (people.team_id references teams).
  await sql`update people set team_id = t.id from teams t where people.external_id is not null and t.external_id = 'T-' || ((substring(people.external_id from 3)::int / ${perTeam}) + 1)`.execute(
    db,
  );

  const waves: Insertable<Database["waves"]>[] = Array.from({ length: 6 }, (_, w) => ({
    id: crypto.randomUUID(),
    program_id: programId,
    name: `Wave ${w + 1}`,
    position: w,
    starts_on: isoDate(now + (w - 2) * 60 * DAY),
    ends_on: isoDate(now + (w - 1) * 60 * DAY - DAY),
    goal: `Teams of wave ${w + 1} set, check in on and score their first OKRs.`,
  }));
  await insertInBatches(db, "waves", waves, 100);
  await insertInBatches(
    db,
    "wave_criteria",
    waves.flatMap((wave, w) => [
      {
        id: crypto.randomUUID(),
        wave_id: wave.id,
        kind: "teams_have_lead" as const,
        label: "Every team in the wave has a lead",
        position: 0,
      },
      {
        id: crypto.randomUUID(),
        wave_id: wave.id,
        kind: "manual" as const,
        label: "Kick-off with wave leads held",
        position: 1,
        met_at: w < 3 ? new Date(now - 30 * DAY) : null,
        met_by: w < 3 ? actorId : null,
        met_by_label: w < 3 ? BENCH_PLO.name : null,
      },
    ]),
    100,
  );

  // Three teams in four are planned; earlier waves are further along.
  const planned: Insertable<Database["program_teams"]>[] = [];
  const changes: Insertable<Database["team_status_changes"]>[] = [];
  teams.forEach((team, t) => {
    if (t % 4 === 3) return;
    const w = t % waves.length;
    const status = w >= 3 ? "not_started" : ONBOARDING_MIX[(t * 7) % ONBOARDING_MIX.length];
    const changedOn = isoDate(now - ((t % 90) + 1) * DAY);
    planned.push({
      program_id: programId,
      team_id: team.id as string,
      wave_id: waves[w].id as string,
      status,
      status_changed_on: status === "not_started" ? null : changedOn,
    });
    if (status !== "not_started")
      changes.push({
        program_id: programId,
        team_id: team.id as string,
        from_status: "not_started",
        to_status: status,
        changed_on: changedOn,
        changed_by: actorId,
      });
  });
  await insertInBatches(db, "program_teams", planned, 1000);
  await insertInBatches(db, "team_status_changes", changes, 1000);

  const owner = (i: number) => people[(i * 997) % people.length].id as string;
  await insertInBatches(
    db,
    "milestones",
    Array.from({ length: 40 }, (_, i) => ({
      id: crypto.randomUUID(),
      program_id: programId,
      wave_id: i % 3 === 0 ? null : (waves[i % waves.length].id as string),
      title: `Milestone ${i + 1}`,
      due_on: isoDate(now + (i - 15) * 9 * DAY),
      owner_person_id: owner(i),
      status: i < 10 ? ("done" as const) : i < 14 ? ("in_progress" as const) : ("planned" as const),
      done_on: i < 10 ? isoDate(now + (i - 16) * 9 * DAY) : null,
    })),
    100,
  );
  await insertInBatches(
    db,
    "stakeholders",
    Array.from({ length: 60 }, (_, i) => ({
      id: crypto.randomUUID(),
      program_id: programId,
      person_id: owner(i + 100),
      influence: i % 2 === 0 ? ("high" as const) : ("low" as const),
      interest: i % 3 === 0 ? ("low" as const) : ("high" as const),
      attitude: (["champion", "supporter", "neutral", "sceptic"] as const)[i % 4],
      communication_plan: "Monthly one-to-one; the status report.",
      contact_every_days: 30,
      last_contact_on: i % 5 === 0 ? null : isoDate(now - (i % 50) * DAY),
    })),
    100,
  );
  await insertInBatches(
    db,
    "risks",
    Array.from({ length: 80 }, (_, i) => ({
      id: crypto.randomUUID(),
      program_id: programId,
      title: `Risk ${i + 1}`,
      description: "Synthetic risk.",
      likelihood: (i % 5) + 1,
      impact: ((i * 3) % 5) + 1,
      owner_person_id: owner(i + 300),
      mitigation: "Synthetic mitigation.",
      status: (["open", "mitigating", "accepted", "closed"] as const)[i % 4],
      wave_id: i % 2 === 0 ? (waves[i % waves.length].id as string) : null,
    })),
    100,
  );
}
