import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { importHistory } from "~/models/org/import-history.server";
import { confirmRenames, getImport } from "~/models/org/import-stage.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, importFile, items, stage } from "../support/org-import";
import type { DB } from "~/utils/db.server";

// Issue 13, defect 4: a renamed squad became a new team, and the old one stayed active with its
// lead, coach, sessions and wave. A rename keeps the team, so all of that follows it.

/** Puts a team into a wave of a program and gives it a coach; returns the program id. */
async function planTeam(db: DB, actor: Actor, teamId: string): Promise<string> {
  const program = await createTestProgram(db, actor, { status: "active" });
  const waveId = crypto.randomUUID();
  await db.insertInto("waves").values({ id: waveId, program_id: program.id, name: "Wave 1", position: 1 }).execute();
  await db.insertInto("program_teams").values({ program_id: program.id, team_id: teamId, wave_id: waveId, status: "onboarding" }).execute();
  const coachPerson = crypto.randomUUID();
  await db
    .insertInto("people")
    .values({ id: coachPerson, name: "Coach Kim", email: `coach-${coachPerson}@example.com` })
    .execute();
  const coachId = crypto.randomUUID();
  await db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: coachPerson, capacity: 3 }).execute();
  await db
    .insertInto("coach_assignments")
    .values({ id: crypto.randomUUID(), program_id: program.id, coach_id: coachId, team_id: teamId, starts_on: "2026-11-01" })
    .execute();
  return program.id;
}

const teamsNamed = (db: DB, names: string[]) => db.selectFrom("teams").select(["id", "name", "size"]).where("name", "in", names).execute();

// The coach is a person of the organization too, not in these HR files: a leaver the tests keep.

describe("a renamed team, with a team ID column", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("a new name for a known team ID is a rename: the team keeps its id, wave and coach", async () => {
    await importFile(t.db, plo, hrFixture("renames-team-id-2026-11.csv"));
    const [payments] = await teamsNamed(t.db, ["Payments"]);
    const programId = await planTeam(t.db, plo, payments.id);

    const december = await stage(t.db, plo, hrFixture("renames-team-id-2026-12.csv"));
    expect(december.counts).toMatchObject({ rename: 1, team_new: 0, rename_candidate: 0, error: 0 });
    const [rename] = await items(t.db, december.id, "renames");
    expect(rename).toMatchObject({ kind: "rename", refId: payments.id, before: "Payments (Northwind › Technology › Payments)" });
    await commit(t.db, plo, december.id, "keep");

    expect(await teamsNamed(t.db, ["Payments", "Payments Core"])).toEqual([{ id: payments.id, name: "Payments Core", size: 2 }]);
    const planned = await t.db.selectFrom("program_teams").selectAll().where("program_id", "=", programId).execute();
    expect(planned.map((p) => p.team_id)).toEqual([payments.id]);
    const assigned = await t.db.selectFrom("coach_assignments").select("team_id").where("program_id", "=", programId).execute();
    expect(assigned).toEqual([{ team_id: payments.id }]);
  });
});

describe("a renamed squad, without a team ID column", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("the preview proposes the rename (same unit, most members shared) and the confirmed rename keeps the team", async () => {
    await importFile(t.db, plo, hrFixture("renames-2026-11.csv"));
    const [risk] = await teamsNamed(t.db, ["Risk"]);
    const programId = await planTeam(t.db, plo, risk.id);

    const december = await stage(t.db, plo, hrFixture("renames-2026-12.csv"));
    expect(december.counts).toMatchObject({ rename_candidate: 1, team_new: 1, rename: 0 });
    const [proposal] = await items(t.db, december.id, "renames");
    expect(proposal).toMatchObject({ kind: "rename_candidate", refId: risk.id, before: "Risk", after: "Risk & Fraud" });
    expect(proposal.message).toMatch(/^3 of its 3 members are in “Risk & Fraud”/);

    await confirmRenames(t.db, december, [risk.id], [risk.id]);
    const confirmed = await getImport(t.db, december.id);
    expect(confirmed.counts).toMatchObject({ rename: 1, team_new: 0, rename_candidate: 0 });
    await commit(t.db, plo, december.id, "keep");

    expect(await teamsNamed(t.db, ["Risk", "Risk & Fraud"])).toEqual([{ id: risk.id, name: "Risk & Fraud", size: 4 }]);
    const planned = await t.db.selectFrom("program_teams").select("team_id").where("program_id", "=", programId).execute();
    expect(planned).toEqual([{ team_id: risk.id }]);
    const [history] = await importHistory(t.db, risk.id);
    expect(history.sentence).toMatch(/^renamed from Risk \(Northwind › Risk\) to Risk & Fraud \(Northwind › Risk\) on \d{4}-\d{2}-\d{2}$/);
    const event = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "team.renamed").executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      entity_id: risk.id,
      summary: "Renamed team Risk (Northwind › Risk) to Risk & Fraud (Northwind › Risk) (import #2)",
    });
  });
});
