// The demo installation: Northwind Logistics rolling out OKRs, one account per role, a finished
// pilot and the company-wide rollout. It goes through the real model functions, so the audit
// log shows the same entries a person clicking through the app would have produced.
//
// Idempotent: anything that already exists (matched by email or program name) is left alone,
// so the demo can be loaded again after an upgrade. Later issues extend `seedDemo` with their
// own data (teams, coaches, waves, RACI…) following the same "find, else create" pattern.
import { createMatrix, getMatrix, setCell } from "~/models/raci/matrix.server";
import { updateRole } from "~/models/raci/rows.server";
import type { Role } from "../schema";
import { seedDemoCoaching } from "./demo-coaching";
import { seedDemoCycles } from "./demo-cycles";
import { seedDemoEnablement } from "./demo-enablement";
import { seedDemoHealth } from "./demo-health";
import { seedDemoOrg } from "./demo-org";
import { seedDemoPlan } from "./demo-plan";
import { seedDemoPlanDetails } from "./demo-plan-details";
import { seedDemoReports } from "./demo-reports";
import type { Actor } from "~/models/audit/audit.server";
import { completeSetup, ensureInstallation, isSetupComplete } from "~/models/accounts/installation.server";
import { createProgram, type Program } from "~/models/programs/programs.server";
import { createUser, findUserByEmail } from "~/models/accounts/users.server";
import { seedDemoImport } from "./demo-import";
import type { DB } from "~/utils/db.server";
import type { ProgramInput } from "~/validation/program";

export const DEMO_COMPANY = "Northwind Logistics";

/** Shared by every demo account. Demo data only: never use it on a real installation. */
export const DEMO_PASSWORD = "northwind-demo-2026";

export interface DemoAccount {
  role: Role;
  name: string;
  email: string;
  /** What the person does at Northwind, shown on the console. */
  title: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: "admin", name: "Priya Raman", email: "admin@demo.rollout-desk.test", title: "IT Platform Lead (runs the installation)" },
  { role: "plo", name: "Jonas Weber", email: "plo@demo.rollout-desk.test", title: "Head of the OKR Program Lead Office" },
  { role: "coach", name: "Amara Okafor", email: "coach@demo.rollout-desk.test", title: "OKR Coach, Customer Operations & Fleet" },
  { role: "sponsor", name: "Margaret Chen", email: "sponsor@demo.rollout-desk.test", title: "Chief Operating Officer, executive sponsor" },
  { role: "team_lead", name: "Diego Álvarez", email: "team-lead@demo.rollout-desk.test", title: "Team Lead, Warehouse Operations Hamburg" },
  {
    role: "member",
    name: "Lea Novak",
    email: "member@demo.rollout-desk.test",
    title: "Shift Planner, Warehouse Operations Hamburg (owns a key result)",
  },
];

export const DEMO_PROGRAMS: readonly ProgramInput[] = [
  {
    name: "OKR pilot — Customer Operations",
    description:
      "Two OKR cycles with the five Customer Operations teams (support, returns, claims, key accounts, " +
      "service quality) to test the method, the coaching model and the check-in cadence before the " +
      "company-wide rollout. Closed with a retrospective; its learnings shaped the rollout plan.",
    startsOn: "2026-01-12",
    endsOn: "2026-06-30",
    status: "completed",
  },
  {
    name: "Company-wide OKR rollout 2026–27",
    description:
      "Northwind's OKR rollout to all divisions — Operations, Fleet, Sales, Finance and IT — in three " +
      "waves over four quarterly cycles. Goal: by the end of FY 2027 every team sets, checks in on and " +
      "scores its own OKRs without PLO help, with a certified coach community of twelve.",
    startsOn: "2026-10-01",
    endsOn: "2027-09-30",
    status: "active",
  },
];

export interface DemoSeedResult {
  accounts: Array<DemoAccount & { id: string; created: boolean }>;
  programs: Array<{ id: string; name: string; created: boolean }>;
}

export interface SeedDemoOptions {
  /** Receives one human line per step ("created …", "skipped …"). Silent by default. */
  log?: (line: string) => void;
}

/** Loads the demo installation into `db` (migrated already). Safe to run again. */
export async function seedDemo(db: DB, options: SeedDemoOptions = {}): Promise<DemoSeedResult> {
  const log = options.log ?? (() => {});
  await ensureInstallation(db);

  const accounts: DemoSeedResult["accounts"] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await findUserByEmail(db, account.email);
    if (existing) {
      log(`account ${account.email} exists already: left unchanged`);
      accounts.push({ ...account, id: existing.id, created: false });
      continue;
    }
    const input = { name: account.name, email: account.email, password: DEMO_PASSWORD, role: account.role };
    // The first administrator goes through setup, exactly as on a fresh installation; on an
    // installation that is already set up, the demo admin is simply one more account.
    const admin = accounts.find((a) => a.role === "admin");
    const user =
      account.role === "admin" && !(await isSetupComplete(db))
        ? await completeSetup(db, input)
        : await createUser(db, admin ? { id: admin.id, name: admin.name } : null, input);
    log(`created account ${user.email} (${user.role})`);
    accounts.push({ ...account, id: user.id, created: true });
  }
  await markSetupComplete(db);

  // Programs are the PLO's to create.
  const plo = accounts.find((a) => a.role === "plo");
  if (!plo) throw new Error("The demo has no PLO account.");
  const ploActor: Actor = { id: plo.id, name: plo.name };
  const programs: DemoSeedResult["programs"] = [];
  for (const input of DEMO_PROGRAMS) {
    const existing = await findProgramByName(db, input.name);
    if (existing) {
      log(`program “${input.name}” exists already: left unchanged`);
      programs.push({ id: existing.id, name: existing.name, created: false });
      continue;
    }
    const program = await createProgram(db, ploActor, input);
    log(`created program “${program.name}” (${program.status}, ${program.starts_on} → ${program.ends_on})`);
    programs.push({ id: program.id, name: program.name, created: true });
  }

  await seedDemoRaci(db, ploActor, programs, log);

  // The organization, then the company-wide rollout's plan (each step skips what exists).
  const org = await seedDemoOrg(db, ploActor);
  log(`organization: created ${org.units} units, ${org.teams} teams, ${org.people} people`);
  const rollout = programs.find((p) => p.name === DEMO_PROGRAMS[1].name);
  if (rollout) {
    await seedDemoPlan(db, ploActor, rollout.id);
    await seedDemoPlanDetails(db, ploActor, rollout.id);
    await seedDemoCoaching(db, ploActor, rollout.id);
    await seedDemoEnablement(db, ploActor, rollout.id);
    log(`rollout plan of “${rollout.name}”: waves, teams, milestones, stakeholders, risks, coaches, sessions, enablement`);
    const sponsor = accounts.find((a) => a.role === "sponsor");
    await seedDemoReports(db, ploActor, sponsor ? { id: sponsor.id, name: sponsor.name } : null, rollout.id);
    log(`sponsor reporting of “${rollout.name}”: budget, three published reports, decisions, a question, commitments`);
  }
  const pilot = programs.find((p) => p.name === DEMO_PROGRAMS[0].name);
  const cycles = await seedDemoCycles(db, ploActor, pilot?.id ?? null, rollout?.id ?? null);
  log(`OKR cycles: ${cycles.pilotCycleIds.length} closed pilot cycles, ${cycles.objectives.length} team objectives`);
  if (rollout) {
    const health = await seedDemoHealth(db, ploActor, rollout.id);
    if (health)
      log(`process health: wave 1 active, a closed bridge cycle of ${health.bridgeTeams} pilot teams, ${health.checkIns} check-ins`);
  }
  // Last: a month-later HR re-import (one move, one joiner), so the import history has an entry.
  const reimport = await seedDemoImport(db, ploActor);
  if (reimport) log(reimport);
  return { accounts, programs };
}

/**
 * The company-wide rollout's RACI matrix: the default template, with the PLO and coach roles
 * named, and one deliberate violation (two Accountable roles for the rollout plan) so the
 * editor's validation is visible at once.
 */
async function seedDemoRaci(db: DB, actor: Actor, programs: DemoSeedResult["programs"], log: (line: string) => void) {
  const rollout = programs.find((p) => p.name === DEMO_PROGRAMS[1].name);
  if (!rollout) return;
  if (await getMatrix(db, rollout.id)) {
    log("RACI matrix of the company-wide rollout exists already: left unchanged");
    return;
  }
  const matrix = await createMatrix(db, actor, rollout.id, { kind: "template" });
  const role = (name: string) => matrix.roles.find((r) => r.name === name)!;
  await updateRole(db, actor, rollout.id, role("PLO").id, role("PLO").version, { name: "PLO", holders: "Jonas Weber\nLena Fischer" });
  await updateRole(db, actor, rollout.id, role("OKR Coach").id, role("OKR Coach").version, {
    name: "OKR Coach",
    holders: "Amara Okafor\nTobias Lindqvist\nSofia Marques",
  });
  await updateRole(db, actor, rollout.id, role("Executive Sponsor").id, role("Executive Sponsor").version, {
    name: "Executive Sponsor",
    holders: "Margaret Chen",
  });
  const plan = matrix.activities.find((a) => a.name === "Create the rollout plan")!;
  const coachCell = matrix.cells.find((c) => c.activityId === plan.id && c.roleId === role("OKR Coach").id);
  await setCell(db, actor, rollout.id, {
    activityId: plan.id,
    roleId: role("OKR Coach").id,
    value: "A",
    expectedVersion: coachCell?.version ?? 0,
  });
  log("created the RACI matrix of the company-wide rollout (with one deliberate violation to fix)");
}

/** Setup is done once any administrator exists; the demo must never show the setup page. */
async function markSetupComplete(db: DB): Promise<void> {
  await db
    .updateTable("installation")
    .set({ setup_completed_at: new Date() })
    .where("id", "=", 1)
    .where("setup_completed_at", "is", null)
    .execute();
}

async function findProgramByName(db: DB, name: string): Promise<Pick<Program, "id" | "name"> | undefined> {
  return db.selectFrom("programs").select(["id", "name"]).where("name", "=", name).executeTakeFirst();
}
