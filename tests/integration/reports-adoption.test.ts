import { describe, expect, it } from "vitest";
import { adoptionReportFigures } from "~/models/cycles/report-figures.server";
import { FIGURE_SOURCES } from "~/models/reports/plug-ins.server";
import { today as todayDay } from "~/utils/dates";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { checkInWorld } from "../support/okr-builders";

// The OKR cycles plugged into the sponsor report's adoption dimension.

describe("adoption figures for the status report", () => {
  const t = useTestDatabase();
  const today = todayDay();

  it("is the source the report reads", () => {
    expect(FIGURE_SOURCES.adoption).toBe(adoptionReportFigures);
  });

  it("counts the current cycle's teams and those checking in on cadence, per wave", async () => {
    const world = await checkInWorld(t.db, today);
    const cycle = await t.db.selectFrom("cycles").select("name").where("id", "=", world.cycleId).executeTakeFirstOrThrow();
    const figures = await adoptionReportFigures(t.db, world.programId, today);
    expect(figures).not.toBeNull();
    expect(figures!.cycleName).toBe(cycle.name);
    expect(figures!.teamsInCycle).toBeGreaterThanOrEqual(2);
    // Nobody has checked in yet: no team is on cadence, and the waves say so.
    expect(figures!.teamsOnTrack).toBe(0);
    expect(figures!.healthByWave.find((w) => w.wave === "Wave 1")).toEqual({ wave: "Wave 1", score: 0 });
  });

  it("has nothing to say for a program without a running cycle", async () => {
    const user = await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, { id: user.id, name: user.name }, { name: "No cycles yet", status: "active" });
    expect(await adoptionReportFigures(t.db, program.id, today)).toBeNull();
  });
});
