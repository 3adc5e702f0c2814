import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  createProgram,
  decodeEntities,
  latestAuditEvents,
  setUpInstallation,
  signIn,
  type Actor,
  queryCount,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import {
  assignTeam,
  createCoachAccount,
  dayFromToday,
  importTeams,
  logSession,
  raiseEscalation,
  sessionForm,
  shareLearning,
  type CoachAccount,
} from "./authz-rows/coaching-coach";

// The coach's side of the coach community over HTTP: logging a session without JavaScript (plain
// post → redirect and toast) and through the fetcher's single-fetch post (stays, answers data),
// editing and deleting one's own sessions and never another's, the history and its CSV, the
// "my teams" home and its notifications, escalations from question to FAQ entry, the learnings
// library, every refusal (403, or 400 with the field's message and nothing saved) and query
// counts that do not grow with the data.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let admin: HttpClient;
let programId: string;
let falcons: { id: string; name: string };
let herons: { id: string; name: string };
let owls: { id: string; name: string };
let amara: CoachAccount;
let bo: CoachAccount;
let amaraClient: HttpClient;
let boClient: HttpClient;

const path = (rest: string) => `/programs/${programId}/${rest}`;
/** The visible text of a page (no scripts, no tags). */
const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );
/** The visible text of the page's first table body. */
const tbody = (html: string) => text(/<tbody>[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? "");

async function html(client: HttpClient, target: string, status = 200): Promise<string> {
  const response = await client.get(target);
  expect(response.status, `GET ${target}`).toBe(status);
  return response.text();
}

/** What a failed or refused post could change: every session as the PLO's CSV shows it, and the audit log. */
async function snapshot(): Promise<string> {
  const [csv, audit] = await Promise.all([(await admin.get(path("sessions.csv"))).text(), latestAuditEvents(admin)]);
  return JSON.stringify({ csv, audit });
}

async function expect400(client: HttpClient, target: string, form: Record<string, string>, field: string, message: string) {
  const before = await snapshot();
  const response = await client.post(target, form);
  const body = decodeEntities(await response.text());
  expect(response.status, `${target} ${JSON.stringify(form)}`).toBe(400);
  expect(body, `the message “${message}”`).toContain(message);
  expect(body).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="${field}"`));
  expect(await snapshot(), "a refused form changed something").toBe(before);
}

async function expect403(client: HttpClient, method: "GET" | "POST", target: string, form: Record<string, string> = {}) {
  const before = method === "POST" ? await snapshot() : "";
  const response = method === "GET" ? await client.get(target) : await client.post(target, form);
  expect(response.status, `${method} ${target}`).toBe(403);
  await response.arrayBuffer();
  if (method === "POST") expect(await snapshot(), "a refused post changed something").toBe(before);
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, { name: "Coaching over HTTP", status: "active" });
  [falcons, herons, owls] = await importTeams(admin, programId, "Coach Co", ["Falcons", "Herons", "Owls"]);
  amara = await createCoachAccount(admin, programId, { name: "Amara Okafor" });
  bo = await createCoachAccount(admin, programId, { name: "Bo Lindqvist" });
  await assignTeam(admin, programId, amara.coachId, falcons.id, dayFromToday(-90));
  await assignTeam(admin, programId, bo.coachId, herons.id, dayFromToday(-90));
  // Owls: Amara coached them for a while, long ago.
  await assignTeam(admin, programId, amara.coachId, owls.id, dayFromToday(-200), dayFromToday(-150));
  amaraClient = await signIn(server.url, amara.user);
  boClient = await signIn(server.url, bo.user);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("logging a session", () => {
  it("works without JavaScript: a plain post redirects back to the form with a toast and an undo/edit confirmation", async () => {
    const response = await amaraClient.post(
      path("sessions/new"),
      sessionForm({ teamId: falcons.id, type: "drafting", notes: "Drafted the first objective." }),
    );
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/programs/${programId}/sessions/new\\?team=${falcons.id}&logged=`));
    const page = text(await html(amaraClient, location));
    expect(page).toContain(`Session logged for ${falcons.name}.`);
    expect(page).toContain(`Session logged for ${falcons.name} — undo / edit`);
    // The team stays chosen for the next session.
    const form = await html(amaraClient, location);
    expect(form).toMatch(new RegExp(`<option value="${falcons.id}" selected="">`));
  });

  it("works with the fetcher: the single-fetch post answers data (no redirect) naming the team", async () => {
    const before = (await amaraClient.get(path("sessions.csv")).then((r) => r.text())).split("\r\n").length;
    const response = await amaraClient.post(path("sessions/new.data"), sessionForm({ teamId: falcons.id, type: "alignment", _stay: "1" }));
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain(falcons.name);
    expect(body).not.toContain('"redirect"');
    const after = (await amaraClient.get(path("sessions.csv")).then((r) => r.text())).split("\r\n").length;
    expect(after).toBe(before + 1);
  });

  it("a bad form is a 400 with the message next to the field, and nothing is saved (fetcher too)", async () => {
    const target = path("sessions/new");
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, heldOn: dayFromToday(2) }),
      "heldOn",
      "The session date can't be in the future.",
    );
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, durationMinutes: "4" }),
      "durationMinutes",
      "Duration must be a whole number of minutes from 5 to 600.",
    );
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, durationMinutes: "601" }),
      "durationMinutes",
      "Duration must be a whole number of minutes from 5 to 600.",
    );
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, attendees: "0" }),
      "attendees",
      "Attendees must be a whole number from 1 to 500.",
    );
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, attendees: "501" }),
      "attendees",
      "Attendees must be a whole number from 1 to 500.",
    );
    await expect400(
      amaraClient,
      target,
      sessionForm({ teamId: falcons.id, maturity: "6" }),
      "maturity",
      "Maturity must be a whole number from 1 to 5, or empty.",
    );
    await expect400(amaraClient, target, sessionForm({ teamId: "no-such-team" }), "teamId", "Choose one of the listed teams.");
    const before = await snapshot();
    const fetched = await amaraClient.post(path("sessions/new.data"), sessionForm({ teamId: falcons.id, attendees: "0", _stay: "1" }));
    expect(fetched.status).toBe(400);
    expect(await fetched.text()).toContain("Attendees must be a whole number from 1 to 500.");
    expect(await snapshot()).toBe(before);
  });

  it("a coach logging for a team they are not assigned to gets a 400 on the team field", async () => {
    const message = "You are not assigned to this team on that date.";
    await expect400(amaraClient, path("sessions/new"), sessionForm({ teamId: herons.id }), "teamId", message);
    // Owls were theirs long ago: a session then is fine, one today is not.
    await expect400(amaraClient, path("sessions/new"), sessionForm({ teamId: owls.id }), "teamId", message);
    await logSession(amaraClient, programId, { teamId: owls.id, heldOn: dayFromToday(-160) });
  });

  it("the PLO logs for any coach, picking the coach (the form then lists that coach's teams)", async () => {
    const form = await html(clients.plo, path(`sessions/new?coach=${bo.coachId}`));
    expect(form).toContain(`<option value="${herons.id}"`);
    expect(form).not.toContain(`<option value="${falcons.id}"`);
    expect(await html(clients.plo, path(`sessions/new?coach=${bo.coachId}&team=${owls.id}`))).toContain(
      `<option value="${owls.id}" selected=""`,
    );
    const id = await logSession(clients.plo, programId, { teamId: herons.id, coachId: bo.coachId, notes: "Logged by the PLO." });
    const page = text(await html(boClient, path(`sessions/${id}`)));
    expect(page).toContain("Bo Lindqvist");
  });

  it("undo right after logging removes the session (plain post and fetcher)", async () => {
    const id = await logSession(amaraClient, programId, { teamId: falcons.id, notes: "To be undone" });
    const undone = await amaraClient.post(path(`sessions/${id}`), { intent: "undo" });
    expect(undone.status).toBe(302);
    expect(undone.headers.get("location")).toBe(`/programs/${programId}/sessions/new?team=${falcons.id}`);
    await html(amaraClient, path(`sessions/${id}`), 404);
    const again = await logSession(amaraClient, programId, { teamId: falcons.id });
    const fetched = await amaraClient.post(path(`sessions/${again}.data`), { intent: "undo", _stay: "1" });
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toContain(falcons.name);
    await html(amaraClient, path(`sessions/${again}`), 404);
  });
});

describe("one's own sessions", () => {
  it("a coach edits their own session; the change shows and is audited", async () => {
    const id = await logSession(amaraClient, programId, { teamId: falcons.id, notes: "First notes" });
    const saved = await amaraClient.post(path(`sessions/${id}`), {
      intent: "save",
      ...sessionForm({ teamId: falcons.id, type: "review", durationMinutes: "90", notes: "Better notes" }),
    });
    expect(saved.status).toBe(302);
    const page = await html(amaraClient, path(`sessions/${id}`));
    expect(text(page)).toContain("Review with");
    expect(page).toContain("Better notes");
    expect(text(await latestAuditEvents(admin))).toContain("Updated the session with");
  });

  it("a coach cannot open, edit or delete another coach's session (403, nothing changes)", async () => {
    const id = await logSession(boClient, programId, { teamId: herons.id, notes: "Bo's notes" });
    await expect403(amaraClient, "GET", path(`sessions/${id}`));
    await expect403(amaraClient, "POST", path(`sessions/${id}`), {
      intent: "save",
      ...sessionForm({ teamId: herons.id, notes: "hijacked" }),
    });
    await expect403(amaraClient, "POST", path(`sessions/${id}`), { intent: "delete", confirm: "on" });
    await expect403(amaraClient, "POST", path(`sessions/${id}`), { intent: "undo" });
    expect(await html(boClient, path(`sessions/${id}`))).toContain("Bo&#x27;s notes");
  });

  it("deleting asks for confirmation, then removes the session", async () => {
    const id = await logSession(amaraClient, programId, { teamId: falcons.id });
    const refused = await amaraClient.post(path(`sessions/${id}`), { intent: "delete" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Tick the box to confirm the deletion.");
    const deleted = await amaraClient.post(path(`sessions/${id}`), { intent: "delete", confirm: "on" });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe(path("sessions"));
    await html(amaraClient, path(`sessions/${id}`), 404);
  });

  it("the history shows a coach only their own sessions, filters them and exports them as CSV", async () => {
    await logSession(amaraClient, programId, {
      teamId: falcons.id,
      type: "training",
      heldOn: dayFromToday(-40),
      notes: "Trained on =SUM(A1) formulas",
    });
    const own = tbody(await html(amaraClient, path("sessions?size=200")));
    expect(own).toContain(falcons.name);
    expect(own).not.toContain(herons.name);
    const filtered = text(await html(amaraClient, path(`sessions?type=training&from=${dayFromToday(-41)}&to=${dayFromToday(-39)}`)));
    expect(filtered).toContain("1 row");
    const csvResponse = await amaraClient.get(path("sessions.csv?type=training"));
    expect(csvResponse.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csvResponse.headers.get("content-disposition")).toMatch(
      /^attachment; filename="sessions-coaching-over-http-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    // Response.text() would drop the byte-order mark: decode keeping it.
    const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await csvResponse.arrayBuffer());
    expect(csv.startsWith("\uFEFFDate,Team,Coach,Type,Duration (minutes),Attendees,Maturity,Notes,Follow-ups\r\n")).toBe(true);
    expect(csv).toContain(`${dayFromToday(-40)},${falcons.name},Amara Okafor,Training,45,5,3,Trained on =SUM(A1) formulas,\r\n`);
    expect(csv).not.toContain(herons.name);
  });

  it("the PLO sees every coach's sessions and filters by coach", async () => {
    const all = text(await html(clients.plo, path("sessions?size=200")));
    expect(all).toContain("Amara Okafor");
    expect(all).toContain("Bo Lindqvist");
    const onlyBo = tbody(await html(clients.plo, path(`sessions?coach=${bo.coachId}&size=200`)));
    expect(onlyBo).toContain(herons.name);
    expect(onlyBo).not.toContain(falcons.name);
  });
});

describe("my teams", () => {
  it("lists the coach's teams with onboarding status, last session and what each needs next", async () => {
    const page = text(await html(amaraClient, path("my-teams")));
    // The teams are cards, each with its one-step log (issue 18).
    const teams = text(
      /<section aria-labelledby="teams-heading">[\s\S]*?<\/section>/.exec(await html(amaraClient, path("my-teams")))?.[0] ?? "",
    );
    expect(teams).toContain(falcons.name);
    expect(teams).not.toContain(owls.name);
    expect(page).toContain("Not started");
    expect(page).toContain(`Log session with ${falcons.name}`);
    expect(page).toMatch(/Waiting for the team to start onboarding\.|No session in 4 weeks\.|On track/);
  });

  it("a coach account that is not a coach of the program reads a friendly page, not an error", async () => {
    for (const target of ["my-teams", "sessions", "sessions/new", "escalations", "escalations/new"]) {
      const page = text(await html(clients.coach, path(target)));
      expect(page, target).toContain("You are not a coach in this program yet.");
    }
    const refused = await clients.coach.post(path("sessions/new"), sessionForm({ teamId: falcons.id }));
    expect(refused.status).toBe(400);
    expect(decodeEntities(await refused.text())).toContain("You are not a coach in this program yet.");
  });

  it("the PLO picks a coach to see their home", async () => {
    expect(text(await html(clients.plo, path("my-teams")))).toContain("Choose a coach");
    expect(text(await html(clients.plo, path(`my-teams?coach=${amara.coachId}`)))).toContain(falcons.name);
  });
});

describe("escalations", () => {
  let escalationId: string;
  let sessionId: string;

  it("a coach raises a question from a session (prefilled) and sees it in their questions", async () => {
    sessionId = await logSession(amaraClient, programId, { teamId: falcons.id, type: "check_in" });
    const form = text(await html(amaraClient, path(`escalations/new?session=${sessionId}`)));
    expect(form).toContain(`About the check-in session with ${falcons.name}`);
    escalationId = await raiseEscalation(amaraClient, programId, {
      sessionId,
      teamId: falcons.id,
      category: "method",
      urgency: "high",
      question: "How do we grade a key result that moved late?",
    });
    const mine = text(await html(amaraClient, path("escalations")));
    expect(mine).toContain("How do we grade a key result that moved late?");
    // Another coach does not see it.
    expect(text(await html(boClient, path("escalations")))).not.toContain("moved late");
    await expect403(boClient, "GET", path(`escalations/${escalationId}`));
  });

  it("raising needs a category and a question; someone else's session is refused", async () => {
    await expect400(
      amaraClient,
      path("escalations/new"),
      { category: "", urgency: "normal", question: "Why?" },
      "category",
      "Choose what the question is about.",
    );
    await expect400(
      amaraClient,
      path("escalations/new"),
      { category: "tooling", urgency: "normal", question: "  " },
      "question",
      "Question is required.",
    );
    const bosSession = await logSession(boClient, programId, { teamId: herons.id });
    const before = await snapshot();
    const refused = await amaraClient.post(path("escalations/new"), {
      category: "tooling",
      urgency: "normal",
      question: "Hm?",
      sessionId: bosSession,
    });
    expect(refused.status).toBe(400);
    expect(decodeEntities(await refused.text())).toContain("Choose one of your support sessions in this program.");
    expect(await snapshot()).toBe(before);
  });

  it("the PLO's queue lists it with category, urgency, team, coach, status, owner and age; take it assigns it to me", async () => {
    const queue = text(await html(clients.plo, path("escalations")));
    expect(queue).toContain("moved late");
    expect(queue).toContain("OKR method");
    expect(queue).toContain("High");
    expect(queue).toContain("Amara Okafor");
    expect(queue).toContain("Open");
    expect(queue).toContain("today");
    const taken = await clients.plo.post(path(`escalations/${escalationId}`), { intent: "take", back: path("escalations?urgency=high") });
    expect(taken.status).toBe(302);
    expect(taken.headers.get("location")).toBe(path("escalations?urgency=high"));
    expect(text(await html(clients.plo, path("escalations?owner=me")))).toContain("moved late");
    expect(text(await html(clients.plo, path("escalations?owner=none")))).not.toContain("moved late");
    // A foreign "back" is not followed.
    const elsewhere = await clients.plo.post(path(`escalations/${escalationId}`), { intent: "take", back: "https://evil.example/" });
    expect(elsewhere.headers.get("location")).toBe(path(`escalations/${escalationId}`));
  });

  it("a coach cannot answer, close, take or promote (403, nothing changes)", async () => {
    const forms: Array<Record<string, string>> = [
      { intent: "answer", answer: "I answer myself" },
      { intent: "close" },
      { intent: "take" },
      { intent: "promote", title: "x", tags: "" },
    ];
    for (const form of forms) {
      await expect403(amaraClient, "POST", path(`escalations/${escalationId}`), form);
    }
    await expect403(clients.sponsor, "GET", path(`escalations/${escalationId}`));
  });

  it("the PLO answers; the coach's home shows the notification until they open the answer", async () => {
    const empty = await clients.plo.post(path(`escalations/${escalationId}`), { intent: "answer", answer: " " });
    expect(empty.status).toBe(400);
    const answered = await clients.plo.post(path(`escalations/${escalationId}`), {
      intent: "answer",
      answer: "Score it as it stood at the review; note the late move in the retro.",
    });
    expect(answered.status).toBe(302);
    const home = text(await html(amaraClient, path("my-teams")));
    expect(home).toContain("The PLO answered your question about okr method: “How do we grade a key result that moved late?”");
    // The PLO looking at it does not mark it read.
    await html(clients.plo, path(`escalations/${escalationId}`));
    expect(text(await html(amaraClient, path("my-teams")))).toContain("The PLO answered your question");
    // Opening it is a read: a plain GET, a prefetch of its data, a crawler change nothing.
    const opened = text(await html(amaraClient, path(`escalations/${escalationId}`)));
    expect(opened).toContain("Score it as it stood at the review");
    expect(opened).toContain("Mark the answer as read");
    expect((await amaraClient.get(path(`escalations/${escalationId}.data`))).status).toBe(200);
    expect(text(await html(amaraClient, path("my-teams")))).toContain("The PLO answered your question");
    // Someone else cannot mark it read for her.
    await expect403(clients.plo, "POST", path(`escalations/${escalationId}`), { intent: "seen" });
    // Her page marks it (with JavaScript at once, without it with the button).
    const seen = await amaraClient.post(path(`escalations/${escalationId}`), { intent: "seen" });
    expect(seen.status).toBe(302);
    expect(seen.headers.get("location")).toBe(path(`escalations/${escalationId}`));
    expect(text(await html(amaraClient, path(`escalations/${escalationId}`)))).not.toContain("Mark the answer as read");
    expect(text(await html(amaraClient, path("my-teams")))).not.toContain("The PLO answered your question");
    expect(text(await html(clients.plo, path(`escalations/${escalationId}`)))).toContain("read by the coach");
  });

  it("the PLO promotes the answer to the library as an FAQ entry (once), with an edited title and tags", async () => {
    const promoted = await clients.plo.post(path(`escalations/${escalationId}`), {
      intent: "promote",
      title: "Scoring a key result that moved late",
      tags: "Scoring, key results",
    });
    expect(promoted.status).toBe(302);
    const learning = promoted.headers.get("location") ?? "";
    expect(learning).toMatch(/^\/learnings\/[0-9a-f-]{36}$/);
    const page = text(await html(amaraClient, learning));
    expect(page).toContain("Scoring a key result that moved late");
    expect(page).toContain("FAQ");
    expect(page).toContain("Question: How do we grade a key result that moved late?");
    expect(page).toMatch(/#\s*scoring/);
    const again = await clients.plo.post(path(`escalations/${escalationId}`), { intent: "promote", title: "Twice", tags: "" });
    expect(again.status).toBe(400);
    expect(decodeEntities(await again.text())).toContain("This answer is already in the learnings library.");
    const closed = await clients.plo.post(path(`escalations/${escalationId}`), { intent: "close" });
    expect(closed.status).toBe(302);
    expect(text(await html(clients.plo, path("escalations")))).not.toContain("moved late");
    expect(text(await html(clients.plo, path("escalations?status=closed")))).toContain("moved late");
  });
});

describe("learnings", () => {
  let learningId: string;

  it("a coach shares a learning from their session; everyone who reads learnings finds it by text and tag", async () => {
    const sessionId = await logSession(amaraClient, programId, { teamId: falcons.id, type: "retrospective" });
    const form = text(await html(amaraClient, `/learnings/new?session=${sessionId}`));
    expect(form).toContain(`Comes from the session with ${falcons.name}`);
    learningId = await shareLearning(amaraClient, {
      title: "Start the retro with the scores",
      body: "Teams relax when the numbers are out first.",
      tags: "Retrospective, scoring",
      sessionId,
      kind: "lesson",
    });
    for (const reader of [amaraClient, boClient, clients.sponsor, clients.plo]) {
      expect(text(await html(reader, "/learnings?q=NUMBERS are out"))).toContain("Start the retro with the scores");
    }
    expect(text(await html(boClient, "/learnings?tag=retrospective"))).toContain("Start the retro with the scores");
    expect(text(await html(boClient, "/learnings?tag=retro"))).not.toContain("Start the retro with the scores");
    expect(text(await html(boClient, "/learnings?q=%25"))).not.toContain("Start the retro with the scores");
    const library = await html(boClient, "/learnings");
    expect(library).toContain('href="/learnings?tag=scoring');
    // A sponsor reads the learning but is not offered the session (its notes are not for them).
    const sponsorView = await html(clients.sponsor, `/learnings/${learningId}`);
    expect(sponsorView).not.toContain(`/sessions/${sessionId}`);
    expect(await html(amaraClient, `/learnings/${learningId}`)).toContain(`/sessions/${sessionId}`);
  });

  it("only the author (or the PLO) edits or deletes a learning", async () => {
    const form = {
      intent: "save",
      title: "Changed by Bo",
      body: "x",
      kind: "practice",
      tags: "",
      sessionId: "",
      teamId: "",
      programId: "",
    };
    await expect403(boClient, "POST", `/learnings/${learningId}`, form);
    await expect403(boClient, "POST", `/learnings/${learningId}`, { intent: "delete", confirm: "on" });
    const own = await amaraClient.post(`/learnings/${learningId}`, { ...form, title: "Start the retro with the scores, always" });
    expect(own.status).toBe(302);
    const plo = await clients.plo.post(`/learnings/${learningId}`, { ...form, title: "Edited by the PLO" });
    expect(plo.status).toBe(302);
    expect(text(await html(boClient, `/learnings/${learningId}`))).toContain("Edited by the PLO");
    const deleted = await clients.plo.post(`/learnings/${learningId}`, { intent: "delete", confirm: "on" });
    expect(deleted.status).toBe(302);
    await html(boClient, `/learnings/${learningId}`, 404);
  });

  it("a sponsor reads the library but cannot share; a team lead sees none of it", async () => {
    await expect403(clients.sponsor, "POST", "/learnings/new", { title: "x", body: "y", kind: "practice", tags: "" });
    await expect403(clients.team_lead, "GET", "/learnings");
  });
});

describe("refusals", () => {
  it("a sponsor never opens session pages, questions or a coach's home (403)", async () => {
    const id = await logSession(amaraClient, programId, { teamId: falcons.id, notes: "Secret notes" });
    for (const target of ["sessions", "sessions.csv", `sessions/${id}`, "sessions/new", "my-teams", "escalations", "escalations/new"]) {
      await expect403(clients.sponsor, "GET", path(target));
    }
    await expect403(clients.sponsor, "POST", path("sessions/new"), sessionForm({ teamId: falcons.id }));
  });

  it("a team lead gets 403 on every coaching page and post", async () => {
    const id = await logSession(amaraClient, programId, { teamId: falcons.id });
    for (const target of ["sessions", "sessions.csv", `sessions/${id}`, "sessions/new", "my-teams", "escalations", "escalations/new"]) {
      await expect403(clients.team_lead, "GET", path(target));
    }
    await expect403(clients.team_lead, "POST", path("sessions/new"), sessionForm({ teamId: falcons.id }));
    await expect403(clients.team_lead, "POST", path("escalations/new"), { category: "method", question: "?" });
  });

  it("unknown sessions, questions and learnings are 404s", async () => {
    await html(amaraClient, path("sessions/00000000-0000-0000-0000-000000000000"), 404);
    await html(amaraClient, path("escalations/00000000-0000-0000-0000-000000000000"), 404);
    await html(amaraClient, "/learnings/00000000-0000-0000-0000-000000000000", 404);
  });
});

describe("query counts", () => {
  const queries = queryCount;

  it("the home, the history and the queue cost the same number of queries with more teams, sessions and questions", async () => {
    const coach = await createCoachAccount(admin, programId, { name: "Cora Counted" });
    const client = await signIn(server.url, coach.user);
    const teams = await importTeams(admin, programId, "Counted Co", ["C1", "C2", "C3", "C4", "C5", "C6"]);
    await assignTeam(admin, programId, coach.coachId, teams[0].id, dayFromToday(-10));
    await logSession(client, programId, { teamId: teams[0].id });
    await raiseEscalation(client, programId, { teamId: teams[0].id });
    const targets = [path("my-teams"), path("sessions"), path("escalations"), path("sessions/new")];
    const small = await Promise.all(targets.map((t) => queries(client, t)));
    for (const team of teams.slice(1)) await assignTeam(admin, programId, coach.coachId, team.id, dayFromToday(-10));
    for (const team of teams) {
      await logSession(client, programId, { teamId: team.id, type: "drafting" });
      await logSession(client, programId, { teamId: team.id, type: "check_in", heldOn: dayFromToday(-3) });
      await raiseEscalation(client, programId, { teamId: team.id });
    }
    const large = [];
    for (const t of targets) large.push(await queries(client, t));
    expect(large).toEqual(small);
    expect(text(await html(client, path("my-teams")))).toContain(teams[5].name);
  });
});
