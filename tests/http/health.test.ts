import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { decodeEntities, signIn } from "../support/http-fixtures";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Process health and graduation over HTTP: the PLO drills down to the teams behind every figure
// and acts from the page; a sponsor sees aggregates and never a team; the pages' query counts do
// not grow with the program; proposals are confirmed in bulk and show in the teams' history.

let server: RunningServer;
let small: GraduationWorld;
let big: GraduationWorld;
const clients: Record<string, HttpClient> = {};

beforeAll(async () => {
  ({
    server,
    world: [small, big],
  } = await startSeededServer(async (db) => [await graduationWorld(db), await graduationWorld(db, undefined, { extraTeams: 6 })] as const));
  for (const key of ["plo", "sponsor", "coach", "teamLead"] as const) {
    clients[key] = await signIn(server.url, { email: small.users[key].email, password: small.password });
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );

async function page(client: HttpClient, path: string): Promise<{ status: number; html: string; queries: number }> {
  const response = await client.get(path);
  return { status: response.status, html: await response.text(), queries: Number(response.headers.get("x-query-count")) };
}

async function toastAfter(client: HttpClient, response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(302);
  return text((await page(client, response.headers.get("location")!)).html);
}

describe("the health page", () => {
  it("shows the PLO the program's band with its reasons, the change since the previous cycle and the teams behind it", async () => {
    const { status, html } = await page(clients.plo, `/programs/${small.programId}/health`);
    expect(status).toBe(200);
    const words = text(html);
    expect(words).toMatch(/2026-Q4: \S+ \d+ · (Healthy|Needs attention|At risk)/);
    expect(words).toContain("Since 2026-Q3:");
    expect(words).toContain("By wave");
    expect(words).toContain("Health by cycle");
    for (const team of ["Alpha", "Echo", "Warehouse"]) expect(words).toContain(team);
    expect(html).toContain(`/programs/${small.programId}/teams/${small.teams.alpha}`);
  });

  it("drills down from a wave and a band to its teams, and shows an earlier cycle", async () => {
    const ended = await page(clients.plo, `/programs/${small.programId}/health?cycle=${small.endedCycleIds[1]}&wave=${small.waveId}`);
    expect(ended.status).toBe(200);
    const words = text(ended.html);
    expect(words).toContain("Process health · Wave 1");
    expect(words).toContain("2026-Q3:");
    expect(words).toContain("Delta");
    expect(words).toMatch(/Delta .*missed 3 of 5 check-in windows/);
    const atRisk = text((await page(clients.plo, `/programs/${small.programId}/health?band=at_risk`)).html);
    expect(atRisk).toContain("Teams · at risk");
    expect((await page(clients.plo, `/programs/${small.programId}/health?cycle=nope`)).status).toBe(404);
    expect((await page(clients.plo, `/programs/${small.programId}/health?unit=nope`)).status).toBe(404);
  });

  it("shows a sponsor the aggregates and never a team, also when narrowed to a wave", async () => {
    for (const path of [`/programs/${small.programId}/health`, `/programs/${small.programId}/health?wave=${small.waveId}&band=at_risk`]) {
      const { status, html } = await page(clients.sponsor, path);
      expect(status).toBe(200);
      const words = text(html);
      expect(words).toContain("By wave");
      for (const team of ["Alpha", "Bravo", "Delta", "Echo", "Warehouse", "Transport"]) expect(words).not.toContain(team);
      expect(html).not.toContain("/teams/");
      expect(words).not.toContain("What to do next");
    }
    expect((await clients.sponsor.post(`/programs/${small.programId}/health`, { intent: "clinic" })).status).toBe(403);
    expect((await page(clients.coach, `/programs/${small.programId}/health`)).status).toBe(403);
    expect((await page(clients.teamLead, `/programs/${small.programId}/health`)).status).toBe(403);
  });

  it("reads a program three times bigger with the same number of queries", async () => {
    const bigPlo = await signIn(server.url, { email: big.users.plo.email, password: big.password });
    // The first read after a change stores the facts of what changed (ADR 0021); then both read alike.
    await page(clients.plo, `/programs/${small.programId}/health`);
    await page(bigPlo, `/programs/${big.programId}/health`);
    const few = await page(clients.plo, `/programs/${small.programId}/health?cycle=${small.endedCycleIds[0]}`);
    const many = await page(bigPlo, `/programs/${big.programId}/health?cycle=${big.endedCycleIds[0]}`);
    expect(text(many.html)).toContain("Extra 6");
    expect(many.queries).toBe(few.queries);
    const fewProposals = await page(clients.plo, `/programs/${small.programId}/graduation`);
    const manyProposals = await page(bigPlo, `/programs/${big.programId}/graduation`);
    expect(manyProposals.queries).toBe(fewProposals.queries);
  });

  it("lets the PLO schedule a check-in clinic for a unit's stale teams from the page", async () => {
    const html = (await page(clients.plo, `/programs/${small.programId}/health`)).html;
    const form = /<form[^>]*aria-label="Schedule a check-in clinic for ([^"]+)"[\s\S]*?<\/form>/.exec(html);
    expect(form, "a clinic is recommended").not.toBeNull();
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form![0])![1];
    const response = await clients.plo.post(`/programs/${small.programId}/health`, {
      intent: "clinic",
      cycleId: value("cycleId"),
      unitId: value("unitId"),
      notes: decodeEntities(value("notes")),
      occursOn: "2027-01-15",
    });
    expect(await toastAfter(clients.plo, response)).toContain("Check-in clinic scheduled");
    const bad = await clients.plo.post(`/programs/${small.programId}/health`, {
      intent: "clinic",
      cycleId: value("cycleId"),
      unitId: value("unitId"),
      occursOn: "2027-02-30",
    });
    expect(bad.status).toBe(400);
    expect((await clients.plo.post(`/programs/${small.programId}/health`, { intent: "nothing" })).status).toBe(400);
  });
});

describe("the coach recommendation", () => {
  it("names the at-risk teams without a coach; the coaches are listed once the form is opened, and assigning one answers with a toast", async () => {
    const closed = await page(clients.plo, `/programs/${small.programId}/health`);
    expect(text(closed.html)).toMatch(/Assign a coach to the \d+ at-risk teams? without a primary coach/);
    expect(text(closed.html)).toMatch(/Choose a coach for these \d+ teams/);
    expect(closed.html).not.toContain('name="coachId"');

    const opened = await page(clients.plo, `/programs/${small.programId}/health?form=assign-coach`);
    const form = /<form[^>]*aria-label="Assign a coach to the at-risk teams"[\s\S]*?<\/form>/.exec(opened.html);
    expect(form, "the coach form is drawn").not.toBeNull();
    const teamIds = [...form![0].matchAll(/name="teamId" value="([^"]+)"/g)].map((m) => m[1]);
    const coachId = /<option value="([\w-]+)">/.exec(form![0])?.[1];
    expect(teamIds.length).toBeGreaterThan(0);
    expect(coachId).toBeTruthy();
    const body = new URLSearchParams({
      intent: "assign",
      kind: "primary",
      startsOn: /name="startsOn" value="([^"]+)"/.exec(form![0])![1],
      coachId: coachId!,
    });
    for (const id of teamIds) body.append("teamId", id);
    const response = await clients.plo.post(`/programs/${small.programId}/health?form=assign-coach`, body);
    expect(await toastAfter(clients.plo, response)).toMatch(/assigned|Assigned/);
  });
});

describe("graduation over HTTP", () => {
  it("confirms proposals in bulk; the teams' pages show the new status and its history", async () => {
    const html = (await page(clients.plo, `/programs/${small.programId}/graduation`)).html;
    expect(text(html)).toContain("Proposals (5)");
    const keys = [...html.matchAll(/name="proposal" value="([^"]+)"/g)].map((m) => m[1]);
    const alpha = keys.find((k) => k.startsWith(small.teams.alpha))!;
    const echo = keys.find((k) => k.startsWith(small.teams.echo))!;
    const body = new URLSearchParams([
      ["intent", "decide"],
      ["decision", "confirm"],
      ["proposal", alpha],
      ["proposal", echo],
    ]);
    expect(await toastAfter(clients.plo, await clients.plo.post(`/programs/${small.programId}/graduation`, body))).toContain(
      "Confirmed 2 proposals.",
    );
    const team = text((await page(clients.plo, `/programs/${small.programId}/teams/${small.teams.alpha}`)).html);
    expect(team).toContain("Self-sufficient");
    const again = await clients.plo.post(`/programs/${small.programId}/graduation`, body);
    expect(again.status).toBe(400);
    expect(text(await again.text())).toContain("None of the selected proposals stands any more");
  });

  it("lets only the PLO decide: a sponsor, a coach and a team lead are refused the proposals and the decisions, and nothing moves", async () => {
    const html = (await page(clients.plo, `/programs/${small.programId}/graduation`)).html;
    const bravo = [...html.matchAll(/name="proposal" value="([^"]+)"/g)].map((m) => m[1]).find((k) => k.startsWith(small.teams.bravo))!;
    expect(bravo).toBeDefined();
    for (const who of ["sponsor", "coach", "teamLead"] as const) {
      expect((await page(clients[who], `/programs/${small.programId}/graduation`)).status, who).toBe(403);
      const post = await clients[who].post(`/programs/${small.programId}/graduation`, {
        intent: "decide",
        decision: "confirm",
        proposal: bravo,
      });
      expect(post.status, who).toBe(403);
    }
    const after = (await page(clients.plo, `/programs/${small.programId}/graduation`)).html;
    expect(after).toContain(`value="${bravo}"`);
    expect(text((await page(clients.plo, `/programs/${small.programId}/teams/${small.teams.bravo}`)).html)).not.toContain(
      "Self-sufficient",
    );
  });

  it("rejects only the ticked proposals and keeps the others to decide; bad selections get a message beside the boxes", async () => {
    const html = (await page(clients.plo, `/programs/${small.programId}/graduation`)).html;
    const keys = [...html.matchAll(/name="proposal" value="([^"]+)"/g)].map((m) => m[1]);
    const before = text(html).match(/Proposals \((\d+)\)/)![1];
    const bravo = keys.find((k) => k.startsWith(small.teams.bravo))!;
    const words = await toastAfter(
      clients.plo,
      await clients.plo.post(`/programs/${small.programId}/graduation`, { intent: "decide", decision: "reject", proposal: bravo }),
    );
    expect(words).toContain("Rejected 1 proposal.");
    expect(words).toContain(`Proposals (${Number(before) - 1})`);
    const left = (await page(clients.plo, `/programs/${small.programId}/graduation`)).html;
    expect(left).not.toContain(`value="${bravo}"`);
    for (const other of keys.filter((k) => k !== bravo)) expect(left).toContain(`value="${other}"`);
    expect(text(left)).toMatch(/Bravo\s*: Running → Self-sufficient rejected/);

    for (const [form, message] of [
      [{ intent: "decide", decision: "confirm" }, "Select at least one proposal."],
      [{ intent: "decide", decision: "confirm", proposal: "not a proposal" }, "Some selected proposals are not valid."],
      [{ intent: "decide", decision: "maybe", proposal: keys[0] }, "Choose confirm or reject."],
    ] as const) {
      const bad = await clients.plo.post(`/programs/${small.programId}/graduation`, form);
      expect(bad.status).toBe(400);
      const body = await bad.text();
      expect(text(body)).toContain(message);
      expect(body).toMatch(/id="proposal-error"/);
    }
  });

  it("saves the program's rules and refuses nonsense", async () => {
    const bad = await clients.plo.post(`/programs/${small.programId}/graduation`, {
      intent: "rules",
      consecutiveCycles: "0",
      minWindowsPercent: "120",
    });
    expect(bad.status).toBe(400);
    const ok = await clients.plo.post(`/programs/${small.programId}/graduation`, {
      intent: "rules",
      consecutiveCycles: "1",
      minWindowsPercent: "80",
      requireScored: "on",
      minMaturity: "",
    });
    expect(await toastAfter(clients.plo, ok)).toContain("Graduation rules saved.");
    expect(text((await page(clients.plo, `/programs/${small.programId}/graduation`)).html)).toContain(
      "1 consecutive ended cycle with at least 80 %",
    );
  });
});
