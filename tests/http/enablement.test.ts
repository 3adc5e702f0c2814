import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import {
  clientsForEveryRole,
  createProgram,
  decodeEntities,
  latestAuditEvents,
  queryCount,
  setUpInstallation,
  signIn,
  type Actor,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { assignTeam, createCoachAccount, dayFromToday, type CoachAccount } from "./authz-rows/coaching-coach";
import { createRequirement, createTrainingModule, scheduleSession, trainingSessionForm } from "./authz-rows/enablement";
import { createWave, importOrg, planTeams } from "./authz-rows/plan-teams";

// Enablement over HTTP: scheduling a session, inviting a wave's members in bulk (people who
// already meet the module left out, the rest seated up to the capacity and then waiting), a seat
// freed moving the waiting list up, the trainer marking the class list of their own session
// (another coach refused), a coach seeing only their teams' names, a sponsor only figures.

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let admin: HttpClient;
let programId: string;
let waveId: string;
let moduleId: string;
let alpha: { id: string; name: string };
let beta: { id: string; name: string };
let trainer: CoachAccount;
let other: CoachAccount;
let trainerClient: HttpClient;
let otherClient: HttpClient;
const people: Record<string, string> = {};

const path = (rest: string) => `/programs/${programId}/enablement${rest}`;
const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );

async function page(client: HttpClient, target: string, status = 200): Promise<string> {
  const response = await client.get(target);
  expect(response.status, `GET ${target}`).toBe(status);
  return text(await response.text());
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
  admin = clients.admin;
  programId = await createProgram(admin, { name: "Enablement rollout", status: "active" });
  waveId = await createWave(admin, programId, { name: "Wave 1", startsOn: dayFromToday(20), endsOn: dayFromToday(120) });
  const tag = randomBytes(3).toString("hex");
  const row = (name: string, team: string, lead = false) => {
    const email = `${name.toLowerCase()}-${tag}@example.com`;
    people[name] = email;
    return { name: `${name} ${tag}`, email, unitPath: `Enablement ${tag}`, team: `${team} ${tag}`, lead };
  };
  await importOrg(admin, [
    row("Ada", "Alpha", true),
    row("Ben", "Alpha"),
    row("Cleo", "Alpha"),
    row("Dan", "Beta", true),
    row("Eve", "Beta"),
  ]);
  const teams = await planTeams(admin, programId, `?q=${tag}`);
  alpha = { id: teams.get(`Alpha ${tag}`)!.id, name: `Alpha ${tag}` };
  beta = { id: teams.get(`Beta ${tag}`)!.id, name: `Beta ${tag}` };
  const form = new URLSearchParams({ intent: "assign", waveId });
  form.append("teamId", alpha.id);
  form.append("teamId", beta.id);
  expect((await admin.post(`/programs/${programId}/teams`, form)).status).toBe(302);
  moduleId = await createTrainingModule(admin, programId, { title: "Fundamentals" });
  await createRequirement(admin, programId, {
    moduleId,
    audience: "team_member",
    scope: "wave",
    waveId,
    dueRule: "before_wave",
    dueDays: "7",
  });
  trainer = await createCoachAccount(admin, programId, { name: "Tara Trainer" });
  other = await createCoachAccount(admin, programId, { name: "Otto Other" });
  await assignTeam(admin, programId, trainer.coachId, alpha.id, dayFromToday(-10));
  await assignTeam(admin, programId, other.coachId, beta.id, dayFromToday(-10));
  trainerClient = await signIn(server.url, trainer.user);
  otherClient = await signIn(server.url, other.user);
});
afterAll(async () => {
  await server?.stop();
});

describe("scheduling, inviting and marking attendance", () => {
  let sessionId: string;

  it("refuses a session with an unknown time zone beside the field, and schedules a valid one in its time zone", async () => {
    const bad = await admin.post(path("/sessions"), trainingSessionForm({ moduleId, timeZone: "Mars/Olympus" }));
    expect(bad.status).toBe(400);
    expect(decodeEntities(await bad.text())).toContain("Choose a known time zone, like Europe/Berlin.");
    sessionId = await scheduleSession(admin, programId, {
      moduleId,
      capacity: "3",
      trainerEmail: trainer.user.email,
      time: "09:30",
      timeZone: "Europe/Berlin",
    });
    expect(await page(admin, path(`/sessions/${sessionId}`))).toContain("09:30 (Europe/Berlin)");
  });

  it("invites the wave's members who still need the module: seats first, then the waiting list; those who meet it are left out", async () => {
    const done = await admin.post(path("/records"), {
      intent: "completion",
      email: people.Eve,
      moduleId,
      completedOn: dayFromToday(-3),
      evidence: "Certificate 42",
    });
    expect(done.status).toBe(302);
    const invited = await admin.post(path(`/sessions/${sessionId}`), {
      intent: "invite",
      audience: "team_member",
      waveId,
      unitId: "",
      limit: "",
    });
    expect(invited.status).toBe(302);
    const view = await page(admin, path(`/sessions/${sessionId}`));
    expect(view).toContain("Invited 3; 1 on the waiting list; 1 left out (already met)");
    expect(view).toContain("3 of 3 seats, 1 waiting");
    expect(view).not.toContain(`Eve`);
  });

  it("moves the waiting list up when someone is excused", async () => {
    const html = await (await admin.get(path(`/sessions/${sessionId}`))).text();
    const firstSeated = /name="present"[^>]*value="([^"]+)"/.exec(html)![1];
    const excused = await admin.post(path(`/sessions/${sessionId}`), { intent: "excuse", personId: firstSeated });
    expect(excused.status).toBe(302);
    const view = await page(admin, path(`/sessions/${sessionId}`));
    expect(view).toContain("Excused; the first on the waiting list got the seat.");
    expect(view).toContain("Registered");
    expect(view).not.toContain("Waiting list");
  });

  it("lets another coach neither see nor mark the session, and its trainer mark the class list", async () => {
    expect((await otherClient.get(path(`/sessions/${sessionId}`))).status).toBe(403);
    const before = await latestAuditEvents(admin);
    const refused = await otherClient.post(path(`/sessions/${sessionId}`), { intent: "attendance", allPresent: "on" });
    expect(refused.status).toBe(403);
    expect(await latestAuditEvents(admin)).toBe(before);
    expect(await page(trainerClient, path("/sessions"))).toContain("Fundamentals");
    expect(await page(otherClient, path("/sessions"))).toContain("You train no session in this program.");
    // The trainer may not change the roster.
    expect((await trainerClient.post(path(`/sessions/${sessionId}`), { intent: "state", state: "cancelled" })).status).toBe(403);
    const html = await (await trainerClient.get(path(`/sessions/${sessionId}`))).text();
    const present = [...html.matchAll(/name="present"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
    const form = new URLSearchParams({ intent: "attendance" });
    form.append("present", present[1]);
    form.append("present", present[2]);
    const marked = await trainerClient.post(path(`/sessions/${sessionId}`), form);
    expect(marked.status).toBe(302);
    const view = await page(trainerClient, path(`/sessions/${sessionId}`));
    expect(view).toContain("Attendance saved: 2 attended, 1 no-show, 1 excused.");
    expect(view).toContain("Held");
  });
});

describe("who sees what", () => {
  it("shows a coach their own team's names and gaps, and refuses another coach's team", async () => {
    const own = await page(trainerClient, path(`/teams/${alpha.id}`));
    expect(own).toContain(`Training of ${alpha.name}`);
    expect(own).toMatch(/\d of 3 members lacks? Fundamentals/);
    await page(trainerClient, path(`/teams/${beta.id}`), 403);
    await page(clients.team_lead, path(`/teams/${alpha.id}`), 403);
    const myTeams = await page(trainerClient, `/programs/${programId}/my-teams`);
    expect(myTeams).toMatch(/\d of 3 members lacks? Fundamentals/);
  });

  it("answers a team's training and a person's “what I still need” with the same few queries whatever the team or person", async () => {
    const team = await queryCount(admin, path(`/teams/${alpha.id}`));
    expect(await queryCount(admin, path(`/teams/${beta.id}`))).toBe(team);
    expect(team).toBeLessThanOrEqual(3);
    const mine = await queryCount(trainerClient, path("/mine"));
    expect(await queryCount(otherClient, path("/mine"))).toBe(mine);
    expect(mine).toBeLessThanOrEqual(3);
  });

  it("gives a sponsor the figures and never the names", async () => {
    const figures = await page(clients.sponsor, path(""));
    expect(figures).toContain("Enablement coverage");
    expect(figures).toContain("Fundamentals");
    expect(figures).toContain("Wave 1");
    for (const name of ["Ada", "Ben", "Cleo", "Dan", "Eve"]) expect(figures).not.toContain(people[name]);
    const drill = `?module=${moduleId}&group=${waveId}`;
    expect((await clients.sponsor.get(path(drill))).status).toBe(403);
    expect((await clients.sponsor.get(`/programs/${programId}/enablement.data${drill}`)).status).toBe(403);
    const names = await page(admin, path(drill));
    expect(names).toContain(people.Eve);
  });

  it("the heat map (read through the cache) follows a completion recorded at once", async () => {
    const cell = (html: string) => /Wave 1 (\d+)\s*% on time/.exec(html)?.[1];
    const before = await page(clients.sponsor, path(""));
    const share = cell(before);
    expect(share, "the Fundamentals × Wave 1 cell").toBeDefined();
    const recorded = await admin.post(path("/records"), {
      intent: "completion",
      email: people.Dan,
      moduleId,
      completedOn: dayFromToday(0),
      evidence: "Signed class list",
    });
    expect(recorded.status).toBe(302);
    const after = await page(clients.sponsor, path(""));
    expect(Number(cell(after))).toBeGreaterThan(Number(share));
  });

  it("exports the PLO's overdue list as CSV", async () => {
    const response = await admin.get(path("/overdue.csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(await response.text()).toContain("person,email,audience,module,due_on");
  });
});
