import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../db/index";
import { seedDemo, DEMO_PASSWORD, DEMO_PROGRAMS } from "../../db/seed/demo";
import { seedDemoCoaching } from "../../db/seed/demo-coaching";
import { createFreshPostgresDatabase } from "../support/database";
import { pgliteDemoDump, postgresDemoTemplate } from "../support/demo-database";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  createProgram,
  decodeEntities,
  latestAuditEvents,
  setUpInstallation,
  signIn,
  tableRows,
  type Actor,
  type TestUser,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { postgresUrl, TMP } from "../support/test-env";
import { createCoach, createPerson } from "./authz-rows/coaching-plo";
import { createWave, importOrg, planTeams, teamRows } from "./authz-rows/plan-teams";

// The PLO's side of the coach community over HTTP, as a browser without JavaScript sends it:
// coaches (capacity, focus, the missing-account warning), bulk assignment with the primary
// replacement said in the confirmation, the coach page, the coverage board, refusals (400 with
// the field's message and nothing saved; 403 for readers' posts and for team leads), and what
// sponsors see: aggregates, never a session note.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let users: Record<Exclude<Actor, "admin" | "anonymous">, TestUser>;
let admin: HttpClient;
let programId: string;
let currentWave: string;
let nextWave: string;
let teams: Map<string, string>;

const day = (offset: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const TODAY = day(0);
const formatted = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients, users } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, { name: "Coaching over HTTP", status: "active" });
  await importOrg(admin, [...teamRows("Coach Co / Ops", "Ops Team", 6), ...teamRows("Coach Co / Sales", "Sales Team", 4)]);
  teams = new Map([...(await planTeams(admin, programId, "?q=Team"))].map(([name, t]) => [name, t.id]));
  currentWave = await createWave(admin, programId, { name: "Current wave", startsOn: day(-30), endsOn: day(60) });
  nextWave = await createWave(admin, programId, { name: "Next wave", startsOn: day(61), endsOn: day(150) });
  const assignWave = async (waveId: string, names: string[]) => {
    const form = new URLSearchParams({ intent: "assign", waveId });
    for (const name of names) form.append("teamId", teams.get(name)!);
    expect((await admin.post(`/programs/${programId}/teams`, form)).status).toBe(302);
  };
  await assignWave(currentWave, ["Ops Team 1", "Ops Team 2", "Ops Team 3", "Ops Team 4"]);
  await assignWave(nextWave, ["Ops Team 5", "Ops Team 6", "Sales Team 1"]);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const coachesPath = () => `/programs/${programId}/coaches`;
const page = async (client: HttpClient, path: string) => {
  const response = await client.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  return response.text();
};
/** The text of an HTML fragment, entities decoded, whitespace collapsed. */
const text = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).trim();
/** The first element with role="alert" (a form or field error). */
const alerts = (html: string) => [...html.matchAll(/role="alert"[^>]*>([\s\S]*?)<\/(p|span|div)>/g)].map((m) => text(m[1]));
/** The toast shown by the page after a redirect. */
async function toastAfter(client: HttpClient, response: Response): Promise<string> {
  expect(response.status, "a successful post redirects").toBe(302);
  const html = await page(client, response.headers.get("location")!);
  return text(/class="toast[^"]*"[^>]*>([\s\S]*?)<button/.exec(html)?.[1] ?? "");
}
/** Team id → its row in the coverage board's gap list (the page's second table). */
const gapRows = (html: string) => tableRows(html.slice(html.indexOf('id="gaps"')), `/programs/${programId}/teams/`);
/** Coach id → its row on the coach list (all coaches, active or not). */
const coachRows = async (client = admin) => tableRows(await page(client, `${coachesPath()}?status=all&size=200`), `${coachesPath()}/`);
/** Team id → its row on the assignment list (every team). */
const assignmentRows = async () =>
  tableRows(await page(admin, `/programs/${programId}/assignments?size=200`), `/programs/${programId}/teams/`);
const coachesCsv = async () => (await admin.get(`${coachesPath()}.csv?status=all`)).text();

function assignForm(fields: Record<string, string>, teamNames: string[] = []) {
  const form = new URLSearchParams({ intent: "assign", kind: "primary", startsOn: TODAY, endsOn: "", ...fields });
  for (const name of teamNames) form.append("teamId", teams.get(name) ?? name);
  return form;
}

/** A person made a coach through the forms. */
async function newCoach(name: string, capacity = "5", focus = "") {
  const person = await createPerson(admin, { name });
  const id = await createCoach(admin, programId, { personEmail: person.email, capacity, focus });
  return { id, personId: person.id, email: person.email, name };
}

describe("coaches", () => {
  it("a PLO adds a coach with a plain form; the list shows capacity, load and warns when no coach account is linked", async () => {
    const person = await createPerson(admin, { name: "Amara Linked" });
    const linked = await admin.post(`/org/people/${person.id}`, { intent: "link-account", accountEmail: users.coach.email });
    expect(linked.status).toBe(302);
    const response = await clients.plo.post(coachesPath(), {
      intent: "create",
      personEmail: person.email.toUpperCase(),
      capacity: "4",
      focus: "Operations, French",
    });
    expect(response.status).toBe(302);
    const coachId = /coaches\/([^/?]+)$/.exec(response.headers.get("location")!)![1];
    const unlinked = await newCoach("Bruno Unlinked", "2");
    const rows = await coachRows();
    expect(text(rows.get(coachId)!)).toMatch(/Amara Linked .* Operations, French 4 .*0 of 4 .*4 free .*Coach account/);
    expect(text(rows.get(unlinked.id)!)).toContain("No coach account");
    const html = await page(clients.plo, coachesPath());
    expect(text(html)).toContain("no coach account linked to their person: they cannot sign in or log sessions");
    expect(html).toContain("/styles/coaching.css");
    const coachPage = await page(clients.plo, `${coachesPath()}/${unlinked.id}`);
    expect(text(coachPage)).toContain("Bruno Unlinked cannot sign in and log sessions until their person is linked");
  });

  it("bad coach input is a 400 with the field's message, the input kept, and nothing saved", async () => {
    const existing = await newCoach("Carla Existing");
    const person = await createPerson(admin, { name: "Dario Candidate" });
    const before = { csv: await coachesCsv(), audit: await latestAuditEvents(admin) };
    const cases: Array<[Record<string, string>, string]> = [
      [{ personEmail: person.email, capacity: "0" }, "Capacity must be a whole number of teams from 1 to 50."],
      [{ personEmail: person.email, capacity: "51" }, "Capacity must be a whole number of teams from 1 to 50."],
      [{ personEmail: person.email, capacity: "2.5" }, "Capacity must be a whole number of teams from 1 to 50."],
      [{ personEmail: person.email, capacity: "-3" }, "Capacity must be a whole number of teams from 1 to 50."],
      [{ personEmail: person.email, capacity: "" }, "Capacity must be a whole number of teams from 1 to 50."],
      [{ personEmail: "nobody-here@example.com", capacity: "3" }, "No person with this email in the organization."],
      [{ personEmail: existing.email, capacity: "3" }, "This person is already a coach in this program."],
      [{ personEmail: "not an email", capacity: "3" }, "Enter a valid email address, like name@example.com."],
      [{ personEmail: "", capacity: "3" }, "Enter the email of the person who becomes a coach."],
    ];
    for (const [fields, message] of cases) {
      const response = await admin.post(coachesPath(), { intent: "create", focus: "Kept focus", ...fields });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const html = await response.text();
      expect(alerts(html), JSON.stringify(fields)).toContain(message);
      expect(html).toContain('value="Kept focus"');
    }
    const unknown = await admin.post(coachesPath(), { intent: "explode" });
    expect(unknown.status).toBe(400);
    expect(await coachesCsv()).toBe(before.csv);
    expect(await latestAuditEvents(admin)).toBe(before.audit);
  });

  it("the coach page edits capacity and focus, refuses a bad capacity, and answers 404 for an unknown coach", async () => {
    const coach = await newCoach("Elena Editable", "3", "Sales");
    const path = `${coachesPath()}/${coach.id}`;
    expect(await toastAfter(admin, await admin.post(path, { intent: "update", capacity: "6", focus: "Sales, Spanish" }))).toContain(
      "Saved Elena Editable's capacity and focus.",
    );
    const before = await coachesCsv();
    const bad = await admin.post(path, { intent: "update", capacity: "99", focus: "x" });
    expect(bad.status).toBe(400);
    expect(alerts(await bad.text())).toContain("Capacity must be a whole number of teams from 1 to 50.");
    expect((await admin.post(path, { intent: "nope" })).status).toBe(400);
    expect(await coachesCsv()).toBe(before);
    expect(before.split("\n").find((line) => line.startsWith("Elena Editable"))).toContain('"Sales, Spanish",6,');
    const ghost = `${coachesPath()}/00000000-0000-4000-8000-000000000000`;
    expect((await admin.get(ghost)).status).toBe(404);
    expect((await admin.post(ghost, { intent: "update", capacity: "3", focus: "" })).status).toBe(404);
    expect((await admin.post(ghost, { intent: "deactivate" })).status).toBe(404);
  });
});

describe("assignments", () => {
  it("bulk assign: the selected teams get the coach; a new primary ends the previous one the day before, and the confirmation says so", async () => {
    const first = await newCoach("Fatima First", "5");
    const second = await newCoach("Gustav Second", "5");
    const assigned = await admin.post(
      `/programs/${programId}/assignments?wave=${currentWave}`,
      assignForm({ coachId: first.id, startsOn: day(-20) }, ["Ops Team 1", "Ops Team 2"]),
    );
    expect(await toastAfter(admin, assigned)).toBe(`Assigned Fatima First as primary coach of 2 teams from ${formatted(day(-20))}.`);
    expect(assigned.headers.get("location")).toBe(`/programs/${programId}/assignments?wave=${currentWave}`);
    const replaced = await admin.post(`/programs/${programId}/assignments`, assignForm({ coachId: second.id }, ["Ops Team 1"]));
    expect(await toastAfter(admin, replaced)).toBe(
      `Assigned Gustav Second as primary coach of 1 team from ${formatted(TODAY)}. This ended Fatima First's primary assignment to Ops Team 1 on ${formatted(day(-1))} (the day before).`,
    );
    const rows = await assignmentRows();
    expect(text(rows.get(teams.get("Ops Team 1")!)!)).toMatch(/Gustav Second/);
    expect(text(rows.get(teams.get("Ops Team 1")!)!)).not.toMatch(/Fatima First/);
    expect(text(rows.get(teams.get("Ops Team 2")!)!)).toMatch(/Fatima First/);
    const secondary = await admin.post(
      `/programs/${programId}/assignments`,
      assignForm({ coachId: first.id, kind: "secondary" }, ["Ops Team 1"]),
    );
    expect(await toastAfter(admin, secondary)).toContain("Assigned Fatima First as secondary coach of 1 team");
    expect(text((await assignmentRows()).get(teams.get("Ops Team 1")!)!)).toMatch(/Gustav Second Fatima First/);
    // The same again changes nothing, and says so.
    expect(
      await toastAfter(
        admin,
        await admin.post(`/programs/${programId}/assignments`, assignForm({ coachId: first.id, kind: "secondary" }, ["Ops Team 1"])),
      ),
    ).toContain("Nothing changed: Fatima First already coaches this team that way.");
    const filtered = await page(admin, `/programs/${programId}/assignments?primary=no&wave=${currentWave}`);
    const ids = [...tableRows(filtered, `/programs/${programId}/teams/`).keys()];
    expect(ids).toEqual([teams.get("Ops Team 3"), teams.get("Ops Team 4")]);
  });

  it("refuses an empty selection, unknown teams and coaches, and an end before the start, with the field's message; nothing is saved", async () => {
    const coach = await newCoach("Hana Refused", "3");
    const before = { rows: await assignmentRows(), audit: await latestAuditEvents(admin) };
    const cases: Array<[URLSearchParams, string]> = [
      [assignForm({ coachId: coach.id }), "Select at least one team."],
      [
        assignForm({ coachId: coach.id }, ["00000000-0000-4000-8000-000000000000"]),
        "Some selected teams do not exist (or were archived). Reload the list and try again.",
      ],
      [assignForm({ coachId: "00000000-0000-4000-8000-000000000000" }, ["Ops Team 3"]), "Choose one of this program's coaches."],
      [assignForm({ coachId: "" }, ["Ops Team 3"]), "Choose a coach."],
      [
        assignForm({ coachId: coach.id, startsOn: day(10), endsOn: day(5) }, ["Ops Team 3"]),
        "The end date cannot be before the start date.",
      ],
      [assignForm({ coachId: coach.id, kind: "boss" }, ["Ops Team 3"]), "Choose primary or secondary."],
      [assignForm({ coachId: coach.id, startsOn: "2026-02-30" }, ["Ops Team 3"]), "Start date must be a valid date (YYYY-MM-DD)."],
      [assignForm({ coachId: coach.id, startsOn: "" }, ["Ops Team 3"]), "Start date is required."],
    ];
    for (const path of [`/programs/${programId}/assignments`, `/programs/${programId}/coverage`]) {
      for (const [form, message] of cases) {
        const response = await admin.post(path, form);
        expect(response.status, `${path} ${form}`).toBe(400);
        expect(alerts(await response.text()), `${path} ${form}`).toContain(message);
      }
    }
    expect((await admin.post(`/programs/${programId}/assignments`, { intent: "unassign" })).status).toBe(400);
    expect(await assignmentRows()).toEqual(before.rows);
    expect(await latestAuditEvents(admin)).toBe(before.audit);
  });

  it("the coach page assigns a team, ends an assignment (not before its start) and deactivates the coach, whose teams become gaps", async () => {
    const coach = await newCoach("Ivo Ending", "2");
    const path = `${coachesPath()}/${coach.id}`;
    const html = await page(admin, path);
    // The picker offers the current and next wave's teams without a primary coach.
    expect(html).toContain(`value="${teams.get("Ops Team 4")}"`);
    expect(
      await toastAfter(
        admin,
        await admin.post(path, { intent: "assign", teamId: teams.get("Ops Team 4")!, kind: "primary", startsOn: day(-5), endsOn: "" }),
      ),
    ).toContain("Assigned Ivo Ending as primary coach of 1 team");
    const assignment = /name="assignmentId" value="([^"]+)"/.exec(await page(admin, path))?.[1];
    expect(assignment).toBeDefined();
    const early = await admin.post(path, { intent: "end", assignmentId: assignment!, endsOn: day(-6) });
    expect(early.status).toBe(400);
    expect(alerts(await early.text()).join(" ")).toContain("The end date cannot be before the start date.");
    const foreign = await admin.post(path, { intent: "end", assignmentId: "00000000-0000-4000-8000-000000000000", endsOn: TODAY });
    expect(foreign.status).toBe(400);
    expect(alerts(await foreign.text()).join(" ")).toContain("This assignment does not exist (any more). Reload the page.");
    expect(await toastAfter(admin, await admin.post(path, { intent: "end", assignmentId: assignment!, endsOn: day(30) }))).toBe(
      `Ivo Ending's assignment to Ops Team 4 ends on ${formatted(day(30))} (the last day).`,
    );
    const board = async () => text(await page(admin, `/programs/${programId}/coverage`));
    expect(await board()).not.toMatch(/Ops Team 4 Coach Co/);
    expect(await toastAfter(admin, await admin.post(path, { intent: "deactivate" }))).toContain(
      "Deactivated Ivo Ending: 1 current assignment end today",
    );
    expect(text(await page(admin, path))).toContain("Deactivated");
    // Coverage counts active coaches only: the team is a gap again.
    expect(await board()).toMatch(/Ops Team 4/);
    expect(await toastAfter(admin, await admin.post(path, { intent: "reactivate" }))).toContain("Ivo Ending is active again.");
  });
});

describe("the coverage board", () => {
  it("shows each coach's load against capacity (overloaded in words) and the current and next wave's gaps; a row's assignment closes a gap", async () => {
    const busy = await newCoach("Jonas Busy", "1");
    await admin.post(
      `/programs/${programId}/assignments`,
      assignForm({ coachId: busy.id, kind: "secondary" }, ["Sales Team 2", "Sales Team 3"]),
    );
    const html = await page(clients.plo, `/programs/${programId}/coverage`);
    const board = text(html);
    expect(board).toMatch(/Jonas Busy .*2 of 1 .*Overloaded by 1/);
    expect(board).toMatch(/Current wave Current wave .* of 4 teams without a primary coach/);
    expect(board).toMatch(/Next wave Next wave .*3 .* of 3 teams without a primary coach/);
    const gaps = [...gapRows(html).keys()];
    expect(gaps).toContain(teams.get("Ops Team 5"));
    expect(gaps).not.toContain(teams.get("Ops Team 2"));
    // Teams outside the current and next wave are not on the board.
    expect(gaps).not.toContain(teams.get("Sales Team 4"));
    const overloadedHtml = await page(clients.plo, `/programs/${programId}/coverage?load=overloaded`);
    const overloaded = text(overloadedHtml.slice(overloadedHtml.indexOf('id="coach-load"'), overloadedHtml.indexOf('id="gaps"')));
    expect(overloaded).toContain("Jonas Busy");
    expect(overloaded).not.toContain("Fatima First");
    // What the row's picker posts (one team, primary, today), as a plain form.
    const fixer = await newCoach("Kim Fixer", "4");
    const response = await clients.plo.post(`/programs/${programId}/coverage?wave=next`, assignForm({ coachId: fixer.id }, ["Ops Team 5"]));
    expect(response.headers.get("location")).toBe(`/programs/${programId}/coverage?wave=next`);
    expect(await toastAfter(clients.plo, response)).toContain("Assigned Kim Fixer as primary coach of 1 team");
    const after = await page(clients.plo, `/programs/${programId}/coverage`);
    expect([...gapRows(after).keys()]).not.toContain(teams.get("Ops Team 5"));
    expect(text(after)).toMatch(/Next wave Next wave .*2 .* of 3 teams without a primary coach/);
  });

  it("the board's query count does not grow with the number of coaches, and a change shows at once", async () => {
    const board = async () => {
      const response = await admin.get(`/programs/${programId}/coverage`);
      const html = await response.text();
      const active = Number(/Active coaches<\/span><strong>(\d+)<\/strong>/.exec(html)?.[1]);
      return { active, queries: Number(response.headers.get("x-query-count")) };
    };
    // Each new coach is an audited change: the next board is read afresh (ADR 0011), not cached.
    await newCoach("Many Coach first", "2");
    const few = await board();
    for (let i = 0; i < 6; i++) await newCoach(`Many Coach ${i}`, String(1 + (i % 3)));
    const many = await board();
    expect(many.queries).toBe(few.queries);
    expect(few.queries).toBeGreaterThan(2);
    expect(many.active).toBe(few.active + 6);
    // Unchanged data: the same board again from the cache, with the session and program queries only.
    expect((await board()).queries).toBe(2);
  });
});

describe("readers", () => {
  it("coaches and sponsors read the coach pages and the board without write controls; their posts are refused with 403 and change nothing", async () => {
    const coach = await newCoach("Lena Readonly", "3");
    const before = { csv: await coachesCsv(), rows: await assignmentRows(), audit: await latestAuditEvents(admin) };
    for (const actor of ["coach", "sponsor"] as const) {
      const client = clients[actor];
      for (const path of [
        coachesPath(),
        `${coachesPath()}/${coach.id}`,
        `/programs/${programId}/coverage`,
        `/programs/${programId}/assignments`,
        `/programs/${programId}/coaching-activity`,
      ]) {
        const html = await page(client, path);
        expect(html, `${actor} ${path}`).not.toMatch(/name="intent" value="(create|assign|update|end|deactivate)"|Add coach|Pick coach/);
      }
      const posts: Array<[string, Record<string, string> | URLSearchParams]> = [
        [coachesPath(), { intent: "create", personEmail: "someone@example.com", capacity: "3", focus: "" }],
        [`${coachesPath()}/${coach.id}`, { intent: "update", capacity: "9", focus: "hijacked" }],
        [`${coachesPath()}/${coach.id}`, { intent: "deactivate" }],
        [`/programs/${programId}/coverage`, assignForm({ coachId: coach.id }, ["Ops Team 6"])],
        [`/programs/${programId}/assignments`, assignForm({ coachId: coach.id }, ["Ops Team 6"])],
      ];
      for (const [path, form] of posts) expect((await client.post(path, form)).status, `${actor} POST ${path}`).toBe(403);
    }
    expect(await coachesCsv()).toBe(before.csv);
    expect(await assignmentRows()).toEqual(before.rows);
    expect(await latestAuditEvents(admin)).toBe(before.audit);
  });

  it("team leads get 403 on every coaching page and export", async () => {
    for (const path of ["coaches", "coaches.csv", "coverage", "assignments", "coaching-activity", "coaching-activity.csv"]) {
      expect((await clients.team_lead.get(`/programs/${programId}/${path}`)).status, path).toBe(403);
    }
    expect((await clients.team_lead.post(`/programs/${programId}/coverage`, assignForm({ coachId: "x" }, ["Ops Team 6"]))).status).toBe(
      403,
    );
  });
});

describe("with the demo's coach community", () => {
  // A second server on a database loaded with the demo (accounts, organization, plan and the
  // coaching seed: sessions with notes, escalations, learnings).
  let demo: RunningServer;
  let demoProgram: string;
  let notes: string[];
  let figures: { coaches: number; overloaded: number; sessions: number; gapWaves: number; unseenAnswer: number; amaraLinked: boolean };
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let handle: DatabaseHandle;
    let env: Record<string, string>;
    // The demo as seeded once for the run; seeding it again below changes nothing.
    if (postgresUrl()) {
      const fresh = await createFreshPostgresDatabase(await postgresDemoTemplate());
      handle = createDatabase({ url: fresh.url, poolSize: 2 });
      env = { DATABASE_URL: fresh.url };
      cleanup = fresh.drop;
    } else {
      const dir = path.join(TMP, `coaching-demo-${randomBytes(4).toString("hex")}`);
      handle = createDatabase({ dataDir: dir, loadDataDir: await pgliteDemoDump() });
      env = { DATABASE_URL: "", DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    const db = handle.db;
    try {
      const seeded = await seedDemo(db);
      const plo = seeded.accounts.find((a) => a.role === "plo")!;
      demoProgram = seeded.programs.find((p) => p.name === DEMO_PROGRAMS[1].name)!.id;
      await seedDemoCoaching(db, { id: plo.id, name: plo.name }, demoProgram);
      const auditBefore = await db.selectFrom("audit_events").select(db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      await seedDemoCoaching(db, { id: plo.id, name: plo.name }, demoProgram);
      const auditAfter = await db.selectFrom("audit_events").select(db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(Number(auditAfter.n), "a second run changes nothing").toBe(Number(auditBefore.n));
      const sessionTexts = await db
        .selectFrom("support_sessions")
        .select(["notes", "follow_ups"])
        .where("program_id", "=", demoProgram)
        .execute();
      const escalationTexts = await db
        .selectFrom("escalations")
        .select(["question", "answer"])
        .where("program_id", "=", demoProgram)
        .execute();
      notes = [
        ...new Set(
          [...sessionTexts.flatMap((s) => [s.notes, s.follow_ups]), ...escalationTexts.flatMap((e) => [e.question, e.answer ?? ""])].filter(
            (n) => n.length > 12,
          ),
        ),
      ];
      const { listCoaches, teamsWithoutPrimaryCoach, listWaveRefs } = await import("~/models/coaching/coaches.server");
      const { parseListParams } = await import("~/utils/list-params");
      const { COACH_LIST_SPEC } = await import("~/validation/coaching");
      const list = await listCoaches(db, demoProgram, parseListParams(new URLSearchParams("size=200"), COACH_LIST_SPEC), "2026-11-23");
      const waves = await listWaveRefs(db, demoProgram);
      const gaps = await teamsWithoutPrimaryCoach(
        db,
        demoProgram,
        waves.slice(0, 2).map((w) => w.id),
        "2026-11-23",
      );
      const unseen = await db
        .selectFrom("escalations")
        .select("id")
        .where("program_id", "=", demoProgram)
        .where("status", "=", "answered")
        .where("answer_seen_at", "is", null)
        .execute();
      figures = {
        coaches: list.total,
        overloaded: list.rows.filter((r) => r.load > r.capacity).length,
        sessions: sessionTexts.length,
        gapWaves: [...gaps.values()].filter((n) => n > 0).length,
        unseenAnswer: unseen.length,
        amaraLinked: list.rows.some((r) => r.email === "coach@demo.rollout-desk.test" && r.account === "coach"),
      };
    } finally {
      await handle.close();
    }
    demo = await startServer(env);
  }, 180_000);
  afterAll(async () => {
    await demo?.stop();
    await cleanup?.();
  });

  it("the demo seed gives a realistic community: twelve coaches, one overloaded, gaps in waves 1 and 2, a few hundred sessions", () => {
    expect(figures.coaches).toBe(12);
    expect(figures.overloaded).toBe(1);
    expect(figures.gapWaves).toBe(2);
    expect(figures.sessions).toBeGreaterThanOrEqual(200);
    expect(figures.unseenAnswer).toBe(1);
    expect(figures.amaraLinked).toBe(true);
    expect(notes.length).toBeGreaterThan(5);
  });

  it("a sponsor sees the coverage board and coaching activity (figures, no session notes anywhere)", async () => {
    const sponsor = await signIn(demo.url, { email: "sponsor@demo.rollout-desk.test", password: DEMO_PASSWORD });
    const base = `/programs/${demoProgram}`;
    const coachId = /\/coaches\/([0-9a-f-]{36})"/.exec(await page(sponsor, `${base}/coaches`))?.[1];
    const pages = [
      `${base}/coverage`,
      `${base}/coaching-activity`,
      `${base}/coaching-activity?view=coaches`,
      `${base}/coaching-activity?quiet=yes&weeks=2`,
      `${base}/coaching-activity.csv`,
      `${base}/coaching-activity.csv?view=coaches`,
      `${base}/coaches`,
      `${base}/coaches.csv`,
      `${base}/coaches/${coachId}`,
      `${base}/assignments`,
      `${base}/coverage.data`,
      `${base}/coaching-activity.data`,
    ];
    for (const path of pages) {
      const body = await page(sponsor, path);
      for (const note of notes) expect(body.includes(note), `${path} shows “${note}”`).toBe(false);
    }
    const board = text(await page(sponsor, `${base}/coverage`));
    expect(board).toMatch(/Overloaded by 1/);
    expect(board).toMatch(/without a primary coach/);
    const activity = text(await page(sponsor, `${base}/coaching-activity`));
    expect(activity).toMatch(/Sessions since \d+ \w+ \d{4} \(.*?\) \d+/);
    expect(activity).toMatch(/Teams with no session in 4 weeks \d+/);
    const csv = await page(sponsor, `${base}/coaching-activity.csv`);
    expect(csv.split("\n")[0]).toContain("sessions_12_weeks");
  });
});
