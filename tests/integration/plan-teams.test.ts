import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import {
  assignWave,
  getTeamLeadView,
  getTeamPlace,
  listProgramTeams,
  pivotCounts,
  setStatus,
  teamCountsByWaveAndStatus,
} from "~/models/plan/program-teams.server";
import {
  addCriterion,
  computeReadiness,
  createWave,
  deleteWave,
  getWave,
  listWaves,
  moveWave,
  removeCriterion,
  setCriterionMet,
  updateWave,
  waveReadiness,
} from "~/models/plan/waves.server";
import type { DB } from "~/utils/db.server";
import { seedDemoPlan } from "../../db/seed/demo-plan";
import { parseListParams } from "~/utils/list-params";
import { PROGRAM_TEAM_LIST_SPEC, type WaveInput } from "~/validation/plan";
import { createTestProgram, createTestUser } from "../support/builders";
import { listUnitOptions } from "~/models/org/org.server";
import { useTestDatabase } from "../support/database";
import { FieldError } from "~/models/errors";
import * as dates from "~/utils/dates";

// The rollout plan's models against a real database: waves and their readiness, and each team's
// place in a program (wave + onboarding status) with set-based bulk changes.

describe("the rollout plan", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  let seq = 0;
  const uid = () => `${Date.now().toString(36)}-${(seq += 1)}`;

  async function unit(name: string, parentId: string | null = null): Promise<string> {
    const id = crypto.randomUUID();
    await t.db
      .insertInto("org_units")
      .values({ id, name: `${name} ${uid()}`, parent_id: parentId })
      .execute();
    return id;
  }

  async function person(name = "Person", userId: string | null = null): Promise<string> {
    const id = crypto.randomUUID();
    await t.db
      .insertInto("people")
      .values({ id, name, email: `p-${uid()}@example.com`, user_id: userId })
      .execute();
    return id;
  }

  /** `count` teams in the unit (set-based insert); every other one has a lead unless `leads` says otherwise. */
  async function teams(unitId: string, count: number, { leads = true, prefix = "Team" } = {}): Promise<string[]> {
    const leadIds = leads ? await Promise.all(Array.from({ length: count }, (_, i) => person(`Lead ${i}`))) : [];
    const rows = Array.from({ length: count }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `${prefix} ${String(i).padStart(4, "0")} ${uid()}`,
      unit_id: unitId,
      lead_person_id: leads ? leadIds[i] : null,
      size: 5 + (i % 7),
    }));
    if (rows.length) await t.db.insertInto("teams").values(rows).execute();
    return rows.map((r) => r.id);
  }

  async function program() {
    return createTestProgram(t.db, plo, { name: `Plan ${uid()}` });
  }

  const wave = (overrides: Partial<WaveInput> = {}): WaveInput => ({
    name: `Wave ${uid()}`,
    goal: "Every team drafts its first OKRs.",
    startsOn: "2027-01-04",
    endsOn: "2027-03-31",
    ...overrides,
  });

  const params = (search = "") => parseListParams(new URLSearchParams(search), PROGRAM_TEAM_LIST_SPEC);

  async function auditFor(programId: string) {
    return t.db.selectFrom("audit_events").selectAll().where("program_id", "=", programId).orderBy("id").execute();
  }

  /** A view of the database that counts every query sent through it. */
  function counting(db: DB) {
    const counter = { queries: 0 };
    // transformResult runs once per executed query (transformQuery also runs for subqueries).
    const plugin: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        counter.queries += 1;
        return args.result;
      },
    };
    return { db: db.withPlugin(plugin), counter };
  }

  describe("waves", () => {
    it("a new wave comes last, with the default entry criteria, and is audited", async () => {
      const p = await program();
      const first = await createWave(t.db, plo, p.id, wave({ name: "Wave 1" }));
      const second = await createWave(t.db, plo, p.id, wave({ name: "Wave 2" }));
      expect((await listWaves(t.db, p.id)).map((w) => [w.id, w.position])).toEqual([
        [first, 1],
        [second, 2],
      ]);
      const detail = await getWave(t.db, p.id, second);
      expect(detail?.criteria.map((c) => [c.kind, c.label])).toEqual([
        ["teams_have_lead", "Every team in the wave has a lead"],
        ["manual", "Kick-off with wave leads held"],
        ["teams_have_coach", "Every team in the wave has a primary coach"],
        ["manual", "Coaches briefed on the wave's teams"],
      ]);
      expect((await auditFor(p.id)).filter((e) => e.action === "wave.created")).toHaveLength(2);
    });

    it("a second wave with the same name (in any case) is refused with a message on the name", async () => {
      const p = await program();
      await createWave(t.db, plo, p.id, wave({ name: "Fleet" }));
      await expect(createWave(t.db, plo, p.id, wave({ name: "fleet" }))).rejects.toMatchObject({
        fields: { name: "There is already a wave named “fleet” in this program." },
      });
      // Another program may use the name.
      await expect(createWave(t.db, plo, (await program()).id, wave({ name: "Fleet" }))).resolves.toBeTypeOf("string");
    });

    it("moving a wave up or down swaps it with its neighbour; at the edge nothing changes", async () => {
      const p = await program();
      const ids = [];
      for (const name of ["A", "B", "C"]) ids.push(await createWave(t.db, plo, p.id, wave({ name })));
      expect(await moveWave(t.db, plo, p.id, ids[2], "up")).toBe(true);
      expect((await listWaves(t.db, p.id)).map((w) => w.name)).toEqual(["A", "C", "B"]);
      expect(await moveWave(t.db, plo, p.id, ids[0], "up")).toBe(false);
      expect(await moveWave(t.db, plo, p.id, ids[0], "down")).toBe(true);
      expect((await listWaves(t.db, p.id)).map((w) => w.name)).toEqual(["C", "A", "B"]);
    });

    it("updating a wave records only the changed fields", async () => {
      const p = await program();
      const id = await createWave(t.db, plo, p.id, wave({ name: "Old" }));
      expect(await updateWave(t.db, plo, p.id, id, wave({ name: "New", startsOn: "2027-01-04", endsOn: "2027-03-31" }))).toBe(true);
      const event = (await auditFor(p.id)).at(-1)!;
      expect(event).toMatchObject({ action: "wave.updated", summary: "Updated wave “New”: name" });
      expect(event.details).toEqual({ name: { from: "Old", to: "New" } });
    });

    it("deleting a wave leaves its teams in the program without a wave, in one audit event", async () => {
      const p = await program();
      const u = await unit("Ops");
      const ids = await teams(u, 4);
      const id = await createWave(t.db, plo, p.id, wave());
      await assignWave(t.db, plo, p.id, { teamIds: ids }, id);
      await setStatus(t.db, plo, p.id, { teamIds: ids.slice(0, 2) }, "onboarding", "2026-11-02");
      expect(await deleteWave(t.db, plo, p.id, id)).toMatchObject({ teamCount: 4 });
      const rows = await t.db.selectFrom("program_teams").selectAll().where("program_id", "=", p.id).execute();
      expect(rows.map((r) => r.wave_id)).toEqual([null, null, null, null]);
      expect(rows.filter((r) => r.status === "onboarding")).toHaveLength(2);
      const event = (await auditFor(p.id)).at(-1)!;
      expect(event.action).toBe("wave.deleted");
      expect(event.details).toMatchObject({ count: 4 });
      expect((event.details.teamIds as string[]).sort()).toEqual([...ids].sort());
    });

    it("criteria: manual ones are ticked and unticked with who and when; computed ones cannot be ticked", async () => {
      const p = await program();
      const id = await createWave(t.db, plo, p.id, wave());
      const added = await addCriterion(t.db, plo, p.id, id, { kind: "manual", label: "Training rooms booked" });
      expect(await setCriterionMet(t.db, plo, p.id, id, added, true)).toBe(true);
      let criterion = (await getWave(t.db, p.id, id))!.criteria.find((c) => c.id === added)!;
      expect(criterion).toMatchObject({ met_by: plo.id, met_by_label: "Pia Plo" });
      expect(criterion.met_at).toBeInstanceOf(Date);
      expect(await setCriterionMet(t.db, plo, p.id, id, added, true)).toBe(false);
      expect(await setCriterionMet(t.db, plo, p.id, id, added, false)).toBe(true);
      criterion = (await getWave(t.db, p.id, id))!.criteria.find((c) => c.id === added)!;
      expect(criterion).toMatchObject({ met_at: null, met_by: null, met_by_label: null });

      const computed = (await getWave(t.db, p.id, id))!.criteria.find((c) => c.kind === "teams_have_lead")!;
      await expect(setCriterionMet(t.db, plo, p.id, id, computed.id, true)).rejects.toBeInstanceOf(FieldError);
      await removeCriterion(t.db, plo, p.id, id, added);
      expect((await getWave(t.db, p.id, id))!.criteria.map((c) => c.id)).not.toContain(added);
      expect((await auditFor(p.id)).map((e) => e.action)).toEqual([
        "program.created",
        "wave.created",
        "wave.criterion_added",
        "wave.criterion_met",
        "wave.criterion_unmet",
        "wave.criterion_removed",
      ]);
    });

    it("a criterion of another wave cannot be ticked through this one", async () => {
      const p = await program();
      const a = await createWave(t.db, plo, p.id, wave());
      const b = await createWave(t.db, plo, p.id, wave());
      const other = (await getWave(t.db, p.id, b))!.criteria.find((c) => c.kind === "manual")!;
      await expect(setCriterionMet(t.db, plo, p.id, a, other.id, true)).rejects.toBeInstanceOf(FieldError);
    });
  });

  describe("wave readiness", () => {
    const today = "2026-11-23";

    async function readyWave(programId: string, input: Partial<WaveInput>, { teamCount = 2, leads = true } = {}) {
      const id = await createWave(t.db, plo, programId, wave(input));
      const u = await unit("Readiness");
      const ids = await teams(u, teamCount, { leads });
      if (ids.length) await assignWave(t.db, plo, programId, { teamIds: ids }, id);
      return { id, teamIds: ids };
    }

    async function tickAll(programId: string, waveId: string) {
      for (const c of (await getWave(t.db, programId, waveId))!.criteria) {
        if (c.kind === "manual") await setCriterionMet(t.db, plo, programId, waveId, c.id, true);
      }
    }

    it("is ready when every criterion is met and the wave has teams", async () => {
      const p = await program();
      const { id } = await readyWave(p.id, { startsOn: "2026-12-01" });
      await tickAll(p.id, id);
      // Coverage by coaches has its own test below; these teams have none.
      const coach = (await getWave(t.db, p.id, id))!.criteria.find((c) => c.kind === "teams_have_coach")!;
      await removeCriterion(t.db, plo, p.id, id, coach.id);
      const readiness = (await waveReadiness(t.db, p.id, today))[id];
      expect(readiness).toMatchObject({ state: "ready", reasons: [], teamCount: 2, teamsWithoutLead: 0 });
      expect(readiness.criteria.map((c) => c.state)).toEqual(["met", "met", "met"]);
    });

    it("is at risk with unticked manual criteria when the start is more than 14 days away, or without teams", async () => {
      const p = await program();
      const far = await readyWave(p.id, { startsOn: "2027-01-04" });
      const empty = await readyWave(p.id, { startsOn: "2027-04-05" }, { teamCount: 0 });
      await tickAll(p.id, empty.id);
      const all = await waveReadiness(t.db, p.id, today);
      expect(all[far.id]).toMatchObject({
        state: "at_risk",
        reasons: [
          "“Kick-off with wave leads held” is not ticked yet.",
          "“Every team in the wave has a primary coach”: 2 of 2 teams have no primary coach.",
          "“Coaches briefed on the wave's teams” is not ticked yet.",
        ],
      });
      expect(all[empty.id]).toMatchObject({ state: "at_risk", reasons: ["No teams are assigned to the wave yet."] });
    });

    it("is blocked when a team has no lead, or a manual criterion is unticked within 14 days of the start or after it", async () => {
      const p = await program();
      const noLead = await readyWave(p.id, { startsOn: "2027-02-01" }, { teamCount: 3, leads: false });
      await tickAll(p.id, noLead.id);
      const soon = await readyWave(p.id, { startsOn: "2026-12-07" });
      const started = await readyWave(p.id, { startsOn: "2026-10-05" });
      const all = await waveReadiness(t.db, p.id, today);
      expect(all[noLead.id]).toMatchObject({ state: "blocked", teamsWithoutLead: 3 });
      expect(all[noLead.id].reasons).toEqual([
        "“Every team in the wave has a lead”: 3 of 3 teams have no lead.",
        "“Every team in the wave has a primary coach”: 3 of 3 teams have no primary coach.",
      ]);
      expect(all[soon.id].state).toBe("blocked");
      expect(all[soon.id].reasons[0]).toBe("“Kick-off with wave leads held” is not ticked and the wave starts in 14 days.");
      expect(all[started.id].reasons[0]).toBe("“Kick-off with wave leads held” is not ticked and the wave started 49 days ago.");
    });

    it("counts teams without a primary coach: a risk while the start is far, blocking within 14 days", () => {
      const coachCriterion = {
        id: "c",
        wave_id: "w",
        kind: "teams_have_coach" as const,
        label: "Coached",
        position: 0,
        met_at: null,
        met_by: null,
        met_by_label: null,
      };
      const far = computeReadiness(
        { id: "w", startsOn: "2027-03-01" },
        [coachCriterion],
        { teamCount: 4, teamsWithoutLead: 0, teamsWithoutCoach: 1 },
        today,
      );
      expect(far).toMatchObject({ state: "at_risk", reasons: ["“Coached”: 1 of 4 teams has no primary coach."] });
      const soon = computeReadiness(
        { id: "w", startsOn: "2026-11-30" },
        [coachCriterion],
        { teamCount: 4, teamsWithoutLead: 0, teamsWithoutCoach: 2 },
        today,
      );
      expect(soon).toMatchObject({
        state: "blocked",
        reasons: ["“Coached”: 2 of 4 teams have no primary coach and the wave starts in 7 days."],
      });
      const covered = computeReadiness(
        { id: "w", startsOn: "2026-11-30" },
        [coachCriterion],
        { teamCount: 4, teamsWithoutLead: 0, teamsWithoutCoach: 0 },
        today,
      );
      expect(covered).toMatchObject({ state: "ready", reasons: [] });
      expect(covered.criteria[0]).toMatchObject({ state: "met", detail: "All 4 teams have a primary coach." });
    });

    it("shows coach and training criteria as not yet measurable, never blocking", () => {
      const criterion = (kind: "teams_have_coach" | "leads_trained", id: string) => ({
        id,
        wave_id: "w",
        kind,
        label: kind,
        position: 1,
        met_at: null,
        met_by: null,
        met_by_label: null,
      });
      const readiness = computeReadiness(
        { id: "w", startsOn: "2026-11-24" },
        [criterion("teams_have_coach", "a"), criterion("leads_trained", "b")],
        { teamCount: 5, teamsWithoutLead: 0 },
        today,
      );
      expect(readiness.state).toBe("ready");
      expect(readiness.criteria.map((c) => c.state)).toEqual(["not_measurable", "not_measurable"]);
    });

    it("gives the same answer from the overview's team counts as from its own query", async () => {
      const p = await program();
      const noLead = await readyWave(p.id, { startsOn: "2027-02-01" }, { teamCount: 3, leads: false });
      const led = await readyWave(p.id, { startsOn: "2026-12-07" });
      await tickAll(p.id, led.id);
      const counts = await teamCountsByWaveAndStatus(t.db, p.id);
      const own = await waveReadiness(t.db, p.id, today);
      expect(await waveReadiness(t.db, p.id, today, counts)).toEqual(own);
      expect(own[noLead.id]).toMatchObject({ teamCount: 3, teamsWithoutLead: 3 });
      expect(own[led.id]).toMatchObject({ teamCount: 2, teamsWithoutLead: 0 });
    });

    it("an archived team leaves the wave's figures", async () => {
      const p = await program();
      const { id, teamIds } = await readyWave(p.id, { startsOn: "2027-02-01" }, { teamCount: 2, leads: false });
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "in", teamIds).execute();
      const readiness = (await waveReadiness(t.db, p.id, today))[id];
      expect(readiness).toMatchObject({ teamCount: 0, teamsWithoutLead: 0 });
      expect(readiness.reasons).toContain("No teams are assigned to the wave yet.");
    });
  });

  describe("the team pipeline", () => {
    it("assigns 50 selected teams to a wave in one call, with one audit event naming the count and the teams", async () => {
      const p = await program();
      const u = await unit("Operations");
      const ids = await teams(u, 60);
      const unassignedBefore = pivotCounts(await teamCountsByWaveAndStatus(t.db, p.id)).none.total;
      const w = await createWave(t.db, plo, p.id, wave({ name: "Wave 1" }));
      const picked = ids.slice(0, 50);
      const { db, counter } = counting(t.db);
      expect(await assignWave(db, plo, p.id, { teamIds: picked }, w)).toMatchObject({ matched: 50, changed: 50 });
      // Bounded whatever the number of teams: begin, wave, target check, upsert, audit, commit.
      expect(counter.queries).toBeLessThanOrEqual(6);
      const rows = await t.db.selectFrom("program_teams").select(["team_id", "wave_id", "status"]).where("program_id", "=", p.id).execute();
      expect(rows).toHaveLength(50);
      expect(rows.every((r) => r.wave_id === w && r.status === "not_started")).toBe(true);
      const events = (await auditFor(p.id)).filter((e) => e.action === "plan.teams_assigned");
      expect(events).toHaveLength(1);
      expect(events[0].summary).toBe("Assigned 50 teams to wave “Wave 1”");
      expect(events[0].details).toMatchObject({ count: 50, scope: "selected", waveId: w });
      expect((events[0].details.teamIds as string[]).sort()).toEqual([...picked].sort());

      // Assigning again changes nothing and records nothing; moving 10 to another wave records 10.
      expect(await assignWave(t.db, plo, p.id, { teamIds: picked }, w)).toMatchObject({ matched: 50, changed: 0 });
      const w2 = await createWave(t.db, plo, p.id, wave({ name: "Wave 2" }));
      expect(await assignWave(t.db, plo, p.id, { teamIds: ids.slice(45, 55) }, w2)).toMatchObject({ matched: 10, changed: 10 });
      const counts = pivotCounts(await teamCountsByWaveAndStatus(t.db, p.id));
      expect(counts[w].total).toBe(45);
      expect(counts[w2].total).toBe(10);
      expect(counts.none.total).toBe(unassignedBefore - 55);
      // Taking teams out of their wave keeps their rows (and status).
      expect(await assignWave(t.db, plo, p.id, { teamIds: ids.slice(0, 5) }, null)).toMatchObject({ matched: 5, changed: 5 });
      expect((await auditFor(p.id)).at(-1)).toMatchObject({ action: "plan.teams_unassigned", summary: "Took 5 teams out of their wave" });
    });

    it("refuses unknown or archived team ids and a wave of another program, changing nothing", async () => {
      const p = await program();
      const other = await program();
      const u = await unit("Ops");
      const [a, b] = await teams(u, 2);
      const w = await createWave(t.db, plo, p.id, wave());
      const foreign = await createWave(t.db, plo, other.id, wave());
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", b).execute();
      await expect(assignWave(t.db, plo, p.id, { teamIds: [a, "no-such-team"] }, w)).rejects.toMatchObject({
        fields: { teamId: expect.stringContaining("do not exist") },
      });
      await expect(assignWave(t.db, plo, p.id, { teamIds: [a, b] }, w)).rejects.toBeInstanceOf(FieldError);
      await expect(assignWave(t.db, plo, p.id, { teamIds: [a] }, foreign)).rejects.toMatchObject({
        fields: { waveId: "Choose one of this program's waves." },
      });
      await expect(assignWave(t.db, plo, p.id, { teamIds: [] }, w)).rejects.toMatchObject({
        fields: { teamId: "Select at least one team." },
      });
      await expect(setStatus(t.db, plo, p.id, { teamIds: ["nope"] }, "running")).rejects.toBeInstanceOf(FieldError);
      expect(await t.db.selectFrom("program_teams").selectAll().where("program_id", "=", p.id).execute()).toEqual([]);
      expect((await auditFor(p.id)).map((e) => e.action)).toEqual(["program.created", "wave.created"]);
    });

    it("assigning a unit brings the teams of all its sub-units, but not archived ones", async () => {
      const p = await program();
      const division = await unit("Fleet");
      const department = await unit("Fleet maintenance", division);
      const group = await unit("Fleet maintenance north", department);
      const elsewhere = await unit("Sales");
      const own = await teams(division, 2);
      const deep = [...(await teams(department, 3)), ...(await teams(group, 4))];
      const [archived] = await teams(group, 1);
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", archived).execute();
      const outside = await teams(elsewhere, 2);
      const w = await createWave(t.db, plo, p.id, wave());
      expect(await assignWave(t.db, plo, p.id, { unitIds: [division] }, w)).toMatchObject({ matched: 9, changed: 9 });
      const assigned = await t.db.selectFrom("program_teams").select("team_id").where("wave_id", "=", w).execute();
      expect(assigned.map((r) => r.team_id).sort()).toEqual([...own, ...deep].sort());
      expect(assigned.map((r) => r.team_id)).not.toContain(outside[0]);
      expect((await auditFor(p.id)).at(-1)!.details).toMatchObject({ scope: "unit", unitIds: [division], count: 9 });
      await expect(assignWave(t.db, plo, p.id, { unitIds: ["no-such-unit"] }, w)).rejects.toMatchObject({
        fields: { unitId: "Choose one of the listed units." },
      });
      // The unit filter of the list includes sub-units too.
      const page = await listProgramTeams(t.db, p.id, params(`unit=${department}&size=200`));
      expect(page.rows.map((r) => r.id).sort()).toEqual([...deep].sort());
    });

    it("applies a change to every team matching the list's filters", async () => {
      const p = await program();
      const u = await unit("Matching");
      const withLead = await teams(u, 7, { prefix: "Alpha" });
      const withoutLead = await teams(u, 5, { leads: false, prefix: "Alpha" });
      await teams(u, 4, { prefix: "Beta" });
      const w = await createWave(t.db, plo, p.id, wave());
      const filters = { unit: u, lead: "no", q: "alpha" };
      expect(await assignWave(t.db, plo, p.id, { matching: filters }, w)).toMatchObject({ matched: 5, changed: 5 });
      const inWave = await listProgramTeams(t.db, p.id, params(`wave=${w}`));
      expect(inWave.rows.map((r) => r.id).sort()).toEqual([...withoutLead].sort());
      expect(await setStatus(t.db, plo, p.id, { matching: { wave: w } }, "onboarding", "2026-11-10")).toMatchObject({
        matched: 5,
        changed: 5,
      });
      const none = await listProgramTeams(t.db, p.id, params(`wave=none&unit=${u}&q=alpha`));
      expect(none.rows.map((r) => r.id).sort()).toEqual([...withLead].sort());
    });

    it("a status change upserts the team's row and records one history row per changed team, backdated as asked", async () => {
      const p = await program();
      const u = await unit("Status");
      const ids = await teams(u, 6);
      const { db, counter } = counting(t.db);
      expect(await setStatus(db, plo, p.id, { teamIds: ids }, "onboarding", "2026-10-05")).toMatchObject({ matched: 6, changed: 6 });
      expect(counter.queries).toBeLessThanOrEqual(5);
      expect(await setStatus(t.db, plo, p.id, { teamIds: ids.slice(0, 3) }, "first_cycle", "2026-11-02")).toMatchObject({
        matched: 3,
        changed: 3,
      });
      // Same status again: nothing changes, nothing is recorded.
      expect(await setStatus(t.db, plo, p.id, { teamIds: ids.slice(0, 4) }, "first_cycle", "2026-11-03")).toMatchObject({
        matched: 4,
        changed: 1,
      });

      const place = await getTeamPlace(t.db, p.id, ids[0]);
      expect(place?.place).toMatchObject({ status: "first_cycle", statusChangedOn: "2026-11-02" });
      expect(place?.history.map((h) => [h.fromStatus, h.toStatus, h.changedOn, h.changedByName])).toEqual([
        ["onboarding", "first_cycle", "2026-11-02", "Pia Plo"],
        ["not_started", "onboarding", "2026-10-05", "Pia Plo"],
      ]);
      const history = await t.db.selectFrom("team_status_changes").selectAll().where("program_id", "=", p.id).execute();
      expect(history).toHaveLength(6 + 3 + 1);
      const events = (await auditFor(p.id)).filter((e) => e.action === "plan.team_status_changed");
      expect(events.map((e) => e.details.count)).toEqual([6, 3, 1]);
      expect(events[0].summary).toBe("Set 6 teams to “Onboarding” as of 2026-10-05");

      // Without a date, the change happens today.
      await setStatus(t.db, plo, p.id, { teamIds: [ids[5]] }, "running");
      expect((await getTeamPlace(t.db, p.id, ids[5]))?.place.statusChangedOn).toBe(dates.today());
    });

    it("the list pages, sorts and filters by wave, status, lead and search; archived teams disappear", async () => {
      const p = await program();
      const u = await unit("Listing");
      const ids = await teams(u, 30, { prefix: "Squad" });
      const leadless = await teams(u, 2, { leads: false, prefix: "Squad" });
      const w = await createWave(t.db, plo, p.id, wave({ name: "Listing wave" }));
      await assignWave(t.db, plo, p.id, { teamIds: ids.slice(0, 10) }, w);
      await setStatus(t.db, plo, p.id, { teamIds: ids.slice(0, 4) }, "running", "2026-11-01");
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", ids[29]).execute();

      const all = await listProgramTeams(t.db, p.id, params(`unit=${u}&size=25`));
      expect(all.total).toBe(31);
      expect(all.rows).toHaveLength(25);
      expect(all.rows.map((r) => r.id)).not.toContain(ids[29]);
      const second = await listProgramTeams(t.db, p.id, params(`unit=${u}&size=25&page=2`));
      expect(second.rows).toHaveLength(6);
      expect(new Set([...all.rows, ...second.rows].map((r) => r.id)).size).toBe(31);

      expect((await listProgramTeams(t.db, p.id, params(`wave=${w}`))).total).toBe(10);
      expect((await listProgramTeams(t.db, p.id, params(`unit=${u}&wave=none`))).total).toBe(21);
      expect((await listProgramTeams(t.db, p.id, params(`unit=${u}&status=running`))).total).toBe(4);
      expect((await listProgramTeams(t.db, p.id, params(`unit=${u}&status=not_started`))).total).toBe(27);
      expect((await listProgramTeams(t.db, p.id, params(`unit=${u}&lead=no`))).rows.map((r) => r.id).sort()).toEqual([...leadless].sort());
      expect((await listProgramTeams(t.db, p.id, params(`q=listing wave`))).total).toBe(10);
      expect((await listProgramTeams(t.db, p.id, params(`unit=${u}&q=%25`))).total).toBe(0);

      const byStatus = await listProgramTeams(t.db, p.id, params(`unit=${u}&sort=status&dir=desc`));
      expect(byStatus.rows.slice(0, 4).every((r) => r.status === "running")).toBe(true);
      const byWave = await listProgramTeams(t.db, p.id, params(`unit=${u}&sort=wave&dir=asc`));
      expect(byWave.rows[0].waveName).toBe("Listing wave");
      expect(byWave.rows.at(-1)!.waveName).toBeNull();
      const byChanged = await listProgramTeams(t.db, p.id, params(`unit=${u}&sort=changed&dir=desc`));
      expect(byChanged.rows[0].statusChangedOn).toBe("2026-11-01");
      const byTeam = await listProgramTeams(t.db, p.id, params(`unit=${u}&sort=team&dir=desc&size=200`));
      expect(byTeam.rows.map((r) => r.name)).toEqual(
        [...byTeam.rows.map((r) => r.name)].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())),
      );
    });

    it("a page past the end says how many teams there are", async () => {
      const p = await program();
      const u = await unit("Past end");
      await teams(u, 3);
      const page = await listProgramTeams(t.db, p.id, params(`unit=${u}&page=9`));
      expect(page).toMatchObject({ rows: [], total: 3 });
    });

    it("the team list issues the same number of queries for 10 teams as for 500", async () => {
      async function queriesFor(count: number) {
        const p = await program();
        const u = await unit("Scale");
        const ids = await teams(u, count);
        const w = await createWave(t.db, plo, p.id, wave());
        await assignWave(t.db, plo, p.id, { teamIds: ids.slice(0, Math.ceil(count / 2)) }, w);
        await setStatus(t.db, plo, p.id, { matching: { unit: u } }, "onboarding", "2026-11-01");
        const { db, counter } = counting(t.db);
        const page = await listProgramTeams(db, p.id, params(`unit=${u}&size=200&sort=wave`));
        const perCall = [counter.queries];
        await waveReadiness(db, p.id);
        perCall.push(counter.queries);
        await teamCountsByWaveAndStatus(db, p.id);
        perCall.push(counter.queries);
        await listWaves(db, p.id);
        perCall.push(counter.queries);
        await listUnitOptions(db);
        perCall.push(counter.queries);
        expect(page.total).toBe(count);
        return perCall.join(",");
      }
      const small = await queriesFor(10);
      const large = await queriesFor(500);
      expect(large).toBe(small);
      // Two queries for the page (rows, count), three for every wave's readiness (waves with
      // criteria, teams, coach coverage), one each for counts, waves and units.
      expect(small).toBe("2,5,6,7,8");
    });

    it("counts teams by wave and status in one query, including teams without a row", async () => {
      const p = await program();
      const u = await unit("Counts");
      const ids = await teams(u, 5);
      const w = await createWave(t.db, plo, p.id, wave());
      await assignWave(t.db, plo, p.id, { teamIds: ids.slice(0, 3) }, w);
      await setStatus(t.db, plo, p.id, { teamIds: ids.slice(0, 1) }, "first_cycle", "2026-11-01");
      const { db, counter } = counting(t.db);
      const counts = pivotCounts(await teamCountsByWaveAndStatus(db, p.id));
      expect(counter.queries).toBe(1);
      expect(counts[w]).toMatchObject({ first_cycle: 1, not_started: 2, total: 3 });
      // Every active team of the organization is a candidate ("none" holds the other tests' teams too).
      expect(counts.none.not_started).toBeGreaterThanOrEqual(2);
    });
  });

  describe("a team lead's view", () => {
    it("shows the teams the user leads with wave and status, and nothing for others", async () => {
      const p = await program();
      const lead = await createTestUser(t.db, { role: "team_lead" });
      const u = await unit("Lead view");
      const personId = await person("Lena Lead", lead.id);
      const [mine] = await teams(u, 1, { leads: false, prefix: "Mine" });
      const [theirs] = await teams(u, 1, { prefix: "Theirs" });
      await t.db.updateTable("teams").set({ lead_person_id: personId }).where("id", "=", mine).execute();
      expect((await getTeamLeadView(t.db, lead.id, p.id)).map((r) => [r.teamId, r.waveName, r.status])).toEqual([
        [mine, null, "not_started"],
      ]);
      const w = await createWave(t.db, plo, p.id, wave({ name: "Lead wave", startsOn: "2027-01-04", endsOn: "2027-03-31" }));
      await assignWave(t.db, plo, p.id, { teamIds: [mine, theirs] }, w);
      await setStatus(t.db, plo, p.id, { teamIds: [mine] }, "onboarding", "2026-11-20");
      expect(await getTeamLeadView(t.db, lead.id, p.id)).toEqual([
        expect.objectContaining({
          teamId: mine,
          waveName: "Lead wave",
          waveStartsOn: "2027-01-04",
          waveEndsOn: "2027-03-31",
          status: "onboarding",
          statusChangedOn: "2026-11-20",
          leadUserId: lead.id,
        }),
      ]);
      const other = await createTestUser(t.db, { role: "team_lead" });
      expect(await getTeamLeadView(t.db, other.id, p.id)).toEqual([]);
    });
  });

  describe("the demo plan", () => {
    it("creates three waves, places the demo organization's teams by unit with realistic statuses, and a second run changes nothing", async () => {
      const p = await program();
      const root = await unit("Demo Northwind");
      const named = async (name: string, parentId: string) => {
        const id = crypto.randomUUID();
        await t.db.insertInto("org_units").values({ id, name, parent_id: parentId }).execute();
        return id;
      };
      const operations = await named("Operations", root);
      const warehousing = await named("Warehousing", operations);
      const customerOps = await named("customer operations", root);
      const fleet = await named("Fleet", root);
      const sales = await named("Sales", root);
      const finance = await named("Finance", root);
      const people = await named("People & Strategy", root);
      // Named so that the list's order is known: Alpha…, Bravo…, then the leadless Zulu.
      const w1 = [
        ...(await teams(warehousing, 5, { prefix: "Alpha" })),
        ...(await teams(customerOps, 4, { prefix: "Bravo" })),
        ...(await teams(operations, 1, { leads: false, prefix: "Zulu" })),
      ];
      const w2 = [...(await teams(fleet, 3)), ...(await teams(sales, 2))];
      const heldBack = await teams(sales, 1, { leads: false });
      const w3 = [...(await teams(finance, 2)), ...(await teams(people, 1))];

      await seedDemoPlan(t.db, plo, p.id);
      const waves = await listWaves(t.db, p.id);
      expect(waves.map((w) => [w.name, w.startsOn, w.endsOn])).toEqual([
        ["Operations & Customer Ops", "2026-10-05", "2026-12-18"],
        ["Fleet & Sales", "2027-01-04", "2027-03-26"],
        ["Finance, IT & the rest", "2027-04-05", "2027-06-25"],
      ]);
      const inWave = async (waveId: string) => (await listProgramTeams(t.db, p.id, params(`wave=${waveId}&size=200`))).rows;
      expect((await inWave(waves[0].id)).map((r) => r.id).sort()).toEqual([...w1].sort());
      expect((await inWave(waves[1].id)).map((r) => r.id).sort()).toEqual([...w2].sort());
      const third = (await inWave(waves[2].id)).map((r) => r.id);
      expect(third).toEqual(expect.arrayContaining(w3));
      expect(third).not.toContain(heldBack[0]);

      const statuses = (await inWave(waves[0].id)).map((r) => r.status);
      expect(statuses.filter((s) => s === "running").length).toBe(2);
      expect(statuses.filter((s) => s === "first_cycle").length).toBeGreaterThanOrEqual(4);
      expect(statuses.every((s) => s !== "not_started")).toBe(true);
      expect((await inWave(waves[1].id)).every((r) => r.status === "not_started")).toBe(true);
      const history = await t.db.selectFrom("team_status_changes").select(["changed_on"]).where("program_id", "=", p.id).execute();
      expect(new Set(history.map((h) => h.changed_on))).toEqual(new Set(["2026-10-05", "2026-10-26", "2026-11-16"]));

      const readiness = await waveReadiness(t.db, p.id, "2026-11-23");
      expect(readiness[waves[0].id]).toMatchObject({ state: "blocked", teamsWithoutLead: 1 });
      expect(readiness[waves[1].id]).toMatchObject({ state: "at_risk" });
      expect(readiness[waves[1].id].reasons[0]).toBe("“Kick-off with wave leads held” is not ticked yet.");
      expect(readiness[waves[2].id].state).toBe("at_risk");

      const audit = (await auditFor(p.id)).length;
      await seedDemoPlan(t.db, plo, p.id);
      expect((await auditFor(p.id)).length).toBe(audit);
    });

    it("creates the waves only when the organization has no teams", async () => {
      const p = await program();
      const archived = await t.db
        .updateTable("teams")
        .set({ archived_at: new Date() })
        .where("archived_at", "is", null)
        .returning("id")
        .execute();
      try {
        await seedDemoPlan(t.db, plo, p.id);
        expect(await listWaves(t.db, p.id)).toHaveLength(3);
        expect(await t.db.selectFrom("program_teams").selectAll().where("program_id", "=", p.id).execute()).toEqual([]);
      } finally {
        await t.db
          .updateTable("teams")
          .set({ archived_at: null })
          .where(
            "id",
            "in",
            archived.map((r) => r.id),
          )
          .execute();
      }
    });
  });
});
