import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { startedCycles, teamCycleFacts } from "~/models/health/facts.server";
import { healthBasics, healthPage } from "~/models/health/health-page.server";
import { healthView, loadHealthData, type HealthFocus } from "~/models/health/health.server";
import { teamHealth } from "~/models/health/metrics";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertCycle, insertPerson, insertProgramTeam, insertTeamSet, insertUnit, insertWave } from "../support/okr-builders";

// Each metric of process health, computed by SQL on small hand-made cycles whose answer is known.
//
// Cycle 2027-Q1 (4 Jan → 28 Mar, cadence 14, closed; alignment on 11 Jan) is 83 days: 5 complete
// check-in windows (4–17 Jan, 18–31 Jan, 1–14 Feb, 15–28 Feb, 1–14 Mar), mid-point 14 Feb.
// Cycle 2027-Q2 (5 Apr → 27 Jun) is running on 1 May (26 days in: 1 complete window, 5–18 Apr).
//
//   Model    (wave 1)  one objective created 8 Jan with two complete key results, both scored;
//                      check-ins on 5 Jan, 20 Jan, 3 Feb (first half: on track, on track, needs
//                      attention), 17 Feb (off track): 4 of 5 windows, none in the last window;
//                      a retrospective recorded by its lead. In Q2: check-ins 10 and 20 Apr.
//   Silent   (wave 1)  nothing at all.
//   Late     (no wave) one objective created 20 Jan with one milestone worded as a task, no owner.
//   Later    (wave 2, starting after Q1) nothing: not taking part.

const TODAY = "2027-05-01";
let t: ReturnType<typeof useTestDatabase>;
let programId: string;
let q1: string;
let q2: string;
const team: Record<string, string> = {};
let modelQ2KeyResults: string[] = [];

async function checkIn(keyResultId: string, day: string, confidence: "on_track" | "needs_attention" | "off_track") {
  await t.db
    .insertInto("check_ins")
    .values({ id: crypto.randomUUID(), key_result_id: keyResultId, value: 1, confidence, at: `${day}T10:00:00Z` })
    .execute();
}

function setUp() {
  beforeAll(async () => {
    const plo = await createTestUser(t.db, { role: "plo", name: "Paula PLO" });
    const lead = await createTestUser(t.db, { role: "team_lead", name: "Lena Lead" });
    const coach = await createTestUser(t.db, { role: "coach", name: "Cora Coach" });
    programId = (await createTestProgram(t.db, { id: plo.id, name: plo.name }, { name: "Health program", status: "active" })).id;
    const wave1 = await insertWave(t.db, programId, "Wave 1", 1);
    const wave2 = await insertWave(t.db, programId, "Wave 2", 2);
    await t.db.updateTable("waves").set({ starts_on: "2027-01-01", ends_on: "2027-06-30" }).where("id", "=", wave1).execute();
    await t.db.updateTable("waves").set({ starts_on: "2027-07-01", ends_on: "2027-12-31" }).where("id", "=", wave2).execute();
    const ops = await insertUnit(t.db, "Operations");
    const hub = await insertUnit(t.db, "Hub", ops);
    team.model = (await insertProgramTeam(t.db, { programId, unitId: hub, name: "Model", waveId: wave1, leadUserId: lead.id })).teamId;
    team.silent = (await insertProgramTeam(t.db, { programId, unitId: ops, name: "Silent", waveId: wave1 })).teamId;
    team.late = (await insertProgramTeam(t.db, { programId, unitId: ops, name: "Late", waveId: null })).teamId;
    team.later = (await insertProgramTeam(t.db, { programId, unitId: ops, name: "Later", waveId: wave2 })).teamId;
    await insertPerson(t.db, { name: "Cora Coach", unitId: ops, userId: coach.id });

    q1 = await insertCycle(t.db, programId, {
      name: "2027-Q1",
      startsOn: "2027-01-04",
      endsOn: "2027-03-28",
      state: "closed",
      cadence: 14,
    });
    q2 = await insertCycle(t.db, programId, {
      name: "2027-Q2",
      startsOn: "2027-04-05",
      endsOn: "2027-06-27",
      cadence: 14,
      previousCycleId: q1,
    });
    await insertCycle(t.db, programId, { name: "2027-Q3", startsOn: "2027-07-05", endsOn: "2027-09-26", state: "planning" });
    await t.db
      .insertInto("cycle_events")
      .values({ id: crypto.randomUUID(), cycle_id: q1, program_id: programId, kind: "alignment", occurs_on: "2027-01-11" })
      .execute();

    const owner = (await t.db.selectFrom("teams").select("lead_person_id").where("id", "=", team.model).executeTakeFirstOrThrow())
      .lead_person_id;
    const [model] = await insertTeamSet(t.db, { programId, cycleId: q1, teamId: team.model }, [
      {
        title: "Faster hub",
        keyResults: [
          { title: "Dock-to-stock hours from 48 to 24", start: 48, target: 24, direction: "decrease", ownerPersonId: owner, score: 0.7 },
          { title: "Put-away accuracy from 90 to 99", start: 90, target: 99, ownerPersonId: owner, score: 0.5 },
        ],
      },
    ]);
    await sql`update objectives set created_at = ${"2027-01-08T09:00:00Z"}::timestamptz where id = ${model.id}`.execute(t.db);
    const kr = model.keyResultIds[0];
    await checkIn(kr, "2027-01-05", "on_track");
    await checkIn(kr, "2027-01-20", "on_track");
    await checkIn(kr, "2027-02-03", "needs_attention");
    await checkIn(kr, "2027-02-17", "off_track");
    await t.db
      .updateTable("key_results")
      .set({ last_check_in_at: new Date("2027-02-17T10:00:00Z") })
      .where("id", "=", kr)
      .execute();
    await t.db
      .insertInto("team_retrospectives")
      .values({ id: crypto.randomUUID(), team_id: team.model, cycle_id: q1, held_on: "2027-03-26", created_by: lead.id })
      .execute();
    await t.db
      .insertInto("support_sessions")
      .values([
        {
          id: crypto.randomUUID(),
          program_id: programId,
          coach_id: await coachId(ops, coach.id),
          team_id: team.model,
          held_on: "2027-01-06",
          type: "drafting",
          duration_minutes: 60,
        },
      ])
      .execute();

    const [late] = await insertTeamSet(t.db, { programId, cycleId: q1, teamId: team.late }, [
      { title: "A better portal", keyResults: [{ title: "Launch the portal", kind: "milestone", ownerPersonId: null }] },
    ]);
    await sql`update objectives set created_at = ${"2027-01-20T09:00:00Z"}::timestamptz where id = ${late.id}`.execute(t.db);

    const [modelQ2] = await insertTeamSet(t.db, { programId, cycleId: q2, teamId: team.model }, [
      {
        title: "Faster hub, again",
        keyResults: [
          { title: "Dock-to-stock hours from 24 to 12", start: 24, target: 12, direction: "decrease", ownerPersonId: owner },
          { title: "Put-away accuracy from 95 to 99", start: 95, target: 99, ownerPersonId: owner },
        ],
      },
    ]);
    await sql`update objectives set created_at = ${"2027-04-06T09:00:00Z"}::timestamptz where id = ${modelQ2.id}`.execute(t.db);
    modelQ2KeyResults = modelQ2.keyResultIds;
    await checkIn(modelQ2.keyResultIds[0], "2027-04-10", "on_track");
    await checkIn(modelQ2.keyResultIds[0], "2027-04-20", "on_track");
    await t.db
      .updateTable("key_results")
      .set({ last_check_in_at: new Date("2027-04-20T10:00:00Z") })
      .where("id", "=", modelQ2.keyResultIds[0])
      .execute();
  });
}

async function coachId(unitId: string, userId: string): Promise<string> {
  const person = await t.db.selectFrom("people").select("id").where("user_id", "=", userId).executeTakeFirst();
  const personId = person?.id ?? (await insertPerson(t.db, { name: "Cora Coach", unitId, userId }));
  const id = crypto.randomUUID();
  await t.db.insertInto("coaches").values({ id, program_id: programId, person_id: personId, capacity: 4 }).execute();
  return id;
}

async function factsOf(cycleId: string) {
  return new Map((await teamCycleFacts(t.db, programId, [cycleId], TODAY)).map((f) => [f.teamName, f]));
}

describe("the facts of process health", () => {
  t = useTestDatabase();
  setUp();

  it("knows the cycles that have started, oldest first", async () => {
    expect((await startedCycles(t.db, programId, TODAY)).map((c) => c.name)).toEqual(["2027-Q1", "2027-Q2"]);
  });

  it("takes in the teams whose wave started by the cycle's end, and those that drafted", async () => {
    expect([...(await factsOf(q1)).keys()].sort()).toEqual(["Late", "Model", "Silent"]);
  });

  it("measures drafting, alignment, windows, updates, confidence, scores, the retrospective and coaching of a closed cycle", async () => {
    const model = (await factsOf(q1)).get("Model")!;
    expect(model).toMatchObject({
      pastDraftingDeadline: true,
      ended: true,
      objectives: 1,
      draftedOnTime: true,
      alignedObjectives: 1,
      objectivesWithKrCountOk: 1,
      keyResults: 2,
      completeKeyResults: 2,
      taskLikeKeyResults: 0,
      scoredKeyResults: 2,
      updatedKeyResults: 0,
      windowsDue: 5,
      windowsKept: 4,
      confidenceSecondHalf: 0,
      retroHeld: true,
      retroByTeam: true,
      supportMinutes: 60,
    });
    expect(model.confidenceFirstHalf).toBeCloseTo(2.5 / 3, 5);
    const health = teamHealth(model);
    expect(health.score).toBe(80);
    expect(health.reasons).toEqual(["0 of 2 key results updated in the last window", "confidence falling"]);
  });

  it("finds a set drafted after the deadline, its task wording and its missing owner", async () => {
    const late = (await factsOf(q1)).get("Late")!;
    expect(late).toMatchObject({
      objectives: 1,
      draftedOnTime: false,
      keyResults: 1,
      completeKeyResults: 0,
      taskLikeKeyResults: 1,
      objectivesWithKrCountOk: 0,
      windowsKept: 0,
      retroHeld: false,
    });
    expect(teamHealth(late).metrics.qualityScore).toBe(40);
  });

  it("counts only complete windows of a running cycle, and check-ins of the last cadence as updates", async () => {
    const model = (await factsOf(q2)).get("Model")!;
    expect(model).toMatchObject({ ended: false, windowsDue: 1, windowsKept: 1, updatedKeyResults: 1, keyResults: 2 });
  });

  it("rolls the teams up per wave and unit and compares each with the previous cycle", async () => {
    const data = await loadHealthData(t.db, programId, TODAY);
    const q1View = healthView(data, { cycleId: q1 });
    expect(q1View.teams.map((r) => [r.teamName, r.score])).toEqual([
      ["Silent", 0],
      ["Late", 19],
      ["Model", 80],
    ]);
    expect(q1View.overall).toMatchObject({ score: 33, band: "at_risk", teams: 3, change: "new" });
    expect(q1View.waves.map((w) => [w.name, w.score])).toEqual([
      ["Wave 1", 40],
      ["Wave 2", null],
      ["No wave", 19],
    ]);
    // One top unit (the company): its units are the rows, and its own teams one more row.
    expect(q1View.units.map((u) => [u.name, u.score, u.teams])).toEqual([
      ["Hub", 80, 1],
      ["Directly in Operations", 10, 2],
    ]);

    const current = healthView(data);
    expect(current.cycle?.name).toBe("2027-Q2");
    expect(current.previousCycle?.name).toBe("2027-Q1");
    const model = current.teams.find((r) => r.teamName === "Model")!;
    expect(model).toMatchObject({ previousScore: 80, change: "better" });
    expect(current.trend.map((p) => p.name)).toEqual(["2027-Q1", "2027-Q2"]);
    expect(current.trend[0].score).toBe(33);
    expect(model.score).toBe(93);

    const operations = data.units.find((u) => u.name === "Operations")!.id;
    const hub = healthView(data, { cycleId: q1, focus: { unitId: operations } });
    expect(hub.units.map((u) => u.name)).toEqual(["Hub", "Directly in Operations"]);
    expect(hub.overall.score).toBe(33);
    const wave1 = healthView(data, { cycleId: q1, focus: { waveId: q1View.waves[0].id } });
    expect(wave1.teams.map((r) => r.teamName)).toEqual(["Silent", "Model"]);
  });

  it("gives the teams sitting directly in a lone top unit a row of their own, and drills down to them alone", async () => {
    const data = await loadHealthData(t.db, programId, TODAY);
    const view = healthView(data, { cycleId: q1 });
    // Every taking-part team is in exactly one unit row.
    expect(view.units.reduce((sum, u) => sum + u.teams, 0)).toBe(view.overall.teams);
    const own = view.units.find((u) => u.direct)!;
    expect(own).toMatchObject({ name: "Directly in Operations", teams: 2, score: 10, band: "at_risk" });
    const drilled = healthView(data, { cycleId: q1, focus: { unitId: own.id, direct: true } });
    expect(drilled.focusName).toBe("Directly in Operations");
    expect(drilled.teams.map((r) => r.teamName)).toEqual(["Silent", "Late"]);
    expect(drilled.units).toEqual([]);
    expect(drilled.overall).toMatchObject({ teams: 2, score: 10 });
  });

  it("counts the same figures in SQL for the page as in Node, for every cycle and focus", async () => {
    const data = await loadHealthData(t.db, programId, TODAY);
    const basics = await healthBasics(t.db, programId, TODAY);
    const operations = data.units.find((u) => u.name === "Operations")!.id;
    const hub = data.units.find((u) => u.name === "Hub")!.id;
    const wave1 = data.waves.find((w) => w.name === "Wave 1")!.id;
    const focuses: HealthFocus[] = [
      {},
      { waveId: wave1 },
      { waveId: "none" },
      { unitId: operations },
      { unitId: operations, direct: true },
      { unitId: hub },
      { waveId: wave1, unitId: operations, direct: true },
    ];
    const brief = (g: {
      name: string;
      teams: number;
      score: number | null;
      band: string;
      reasons: string[];
      previousScore: number | null;
      change: string;
    }) => [g.name, g.teams, g.score, g.band, g.reasons, g.previousScore, g.change];
    for (const cycleId of [q1, q2]) {
      for (const focus of focuses) {
        const where = `${cycleId === q1 ? "Q1" : "Q2"} ${JSON.stringify(focus)}`;
        const node = healthView(data, { cycleId, focus });
        const page = await healthPage(t.db, programId, basics, { cycleId, focus, teamRows: 200, flagged: true });
        expect(page.focusName, where).toBe(node.focusName);
        expect(brief(page.overall), where).toEqual(brief(node.overall));
        expect(page.overall.bands, where).toEqual(node.overall.bands);
        expect(page.overall.problems, where).toEqual(node.overall.problems);
        expect(page.waves.map(brief), where).toEqual(node.waves.map(brief));
        expect(page.units.map(brief), where).toEqual(node.units.map(brief));
        expect(page.trend, where).toEqual(node.trend);
        // The sponsor report's narrower count (this cycle and the previous one, no units) says the same.
        const summary = await healthPage(t.db, programId, basics, { cycleId, focus, summaryOnly: true });
        expect(brief(summary.overall), where).toEqual(brief(node.overall));
        expect(summary.overall.problems, where).toEqual(node.overall.problems);
        expect(summary.waves.map(brief), where).toEqual(node.waves.map(brief));
        const row = (r: (typeof node.teams)[number]) => [r.teamName, r.score, r.band, r.reasons, r.previousScore, r.change, r.metrics];
        expect(page.teams.map(row), where).toEqual(node.teams.map(row));
        expect(page.matching, where).toBe(node.teams.length);
        const flagged = node.teams.filter(
          (r) => r.band === "at_risk" || r.problems.some((p) => p === "missed_windows" || p === "not_updated"),
        );
        expect(
          page.flagged.map((r) => r.teamName),
          where,
        ).toEqual(flagged.map((r) => r.teamName));
      }
    }
    const atRisk = await healthPage(t.db, programId, basics, { cycleId: q1, band: "at_risk", teamRows: 1 });
    expect(atRisk.teams.map((r) => r.teamName)).toEqual(["Silent"]);
    expect(atRisk.matching).toBe(2);
  });

  // Last: it adds a check-in.
  it("keeps the facts it stores up to date with every change and every day a cycle runs", async () => {
    const on = async (day: string) => (await teamCycleFacts(t.db, programId, [q2], day)).find((f) => f.teamName === "Model")!;
    expect(await on(TODAY)).toMatchObject({ windowsDue: 1, windowsKept: 1, updatedKeyResults: 1 });
    // Two days later the second window (19 Apr – 2 May) is complete: the check-in of 20 Apr keeps it.
    expect(await on("2027-05-03")).toMatchObject({ windowsDue: 2, windowsKept: 2 });
    expect(await on(TODAY)).toMatchObject({ windowsDue: 1, windowsKept: 1, updatedKeyResults: 1 });
    await checkIn(modelQ2KeyResults[1], "2027-04-25", "needs_attention");
    await t.db
      .updateTable("key_results")
      .set({ last_check_in_at: new Date("2027-04-25T10:00:00Z") })
      .where("id", "=", modelQ2KeyResults[1])
      .execute();
    const after = await on(TODAY);
    expect(after).toMatchObject({ windowsKept: 1, updatedKeyResults: 2, confidenceSecondHalf: 0.75 });
    // The closed cycle's facts were not touched by the change, nor by the days.
    expect((await factsOf(q1)).get("Model")).toMatchObject({ windowsKept: 4, scoredKeyResults: 2 });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from health_dirty`.execute(t.db);
    expect(rows[0].n).toBe(0);
  });
});
