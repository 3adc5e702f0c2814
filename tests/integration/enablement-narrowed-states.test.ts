import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import type { Actor } from "~/models/audit/audit.server";
import { assertTeamVisible, teamEnablementGaps, teamTraining } from "~/models/enablement/coverage.server";
import { createModule } from "~/models/enablement/curriculum.server";
import { myEnablement } from "~/models/enablement/mine.server";
import { setFirstDraftingEventsProvider } from "~/models/enablement/due-anchors.server";
import { waveEnablementFigures } from "~/models/enablement/readiness.server";
import { enablementReportFigures } from "~/models/enablement/report-figures.server";
import { createRequirement, grantWaiver, recordCompletion } from "~/models/enablement/requirements.server";
import { ForbiddenError } from "~/models/errors";
import { listStates, personStates, type PersonRequirementState } from "~/models/enablement/resolve.server";
import type { RequirementInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { draftingDays, insertPerson, insertTeam, insertUnit, insertWave, moduleInput, requirementInput } from "../support/enablement";

// The narrowed state queries (a team's, a person's) answer what the program-wide query answers
// filtered afterwards, and the stored wave readiness and report figures follow every change.

const TODAY = "2027-01-10";

const requirement = (moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput =>
  requirementInput(moduleId, { dueRule: "before_drafting", dueDays: 3, ...extra });

const key = (s: PersonRequirementState) => `${s.personId}:${s.requirementId}`;
const sorted = (rows: PersonRequirementState[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

describe("narrowed enablement states", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  async function setting() {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Company");
    const unit = await insertUnit(t.db, "Sales", root);
    const wave1 = await insertWave(t.db, program.id, "Wave 1", "2027-01-12", 1);
    const wave2 = await insertWave(t.db, program.id, "Wave 2", "2027-03-01", 2);
    const team1 = await insertTeam(t.db, program.id, unit, wave1, 3);
    const team2 = await insertTeam(t.db, program.id, unit, wave2, 3);
    const coachPerson = await insertPerson(t.db, { unitId: root });
    const coachId = crypto.randomUUID();
    await t.db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: coachPerson.id, capacity: 3 }).execute();
    await t.db
      .insertInto("coach_assignments")
      .values({ id: crypto.randomUUID(), program_id: program.id, coach_id: coachId, team_id: team2.id, starts_on: "2026-01-01" })
      .execute();
    const basics = await createModule(t.db, plo, program.id, moduleInput("Basics"));
    const leading = await createModule(t.db, plo, program.id, moduleInput("Leading"));
    const coaching = await createModule(t.db, plo, program.id, moduleInput("Coaching"));
    await createRequirement(t.db, plo, program.id, requirement(basics, { scope: "unit", unitId: root }));
    const leadReq = await createRequirement(
      t.db,
      plo,
      program.id,
      requirement(leading, { audience: "team_lead", scope: "wave", waveId: wave1 }),
    );
    await createRequirement(t.db, plo, program.id, requirement(coaching, { audience: "coach", necessity: "recommended" }));
    // Team 2 has a drafting day of its own; team 1 falls back to its wave's start.
    setFirstDraftingEventsProvider(draftingDays(program.id, [[team2.id, "2027-01-05"]]));
    const email = async (id: string) =>
      (await t.db.selectFrom("people").select("email").where("id", "=", id).executeTakeFirstOrThrow()).email;
    await recordCompletion(t.db, plo, program.id, {
      email: await email(team1.memberIds[1]),
      moduleId: basics,
      completedOn: "2027-01-02",
      evidence: "x",
    });
    await grantWaiver(t.db, plo, program.id, { email: await email(team1.leadId), requirementId: leadReq, reason: "Led before" });
    return { program, unit, team1, team2, coachPerson, basics, email };
  }

  it("gives a team's states and a person's states equal to the program-wide states filtered afterwards", async () => {
    const s = await setting();
    try {
      const all = await listStates(t.db, s.program.id, TODAY);
      for (const team of [s.team1, s.team2]) {
        const narrowed = await listStates(t.db, s.program.id, TODAY, { teamIds: [team.id] });
        const filtered = all.filter((x) => x.teamId === team.id && (x.audience === "team_member" || x.audience === "team_lead"));
        expect(narrowed.length).toBeGreaterThan(0);
        expect(sorted(narrowed)).toEqual(sorted(filtered));
      }
      for (const personId of [s.coachPerson.id, s.team1.leadId, s.team2.memberIds[2]]) {
        const mine = await personStates(t.db, s.program.id, personId, TODAY);
        expect(mine.length).toBeGreaterThan(0);
        expect(sorted(mine)).toEqual(sorted(all.filter((x) => x.personId === personId)));
      }
      // Only overdue (or due) states: the rows with a completion or a waiver are left out early, same answer.
      for (const states of [["overdue"], ["due", "overdue"]] as const) {
        const pending = await listStates(t.db, s.program.id, TODAY, { states });
        expect(pending.length).toBeGreaterThan(0);
        expect(sorted(pending)).toEqual(sorted(all.filter((x) => (states as readonly string[]).includes(x.state))));
      }
      // The drafting day reaches the narrowed queries too: team 2's members are overdue.
      const member = await personStates(t.db, s.program.id, s.team2.memberIds[1], TODAY);
      expect(member[0]).toMatchObject({ dueOn: "2027-01-02", state: "overdue" });
    } finally {
      setFirstDraftingEventsProvider();
    }
  });

  it("takes the drafting days from the OKR cycles' workshops inside the narrowed queries too", async () => {
    const s = await setting();
    setFirstDraftingEventsProvider(); // the OKR cycles' answer, from the workshops below
    const cycleId = crypto.randomUUID();
    await t.db
      .insertInto("cycles")
      .values({ id: cycleId, program_id: s.program.id, name: "2027-Q1", starts_on: "2027-01-01", ends_on: "2027-03-31" })
      .execute();
    const workshop = (occursOn: string, scope: { waveId?: string; unitId?: string }) => ({
      id: crypto.randomUUID(),
      cycle_id: cycleId,
      program_id: s.program.id,
      kind: "drafting_workshop" as const,
      occurs_on: occursOn,
      scope: scope.waveId ? ("wave" as const) : ("unit" as const),
      wave_id: scope.waveId ?? null,
      unit_id: scope.unitId ?? null,
      state: "planned" as const,
    });
    // The unit's workshop is team 1's first (on or after its wave's start); team 2's wave starts
    // later, so its first is its wave's own workshop.
    const waves = await t.db.selectFrom("waves").select("id").where("program_id", "=", s.program.id).orderBy("position").execute();
    await t.db
      .insertInto("cycle_events")
      .values([workshop("2027-01-20", { unitId: s.unit }), workshop("2027-03-05", { waveId: waves[1].id })])
      .execute();
    const all = await listStates(t.db, s.program.id, TODAY);
    for (const team of [s.team1, s.team2]) {
      const narrowed = await listStates(t.db, s.program.id, TODAY, { teamIds: [team.id] });
      const filtered = all.filter((x) => x.teamId === team.id && (x.audience === "team_member" || x.audience === "team_lead"));
      expect(sorted(narrowed)).toEqual(sorted(filtered));
    }
    const dueOf = async (personId: string) =>
      (await personStates(t.db, s.program.id, personId, TODAY)).map((x) => ({ module: x.moduleTitle, dueOn: x.dueOn, state: x.state }));
    // Three days before each team's first workshop; the coach of team 2 by team 2's.
    expect(await dueOf(s.team1.memberIds[2])).toEqual([{ module: "Basics", dueOn: "2027-01-17", state: "due" }]);
    expect(await dueOf(s.team2.memberIds[2])).toEqual([{ module: "Basics", dueOn: "2027-03-02", state: "due" }]);
    expect(await dueOf(s.coachPerson.id)).toEqual([{ module: "Coaching", dueOn: "2027-03-02", state: "due" }]);
    for (const personId of [s.coachPerson.id, s.team1.leadId, s.team2.memberIds[1]]) {
      expect(sorted(await personStates(t.db, s.program.id, personId, TODAY))).toEqual(sorted(all.filter((x) => x.personId === personId)));
    }
  });

  it("gives a team's training page its narrowed states and gaps, to the PLO, the team's current coach and its lead only", async () => {
    const s = await setting();
    try {
      for (const team of [s.team1, s.team2]) {
        const training = await teamTraining(t.db, s.program.id, team.id, TODAY);
        const states = await listStates(t.db, s.program.id, TODAY, { teamIds: [team.id] });
        expect(training?.team.id).toBe(team.id);
        expect(training?.states).toEqual(
          states.map((x) => ({
            personId: x.personId,
            personName: x.personName,
            requirementId: x.requirementId,
            audience: x.audience,
            moduleTitle: x.moduleTitle,
            state: x.state,
            dueOn: x.dueOn,
          })),
        );
        expect(training?.gaps).toEqual((await teamEnablementGaps(t.db, s.program.id, [team.id], TODAY)).get(team.id) ?? []);
      }
      expect((await teamTraining(t.db, s.program.id, s.team2.id, TODAY))?.gaps.map((g) => g.text)).toEqual(["3 of 3 members lack Basics"]);
      expect(await teamTraining(t.db, s.program.id, crypto.randomUUID(), TODAY)).toBeNull();

      const linked = async (role: "coach" | "team_lead", personId: string) => {
        const user = await createTestUser(t.db, { role });
        await t.db.updateTable("people").set({ user_id: user.id }).where("id", "=", personId).execute();
        return user;
      };
      const sees = (user: { id: string; role: Role }, teamId: string) =>
        assertTeamVisible(t.db, user, s.program.id, teamId, TODAY).then(
          () => true,
          (error: unknown) => (error instanceof ForbiddenError ? false : Promise.reject(error)),
        );
      const coach = await linked("coach", s.coachPerson.id);
      const lead = await linked("team_lead", s.team1.leadId);
      // A coach whose assignment to team 2 ended yesterday.
      const formerPerson = await insertPerson(t.db);
      const former = await linked("coach", formerPerson.id);
      const formerCoachId = crypto.randomUUID();
      await t.db
        .insertInto("coaches")
        .values({ id: formerCoachId, program_id: s.program.id, person_id: formerPerson.id, capacity: 3 })
        .execute();
      await t.db
        .insertInto("coach_assignments")
        .values({
          id: crypto.randomUUID(),
          program_id: s.program.id,
          coach_id: formerCoachId,
          team_id: s.team2.id,
          starts_on: "2026-01-01",
          ends_on: "2027-01-09",
        })
        .execute();
      expect(await sees({ id: plo.id, role: "plo" }, s.team1.id)).toBe(true);
      expect([await sees(coach, s.team2.id), await sees(coach, s.team1.id)]).toEqual([true, false]);
      expect([await sees(lead, s.team1.id), await sees(lead, s.team2.id)]).toEqual([true, false]);
      expect(await sees(former, s.team2.id)).toBe(false);
    } finally {
      setFirstDraftingEventsProvider();
    }
  });

  it("gives a person's page their states, the coming sessions of what they lack and their roster, in one answer", async () => {
    const s = await setting();
    try {
      const user = await createTestUser(t.db, { role: "member" });
      const personId = s.team2.memberIds[1];
      await t.db.updateTable("people").set({ user_id: user.id }).where("id", "=", personId).execute();
      const midnight = new Date();
      midnight.setUTCHours(0, 0, 0, 0);
      const inDays = (days: number) => new Date(midnight.getTime() + days * 86_400_000 + 9 * 3_600_000);
      const berlinTime = (at: Date) =>
        new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
      const session = async (moduleId: string, startsAt: Date, state: "open" | "planned" | "cancelled" | "held" = "open") => {
        const id = crypto.randomUUID();
        await t.db
          .insertInto("enablement_sessions")
          .values({
            id,
            program_id: s.program.id,
            module_id: moduleId,
            starts_at: startsAt,
            duration_minutes: 60,
            capacity: 10,
            state,
            updated_at: new Date(),
            time_zone: "Europe/Berlin",
            location: `Room ${id.slice(0, 4)}`,
          })
          .execute();
        return id;
      };
      const leading = (
        await t.db
          .selectFrom("enablement_modules")
          .select("id")
          .where("program_id", "=", s.program.id)
          .where("title", "like", "Leading%")
          .executeTakeFirstOrThrow()
      ).id;
      const soonAt = inDays(10);
      const soon = await session(s.basics, soonAt);
      const later = await session(s.basics, inDays(20), "planned");
      await session(s.basics, inDays(5), "cancelled");
      await session(leading, inDays(3)); // a module this member does not need
      const held = await session(s.basics, inDays(-30), "held");
      const earlier = await session(s.basics, inDays(-60), "held");
      await t.db
        .insertInto("enablement_roster")
        .values([
          { session_id: held, person_id: personId, status: "no_show", updated_at: new Date() },
          { session_id: earlier, person_id: personId, status: "attended", updated_at: new Date() },
        ])
        .execute();
      await t.db
        .insertInto("enablement_feedback")
        .values({ id: crypto.randomUUID(), session_id: earlier, person_id: personId, rating: 4 })
        .execute();

      const mine = await myEnablement(t.db, s.program.id, user.id, TODAY);
      expect(mine.personId).toBe(personId);
      expect(mine.states).toEqual(
        (await personStates(t.db, s.program.id, personId, TODAY)).map((x) => ({
          requirementId: x.requirementId,
          moduleId: x.moduleId,
          moduleTitle: x.moduleTitle,
          necessity: x.necessity,
          audience: x.audience,
          state: x.state,
          dueOn: x.dueOn,
          completedOn: x.completedOn,
        })),
      );
      expect(mine.states.map((x) => x.state)).toEqual(["overdue"]);
      expect(mine.upcoming.map((u) => u.id)).toEqual([soon, later]);
      expect(mine.upcoming[0]).toMatchObject({ moduleTitle: "Basics", timeZone: "Europe/Berlin", localTime: berlinTime(soonAt) });
      expect(mine.roster.map((r) => [r.sessionId, r.status, r.feedbackGiven])).toEqual([
        [held, "no_show", false],
        [earlier, "attended", true],
      ]);

      // Someone who met everything is offered no session; an account without a person gets nothing.
      const done = await createTestUser(t.db, { role: "member" });
      await t.db.updateTable("people").set({ user_id: done.id }).where("id", "=", s.team1.memberIds[1]).execute();
      expect(await myEnablement(t.db, s.program.id, done.id, TODAY)).toMatchObject({
        states: [{ state: "met" }],
        upcoming: [],
        roster: [],
      });
      const nobody = await createTestUser(t.db, { role: "member" });
      expect(await myEnablement(t.db, s.program.id, nobody.id, TODAY)).toEqual({ personId: null, states: [], upcoming: [], roster: [] });
    } finally {
      setFirstDraftingEventsProvider();
    }
  });

  it("keeps the stored wave readiness and report figures equal to a fresh computation after a change", async () => {
    const s = await setting();
    try {
      const waves = await t.db.selectFrom("waves").select("id").where("program_id", "=", s.program.id).orderBy("position").execute();
      const waveIds = waves.map((w) => w.id);
      const first = await waveEnablementFigures(t.db, s.program.id, waveIds, TODAY);
      expect(first.get(waveIds[0])).toMatchObject({ leads: { done: 1, total: 1 }, members: { done: 1, total: 3 } });
      // Wave 2's lead needs nothing required (the lead requirement is wave 1's): not measurable.
      expect(first.get(waveIds[1])).toMatchObject({ leads: { done: 0, total: 0 }, members: { done: 0, total: 3 } });
      // Read again: the stored figures, the same answer.
      expect(await waveEnablementFigures(t.db, s.program.id, waveIds, TODAY)).toEqual(first);
      const report = await enablementReportFigures(t.db, s.program.id, TODAY);
      expect(report).toMatchObject({ requiredDue: 7, completed: 2, overdue: 5 });
      // A completion moves both at once.
      await recordCompletion(t.db, plo, s.program.id, {
        email: await s.email(s.team2.memberIds[1]),
        moduleId: s.basics,
        completedOn: "2027-01-03",
        evidence: "x",
      });
      const after = await waveEnablementFigures(t.db, s.program.id, waveIds, TODAY);
      expect(after.get(waveIds[1])?.members).toEqual({ done: 1, total: 3 });
      expect(await enablementReportFigures(t.db, s.program.id, TODAY)).toMatchObject({ requiredDue: 7, completed: 3, overdue: 4 });
      // Another day is computed afresh: before team 1's due day nothing of it is due yet.
      expect(await enablementReportFigures(t.db, s.program.id, "2027-01-05")).toMatchObject({ requiredDue: 3, completed: 1, overdue: 2 });
    } finally {
      setFirstDraftingEventsProvider();
    }
  });
});
