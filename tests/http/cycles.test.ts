import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { createProgram, createUser, decodeEntities, setUpInstallation, signIn, queryCount } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { assignTeam, createCoachAccount, dayFromToday, importTeams } from "./authz-rows/coaching-coach";
import { addTeamObjective, createCycle, keyResultIds, objectiveIds } from "./authz-rows/cycles";

// OKR cycles over HTTP: who may change a team's set (refusals are 403 and change nothing), the
// 409 on concurrent edits, and the calendar feed's secret address (revoked: 404).

let server: RunningServer;
let admin: HttpClient;
let lead: HttpClient;
let member: HttpClient;
let sponsor: HttpClient;
let coach: HttpClient;
let programId: string;
let cycleId: string;
let teamId: string;
let teamPath: string;

/** An account of `role` linked to the person with `email` (made first when `create`). */
async function linkedAccount(role: "team_lead" | "member", personEmail: string): Promise<HttpClient> {
  const user = await createUser(admin, { role });
  const found = (await (await admin.get(`/org/people/search?q=${encodeURIComponent(personEmail)}`)).json()) as {
    people: Array<{ id: string }>;
  };
  const personId = found.people[0]?.id;
  if (!personId) throw new Error(`no person ${personEmail}`);
  const linked = await admin.post(`/org/people/${personId}`, { intent: "link-account", accountEmail: user.email });
  expect(linked.status).toBe(302);
  return signIn(server.url, user);
}

beforeAll(async () => {
  server = await startServer();
  ({ client: admin } = await setUpInstallation(server.url));
  programId = await createProgram(admin, { name: "Cycles rollout", status: "active" });
  const unit = `Cycles ${randomBytes(2).toString("hex")}`;
  const [team] = await importTeams(admin, programId, unit, ["Payments"]);
  teamId = team.id;
  const leadEmail = (await (await admin.get(`/org/people/search?q=${encodeURIComponent("Payments Lead")}`)).json()) as {
    people: Array<{ email: string }>;
  };
  lead = await linkedAccount("team_lead", leadEmail.people[0].email);
  // A member: a person of the team (made through the person form) with a member account.
  const memberEmail = `member-${randomBytes(3).toString("hex")}@example.com`;
  const made = await admin.post("/org/people/new", {
    name: "Mia Member",
    email: memberEmail,
    title: "",
    unitId: "",
    teamId,
    externalId: "",
  });
  expect(made.status).toBe(302);
  member = await linkedAccount("member", memberEmail);
  sponsor = await signIn(server.url, await createUser(admin, { role: "sponsor" }));
  const coachAccount = await createCoachAccount(admin, programId);
  await assignTeam(admin, programId, coachAccount.coachId, teamId, dayFromToday(-10));
  coach = await signIn(server.url, coachAccount.user);
  cycleId = await createCycle(admin, programId);
  teamPath = `/programs/${programId}/cycles/${cycleId}/teams/${teamId}`;
});
afterAll(async () => {
  await server?.stop();
});

describe("a team's OKR set over HTTP", () => {
  it("the team lead drafts; a sponsor and a member read it but their posts are refused with 403", async () => {
    const objectiveId = await addTeamObjective(lead, programId, cycleId, teamId, { title: "Payments that never fail" });
    for (const client of [sponsor, member]) {
      const page = await client.get(teamPath);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Payments that never fail");
      const refused = await client.post(teamPath, {
        intent: "save-objective",
        id: objectiveId,
        version: "1",
        title: "Hijacked",
        type: "committed",
      });
      expect(refused.status).toBe(403);
      const add = await client.post(teamPath, { intent: "add-objective", title: "Not mine to add", type: "committed" });
      expect(add.status).toBe(403);
    }
    expect(await (await lead.get(teamPath)).text()).not.toContain("Hijacked");
  });

  it("the coach edits a draft but not an approved objective", async () => {
    const objectiveId = await addTeamObjective(lead, programId, cycleId, teamId, { title: "Faster refunds" });
    const edited = await coach.post(teamPath, {
      intent: "save-objective",
      id: objectiveId,
      version: "1",
      title: "Refunds within a day",
      type: "committed",
    });
    expect(edited.status).toBe(302);
    for (const [state, version] of [
      ["in_review", "2"],
      ["approved", "3"],
    ]) {
      const moved = await lead.post(teamPath, { intent: "objective-state", id: objectiveId, state, version });
      expect(moved.status).toBe(302);
    }
    const refused = await coach.post(teamPath, {
      intent: "save-objective",
      id: objectiveId,
      version: "4",
      title: "Coach rewrite",
      type: "committed",
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("only drafts can be changed by a coach");
  });

  it("a second save of a key result from the same version is a 409 showing the first save", async () => {
    const objectiveId = await addTeamObjective(lead, programId, cycleId, teamId, { title: "Happier merchants" });
    const added = await lead.post(teamPath, {
      intent: "add-kr",
      objectiveId,
      title: "NPS from 20 to 40",
      kind: "metric",
      startValue: "20",
      targetValue: "40",
      direction: "increase",
    });
    expect(added.status).toBe(302);
    const [krId] = keyResultIds(await (await lead.get(teamPath)).text()).slice(-1);
    const form = { intent: "save-kr", id: krId, version: "1", kind: "metric", startValue: "20", direction: "increase" };
    expect((await lead.post(teamPath, { ...form, title: "NPS from 20 to 45", targetValue: "45" })).status).toBe(302);
    const conflict = await coach.post(teamPath, { ...form, title: "NPS from 20 to 50", targetValue: "50" });
    expect(conflict.status).toBe(409);
    const body = await conflict.text();
    expect(body).toContain("Someone else changed this");
    expect(body).toContain("NPS from 20 to 45");
  });
});

describe("forms drawn on demand", () => {
  it("a key result's edit form is drawn only when its link is followed; adding a key result leaves the form open for the next", async () => {
    const objectiveId = await addTeamObjective(lead, programId, cycleId, teamId, { title: "Faster payouts" });
    const added = await lead.post(teamPath, {
      intent: "add-kr",
      objectiveId,
      title: "Payout in 2 days",
      kind: "metric",
      startValue: "5",
      targetValue: "2",
      direction: "decrease",
    });
    expect(added.status).toBe(302);
    const next = new URL(added.headers.get("location") ?? "", server.url);
    expect(next.pathname).toBe(teamPath);
    expect(next.searchParams.get("form")).toBe(`add-kr:${objectiveId}`);
    const reopened = decodeEntities(await (await lead.get(`${next.pathname}${next.search}`)).text());
    expect(reopened).toMatch(new RegExp(`name="objectiveId" value="${objectiveId}"`));

    const page = decodeEntities(await (await lead.get(teamPath)).text());
    const [krId] = keyResultIds(page).slice(-1);
    // Closed: a link naming the key result, no form.
    expect(page).toContain(`aria-label="Edit key result “Payout in 2 days”"`);
    expect(page).not.toContain('value="save-kr"');
    const opened = decodeEntities(await (await lead.get(`${teamPath}?form=edit-kr:${krId}`)).text());
    expect(opened).toMatch(new RegExp(`value="save-kr"/><input type="hidden" name="id" value="${krId}"`));
    expect(opened.match(/value="save-kr"/g)).toHaveLength(1);
    // A reader has no link to open it, and naming it in the address draws nothing.
    const read = decodeEntities(await (await sponsor.get(`${teamPath}?form=edit-kr:${krId}`)).text());
    expect(read).toContain("Payout in 2 days");
    expect(read).not.toContain('value="save-kr"');
    expect(read).not.toContain("Edit key result");
  });
});

describe("the calendar feed", () => {
  it("serves the user's events at the secret address until it is revoked, then 404", async () => {
    const made = await lead.post("/account/calendar", { intent: "create" });
    expect(made.status).toBe(200);
    const url = /value="(https?:\/\/[^"]+\/calendar\/[\w-]+\.ics)"/.exec(await made.text())?.[1];
    if (!url) throw new Error("no feed address on the page");
    const path = new URL(url).pathname;
    const anonymous = await fetch(`${server.url}${path}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("content-type")).toContain("text/calendar");
    // The secret address is never sent on as a referrer: the feed's own policy, not the pages' one beside it.
    expect(anonymous.headers.get("referrer-policy")).toBe("no-referrer");
    const ics = await anonymous.text();
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("Drafting workshop");
    expect((await lead.post("/account/calendar", { intent: "revoke" })).status).toBe(302);
    expect((await fetch(`${server.url}${path}`)).status).toBe(404);
  });
});

describe("query counts", () => {
  const queries = queryCount;

  it("a team's OKR page costs the same few queries whatever its objectives, key results, alignments and comments", async () => {
    const [team] = await importTeams(admin, programId, `Counted ${randomBytes(2).toString("hex")}`, ["Counted"]);
    const page = `/programs/${programId}/cycles/${cycleId}/teams/${team.id}`;
    const empty = await queries(admin, page);
    const upper = `/programs/${programId}/cycles/${cycleId}/objectives`;
    const company = await admin.post(upper, {
      intent: "add-objective",
      level: "company",
      unitId: "",
      title: "Grow safely",
      type: "committed",
    });
    expect(company.status).toBe(302);
    const [parentId] = objectiveIds(await (await admin.get(upper)).text());
    for (const title of ["Fewer incidents", "Faster releases"]) {
      const objectiveId = await addTeamObjective(admin, programId, cycleId, team.id, { title, parentIds: parentId });
      for (const kr of ["Halve it", "Double it"]) {
        const added = await admin.post(page, {
          intent: "add-kr",
          objectiveId,
          title: kr,
          kind: "metric",
          startValue: "1",
          targetValue: "2",
        });
        expect(added.status).toBe(302);
      }
      expect((await admin.post(page, { intent: "comment", objectiveId, body: `On ${title}` })).status).toBe(302);
      const [keyResultId] = keyResultIds(await (await admin.get(page)).text()).slice(-1);
      expect((await admin.post(page, { intent: "comment", keyResultId, body: `On a key result of ${title}` })).status).toBe(302);
    }
    const full = await queries(admin, page);
    const html = decodeEntities(await (await admin.get(page)).text());
    expect(html).toContain("Aligned to Grow safely");
    expect(html).toContain("On a key result of Faster releases");
    expect(full).toBe(empty);
    // The session and the program as every page, then the set in a handful more.
    expect(full).toBeLessThanOrEqual((await queries(admin, "/account/password")) + 5);
  });
});
