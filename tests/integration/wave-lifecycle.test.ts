import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations";
import { healthSummary } from "~/models/health/health-page.server";
import { teamCountsByWaveAndStatus } from "~/models/plan/program-teams.server";
import {
  addExitCriterion,
  changeWaveState,
  exitCriteriaByWave,
  removeExitCriterion,
  setExitCriterionMet,
  wavesLifecycle,
} from "~/models/plan/wave-lifecycle.server";
import { createWave } from "~/models/plan/waves.server";
import { exitProgress } from "~/models/plan/wave-lifecycle";
import { addDays, today } from "~/utils/dates";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";

// Waves with a lifecycle: entry criteria recorded at the start, exit criteria deciding the close,
// figures frozen at the close; and the migration that gives existing waves a state from their dates.

const TODAY = today();
let t: ReturnType<typeof useTestDatabase>;
let w: GraduationWorld;
const actor = () => ({ id: w.users.plo.id, name: w.users.plo.name });

async function lifecycle() {
  const summary = await healthSummary(t.db, w.programId, TODAY);
  const counts = await teamCountsByWaveAndStatus(t.db, w.programId);
  return (await wavesLifecycle(t.db, w.programId, summary, counts, TODAY))[w.waveId];
}

describe("the lifecycle of a wave", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await graduationWorld(t.db, TODAY);
    // The builders' wave has no exit criteria (it was inserted directly): give it the defaults.
    for (const c of [
      { kind: "first_cycle_scored" as const, label: "Teams scored their first cycle", threshold: 90 },
      { kind: "graduated_running" as const, label: "Teams graduated to running", threshold: 70 },
    ]) {
      await addExitCriterion(t.db, actor(), w.programId, w.waveId, c);
    }
  });

  it("judges exit criteria on the wave's figures", () => {
    const criteria = [
      { id: "a", kind: "first_cycle_scored" as const, label: "Scored", threshold: 90, position: 1, metAt: null, metByLabel: null },
      { id: "b", kind: "manual" as const, label: "Lessons shared", threshold: null, position: 2, metAt: new Date(), metByLabel: "Paula" },
    ];
    const progress = exitProgress(criteria, { teams: 10, scoredACycle: 9, running: 3 });
    expect(progress.checks.map((c) => [c.met, c.detail])).toEqual([
      [true, "9 of 10 teams (90 %, needs 90 %)"],
      [true, "Ticked by Paula"],
    ]);
    expect(progress.canClose).toBe(true);
    expect(exitProgress(criteria, { teams: 10, scoredACycle: 8, running: 3 }).canClose).toBe(false);
  });

  it("starts: the entry criteria are recorded as they are, and no longer decide anything", async () => {
    expect((await lifecycle()).state).toBe("planned");
    await expect(changeWaveState(t.db, actor(), w.programId, w.waveId, "closed", TODAY)).rejects.toThrow(/cannot become closed/);
    await changeWaveState(t.db, actor(), w.programId, w.waveId, "active", TODAY);
    const life = await lifecycle();
    expect(life.state).toBe("active");
    expect(life.entry?.recordedOn).toBe(TODAY);
    expect(life.entry?.criteria.length).toBeGreaterThanOrEqual(0);
    const wave = await t.db.selectFrom("waves").select(["started_on"]).where("id", "=", w.waveId).executeTakeFirstOrThrow();
    expect(wave.started_on).toBe(TODAY);
  });

  it("measures the exit criteria: 4 of 8 teams scored a whole cycle, 4 of 8 are running", async () => {
    const life = await lifecycle();
    expect(life.exit.checks.map((c) => c.detail)).toEqual(["4 of 8 teams (50 %, needs 90 %)", "4 of 8 teams (50 %, needs 70 %)"]);
    expect(life.health.band).not.toBe("not_measured");
  });

  it("closes only when every exit criterion is met, then keeps its figures", async () => {
    await changeWaveState(t.db, actor(), w.programId, w.waveId, "closing", TODAY);
    await expect(changeWaveState(t.db, actor(), w.programId, w.waveId, "closed", TODAY)).rejects.toThrow(
      /cannot close yet: “Teams scored their first cycle” \(4 of 8 teams \(50 %, needs 90 %\)\)/,
    );
    const criteria = (await exitCriteriaByWave(t.db, w.programId)).get(w.waveId)!;
    for (const c of criteria) await removeExitCriterion(t.db, actor(), w.programId, w.waveId, c.id);
    const manual = await addExitCriterion(t.db, actor(), w.programId, w.waveId, {
      kind: "manual",
      label: "Lessons shared with wave 2",
      threshold: null,
    });
    await expect(changeWaveState(t.db, actor(), w.programId, w.waveId, "closed", TODAY)).rejects.toThrow(/Lessons shared/);
    await setExitCriterionMet(t.db, actor(), w.programId, w.waveId, manual, true);
    await changeWaveState(t.db, actor(), w.programId, w.waveId, "closed", TODAY);
    const life = await lifecycle();
    expect(life.state).toBe("closed");
    expect(life.frozen?.closedOn).toBe(TODAY);
    expect(life.frozen?.teams.total).toBe(8);
    await expect(setExitCriterionMet(t.db, actor(), w.programId, w.waveId, manual, false)).rejects.toThrow(/is closed/);
    await expect(changeWaveState(t.db, actor(), w.programId, w.waveId, "active", TODAY)).rejects.toThrow(/cannot become active/);
    const events = await t.db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "wave.state_changed")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.summary)).toEqual([
      "Moved wave “Wave 1” from planned to active",
      "Moved wave “Wave 1” from active to closing",
      "Moved wave “Wave 1” from closing to closed",
    ]);
  });

  it("gives a new wave the default exit criteria", async () => {
    const id = await createWave(t.db, actor(), w.programId, { name: "Wave 9", startsOn: null, endsOn: null, goal: "" });
    expect(((await exitCriteriaByWave(t.db, w.programId)).get(id) ?? []).map((c) => [c.kind, c.threshold])).toEqual([
      ["first_cycle_scored", 90],
      ["graduated_running", 70],
    ]);
  });
});

describe("the migration to waves with a lifecycle", () => {
  const m = useTestDatabase();

  it("derives each existing wave's state from its dates, adds the default exit criteria and keeps every team's status", async () => {
    const migrator = new Migrator({ db: m.db, provider: { getMigrations: async () => migrations } });
    // The account and the program through today's code (which writes columns of later
    // migrations), then back to the schema before waves had a lifecycle.
    const plo = await createTestUser(m.db, { role: "plo" });
    const program = await createTestProgram(m.db, { id: plo.id, name: plo.name }, { name: "Before health" });
    const down = await migrator.migrateTo("2026_12_07_0060_sponsor_reports");
    expect(down.error).toBeUndefined();
    const day = (n: number) => addDays(TODAY, n);
    const waves = [
      ["Past", day(-90), day(-10)],
      ["Now", day(-63), day(30)],
      ["Next", day(20), day(80)],
      ["Undated", null, null],
    ] as const;
    for (const [i, [name, startsOn, endsOn]] of waves.entries()) {
      await sql`insert into waves (id, program_id, name, position, starts_on, ends_on) values (${name}, ${program.id}, ${name}, ${i + 1}, ${startsOn}, ${endsOn})`.execute(
        m.db,
      );
    }
    await sql`insert into org_units (id, name) values ('u1', 'Unit')`.execute(m.db);
    await sql`insert into teams (id, name, unit_id) values ('t1', 'Team', 'u1')`.execute(m.db);
    await sql`insert into program_teams (program_id, team_id, wave_id, status, status_changed_on) values (${program.id}, 't1', 'Now', 'running', ${day(-5)})`.execute(
      m.db,
    );
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await m.db
      .selectFrom("waves")
      .select(["id", "state", "started_on"])
      .where("program_id", "=", program.id)
      .orderBy("position")
      .execute();
    expect(rows.map((r) => [r.id, r.state, r.started_on])).toEqual([
      ["Past", "closing", day(-90)],
      ["Now", "active", day(-63)],
      ["Next", "planned", null],
      ["Undated", "planned", null],
    ]);
    const exit = await m.db
      .selectFrom("wave_exit_criteria")
      .select(["wave_id", "kind"])
      .where("wave_id", "=", "Now")
      .orderBy("position")
      .execute();
    expect(exit.map((e) => e.kind)).toEqual(["first_cycle_scored", "graduated_running"]);
    const team = await m.db
      .selectFrom("program_teams")
      .select(["status", "status_changed_on"])
      .where("team_id", "=", "t1")
      .executeTakeFirstOrThrow();
    expect(team).toEqual({ status: "running", status_changed_on: day(-5) });
  });
});
