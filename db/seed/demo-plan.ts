// Demo rollout plan for Northwind's company-wide rollout: three waves with goals and entry
// criteria, the organization's teams distributed by unit, and onboarding statuses as they would
// stand on the demo's "today" (23 Nov 2026): wave 1 (started in October) mostly onboarding or in
// its first cycle with a couple of teams running, waves 2 and 3 not started.
//
// Goes through the model functions, so the audit log reads as if the PLO had done it by hand.
// Idempotent: a program that already has waves is left alone. Uses the organization that
// `seedDemoOrg` created (units matched by name, case-insensitive, anywhere in the tree); with no
// teams it creates the waves only.
import { sql } from "kysely";
import type { OnboardingStatus } from "../schema";
import type { Actor } from "~/models/audit/audit.server";
import { allProgramTeams, assignWave, setStatus } from "~/models/plan/program-teams.server";
import { addCriterion, createWave, getWave, setCriterionMet } from "~/models/plan/waves.server";
import type { DB } from "~/utils/db.server";

interface DemoWave {
  name: string;
  startsOn: string;
  endsOn: string;
  goal: string;
  /** Units whose teams (with sub-units) join the wave; "*" = every team not yet in a wave. */
  units: readonly string[];
  /** Manual criteria added to the defaults. */
  extraCriteria: readonly string[];
  /** Manual criteria (default or extra) already ticked. */
  ticked: readonly string[];
  /** Teams without a lead wait outside the wave until they have one (the wave would be blocked). */
  holdBackLeadless: boolean;
}

const KICK_OFF = "Kick-off with wave leads held";
const COACHES_BRIEFED = "Coaches briefed on the wave's teams";

const DEMO_WAVES: readonly DemoWave[] = [
  {
    name: "Operations & Customer Ops",
    startsOn: "2026-10-05",
    endsOn: "2026-12-18",
    goal:
      "Every Operations and Customer Operations team drafts, aligns and checks in on its first OKR set in the Q4 " +
      "cycle, with the pilot teams of Customer Operations running on their own by December.",
    units: ["Operations", "Customer Operations"],
    extraCriteria: ["Leadership alignment workshop with the Head of Operations done"],
    ticked: [KICK_OFF, COACHES_BRIEFED, "Leadership alignment workshop with the Head of Operations done"],
    holdBackLeadless: false,
  },
  {
    name: "Fleet & Sales",
    startsOn: "2027-01-04",
    endsOn: "2027-03-26",
    goal:
      "Fleet and Sales set their first OKRs for the Q1 2027 cycle, aligned to the commercial targets; every team has a " +
      "trained lead and an assigned coach before the kick-off.",
    units: ["Fleet", "Sales"],
    extraCriteria: ["Workshop dates confirmed with the Fleet and Sales leads"],
    ticked: [COACHES_BRIEFED, "Workshop dates confirmed with the Fleet and Sales leads"],
    holdBackLeadless: true,
  },
  {
    name: "Finance, IT & the rest",
    startsOn: "2027-04-05",
    endsOn: "2027-06-25",
    goal:
      "Finance, IT and the remaining support functions join for the Q2 2027 cycle, so that every team of Northwind " +
      "works with OKRs from July.",
    units: ["Finance", "IT", "*"],
    extraCriteria: [],
    ticked: [],
    holdBackLeadless: true,
  },
];

/** Wave 1's teams, by their place in the list (sorted by name): how far each has come. */
function wave1Stage(index: number, hasLead: boolean): OnboardingStatus {
  if (!hasLead) return "onboarding";
  if (index === 0 || index === 5) return "running";
  return index % 4 === 3 ? "onboarding" : "first_cycle";
}

async function unitIdsNamed(db: DB, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom("org_units")
    .select("id")
    .where("archived_at", "is", null)
    .where(
      sql<string>`lower(name)`,
      "in",
      names.map((n) => n.toLowerCase()),
    )
    .execute();
  return rows.map((r) => r.id);
}

export async function seedDemoPlan(db: DB, actor: Actor, programId: string): Promise<void> {
  const existing = await db.selectFrom("waves").select("id").where("program_id", "=", programId).limit(1).executeTakeFirst();
  if (existing) return;

  const waveIds: string[] = [];
  for (const demo of DEMO_WAVES) {
    const id = await createWave(db, actor, programId, { name: demo.name, startsOn: demo.startsOn, endsOn: demo.endsOn, goal: demo.goal });
    for (const label of demo.extraCriteria) await addCriterion(db, actor, programId, id, { kind: "manual", label });
    const wave = await getWave(db, programId, id);
    for (const criterion of wave?.criteria ?? []) {
      if (criterion.kind === "manual" && demo.ticked.includes(criterion.label))
        await setCriterionMet(db, actor, programId, id, criterion.id, true);
    }
    waveIds.push(id);
  }

  const anyTeam = await db.selectFrom("teams").select("id").where("archived_at", "is", null).limit(1).executeTakeFirst();
  if (!anyTeam) return;

  // Teams join their waves unit by unit; "the rest" are the teams no earlier wave took.
  for (const [i, demo] of DEMO_WAVES.entries()) {
    const lead = demo.holdBackLeadless ? "yes" : undefined;
    for (const unitId of await unitIdsNamed(
      db,
      demo.units.filter((u) => u !== "*"),
    )) {
      await assignWave(db, actor, programId, { matching: { unit: unitId, wave: "none", lead } }, waveIds[i]);
    }
    if (demo.units.includes("*")) await assignWave(db, actor, programId, { matching: { wave: "none", lead } }, waveIds[i]);
  }

  // Wave 1 started on 5 October: every team began onboarding at the kick-off; most started
  // their first cycle three weeks later; a couple of pilot-experienced teams run on their own.
  const wave1 = await allProgramTeams(db, programId, { q: "", filters: { wave: waveIds[0] }, sort: "team", dir: "asc" });
  if (wave1.length === 0) return;
  const stages = wave1.map((team, index) => ({ id: team.id, stage: wave1Stage(index, team.leadName !== null) }));
  const ids = (...wanted: OnboardingStatus[]) => stages.filter((s) => wanted.includes(s.stage)).map((s) => s.id);
  await setStatus(db, actor, programId, { teamIds: stages.map((s) => s.id) }, "onboarding", "2026-10-05");
  const started = ids("first_cycle", "running");
  if (started.length) await setStatus(db, actor, programId, { teamIds: started }, "first_cycle", "2026-10-26");
  const running = ids("running");
  if (running.length) await setStatus(db, actor, programId, { teamIds: running }, "running", "2026-11-16");
}
