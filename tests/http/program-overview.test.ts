import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { clientsForEveryRole, createProgram, setUpInstallation, type Actor } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

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
});
