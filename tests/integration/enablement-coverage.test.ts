import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { heatMap } from "~/models/enablement/coverage.server";
import { createModule } from "~/models/enablement/curriculum.server";
import { createRequirement, grantWaiver, recordCompletion } from "~/models/enablement/requirements.server";
import { listStates } from "~/models/enablement/resolve.server";
import { assignWave } from "~/models/plan/program-teams.server";
import { createRisk } from "~/models/plan/risks.server";
import { addDays, today } from "~/utils/dates";
import type { RequirementInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertTeam, insertUnit, insertWave, moduleInput, requirementInput } from "../support/enablement";

// The coverage heat map is stored per program and day (ADR 0014): these tests check that the
// stored figures are those of the states, and that they follow every change that can move a
// state — a completion, a waiver, a team moved to another wave, a new day — while a change
// elsewhere (a risk) leaves them as they were computed.

const TODAY = "2027-01-10";

const requirement = (moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput =>
  requirementInput(moduleId, { dueRule: "before_wave", dueDays: 7, ...extra });

describe("the stored coverage heat map", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  async function setting(starts: [string, string] = ["2027-01-12", "2027-03-01"]) {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Company");
    const sales = await insertUnit(t.db, "Sales", root);
    const ops = await insertUnit(t.db, "Ops", root);
    // Wave 1 starts two days after TODAY (members due 7 days before: overdue), wave 2 in March (due).
    const wave1 = await insertWave(t.db, program.id, "Wave 1", starts[0], 1);
    const wave2 = await insertWave(t.db, program.id, "Wave 2", starts[1], 2);
    const team1 = await insertTeam(t.db, program.id, sales, wave1, 4);
    const team2 = await insertTeam(t.db, program.id, ops, wave2, 3);
    const fundamentals = await createModule(t.db, plo, program.id, moduleInput("Fundamentals"));
    const requirementId = await createRequirement(t.db, plo, program.id, requirement(fundamentals, { scope: "unit", unitId: root }));
    return { program, root, sales, ops, wave1, wave2, team1, team2, fundamentals, requirementId };
  }

  const emailOf = async (personId: string) =>
    (await t.db.selectFrom("people").select("email").where("id", "=", personId).executeTakeFirstOrThrow()).email;

  const computedAt = async (programId: string) =>
    (await t.db.selectFrom("enablement_coverage_stamps").select("computed_at").where("program_id", "=", programId).executeTakeFirst())
      ?.computed_at ?? null;

  it("shows per wave and per unit the figures of the people's states", async () => {
    const s = await setting();
    await recordCompletion(t.db, plo, s.program.id, {
      email: await emailOf(s.team1.memberIds[1]),
      moduleId: s.fundamentals,
      completedOn: "2027-01-02",
      evidence: "Class list",
    });
    const byWave = await heatMap(t.db, s.program.id, TODAY, "wave");
    expect(byWave.groups.map((g) => g.name)).toEqual(["Wave 1", "Wave 2"]);
    expect(byWave.cells[`${s.wave1}:${s.fundamentals}`]).toEqual({
      total: 4,
      met: 1,
      metOnTime: 1,
      overdue: 3,
      due: 0,
      refreshSoon: 0,
      waived: 0,
    });
    expect(byWave.cells[`${s.wave2}:${s.fundamentals}`]).toMatchObject({ total: 3, met: 0, overdue: 0, due: 3 });
    // The same figures as counting the states one by one.
    const states = await listStates(t.db, s.program.id, TODAY, { necessity: "required" });
    expect(states.filter((x) => x.waveId === s.wave1 && x.state === "overdue")).toHaveLength(3);

    const top = await heatMap(t.db, s.program.id, TODAY, "unit");
    expect(top.cells[`${s.root}:${s.fundamentals}`]).toMatchObject({ total: 7, met: 1, overdue: 3, due: 3 });
    const below = await heatMap(t.db, s.program.id, TODAY, "unit", s.root);
    expect(below.groups.map((g) => g.id).sort()).toEqual([s.sales, s.ops].sort());
    expect(below.cells[`${s.sales}:${s.fundamentals}`]).toMatchObject({ total: 4, met: 1, overdue: 3 });
    expect(below.cells[`${s.ops}:${s.fundamentals}`]).toMatchObject({ total: 3, due: 3 });
  });

  it("follows a completion, a waiver and a team moved to another wave at once", async () => {
    const s = await setting();
    const cell = async (waveId: string) => (await heatMap(t.db, s.program.id, TODAY, "wave")).cells[`${waveId}:${s.fundamentals}`];
    expect(await cell(s.wave1)).toMatchObject({ total: 4, met: 0, overdue: 4 });

    await recordCompletion(t.db, plo, s.program.id, {
      email: await emailOf(s.team1.memberIds[0]),
      moduleId: s.fundamentals,
      completedOn: "2027-01-09",
      evidence: "Certificate",
    });
    // Completed after its due day (7 days before the wave): met, but not on time.
    expect(await cell(s.wave1)).toMatchObject({ total: 4, met: 1, metOnTime: 0, overdue: 3 });

    await grantWaiver(t.db, plo, s.program.id, {
      email: await emailOf(s.team1.memberIds[1]),
      requirementId: s.requirementId,
      reason: "Trained at the previous employer",
    });
    expect(await cell(s.wave1)).toMatchObject({ total: 4, met: 1, overdue: 2, waived: 1 });

    // The PLO moves team 2 into wave 1: its three members are overdue there now.
    await assignWave(t.db, plo, s.program.id, { teamIds: [s.team2.id] }, s.wave1);
    const map = await heatMap(t.db, s.program.id, TODAY, "wave");
    expect(map.cells[`${s.wave1}:${s.fundamentals}`]).toMatchObject({ total: 7, met: 1, overdue: 5, waived: 1 });
    expect(map.cells[`${s.wave2}:${s.fundamentals}`]).toBeUndefined();
  });

  it("is computed again on a new day, and not after a change that cannot move a state", async () => {
    const s = await setting();
    // On 2027-01-04 wave 1's members are not due yet (due on the 5th); on the 10th they are overdue.
    const earlier = await heatMap(t.db, s.program.id, "2027-01-04", "wave");
    expect(earlier.cells[`${s.wave1}:${s.fundamentals}`]).toMatchObject({ due: 4, overdue: 0 });
    const later = await heatMap(t.db, s.program.id, TODAY, "wave");
    expect(later.cells[`${s.wave1}:${s.fundamentals}`]).toMatchObject({ due: 0, overdue: 4 });

    const stamped = await computedAt(s.program.id);
    expect(stamped).not.toBeNull();
    await createRisk(t.db, plo, s.program.id, {
      title: "Trainers on holiday",
      description: "",
      likelihood: 2,
      impact: 2,
      ownerEmail: null,
      mitigation: "",
      status: "open",
      waveId: null,
      unitId: null,
    });
    await heatMap(t.db, s.program.id, TODAY, "unit");
    expect(await computedAt(s.program.id)).toEqual(stamped);
  });

  it("follows a completion and a waiver of today without computing everything again, to the same figures", async () => {
    const day = today();
    const s = await setting([addDays(day, 30), addDays(day, 90)]);
    const cell = async () => (await heatMap(t.db, s.program.id, day, "wave")).cells[`${s.wave1}:${s.fundamentals}`];
    expect(await cell()).toMatchObject({ total: 4, met: 0, due: 4 });
    const stamped = await computedAt(s.program.id);

    await recordCompletion(t.db, plo, s.program.id, {
      email: await emailOf(s.team1.memberIds[2]),
      moduleId: s.fundamentals,
      completedOn: day,
      evidence: "Class list",
    });
    await grantWaiver(t.db, plo, s.program.id, {
      email: await emailOf(s.team1.memberIds[3]),
      requirementId: s.requirementId,
      reason: "Trains the module",
    });
    expect(await cell()).toEqual({ total: 4, met: 1, metOnTime: 1, overdue: 0, due: 2, refreshSoon: 0, waived: 1 });
    expect(await computedAt(s.program.id)).toEqual(stamped);

    // Computed afresh, the figures are the same.
    const updated = await heatMap(t.db, s.program.id, day, "unit", s.root);
    await t.db.updateTable("enablement_coverage_stamps").set({ program_version: null }).where("program_id", "=", s.program.id).execute();
    const afresh = await heatMap(t.db, s.program.id, day, "unit", s.root);
    expect(await computedAt(s.program.id)).not.toEqual(stamped);
    expect(afresh.cells).toEqual(updated.cells);
  });
});
