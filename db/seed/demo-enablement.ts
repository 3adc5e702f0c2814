// Demo enablement for Northwind's company-wide rollout (issue 15): the curriculum (five modules,
// the OKR playbook), who needs what, wave 1 trained with a few gaps (a held drafting workshop and
// e-learning completions), wave 2's workshops scheduled with invitations, and a coach
// certification path with two certified coaches, one of them expiring soon.
// Idempotent: a program that already has modules is left alone. Runs after the plan and coaching.
import type { Actor } from "~/models/audit/audit.server";
import { createLevel, createPath } from "~/models/enablement/certification.server";
import { createMaterial, createModule } from "~/models/enablement/curriculum.server";
import { createRequirement } from "~/models/enablement/requirements.server";
import { createSession, inviteToSession, syncAttendanceCompletions } from "~/models/enablement/sessions.server";
import { addMonths } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import type { ModuleInput } from "~/validation/enablement";

const DEMO_TODAY = "2026-11-23";

const module = (title: string, extra: Partial<ModuleInput>): ModuleInput => ({
  title,
  kind: "other",
  delivery: "live",
  durationMinutes: 90,
  validityMonths: null,
  description: "",
  prerequisiteIds: [],
  ...extra,
});

export async function seedDemoEnablement(db: DB, actor: Actor, programId: string): Promise<void> {
  const existing = await db.selectFrom("enablement_modules").select("id").where("program_id", "=", programId).limit(1).executeTakeFirst();
  if (existing) return;
  const fundamentals = await createModule(
    db,
    actor,
    programId,
    module("OKR Fundamentals", { kind: "fundamentals", delivery: "self_paced", durationMinutes: 60, validityMonths: 24 }),
    "2026-09-01",
  );
  const drafting = await createModule(
    db,
    actor,
    programId,
    module("Drafting workshop", { kind: "drafting_workshop", durationMinutes: 180, prerequisiteIds: [fundamentals] }),
    "2026-09-01",
  );
  await createModule(db, actor, programId, module("Check-in practice", { kind: "check_in_practice", durationMinutes: 90 }), "2026-09-01");
  const masterclass = await createModule(
    db,
    actor,
    programId,
    module("Coach masterclass", { kind: "coach_masterclass", durationMinutes: 480, validityMonths: 12 }),
    "2026-09-01",
  );
  const briefing = await createModule(
    db,
    actor,
    programId,
    module("Sponsor briefing", { kind: "sponsor_briefing", durationMinutes: 60 }),
    "2026-09-01",
  );
  await createMaterial(
    db,
    actor,
    programId,
    { title: "Northwind OKR playbook", url: "https://intranet.example.com/okr/playbook", moduleIds: [fundamentals, drafting] },
    "2026-09-01",
  );

  const base = { scope: "all" as const, waveId: null, unitId: null, necessity: "required" as const, dueOn: null };
  await createRequirement(db, actor, programId, {
    ...base,
    moduleId: fundamentals,
    audience: "team_member",
    dueRule: "before_wave",
    dueDays: 7,
  });
  await createRequirement(db, actor, programId, {
    ...base,
    moduleId: drafting,
    audience: "team_lead",
    dueRule: "before_drafting",
    dueDays: 7,
  });
  await createRequirement(db, actor, programId, {
    ...base,
    moduleId: masterclass,
    audience: "coach",
    dueRule: "after_joining",
    dueDays: 60,
  });
  await createRequirement(db, actor, programId, {
    ...base,
    moduleId: briefing,
    audience: "sponsor",
    dueRule: "fixed",
    dueDays: null,
    dueOn: "2026-12-15",
  });

  const waves = await db
    .selectFrom("waves")
    .select(["id", "name", "starts_on"])
    .where("program_id", "=", programId)
    .orderBy("position")
    .execute();
  const [wave1, wave2] = waves;
  if (wave1) {
    // Wave 1: a held drafting workshop for its leads (all but a few attended) and Fundamentals done by most members.
    const leads = await db
      .selectFrom("program_teams as pt")
      .innerJoin("teams as t", "t.id", "pt.team_id")
      .select("t.lead_person_id")
      .where("pt.program_id", "=", programId)
      .where("pt.wave_id", "=", wave1.id)
      .where("t.lead_person_id", "is not", null)
      .execute();
    const leadIds = leads.map((l) => l.lead_person_id!);
    const sessionId = await createSession(db, actor, programId, {
      moduleId: drafting,
      date: "2026-10-05",
      time: "09:00",
      timeZone: "Europe/Berlin",
      durationMinutes: 180,
      location: "Hamburg HQ, room Elbe",
      url: "",
      trainerEmail: null,
      capacity: Math.max(leadIds.length, 1),
      state: "open",
    });
    const attended = leadIds.slice(0, Math.max(0, leadIds.length - 3));
    if (leadIds.length > 0) {
      await db
        .insertInto("enablement_roster")
        .values(
          leadIds.map((p) => ({
            session_id: sessionId,
            person_id: p,
            status: attended.includes(p) ? ("attended" as const) : ("no_show" as const),
          })),
        )
        .execute();
    }
    const session = await db
      .selectFrom("enablement_sessions as s")
      .innerJoin("enablement_modules as m", "m.id", "s.module_id")
      .select(["s.id", "s.module_id", "m.version", "s.starts_at", "s.time_zone"])
      .where("s.id", "=", sessionId)
      .executeTakeFirstOrThrow();
    await syncAttendanceCompletions(db, session, attended, actor.id);
    await db.updateTable("enablement_sessions").set({ state: "held" }).where("id", "=", sessionId).execute();
    const members = await db
      .selectFrom("people as p")
      .innerJoin("program_teams as pt", "pt.team_id", "p.team_id")
      .select("p.id")
      .where("pt.program_id", "=", programId)
      .where("pt.wave_id", "=", wave1.id)
      .where("p.archived_at", "is", null)
      .orderBy("p.id")
      .execute();
    const done = members.filter((_, i) => i % 9 !== 0);
    for (let i = 0; i < done.length; i += 1000) {
      await db
        .insertInto("enablement_completions")
        .values(
          done.slice(i, i + 1000).map((m, j) => ({
            id: crypto.randomUUID(),
            person_id: m.id,
            module_id: fundamentals,
            module_version: 1,
            completed_on: `2026-09-${String(10 + ((i + j) % 18)).padStart(2, "0")}`,
            source: "import" as const,
            evidence: "Imported from the learning platform",
            recorded_by: actor.id,
          })),
        )
        .execute();
    }
  }
  if (wave2) {
    // Wave 2: two drafting workshops scheduled, its team leads invited (the second fills the waiting list).
    for (const [date, place] of [
      ["2027-01-12", "Rotterdam office"],
      ["2027-01-19", "Online"],
    ] as const) {
      const id = await createSession(db, actor, programId, {
        moduleId: drafting,
        date,
        time: "09:30",
        timeZone: "Europe/Amsterdam",
        durationMinutes: 180,
        location: place,
        url: place === "Online" ? "https://meet.example.com/northwind-drafting" : "",
        trainerEmail: null,
        capacity: 12,
        state: "open",
      });
      await inviteToSession(db, actor, programId, id, { audience: "team_lead", waveId: wave2.id, unitId: null, limit: 14 }, DEMO_TODAY);
    }
  }

  // Certification: two coaches certified, one expiring within weeks.
  const path = await createPath(db, actor, programId, "Northwind OKR coach");
  const level = await createLevel(db, actor, programId, {
    pathId: path,
    name: "Certified coach",
    rank: 1,
    requiredSessions: 2,
    sessionTypes: ["drafting", "check_in"],
    validityMonths: 12,
    moduleIds: [masterclass],
  });
  const coaches = await db.selectFrom("coaches").select("person_id").where("program_id", "=", programId).orderBy("id").limit(2).execute();
  for (const [i, coach] of coaches.entries()) {
    const awardedOn = i === 0 ? "2026-06-01" : "2025-12-10";
    await db
      .insertInto("enablement_completions")
      .values({
        id: crypto.randomUUID(),
        person_id: coach.person_id,
        module_id: masterclass,
        module_version: 1,
        completed_on: awardedOn,
        source: "manual",
        evidence: "Masterclass cohort 1",
        recorded_by: actor.id,
      })
      .execute();
    await db
      .insertInto("enablement_cert_awards")
      .values({
        id: crypto.randomUUID(),
        level_id: level,
        person_id: coach.person_id,
        awarded_on: awardedOn,
        expires_on: addMonths(awardedOn, 12),
        assessor_id: actor.id,
        assessor_label: actor.name,
        note: "Observed drafting and check-in facilitation",
      })
      .execute();
  }
}
