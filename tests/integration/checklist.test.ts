import { beforeAll, describe, expect, it } from "vitest";
import { adoptionFigures, checklistCountsByWave, cycleChecklists, dueItems } from "~/models/cycles/checklist.server";
import { addDays, today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { checkInWorld, insertProgramTeam, insertTeamSet, insertUnit, insertWave, type CheckInWorld } from "../support/okr-builders";

// The per-team cycle checklist, derived from the data: each item flips when the data behind it
// changes, never by hand; the counts per wave and the adoption figures agree with the rows.

const TODAY = today();
let w: CheckInWorld;
let t: ReturnType<typeof useTestDatabase>;
let modelTeam: string;
let wave2: string;
let childUnit: string;

describe("the cycle checklist", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await checkInWorld(t.db, TODAY);
    wave2 = await insertWave(t.db, w.programId, "Wave 2", 2);
    childUnit = await insertUnit(t.db, "Inbound", w.unitId);
    modelTeam = (await insertProgramTeam(t.db, { programId: w.programId, unitId: childUnit, name: "Model team", waveId: wave2 })).teamId;
    await insertProgramTeam(t.db, { programId: w.programId, unitId: w.unitId, name: "Empty team", waveId: wave2 });
    const owner = (await t.db.selectFrom("teams").select("lead_person_id").where("id", "=", modelTeam).executeTakeFirstOrThrow())
      .lead_person_id;
    const yesterday = new Date(Date.now() - 86_400_000);
    await insertTeamSet(t.db, { programId: w.programId, cycleId: w.cycleId, teamId: modelTeam }, [
      {
        title: "Receive goods faster",
        state: "approved",
        keyResults: [
          {
            title: "Dock-to-stock hours",
            start: 48,
            target: 24,
            current: 30,
            direction: "decrease",
            ownerPersonId: owner,
            lastCheckInAt: yesterday,
          },
          { title: "Put-away accuracy", start: 90, target: 99, current: 96, ownerPersonId: owner, lastCheckInAt: yesterday },
        ],
      },
    ]);
  });

  it("derives every item from the data", async () => {
    const rows = await cycleChecklists(t.db, w.programId, w.cycleId, undefined, TODAY);
    const by = new Map(rows.map((r) => [r.teamName, r]));
    expect(rows.map((r) => r.teamName)).toEqual(["Transport", "Warehouse", "Empty team", "Model team"]);
    const warehouse = by.get("Warehouse")!;
    expect(warehouse).toMatchObject({
      drafted: true,
      qualityPassed: false,
      aligned: true,
      approved: true,
      onCadence: false,
      scored: false,
    });
    expect(warehouse.onCadenceShare).toBe(0);
    expect(warehouse.next).toBe("qualityPassed");
    expect(by.get("Empty team")).toMatchObject({ drafted: false, aligned: false, approved: false, onCadenceShare: null, next: "drafted" });
    const model = by.get("Model team")!;
    expect(model).toMatchObject({ drafted: true, qualityPassed: true, aligned: true, approved: true, onCadence: true, onCadenceShare: 1 });
    expect(model.next).toBeNull();
  });

  it("follows check-ins, the mid-cycle review of a unit above the team, scores and the retrospective", async () => {
    await t.db
      .insertInto("cycle_events")
      .values({
        id: crypto.randomUUID(),
        cycle_id: w.cycleId,
        program_id: w.programId,
        kind: "mid_cycle_review",
        occurs_on: TODAY,
        scope: "unit",
        unit_id: w.unitId,
        state: "held",
      })
      .execute();
    await t.db.updateTable("key_results").set({ last_check_in_at: new Date() }).where("id", "in", w.keyResultIds.slice(0, 3)).execute();
    const modelKrs = await t.db
      .selectFrom("key_results as kr")
      .innerJoin("objectives as o", "o.id", "kr.objective_id")
      .select("kr.id")
      .where("o.team_id", "=", modelTeam)
      .execute();
    await t.db
      .updateTable("key_results")
      .set({ score: 0.7 })
      .where(
        "id",
        "in",
        modelKrs.map((k) => k.id),
      )
      .execute();
    await t.db
      .insertInto("team_retrospectives")
      .values({ id: crypto.randomUUID(), team_id: modelTeam, cycle_id: w.cycleId, held_on: TODAY })
      .execute();
    const rows = await cycleChecklists(t.db, w.programId, w.cycleId, [w.teamId, modelTeam], TODAY);
    expect(rows).toHaveLength(2);
    const [warehouse, model] = rows;
    expect(warehouse.onCadenceShare).toBe(0.75);
    expect(warehouse.onCadence).toBe(false); // 3 of 4 < 80 %
    expect(warehouse.midReviewHeld).toBe(true);
    expect(model).toMatchObject({ midReviewHeld: true, scored: true, retroHeld: true });
  });

  it("makes scores and the retrospective due only at the end of the cycle", () => {
    const cycle = { startsOn: "2027-01-01", endsOn: "2027-03-31", state: "executing" };
    expect(dueItems(cycle, "2026-12-20")).toEqual(["drafted", "qualityPassed", "aligned", "approved"]);
    expect(dueItems(cycle, "2027-02-20")).toContain("midReviewHeld");
    expect(dueItems(cycle, "2027-02-20")).not.toContain("scored");
    expect(dueItems({ ...cycle, state: "reviewing" }, "2027-03-20")).toContain("retroHeld");
  });

  it("counts teams per wave in one query, and gives the sponsor's adoption figures", async () => {
    const counts = await checklistCountsByWave(t.db, w.programId, w.cycleId, TODAY);
    expect(counts.map((c) => [c.waveName, c.teams, c.drafted, c.qualityPassed, c.midReviewHeld, c.retroHeld])).toEqual([
      ["Wave 1", 2, 2, 0, 2, 0],
      ["Wave 2", 2, 1, 1, 2, 1],
    ]);
    const figures = await adoptionFigures(t.db, w.programId, TODAY);
    expect(figures.cycle?.id).toBe(w.cycleId);
    expect(figures.total).toMatchObject({ teams: 4, drafted: 3, approved: 3, onCadence: 1, scored: 1, retroHeld: 1 });
    expect(figures.total.onCadenceShare).toBeCloseTo(1 / 3, 2);
    expect(figures.waves).toHaveLength(2);
    const later = await adoptionFigures(t.db, w.programId, addDays(TODAY, 70));
    expect(later.cycle?.id).toBe(w.nextCycleId);
  });
});
