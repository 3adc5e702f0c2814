import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { FieldError } from "~/models/errors";
import { trainingEventsFor } from "~/models/enablement/calendar.server";
import { awardLevel, certificationWarning, coachLevels, createLevel, createPath } from "~/models/enablement/certification.server";
import { teamEnablementGaps } from "~/models/enablement/coverage.server";
import { createModule } from "~/models/enablement/curriculum.server";
import { feedbackSummary, giveFeedback } from "~/models/enablement/feedback.server";
import { createRequirement, recordCompletion } from "~/models/enablement/requirements.server";
import { createSession, inviteToSession, markAttendance } from "~/models/enablement/sessions.server";
import { addCriterion, waveReadiness } from "~/models/plan/waves.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertPerson, insertTeam, insertUnit, insertWave } from "../support/enablement";

// Enablement feeding the rest: team gaps for the coach's teams, wave readiness ("team leads
// trained ≥ N %", "coaches certified"), coach certification, the calendar feed and feedback.

const TODAY = "2027-01-10";

describe("enablement and readiness", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  const module = (programId: string, title: string) =>
    createModule(t.db, plo, programId, {
      title,
      kind: "fundamentals",
      delivery: "live",
      durationMinutes: 60,
      validityMonths: null,
      description: "",
      prerequisiteIds: [],
    });

  it("counts a team's gaps and measures “team leads trained ≥ N %”, blocking inside the start window", async () => {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Readiness");
    const wave = await insertWave(t.db, program.id, "Wave R", "2027-01-15");
    const teams = await Promise.all([1, 2, 3, 4].map(() => insertTeam(t.db, program.id, root, wave, 3)));
    const fundamentals = await module(program.id, "Fundamentals");
    await createRequirement(t.db, plo, program.id, {
      moduleId: fundamentals,
      audience: "team_member",
      scope: "wave",
      waveId: wave,
      unitId: null,
      necessity: "required",
      dueRule: "before_wave",
      dueDays: 0,
      dueOn: null,
    });
    await createRequirement(t.db, plo, program.id, {
      moduleId: fundamentals,
      audience: "team_lead",
      scope: "wave",
      waveId: wave,
      unitId: null,
      necessity: "required",
      dueRule: "before_wave",
      dueDays: 0,
      dueOn: null,
    });
    const leadEmails = await t.db
      .selectFrom("people")
      .select(["id", "email"])
      .where(
        "id",
        "in",
        teams.map((x) => x.leadId),
      )
      .execute();
    for (const lead of leadEmails.slice(0, 3))
      await recordCompletion(t.db, plo, program.id, {
        email: lead.email,
        moduleId: fundamentals,
        completedOn: "2027-01-05",
        evidence: "Workshop",
      });
    const gaps = await teamEnablementGaps(t.db, program.id, [teams[0].id], TODAY);
    expect(gaps.get(teams[0].id)?.map((g) => g.text)).toEqual(["2 of 3 members lack Fundamentals"]);
    await addCriterion(t.db, plo, program.id, wave, { kind: "leads_trained", label: "Leads trained", threshold: 75 });
    await addCriterion(t.db, plo, program.id, wave, { kind: "members_trained", label: "Members trained", threshold: 80 });
    const readiness = (await waveReadiness(t.db, program.id, TODAY))[wave];
    const byLabel = new Map(readiness.criteria.map((c) => [c.label, c]));
    expect(byLabel.get("Leads trained")).toMatchObject({ state: "met", detail: "3 of 4 team leads trained (75 %, needs 75 %)." });
    expect(byLabel.get("Members trained")).toMatchObject({ state: "unmet", detail: "3 of 12 team members trained (25 %, needs 80 %)." });
    expect(readiness.state).toBe("blocked");
    expect(readiness.reasons).toContain(
      "“Members trained”: 3 of 12 team members trained (25 %, needs 80 %) and the wave starts in 5 days.",
    );
    // Far from the start, the same gap is only a risk.
    expect((await waveReadiness(t.db, program.id, "2026-11-01"))[wave].reasons).toContain(
      "“Members trained”: 3 of 12 team members trained (25 %, needs 80 %).",
    );
  });

  it("certifies a coach once the modules and facilitated sessions are there; the coverage board and a wave's criterion see it", async () => {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Cert");
    const wave = await insertWave(t.db, program.id, "Wave C", "2027-02-01");
    const team = await insertTeam(t.db, program.id, root, wave, 2);
    const masterclass = await module(program.id, "Coach masterclass");
    const person = await insertPerson(t.db, { name: "Cora Coach" });
    const coachId = crypto.randomUUID();
    await t.db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: person.id, capacity: 4 }).execute();
    await t.db
      .insertInto("coach_assignments")
      .values({ id: crypto.randomUUID(), program_id: program.id, coach_id: coachId, team_id: team.id, starts_on: "2027-01-01" })
      .execute();
    await addCriterion(t.db, plo, program.id, wave, { kind: "coaches_certified", label: "Coaches certified" });
    expect(await certificationWarning(t.db, program.id, coachId, [team.id], TODAY)).toBe(
      "Cora Coach is not a certified coach, and “Wave C” requires certified coaches.",
    );
    const path = await createPath(t.db, plo, program.id, "OKR coach");
    const level = await createLevel(t.db, plo, program.id, {
      pathId: path,
      name: "Practitioner",
      rank: 1,
      requiredSessions: 2,
      sessionTypes: ["drafting"],
      validityMonths: 12,
      moduleIds: [masterclass],
    });
    const award = { email: person.email, levelId: level, awardedOn: "2027-01-08", note: "Observed two workshops" };
    await expect(awardLevel(t.db, plo, program.id, award)).rejects.toThrow(
      "modules not completed: Coach masterclass; 0 of 2 facilitated sessions",
    );
    await recordCompletion(t.db, plo, program.id, {
      email: person.email,
      moduleId: masterclass,
      completedOn: "2026-12-01",
      evidence: "Attended",
    });
    for (const type of ["drafting", "drafting", "check_in"] as const)
      await t.db
        .insertInto("support_sessions")
        .values({
          id: crypto.randomUUID(),
          program_id: program.id,
          coach_id: coachId,
          team_id: team.id,
          held_on: "2027-01-02",
          type,
          duration_minutes: 60,
        })
        .execute();
    await awardLevel(t.db, plo, program.id, award);
    expect(await coachLevels(t.db, program.id, [coachId], TODAY)).toEqual({
      [coachId]: { levelName: "Practitioner", pathName: "OKR coach", rank: 1, expiresOn: "2028-01-08" },
    });
    expect(await coachLevels(t.db, program.id, [coachId], "2028-01-08")).toEqual({});
    expect(await certificationWarning(t.db, program.id, coachId, [team.id], TODAY)).toBeNull();
    const criterion = (await waveReadiness(t.db, program.id, TODAY))[wave].criteria.find((c) => c.kind === "coaches_certified");
    expect(criterion).toMatchObject({ state: "met", detail: "1 of 1 coaches certified (100 %)." });
    await expect(awardLevel(t.db, plo, program.id, { ...award, email: "nobody@example.com" })).rejects.toBeInstanceOf(FieldError);
  });

  it("puts the sessions a user trains or is on the roster of in their calendar, and takes feedback from attendees", async () => {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Calendar");
    const learnerUser = await createTestUser(t.db, { role: "team_lead" });
    const team = await insertTeam(t.db, program.id, root, null, 2, { userIdOfLead: learnerUser.id });
    const drafting = await module(program.id, "Drafting");
    await createRequirement(t.db, plo, program.id, {
      moduleId: drafting,
      audience: "team_lead",
      scope: "unit",
      waveId: null,
      unitId: root,
      necessity: "required",
      dueRule: "fixed",
      dueDays: null,
      dueOn: "2027-02-01",
    });
    const trainer = await createTestUser(t.db, { role: "coach" });
    const sessionId = await createSession(t.db, plo, program.id, {
      moduleId: drafting,
      date: "2027-01-20",
      time: "14:00",
      timeZone: "Europe/Berlin",
      durationMinutes: 90,
      location: "Room 1",
      url: "",
      trainerEmail: trainer.email,
      capacity: 5,
      state: "open",
    });
    await inviteToSession(t.db, plo, program.id, sessionId, { audience: "team_lead", waveId: null, unitId: root, limit: null }, TODAY);
    const [mine] = await trainingEventsFor(t.db, learnerUser.id);
    expect(mine).toMatchObject({
      uid: `training-${sessionId}@rollout-desk`,
      title: "Training: Drafting",
      location: "Room 1",
      role: "invited",
    });
    expect(mine.start.toISOString()).toBe("2027-01-20T13:00:00.000Z");
    expect(mine.end.toISOString()).toBe("2027-01-20T14:30:00.000Z");
    expect((await trainingEventsFor(t.db, trainer.id)).map((e) => e.role)).toEqual(["trainer"]);
    await expect(
      giveFeedback(t.db, plo, program.id, sessionId, team.leadId, { rating: 5, comment: "Great", anonymous: true }),
    ).rejects.toBeInstanceOf(FieldError);
    await markAttendance(t.db, { userId: trainer.id, manage: false }, { id: trainer.id, name: trainer.name }, program.id, sessionId, {
      present: [],
      excused: [],
      allPresent: true,
    });
    await giveFeedback(t.db, plo, program.id, sessionId, team.leadId, { rating: 5, comment: "Great", anonymous: true });
    const stored = await t.db
      .selectFrom("enablement_feedback")
      .select(["person_id", "rating"])
      .where("session_id", "=", sessionId)
      .execute();
    expect(stored).toEqual([{ person_id: null, rating: 5 }]);
    const summary = await feedbackSummary(t.db, program.id);
    expect(summary.modules).toEqual([{ key: drafting, label: "Drafting", answers: 1, average: 5, comments: ["Great"] }]);
    expect(summary.trainers[0]).toMatchObject({ label: trainer.name, answers: 1 });
  });
});
