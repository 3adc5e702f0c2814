import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  createProgram,
  latestAuditEvents,
  pageMessage,
  setUpInstallation,
  type Actor,
  type TestUser,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createWave, importOrg, planTeams, teamRows, teamsCsv, unitIds } from "./authz-rows/plan-teams";

// The rollout plan over HTTP: waves and their entry criteria, the team pipeline's bulk forms
// (posted as plain forms, as a browser without JavaScript does), refusals for readers, and the
// team lead's view of their own team.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let users: Record<Exclude<Actor, "admin" | "anonymous">, TestUser>;
let admin: HttpClient;
let programId: string;
let units: Map<string, string>;

const WAREHOUSE = "Plan Co / Operations / Warehouse";
const OPERATIONS = "Plan Co / Operations";
const SALES = "Plan Co / Sales";

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  admin = installation.client;
  ({ clients, users } = await clientsForEveryRole(server.url, admin));
  programId = await createProgram(admin, { name: "Plan over HTTP", status: "active" });
  await importOrg(admin, [
    ...teamRows(WAREHOUSE, "Picking", 12),
    ...teamRows(OPERATIONS, "Dispatch", 3),
    ...teamRows(SALES, "Sales Team", 4),
    ...teamRows(SALES, "Leadless", 1, { leads: false }),
  ]);
  units = await unitIds(admin, programId);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const teamsPath = (search = "") => `/programs/${programId}/teams${search}`;

/** A url-encoded form with repeated `teamId` fields, as the row checkboxes send it. */
function bulkForm(fields: Record<string, string>, teamIds: string[] = []) {
  const form = new URLSearchParams(fields);
  for (const id of teamIds) form.append("teamId", id);
  return form;
}

async function teamIdsNamed(prefix: string): Promise<string[]> {
  const teams = await planTeams(admin, programId, `?q=${encodeURIComponent(prefix)}`);
  return [...teams.entries()].filter(([name]) => name.startsWith(prefix)).map(([, t]) => t.id);
}

describe("waves", () => {
  it("a PLO creates waves with a plain form post; the list shows them in order with their readiness", async () => {
    const first = await createWave(clients.plo, programId, {
      name: "Wave 1 Ops",
      startsOn: "2026-10-05",
      endsOn: "2026-12-18",
      goal: "Operations drafts OKRs.",
    });
    const second = await createWave(clients.plo, programId, { name: "Wave 2 Sales", startsOn: "2027-01-11", endsOn: "2027-03-26" });
    const html = await (await clients.plo.get(`/programs/${programId}/waves`)).text();
    expect(html.indexOf(`/waves/${first}`)).toBeLessThan(html.indexOf(`/waves/${second}`));
    expect(html).toContain("Operations drafts OKRs.");
    expect(html).toContain("No teams are assigned to the wave yet.");
    expect(html).toMatch(/At risk|Blocked/);
    expect(html).toContain("/styles/plan.css");
  });

  it("bad wave input is a 400 with the message next to the field, and nothing is created", async () => {
    const before = await (await admin.get(`/programs/${programId}/waves`)).text();
    const countWaves = (html: string) => (html.match(new RegExp(`href="/programs/${programId}/waves/[^"]+"`, "g")) ?? []).length;
    const endBeforeStart = await admin.post(`/programs/${programId}/waves`, {
      intent: "create",
      name: "Backwards",
      startsOn: "2027-03-01",
      endsOn: "2027-02-01",
      goal: "",
    });
    expect(endBeforeStart.status).toBe(400);
    const html = await endBeforeStart.text();
    expect(html).toContain("The end date must be on or after the start date.");
    expect(html).toContain('value="Backwards"');
    const duplicate = await admin.post(`/programs/${programId}/waves`, {
      intent: "create",
      name: "wave 1 ops",
      startsOn: "",
      endsOn: "",
      goal: "",
    });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain("There is already a wave named “wave 1 ops” in this program.");
    const noName = await admin.post(`/programs/${programId}/waves`, { intent: "create", name: " ", startsOn: "", endsOn: "", goal: "" });
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain("Name is required.");
    const unknownIntent = await admin.post(`/programs/${programId}/waves`, { intent: "explode" });
    expect(unknownIntent.status).toBe(400);
    expect(countWaves(await (await admin.get(`/programs/${programId}/waves`)).text())).toBe(countWaves(before));
  });

  it("the wave page ticks and unticks manual criteria with who and when, and refuses to tick a computed one", async () => {
    const waveId = await createWave(admin, programId, { name: "Checklist wave", startsOn: "2027-06-01", endsOn: "2027-06-30" });
    const page = async () => (await admin.get(`/programs/${programId}/waves/${waveId}`)).text();
    const html = await page();
    const criteria = [...html.matchAll(/name="criterionId" value="([^"]+)"/g)].map((m) => m[1]);
    expect(criteria).toHaveLength(4);
    const [computed, kickOff] = criteria;
    expect((await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "tick", criterionId: kickOff })).status).toBe(302);
    const ticked = await page();
    expect(ticked).toMatch(/Ticked by Ada Admin on \d{1,2} \w{3} \d{4}/);
    const refused = await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "tick", criterionId: computed });
    expect(refused.status).toBe(400);
    expect(pageMessage(await refused.text())).toBe("This criterion is checked by the app; it cannot be ticked by hand.");
    const unknown = await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "tick", criterionId: "no-such-criterion" });
    expect(unknown.status).toBe(400);
    expect((await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "untick", criterionId: kickOff })).status).toBe(302);
    expect(await page()).not.toContain("Ticked by Ada Admin");
    const added = await admin.post(`/programs/${programId}/waves/${waveId}`, {
      intent: "add-criterion",
      kind: "manual",
      label: "Rooms booked",
    });
    expect(added.status).toBe(302);
    expect(await page()).toContain("Rooms booked");
    const badKind = await admin.post(`/programs/${programId}/waves/${waveId}`, {
      intent: "add-criterion",
      kind: "leads_trained_by_magic",
      label: "Leads trained",
    });
    expect(badKind.status).toBe(400);
    expect(await badKind.text()).toContain("Choose how the criterion is checked.");
  });

  it("an unknown wave is a 404", async () => {
    expect((await admin.get(`/programs/${programId}/waves/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect(
      (await admin.post(`/programs/${programId}/waves/00000000-0000-4000-8000-000000000000`, { intent: "move", direction: "up" })).status,
    ).toBe(404);
  });

  it("deleting a wave needs the confirmation; its teams then have no wave", async () => {
    const waveId = await createWave(admin, programId, { name: "Doomed wave" });
    const dispatch = await teamIdsNamed("Dispatch");
    expect((await admin.post(teamsPath(), bulkForm({ intent: "assign", waveId }, dispatch))).status).toBe(302);
    const unconfirmed = await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "delete" });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("Tick the box to confirm: the wave&#x27;s teams become unassigned.");
    expect((await admin.get(`/programs/${programId}/waves/${waveId}`)).status).toBe(200);
    const deleted = await admin.post(`/programs/${programId}/waves/${waveId}`, { intent: "delete", confirm: "on" });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe(`/programs/${programId}/waves`);
    expect((await admin.get(`/programs/${programId}/waves/${waveId}`)).status).toBe(404);
    const teams = await planTeams(admin, programId, "?q=Dispatch");
    expect([...teams.values()].every((t) => t.text.includes("No wave"))).toBe(true);
  });
});

describe("the team pipeline", () => {
  let waveId: string;
  beforeAll(async () => {
    waveId = await createWave(admin, programId, { name: "Pipeline wave", startsOn: "2027-02-01", endsOn: "2027-04-30" });
  });

  it("lists every imported team, with filters, and the CSV export follows the same filters", async () => {
    const all = await planTeams(admin, programId);
    expect(all.size).toBe(20);
    const sales = units.get("Sales")!;
    expect((await planTeams(admin, programId, `?unit=${sales}`)).size).toBe(5);
    expect((await planTeams(admin, programId, "?lead=no")).size).toBe(1);
    const response = await admin.get(`/programs/${programId}/teams.csv?unit=${sales}&sort=team&dir=asc`);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="teams-plan-over-http-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)], "a UTF-8 byte order mark for spreadsheet apps").toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split(/\r?\n/);
    expect(lines[0]).toBe("team,unit,lead,lead_email,size,wave,status,status_changed_on");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([
      "Leadless 1",
      "Sales Team 1",
      "Sales Team 2",
      "Sales Team 3",
      "Sales Team 4",
    ]);
  });

  it("assigns the selected teams to a wave in one plain post to the current URL, and comes back to it", async () => {
    const picking = await teamIdsNamed("Picking");
    expect(picking).toHaveLength(12);
    const here = teamsPath("?sort=unit&dir=desc");
    const response = await admin.post(here, bulkForm({ intent: "assign", waveId, status: "", changedOn: "" }, picking.slice(0, 10)));
    expect(response.status).toBe(302);
    // Back to the same list, with the change's "Undo" offered (bulk=<its audit event>).
    expect(response.headers.get("location")).toMatch(new RegExp(`^${here.replace(/[?]/g, "\\?")}&bulk=\\d+$`));
    const inWave = await planTeams(admin, programId, `?wave=${waveId}`);
    expect([...inWave.values()].map((t) => t.id).sort()).toEqual(picking.slice(0, 10).sort());
    expect(await latestAuditEvents(admin)).toContain("Assigned 10 teams to wave “Pipeline wave”");
  });

  it("“apply to all matching” changes every team matching the URL's filters, not only the selected ones", async () => {
    const sales = units.get("Sales")!;
    const before = await teamsCsv(admin, programId, `?unit=${units.get("Operations")}`);
    const response = await admin.post(
      teamsPath(`?unit=${sales}`),
      bulkForm({ intent: "status", status: "onboarding", changedOn: "2026-11-02", allMatching: "on" }),
    );
    expect(response.status).toBe(302);
    const salesTeams = await planTeams(admin, programId, `?unit=${sales}`);
    expect(salesTeams.size).toBe(5);
    expect([...salesTeams.values()].every((t) => t.text.includes("Onboarding") && t.text.includes("2 Nov 2026"))).toBe(true);
    expect(await teamsCsv(admin, programId, `?unit=${units.get("Operations")}`)).toBe(before);
    expect(await latestAuditEvents(admin)).toContain("Set 5 teams to “Onboarding” as of 2026-11-02");
  });

  it("adds a whole unit, sub-units included, to a wave", async () => {
    const operations = units.get("Operations")!;
    const response = await admin.post(teamsPath(), { intent: "assign-unit", unitId: operations, waveId });
    expect(response.status).toBe(302);
    expect((await planTeams(admin, programId, `?wave=${waveId}`)).size).toBe(15);
  });

  it("records the status history, visible on the team's page", async () => {
    const [team] = await teamIdsNamed("Picking 1");
    expect(
      (await admin.post(teamsPath(), bulkForm({ intent: "status", status: "onboarding", changedOn: "2026-10-01" }, [team]))).status,
    ).toBe(302);
    expect(
      (await admin.post(teamsPath(), bulkForm({ intent: "status", status: "first_cycle", changedOn: "2026-11-03" }, [team]))).status,
    ).toBe(302);
    const html = await (await clients.coach.get(`/programs/${programId}/teams/${team}`)).text();
    expect(html).toContain("Pipeline wave");
    expect(html).toContain("First cycle");
    expect(html.indexOf("3 Nov 2026")).toBeLessThan(html.indexOf("1 Oct 2026"));
  });

  describe("bad input is a 400 with a message, and nothing changes", () => {
    const cases: Array<[string, () => URLSearchParams, string]> = [
      ["an empty selection", () => bulkForm({ intent: "assign", waveId: "none" }), "Select at least one team."],
      [
        "an unknown wave",
        () => bulkForm({ intent: "assign", waveId: "no-such-wave" }, [firstTeam]),
        "Choose one of this program&#x27;s waves.",
      ],
      ["no wave chosen", () => bulkForm({ intent: "assign", waveId: "" }, [firstTeam]), "Choose a wave."],
      [
        "an unknown team",
        () => bulkForm({ intent: "assign", waveId: "none" }, [firstTeam, "no-such-team"]),
        "Some selected teams do not exist",
      ],
      [
        "an unknown status",
        () => bulkForm({ intent: "status", status: "finished", changedOn: "" }, [firstTeam]),
        "Choose one of the listed statuses.",
      ],
      [
        "a date in the future",
        () => bulkForm({ intent: "status", status: "running", changedOn: "2999-01-01" }, [firstTeam]),
        "The date of the change cannot be in the future.",
      ],
      [
        "an invalid date",
        () => bulkForm({ intent: "status", status: "running", changedOn: "2026-02-30" }, [firstTeam]),
        "The date of the change must be a valid date (YYYY-MM-DD).",
      ],
      ["a status without selection", () => bulkForm({ intent: "status", status: "running", changedOn: "" }), "Select at least one team."],
      [
        "an unknown unit",
        () => bulkForm({ intent: "assign-unit", unitId: "no-such-unit", waveId: "none" }),
        "Choose one of the listed units.",
      ],
      ["an unknown action", () => bulkForm({ intent: "explode" }, [firstTeam]), "Unknown action."],
    ];
    let firstTeam: string;
    beforeAll(async () => {
      [firstTeam] = await teamIdsNamed("Dispatch 1");
    });
    for (const [what, form, message] of cases) {
      it(what, async () => {
        const before = await teamsCsv(admin, programId);
        const audit = await latestAuditEvents(admin);
        const response = await admin.post(teamsPath(), form());
        expect(response.status).toBe(400);
        expect(await response.text()).toContain(message);
        expect(await teamsCsv(admin, programId)).toBe(before);
        expect(await latestAuditEvents(admin)).toBe(audit);
      });
    }
  });

  it("the team list's query count does not grow with the number of teams shown", async () => {
    const count = async (search: string) => {
      const response = await admin.get(teamsPath(search));
      await response.text();
      return Number(response.headers.get("x-query-count"));
    };
    const few = await count(`?unit=${units.get("Sales")}&size=200`);
    const many = await count("?size=200");
    expect(many).toBe(few);
    expect(few).toBeGreaterThan(0);
  });
});

describe("readers", () => {
  it("sponsors and coaches read waves and teams; their posts are refused with 403 and change nothing", async () => {
    const waveId = await createWave(admin, programId, { name: "Readers wave" });
    const [team] = await teamIdsNamed("Sales Team 1");
    for (const actor of ["sponsor", "coach"] as const) {
      const client = clients[actor];
      for (const path of [
        `/programs/${programId}/waves`,
        `/programs/${programId}/waves/${waveId}`,
        teamsPath(),
        `/programs/${programId}/teams/${team}`,
      ]) {
        expect((await client.get(path)).status, `${actor} GET ${path}`).toBe(200);
      }
      const waves = await client.get(`/programs/${programId}/waves`);
      expect(await waves.text()).not.toContain("Create wave");
      const teamsPage = await (await client.get(teamsPath())).text();
      expect(teamsPage).not.toContain('name="teamId"');

      const before = await teamsCsv(admin, programId);
      const audit = await latestAuditEvents(admin);
      const posts: Array<[string, Record<string, string> | URLSearchParams]> = [
        [`/programs/${programId}/waves`, { intent: "create", name: `By ${actor}`, startsOn: "", endsOn: "", goal: "" }],
        [`/programs/${programId}/waves/${waveId}`, { intent: "delete", confirm: "on" }],
        [teamsPath(), bulkForm({ intent: "assign", waveId }, [team])],
        [teamsPath(), bulkForm({ intent: "status", status: "running", changedOn: "", allMatching: "on" })],
      ];
      for (const [path, form] of posts) expect((await client.post(path, form)).status, `${actor} POST ${path}`).toBe(403);
      expect(await teamsCsv(admin, programId)).toBe(before);
      expect(await latestAuditEvents(admin)).toBe(audit);
    }
  });

  it("a team lead cannot open the plan's lists", async () => {
    for (const path of [`/programs/${programId}/waves`, teamsPath(), `/programs/${programId}/teams.csv`]) {
      expect((await clients.team_lead.get(path)).status, path).toBe(403);
    }
  });
});

describe("a team lead", () => {
  it("sees their own team's place in the plan, with wave, dates and status history, and is refused any other team", async () => {
    const lead = users.team_lead;
    await importOrg(admin, [{ name: lead.name, email: lead.email, unitPath: "Plan Co / Fleet", team: "Fleet North", lead: true }]);
    // The lead's person record is linked to their account (on the person's page of the organization).
    const people = await (await admin.get(`/org/people?q=${encodeURIComponent(lead.email)}`)).text();
    const personId = /href="\/org\/people\/([0-9a-f-]{36})"/.exec(people)?.[1];
    if (!personId) throw new Error("the imported lead is not in the people list");
    const linked = await admin.post(`/org/people/${personId}`, { intent: "link-account", accountEmail: lead.email });
    expect(linked.status, "linking the person to the team lead's account").toBe(302);

    const [mine] = await teamIdsNamed("Fleet North");
    const [other] = await teamIdsNamed("Dispatch 2");
    const waveId = await createWave(admin, programId, {
      name: "Fleet wave",
      startsOn: "2027-01-11",
      endsOn: "2027-03-26",
      goal: "Fleet runs its first cycle.",
    });
    expect((await admin.post(teamsPath(), bulkForm({ intent: "assign", waveId }, [mine]))).status).toBe(302);
    expect(
      (await admin.post(teamsPath(), bulkForm({ intent: "status", status: "onboarding", changedOn: "2026-11-16" }, [mine]))).status,
    ).toBe(302);

    const own = await clients.team_lead.get(`/programs/${programId}/teams/${mine}`);
    expect(own.status).toBe(200);
    const html = await own.text();
    for (const text of [
      "Fleet North",
      "Fleet wave",
      "11 Jan 2027",
      "26 Mar 2027",
      "Fleet runs its first cycle.",
      "Onboarding",
      "16 Nov 2026",
    ]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain(`href="/programs/${programId}/teams"`);
    expect((await clients.team_lead.get(`/programs/${programId}/teams/${other}`)).status).toBe(403);
    expect((await clients.team_lead.get(`/programs/${programId}/teams/00000000-0000-4000-8000-000000000000`)).status).toBe(403);
    expect((await clients.team_lead.get(`/programs/${programId}/teams/${other}.data`)).status).toBe(403);
  });
});
