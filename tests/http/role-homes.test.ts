import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { createProgram, decodeEntities, latestAuditEvents, setUpInstallation, signIn } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { assignTeam, createCoachAccount, dayFromToday, importTeams, today, type CoachAccount } from "./authz-rows/coaching-coach";

// Role homes over HTTP (issue 18): a coach's home is their teams, each with a one-step log
// pre-filled from what the team needs next; the log's "Undo" takes back only one's own session
// and only within the undo window.

/** The visible text of a page (no scripts, no tags). */
const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );

interface CoachWorld {
  admin: HttpClient;
  programId: string;
  falcons: { id: string; name: string };
  herons: { id: string; name: string };
  amara: CoachAccount;
  bo: CoachAccount;
  amaraClient: HttpClient;
  boClient: HttpClient;
}

async function coachWorld(server: RunningServer): Promise<CoachWorld> {
  const { client: admin } = await setUpInstallation(server.url);
  const programId = await createProgram(admin, { name: "Homes program", status: "active" });
  const [falcons, herons] = await importTeams(admin, programId, "Homes Co", ["Falcons", "Herons"]);
  const amara = await createCoachAccount(admin, programId, { name: "Amara Coach" });
  const bo = await createCoachAccount(admin, programId, { name: "Bo Coach" });
  await assignTeam(admin, programId, amara.coachId, falcons.id, dayFromToday(-30));
  await assignTeam(admin, programId, bo.coachId, herons.id, dayFromToday(-30));
  return {
    admin,
    programId,
    falcons,
    herons,
    amara,
    bo,
    amaraClient: await signIn(server.url, amara.user),
    boClient: await signIn(server.url, bo.user),
  };
}

function quickLog(teamId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { intent: "log", teamId, heldOn: today(), type: "training", durationMinutes: "60", attendees: "1", ...overrides };
}

/** Logs from the home; returns the new session's id (from the redirect's `logged=`). */
async function logFromHome(client: HttpClient, programId: string, teamId: string): Promise<string> {
  const response = await client.post(`/programs/${programId}/my-teams`, quickLog(teamId));
  expect(response.status).toBe(302);
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(new RegExp(`^/programs/${programId}/my-teams\\?logged=`));
  return decodeURIComponent(/logged=([^&]+)/.exec(location)![1]);
}

describe("a coach's home", () => {
  let server: RunningServer;
  let w: CoachWorld;
  beforeAll(async () => {
    server = await startServer();
    w = await coachWorld(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("after sign-in a coach lands on their teams, not the program overview", async () => {
    const start = await w.amaraClient.get("/");
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe(`/programs/${w.programId}/my-teams`);
    // The PLO and admin still start from the overview.
    const adminStart = await w.admin.get("/");
    expect(adminStart.headers.get("location")).toBe(`/programs/${w.programId}`);
  });

  it("each team has a one-step log pre-filled with the suggested type, a duration and the team's size", async () => {
    const response = await w.amaraClient.get(`/programs/${w.programId}/my-teams`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const form = /<form[^>]*aria-label="Log a session with [^"]*"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
    expect(form).toContain(`value="${w.falcons.id}"`);
    // A team with no session yet needs an introduction: training is suggested.
    expect(form).toMatch(/<option value="training" selected="">/);
    expect(form).toMatch(/name="durationMinutes"[^>]*value="60"/);
    // The imported team has its lead as its only member.
    expect(form).toMatch(/name="attendees"[^>]*required=""[^>]*value="1"|name="attendees"[^>]*value="1"[^>]*/);
    expect(html).not.toContain(w.herons.name);
  });

  it("the full session form starts with attendees at the team's size and says the field is required", async () => {
    const html = await (await w.amaraClient.get(`/programs/${w.programId}/sessions/new?team=${w.falcons.id}`)).text();
    expect(html).toMatch(/name="attendees"[^>]*value="1"/);
    expect(text(html)).toContain("Required: how many people took part");
  });

  it("one post logs the session and the home confirms it with an Undo; undo removes it and is audited", async () => {
    const id = await logFromHome(w.amaraClient, w.programId, w.falcons.id);
    const home = text(await (await w.amaraClient.get(`/programs/${w.programId}/my-teams?logged=${id}`)).text());
    expect(home).toContain(`Training session logged for ${w.falcons.name}.`);
    expect(home).toContain("Undo");
    const undone = await w.amaraClient.post(`/programs/${w.programId}/my-teams`, { intent: "undo", sessionId: id });
    expect(undone.status).toBe(302);
    expect(undone.headers.get("location")).toBe(`/programs/${w.programId}/my-teams`);
    expect((await w.amaraClient.get(`/programs/${w.programId}/sessions/${id}`)).status).toBe(404);
    expect(text(await latestAuditEvents(w.admin))).toContain(`Undid the training session with “${w.falcons.name}”`);
  });

  it("a quick log with a bad number is refused beside the field, nothing saved", async () => {
    const response = await w.amaraClient.post(`/programs/${w.programId}/my-teams`, quickLog(w.falcons.id, { attendees: "0" }));
    expect(response.status).toBe(400);
    expect(text(await response.text())).toContain("Attendees must be a whole number from 1 to 500.");
  });

  it("a coach cannot log for a team they do not coach, nor undo another coach's session", async () => {
    const refused = await w.amaraClient.post(`/programs/${w.programId}/my-teams`, quickLog(w.herons.id));
    expect(refused.status).toBe(400);
    expect(text(await refused.text())).toContain("You are not assigned to this team on that date.");
    const bosSession = await logFromHome(w.boClient, w.programId, w.herons.id);
    const stolen = await w.amaraClient.post(`/programs/${w.programId}/my-teams`, { intent: "undo", sessionId: bosSession });
    expect(stolen.status).toBe(403);
    // Not through the session's page either.
    expect((await w.amaraClient.post(`/programs/${w.programId}/sessions/${bosSession}`, { intent: "undo" })).status).toBe(403);
    // The PLO (admin) did not log it: their Undo is refused too (they delete with confirmation instead).
    expect((await w.admin.post(`/programs/${w.programId}/my-teams`, { intent: "undo", sessionId: bosSession })).status).toBe(403);
    expect((await w.boClient.get(`/programs/${w.programId}/sessions/${bosSession}`)).status).toBe(200);
  });
});

describe("the undo window", () => {
  let server: RunningServer;
  let w: CoachWorld;
  beforeAll(async () => {
    server = await startServer({ SESSION_UNDO_SECONDS: "1" });
    w = await coachWorld(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("after the window, Undo is refused with a message and the session stays", async () => {
    const id = await logFromHome(w.amaraClient, w.programId, w.falcons.id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const late = await w.amaraClient.post(`/programs/${w.programId}/my-teams`, { intent: "undo", sessionId: id });
    expect(late.status).toBe(400);
    expect(text(await late.text())).toContain("The time to undo has passed.");
    const lateToo = await w.amaraClient.post(`/programs/${w.programId}/sessions/${id}`, { intent: "undo" });
    expect(lateToo.status).toBe(400);
    expect((await w.amaraClient.get(`/programs/${w.programId}/sessions/${id}`)).status).toBe(200);
  });
});

describe("the administrator's home", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("adds accounts by role, recent failed sign-ins, a link to backups and the installation's health to the overview", async () => {
    const { client: admin, admin: adminUser } = await setUpInstallation(server.url);
    const programId = await createProgram(admin, { name: "Admin home program", status: "active" });
    const { HttpClient } = await import("../support/http-client");
    const stranger = new HttpClient(server.url);
    expect((await stranger.post("/login", { email: adminUser.email, password: "not-the-password" })).status).toBe(401);
    const page = text(await (await admin.get(`/programs/${programId}`)).text());
    expect(page).toContain("Accounts");
    expect(page).toContain("1 active · 0 inactive");
    expect(page).toContain("Administrator: 1");
    expect(page).toContain("Failed sign-in");
    expect(page).toContain("Pending migrations None");
    expect(page).toMatch(/Version \d+\.\d+\.\d+/);
    expect(await (await admin.get(`/programs/${programId}`)).text()).toContain('href="/admin/backups"');
  });
});
