import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import {
  activitySummary,
  activityWeeks,
  assignTeams,
  createCoach,
  currentAndNextWave,
  endAssignment,
  getCoach,
  listCoachActivity,
  listCoachAssignments,
  listCoaches,
  listCoachLoads,
  listGapTeams,
  listTeamActivity,
  listTeamCoaches,
  loadCoverageBoard,
  setCoachActive,
  teamsWithoutPrimaryCoach,
  updateCoach,
  type WaveRef,
} from "~/models/coaching/coaches.server";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { ACTIVITY_LIST_SPEC, ASSIGNMENT_LIST_SPEC, COACH_LIST_SPEC, GAP_LIST_SPEC, type AssignInput } from "~/validation/coaching";
import type { AssignmentKind, SessionType } from "../../db/schema";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { FieldError, NotFoundError } from "~/models/errors";

// The PLO's side of the coach community against a real database: coaches with capacity and
// load, assignments (a new primary ends the previous one), bulk assignment, the coverage board,
// the wave-readiness figure "teams without a primary coach" and coaching activity aggregates.

const TODAY = "2026-11-23"; // a Monday

describe("the coach community, PLO side", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  let seq = 0;
  const uid = () => `${Date.now().toString(36)}-${(seq += 1)}`;

  async function unit(name = "Unit", parentId: string | null = null): Promise<string> {
    const id = crypto.randomUUID();
    await t.db
      .insertInto("org_units")
      .values({ id, name: `${name} ${uid()}`, parent_id: parentId })
      .execute();
    return id;
  }

  async function people(
    count: number,
    { userId = null as string | null, prefix = "Person" } = {},
  ): Promise<Array<{ id: string; email: string; name: string }>> {
    const rows = Array.from({ length: count }, (_, i) => {
      const tag = uid();
      return { id: crypto.randomUUID(), name: `${prefix} ${i} ${tag}`, email: `p-${tag}@example.com`, user_id: i === 0 ? userId : null };
    });
    if (rows.length) await t.db.insertInto("people").values(rows).execute();
    return rows;
  }

  async function teams(unitId: string, count: number, prefix = "Team"): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `${prefix} ${String(i).padStart(4, "0")} ${uid()}`,
      unit_id: unitId,
    }));
    if (rows.length) await t.db.insertInto("teams").values(rows).execute();
    return rows.map((r) => r.id);
  }

  async function wave(programId: string, position: number, startsOn: string | null, endsOn: string | null): Promise<string> {
    const id = crypto.randomUUID();
    await t.db
      .insertInto("waves")
      .values({ id, program_id: programId, name: `Wave ${position} ${uid()}`, position, starts_on: startsOn, ends_on: endsOn })
      .execute();
    return id;
  }

  async function plan(programId: string, waveId: string, teamIds: string[]) {
    if (teamIds.length)
      await t.db
        .insertInto("program_teams")
        .values(teamIds.map((team_id) => ({ program_id: programId, team_id, wave_id: waveId })))
        .execute();
  }

  async function program() {
    return createTestProgram(t.db, plo, { name: `Coaching ${uid()}` });
  }

  /** A coach made through the model; the person is created first. */
  async function coach(programId: string, capacity = 5, focus = ""): Promise<{ id: string; name: string; personId: string }> {
    const [person] = await people(1, { prefix: "Coach" });
    const created = await createCoach(t.db, plo, programId, { personEmail: person.email, capacity, focus });
    return { ...created, personId: person.id };
  }

  const assign = (programId: string, input: Partial<AssignInput> & Pick<AssignInput, "teamId" | "coachId">, today = TODAY) =>
    assignTeams(t.db, plo, programId, { kind: "primary", startsOn: TODAY, endsOn: null, ...input }, today);

  async function assignmentsOf(teamId: string) {
    return t.db
      .selectFrom("coach_assignments")
      .select(["coach_id", "kind", "starts_on", "ends_on"])
      .where("team_id", "=", teamId)
      .orderBy("starts_on")
      .orderBy("kind")
      .execute();
  }

  async function auditFor(programId: string) {
    return t.db.selectFrom("audit_events").selectAll().where("program_id", "=", programId).orderBy("id").execute();
  }

  async function expectRefused(promise: Promise<unknown>, field: string, message: string | RegExp) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FieldError);
    const errors = (error as FieldError).fields;
    if (typeof message === "string") expect(errors[field]).toBe(message);
    else expect(errors[field]).toMatch(message);
  }

  /** A view of the database that counts every query sent through it. */
  function counting(db: DB) {
    const counter = { queries: 0 };
    const plugin: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        counter.queries += 1;
        return args.result;
      },
    };
    return { db: db.withPlugin(plugin), counter };
  }

  async function sessions(
    programId: string,
    rows: Array<{ coachId: string; teamId: string; heldOn: string; minutes?: number; type?: SessionType }>,
  ) {
    if (rows.length === 0) return;
    await t.db
      .insertInto("support_sessions")
      .values(
        rows.map((r) => ({
          id: crypto.randomUUID(),
          program_id: programId,
          coach_id: r.coachId,
          team_id: r.teamId,
          held_on: r.heldOn,
          type: r.type ?? "check_in",
          duration_minutes: r.minutes ?? 60,
          notes: "Private notes: the lead was upset about the draft.",
        })),
      )
      .execute();
  }

  const coachParams = (search = "") => parseListParams(new URLSearchParams(search), COACH_LIST_SPEC);
  const gapParams = (search = "") => parseListParams(new URLSearchParams(search), GAP_LIST_SPEC);
  const activityParams = (search = "") => parseListParams(new URLSearchParams(search), ACTIVITY_LIST_SPEC);

  describe("coaches", () => {
    it("a person becomes a coach with a capacity and a focus, recorded in the audit log", async () => {
      const p = await program();
      const [person] = await people(1, { prefix: "Amara" });
      const created = await createCoach(t.db, plo, p.id, { personEmail: person.email.toUpperCase(), capacity: 6, focus: "Fleet, German" });
      const found = await getCoach(t.db, p.id, created.id, TODAY);
      expect(found).toMatchObject({
        name: person.name,
        email: person.email,
        capacity: 6,
        focus: "Fleet, German",
        load: 0,
        active: true,
        account: "missing",
      });
      const events = await auditFor(p.id);
      expect(events.map((e) => e.action)).toEqual(["program.created", "coach.created"]);
      expect(events[1]).toMatchObject({ entity_type: "coach", entity_id: created.id, actor_id: plo.id });
      expect(events[1].details).toMatchObject({ personId: person.id, capacity: 6, focus: "Fleet, German" });
    });

    it("refuses an unknown email, an archived person and someone who is a coach already; nothing is saved", async () => {
      const p = await program();
      const [person, archived] = await people(2);
      await t.db.updateTable("people").set({ archived_at: new Date() }).where("id", "=", archived.id).execute();
      await createCoach(t.db, plo, p.id, { personEmail: person.email, capacity: 3, focus: "" });
      const before = await t.db.selectFrom("coaches").select("id").where("program_id", "=", p.id).execute();
      const auditBefore = (await auditFor(p.id)).length;
      await expectRefused(
        createCoach(t.db, plo, p.id, { personEmail: "nobody@example.com", capacity: 3, focus: "" }),
        "personEmail",
        "No person with this email in the organization.",
      );
      await expectRefused(
        createCoach(t.db, plo, p.id, { personEmail: archived.email, capacity: 3, focus: "" }),
        "personEmail",
        /is archived/,
      );
      await expectRefused(
        createCoach(t.db, plo, p.id, { personEmail: person.email, capacity: 4, focus: "" }),
        "personEmail",
        "This person is already a coach in this program.",
      );
      expect(await t.db.selectFrom("coaches").select("id").where("program_id", "=", p.id).execute()).toEqual(before);
      expect(await auditFor(p.id)).toHaveLength(auditBefore);
      // The same person may coach in another program.
      const other = await program();
      await expect(createCoach(t.db, plo, other.id, { personEmail: person.email, capacity: 2, focus: "" })).resolves.toMatchObject({
        name: person.name,
      });
    });

    it("a deactivated coach cannot be added again, but can be reactivated", async () => {
      const p = await program();
      const c = await coach(p.id);
      await setCoachActive(t.db, plo, p.id, c.id, false, TODAY);
      const email = (await t.db.selectFrom("people").select("email").where("id", "=", c.personId).executeTakeFirstOrThrow()).email;
      await expectRefused(
        createCoach(t.db, plo, p.id, { personEmail: email, capacity: 4, focus: "" }),
        "personEmail",
        /already a coach in this program.*reactivate/,
      );
      expect(await setCoachActive(t.db, plo, p.id, c.id, true, TODAY)).toMatchObject({ changed: true });
      expect(await getCoach(t.db, p.id, c.id, TODAY)).toMatchObject({ active: true });
    });

    it("editing capacity and focus is audited with before and after; an unchanged form changes nothing", async () => {
      const p = await program();
      const c = await coach(p.id, 4, "Sales");
      expect(await updateCoach(t.db, plo, p.id, c.id, { capacity: 6, focus: "Sales, Dutch" })).toBe(true);
      expect(await updateCoach(t.db, plo, p.id, c.id, { capacity: 6, focus: "Sales, Dutch" })).toBe(false);
      const events = (await auditFor(p.id)).filter((e) => e.action === "coach.updated");
      expect(events).toHaveLength(1);
      expect(events[0].details).toEqual({ capacity: { from: 4, to: 6 }, focus: { from: "Sales", to: "Sales, Dutch" } });
      await expect(updateCoach(t.db, plo, p.id, crypto.randomUUID(), { capacity: 3, focus: "" })).rejects.toBeInstanceOf(NotFoundError);
      const other = await program();
      await expect(updateCoach(t.db, plo, other.id, c.id, { capacity: 3, focus: "" })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("tells whether a coach can sign in: linked to an active coach account, another role, or nothing", async () => {
      const p = await program();
      const coachUser = await createTestUser(t.db, { role: "coach" });
      const ploUser = await createTestUser(t.db, { role: "plo" });
      const [withCoach] = await people(1, { userId: coachUser.id, prefix: "Linked" });
      const [withPlo] = await people(1, { userId: ploUser.id, prefix: "Ploish" });
      const [unlinked] = await people(1, { prefix: "Unlinked" });
      for (const person of [withCoach, withPlo, unlinked])
        await createCoach(t.db, plo, p.id, { personEmail: person.email, capacity: 3, focus: "" });
      const page = await listCoaches(t.db, p.id, coachParams(), TODAY);
      const state = (name: string) => page.rows.find((r) => r.name === name)?.account;
      expect(state(withCoach.name)).toBe("coach");
      expect(state(withPlo.name)).toBe("other_role");
      expect(state(unlinked.name)).toBe("missing");
      const missing = await listCoaches(t.db, p.id, coachParams("account=missing"), TODAY);
      expect(missing.rows.map((r) => r.name).sort()).toEqual([withPlo.name, unlinked.name].sort());
      await t.db.updateTable("users").set({ active: false }).where("id", "=", coachUser.id).execute();
      expect((await listCoaches(t.db, p.id, coachParams(), TODAY)).rows.find((r) => r.name === withCoach.name)?.account).toBe("inactive");
    });
  });

  describe("capacity and load", () => {
    it("load counts the active teams a coach coaches today: not ended, upcoming or archived ones", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 6);
      const c = await coach(p.id, 3);
      await assign(p.id, { coachId: c.id, teamId: [ts[0], ts[1]], kind: "primary" });
      await assign(p.id, { coachId: c.id, teamId: [ts[2]], kind: "secondary" });
      await assign(p.id, { coachId: c.id, teamId: [ts[3]], startsOn: "2026-01-01", endsOn: "2026-06-30" });
      await assign(p.id, { coachId: c.id, teamId: [ts[4]], startsOn: "2026-12-01" });
      await assign(p.id, { coachId: c.id, teamId: [ts[5]] });
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", ts[5]).execute();
      expect(await getCoach(t.db, p.id, c.id, TODAY)).toMatchObject({ load: 3, capacity: 3 });
      // On the first of December the upcoming one counts too.
      expect(await getCoach(t.db, p.id, c.id, "2026-12-01")).toMatchObject({ load: 4 });
      const full = await listCoaches(t.db, p.id, coachParams("load=full"), TODAY);
      expect(full.rows.map((r) => r.id)).toEqual([c.id]);
    });

    it("an overloaded coach is flagged on the board and in the lists (and may be assigned anyway, with a warning figure)", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 4);
      const busy = await coach(p.id, 2);
      const free = await coach(p.id, 5);
      const result = await assign(p.id, { coachId: busy.id, teamId: ts.slice(0, 3) });
      expect(result).toMatchObject({ assigned: 3, load: 3, capacity: 2 });
      await assign(p.id, { coachId: free.id, teamId: [ts[3]] });
      const loads = await listCoachLoads(t.db, p.id, undefined, 1, TODAY);
      expect(loads.rows.map((r) => [r.id, r.load, r.capacity])).toEqual([
        [busy.id, 3, 2],
        [free.id, 1, 5],
      ]);
      expect((await listCoachLoads(t.db, p.id, "overloaded", 1, TODAY)).rows.map((r) => r.id)).toEqual([busy.id]);
      expect((await listCoaches(t.db, p.id, coachParams("load=free"), TODAY)).rows.map((r) => r.id)).toEqual([free.id]);
      const board = await loadCoverageBoard(t.db, p.id, { gaps: gapParams() }, TODAY);
      expect(board.summary).toMatchObject({ coaches: 2, overloaded: 1, full: 0, freePlaces: 4, capacity: 7, load: 4 });
      // The board suggests coaches with free places only.
      expect(board.coachOptions.map((o) => o.id)).toEqual([free.id]);
      // Sorting by free places: the overloaded coach (−1) first when ascending.
      const byFree = await listCoaches(t.db, p.id, coachParams("sort=free&dir=asc"), TODAY);
      expect(byFree.rows[0].id).toBe(busy.id);
    });
  });

  describe("assignments", () => {
    it("a new primary ends the previous primary assignment the day before; secondaries stay", async () => {
      const p = await program();
      const u = await unit();
      const [team] = await teams(u, 1);
      const first = await coach(p.id);
      const second = await coach(p.id);
      const helper = await coach(p.id);
      await assign(p.id, { coachId: first.id, teamId: [team], startsOn: "2026-09-01" });
      await assign(p.id, { coachId: helper.id, teamId: [team], kind: "secondary", startsOn: "2026-09-01" });
      const result = await assign(p.id, { coachId: second.id, teamId: [team], startsOn: "2026-11-23" });
      expect(result.assigned).toBe(1);
      expect(result.replaced).toEqual([
        expect.objectContaining({ teamId: team, coachName: first.name, kind: "primary", endedOn: "2026-11-22" }),
      ]);
      expect(await assignmentsOf(team)).toEqual([
        { coach_id: first.id, kind: "primary", starts_on: "2026-09-01", ends_on: "2026-11-22" },
        { coach_id: helper.id, kind: "secondary", starts_on: "2026-09-01", ends_on: null },
        { coach_id: second.id, kind: "primary", starts_on: "2026-11-23", ends_on: null },
      ]);
      // Exactly one current primary on each day around the change.
      for (const day of ["2026-11-22", "2026-11-23", "2027-01-01"]) {
        const rows = await t.db
          .selectFrom("coach_assignments")
          .select("coach_id")
          .where("team_id", "=", team)
          .where("kind", "=", "primary")
          .where("starts_on", "<=", day)
          .where((eb) => eb.or([eb("ends_on", "is", null), eb("ends_on", ">=", day)]))
          .execute();
        expect(rows, day).toHaveLength(1);
      }
      const audit = (await auditFor(p.id)).filter((e) => e.action === "coaching.teams_assigned").at(-1)!;
      expect(audit.details).toMatchObject({ coachId: second.id, kind: "primary", count: 1, teamIds: [team], endedOn: "2026-11-22" });
    });

    it("a primary that had not started yet is removed; one planned after a bounded assignment stays", async () => {
      const p = await program();
      const u = await unit();
      const [team, other] = await teams(u, 2);
      const planned = await coach(p.id);
      const now = await coach(p.id);
      await assign(p.id, { coachId: planned.id, teamId: [team], startsOn: "2027-01-04" });
      const result = await assign(p.id, { coachId: now.id, teamId: [team], startsOn: TODAY });
      expect(result.replaced).toEqual([expect.objectContaining({ coachName: planned.name, endedOn: null })]);
      expect(await assignmentsOf(team)).toEqual([{ coach_id: now.id, kind: "primary", starts_on: TODAY, ends_on: null }]);
      await assign(p.id, { coachId: planned.id, teamId: [other], startsOn: "2027-03-01" });
      const bounded = await assign(p.id, { coachId: now.id, teamId: [other], startsOn: TODAY, endsOn: "2027-02-28" });
      expect(bounded.replaced).toEqual([]);
      expect(await assignmentsOf(other)).toHaveLength(2);
    });

    it("assigning a coach again the same way changes nothing; a secondary promoted to primary ends the secondary", async () => {
      const p = await program();
      const u = await unit();
      const [team] = await teams(u, 1);
      const c = await coach(p.id);
      await assign(p.id, { coachId: c.id, teamId: [team], kind: "secondary", startsOn: "2026-10-01" });
      const again = await assign(p.id, { coachId: c.id, teamId: [team], kind: "secondary" });
      expect(again).toMatchObject({ assigned: 0, already: 1 });
      const auditCount = (await auditFor(p.id)).length;
      const promoted = await assign(p.id, { coachId: c.id, teamId: [team], kind: "primary" });
      expect(promoted).toMatchObject({ assigned: 1, already: 0 });
      expect(await assignmentsOf(team)).toEqual([
        { coach_id: c.id, kind: "secondary", starts_on: "2026-10-01", ends_on: "2026-11-22" },
        { coach_id: c.id, kind: "primary", starts_on: TODAY, ends_on: null },
      ]);
      expect(await assign(p.id, { coachId: c.id, teamId: [team], kind: "primary" })).toMatchObject({ assigned: 0, already: 1 });
      expect(await auditFor(p.id)).toHaveLength(auditCount + 1);
    });

    it("bulk: 150 teams in one call, one audit event with the count and the ids, in a fixed number of queries", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 160);
      const previous = await coach(p.id, 50);
      const c = await coach(p.id, 50);
      await assign(p.id, { coachId: previous.id, teamId: ts.slice(0, 40), startsOn: "2026-10-01" });
      const auditBefore = (await auditFor(p.id)).length;
      const small = counting(t.db);
      await assignTeams(
        small.db,
        plo,
        p.id,
        { teamId: ts.slice(150, 152), coachId: c.id, kind: "secondary", startsOn: TODAY, endsOn: null },
        TODAY,
      );
      const large = counting(t.db);
      const result = await assignTeams(
        large.db,
        plo,
        p.id,
        { teamId: ts.slice(0, 150), coachId: c.id, kind: "primary", startsOn: TODAY, endsOn: null },
        TODAY,
      );
      expect(result).toMatchObject({ assigned: 150, already: 0 });
      expect(result.replaced).toHaveLength(40);
      expect(large.counter.queries).toBeLessThanOrEqual(small.counter.queries + 2);
      expect(large.counter.queries).toBeLessThanOrEqual(10);
      const events = (await auditFor(p.id)).slice(auditBefore);
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ action: "coaching.teams_assigned", entity_id: c.id });
      expect(events[1].details).toMatchObject({ count: 150, kind: "primary" });
      expect((events[1].details.teamIds as string[]).sort()).toEqual(ts.slice(0, 150).sort());
      expect(events[1].details.ended as string[]).toHaveLength(40);
    });

    it("refuses an unknown coach, a deactivated coach, an unknown or archived team, no team and an end before the start; nothing is saved", async () => {
      const p = await program();
      const other = await program();
      const u = await unit();
      const [team, archived] = await teams(u, 2);
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", archived).execute();
      const c = await coach(p.id);
      const foreign = await coach(other.id);
      const gone = await coach(p.id);
      await setCoachActive(t.db, plo, p.id, gone.id, false, TODAY);
      const before = await t.db.selectFrom("coach_assignments").selectAll().where("program_id", "=", p.id).execute();
      const auditBefore = (await auditFor(p.id)).length;
      await expectRefused(
        assign(p.id, { coachId: crypto.randomUUID(), teamId: [team] }),
        "coachId",
        "Choose one of this program's coaches.",
      );
      await expectRefused(assign(p.id, { coachId: foreign.id, teamId: [team] }), "coachId", "Choose one of this program's coaches.");
      await expectRefused(assign(p.id, { coachId: gone.id, teamId: [team] }), "coachId", /is deactivated/);
      await expectRefused(assign(p.id, { coachId: c.id, teamId: [team, crypto.randomUUID()] }), "teamId", /do not exist/);
      await expectRefused(assign(p.id, { coachId: c.id, teamId: [archived] }), "teamId", /do not exist/);
      await expectRefused(assign(p.id, { coachId: c.id, teamId: [] }), "teamId", "Select at least one team.");
      await expectRefused(
        assign(p.id, { coachId: c.id, teamId: [team], startsOn: "2026-12-01", endsOn: "2026-11-30" }),
        "endsOn",
        "The end date cannot be before the start date.",
      );
      expect(await t.db.selectFrom("coach_assignments").selectAll().where("program_id", "=", p.id).execute()).toEqual(before);
      expect(await auditFor(p.id)).toHaveLength(auditBefore);
    });

    it("ending an assignment sets its last day; an end before its start or another coach's assignment is refused", async () => {
      const p = await program();
      const u = await unit();
      const [team] = await teams(u, 1);
      const c = await coach(p.id);
      const other = await coach(p.id);
      await assign(p.id, { coachId: c.id, teamId: [team], startsOn: "2026-10-01" });
      const [row] = await listCoachAssignments(t.db, p.id, c.id, TODAY);
      expect(row).toMatchObject({ teamId: team, state: "current", kind: "primary" });
      await expectRefused(endAssignment(t.db, plo, p.id, row.id, "2026-09-30", c.id), "endsOn", /cannot be before the start date/);
      await expectRefused(endAssignment(t.db, plo, p.id, row.id, TODAY, other.id), "assignmentId", /does not exist/);
      await expect(endAssignment(t.db, plo, p.id, row.id, TODAY, c.id)).resolves.toMatchObject({ endsOn: TODAY });
      expect(await assignmentsOf(team)).toEqual([{ coach_id: c.id, kind: "primary", starts_on: "2026-10-01", ends_on: TODAY }]);
      expect((await listCoachAssignments(t.db, p.id, c.id, "2026-11-24"))[0].state).toBe("ended");
      const event = (await auditFor(p.id)).at(-1)!;
      expect(event).toMatchObject({ action: "coaching.assignment_ended", entity_id: c.id });
      expect(event.details).toMatchObject({ assignmentId: row.id, from: null, to: TODAY });
    });

    it("deactivating a coach ends their current assignments today and removes upcoming ones; their teams become gaps", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 3);
      const w = await wave(p.id, 1, "2026-11-01", "2027-01-31");
      await plan(p.id, w, ts);
      const c = await coach(p.id);
      await assign(p.id, { coachId: c.id, teamId: [ts[0], ts[1]], startsOn: "2026-11-01" });
      await assign(p.id, { coachId: c.id, teamId: [ts[2]], startsOn: "2026-12-01" });
      // The third team's coach starts in December: a gap today.
      expect((await teamsWithoutPrimaryCoach(t.db, p.id, [w], TODAY)).get(w)).toBe(1);
      const result = await setCoachActive(t.db, plo, p.id, c.id, false, TODAY);
      expect(result).toMatchObject({ changed: true, ended: 2, removed: 1 });
      expect(await assignmentsOf(ts[0])).toEqual([{ coach_id: c.id, kind: "primary", starts_on: "2026-11-01", ends_on: TODAY }]);
      expect(await assignmentsOf(ts[2])).toEqual([]);
      // Coverage counts active coaches only: the gap shows today already.
      expect((await teamsWithoutPrimaryCoach(t.db, p.id, [w], TODAY)).get(w)).toBe(3);
      expect((await auditFor(p.id)).at(-1)).toMatchObject({ action: "coach.deactivated" });
      expect(await setCoachActive(t.db, plo, p.id, c.id, false, TODAY)).toMatchObject({ changed: false });
    });

    it("the team list shows each team's current primary and secondary coaches and filters on having a primary", async () => {
      const p = await program();
      const u = await unit("Filter unit");
      const ts = await teams(u, 3, "Listed");
      const a = await coach(p.id);
      const b = await coach(p.id);
      await assign(p.id, { coachId: a.id, teamId: [ts[0]] });
      await assign(p.id, { coachId: b.id, teamId: [ts[0], ts[1]], kind: "secondary" });
      const params = (search: string) => parseListParams(new URLSearchParams(`unit=${u}&${search}`), ASSIGNMENT_LIST_SPEC);
      const all = await listTeamCoaches(t.db, p.id, params(""), TODAY);
      expect(all.rows.map((r) => [r.id, r.primary, r.secondaries])).toEqual([
        [ts[0], a.name, [b.name]],
        [ts[1], null, [b.name]],
        [ts[2], null, []],
      ]);
      expect((await listTeamCoaches(t.db, p.id, params("primary=yes"), TODAY)).rows.map((r) => r.id)).toEqual([ts[0]]);
      // The lead's name is shown and searchable.
      const [lead] = await people(1, { prefix: "Leading Lena" });
      await t.db.updateTable("teams").set({ lead_person_id: lead.id }).where("id", "=", ts[2]).execute();
      const found = await listTeamCoaches(t.db, p.id, params(`q=${encodeURIComponent("leading lena")}`), TODAY);
      expect(found.rows.map((r) => [r.id, r.leadName])).toEqual([[ts[2], lead.name]]);
      expect((await listTeamCoaches(t.db, p.id, params("primary=no"), TODAY)).rows.map((r) => r.id)).toEqual([ts[1], ts[2]]);
    });
  });

  describe("coverage", () => {
    const waveRef = (id: string, position: number, startsOn: string | null, endsOn: string | null): WaveRef => ({
      id,
      name: id,
      position,
      startsOn,
      endsOn,
    });

    it("the current wave contains today, else it is the latest started; the next one follows by position", () => {
      const waves = [
        waveRef("w1", 1, "2026-09-01", "2026-10-31"),
        waveRef("w2", 2, "2026-11-01", "2027-01-31"),
        waveRef("w3", 3, "2027-02-01", "2027-04-30"),
      ];
      expect(currentAndNextWave(waves, TODAY)).toMatchObject({ current: { id: "w2" }, next: { id: "w3" } });
      // Between waves: the latest started one.
      const gap = [waveRef("w1", 1, "2026-09-01", "2026-10-31"), waveRef("w2", 2, "2027-01-01", null)];
      expect(currentAndNextWave(gap, TODAY)).toMatchObject({ current: { id: "w1" }, next: { id: "w2" } });
      // Nothing started yet: no current wave, the first one is next.
      expect(currentAndNextWave([waveRef("a", 1, "2027-01-01", null), waveRef("b", 2, null, null)], TODAY)).toEqual({
        current: null,
        next: expect.objectContaining({ id: "a" }),
      });
      expect(currentAndNextWave([], TODAY)).toEqual({ current: null, next: null });
      expect(currentAndNextWave([waveRef("last", 1, "2026-01-01", "2026-03-01")], TODAY)).toMatchObject({
        current: { id: "last" },
        next: null,
      });
    });

    it("teamsWithoutPrimaryCoach counts, per wave, the active teams with no current primary of an active coach, in one query", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 8);
      const w1 = await wave(p.id, 1, "2026-11-01", "2027-01-31");
      const w2 = await wave(p.id, 2, "2027-02-01", "2027-04-30");
      const empty = await wave(p.id, 3, null, null);
      await plan(p.id, w1, ts.slice(0, 5));
      await plan(p.id, w2, ts.slice(5, 8));
      const c = await coach(p.id);
      const gone = await coach(p.id);
      await assign(p.id, { coachId: c.id, teamId: [ts[0], ts[5]] });
      await assign(p.id, { coachId: c.id, teamId: [ts[1]], kind: "secondary" });
      await assign(p.id, { coachId: c.id, teamId: [ts[2]], startsOn: "2026-10-01", endsOn: "2026-11-22" });
      await assign(p.id, { coachId: gone.id, teamId: [ts[3]] });
      await setCoachActive(t.db, plo, p.id, gone.id, false, "2026-11-22");
      await t.db.updateTable("teams").set({ archived_at: new Date() }).where("id", "=", ts[4]).execute();
      const { db, counter } = counting(t.db);
      const result = await teamsWithoutPrimaryCoach(db, p.id, [w1, w2, empty], TODAY);
      expect(counter.queries).toBe(1);
      expect(result).toEqual(
        new Map([
          [w1, 3],
          [w2, 2],
          [empty, 0],
        ]),
      );
      expect(await teamsWithoutPrimaryCoach(t.db, p.id, [], TODAY)).toEqual(new Map());
      // A future primary covers the team from its first day.
      await assign(p.id, { coachId: c.id, teamId: [ts[6]], startsOn: "2027-02-01" });
      expect((await teamsWithoutPrimaryCoach(t.db, p.id, [w2], TODAY)).get(w2)).toBe(2);
      expect((await teamsWithoutPrimaryCoach(t.db, p.id, [w2], "2027-02-01")).get(w2)).toBe(1);
    });

    it("the board lists the current and next wave's gaps; assigning a primary closes one", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 6, "Gap");
      const past = await wave(p.id, 1, "2026-06-01", "2026-08-31");
      const current = await wave(p.id, 2, "2026-11-01", "2027-01-31");
      const next = await wave(p.id, 3, "2027-02-01", "2027-04-30");
      const later = await wave(p.id, 4, "2027-05-01", null);
      await plan(p.id, past, [ts[0]]);
      await plan(p.id, current, [ts[1], ts[2]]);
      await plan(p.id, next, [ts[3], ts[4]]);
      await plan(p.id, later, [ts[5]]);
      const c = await coach(p.id);
      const helper = await coach(p.id);
      await assign(p.id, { coachId: helper.id, teamId: [ts[2]], kind: "secondary" });
      const board = await loadCoverageBoard(t.db, p.id, { gaps: gapParams() }, TODAY);
      expect(board.current?.id).toBe(current);
      expect(board.next?.id).toBe(next);
      expect(board.coverage.map((w) => [w.id, w.role, w.teams, w.withoutPrimary])).toEqual([
        [current, "current", 2, 2],
        [next, "next", 2, 2],
      ]);
      expect(board.gaps.rows.map((r) => r.id)).toEqual([ts[1], ts[2], ts[3], ts[4]]);
      expect(board.gaps.rows[1].secondaries).toEqual([helper.name]);
      expect((await listGapTeams(t.db, p.id, [next], gapParams(), TODAY)).total).toBe(2);
      const onlyNext = await loadCoverageBoard(t.db, p.id, { gaps: gapParams("wave=next") }, TODAY);
      expect(onlyNext.gaps.rows.map((r) => r.id)).toEqual([ts[3], ts[4]]);
      expect(board.coachOptions.map((o) => o.id).sort()).toEqual([c.id, helper.id].sort());
      await assign(p.id, { coachId: c.id, teamId: [ts[1]] });
      const after = await loadCoverageBoard(t.db, p.id, { gaps: gapParams() }, TODAY);
      expect(after.gaps.rows.map((r) => r.id)).toEqual([ts[2], ts[3], ts[4]]);
      expect(after.coverage[0].withoutPrimary).toBe(1);
    });

    it("a coach whose person left the organization covers nobody: their teams are gaps again, and back when the person returns", async () => {
      const p = await program();
      const u = await unit();
      const [led, other, later] = await teams(u, 3, "Leaver");
      const current = await wave(p.id, 1, "2026-11-01", "2027-01-31");
      const upcoming = await wave(p.id, 2, "2027-02-01", "2027-04-30");
      await plan(p.id, current, [led, other]);
      await plan(p.id, upcoming, [later]);
      const leaver = await coach(p.id);
      const stayer = await coach(p.id);
      await assign(p.id, { coachId: leaver.id, teamId: [led, later] });
      await assign(p.id, { coachId: stayer.id, teamId: [other] });
      const followed = async () => (await listTeamActivity(t.db, p.id, activityParams(`unit=${u}`), TODAY)).rows.map((r) => r.id).sort();
      const figures = async () => {
        const board = await loadCoverageBoard(t.db, p.id, { gaps: gapParams() }, TODAY);
        return {
          gaps: board.gaps.rows.map((r) => r.id),
          withoutPrimary: (await teamsWithoutPrimaryCoach(t.db, p.id, [current, upcoming], TODAY)).get(current),
          followed: await followed(),
        };
      };
      const before = await figures();
      expect(before).toEqual({ gaps: [], withoutPrimary: 0, followed: [led, later, other].sort() });

      await t.db.updateTable("people").set({ archived_at: new Date() }).where("id", "=", leaver.personId).execute();
      expect(await figures()).toEqual({
        gaps: [led, later],
        withoutPrimary: 1,
        // The upcoming wave's team was followed only because the leaver coached it.
        followed: [led, other].sort(),
      });

      await t.db.updateTable("people").set({ archived_at: null }).where("id", "=", leaver.personId).execute();
      expect(await figures()).toEqual(before);
    });

    it("the board's query count is the same for 10 coaches as for 200", async () => {
      async function queriesFor(coaches: number) {
        const p = await program();
        const u = await unit();
        const ts = await teams(u, coaches * 2);
        const w = await wave(p.id, 1, "2026-11-01", "2027-01-31");
        await plan(p.id, w, ts);
        const persons = await people(coaches, { prefix: "Board coach" });
        const ids = persons.map(() => crypto.randomUUID());
        await t.db
          .insertInto("coaches")
          .values(persons.map((person, i) => ({ id: ids[i], program_id: p.id, person_id: person.id, capacity: 1 + (i % 4) })))
          .execute();
        await t.db
          .insertInto("coach_assignments")
          .values(
            ids.map((coachId, i) => ({
              id: crypto.randomUUID(),
              program_id: p.id,
              coach_id: coachId,
              team_id: ts[i],
              kind: "primary" as AssignmentKind,
              starts_on: "2026-11-01",
            })),
          )
          .execute();
        const { db, counter } = counting(t.db);
        const board = await loadCoverageBoard(db, p.id, { gaps: gapParams("size=200") }, TODAY);
        expect(board.summary.coaches).toBe(coaches);
        expect(board.gaps.total).toBe(coaches);
        return counter.queries;
      }
      const few = await queriesFor(10);
      const many = await queriesFor(200);
      expect(many).toBe(few);
      expect(few).toBeLessThanOrEqual(8);
    });
  });

  describe("coaching activity", () => {
    it("counts sessions per team and week for the last 12 weeks and finds the teams with no session in N weeks", async () => {
      const p = await program();
      const u = await unit("Activity");
      const [busy, quiet, silent, unplanned] = await teams(u, 4, "Act");
      const w = await wave(p.id, 1, "2026-09-01", "2027-01-31");
      await plan(p.id, w, [busy, quiet, silent]);
      const c = await coach(p.id);
      await assign(p.id, { coachId: c.id, teamId: [busy, quiet], startsOn: "2026-09-01" });
      const weeks = activityWeeks(TODAY);
      expect(weeks).toHaveLength(12);
      expect(weeks[11]).toBe("2026-11-23");
      expect(weeks[0]).toBe("2026-09-07");
      await sessions(p.id, [
        { coachId: c.id, teamId: busy, heldOn: "2026-11-23", minutes: 30 },
        { coachId: c.id, teamId: busy, heldOn: "2026-11-18", minutes: 45 },
        { coachId: c.id, teamId: busy, heldOn: "2026-11-16" },
        { coachId: c.id, teamId: busy, heldOn: "2026-09-07" },
        // Before the 12 weeks: only the "last session" date sees it.
        { coachId: c.id, teamId: quiet, heldOn: "2026-09-06" },
        // Tomorrow does not count yet.
        { coachId: c.id, teamId: quiet, heldOn: "2026-11-24" },
        // Five weeks ago: quiet for 4 weeks, not for 6.
        { coachId: c.id, teamId: quiet, heldOn: "2026-10-19" },
      ]);
      const page = await listTeamActivity(t.db, p.id, activityParams(`unit=${u}`), TODAY);
      expect(page.rows.map((r) => r.id)).toEqual([busy, quiet, silent]);
      const row = (id: string) => page.rows.find((r) => r.id === id)!;
      expect(row(busy).weeks).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1].map((n, i) => (i === 10 ? 2 : n)));
      expect(row(busy)).toMatchObject({ sessions: 4, minutes: 30 + 45 + 60 + 60, lastHeldOn: "2026-11-23", quiet: false, primary: c.name });
      expect(row(quiet)).toMatchObject({ sessions: 1, lastHeldOn: "2026-10-19", quiet: true });
      expect(row(silent)).toMatchObject({ sessions: 0, lastHeldOn: null, quiet: true, primary: null });
      expect(page.rows.some((r) => r.id === unplanned)).toBe(false);
      // A later wave's teams are followed once they have a coach, not before.
      const [later, laterCoached] = await teams(u, 2, "Later");
      const next = await wave(p.id, 2, "2027-02-01", null);
      await plan(p.id, next, [later, laterCoached]);
      await assign(p.id, { coachId: c.id, teamId: [laterCoached], kind: "secondary" });
      const followed = (await listTeamActivity(t.db, p.id, activityParams(`unit=${u}`), TODAY)).rows.map((r) => r.id);
      expect(followed).toContain(laterCoached);
      expect(followed).not.toContain(later);
      await t.db.deleteFrom("coach_assignments").where("team_id", "=", laterCoached).execute();
      await t.db.deleteFrom("program_teams").where("team_id", "in", [later, laterCoached]).execute();
      const quietOnly = await listTeamActivity(t.db, p.id, activityParams(`unit=${u}&quiet=yes`), TODAY);
      expect(quietOnly.rows.map((r) => r.id)).toEqual([quiet, silent]);
      const sixWeeks = await listTeamActivity(t.db, p.id, activityParams(`unit=${u}&quiet=yes&weeks=6`), TODAY);
      expect(sixWeeks.rows.map((r) => r.id)).toEqual([silent]);
      // The last 4 weeks: 27 Oct to today; tomorrow's session does not count.
      const summary = await activitySummary(t.db, p.id, { unit: u }, TODAY);
      expect(summary).toEqual({ quietWeeks: 4, since: "2026-10-27", sessions: 3, minutes: 30 + 45 + 60, teams: 3, quietTeams: 2 });
      expect(await activitySummary(t.db, p.id, { unit: u, weeks: "6" }, TODAY)).toMatchObject({
        since: "2026-10-13",
        sessions: 4,
        quietTeams: 1,
      });
      const byLast = await listTeamActivity(t.db, p.id, activityParams(`unit=${u}&sort=last&dir=asc`), TODAY);
      expect(byLast.rows.map((r) => r.id)).toEqual([silent, quiet, busy]);
      const bySessions = await listTeamActivity(t.db, p.id, activityParams(`unit=${u}&sort=sessions&dir=desc`), TODAY);
      expect(bySessions.rows[0].id).toBe(busy);
      // Aggregates only: nothing on these rows carries notes.
      expect(JSON.stringify(page)).not.toContain("Private notes");
    });

    it("counts sessions per coach, limited to the teams of a wave when filtered", async () => {
      const p = await program();
      const u = await unit();
      const [a, b] = await teams(u, 2);
      const w1 = await wave(p.id, 1, "2026-09-01", null);
      const w2 = await wave(p.id, 2, "2027-01-01", null);
      await plan(p.id, w1, [a]);
      await plan(p.id, w2, [b]);
      const c = await coach(p.id);
      const idle = await coach(p.id);
      await sessions(p.id, [
        { coachId: c.id, teamId: a, heldOn: "2026-11-20" },
        { coachId: c.id, teamId: b, heldOn: "2026-11-21" },
        { coachId: c.id, teamId: b, heldOn: "2026-11-02" },
      ]);
      const all = await listCoachActivity(t.db, p.id, activityParams("view=coaches&sort=sessions&dir=desc"), TODAY);
      expect(all.rows.map((r) => [r.id, r.sessions, r.teams])).toEqual([
        [c.id, 3, 2],
        [idle.id, 0, 0],
      ]);
      const wave1 = await listCoachActivity(t.db, p.id, activityParams(`view=coaches&wave=${w1}`), TODAY);
      expect(wave1.rows.find((r) => r.id === c.id)).toMatchObject({ sessions: 1, teams: 1, lastHeldOn: "2026-11-20" });
      const quiet = await listCoachActivity(t.db, p.id, activityParams("view=coaches&quiet=yes"), TODAY);
      expect(quiet.rows.map((r) => r.id)).toEqual([idle.id]);
    });

    it("the activity queries do not grow with the number of teams on the page", async () => {
      const p = await program();
      const u = await unit();
      const ts = await teams(u, 120);
      const w = await wave(p.id, 1, "2026-09-01", null);
      await plan(p.id, w, ts);
      const c = await coach(p.id);
      await sessions(
        p.id,
        ts.map((teamId, i) => ({ coachId: c.id, teamId, heldOn: `2026-11-${String(1 + (i % 20)).padStart(2, "0")}` })),
      );
      const count = async (search: string) => {
        const { db, counter } = counting(t.db);
        await listTeamActivity(db, p.id, activityParams(search), TODAY);
        await activitySummary(db, p.id, {}, TODAY);
        return counter.queries;
      };
      expect(await count(`unit=${u}&size=200`)).toBe(await count(`unit=${u}&size=25&q=0001`));
    });
  });
});
