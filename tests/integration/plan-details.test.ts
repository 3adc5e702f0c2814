import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import {
  createMilestone,
  deleteMilestone,
  getMilestone,
  lateMilestones,
  listMilestones,
  markMilestoneDone,
  milestoneCounts,
  milestoneState,
  updateMilestone,
} from "~/models/plan/milestones.server";
import { closeRisk, createRisk, deleteRisk, listRisks, riskCounts, riskHeatMap, topRisks, updateRisk } from "~/models/plan/risks.server";
import {
  createStakeholder,
  listStakeholders,
  markContacted,
  removeStakeholder,
  stakeholderCounts,
  stakeholdersToContact,
  updateStakeholder,
} from "~/models/plan/stakeholders.server";
import { loadTimeline } from "~/models/plan/timeline.server";
import type { DB } from "~/utils/db.server";
import {
  DUPLICATE_STAKEHOLDER_MESSAGE,
  NO_PERSON_MESSAGE,
  UNKNOWN_WAVE_MESSAGE,
  type MilestoneInput,
  type RiskInput,
  type StakeholderInput,
} from "~/validation/plan-details";
import { seedDemoPlanDetails } from "../../db/seed/demo-plan-details";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { programOverview } from "~/models/plan/overview.server";
import { FieldError } from "~/models/errors";

const TODAY = "2026-11-23";

async function person(db: DB, overrides: { name?: string; email?: string; archived?: boolean } = {}) {
  const id = crypto.randomUUID();
  const email = overrides.email ?? `person-${randomBytes(4).toString("hex")}@example.com`;
  await db
    .insertInto("people")
    .values({
      id,
      name: overrides.name ?? `Person ${email}`,
      email,
      title: "Head of something",
      archived_at: overrides.archived ? new Date() : null,
    })
    .execute();
  return { id, email, name: overrides.name ?? `Person ${email}` };
}

async function wave(
  db: DB,
  programId: string,
  name: string,
  position: number,
  startsOn: string | null = null,
  endsOn: string | null = null,
) {
  const id = crypto.randomUUID();
  await db.insertInto("waves").values({ id, program_id: programId, name, position, starts_on: startsOn, ends_on: endsOn }).execute();
  return id;
}

const milestone = (overrides: Partial<MilestoneInput> = {}): MilestoneInput => ({
  title: "Wave 1 drafted",
  dueOn: "2026-12-15",
  ownerEmail: null,
  status: "planned",
  doneOn: null,
  waveId: null,
  notes: "",
  ...overrides,
});

const stakeholder = (personEmail: string, overrides: Partial<StakeholderInput> = {}): StakeholderInput => ({
  personEmail,
  influence: "high",
  interest: "high",
  attitude: "supporter",
  communicationPlan: "Monthly 1:1",
  contactEveryDays: 30,
  lastContactOn: null,
  ...overrides,
});

const risk = (overrides: Partial<RiskInput> = {}): RiskInput => ({
  title: "Leaders skip drafting",
  description: "",
  likelihood: 3,
  impact: 3,
  ownerEmail: null,
  mitigation: "",
  status: "open",
  waveId: null,
  unitId: null,
  ...overrides,
});

async function expectFieldError(promise: Promise<unknown>, field: string, message: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldError);
  expect((error as FieldError).field).toBe(field);
  expect((error as FieldError).message).toBe(message);
}

describe("milestones, stakeholders and risks", () => {
  const t = useTestDatabase();
  let actor: Actor;

  async function setUp() {
    actor ??= await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, actor, { startsOn: "2026-10-01", endsOn: "2027-09-30" });
    return program.id;
  }

  const auditActions = async (programId: string) =>
    (
      await t.db.selectFrom("audit_events").select(["action", "entity_type"]).where("program_id", "=", programId).orderBy("id").execute()
    ).filter((e) => e.entity_type !== "program");

  describe("milestones", () => {
    it("a milestone not done by its due date is late; done ones and ones due today are not", async () => {
      expect(milestoneState("planned", "2026-11-22", TODAY)).toBe("late");
      expect(milestoneState("in_progress", "2026-11-22", TODAY)).toBe("late");
      expect(milestoneState("done", "2026-11-22", TODAY)).toBe("done");
      expect(milestoneState("planned", TODAY, TODAY)).toBe("planned");

      const programId = await setUp();
      const late = await createMilestone(
        t.db,
        actor,
        programId,
        milestone({ title: "Overdue", dueOn: "2026-11-01", status: "in_progress" }),
        TODAY,
      );
      await createMilestone(
        t.db,
        actor,
        programId,
        milestone({ title: "Done late", dueOn: "2026-10-15", status: "done", doneOn: "2026-10-20" }),
        TODAY,
      );
      await createMilestone(t.db, actor, programId, milestone({ title: "Due today", dueOn: TODAY }), TODAY);
      await createMilestone(t.db, actor, programId, milestone({ title: "Later", dueOn: "2027-03-01", status: "in_progress" }), TODAY);

      const all = await listMilestones(t.db, programId, TODAY);
      expect(all.map((m) => [m.title, m.state])).toEqual([
        ["Done late", "done"],
        ["Overdue", "late"],
        ["Due today", "planned"],
        ["Later", "in_progress"],
      ]);
      expect((await listMilestones(t.db, programId, TODAY, { state: "late" })).map((m) => m.id)).toEqual([late.id]);
      expect((await listMilestones(t.db, programId, TODAY, { state: "in_progress" })).map((m) => m.title)).toEqual(["Later"]);
      expect((await listMilestones(t.db, programId, TODAY, { state: "planned" })).map((m) => m.title)).toEqual(["Due today"]);
      expect(await milestoneCounts(t.db, programId, TODAY)).toEqual({ total: 4, planned: 1, inProgress: 1, done: 1, late: 1, dueSoon: 1 });
      // The next day, "Due today" turns late by itself.
      expect((await lateMilestones(t.db, programId, "2026-11-24", 5)).map((m) => m.title)).toEqual(["Overdue", "Due today"]);
      expect((await lateMilestones(t.db, programId, "2026-11-24", 1)).map((m) => m.title)).toEqual(["Overdue"]);
    });

    it("the program overview composes the plan on a given day (the model the overview page and the status report share)", async () => {
      const programId = await setUp();
      await createMilestone(t.db, actor, programId, milestone({ title: "Overdue", dueOn: "2026-11-01" }), TODAY);
      await createMilestone(t.db, actor, programId, milestone({ title: "Due today", dueOn: TODAY }), TODAY);
      const today = await programOverview(t.db, programId, { day: TODAY });
      expect(today.late.map((m) => m.title)).toEqual(["Overdue"]);
      expect(today.milestones).toMatchObject({ total: 2, late: 1 });
      const tomorrow = await programOverview(t.db, programId, { day: "2026-11-24", limit: 1 });
      expect(tomorrow.late.map((m) => m.title)).toEqual(["Overdue"]);
      expect(tomorrow.milestones).toMatchObject({ total: 2, late: 2 });
      expect(tomorrow).toHaveProperty("teams");
      expect(tomorrow).toHaveProperty("waves");
    });

    it("owners are found by email (any case), waves must be the program's own, and both show in the list", async () => {
      const programId = await setUp();
      const owner = await person(t.db, { name: "Margaret Chen" });
      const waveId = await wave(t.db, programId, "Wave 1", 1);
      const created = await createMilestone(t.db, actor, programId, milestone({ ownerEmail: owner.email.toUpperCase(), waveId }), TODAY);
      const row = await getMilestone(t.db, programId, created.id, TODAY);
      expect(row).toMatchObject({ ownerName: "Margaret Chen", ownerEmail: owner.email, waveName: "Wave 1" });
      expect((await listMilestones(t.db, programId, TODAY, { waveId })).map((m) => m.id)).toEqual([created.id]);
      expect(await listMilestones(t.db, programId, TODAY, { waveId: "none" })).toEqual([]);
    });

    it("an unknown or archived owner, or another program's wave, is refused and nothing is saved", async () => {
      const programId = await setUp();
      const other = await setUp();
      const otherWave = await wave(t.db, other, "Wave 1", 1);
      const archived = await person(t.db, { archived: true });
      await expectFieldError(
        createMilestone(t.db, actor, programId, milestone({ ownerEmail: "nobody@example.com" }), TODAY),
        "ownerEmail",
        NO_PERSON_MESSAGE,
      );
      await expectFieldError(
        createMilestone(t.db, actor, programId, milestone({ ownerEmail: archived.email }), TODAY),
        "ownerEmail",
        NO_PERSON_MESSAGE,
      );
      await expectFieldError(
        createMilestone(t.db, actor, programId, milestone({ waveId: otherWave }), TODAY),
        "waveId",
        UNKNOWN_WAVE_MESSAGE,
      );
      expect(await listMilestones(t.db, programId, TODAY)).toEqual([]);
      expect(await auditActions(programId)).toEqual([]);
    });

    it("done sets the done date (today by default), editing keeps it, reopening clears it; each change is audited", async () => {
      const programId = await setUp();
      const { id } = await createMilestone(t.db, actor, programId, milestone({ dueOn: "2026-11-01" }), TODAY);
      expect((await markMilestoneDone(t.db, actor, programId, id, TODAY))?.title).toBe("Wave 1 drafted");
      expect(await getMilestone(t.db, programId, id, TODAY)).toMatchObject({ status: "done", doneOn: TODAY, state: "done" });
      await updateMilestone(
        t.db,
        actor,
        programId,
        id,
        milestone({ dueOn: "2026-11-01", status: "done", notes: "Took longer" }),
        "2026-12-01",
      );
      expect(await getMilestone(t.db, programId, id, TODAY)).toMatchObject({ doneOn: TODAY, notes: "Took longer" });
      await updateMilestone(t.db, actor, programId, id, milestone({ dueOn: "2026-11-01", status: "planned" }), TODAY);
      expect(await getMilestone(t.db, programId, id, TODAY)).toMatchObject({ doneOn: null, state: "late" });
      const created = await createMilestone(t.db, actor, programId, milestone({ status: "done" }), TODAY);
      expect((await getMilestone(t.db, programId, created.id, TODAY))?.doneOn).toBe(TODAY);
      expect(await deleteMilestone(t.db, actor, programId, created.id)).toBe("Wave 1 drafted");
      expect(await getMilestone(t.db, programId, created.id, TODAY)).toBeNull();
      expect((await auditActions(programId)).map((e) => e.action)).toEqual([
        "milestone.created",
        "milestone.completed",
        "milestone.updated",
        "milestone.updated",
        "milestone.created",
        "milestone.deleted",
      ]);
    });

    it("a milestone of another program cannot be read, changed or deleted through this one", async () => {
      const programId = await setUp();
      const other = await setUp();
      const { id } = await createMilestone(t.db, actor, other, milestone(), TODAY);
      expect(await getMilestone(t.db, programId, id, TODAY)).toBeNull();
      expect(await updateMilestone(t.db, actor, programId, id, milestone({ title: "Hijacked" }), TODAY)).toBeNull();
      expect(await markMilestoneDone(t.db, actor, programId, id, TODAY)).toBeNull();
      expect(await deleteMilestone(t.db, actor, programId, id)).toBeNull();
      expect((await getMilestone(t.db, other, id, TODAY))?.title).toBe("Wave 1 drafted");
    });
  });

  describe("stakeholders", () => {
    it("a contact is overdue when never made, or when the last one plus the interval is before today", async () => {
      const programId = await setUp();
      const [never, overdue, dueToday, fine] = await Promise.all([
        person(t.db, { name: "A Never" }),
        person(t.db, { name: "B Overdue" }),
        person(t.db, { name: "C Due today" }),
        person(t.db, { name: "D Fine" }),
      ]);
      await createStakeholder(t.db, actor, programId, stakeholder(never.email));
      await createStakeholder(t.db, actor, programId, stakeholder(overdue.email, { lastContactOn: "2026-10-01", contactEveryDays: 30 }));
      await createStakeholder(t.db, actor, programId, stakeholder(dueToday.email, { lastContactOn: "2026-11-09", contactEveryDays: 14 }));
      await createStakeholder(
        t.db,
        actor,
        programId,
        stakeholder(fine.email, { lastContactOn: "2026-11-20", contactEveryDays: 7, influence: "low", interest: "low" }),
      );
      const rows = await listStakeholders(t.db, programId, TODAY);
      expect(rows.map((s) => [s.name, s.overdue, s.nextContactOn])).toEqual([
        ["A Never", true, null],
        ["B Overdue", true, "2026-10-31"],
        ["C Due today", false, TODAY],
        ["D Fine", false, "2026-11-27"],
      ]);
      expect(rows.map((s) => s.quadrant)).toEqual(["manage_closely", "manage_closely", "manage_closely", "monitor"]);
      expect((await listStakeholders(t.db, programId, TODAY, { overdue: true })).map((s) => s.name)).toEqual(["A Never", "B Overdue"]);
      expect((await listStakeholders(t.db, programId, TODAY, { quadrant: "monitor" })).map((s) => s.name)).toEqual(["D Fine"]);
      expect(await stakeholderCounts(t.db, programId, TODAY)).toEqual({ total: 4, overdue: 2, sceptics: 0 });
      // Overdue first (never contacted before the longest overdue), then the soonest due.
      expect((await stakeholdersToContact(t.db, programId, TODAY, 3)).map((s) => s.name)).toEqual(["A Never", "B Overdue", "C Due today"]);
    });

    it("the same person cannot be a stakeholder twice in one program (any case), but may be in another", async () => {
      const programId = await setUp();
      const other = await setUp();
      const p = await person(t.db);
      await createStakeholder(t.db, actor, programId, stakeholder(p.email));
      await expectFieldError(
        createStakeholder(t.db, actor, programId, stakeholder(p.email.toUpperCase(), { attitude: "sceptic" })),
        "personEmail",
        DUPLICATE_STAKEHOLDER_MESSAGE,
      );
      expect(await listStakeholders(t.db, programId, TODAY)).toHaveLength(1);
      expect((await auditActions(programId)).map((e) => e.action)).toEqual(["stakeholder.added"]);
      await createStakeholder(t.db, actor, other, stakeholder(p.email));
      // Editing another stakeholder into the same person is refused too.
      const q = await person(t.db);
      const second = await createStakeholder(t.db, actor, programId, stakeholder(q.email));
      await expectFieldError(
        updateStakeholder(t.db, actor, programId, second.id, stakeholder(p.email)),
        "personEmail",
        DUPLICATE_STAKEHOLDER_MESSAGE,
      );
      await expectFieldError(createStakeholder(t.db, actor, programId, stakeholder("ghost@example.com")), "personEmail", NO_PERSON_MESSAGE);
    });

    it("contacted today, edits and removal are audited; contacted twice a day records once", async () => {
      const programId = await setUp();
      const p = await person(t.db, { name: "Olu Sceptic" });
      const { id } = await createStakeholder(t.db, actor, programId, stakeholder(p.email, { attitude: "sceptic" }));
      expect(await markContacted(t.db, actor, programId, id, TODAY)).toBe("Olu Sceptic");
      expect(await markContacted(t.db, actor, programId, id, TODAY)).toBe("Olu Sceptic");
      expect((await listStakeholders(t.db, programId, TODAY))[0]).toMatchObject({ lastContactOn: TODAY, overdue: false });
      await updateStakeholder(t.db, actor, programId, id, stakeholder(p.email, { attitude: "neutral", lastContactOn: TODAY }));
      expect(await removeStakeholder(t.db, actor, programId, id)).toBe("Olu Sceptic");
      expect(await listStakeholders(t.db, programId, TODAY)).toEqual([]);
      expect((await auditActions(programId)).map((e) => e.action)).toEqual([
        "stakeholder.added",
        "stakeholder.contacted",
        "stakeholder.updated",
        "stakeholder.removed",
      ]);
      expect(await t.db.selectFrom("people").select("id").where("id", "=", p.id).executeTakeFirst()).toBeDefined();
    });
  });

  describe("risks", () => {
    it("top risks are the open and mitigating ones by score, highest first", async () => {
      const programId = await setUp();
      await createRisk(t.db, actor, programId, risk({ title: "Medium", likelihood: 3, impact: 3 }));
      await createRisk(t.db, actor, programId, risk({ title: "Critical", likelihood: 5, impact: 4, status: "mitigating" }));
      await createRisk(t.db, actor, programId, risk({ title: "Accepted big", likelihood: 5, impact: 5, status: "accepted" }));
      await createRisk(t.db, actor, programId, risk({ title: "Closed big", likelihood: 5, impact: 5, status: "closed" }));
      await createRisk(t.db, actor, programId, risk({ title: "High impact", likelihood: 2, impact: 5 }));
      await createRisk(t.db, actor, programId, risk({ title: "High likelihood", likelihood: 5, impact: 2 }));
      expect((await topRisks(t.db, programId, 10)).map((r) => [r.title, r.score])).toEqual([
        ["Critical", 20],
        ["High impact", 10],
        ["High likelihood", 10],
        ["Medium", 9],
      ]);
      expect((await topRisks(t.db, programId, 2)).map((r) => r.title)).toEqual(["Critical", "High impact"]);
      expect(await riskCounts(t.db, programId)).toEqual({ total: 6, open: 3, mitigating: 1, accepted: 1, closed: 1, high: 1 });
    });

    it("the heat map counts active (not closed) risks per cell, all 25 cells present", async () => {
      const programId = await setUp();
      await createRisk(t.db, actor, programId, risk({ likelihood: 4, impact: 5 }));
      await createRisk(t.db, actor, programId, risk({ likelihood: 4, impact: 5, status: "accepted" }));
      await createRisk(t.db, actor, programId, risk({ likelihood: 4, impact: 5, status: "closed" }));
      await createRisk(t.db, actor, programId, risk({ likelihood: 1, impact: 1 }));
      const cells = await riskHeatMap(t.db, programId);
      expect(cells).toHaveLength(25);
      expect(cells[0]).toEqual({ likelihood: 5, impact: 1, count: 0 });
      expect(cells.filter((c) => c.count > 0)).toEqual([
        { likelihood: 4, impact: 5, count: 2 },
        { likelihood: 1, impact: 1, count: 1 },
      ]);
      expect(await listRisks(t.db, programId, { likelihood: 4, impact: 5, status: "active" })).toHaveLength(2);
      expect(await listRisks(t.db, programId, { likelihood: 4, impact: 5 })).toHaveLength(3);
      expect(await listRisks(t.db, programId, { status: "closed" })).toHaveLength(1);
    });

    it("owner, wave and unit are checked; close and delete are audited", async () => {
      const programId = await setUp();
      const owner = await person(t.db, { name: "Risk Owner" });
      const waveId = await wave(t.db, programId, "Wave 2", 2);
      const unitId = crypto.randomUUID();
      await t.db
        .insertInto("org_units")
        .values({ id: unitId, name: `Unit ${unitId.slice(0, 6)}` })
        .execute();
      await expectFieldError(
        createRisk(t.db, actor, programId, risk({ ownerEmail: "nobody@example.com" })),
        "ownerEmail",
        NO_PERSON_MESSAGE,
      );
      await expectFieldError(createRisk(t.db, actor, programId, risk({ waveId: crypto.randomUUID() })), "waveId", UNKNOWN_WAVE_MESSAGE);
      await expectFieldError(
        createRisk(t.db, actor, programId, risk({ unitId: "nope" })),
        "unitId",
        "Choose one of the organization's units.",
      );
      expect(await listRisks(t.db, programId)).toEqual([]);
      const { id } = await createRisk(t.db, actor, programId, risk({ ownerEmail: owner.email, waveId, unitId }));
      expect((await listRisks(t.db, programId, { waveId }))[0]).toMatchObject({ ownerName: "Risk Owner", waveName: "Wave 2", score: 9 });
      await updateRisk(t.db, actor, programId, id, risk({ ownerEmail: owner.email, waveId, unitId, likelihood: 4 }));
      expect(await closeRisk(t.db, actor, programId, id)).toBe("Leaders skip drafting");
      expect(await closeRisk(t.db, actor, programId, id)).toBe("Leaders skip drafting");
      expect(await deleteRisk(t.db, actor, programId, id)).toBe("Leaders skip drafting");
      const events = await t.db
        .selectFrom("audit_events")
        .selectAll()
        .where("program_id", "=", programId)
        .where("entity_type", "=", "risk")
        .orderBy("id")
        .execute();
      expect(events.map((e) => e.action)).toEqual(["risk.created", "risk.updated", "risk.closed", "risk.deleted"]);
      expect(events[1].details).toEqual({ likelihood: { from: 3, to: 4 } });
      expect(events[0]).toMatchObject({
        actor_id: actor.id,
        entity_id: id,
        summary: "Logged risk “Leaders skip drafting” (likelihood 3 × impact 3 = 9)",
      });
    });
  });

  describe("timeline and demo", () => {
    it("the timeline loads the program's waves and milestones", async () => {
      const programId = await setUp();
      await wave(t.db, programId, "Wave 1", 1, "2026-10-01", "2027-01-31");
      await createMilestone(t.db, actor, programId, milestone({ dueOn: "2026-11-01" }), TODAY);
      const program = await t.db.selectFrom("programs").selectAll().where("id", "=", programId).executeTakeFirstOrThrow();
      const { layout, description } = await loadTimeline(t.db, program, TODAY);
      expect(layout.months).toHaveLength(12);
      expect(layout.waves[0].bar).not.toBeNull();
      expect(layout.milestones[0].state).toBe("late");
      expect(description).toContain("1 of them late");
    });

    it("the demo plan details are seeded once; without waves the milestones are untied", async () => {
      const programId = await setUp();
      await seedDemoPlanDetails(t.db, actor, programId);
      const first = await listMilestones(t.db, programId, TODAY);
      expect(first.length).toBeGreaterThanOrEqual(8);
      await seedDemoPlanDetails(t.db, actor, programId);
      expect(await listMilestones(t.db, programId, TODAY)).toHaveLength(first.length);
      expect(first.every((m) => m.waveId === null)).toBe(true);
    });

    it("with people and waves, the demo ties milestones to waves and gives owners and stakeholders", async () => {
      const programId = await setUp();
      for (const [i, name] of ["Wave 1 — Operations", "Wave 2 — Fleet & Sales", "Wave 3 — Finance & IT"].entries())
        await wave(t.db, programId, name, i + 1);
      const suffix = randomBytes(3).toString("hex");
      const demo = ["sponsor", "plo", "coach"];
      const existing = await t.db
        .selectFrom("people")
        .select("email")
        .where(
          "email",
          "in",
          demo.map((d) => `${d}@demo.rollout-desk.test`),
        )
        .execute();
      for (const d of demo) {
        if (!existing.some((e) => e.email === `${d}@demo.rollout-desk.test`))
          await person(t.db, { email: `${d}@demo.rollout-desk.test`, name: `Demo ${d}` });
      }
      for (let i = 0; i < 8; i++) await person(t.db, { name: `Head ${i} ${suffix}` });
      await seedDemoPlanDetails(t.db, actor, programId);
      const milestones = await listMilestones(t.db, programId, TODAY);
      expect(milestones).toHaveLength(10);
      expect(milestones.filter((m) => m.state === "done")).toHaveLength(2);
      expect(milestones.filter((m) => m.state === "late").map((m) => m.title)).toEqual(["First six OKR coaches certified"]);
      expect(milestones.filter((m) => m.waveName).length).toBeGreaterThanOrEqual(6);
      expect(milestones.every((m) => m.ownerName)).toBe(true);
      const counts = await stakeholderCounts(t.db, programId, TODAY);
      expect(counts).toEqual({ total: 8, overdue: 2, sceptics: 1 });
      const risks = await listRisks(t.db, programId);
      expect(risks).toHaveLength(7);
      expect(new Set(risks.map((r) => `${r.likelihood}:${r.impact}`)).size).toBeGreaterThanOrEqual(6);
    });
  });
});
