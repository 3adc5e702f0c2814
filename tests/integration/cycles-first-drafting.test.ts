import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { firstDraftingEvents } from "~/models/cycles/cycles.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertTeam, insertUnit, insertWave } from "../support/enablement";

// The first drafting workshop of each team (enablement's "due before the team's first drafting"
// asks it on every read): the workshops of its whole program, its wave or its unit and the units
// above, on or after its wave's start, cancelled ones and other kinds left out. The bench made it
// match workshops per (unit, wave) pair instead of per team; this pins the answer down.

describe("a team's first drafting workshop", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  it("is the earliest workshop for its program, wave or units, from its wave's start on", async () => {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Company");
    const ops = await insertUnit(t.db, "Operations", root);
    const depotX = await insertUnit(t.db, "Depot X", ops);
    const sales = await insertUnit(t.db, "Sales", root);
    const depotY = await insertUnit(t.db, "Depot Y", sales);
    const w1 = await insertWave(t.db, program.id, "Wave 1", "2027-01-10", 1);
    const w2 = await insertWave(t.db, program.id, "Wave 2", "2027-03-01", 2);
    const a = await insertTeam(t.db, program.id, depotX, w1);
    const b = await insertTeam(t.db, program.id, depotX, w2);
    const c = await insertTeam(t.db, program.id, depotY, w1);
    const d = await insertTeam(t.db, program.id, depotY, null);
    // A team without a row in the program's plan (every active team belongs to every program).
    const e = crypto.randomUUID();
    await t.db.insertInto("teams").values({ id: e, name: "Unplanned", unit_id: depotY }).execute();
    const archived = await insertTeam(t.db, program.id, depotX, w1);
    await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", archived.id).execute();

    const cycleId = crypto.randomUUID();
    await t.db
      .insertInto("cycles")
      .values({ id: cycleId, program_id: program.id, name: "2027-Q1", starts_on: "2027-01-01", ends_on: "2027-03-31" })
      .execute();
    const event = (
      occursOn: string,
      scope: { wave?: string; unit?: string } = {},
      extra: { kind?: "alignment"; state?: "cancelled" } = {},
    ) => ({
      id: crypto.randomUUID(),
      cycle_id: cycleId,
      program_id: program.id,
      kind: extra.kind ?? ("drafting_workshop" as const),
      occurs_on: occursOn,
      scope: scope.wave ? ("wave" as const) : scope.unit ? ("unit" as const) : ("all" as const),
      wave_id: scope.wave ?? null,
      unit_id: scope.unit ?? null,
      state: extra.state ?? ("planned" as const),
    });
    await t.db
      .insertInto("cycle_events")
      .values([
        event("2027-01-05"), // before wave 1 starts: only for teams without a wave start
        event("2027-01-20"),
        event("2027-03-05", { wave: w2 }),
        event("2027-01-12", { unit: ops }), // a unit above Depot X
        event("2027-01-11", {}, { state: "cancelled" }),
        event("2027-01-11", {}, { kind: "alignment" }),
        event("2027-01-03", { unit: depotY }),
      ])
      .execute();

    const firsts = await firstDraftingEvents(t.db, program.id);
    expect(Object.fromEntries([a.id, b.id, c.id, d.id, e, archived.id].map((id) => [id, firsts.get(id) ?? null]))).toEqual({
      [a.id]: "2027-01-12",
      [b.id]: "2027-03-05",
      [c.id]: "2027-01-20",
      [d.id]: "2027-01-03",
      [e]: "2027-01-03",
      [archived.id]: null,
    });
  });
});
