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
import {
  createMilestone,
  createPerson,
  createRisk,
  createStakeholder,
  itemIds,
  milestoneForm,
  planCsv,
  riskForm,
  stakeholderForm,
} from "./authz-rows/plan-details";
import { createWave } from "./authz-rows/plan-teams";
import * as dates from "~/utils/dates";

// Milestones, timeline, stakeholders and risks over HTTP: the forms (no JavaScript needed), their
// 400s with the message next to the field and nothing saved, the readers' view and refusals, the
// CSV exports, the timeline's SVG, and query counts that do not grow with the lists.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let admin: HttpClient;
let programId: string;
let waveId: string;
let owner: { name: string; email: string };

/** A date `months` months from today ('YYYY-MM-DD', day 15 so that it always exists). */
function monthsFromToday(months: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getFullYear(), now.getMonth() + months, 15));
  return d.toISOString().slice(0, 10);
}

const path = (rest: string) => `/programs/${programId}/${rest}`;

/** Everything a failed or refused post could change: the three CSV exports and the audit log. */
async function snapshot(): Promise<string> {
  const [m, s, r, audit] = await Promise.all([
    planCsv(admin, programId, "milestones"),
    planCsv(admin, programId, "stakeholders"),
    planCsv(admin, programId, "risks"),
    latestAuditEvents(admin),
  ]);
  return JSON.stringify({ m, s, r, audit });
}

async function expect400(target: string, form: Record<string, string>, message: string) {
  const before = await snapshot();
  const response = await admin.post(target, form);
  const html = await response.text();
  expect(response.status, `${target} ${JSON.stringify(form)}`).toBe(400);
  // The message sits next to its field (the field's error paragraph), or in the form's alert.
  expect(decodeEntities(html)).toMatch(new RegExp(`(field__error|form-error)"[^>]*>${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}<`));
  expect(await snapshot(), "a refused form changed something").toBe(before);
  return html;
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, {
    name: "Plan details over HTTP",
    startsOn: monthsFromToday(-2),
    endsOn: monthsFromToday(9),
    status: "active",
  });
  waveId = await createWave(admin, programId, { name: "Wave One", startsOn: monthsFromToday(-2), endsOn: monthsFromToday(2) });
  owner = await createPerson(admin, { name: "Olivia Owner", title: "Head of Operations" });
});
afterAll(async () => {
  await server?.stop();
});

describe("milestones", () => {
  it("the form creates a milestone with an owner (by email, any case) and a wave; list and CSV show it", async () => {
    const id = await createMilestone(admin, programId, {
      title: "Wave one drafted",
      dueOn: monthsFromToday(1),
      ownerEmail: owner.email.toUpperCase(),
      waveId,
    });
    const html = await (await admin.get(path("milestones"))).text();
    expect(html).toContain(`href="/programs/${programId}/milestones/${id}"`);
    expect(html).toContain("Olivia Owner");
    expect(html).toContain("Wave One");
    const response = await admin.get(path("milestones.csv"));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="milestones-plan-details-over-http-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes.slice(3));
    expect(csv.startsWith("title,due_on,status,done_on,owner,owner_email,wave,notes\r\n")).toBe(true);
    expect(csv).toContain(`Wave one drafted,${monthsFromToday(1)},Planned,,Olivia Owner,${owner.email},Wave One,`);
  });

  it("a milestone past its due date and not done shows as late, and the late filter and its CSV find it", async () => {
    const id = await createMilestone(admin, programId, { title: "Missed deadline", dueOn: monthsFromToday(-1), status: "in_progress" });
    const late = await itemIds(admin, programId, "milestones", "?status=late");
    expect([...late.values()]).toEqual([id]);
    expect(await (await admin.get(path(`milestones/${id}`))).text()).toContain("Late");
    const csv = await planCsv(admin, programId, "milestones", "?status=late");
    expect(csv.trim().split("\r\n")).toHaveLength(2);
    expect(csv).toContain("Missed deadline");
    expect(csv).toContain(",Late,");
    expect(await planCsv(admin, programId, "milestones", "?status=planned")).not.toContain("Missed deadline");
    expect(await planCsv(admin, programId, "milestones", `?wave=${waveId}`)).not.toContain("Missed deadline");
    expect(await planCsv(admin, programId, "milestones", "?wave=none")).toContain("Missed deadline");
  });

  describe("bad input is a 400 with the message next to the field, and nothing is saved", () => {
    const cases: Array<[string, () => Record<string, string>, string]> = [
      ["an invalid due date", () => milestoneForm({ dueOn: "2026-02-30" }), "Due date must be a valid date (YYYY-MM-DD)."],
      ["no due date", () => milestoneForm({ dueOn: "" }), "Due date is required."],
      ["no title", () => milestoneForm({ title: "  " }), "Title is required."],
      ["an unknown owner", () => milestoneForm({ ownerEmail: "nobody@example.com" }), "No person with this email in the organization."],
      [
        "a malformed owner email",
        () => milestoneForm({ ownerEmail: "not an email" }),
        "Enter a valid email address, like name@example.com.",
      ],
      ["an unknown wave", () => milestoneForm({ waveId: "no-such-wave" }), "Choose one of this program's waves."],
      ["an unknown status", () => milestoneForm({ status: "late" }), "Choose one of the listed statuses."],
      [
        "a done date in the future",
        () => milestoneForm({ status: "done", doneOn: monthsFromToday(1) }),
        "Done on cannot be in the future.",
      ],
      ["an unknown action", () => milestoneForm({ intent: "explode" }), "Unknown action."],
    ];
    for (const [what, form, message] of cases) it(what, () => expect400(path("milestones"), form(), message).then(() => undefined));

    it("the input is kept in the form", async () => {
      const html = await expect400(
        path("milestones"),
        milestoneForm({ title: "Keep me", ownerEmail: "ghost@example.com" }),
        "No person with this email in the organization.",
      );
      expect(html).toContain('value="Keep me"');
      expect(html).toContain('value="ghost@example.com"');
    });
  });

  it("edit, mark done (today by default) and delete with confirmation", async () => {
    const id = await createMilestone(admin, programId, { title: "To edit", dueOn: monthsFromToday(2) });
    const detail = path(`milestones/${id}`);
    await expect400(
      detail,
      { ...milestoneForm({ title: "Edited", dueOn: "31/12/2026" }), intent: "save" },
      "Due date must be a valid date (YYYY-MM-DD).",
    );
    expect(
      (
        await admin.post(detail, {
          ...milestoneForm({ title: "Edited", dueOn: monthsFromToday(3), ownerEmail: owner.email }),
          intent: "save",
        })
      ).status,
    ).toBe(302);
    expect(await planCsv(admin, programId, "milestones")).toContain(`Edited,${monthsFromToday(3)},Planned,,Olivia Owner`);
    const done = await admin.post(detail, { intent: "done", doneOn: "" });
    expect(done.status).toBe(302);
    expect(await planCsv(admin, programId, "milestones")).toContain(`Edited,${monthsFromToday(3)},Done,${dates.today()},Olivia Owner`);
    await expect400(detail, { intent: "delete" }, "Tick the box to confirm the deletion.");
    expect((await admin.post(detail, { intent: "delete", confirm: "on" })).status).toBe(302);
    expect((await admin.get(detail)).status).toBe(404);
    expect(await planCsv(admin, programId, "milestones")).not.toContain("Edited,");
    expect((await admin.post(detail, { intent: "done" })).status).toBe(404);
  });
});

describe("the timeline", () => {
  it("is an accessible SVG with months, the wave, milestone labels (late ones in words) and today's line, plus a table", async () => {
    await createMilestone(admin, programId, { title: "Timeline milestone", dueOn: monthsFromToday(4) });
    const response = await clients.sponsor.get(path("timeline"));
    expect(response.status).toBe(200);
    const html = decodeEntities(await response.text());
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(svg).toContain("<title");
    expect(svg).toContain("<desc");
    expect(svg).toContain("Wave One ·");
    expect(svg).toContain("Timeline milestone (15 ");
    expect(svg).toContain("LATE · Missed deadline");
    expect(svg).toContain(">Today<");
    expect(svg).toContain("Legend");
    // The same items in a table, for screen readers and print.
    expect(html).toContain("<caption>Waves and milestones on the timeline</caption>");
    expect(html).toMatch(/<th scope="row">Wave One<\/th>/);
    expect(html).toContain('href="/styles/plan-details.css"');
  });

  it("an empty program without dates says what to do", async () => {
    const empty = await createProgram(admin, { name: "Empty timeline" });
    const html = decodeEntities(await (await admin.get(`/programs/${empty}/timeline`)).text());
    expect(html).toContain("No dates yet");
    expect(html).toContain("No waves or milestones yet.");
  });
});

describe("stakeholders", () => {
  let sponsorPerson: { name: string; email: string };
  let stakeholderId: string;

  beforeAll(async () => {
    sponsorPerson = await createPerson(admin, { name: "Stella Sponsor", title: "Chief Operating Officer" });
    stakeholderId = await createStakeholder(
      admin,
      programId,
      { personEmail: sponsorPerson.email, attitude: "sceptic", influence: "high", interest: "low" },
      "Stella Sponsor",
    );
  });

  it("a new stakeholder appears in the grid's quadrant and the table, flagged as never contacted", async () => {
    const html = decodeEntities(await (await admin.get(path("stakeholders"))).text());
    const quadrant = /<section[^>]*stakeholder-grid__cell--keep_satisfied[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(quadrant).toContain("Stella Sponsor");
    expect(quadrant).toContain("never contacted");
    expect(html).toContain("Never contacted");
    const csv = await planCsv(admin, programId, "stakeholders", "?overdue=1");
    expect(csv).toContain("Stella Sponsor");
    expect(csv).toContain("Keep satisfied,Sceptic");
    expect(csv.trim().endsWith(",yes")).toBe(true);
  });

  it("the same person twice, an unknown email, or a zero interval is a 400 next to the field, nothing saved", async () => {
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: sponsorPerson.email.toUpperCase() }),
      "This person is already a stakeholder of this program.",
    );
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: "nobody@example.com" }),
      "No person with this email in the organization.",
    );
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: sponsorPerson.email, contactEveryDays: "0" }),
      "Contact every must be a whole number of days from 1 to 365.",
    );
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: sponsorPerson.email, attitude: "hostile" }),
      "Choose one of the listed attitudes.",
    );
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: sponsorPerson.email, lastContactOn: "yesterday" }),
      "Last contact must be a valid date (YYYY-MM-DD).",
    );
    await expect400(
      path("stakeholders"),
      stakeholderForm({ personEmail: sponsorPerson.email, lastContactOn: monthsFromToday(1) }),
      "Last contact cannot be in the future.",
    );
  });

  it("“Contacted today” from the list records today's date, clears the flag and returns to the list", async () => {
    const response = await admin.post(path(`stakeholders/${stakeholderId}`), { intent: "contacted", returnTo: "list" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(path("stakeholders"));
    const csv = await planCsv(admin, programId, "stakeholders");
    expect(csv).toContain(`,${dates.today()},`);
    expect(csv.trim().endsWith(",no")).toBe(true);
    // Any other returnTo goes back to the stakeholder, never elsewhere.
    const elsewhere = await admin.post(path(`stakeholders/${stakeholderId}`), { intent: "contacted", returnTo: "https://evil.example" });
    expect(elsewhere.headers.get("location")).toBe(path(`stakeholders/${stakeholderId}`));
  });

  it("edit and remove (with confirmation)", async () => {
    const person = await createPerson(admin, { name: "Removable Person" });
    const id = await createStakeholder(admin, programId, { personEmail: person.email }, "Removable Person");
    const detail = path(`stakeholders/${id}`);
    expect(
      (
        await admin.post(detail, {
          ...stakeholderForm({ personEmail: person.email, attitude: "champion", contactEveryDays: "14" }),
          intent: "save",
        })
      ).status,
    ).toBe(302);
    expect(await planCsv(admin, programId, "stakeholders")).toMatch(/Removable Person,.*Champion,,14,/);
    await expect400(
      detail,
      { ...stakeholderForm({ personEmail: sponsorPerson.email }), intent: "save" },
      "This person is already a stakeholder of this program.",
    );
    await expect400(detail, { intent: "remove" }, "Tick the box to confirm the removal.");
    expect((await admin.post(detail, { intent: "remove", confirm: "on" })).status).toBe(302);
    expect(await planCsv(admin, programId, "stakeholders")).not.toContain("Removable Person");
  });
});

describe("risks", () => {
  it("the heat map counts active risks per cell and links each cell to the filtered list", async () => {
    await createRisk(admin, programId, {
      title: "Big one",
      likelihood: "4",
      impact: "5",
      ownerEmail: owner.email,
      mitigation: "Sponsor talks to leaders",
    });
    await createRisk(admin, programId, { title: "Big two", likelihood: "4", impact: "5", status: "mitigating" });
    await createRisk(admin, programId, { title: "Closed big", likelihood: "4", impact: "5", status: "closed" });
    await createRisk(admin, programId, { title: "Small", likelihood: "1", impact: "2", waveId });
    const html = decodeEntities(await (await admin.get(path("risks"))).text());
    const link = new RegExp(`<a [^>]*href="/programs/${programId}/risks\\?likelihood=4&impact=5&status=active"[^>]*>(\\d+)</a>`).exec(html);
    expect(link?.[1]).toBe("2");
    const cell = await itemIds(admin, programId, "risks", "?likelihood=4&impact=5&status=active");
    expect([...cell.keys()].sort()).toEqual(["Big one", "Big two"]);
    const csv = await planCsv(admin, programId, "risks");
    const titles = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(titles.slice(0, 3).sort()).toEqual(["Big one", "Big two", "Closed big"]);
    expect(titles.at(-1)).toBe("Small");
    expect(csv).toContain("Big one,20,4,5,Open,Olivia Owner");
    expect(await planCsv(admin, programId, "risks", `?wave=${waveId}`)).toContain("Small,2,1,2,Open,,,Wave One");
  });

  describe("bad input is a 400 with the message next to the field, and nothing is saved", () => {
    const cases: Array<[string, () => Record<string, string>, string]> = [
      ["a likelihood of 6", () => riskForm({ likelihood: "6" }), "Likelihood must be a whole number from 1 to 5."],
      ["a likelihood of 0", () => riskForm({ likelihood: "0" }), "Likelihood must be a whole number from 1 to 5."],
      ["an impact of 2.5", () => riskForm({ impact: "2.5" }), "Impact must be a whole number from 1 to 5."],
      ["an unknown owner", () => riskForm({ ownerEmail: "nobody@example.com" }), "No person with this email in the organization."],
      ["an unknown wave", () => riskForm({ waveId: "nope" }), "Choose one of this program's waves."],
      ["an unknown unit", () => riskForm({ unitId: "nope" }), "Choose one of the organization's units."],
      ["an unknown status", () => riskForm({ status: "forgotten" }), "Choose one of the listed statuses."],
    ];
    for (const [what, form, message] of cases) it(what, () => expect400(path("risks"), form(), message).then(() => undefined));
  });

  it("edit, close and delete (with confirmation)", async () => {
    const id = await createRisk(admin, programId, { title: "Editable risk" });
    const detail = path(`risks/${id}`);
    await expect400(
      detail,
      { ...riskForm({ title: "Editable risk", impact: "9" }), intent: "save" },
      "Impact must be a whole number from 1 to 5.",
    );
    expect(
      (await admin.post(detail, { ...riskForm({ title: "Editable risk", likelihood: "5", impact: "4" }), intent: "save" })).status,
    ).toBe(302);
    expect(await planCsv(admin, programId, "risks")).toContain("Editable risk,20,5,4,Open");
    expect((await admin.post(detail, { intent: "close" })).status).toBe(302);
    expect(await planCsv(admin, programId, "risks")).toContain("Editable risk,20,5,4,Closed");
    await expect400(detail, { intent: "delete" }, "Tick the box to confirm the deletion.");
    expect((await admin.post(detail, { intent: "delete", confirm: "on" })).status).toBe(302);
    expect(await planCsv(admin, programId, "risks")).not.toContain("Editable risk");
  });
});

describe("readers and refusals", () => {
  let ids: { milestone: string; stakeholder: string; risk: string };

  beforeAll(async () => {
    const person = await createPerson(admin, { name: "Reader Fixture" });
    ids = {
      milestone: await createMilestone(admin, programId, { title: "Reader milestone" }),
      stakeholder: await createStakeholder(admin, programId, { personEmail: person.email }, "Reader Fixture"),
      risk: await createRisk(admin, programId, { title: "Reader risk" }),
    };
  });

  const pages = () => [
    path("milestones"),
    path(`milestones/${ids.milestone}`),
    path("timeline"),
    path("stakeholders"),
    path(`stakeholders/${ids.stakeholder}`),
    path("risks"),
    path(`risks/${ids.risk}`),
  ];

  it("sponsors and coaches read every page and CSV without write controls; their posts get 403 and change nothing", async () => {
    for (const actor of ["sponsor", "coach"] as const) {
      const client = clients[actor];
      for (const page of pages()) {
        const response = await client.get(page);
        expect(response.status, `${actor} GET ${page}`).toBe(200);
        const html = await response.text();
        const forms = (html.match(/<form method="post"[^>]*>/g) ?? []).filter((form) => !form.includes('action="/logout"'));
        expect(forms, `${actor} sees no forms on ${page}`).toEqual([]);
      }
      for (const kind of ["milestones", "stakeholders", "risks"] as const) expect((await client.get(path(`${kind}.csv`))).status).toBe(200);
      const before = await snapshot();
      const posts: Array<[string, Record<string, string>]> = [
        [path("milestones"), milestoneForm()],
        [path(`milestones/${ids.milestone}`), { intent: "done" }],
        [path(`milestones/${ids.milestone}`), { intent: "delete", confirm: "on" }],
        [path("stakeholders"), stakeholderForm({ personEmail: owner.email })],
        [path(`stakeholders/${ids.stakeholder}`), { intent: "contacted" }],
        [path(`stakeholders/${ids.stakeholder}`), { intent: "remove", confirm: "on" }],
        [path("risks"), riskForm()],
        [path(`risks/${ids.risk}`), { intent: "close" }],
        [path(`risks/${ids.risk}`), { intent: "delete", confirm: "on" }],
      ];
      for (const [target, form] of posts)
        expect((await client.post(target, form)).status, `${actor} POST ${target} ${form.intent}`).toBe(403);
      expect(await snapshot()).toBe(before);
    }
  });

  it("team leads are refused every page and export with 403", async () => {
    for (const page of [...pages(), path("milestones.csv"), path("stakeholders.csv"), path("risks.csv")]) {
      expect((await clients.team_lead.get(page)).status, page).toBe(403);
    }
    const before = await snapshot();
    expect((await clients.team_lead.post(path("risks"), riskForm())).status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it("an unknown id is a 404, also for another program's items", async () => {
    const other = await createProgram(admin, { name: "Another program" });
    for (const kind of ["milestones", "stakeholders", "risks"] as const) {
      const id = kind === "milestones" ? ids.milestone : kind === "stakeholders" ? ids.stakeholder : ids.risk;
      expect((await admin.get(`/programs/${other}/${kind}/${id}`)).status).toBe(404);
      expect((await admin.get(path(`${kind}/00000000-0000-4000-8000-000000000000`))).status).toBe(404);
    }
  });
});

describe("query counts", () => {
  it("no list page, CSV or the timeline issues more queries as its list grows", async () => {
    const count = (target: string) => queryCount(admin, target);
    const targets = ["milestones", "milestones.csv", "timeline", "stakeholders", "stakeholders.csv", "risks", "risks.csv"].map(path);
    const before = await Promise.all(targets.map(count));
    for (let i = 0; i < 4; i++) {
      const person = await createPerson(admin, { name: `Growth ${i}` });
      await createMilestone(admin, programId, { title: `Growth milestone ${i}`, ownerEmail: person.email, waveId });
      await admin.post(path("stakeholders"), stakeholderForm({ personEmail: person.email }));
      await createRisk(admin, programId, { title: `Growth risk ${i}`, ownerEmail: person.email, waveId });
    }
    const after = await Promise.all(targets.map(count));
    expect(after).toEqual(before);
    expect(Math.max(...after)).toBeLessThan(15);
  });
});
