import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OnboardingStatus } from "../../db/schema";
import { coachForUser, loadViewer } from "~/models/coaching/viewer.server";
import { deleteSession, isAssignedOn, logSession, updateSession } from "~/models/coaching/sessions.server";
import {
  getSupportSession,
  listSupportSessions,
  recentSessions,
  SESSION_COUNT_CAP,
  SESSION_LIST_SPEC,
  sessionCsvChunks,
} from "~/models/coaching/session-history.server";
import { listMyTeams, nextSteps, type TeamSessionFacts } from "~/models/coaching/my-teams.server";
import { listSessionTeamOptions } from "~/models/coaching/session-options.server";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import {
  FUTURE_SESSION_MESSAGE,
  NOT_A_COACH_MESSAGE,
  NOT_ASSIGNED_MESSAGE,
  sessionSchema,
  UNKNOWN_COACH_MESSAGE,
  UNKNOWN_TEAM_MESSAGE,
  type SessionInput,
} from "~/validation/sessions";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { FieldError, ForbiddenError } from "~/models/errors";
import * as dates from "~/utils/dates";

// Support sessions against a real database: who is a coach where, logging within assignment
// dates, ownership of edits and deletes, the history page (own vs all, filters, bounded queries),
// the CSV chunks, and the "my teams" home with its next-step rules.

const TODAY = dates.today();
const unique = () => randomBytes(4).toString("hex");

// ----- builders (direct inserts: the coaches model belongs to the PLO side) -----

async function makeUnit(db: DB, name = `Unit ${unique()}`) {
  const id = crypto.randomUUID();
  await db.insertInto("org_units").values({ id, name }).execute();
  return id;
}

async function makeTeam(db: DB, unitId: string, name = `Team ${unique()}`) {
  const id = crypto.randomUUID();
  await db.insertInto("teams").values({ id, name, unit_id: unitId }).execute();
  return { id, name };
}

async function makePerson(db: DB, userId: string | null, name = `Person ${unique()}`) {
  const id = crypto.randomUUID();
  await db
    .insertInto("people")
    .values({ id, name, email: `p-${unique()}@example.com`, user_id: userId })
    .execute();
  return id;
}

async function makeCoach(db: DB, programId: string, personId: string) {
  const id = crypto.randomUUID();
  await db.insertInto("coaches").values({ id, program_id: programId, person_id: personId, capacity: 5 }).execute();
  return id;
}

async function assign(db: DB, programId: string, coachId: string, teamId: string, startsOn: string, endsOn: string | null = null) {
  await db
    .insertInto("coach_assignments")
    .values({ id: crypto.randomUUID(), program_id: programId, coach_id: coachId, team_id: teamId, starts_on: startsOn, ends_on: endsOn })
    .execute();
}

async function setStatus(db: DB, programId: string, teamId: string, status: OnboardingStatus) {
  await db
    .insertInto("program_teams")
    .values({ program_id: programId, team_id: teamId, status })
    .onConflict((oc) => oc.columns(["program_id", "team_id"]).doUpdateSet({ status }))
    .execute();
}

/** A user with a person record and a coach row in the program. */
async function makeCoachUser(db: DB, programId: string, name?: string) {
  const user = await createTestUser(db, { role: "coach", name: name ?? `Coach ${unique()}` });
  const personId = await makePerson(db, user.id, user.name);
  const coachId = await makeCoach(db, programId, personId);
  return { user, coachId, viewer: await loadViewer(db, user, programId) };
}

const session = (teamId: string, overrides: Partial<SessionInput> = {}): SessionInput => ({
  teamId,
  heldOn: TODAY,
  type: "drafting",
  durationMinutes: 60,
  attendees: 6,
  notes: "Drafted two objectives.",
  maturity: 2,
  followUps: "Send the template.",
  coachId: null,
  ...overrides,
});

async function fieldError(promise: Promise<unknown>): Promise<FieldError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldError);
  return error as FieldError;
}

async function forbidden(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ForbiddenError);
}

describe("support sessions", () => {
  const t = useTestDatabase();

  async function world() {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, plo);
    const unit = await makeUnit(t.db);
    const falcons = await makeTeam(t.db, unit, `Falcons ${unique()}`);
    const herons = await makeTeam(t.db, unit, `Herons ${unique()}`);
    const amara = await makeCoachUser(t.db, program.id, "Amara Okafor");
    const bo = await makeCoachUser(t.db, program.id, "Bo Lindqvist");
    await assign(t.db, program.id, amara.coachId, falcons.id, dates.addDays(TODAY, -60));
    await assign(t.db, program.id, bo.coachId, herons.id, dates.addDays(TODAY, -60));
    const ploViewer = await loadViewer(t.db, plo, program.id);
    return { plo, ploViewer, program, unit, falcons, herons, amara, bo };
  }

  const audit = async (programId: string) =>
    (
      await t.db
        .selectFrom("audit_events")
        .select(["action", "summary", "details"])
        .where("program_id", "=", programId)
        .orderBy("id")
        .execute()
    ).filter((e) => e.action.startsWith("session."));

  describe("who is a coach", () => {
    it("finds the coach row through the person linked to the account, per program", async () => {
      const w = await world();
      const coach = await coachForUser(t.db, w.amara.user.id, w.program.id);
      expect(coach).toMatchObject({ id: w.amara.coachId, name: "Amara Okafor", active: true });
      const other = await createTestProgram(t.db, w.plo);
      expect(await coachForUser(t.db, w.amara.user.id, other.id)).toBeNull();
      expect(await coachForUser(t.db, w.plo.id, w.program.id)).toBeNull();
    });

    it("a coach account without a coach row in the program cannot log (the form says so)", async () => {
      const w = await world();
      const stranger = await createTestUser(t.db, { role: "coach" });
      const viewer = await loadViewer(t.db, stranger, w.program.id);
      expect(viewer.coach).toBeNull();
      const error = await fieldError(logSession(t.db, viewer, w.program.id, session(w.falcons.id)));
      expect([error.field, error.message]).toEqual(["_form", NOT_A_COACH_MESSAGE]);
      expect((await listSupportSessions(t.db, viewer, w.program.id, parseListParams(new URLSearchParams(), SESSION_LIST_SPEC))).total).toBe(
        0,
      );
    });
  });

  describe("logging", () => {
    it("a coach logs a session for their team; it is stored, audited without the notes, and theirs", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id, { notes: "Private notes" }));
      expect(logged).toMatchObject({ teamId: w.falcons.id, teamName: w.falcons.name, coachName: "Amara Okafor", heldOn: TODAY });
      const row = await t.db.selectFrom("support_sessions").selectAll().where("id", "=", logged.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        coach_id: w.amara.coachId,
        team_id: w.falcons.id,
        type: "drafting",
        duration_minutes: 60,
        attendees: 6,
        maturity: 2,
        created_by: w.amara.user.id,
      });
      const events = await audit(w.program.id);
      expect(events.map((e) => e.action)).toEqual(["session.logged"]);
      expect(events[0].summary).toContain(w.falcons.name);
      expect(JSON.stringify(events[0].details)).not.toContain("Private notes");
    });

    it("a coach cannot log a session for a team they do not coach (400 on the team, nothing saved)", async () => {
      const w = await world();
      const error = await fieldError(logSession(t.db, w.amara.viewer, w.program.id, session(w.herons.id)));
      expect([error.field, error.message]).toEqual(["teamId", NOT_ASSIGNED_MESSAGE]);
      expect(await audit(w.program.id)).toEqual([]);
      expect(await t.db.selectFrom("support_sessions").select("id").where("program_id", "=", w.program.id).execute()).toEqual([]);
    });

    it("the session date must fall within one of the coach's assignments to the team", async () => {
      const w = await world();
      const team = await makeTeam(t.db, w.unit);
      await assign(t.db, w.program.id, w.amara.coachId, team.id, "2026-01-01", "2026-03-31");
      await assign(t.db, w.program.id, w.amara.coachId, team.id, "2026-06-01", "2026-06-30");
      for (const day of ["2026-01-01", "2026-02-15", "2026-03-31", "2026-06-10"]) {
        expect(await isAssignedOn(t.db, w.program.id, w.amara.coachId, team.id, day), day).toBe(true);
        await logSession(t.db, w.amara.viewer, w.program.id, session(team.id, { heldOn: day }));
      }
      for (const day of ["2025-12-31", "2026-04-01", "2026-05-31", "2026-07-01"]) {
        const error = await fieldError(logSession(t.db, w.amara.viewer, w.program.id, session(team.id, { heldOn: day })));
        expect([day, error.field, error.message]).toEqual([day, "teamId", NOT_ASSIGNED_MESSAGE]);
      }
    });

    it("an assignment in another program does not count", async () => {
      const w = await world();
      const other = await createTestProgram(t.db, w.plo);
      const otherCoach = await makeCoach(t.db, other.id, (await coachForUser(t.db, w.amara.user.id, w.program.id))!.personId);
      await assign(t.db, other.id, otherCoach, w.herons.id, "2020-01-01");
      const error = await fieldError(logSession(t.db, w.amara.viewer, w.program.id, session(w.herons.id)));
      expect(error.message).toBe(NOT_ASSIGNED_MESSAGE);
    });

    it("an unknown team is a 400 on the team field, for coaches and the PLO", async () => {
      const w = await world();
      for (const viewer of [w.amara.viewer, w.ploViewer]) {
        const error = await fieldError(logSession(t.db, viewer, w.program.id, session("no-such-team", { coachId: w.amara.coachId })));
        expect([error.field, error.message]).toEqual(["teamId", UNKNOWN_TEAM_MESSAGE]);
      }
    });

    it("the PLO logs for any coach and team, picking the coach; an unknown coach is a 400", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.ploViewer, w.program.id, session(w.herons.id, { coachId: w.amara.coachId }));
      expect(logged.coachName).toBe("Amara Okafor");
      const missing = await fieldError(logSession(t.db, w.ploViewer, w.program.id, session(w.herons.id)));
      expect(missing.field).toBe("coachId");
      const unknown = await fieldError(logSession(t.db, w.ploViewer, w.program.id, session(w.herons.id, { coachId: crypto.randomUUID() })));
      expect([unknown.field, unknown.message]).toEqual(["coachId", UNKNOWN_COACH_MESSAGE]);
      const otherProgram = await createTestProgram(t.db, w.plo);
      const foreign = await makeCoachUser(t.db, otherProgram.id);
      const wrongProgram = await fieldError(
        logSession(t.db, w.ploViewer, w.program.id, session(w.herons.id, { coachId: foreign.coachId })),
      );
      expect(wrongProgram.field).toBe("coachId");
      expect((await audit(w.program.id)).map((e) => e.action)).toEqual(["session.logged"]);
      expect((await audit(w.program.id))[0].summary).toContain("for Amara Okafor");
    });

    it("a coach's chosen coach id is ignored: they always log as themselves", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id, { coachId: w.bo.coachId }));
      expect(logged.coachName).toBe("Amara Okafor");
    });
  });

  describe("the form's rules", () => {
    const form = (values: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries({
        teamId: "t",
        heldOn: TODAY,
        type: "check_in",
        durationMinutes: "45",
        attendees: "5",
        ...values,
      }))
        data.set(k, v);
      return Object.fromEntries(data.entries());
    };
    const errorOf = (values: Record<string, string>) => {
      const result = sessionSchema().safeParse(form(values));
      return result.success ? null : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
    };

    it("accepts a session up to one day ahead; later is in the future", () => {
      expect(errorOf({ heldOn: dates.addDays(TODAY, 1) })).toBeNull();
      expect(errorOf({ heldOn: dates.addDays(TODAY, 2) })).toEqual({ heldOn: FUTURE_SESSION_MESSAGE });
    });

    it("bounds duration (5–600), attendees (1–500) and maturity (1–5 or empty)", () => {
      expect(errorOf({ durationMinutes: "4" })?.durationMinutes).toMatch(/5 to 600/);
      expect(errorOf({ durationMinutes: "601" })?.durationMinutes).toMatch(/5 to 600/);
      expect(errorOf({ durationMinutes: "5" })).toBeNull();
      expect(errorOf({ durationMinutes: "600" })).toBeNull();
      expect(errorOf({ attendees: "0" })?.attendees).toMatch(/1 to 500/);
      expect(errorOf({ attendees: "501" })?.attendees).toMatch(/1 to 500/);
      expect(errorOf({ attendees: "2.5" })?.attendees).toMatch(/1 to 500/);
      expect(errorOf({ maturity: "6" })?.maturity).toMatch(/1 to 5, or empty/);
      expect(errorOf({ maturity: "0" })?.maturity).toMatch(/1 to 5, or empty/);
      expect(errorOf({ maturity: "" })).toBeNull();
      const ok = sessionSchema().parse(form({ maturity: "" }));
      expect(ok.maturity).toBeNull();
      expect(sessionSchema().parse(form({ maturity: "4" })).maturity).toBe(4);
    });

    it("knows the stored session types only (check_in, qa…)", () => {
      expect(errorOf({ type: "check-in" })?.type).toBeDefined();
      expect(errorOf({ type: "qa" })).toBeNull();
    });
  });

  describe("editing and deleting", () => {
    it("a coach edits their own session; the audit lists the changed fields", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id));
      await updateSession(
        t.db,
        w.amara.viewer,
        w.program.id,
        logged.id,
        session(w.falcons.id, { type: "check_in", durationMinutes: 30, notes: "New notes" }),
      );
      const row = await t.db.selectFrom("support_sessions").selectAll().where("id", "=", logged.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ type: "check_in", duration_minutes: 30, notes: "New notes" });
      const events = await audit(w.program.id);
      expect(events.map((e) => e.action)).toEqual(["session.logged", "session.updated"]);
      expect(Object.keys(events[1].details)).toEqual(expect.arrayContaining(["type", "durationMinutes", "notes"]));
      expect(JSON.stringify(events[1].details)).not.toContain("New notes");
    });

    it("a coach cannot read, edit or delete another coach's session, and nothing changes", async () => {
      const w = await world();
      const theirs = await logSession(t.db, w.bo.viewer, w.program.id, session(w.herons.id));
      await forbidden(getSupportSession(t.db, w.amara.viewer, w.program.id, theirs.id));
      await forbidden(updateSession(t.db, w.amara.viewer, w.program.id, theirs.id, session(w.herons.id, { notes: "hijacked" })));
      await forbidden(deleteSession(t.db, w.amara.viewer, w.program.id, theirs.id));
      const row = await t.db.selectFrom("support_sessions").selectAll().where("id", "=", theirs.id).executeTakeFirstOrThrow();
      expect(row.notes).toBe("Drafted two objectives.");
      expect((await audit(w.program.id)).map((e) => e.action)).toEqual(["session.logged"]);
    });

    it("moving one's session to a team or date outside one's assignments is refused", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id));
      const error = await fieldError(updateSession(t.db, w.amara.viewer, w.program.id, logged.id, session(w.herons.id)));
      expect(error.message).toBe(NOT_ASSIGNED_MESSAGE);
      const early = await fieldError(
        updateSession(t.db, w.amara.viewer, w.program.id, logged.id, session(w.falcons.id, { heldOn: dates.addDays(TODAY, -61) })),
      );
      expect(early.message).toBe(NOT_ASSIGNED_MESSAGE);
    });

    it("the PLO edits and deletes anyone's session; a session of another program is not found", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id));
      expect(
        await updateSession(t.db, w.ploViewer, w.program.id, logged.id, session(w.falcons.id, { coachId: w.bo.coachId })),
      ).toMatchObject({ coachName: "Bo Lindqvist" });
      const other = await createTestProgram(t.db, w.plo);
      expect(await deleteSession(t.db, w.ploViewer, other.id, logged.id)).toBeNull();
      expect(await deleteSession(t.db, w.ploViewer, w.program.id, logged.id)).toMatchObject({ teamName: w.falcons.name });
      expect(await t.db.selectFrom("support_sessions").select("id").where("id", "=", logged.id).executeTakeFirst()).toBeUndefined();
      expect((await audit(w.program.id)).map((e) => e.action)).toEqual(["session.logged", "session.updated", "session.deleted"]);
    });

    it("deleting a session keeps the questions raised from it (their session link is cleared)", async () => {
      const w = await world();
      const logged = await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id));
      const escalationId = crypto.randomUUID();
      await t.db
        .insertInto("escalations")
        .values({
          id: escalationId,
          program_id: w.program.id,
          coach_id: w.amara.coachId,
          team_id: w.falcons.id,
          session_id: logged.id,
          category: "method",
          question: "How?",
        })
        .execute();
      await deleteSession(t.db, w.amara.viewer, w.program.id, logged.id);
      expect(
        await t.db.selectFrom("escalations").select(["session_id", "team_id"]).where("id", "=", escalationId).executeTakeFirst(),
      ).toEqual({ session_id: null, team_id: w.falcons.id });
    });
  });

  describe("history", () => {
    async function historyWorld() {
      const w = await world();
      const days = [-1, -3, -10, -20, -40];
      for (const [i, d] of days.entries()) {
        await logSession(
          t.db,
          w.amara.viewer,
          w.program.id,
          session(w.falcons.id, {
            heldOn: dates.addDays(TODAY, d),
            type: i % 2 ? "check_in" : "drafting",
            notes: i === 2 ? "Talked about the north star" : "",
          }),
        );
        await logSession(t.db, w.bo.viewer, w.program.id, session(w.herons.id, { heldOn: dates.addDays(TODAY, d), type: "review" }));
      }
      return w;
    }
    const params = (query: string) => parseListParams(new URLSearchParams(query), SESSION_LIST_SPEC);

    it("a coach sees only their own sessions, newest first; the PLO sees everyone's and filters by coach", async () => {
      const w = await historyWorld();
      const own = await listSupportSessions(t.db, w.amara.viewer, w.program.id, params(""));
      expect(own.total).toBe(5);
      expect(own.rows.every((r) => r.coachId === w.amara.coachId)).toBe(true);
      expect(own.rows.map((r) => r.heldOn)).toEqual([-1, -3, -10, -20, -40].map((d) => dates.addDays(TODAY, d)));
      // A coach's own coach filter cannot show another coach's rows.
      expect(
        (await listSupportSessions(t.db, w.amara.viewer, w.program.id, params(`coach=${w.bo.coachId}`))).rows.every(
          (r) => r.coachId === w.amara.coachId,
        ),
      ).toBe(true);
      expect((await listSupportSessions(t.db, w.ploViewer, w.program.id, params(""))).total).toBe(10);
      expect(
        (await listSupportSessions(t.db, w.ploViewer, w.program.id, params(`coach=${w.bo.coachId}`))).rows.map((r) => r.coachName),
      ).toEqual(Array(5).fill("Bo Lindqvist"));
    });

    it("filters by team, type and date range, searches notes and team names, sorts and pages", async () => {
      const w = await historyWorld();
      expect((await listSupportSessions(t.db, w.ploViewer, w.program.id, params(`team=${w.herons.id}`))).total).toBe(5);
      expect((await listSupportSessions(t.db, w.amara.viewer, w.program.id, params("type=check_in"))).total).toBe(2);
      const range = await listSupportSessions(
        t.db,
        w.amara.viewer,
        w.program.id,
        params(`from=${dates.addDays(TODAY, -20)}&to=${dates.addDays(TODAY, -3)}`),
      );
      expect(range.rows.map((r) => r.heldOn)).toEqual([-3, -10, -20].map((d) => dates.addDays(TODAY, d)));
      expect((await listSupportSessions(t.db, w.amara.viewer, w.program.id, params("q=NORTH star"))).total).toBe(1);
      expect((await listSupportSessions(t.db, w.ploViewer, w.program.id, params(`q=${encodeURIComponent(w.herons.name)}`))).total).toBe(5);
      const oldest = await listSupportSessions(t.db, w.amara.viewer, w.program.id, params("sort=date&dir=asc&size=25"));
      expect(oldest.rows[0].heldOn).toBe(dates.addDays(TODAY, -40));
      const byCoach = await listSupportSessions(t.db, w.ploViewer, w.program.id, params("sort=coach&dir=desc"));
      expect(byCoach.rows[0].coachName).toBe("Bo Lindqvist");
      const page2 = await listSupportSessions(t.db, w.ploViewer, w.program.id, { ...params(""), size: 4, page: 3 });
      expect([page2.total, page2.rows.length]).toEqual([10, 2]);
    });

    it("counts up to 10,000 matching sessions and says when there are more", async () => {
      const w = await world();
      await bulkSessions(t.db, w.program.id, w.amara.coachId, w.falcons.id, SESSION_COUNT_CAP + 5);
      const page = await listSupportSessions(t.db, w.ploViewer, w.program.id, params("size=25"));
      expect([page.total, page.capped, page.rows.length]).toEqual([SESSION_COUNT_CAP, true, 25]);
      const narrowed = await listSupportSessions(t.db, w.ploViewer, w.program.id, params(`from=${dates.addDays(TODAY, -9)}`));
      expect(narrowed.capped).toBe(false);
      let exported = 0;
      for await (const chunk of sessionCsvChunks(t.db, w.ploViewer, w.program.id, params(""))) exported += chunk.length;
      expect(exported).toBe(SESSION_COUNT_CAP + 5);
    });

    it("the CSV chunks hold every matching row with full notes, newest first", async () => {
      const w = await historyWorld();
      const rows = [];
      for await (const chunk of sessionCsvChunks(t.db, w.amara.viewer, w.program.id, params("type=drafting"))) rows.push(...chunk);
      expect(rows.map((r) => r.Date)).toEqual([-1, -10, -40].map((d) => dates.addDays(TODAY, d)));
      expect(rows[1]).toMatchObject({
        Team: w.falcons.name,
        Coach: "Amara Okafor",
        Type: "Drafting",
        Notes: "Talked about the north star",
      });
      const none = [];
      const stranger = await loadViewer(t.db, await createTestUser(t.db, { role: "coach" }), w.program.id);
      for await (const chunk of sessionCsvChunks(t.db, stranger, w.program.id, params(""))) none.push(...chunk);
      expect(none).toEqual([]);
    });

    it("the history page and the home cost the same number of queries with 10 or 400 sessions", async () => {
      const w = await world();
      const measure = async () => {
        let n = 0;
        const counted = t.db.withPlugin({
          transformQuery: (args) => {
            n += 1;
            return args.node;
          },
          transformResult: async (args) => args.result,
        });
        await listSupportSessions(counted, w.amara.viewer, w.program.id, params(""));
        await listSupportSessions(counted, w.ploViewer, w.program.id, params("q=x&type=review"));
        await listMyTeams(counted, w.amara.coachId, w.program.id, TODAY);
        await recentSessions(counted, w.amara.coachId, w.program.id);
        return n;
      };
      await bulkSessions(t.db, w.program.id, w.amara.coachId, w.falcons.id, 10);
      const small = await measure();
      expect(small).toBeGreaterThanOrEqual(6);
      await bulkSessions(t.db, w.program.id, w.amara.coachId, w.falcons.id, 390);
      expect(await measure()).toBe(small);
    });
  });

  describe("my teams", () => {
    const facts = (
      status: OnboardingStatus,
      lastSessionOn: string | null,
      last: Partial<TeamSessionFacts["lastByType"]> = {},
    ): TeamSessionFacts => ({
      status,
      lastSessionOn,
      lastByType: { drafting: null, alignment: null, check_in: null, review: null, retrospective: null, training: null, ...last },
    });
    const codes = (f: TeamSessionFacts) => nextSteps(f, "2027-03-01").map((s) => s.code);
    const recent = "2027-02-20";

    it("derives the next step from the onboarding status and the sessions' types", () => {
      expect(codes(facts("not_started", null))).toEqual(["kickoff"]);
      expect(codes(facts("not_started", recent))).toEqual(["waiting"]);
      expect(codes(facts("onboarding", null))).toEqual(["no_session"]);
      expect(codes(facts("onboarding", recent, { training: recent }))).toEqual(["no_drafting"]);
      expect(nextSteps(facts("onboarding", recent, { training: recent }), "2027-03-01")[0].text).toBe("No drafting session logged yet.");
      expect(codes(facts("onboarding", recent, { drafting: recent }))).toEqual(["no_training"]);
      expect(codes(facts("onboarding", recent, { drafting: recent, training: recent }))).toEqual(["on_track"]);
      expect(codes(facts("first_cycle", recent, { drafting: recent, alignment: recent }))).toEqual(["no_check_in"]);
      expect(nextSteps(facts("first_cycle", recent, { drafting: recent, alignment: recent }), "2027-03-01")[0].text).toBe(
        "First cycle: check-in cadence not yet seen.",
      );
      expect(codes(facts("first_cycle", recent, { drafting: recent, alignment: recent, check_in: "2027-01-15" }))).toEqual([
        "check_in_gap",
      ]);
      expect(codes(facts("first_cycle", recent, { drafting: recent, alignment: recent, check_in: recent }))).toEqual(["on_track"]);
      expect(codes(facts("running", recent, { retrospective: "2026-12-01" }))).toEqual(["on_track"]);
      expect(codes(facts("running", recent, { review: "2026-10-01" }))).toEqual(["no_review"]);
    });

    it("says so when a team has had no session in 4 weeks (12 for a self-sufficient team)", () => {
      expect(codes(facts("running", "2027-01-31", { review: "2027-01-31" }))).toEqual(["stale"]);
      expect(nextSteps(facts("running", "2027-01-31", { review: "2027-01-31" }), "2027-03-01")[0].text).toBe("No session in 4 weeks.");
      expect(codes(facts("running", "2027-02-01", { review: "2027-02-01" }))).toEqual(["on_track"]);
      expect(codes(facts("self_sufficient", "2027-01-01"))).toEqual(["on_track"]);
      expect(codes(facts("self_sufficient", "2026-12-01"))).toEqual(["stale"]);
    });

    it("lists the teams assigned today with wave, status, last session (any coach) and next step", async () => {
      const w = await world();
      const waveId = crypto.randomUUID();
      await t.db.insertInto("waves").values({ id: waveId, program_id: w.program.id, name: "Wave 1", position: 1 }).execute();
      await setStatus(t.db, w.program.id, w.falcons.id, "first_cycle");
      await t.db.updateTable("program_teams").set({ wave_id: waveId }).where("team_id", "=", w.falcons.id).execute();
      const past = await makeTeam(t.db, w.unit, "Past team");
      await assign(t.db, w.program.id, w.amara.coachId, past.id, "2020-01-01", "2020-12-31");
      const future = await makeTeam(t.db, w.unit, "Future team");
      await assign(t.db, w.program.id, w.amara.coachId, future.id, dates.addDays(TODAY, 10));
      // A second coach on the same team: their sessions count for the team too.
      await assign(t.db, w.program.id, w.bo.coachId, w.falcons.id, dates.addDays(TODAY, -60));
      await logSession(t.db, w.amara.viewer, w.program.id, session(w.falcons.id, { heldOn: dates.addDays(TODAY, -30), type: "drafting" }));
      await logSession(t.db, w.bo.viewer, w.program.id, session(w.falcons.id, { heldOn: dates.addDays(TODAY, -2), type: "alignment" }));

      const teams = await listMyTeams(t.db, w.amara.coachId, w.program.id, TODAY);
      expect(teams.map((team) => team.teamName)).toEqual([w.falcons.name]);
      expect(teams[0]).toMatchObject({
        waveName: "Wave 1",
        status: "first_cycle",
        lastSessionOn: dates.addDays(TODAY, -2),
        sessionCount: 2,
      });
      expect(teams[0].steps.map((s) => s.code)).toEqual(["no_check_in"]);

      const options = await listSessionTeamOptions(t.db, w.amara.viewer, w.program.id, TODAY);
      expect(options.map((o) => [o.name, o.current])).toEqual([
        [w.falcons.name, true],
        ["Future team", false],
        ["Past team", false],
      ]);
      const none = await loadViewer(t.db, await createTestUser(t.db, { role: "coach" }), w.program.id);
      expect(await listSessionTeamOptions(t.db, none, w.program.id, TODAY)).toEqual([]);
      // The PLO gets the teams of the coach they picked, plus the team asked for in the URL.
      const ploOptions = await listSessionTeamOptions(t.db, w.ploViewer, w.program.id, TODAY, {
        coachId: w.amara.coachId,
        include: w.herons.id,
      });
      expect(ploOptions.map((o) => o.name)).toEqual([w.herons.name, w.falcons.name, "Future team", "Past team"]);
      expect(await listSessionTeamOptions(t.db, w.ploViewer, w.program.id, TODAY)).toEqual([]);
    });

    it("a team without program_teams row is not started and has no wave", async () => {
      const w = await world();
      const [team] = await listMyTeams(t.db, w.amara.coachId, w.program.id, TODAY);
      expect(team).toMatchObject({ status: "not_started", waveName: null, lastSessionOn: null, sessionCount: 0 });
      expect(team.steps[0].code).toBe("kickoff");
    });
  });
});

/** Inserts `count` sessions directly (for size-independence checks). */
async function bulkSessions(db: DB, programId: string, coachId: string, teamId: string, count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    program_id: programId,
    coach_id: coachId,
    team_id: teamId,
    held_on: dates.addDays(dates.today(), -(i % 300)),
    type: "check_in" as const,
    duration_minutes: 30,
    attendees: 4,
  }));
  for (let i = 0; i < rows.length; i += 2_000)
    await db
      .insertInto("support_sessions")
      .values(rows.slice(i, i + 2_000))
      .execute();
}
