import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { clientsForEveryRole, createProgram, setUpInstallation, type Actor } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createWave, importOrg, planTeams, teamRows } from "./authz-rows/plan-teams";

// The program overview per role: the PLO's plan summary with its empty states, what readers see
// of it, and what they do not (recent changes, the RACI status).

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let programId: string;

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
  programId = await createProgram(clients.plo, { name: "Overview rollout", status: "active" });
});
afterAll(async () => {
  await server?.stop();
});

const page = async (actor: Actor) => (await clients[actor].get(`/programs/${programId}`)).text();

describe("the program overview", () => {
  it("tells a PLO with an empty organization where to start", async () => {
    const html = await page("plo");
    expect(html).toContain("Teams by wave and onboarding status");
    expect(html).toContain('href="/org/import"');
    expect(html).toContain("Plan the first wave");
    expect(html).toContain("No milestone is late.");
    expect(html).toContain("Recent changes");
    expect(html).toContain("RACI matrix");
  });

  it("shows a sponsor and a coach the plan but not the PLO's working cards", async () => {
    for (const actor of ["sponsor", "coach"] as const) {
      const html = await page(actor);
      expect(html).toContain("Teams by wave and onboarding status");
      expect(html).not.toContain('href="/org/import"');
      expect(html).not.toContain("Plan the first wave");
      expect(html).not.toContain("Recent changes");
      expect(html).not.toContain("Start it from the template");
    }
  });

  it("shows a team lead their own team's card and none of the plan", async () => {
    const html = await page("team_lead");
    expect(html).toContain("Your team");
    expect(html).not.toContain("Teams by wave and onboarding status");
    expect(html).not.toContain("Top risks");
  });

  it("counts a wave's teams by status, each number linking to those teams", async () => {
    const wave = await clients.plo.post(`/programs/${programId}/waves`, {
      intent: "create",
      name: "Wave A",
      startsOn: "",
      endsOn: "",
      goal: "",
    });
    expect(wave.status).toBe(302);
    const waveId = wave.headers.get("location")!.split("/").pop()!;
    const html = await page("plo");
    expect(html).toContain(`href="/programs/${programId}/waves/${waveId}"`);
    expect(html).not.toContain("Plan the first wave");
  });

  it("draws rollout progress by wave and status as a chart with a text alternative, beside the table", async () => {
    const admin = clients.admin;
    await importOrg(admin, teamRows("Chart Co / Ops", "Chart", 5));
    const waveId = await createWave(clients.plo, programId, { name: "Chart wave" });
    const ids = [...(await planTeams(clients.plo, programId, "?q=Chart&sort=name")).values()].map((t) => t.id);
    const form = (fields: Record<string, string>, teamIds: string[]) => {
      const body = new URLSearchParams(fields);
      for (const id of teamIds) body.append("teamId", id);
      return body;
    };
    const teams = `/programs/${programId}/teams`;
    expect((await clients.plo.post(teams, form({ intent: "assign", waveId }, ids.slice(0, 3)))).status).toBe(302);
    expect((await clients.plo.post(teams, form({ intent: "status", status: "running" }, ids.slice(0, 1)))).status).toBe(302);
    for (const who of ["plo", "sponsor"] as const) {
      const html = await page(who);
      expect(html).toContain("Rollout progress by wave");
      // The chart's words say what its bars show: per wave, the teams by status.
      expect(html).toMatch(/Chart wave: 3 teams \(2 not started, 1 running\)/);
      expect(html).toMatch(/No wave yet: \d+ teams \(\d+ not started\)/);
      // Its legend names every status in words (readable without colour).
      const legend = (/<ul class="wsc__legend"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? "").replace(/<[^>]+>|<!-- -->/g, "");
      for (const label of ["Not started", "Onboarding", "First cycle", "Running", "Self-sufficient"]) expect(legend).toContain(label);
    }
  });
});
