import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { decodeEntities, signIn } from "../support/http-fixtures";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { teamHomeWorld, type TeamHomeWorld } from "../support/team-home";

// The home of a team lead and of a team member (issue 18), over HTTP: where "/" lands them, what
// each sees of their own team (coach, checklist, what comes next, key results to check in on,
// training) and that they see nothing of another team.

let server: RunningServer;
let w: TeamHomeWorld;
const clients: Partial<Record<keyof TeamHomeWorld["users"], HttpClient>> = {};

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => teamHomeWorld(db)));
  for (const key of ["teamLead", "member", "otherLead", "plo", "coach"] as const)
    clients[key] = await signIn(server.url, { email: w.users[key].email, password: w.password });
});
afterAll(async () => {
  await server?.stop();
});

const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );
const home = () => `/programs/${w.programId}/my-team`;

describe("the team lead's and member's home", () => {
  it("after sign-in a team lead and a member land on their team's home", async () => {
    for (const key of ["teamLead", "member"] as const) {
      const start = await clients[key]!.get("/");
      expect(start.status).toBe(302);
      expect(start.headers.get("location")).toBe(home());
    }
  });

  it("a team lead sees their team's coach, checklist, upcoming events, training gaps and every key result with one check-in link", async () => {
    const page = await clients.teamLead!.get(home());
    expect(page.status).toBe(200);
    const html = await page.text();
    const seen = text(html);
    expect(seen).toContain("My team");
    expect(seen).toContain("Warehouse");
    expect(seen).toContain("Cora Coach");
    expect(seen).toContain("Cycle checklist · 2026-Q4");
    for (const kr of ["Orders shipped same day", "Picking errors per week", "New packing line running", "Near misses reported"])
      expect(seen).toContain(kr);
    expect(html).toContain(`href="/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}/check-in"`);
    expect(seen).toContain("Check in for Warehouse");
    // Upcoming: the events that apply to the team, and the training they are invited to.
    expect(seen).toContain("Company check-in");
    expect(seen).toContain("Wave 1 alignment");
    expect(seen).toContain("Training: OKR Fundamentals");
    expect(seen).toContain("You are invited");
    expect(seen).not.toContain("Wave 2 kick-off");
    expect(seen).not.toContain("Cancelled review");
    expect((seen.match(/Training: OKR Fundamentals/g) ?? []).length).toBe(1);
    // Training the team still needs.
    expect(seen).toMatch(/\d of \d members? lacks? OKR Fundamentals/);
    // Nothing of the other team.
    expect(seen).not.toContain("Transport");
    expect(seen).not.toContain("Deliveries on time");
  });

  it("a member sees only the key results they own, their own training, and no team-wide training gaps", async () => {
    const page = await clients.member!.get(home());
    expect(page.status).toBe(200);
    const html = await page.text();
    const seen = text(html);
    expect(seen).toContain("My key results");
    expect(seen).toContain("Orders shipped same day");
    expect(seen).not.toContain("Picking errors per week");
    expect(seen).not.toContain("Near misses reported");
    expect(seen).toContain("Check in on my key results");
    expect(html).toContain(`href="/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}/check-in"`);
    expect(seen).toContain("My training");
    expect(seen).toContain("OKR Fundamentals · Due");
    expect(seen).not.toContain("Training the team still needs");
    expect(seen).toContain("Cora Coach");
  });

  it("another team's lead sees their own team only", async () => {
    const seen = text(await (await clients.otherLead!.get(home())).text());
    expect(seen).toContain("Transport");
    expect(seen).toContain("Deliveries on time");
    expect(seen).toContain("No coach yet");
    expect(seen).not.toContain("Warehouse");
    expect(seen).not.toContain("Orders shipped same day");
  });

  it("the PLO and coaches have homes of their own: the team home refuses them", async () => {
    expect((await clients.plo!.get(home())).status).toBe(403);
    expect((await clients.coach!.get(home())).status).toBe(403);
  });
});
