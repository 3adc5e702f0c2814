import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  answerEscalation,
  closeEscalation,
  coachQuestionCounts,
  ESCALATION_LIST_SPEC,
  faqBody,
  getEscalation,
  listEscalations,
  markAnswerSeen,
  promoteToFaq,
  raiseEscalation,
  takeEscalation,
  unseenAnswers,
} from "~/models/coaching/escalations.server";
import {
  createLearning,
  deleteLearning,
  getLearning,
  LEARNING_LIST_SPEC,
  listLearnings,
  topTags,
  updateLearning,
} from "~/models/coaching/learnings.server";
import { loadViewer } from "~/models/coaching/viewer.server";
import { logSession } from "~/models/coaching/sessions.server";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import {
  ALREADY_PROMOTED_MESSAGE,
  learningSchema,
  NO_ANSWER_MESSAGE,
  NOT_A_COACH_MESSAGE,
  normalizeTags,
  UNKNOWN_SESSION_MESSAGE,
  UNKNOWN_TEAM_MESSAGE,
  type EscalationInput,
  type LearningInput,
} from "~/validation/sessions";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { FieldError, ForbiddenError } from "~/models/errors";
import { today } from "~/utils/dates";

// Escalations (raise → take → answer → seen → close → FAQ) and the learnings library against a
// real database: who may do what, the queue's filters, the coach's notifications, the library's
// search, tags and ownership, and the audit trail of every change.

const unique = () => randomBytes(4).toString("hex");

async function makeTeam(db: DB, name = `Team ${unique()}`) {
  const unitId = crypto.randomUUID();
  await db
    .insertInto("org_units")
    .values({ id: unitId, name: `Unit ${unique()}` })
    .execute();
  const id = crypto.randomUUID();
  await db.insertInto("teams").values({ id, name, unit_id: unitId }).execute();
  return { id, name };
}

async function makeCoachUser(db: DB, programId: string, name: string) {
  const user = await createTestUser(db, { role: "coach", name });
  const personId = crypto.randomUUID();
  await db
    .insertInto("people")
    .values({ id: personId, name, email: `p-${unique()}@example.com`, user_id: user.id })
    .execute();
  const coachId = crypto.randomUUID();
  await db.insertInto("coaches").values({ id: coachId, program_id: programId, person_id: personId, capacity: 4 }).execute();
  return { user, coachId, viewer: await loadViewer(db, user, programId) };
}

const question = (overrides: Partial<EscalationInput> = {}): EscalationInput => ({
  category: "method",
  urgency: "normal",
  question: "How do we score a key result that moved late?",
  teamId: null,
  sessionId: null,
  ...overrides,
});

const learning = (overrides: Partial<LearningInput> = {}): LearningInput => ({
  title: "Draft with the whole team",
  body: "Everyone writes one objective on a sticky note first.",
  kind: "practice",
  tags: ["drafting", "workshops"],
  teamId: null,
  sessionId: null,
  programId: null,
  ...overrides,
});

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

describe("escalations and learnings", () => {
  const t = useTestDatabase();

  async function world() {
    const plo = await createTestUser(t.db, { role: "plo", name: "Pia PLO" });
    const program = await createTestProgram(t.db, plo);
    const team = await makeTeam(t.db, `Falcons ${unique()}`);
    const amara = await makeCoachUser(t.db, program.id, "Amara Okafor");
    const bo = await makeCoachUser(t.db, program.id, "Bo Lindqvist");
    await t.db
      .insertInto("coach_assignments")
      .values({
        id: crypto.randomUUID(),
        program_id: program.id,
        coach_id: amara.coachId,
        team_id: team.id,
        starts_on: "2020-01-01",
        ends_on: null,
      })
      .execute();
    return { plo, ploViewer: await loadViewer(t.db, plo, program.id), program, team, amara, bo };
  }

  const actions = async (programId: string) =>
    (await t.db.selectFrom("audit_events").select("action").where("program_id", "=", programId).orderBy("id").execute())
      .map((e) => e.action)
      .filter((a) => !a.startsWith("program."));

  describe("escalations", () => {
    it("a coach raises a question from their session (the team comes from the session)", async () => {
      const w = await world();
      const session = await logSession(t.db, w.amara.viewer, w.program.id, {
        teamId: w.team.id,
        heldOn: today(),
        type: "check_in",
        durationMinutes: 30,
        attendees: 4,
        notes: "",
        maturity: null,
        followUps: "",
        coachId: null,
      });
      const raised = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ sessionId: session.id, urgency: "high" }));
      expect(raised.teamName).toBe(w.team.name);
      const detail = await getEscalation(t.db, w.amara.viewer, w.program.id, raised.id);
      expect(detail).toMatchObject({
        teamId: w.team.id,
        sessionId: session.id,
        sessionType: "check_in",
        status: "open",
        urgency: "high",
        coachName: "Amara Okafor",
        ownerId: null,
        learningId: null,
      });
      // Another coach cannot raise from it, nor read the question.
      const error = await rejection(raiseEscalation(t.db, w.bo.viewer, w.program.id, question({ sessionId: session.id })));
      expect(error).toBeInstanceOf(FieldError);
      expect((error as FieldError).message).toBe(UNKNOWN_SESSION_MESSAGE);
      expect(await rejection(getEscalation(t.db, w.bo.viewer, w.program.id, raised.id))).toBeInstanceOf(ForbiddenError);
      expect(await actions(w.program.id)).toEqual(["session.logged", "escalation.raised"]);
    });

    it("an unknown team is refused; someone who is not a coach of the program cannot raise", async () => {
      const w = await world();
      const unknown = (await rejection(raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ teamId: "nope" })))) as FieldError;
      expect([unknown.field, unknown.message]).toEqual(["teamId", UNKNOWN_TEAM_MESSAGE]);
      const notCoach = (await rejection(raiseEscalation(t.db, w.ploViewer, w.program.id, question()))) as FieldError;
      expect([notCoach.field, notCoach.message]).toEqual(["_form", NOT_A_COACH_MESSAGE]);
      expect(await actions(w.program.id)).toEqual([]);
    });

    it("take, answer, seen, close: the PLO works the question and the coach is notified until they open it", async () => {
      const w = await world();
      const { id } = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ teamId: w.team.id }));
      for (const attempt of [
        takeEscalation(t.db, w.amara.viewer, w.program.id, id),
        answerEscalation(t.db, w.amara.viewer, w.program.id, id, "self-answered"),
        closeEscalation(t.db, w.amara.viewer, w.program.id, id),
        promoteToFaq(t.db, w.amara.viewer, w.program.id, id, { title: "x", tags: [] }),
      ]) {
        expect(await rejection(attempt)).toBeInstanceOf(ForbiddenError);
      }
      expect(await actions(w.program.id)).toEqual(["escalation.raised"]);

      await takeEscalation(t.db, w.ploViewer, w.program.id, id);
      expect((await getEscalation(t.db, w.ploViewer, w.program.id, id))?.ownerName).toBe("Pia PLO");
      expect(await unseenAnswers(t.db, w.amara.coachId, w.program.id)).toEqual([]);
      await answerEscalation(t.db, w.ploViewer, w.program.id, id, "Score it as it stood at the review.");
      const unseen = await unseenAnswers(t.db, w.amara.coachId, w.program.id);
      expect(unseen.map((u) => [u.id, u.answeredByName])).toEqual([[id, "Pia PLO"]]);
      expect(await coachQuestionCounts(t.db, w.amara.coachId, w.program.id)).toEqual({ open: 0, answered: 1, unseen: 1 });

      // Only the asking coach's opening counts.
      expect(await markAnswerSeen(t.db, w.ploViewer, w.program.id, id)).toBe(false);
      expect(await markAnswerSeen(t.db, w.bo.viewer, w.program.id, id)).toBe(false);
      expect(await markAnswerSeen(t.db, w.amara.viewer, w.program.id, id)).toBe(true);
      expect(await markAnswerSeen(t.db, w.amara.viewer, w.program.id, id)).toBe(false);
      expect(await unseenAnswers(t.db, w.amara.coachId, w.program.id)).toEqual([]);

      // A changed answer notifies again.
      await answerEscalation(t.db, w.ploViewer, w.program.id, id, "Score it at the review; discuss the late move in the retro.");
      expect(await unseenAnswers(t.db, w.amara.coachId, w.program.id)).toHaveLength(1);
      await closeEscalation(t.db, w.ploViewer, w.program.id, id);
      expect((await getEscalation(t.db, w.amara.viewer, w.program.id, id))?.status).toBe("closed");
      expect(await actions(w.program.id)).toEqual([
        "escalation.raised",
        "escalation.taken",
        "escalation.answered",
        "escalation.answer_seen",
        "escalation.answered",
        "escalation.closed",
      ]);
    });

    it("the queue: a coach sees their own, the PLO everyone's, filtered by status, urgency and owner; most urgent and oldest first", async () => {
      const w = await world();
      const a = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ urgency: "low", question: "Low one" }));
      const b = await raiseEscalation(t.db, w.bo.viewer, w.program.id, question({ urgency: "high", question: "High one" }));
      const c = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ urgency: "normal", question: "Normal one" }));
      await takeEscalation(t.db, w.ploViewer, w.program.id, c.id);
      await answerEscalation(t.db, w.ploViewer, w.program.id, a.id, "Answered");
      const list = async (viewer: typeof w.ploViewer, query = "") =>
        (await listEscalations(t.db, viewer, w.program.id, parseListParams(new URLSearchParams(query), ESCALATION_LIST_SPEC))).rows.map(
          (r) => r.questionExcerpt,
        );
      expect(await list(w.ploViewer)).toEqual(["High one", "Normal one", "Low one"]);
      expect(await list(w.amara.viewer)).toEqual(["Normal one", "Low one"]);
      expect(await list(w.bo.viewer)).toEqual(["High one"]);
      expect(await list(w.ploViewer, "status=answered")).toEqual(["Low one"]);
      expect(await list(w.ploViewer, "urgency=high")).toEqual(["High one"]);
      expect(await list(w.ploViewer, "owner=me")).toEqual(["Normal one", "Low one"]);
      expect(await list(w.ploViewer, "owner=none")).toEqual(["High one"]);
      await closeEscalation(t.db, w.ploViewer, w.program.id, b.id);
      expect(await list(w.ploViewer)).toEqual(["Normal one", "Low one"]);
      expect(await list(w.ploViewer, "status=closed")).toEqual(["High one"]);
      expect(await list(w.ploViewer, "status=all")).toHaveLength(3);
      expect(await list(w.ploViewer, "q=NORMAL")).toEqual(["Normal one"]);
      const page = await listEscalations(
        t.db,
        w.ploViewer,
        w.program.id,
        parseListParams(new URLSearchParams("status=all"), ESCALATION_LIST_SPEC),
      );
      expect(page.rows.every((r) => r.ageDays === 0)).toBe(true);
      const stranger = await loadViewer(t.db, await createTestUser(t.db, { role: "coach" }), w.program.id);
      expect(await list(stranger)).toEqual([]);
    });

    it("an answered question becomes an FAQ entry once, linked to the question", async () => {
      const w = await world();
      const { id } = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question({ teamId: w.team.id }));
      const noAnswer = (await rejection(
        promoteToFaq(t.db, w.ploViewer, w.program.id, id, { title: "Late key results", tags: ["scoring"] }),
      )) as FieldError;
      expect(noAnswer.message).toBe(NO_ANSWER_MESSAGE);
      await answerEscalation(t.db, w.ploViewer, w.program.id, id, "As it stood at the review.");
      const promoted = await promoteToFaq(t.db, w.ploViewer, w.program.id, id, {
        title: "Late key results",
        tags: ["scoring", "key results"],
      });
      const entry = await getLearning(t.db, w.amara.user, promoted!.learningId);
      expect(entry).toMatchObject({
        kind: "faq",
        title: "Late key results",
        escalationId: id,
        teamId: w.team.id,
        programId: w.program.id,
        tags: ["scoring", "key results"],
        canEdit: false,
      });
      expect(entry?.body).toBe(faqBody("How do we score a key result that moved late?", "As it stood at the review."));
      expect((await getEscalation(t.db, w.ploViewer, w.program.id, id))?.learningId).toBe(promoted!.learningId);
      const twice = (await rejection(promoteToFaq(t.db, w.ploViewer, w.program.id, id, { title: "Again", tags: [] }))) as FieldError;
      expect(twice.message).toBe(ALREADY_PROMOTED_MESSAGE);
      expect(await promoteToFaq(t.db, w.ploViewer, w.program.id, crypto.randomUUID(), { title: "x", tags: [] })).toBeNull();
    });
  });

  describe("learnings", () => {
    it("normalizes tags: lower case, trimmed, no duplicates, at most 10 of 40 characters", () => {
      expect(normalizeTags(" Drafting, key  Results ,drafting,, ")).toEqual(["drafting", "key results"]);
      const parse = (tags: string) => learningSchema.safeParse({ title: "t", body: "b", tags });
      expect(parse(Array.from({ length: 11 }, (_, i) => `t${i}`).join(",")).success).toBe(false);
      expect(parse("x".repeat(41)).success).toBe(false);
      expect(parse("a, b").success).toBe(true);
    });

    it("anyone who reads finds learnings by title, text or tags (ILIKE, % and _ taken literally), newest first", async () => {
      const w = await world();
      const tag = `t${unique()}`;
      const first = await createLearning(t.db, w.amara.user, learning({ title: `Sticky notes ${tag}`, tags: [tag, "drafting"] }));
      const second = await createLearning(
        t.db,
        w.bo.user,
        learning({ title: `Retro first ${tag}`, body: "Open with 100% of the scores", tags: [tag, "retrospective"], kind: "lesson" }),
      );
      const search = async (query: string) =>
        (await listLearnings(t.db, w.amara.user, parseListParams(new URLSearchParams(query), LEARNING_LIST_SPEC))).rows
          .filter((r) => r.title.endsWith(tag))
          .map((r) => r.id);
      expect(await search(`q=${tag}`)).toEqual([second.id, first.id]);
      expect(await search(`q=STICKY`)).toEqual([first.id]);
      expect(await search(`q=100%25 of`)).toEqual([second.id]);
      expect(await search(`q=${tag}&tag=retrospective`)).toEqual([second.id]);
      expect(await search(`q=${tag}&tag=retro`)).toEqual([]);
      expect(await search(`q=${tag}&kind=lesson`)).toEqual([second.id]);
      expect(await search(`q=${tag}&mine=1`)).toEqual([first.id]);
      expect((await topTags(t.db)).find((x) => x.tag === tag)?.count).toBe(2);
    });

    it("a learning may cite the author's own session (its team and program come along), never someone else's", async () => {
      const w = await world();
      const session = await logSession(t.db, w.amara.viewer, w.program.id, {
        teamId: w.team.id,
        heldOn: today(),
        type: "retrospective",
        durationMinutes: 60,
        attendees: 8,
        notes: "",
        maturity: 3,
        followUps: "",
        coachId: null,
      });
      const own = await createLearning(t.db, w.amara.user, learning({ sessionId: session.id }));
      expect(await getLearning(t.db, w.amara.user, own.id)).toMatchObject({
        sessionId: session.id,
        teamId: w.team.id,
        programId: w.program.id,
        canEdit: true,
      });
      const error = (await rejection(createLearning(t.db, w.bo.user, learning({ sessionId: session.id })))) as FieldError;
      expect([error.field, error.message]).toEqual(["sessionId", UNKNOWN_SESSION_MESSAGE]);
      const badTeam = (await rejection(createLearning(t.db, w.bo.user, learning({ teamId: "nope" })))) as FieldError;
      expect(badTeam.field).toBe("teamId");
    });

    it("authors edit and delete their own; the PLO any; others are refused and nothing changes", async () => {
      const w = await world();
      const { id } = await createLearning(t.db, w.amara.user, learning());
      expect(await rejection(updateLearning(t.db, w.bo.user, id, learning({ title: "Hijacked" })))).toBeInstanceOf(ForbiddenError);
      expect(await rejection(deleteLearning(t.db, w.bo.user, id))).toBeInstanceOf(ForbiddenError);
      expect((await getLearning(t.db, w.bo.user, id))?.title).toBe("Draft with the whole team");
      await updateLearning(t.db, w.amara.user, id, learning({ title: "Draft together", tags: ["drafting"] }));
      await updateLearning(t.db, w.plo, id, learning({ title: "Draft together (PLO)", tags: ["drafting"] }));
      expect(await getLearning(t.db, w.bo.user, id)).toMatchObject({ title: "Draft together (PLO)", tags: ["drafting"], canEdit: false });
      expect(await deleteLearning(t.db, w.plo, id)).toEqual({ title: "Draft together (PLO)" });
      expect(await getLearning(t.db, w.plo, id)).toBeNull();
      const events = await t.db
        .selectFrom("audit_events")
        .select(["action", "actor_id"])
        .where("entity_id", "=", id)
        .orderBy("id")
        .execute();
      expect(events.map((e) => e.action)).toEqual(["learning.created", "learning.updated", "learning.updated", "learning.deleted"]);
    });

    it("an FAQ entry stays an FAQ entry when edited", async () => {
      const w = await world();
      const { id } = await raiseEscalation(t.db, w.amara.viewer, w.program.id, question());
      await answerEscalation(t.db, w.ploViewer, w.program.id, id, "Answer.");
      const promoted = await promoteToFaq(t.db, w.ploViewer, w.program.id, id, { title: "FAQ", tags: [] });
      await updateLearning(t.db, w.plo, promoted!.learningId, learning({ title: "FAQ, edited", kind: "lesson" }));
      expect(await getLearning(t.db, w.plo, promoted!.learningId)).toMatchObject({ kind: "faq", title: "FAQ, edited" });
    });
  });
});
