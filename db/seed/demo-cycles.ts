// The demo's OKR cycles: the finished pilot gets two closed quarters with real-looking OKRs for its
// teams; the company-wide rollout gets its current cycle mid-way (executing), its teams' sets in
// every state from "not drafted" to "active", company objectives to align to, and a coach comment.
// Check-ins, scores, retrospectives and carried-forward links are added on top of these sets by
// demo-cycle-progress.ts. Safe to run again (skips a program that has cycles).

import { sql } from "kysely";
import type { ObjectiveState } from "../schema";
import type { Actor } from "~/models/audit/audit.server";
import type { OkrViewer } from "~/models/cycles/access.server";
import { createCycle, createNextCycle } from "~/models/cycles/cycles.server";
import { addComment, createKeyResult, createObjective } from "~/models/cycles/okrs.server";
import type { DB } from "~/utils/db.server";
import { seedDemoCycleProgress } from "./demo-cycle-progress";

export interface DemoCycles {
  /** The pilot's two closed cycles, oldest first. */
  pilotCycleIds: string[];
  /** The rollout's current cycle. */
  rolloutCycleId: string | null;
  /** Team objectives made, with their team, cycle and key results. */
  objectives: Array<{ id: string; cycleId: string; teamId: string; state: ObjectiveState; keyResultIds: string[] }>;
}

const SETS: Array<{ title: string; type: "committed" | "aspirational" | "learning"; krs: Array<[string, number, number, string]> }> = [
  {
    title: "Customers get answers the same day",
    type: "committed",
    krs: [
      ["First-response time from 9 h to 3 h", 9, 3, "h"],
      ["Tickets solved on first contact from 55% to 70%", 55, 70, "%"],
      ["Customer satisfaction from 4.1 to 4.5", 4.1, 4.5, "/5"],
    ],
  },
  {
    title: "Returns stop being a pain",
    type: "aspirational",
    krs: [
      ["Refund lead time from 12 to 4 days", 12, 4, "days"],
      ["Returns without a call from 40% to 75%", 40, 75, "%"],
    ],
  },
  {
    title: "We learn what our key accounts value",
    type: "learning",
    krs: [
      ["Interviews with key accounts from 0 to 12", 0, 12, "interviews"],
      ["Hypotheses tested from 0 to 4", 0, 4, "tests"],
    ],
  },
];

async function teamSet(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  teamId: string,
  ownerEmail: string | null,
  index: number,
  state: ObjectiveState,
  parentIds: string[],
  today: string,
): Promise<DemoCycles["objectives"][number]> {
  const set = SETS[index % SETS.length];
  const { id } = await createObjective(
    db,
    viewer,
    programId,
    cycleId,
    { level: "team", teamId },
    {
      title: set.title,
      description: "",
      type: set.type,
      ownerEmail,
      parentIds,
      standaloneReason: parentIds.length ? null : "Team health first",
    },
    today,
  );
  const keyResultIds: string[] = [];
  // A draft that is not ready yet has a single key result, worded as a task.
  const krs = state === "draft" ? [["Launch the new help centre", 0, 0, ""] as [string, number, number, string]] : set.krs;
  for (const [title, start, target, unit] of krs) {
    const kr = await createKeyResult(
      db,
      viewer,
      programId,
      id,
      {
        title,
        kind: start === target ? "milestone" : "metric",
        startValue: start === target ? null : start,
        targetValue: start === target ? null : target,
        unit,
        direction: target >= start ? "increase" : "decrease",
        weight: 1,
        ownerEmail: state === "draft" ? null : ownerEmail,
      },
      today,
    );
    keyResultIds.push(kr.id);
  }
  if (state !== "draft") await db.updateTable("objectives").set({ state }).where("id", "=", id).execute();
  return { id, cycleId, teamId, state, keyResultIds };
}

async function teamsWithLeads(db: DB, programId: string, limit: number, unitLike: string | null) {
  let query = db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("people as p", "p.id", "t.lead_person_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "t.id").on("pt.program_id", "=", programId))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .select(["t.id", "p.email"])
    .where("t.archived_at", "is", null);
  if (unitLike) query = query.where("u.name", "ilike", unitLike);
  // Teams with a lead first: a team without one has nobody to own its key results yet.
  return query
    .orderBy(sql`p.email is null`)
    .orderBy("w.position")
    .orderBy("t.name")
    .limit(limit)
    .execute();
}

export async function seedDemoCycles(db: DB, plo: Actor, pilotId: string | null, rolloutId: string | null): Promise<DemoCycles> {
  const result: DemoCycles = { pilotCycleIds: [], rolloutCycleId: null, objectives: [] };
  const viewer: OkrViewer = { userId: plo.id, name: plo.name, role: "plo", personId: null, manage: true };

  // The demo member belongs to the demo team lead's team (a person linked to the member account).
  const member = await db.selectFrom("users").select("id").where("email", "=", "member@demo.rollout-desk.test").executeTakeFirst();
  const leadTeam = await db
    .selectFrom("teams as t")
    .innerJoin("people as p", "p.id", "t.lead_person_id")
    .select("t.id")
    .where("p.email", "=", "team-lead@demo.rollout-desk.test")
    .executeTakeFirst();
  const memberPerson = await db.selectFrom("people").select("id").where("email", "=", "member@demo.rollout-desk.test").executeTakeFirst();
  if (member && leadTeam && !memberPerson) {
    await db
      .insertInto("people")
      .values({
        id: crypto.randomUUID(),
        name: "Lea Novak",
        email: "member@demo.rollout-desk.test",
        title: "Shift Planner",
        team_id: leadTeam.id,
        user_id: member.id,
      })
      .execute();
  }

  if (pilotId && !(await db.selectFrom("cycles").select("id").where("program_id", "=", pilotId).executeTakeFirst())) {
    const first = await createCycle(db, viewer, pilotId, {
      name: "2026-Q1",
      startsOn: "2026-01-12",
      endsOn: "2026-04-05",
      checkinCadenceDays: 14,
      maxObjectives: 3,
      template: true,
    });
    const second = await createNextCycle(db, viewer, pilotId, first.id, "2026-Q2");
    result.pilotCycleIds = [first.id, second.id];
    let teams = await teamsWithLeads(db, pilotId, 5, "%customer%");
    if (teams.length === 0) teams = await teamsWithLeads(db, pilotId, 5, null);
    // The pilot's teams took part in it (their check-in, score and retrospective pages need it) and run on their own since.
    if (teams.length)
      await db
        .insertInto("program_teams")
        .values(
          teams.map((t) => ({ program_id: pilotId, team_id: t.id, status: "self_sufficient" as const, status_changed_on: "2026-06-30" })),
        )
        .onConflict((oc) => oc.columns(["program_id", "team_id"]).doNothing())
        .execute();
    for (const cycleId of result.pilotCycleIds) {
      for (const [i, team] of teams.entries()) {
        result.objectives.push(await teamSet(db, viewer, pilotId, cycleId, team.id, team.email, i, "achieved", [], "2026-02-01"));
      }
    }
    await db.updateTable("cycle_events").set({ state: "held" }).where("cycle_id", "in", result.pilotCycleIds).execute();
    await db.updateTable("cycles").set({ state: "closed" }).where("id", "in", result.pilotCycleIds).execute();
  }

  if (rolloutId && !(await db.selectFrom("cycles").select("id").where("program_id", "=", rolloutId).executeTakeFirst())) {
    const { id: cycleId } = await createCycle(db, viewer, rolloutId, {
      name: "2026-Q4",
      startsOn: "2026-10-05",
      endsOn: "2026-12-27",
      checkinCadenceDays: 14,
      maxObjectives: 3,
      template: true,
    });
    result.rolloutCycleId = cycleId;
    await db.updateTable("cycles").set({ state: "executing" }).where("id", "=", cycleId).execute();
    await db
      .updateTable("cycle_events")
      .set({ state: "held" })
      .where("cycle_id", "=", cycleId)
      .where("occurs_on", "<", "2026-11-23")
      .execute();
    const company = await createObjective(
      db,
      viewer,
      rolloutId,
      cycleId,
      { level: "company" },
      {
        title: "Every delivery on time, every customer informed",
        description: "",
        type: "committed",
        ownerEmail: null,
        parentIds: [],
        standaloneReason: null,
      },
      "2026-10-05",
    );
    await db.updateTable("objectives").set({ state: "active" }).where("id", "=", company.id).execute();
    // States by position: the first teams are model teams, the last have not drafted.
    const states: Array<ObjectiveState | null> = ["active", "active", "active", "approved", "in_review", "draft", "draft", null, null];
    const teams = await teamsWithLeads(db, rolloutId, states.length, null);
    for (const [i, team] of teams.entries()) {
      const state = states[i];
      if (!state) continue;
      const made = await teamSet(
        db,
        viewer,
        rolloutId,
        cycleId,
        team.id,
        team.email,
        i,
        state,
        i % 2 === 0 ? [company.id] : [],
        "2026-10-05",
      );
      result.objectives.push(made);
      if (state === "draft") {
        await addComment(
          db,
          { ...viewer, name: "Amara Okafor" },
          rolloutId,
          {
            body: "Is this a key result or a task? What changes for customers once it is launched?",
            objectiveId: made.id,
            keyResultId: null,
          },
          "2026-10-05",
        );
      }
    }
  }
  if (result.objectives.length > 0) await seedDemoCycleProgress(db, result, plo.id);
  return result;
}
