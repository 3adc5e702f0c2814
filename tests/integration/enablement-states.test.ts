import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { createModule, publishMaterialVersion, createMaterial, publishModuleVersion } from "~/models/enablement/curriculum.server";
import { createRequirement, grantWaiver, recordCompletion } from "~/models/enablement/requirements.server";
import { listStates, personStates } from "~/models/enablement/resolve.server";
import { setFirstDraftingEventsProvider } from "~/models/enablement/due-anchors.server";
import type { RequirementInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { draftingDays, insertPerson, insertTeam, insertUnit, insertWave, moduleInput, requirementInput } from "../support/enablement";

// Requirements resolved to people through the organization and the plan, and each person's
// state: met, due, overdue, refresh due, waived.

const TODAY = "2027-01-10";

const requirement = (moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput =>
  requirementInput(moduleId, { dueRule: "before_wave", dueDays: 7, ...extra });

describe("enablement states", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  async function setting() {
    const program = await createTestProgram(t.db, plo);
    // Every active team of the organization is in every program: each test keeps to its own units.
    const root = await insertUnit(t.db, "Company");
    const unit = await insertUnit(t.db, "Sales", root);
    const other = await insertUnit(t.db, "Ops", root);
    const wave1 = await insertWave(t.db, program.id, "Wave 1", "2027-01-12", 1);
    const wave2 = await insertWave(t.db, program.id, "Wave 2", "2027-03-01", 2);
    const team1 = await insertTeam(t.db, program.id, unit, wave1, 3);
    const team2 = await insertTeam(t.db, program.id, other, wave2, 2);
    return { program, root, unit, other, wave1, wave2, team1, team2 };
  }

  it("resolves a wave's members through their teams, due days before the wave starts, and overdue once past", async () => {
    const s = await setting();
    const fundamentals = await createModule(t.db, plo, s.program.id, moduleInput("Fundamentals"));
    await createRequirement(t.db, plo, s.program.id, requirement(fundamentals, { scope: "wave", waveId: s.wave1 }));
    const states = await listStates(t.db, s.program.id, TODAY);
    expect(states.map((x) => x.personId).sort()).toEqual([...s.team1.memberIds].sort());
    expect(new Set(states.map((x) => x.dueOn))).toEqual(new Set(["2027-01-05"]));
    expect(new Set(states.map((x) => x.state))).toEqual(new Set(["overdue"]));
    const everyone = await listStates(t.db, s.program.id, "2027-01-01");
    expect(new Set(everyone.map((x) => x.state))).toEqual(new Set(["due"]));
  });

  it("is met by a completion, refresh due after expiry or a refreshing version, and waived with a reason", async () => {
    const s = await setting();
    const moduleId = await createModule(t.db, plo, s.program.id, moduleInput("Drafting", { validityMonths: 12 }));
    await createRequirement(t.db, plo, s.program.id, requirement(moduleId, { audience: "team_lead", scope: "unit", unitId: s.root }));
    const [lead1] = await t.db.selectFrom("people").select(["id", "email"]).where("id", "=", s.team1.leadId).execute();
    const [lead2] = await t.db.selectFrom("people").select(["id", "email"]).where("id", "=", s.team2.leadId).execute();
    await recordCompletion(t.db, plo, s.program.id, { email: lead1.email, moduleId, completedOn: "2026-12-01", evidence: "Certificate" });
    const byPerson = async (day: string) => new Map((await listStates(t.db, s.program.id, day)).map((x) => [x.personId, x]));
    const states = await byPerson(TODAY);
    expect(states.size).toBe(2);
    expect(states.get(lead1.id)).toMatchObject({ state: "met", completedOn: "2026-12-01", expiresOn: "2027-12-01" });
    expect(states.get(lead2.id)).toMatchObject({ state: "due", dueOn: "2027-02-22" });
    // Expired after twelve months, and expiring soon within the 30 days before.
    expect((await byPerson("2027-11-15")).get(lead1.id)).toMatchObject({ state: "met", expiringSoon: true });
    expect((await byPerson("2027-12-01")).get(lead1.id)?.state).toBe("refresh_due");
    // A new version without refresh keeps it met; one that requires a refresh makes it refresh due.
    await publishModuleVersion(t.db, plo, s.program.id, moduleId, { requiresRefresh: false, note: "typos", url: "" }, "2027-01-02");
    expect((await byPerson(TODAY)).get(lead1.id)?.state).toBe("met");
    await publishModuleVersion(t.db, plo, s.program.id, moduleId, { requiresRefresh: true, note: "new method", url: "" }, "2027-01-03");
    expect((await byPerson(TODAY)).get(lead1.id)?.state).toBe("refresh_due");
    await recordCompletion(t.db, plo, s.program.id, { email: lead1.email, moduleId, completedOn: "2027-01-09", evidence: "Redone" });
    expect((await byPerson(TODAY)).get(lead1.id)?.state).toBe("met");
    // A required material's refreshing version after the completion makes it refresh due again.
    const material = await createMaterial(t.db, plo, s.program.id, {
      title: "Playbook",
      url: "https://example.com/p",
      moduleIds: [moduleId],
    });
    await publishMaterialVersion(t.db, plo, s.program.id, material, { requiresRefresh: true, note: "v2", url: "" }, "2027-01-10");
    expect((await byPerson(TODAY)).get(lead1.id)?.state).toBe("refresh_due");
    // Waived
    const [req] = await t.db.selectFrom("enablement_requirements").select("id").where("program_id", "=", s.program.id).execute();
    await grantWaiver(t.db, plo, s.program.id, { email: lead2.email, requirementId: req.id, reason: "Trained at previous employer" });
    expect((await byPerson(TODAY)).get(lead2.id)).toMatchObject({ state: "waived", waiverReason: "Trained at previous employer" });
  });

  it("follows a person moved to another unit, and a team moved to another wave", async () => {
    const s = await setting();
    const moduleId = await createModule(t.db, plo, s.program.id, moduleInput("Sales OKRs"));
    await createRequirement(
      t.db,
      plo,
      s.program.id,
      requirement(moduleId, { scope: "unit", unitId: s.unit, dueRule: "fixed", dueDays: null, dueOn: "2027-02-01" }),
    );
    const sub = await insertUnit(t.db, "Sales East", s.unit);
    const newcomer = await insertPerson(t.db, { unitId: sub, teamId: s.team2.id });
    let ids = new Set((await listStates(t.db, s.program.id, TODAY)).map((x) => x.personId));
    expect(ids).toEqual(new Set([...s.team1.memberIds, newcomer.id]));
    // The HR import moves the newcomer to Ops: the requirement no longer applies.
    await t.db.updateTable("people").set({ unit_id: s.other }).where("id", "=", newcomer.id).execute();
    ids = new Set((await listStates(t.db, s.program.id, TODAY)).map((x) => x.personId));
    expect(ids.has(newcomer.id)).toBe(false);
    // A wave requirement follows a team that changes wave.
    const waveReq = await createModule(t.db, plo, s.program.id, moduleInput("Wave 2 kickoff"));
    await createRequirement(t.db, plo, s.program.id, requirement(waveReq, { scope: "wave", waveId: s.wave2 }));
    const inWave2 = async () => new Set((await listStates(t.db, s.program.id, TODAY, { moduleIds: [waveReq] })).map((x) => x.personId));
    expect(await inWave2()).toEqual(new Set([...s.team2.memberIds, newcomer.id]));
    await t.db.updateTable("program_teams").set({ wave_id: s.wave2 }).where("team_id", "=", s.team1.id).execute();
    expect((await inWave2()).has(s.team1.leadId)).toBe(true);
  });

  it("uses the team's first drafting event when the cycles know it, else the wave start", async () => {
    const s = await setting();
    const moduleId = await createModule(t.db, plo, s.program.id, moduleInput("Drafting workshop"));
    await createRequirement(
      t.db,
      plo,
      s.program.id,
      requirement(moduleId, { audience: "team_lead", scope: "unit", unitId: s.root, dueRule: "before_drafting", dueDays: 3 }),
    );
    const due = async () => new Map((await listStates(t.db, s.program.id, TODAY)).map((x) => [x.personId, x.dueOn]));
    expect(await due()).toEqual(
      new Map([
        [s.team1.leadId, "2027-01-09"],
        [s.team2.leadId, "2027-02-26"],
      ]),
    );
    setFirstDraftingEventsProvider(draftingDays(s.program.id, [[s.team2.id, "2027-03-15"]]));
    try {
      expect((await due()).get(s.team2.leadId)).toBe("2027-03-12");
    } finally {
      setFirstDraftingEventsProvider();
    }
  });

  it("reaches coaches, sponsors and the program's stakeholders as leaders; a person's list shows each requirement", async () => {
    const s = await setting();
    const sponsorUser = await createTestUser(t.db, { role: "sponsor" });
    const sponsor = await insertPerson(t.db, { userId: sponsorUser.id });
    const coachPerson = await insertPerson(t.db);
    const coachId = crypto.randomUUID();
    await t.db.insertInto("coaches").values({ id: coachId, program_id: s.program.id, person_id: coachPerson.id, capacity: 3 }).execute();
    const leader = await insertPerson(t.db);
    await t.db
      .insertInto("stakeholders")
      .values({
        id: crypto.randomUUID(),
        program_id: s.program.id,
        person_id: leader.id,
        influence: "high",
        interest: "high",
        attitude: "neutral",
      })
      .execute();
    const briefing = await createModule(t.db, plo, s.program.id, moduleInput("Sponsor briefing", { kind: "sponsor_briefing" }));
    const masterclass = await createModule(t.db, plo, s.program.id, moduleInput("Coach masterclass", { kind: "coach_masterclass" }));
    const leaders = await createModule(t.db, plo, s.program.id, moduleInput("Leader coaching", { kind: "leader_coaching" }));
    const after = { dueRule: "after_joining" as const, dueDays: 30 };
    await createRequirement(t.db, plo, s.program.id, requirement(briefing, { audience: "sponsor", ...after }));
    await createRequirement(t.db, plo, s.program.id, requirement(masterclass, { audience: "coach", ...after }));
    await createRequirement(t.db, plo, s.program.id, requirement(leaders, { audience: "leader", necessity: "recommended", ...after }));
    const states = await listStates(t.db, s.program.id, TODAY);
    expect(states.map((x) => [x.personId, x.moduleTitle]).sort()).toEqual(
      [
        [sponsor.id, "Sponsor briefing"],
        [coachPerson.id, "Coach masterclass"],
        [leader.id, "Leader coaching"],
      ].sort(),
    );
    const mine = await personStates(t.db, s.program.id, coachPerson.id, "2026-01-01");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ moduleTitle: "Coach masterclass", state: "due" });
  });
});
