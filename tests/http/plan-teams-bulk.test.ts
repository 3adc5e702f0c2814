import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { clientsForEveryRole, createProgram, decodeEntities, setUpInstallation, type Actor } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { createWave, importOrg, planTeams, teamRows } from "./authz-rows/plan-teams";

// Safe bulk changes of the team list (issue 18), as a browser without JavaScript posts them:
// exact counts from the server, a confirmation step before teams under way leave their wave,
// "Undo" for one's own change, and an empty filter result that offers "Clear filters".

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let programId: string;
let waveA: string;
let waveB: string;
let ids: string[];

const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );
const teamsPath = (search = "") => `/programs/${programId}/teams${search}`;
function bulkForm(fields: Record<string, string>, teamIds: string[] = []) {
  const form = new URLSearchParams(fields);
  for (const id of teamIds) form.append("teamId", id);
  return form;
}
/** How many of the Bulk teams each wave holds, from the list. */
async function inWave(name: string): Promise<number> {
  const teams = await planTeams(clients.plo, programId, "?q=Bulk");
  return [...teams.values()].filter((t) => t.text.includes(name)).length;
}

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
  programId = await createProgram(installation.client, { name: "Bulk over HTTP", status: "active" });
  await importOrg(installation.client, teamRows("Bulk Co / Ops", "Bulk", 29));
  waveA = await createWave(clients.plo, programId, { name: "Wave Alpha" });
  waveB = await createWave(clients.plo, programId, { name: "Wave Beta" });
  const teams = await planTeams(clients.plo, programId, "?q=Bulk&sort=name");
  ids = [...teams.values()].map((t) => t.id);
  expect(ids).toHaveLength(29);
  // 10 teams in Alpha; 9 in Beta and running.
  expect((await clients.plo.post(teamsPath(), bulkForm({ intent: "assign", waveId: waveA }, ids.slice(0, 10)))).status).toBe(302);
  expect((await clients.plo.post(teamsPath(), bulkForm({ intent: "assign", waveId: waveB }, ids.slice(10, 19)))).status).toBe(302);
  const running = await clients.plo.post(teamsPath(), bulkForm({ intent: "status", status: "running" }, ids.slice(10, 19)));
  expect(running.status).toBe(302);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("bulk changes of the team list", () => {
  it("moving running teams out of their wave states the exact counts and asks first; nothing changes until confirmed", async () => {
    const asked = await clients.plo.post(teamsPath("?q=Bulk"), bulkForm({ intent: "assign", waveId: waveA, allMatching: "on" }));
    expect(asked.status).toBe(200);
    const seen = text(await asked.text());
    expect(seen).toContain(
      "29 teams: 10 already in this wave are skipped, 9 teams under way (onboarding, first cycle or running) would leave their current wave. 19 teams will change.",
    );
    expect(seen).toContain("Move 19 teams to “Wave Alpha”");
    expect(await inWave("Wave Alpha")).toBe(10);
    expect(await inWave("Wave Beta")).toBe(9);
  });

  it("the bar's live preview counts before any submit, for the selection or all matching; only writers may ask", async () => {
    const preview = async (who: Actor, fields: Record<string, string>, teamIds: string[] = []) => {
      const query = bulkForm(fields, teamIds);
      const answer = await clients[who].get(`/programs/${programId}/teams/bulk-preview?q=Bulk&${query}`);
      return {
        status: answer.status,
        body: answer.status === 200 ? ((await answer.json()) as { assign: string | null; status: string | null }) : null,
      };
    };
    const all = await preview("plo", { waveId: waveA, allMatching: "on" });
    expect(all.status).toBe(200);
    expect(all.body?.assign).toBe(
      "Assign to “Wave Alpha”: 29 teams: 10 already in this wave are skipped, 9 teams under way (onboarding, first cycle or running) would leave their current wave. 19 teams will change.",
    );
    // Five selected rows: three from Alpha, two running in Beta.
    const some = await preview("plo", { waveId: waveA, status: "running" }, [...ids.slice(7, 10), ...ids.slice(10, 12)]);
    expect(some.body?.assign).toContain("5 teams: 3 already in this wave are skipped, 2 teams under way");
    expect(some.body?.status).toBe("Set to “Running”: 5 teams: 2 already with this status are skipped. 3 teams will change.");
    // Nothing chosen, a wave of nowhere: no preview, no error page.
    expect((await preview("plo", { waveId: waveA })).body).toEqual({ assign: null, status: null });
    expect((await preview("plo", { waveId: "not-a-wave", allMatching: "on" })).body).toEqual({ assign: null, status: null });
    // Readers may not ask what a change would do.
    for (const who of ["coach", "sponsor"] as const) expect((await preview(who, { waveId: waveA, allMatching: "on" })).status).toBe(403);
    // Asking changed nothing.
    expect(await inWave("Wave Alpha")).toBe(10);
  });

  it("confirmed, the change is made and can be undone once, by its author, putting every team back", async () => {
    const done = await clients.plo.post(
      teamsPath("?q=Bulk"),
      bulkForm({ intent: "assign", waveId: waveA, allMatching: "on", confirmed: "yes" }),
    );
    expect(done.status).toBe(302);
    const location = done.headers.get("location") ?? "";
    const auditId = /bulk=(\d+)/.exec(location)?.[1];
    expect(auditId).toBeTruthy();
    expect(await inWave("Wave Alpha")).toBe(29);
    // The page offers "Undo" to its author only.
    const page = text(await (await clients.plo.get(location)).text());
    expect(page).toContain("Assigned 19 teams to wave “Wave Alpha”.");
    expect(page).toContain("Undo");
    expect(text(await (await clients.admin.get(location)).text())).not.toContain("Assigned 19 teams to wave");
    expect((await clients.admin.post(location, { intent: "undo", auditId: auditId! })).status).toBe(403);

    const undone = await clients.plo.post(location, { intent: "undo", auditId: auditId! });
    expect(undone.status).toBe(302);
    expect(undone.headers.get("location")).not.toContain("bulk=");
    expect(await inWave("Wave Alpha")).toBe(10);
    expect(await inWave("Wave Beta")).toBe(9);
    expect((await clients.plo.post(location, { intent: "undo", auditId: auditId! })).status).toBe(409);
  });

  it("a move that takes no team under way out of its wave needs no confirmation; a status change is undone with its history", async () => {
    const free = ids.slice(19, 29);
    const moved = await clients.plo.post(teamsPath(), bulkForm({ intent: "assign", waveId: waveB }, free));
    expect(moved.status).toBe(302);
    expect(await inWave("Wave Beta")).toBe(19);

    const status = await clients.plo.post(teamsPath(), bulkForm({ intent: "status", status: "onboarding" }, free));
    expect(status.status).toBe(302);
    const auditId = /bulk=(\d+)/.exec(status.headers.get("location") ?? "")?.[1];
    const teams = await planTeams(clients.plo, programId, "?q=Bulk&status=onboarding");
    expect(teams.size).toBe(10);
    expect((await clients.plo.post(teamsPath(), { intent: "undo", auditId: auditId! })).status).toBe(302);
    expect((await planTeams(clients.plo, programId, "?q=Bulk&status=onboarding")).size).toBe(0);
    const history = text(await (await clients.plo.get(`/programs/${programId}/teams/${free[0]}`)).text());
    expect(history).toContain("No status change yet");
  });

  it("the audit log shows each change on one readable line, its details (the team ids) folded away until asked for", async () => {
    const html = await (await clients.admin.get("/admin/audit?q=Wave%20Alpha")).text();
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Assigned 10 teams to wave “Wave Alpha”[\s\S]*?<\/tr>/.exec(html)?.[0] ?? "";
    expect(row).toContain("plan.teams_assigned");
    expect(row).toMatch(/<details class="audit-details"><summary>\d+ fields/);
    // The JSON is inside the folded part only.
    const outside = row.replace(/<details[\s\S]*?<\/details>/g, "");
    expect(outside).not.toContain("teamIds");
    expect(row).toContain("teamIds");
  });

  it("an empty filter result offers “Clear filters” instead of bulk actions on 0 teams", async () => {
    const seen = text(await (await clients.plo.get(teamsPath("?q=no-such-team-anywhere"))).text());
    expect(seen).toContain("No rows match these filters.");
    expect(seen).toContain("Clear filters");
    expect(seen).not.toContain("Apply to all 0 teams");
    expect(seen).not.toContain("0–0 of 0");
  });
});
