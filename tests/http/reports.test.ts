import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  createProgram,
  decodeEntities,
  latestAuditEvents,
  setUpInstallation,
  type Actor,
  queryCount,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createMilestone, createPerson, createStakeholder } from "./authz-rows/plan-details";
import { createWave } from "./authz-rows/plan-teams";
import { addBudgetLine, draftForm, publishReport, startDraft } from "./authz-rows/reports";

// Sponsor reporting over HTTP: the live status in words, publishing and reading a report, the
// sponsor's acknowledgement, questions (badged until marked read by a POST) and decisions, the
// refusals, the 400s beside their fields, the exports of the frozen figures, and a page whose
// query count does not grow with the program.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let admin: HttpClient;
let programId: string;

const path = (rest: string) => `/programs/${programId}/${rest}`;
const text = async (client: HttpClient, target: string) => {
  const response = await client.get(target);
  expect(response.status, `GET ${target}`).toBe(200);
  // React separates adjacent text with empty comments: read the page as a person would.
  return decodeEntities(await response.text()).replaceAll("<!-- -->", "");
};

function monthsFromToday(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth() + months, 15)).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, {
    name: "Reporting over HTTP",
    startsOn: monthsFromToday(-3),
    endsOn: monthsFromToday(9),
    status: "active",
  });
});
afterAll(async () => {
  await server?.stop();
});

async function expect400(client: HttpClient, target: string, form: Record<string, string>, message: string) {
  const before = await latestAuditEvents(admin);
  const response = await client.post(target, form);
  expect(response.status, `${target} ${JSON.stringify(form)}`).toBe(400);
  const html = decodeEntities(await response.text());
  expect(html).toMatch(new RegExp(`(field__error|form-error)"[^>]*>${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}<`));
  expect(await latestAuditEvents(admin), "a refused form changed something").toBe(before);
}

describe("the live status", () => {
  it("shows each dimension's colour in words with its reason, and the query count does not grow with the plan", async () => {
    const queries = async () => Number((await clients.sponsor.get(path("status"))).headers.get("x-query-count"));
    const empty = await queries();
    const html = await text(clients.sponsor, path("status"));
    expect(html).toContain("Live status");
    expect(html).toContain("The plan has no waves or milestones yet.");
    expect(html).toContain("Not measured yet: enablement is not tracked in Rollout Desk yet.");
    expect(html).not.toContain("Override this colour");

    await createWave(admin, programId, { name: "Wave One", startsOn: monthsFromToday(-2), endsOn: monthsFromToday(2) });
    for (const months of [-3, -2, -1]) await createMilestone(admin, programId, { title: `Late ${months}`, dueOn: monthsFromToday(months) });
    // The first read after a change computes afresh (no cached read), like the first one did.
    expect(await queries()).toBe(empty);
    const after = await text(clients.sponsor, path("status"));
    expect(after).toContain("3 milestones more than 14 days late");
    expect(after).toMatch(/data-colour="red"/);
  });

  it("lets the PLO override a colour only with a reason, and shows the computed colour beside it", async () => {
    await expect400(
      admin,
      path("status"),
      { intent: "override", dimension: "schedule", colour: "amber", reason: "" },
      "A reason is required.",
    );
    await expect400(
      admin,
      path("status"),
      { intent: "override", dimension: "weather", colour: "amber", reason: "x" },
      "Choose one of the dimensions.",
    );
    const set = await admin.post(path("status"), {
      intent: "override",
      dimension: "schedule",
      colour: "amber",
      reason: "The late ones are paperwork only",
    });
    expect(set.status).toBe(302);
    const html = await text(clients.sponsor, path("status"));
    expect(html).toContain("Override:</strong> The late ones are paperwork only");
    expect(html).toMatch(/computed: <span class="rag rag--red"/);
    expect((await clients.sponsor.post(path("status"), { intent: "clear", dimension: "schedule" })).status).toBe(403);
    expect((await admin.post(path("status"), { intent: "clear", dimension: "schedule" })).status).toBe(302);
    expect((await admin.post(path("status"), { intent: "clear", dimension: "schedule" })).status).toBe(409);
    expect((await admin.post(path("status"), { intent: "explode" })).status).toBe(400);
  });

  it("never shows a sponsor a stakeholder's attitude", async () => {
    const person = await createPerson(admin, { name: "Sven Doubter", title: "Head of Sales" });
    await createStakeholder(admin, programId, { personEmail: person.email, attitude: "sceptic" }, "Sven Doubter");
    const html = await text(clients.sponsor, path("status"));
    expect(html).toContain("overdue for a contact");
    expect(html).not.toMatch(/sceptic/i);
  });
});

describe("stakeholder attitudes are the PLO's alone", () => {
  let stakeholderId: string;
  beforeAll(async () => {
    const person = await createPerson(admin, { name: "Carla Critic", title: "Head of Finance" });
    stakeholderId = await createStakeholder(
      admin,
      programId,
      { personEmail: person.email, attitude: "sceptic", influence: "high" },
      "Carla Critic",
    );
  });

  it("the PLO and admins see them on the list, the grid, the page and the CSV", async () => {
    for (const actor of ["plo", "admin"] as const) {
      expect(await text(clients[actor], path("stakeholders"))).toMatch(/Carla Critic<\/a> · Sceptic/);
      expect(await text(clients[actor], path(`stakeholders/${stakeholderId}`))).toContain("<dd>Sceptic</dd>");
      const csv = await (await clients[actor].get(path("stakeholders.csv?attitude=sceptic"))).text();
      expect(csv).toContain(",attitude,");
      expect(csv).toContain("Carla Critic");
      expect(csv).toContain("Sceptic");
    }
  });

  it("sponsors and coaches see no attitude anywhere, nor can they filter by one", async () => {
    for (const actor of ["sponsor", "coach"] as const) {
      // The filter is ignored: everyone is listed.
      const filtered = await text(clients[actor], path("stakeholders?attitude=sceptic&overdue=1"));
      expect(filtered).toContain("Carla Critic");
      expect(filtered).toContain("Sven Doubter");
      const list = await text(clients[actor], path("stakeholders"));
      // Neither a label nor a value, in the page or the data it carries ("attitude":null is no leak).
      expect(list).not.toMatch(/sceptic|>Attitude</i);
      const page = await text(clients[actor], path(`stakeholders/${stakeholderId}`));
      expect(page).toContain("Carla Critic");
      expect(page).not.toMatch(/sceptic|>Attitude</i);
      const csv = await (await clients[actor].get(path("stakeholders.csv?attitude=sceptic"))).text();
      expect(csv).toContain("Carla Critic");
      expect(csv).toContain("Sven Doubter");
      expect(csv).not.toMatch(/sceptic|attitude/i);
      expect(await text(clients[actor], path(""))).not.toMatch(/sceptic/i);
    }
  });
});

describe("a report from draft to decision", () => {
  let reportId: string;
  let decisionId: string;

  it("a draft is the PLO's alone; publishing freezes it and the sponsor lands on it after sign-in", async () => {
    const draftId = await startDraft(admin, programId);
    expect((await clients.sponsor.get(path(`reports/${draftId}`))).status).toBe(404);
    expect((await clients.sponsor.post(path(`reports/${draftId}`), draftForm())).status).toBe(403);
    await expect400(
      admin,
      path(`reports/${draftId}`),
      draftForm({ periodEnd: "2026-10-01" }),
      "The period must end on or after its first day.",
    );
    expect((await admin.post(path(`reports/${draftId}`), { intent: "discard" })).status).toBe(302);

    const published = await publishReport(admin, programId, {
      summary: "Wave One started; three milestones slipped.",
      decision: "Move wave two by a month?",
    });
    reportId = published.reportId;
    decisionId = published.decisionIds[0];
    const home = await clients.sponsor.get("/");
    expect(home.headers.get("location")).toBe(path(`reports/${reportId}`));
    const html = await text(clients.sponsor, path(`reports/${reportId}`));
    expect(html).toContain("Wave One started; three milestones slipped.");
    expect(html).toContain("Move wave two by a month?");
    expect(html).toContain("Acknowledge this report");
    expect(html).not.toContain("Save the draft");
    // Editing a published report is refused; a correction is the way.
    expect((await admin.post(path(`reports/${reportId}`), draftForm({ summary: "Changed" }))).status).toBe(409);
    expect((await admin.post(path(`reports/${reportId}`), { intent: "publish" })).status).toBe(409);
  });

  it("the sponsor acknowledges once, asks per section, and the answer stays badged until marked read by a POST", async () => {
    expect((await clients.plo.post(path(`reports/${reportId}`), { intent: "acknowledge" })).status).toBe(403);
    expect((await clients.sponsor.post(path(`reports/${reportId}`), { intent: "acknowledge" })).status).toBe(302);
    expect((await clients.sponsor.post(path(`reports/${reportId}`), { intent: "acknowledge" })).status).toBe(409);
    await expect400(
      clients.sponsor,
      path(`reports/${reportId}`),
      { intent: "ask", section: "budget", question: "" },
      "Your question is required.",
    );
    expect(
      (await clients.sponsor.post(path(`reports/${reportId}`), { intent: "ask", section: "budget", question: "Where is the budget?" }))
        .status,
    ).toBe(302);
    const ploView = await text(clients.plo, path(`reports/${reportId}`));
    const questionId = /data-question="([0-9a-f-]{36})"/.exec(ploView)?.[1] ?? "";
    expect(ploView).toContain("Where is the budget?");
    expect(
      (await clients.sponsor.post(path(`reports/${reportId}`), { intent: "answer", questionId, answer: "Self-answered" })).status,
    ).toBe(403);
    expect(
      (await clients.plo.post(path(`reports/${reportId}`), { intent: "answer", questionId, answer: "Budget lines come next week." }))
        .status,
    ).toBe(302);

    expect(await text(clients.sponsor, path(`reports/${reportId}`))).toContain("New answer");
    // Reading (page or data) never marks it read.
    await clients.sponsor.get(path(`reports/${reportId}.data`));
    expect(await text(clients.sponsor, path(`reports/${reportId}`))).toContain("New answer");
    expect(await text(clients.sponsor, path("reports"))).toContain("1 new answer");
    expect((await clients.plo.post(path(`reports/${reportId}`), { intent: "mark-read", questionId })).status).toBe(403);
    expect((await clients.sponsor.post(path(`reports/${reportId}`), { intent: "mark-read", questionId })).status).toBe(302);
    expect(await text(clients.sponsor, path(`reports/${reportId}`))).not.toContain("New answer");
  });

  it("the sponsor records the decision; the log keeps who and when; a second decision is refused", async () => {
    expect((await clients.plo.post(path("decisions"), { intent: "decide", decisionId, decision: "Yes" })).status).toBe(403);
    await expect400(clients.sponsor, path("decisions"), { intent: "decide", decisionId, decision: " " }, "The decision is required.");
    expect(
      (await clients.sponsor.post(path(`reports/${reportId}`), { intent: "decide", decisionId, decision: "Move it to March." })).status,
    ).toBe(302);
    expect((await clients.sponsor.post(path("decisions"), { intent: "decide", decisionId, decision: "No" })).status).toBe(409);
    const log = await text(clients.sponsor, path("decisions"));
    expect(log).toMatch(/decided by .* on .*: <strong>Move it to March\.<\/strong>/);
  });

  it("coaches read only shared reports, team leads none, and nobody but the PLO writes one", async () => {
    expect((await clients.coach.get(path(`reports/${reportId}`))).status).toBe(404);
    expect(await text(clients.coach, path("reports"))).not.toContain(reportId);
    expect((await clients.team_lead.get(path("reports"))).status).toBe(403);
    expect((await clients.team_lead.get(path("status"))).status).toBe(403);
    expect((await clients.coach.get(path("status"))).status).toBe(403);
    for (const actor of ["sponsor", "coach", "team_lead"] as const) {
      expect(
        (await clients[actor].post(path("reports"), { intent: "create", periodStart: "2026-11-01", periodEnd: "2026-11-30", unitId: "" }))
          .status,
      ).toBe(403);
    }
    const shared = await publishReport(admin, programId, { audience: "everyone", summary: "Shared with the coaches." });
    expect(await text(clients.coach, path(`reports/${shared.reportId}`))).toContain("Shared with the coaches.");
  });

  it("exports the frozen figures as CSV and JSON; a draft has none", async () => {
    const csv = await clients.sponsor.get(path(`reports/${reportId}.csv`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const body = await csv.text();
    expect(body.split("\r\n")[0]).toBe(
      "dimension,dimension_label,colour,computed_colour,override_reason,reason,figure,figure_label,value,change_since_previous",
    );
    expect(body).toContain(
      "schedule,Schedule,red,red,,3 milestones more than 14 days late,lateOverThreshold,Milestones more than 14 days late,3,",
    );
    const json = await (await clients.sponsor.get(path(`reports/${reportId}.json`))).json();
    expect(json.snapshot.overall.colour).toBe("red");
    expect(json.summary).toBe("Wave One started; three milestones slipped.");
    const draftId = await startDraft(admin, programId);
    expect((await admin.get(path(`reports/${draftId}.csv`))).status).toBe(404);
  });

  it("a correction is a new revision with its reason; the old revision points to it", async () => {
    await expect400(admin, path(`reports/${reportId}`), { intent: "correct", reason: "" }, "The reason for the correction is required.");
    const started = await admin.post(path(`reports/${reportId}`), { intent: "correct", reason: "Wrong wave named" });
    expect(started.status).toBe(302);
    const correctionId = /reports\/([0-9a-f-]{36})$/.exec(started.headers.get("location") ?? "")?.[1] ?? "";
    expect((await admin.post(path(`reports/${correctionId}`), draftForm({ summary: "Wave One (corrected)." }))).status).toBe(302);
    expect((await admin.post(path(`reports/${correctionId}`), { intent: "publish" })).status).toBe(302);
    const old = await text(clients.sponsor, path(`reports/${reportId}`));
    expect(old).toContain("Wave One started; three milestones slipped.");
    expect(old).toContain("This revision was corrected.");
    const revised = await text(clients.sponsor, path(`reports/${correctionId}`));
    expect(revised).toContain("Revision 2, correcting revision 1: Wrong wave named");
    expect((await clients.sponsor.get("/")).headers.get("location")).toBe(path(`reports/${correctionId}`));
  });
});

describe("reading a published report", () => {
  const queries = queryCount;

  it("costs the same few queries whatever its questions and decisions", async () => {
    const { reportId } = await publishReport(admin, programId, { summary: "Counted.", decision: "Count the queries?" });
    const page = path(`reports/${reportId}`);
    const before = { plo: await queries(clients.plo, page), sponsor: await queries(clients.sponsor, page) };
    for (const section of ["summary", "budget", "risks"]) {
      const asked = await clients.sponsor.post(page, { intent: "ask", section, question: `How many queries for ${section}?` });
      expect(asked.status).toBe(302);
    }
    await publishReport(admin, programId, { summary: "Another one.", decision: "And another decision?" });
    expect(await text(clients.plo, page)).toContain("How many queries for budget?");
    expect({ plo: await queries(clients.plo, page), sponsor: await queries(clients.sponsor, page) }).toEqual(before);
    // The session and the program as every page; then the report with its frozen figures, its
    // questions and the reporting schedule (and for the sponsor, the decisions still open).
    const trivial = await queries(clients.plo, "/account/password");
    expect(before.plo).toBeLessThanOrEqual(trivial + 3);
    expect(before.sponsor).toBeLessThanOrEqual(trivial + 4);
  });
});

describe("budget and cadence", () => {
  it("takes whole amounts, refuses others beside the field, and judges spend against elapsed time", async () => {
    await expect400(
      admin,
      path("budget"),
      { intent: "add-line", category: "Coaching", plannedAmount: "lots" },
      "The planned amount must be a whole amount, like 12500.",
    );
    const lineId = await addBudgetLine(admin, programId, "Coaching", "120,000");
    await expect400(admin, path("budget"), { intent: "actual", lineId, month: "2026-13", amount: "5" }, "Enter the month as YYYY-MM.");
    expect(
      (await admin.post(path("budget"), { intent: "actual", lineId, month: monthsFromToday(-1).slice(0, 7), amount: "30000" })).status,
    ).toBe(302);
    const html = await text(clients.sponsor, path("budget"));
    expect(html).toContain("120,000");
    expect(html).toContain("30,000");
    expect(html).toMatch(/25% of the budget spent at \d+% of the time/);
    expect((await clients.sponsor.post(path("budget"), { intent: "add-line", category: "Sneaky", plannedAmount: "1" })).status).toBe(403);
  });

  it("the cadence says when the next report is due", async () => {
    await expect400(admin, path("reports"), { intent: "cadence", kind: "weeks", everyWeeks: "99" }, "Every 1 to 26 weeks.");
    expect((await admin.post(path("reports"), { intent: "cadence", kind: "weeks", everyWeeks: "2" })).status).toBe(302);
    expect(await text(clients.sponsor, path("reports"))).toMatch(/Reporting cadence: every 2 weeks\. Next report due/);
  });
});
