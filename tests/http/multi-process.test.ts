import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/models/accounts/login-throttle.server";
import { HttpClient } from "../support/http-client";
import { createProgram, createUser, pageMessage, setUpInstallation, signIn } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { postgresUrl } from "../support/test-env";

// Two app processes on one PostgreSQL database, as an operator scales Rollout Desk: nothing that
// matters may live in one process's memory. Sessions, the login throttle, the data-version keys
// of the cached pages, RACI conflict detection and import staging all go through the database.
// (PGlite is one process per data folder by design, so this runs on PostgreSQL only.)

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe.runIf(postgresUrl())("two processes on one PostgreSQL database", () => {
  let a: RunningServer;
  let b: RunningServer;
  let adminA: HttpClient;

  /** The same signed-in browser, talking to the other process (the cookie goes with it). */
  function onB(client: HttpClient) {
    const other = new HttpClient(b.url);
    const cookie = client.cookieHeader();
    return {
      get: (path: string) => other.get(path, { headers: { Cookie: cookie } }),
      post: (path: string, form: Record<string, string> | FormData) => other.post(path, form, { headers: { Cookie: cookie } }),
    };
  }

  beforeAll(async () => {
    a = await startServer();
    b = await startServer({ DATABASE_URL: a.databaseUrl! });
    adminA = (await setUpInstallation(a.url)).client;
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a session started on A is valid on B, and signing out on B ends it on A", async () => {
    const coach = await createUser(adminA, { role: "coach", name: "Cora Across" });
    const client = await signIn(a.url, coach);
    const page = await onB(client).get("/account/password");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Cora Across");
    expect((await onB(client).post("/logout", {})).status).toBe(302);
    const after = await client.get("/account/password");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("a change made on A shows at once on B's cached pages", async () => {
    const programId = await createProgram(adminA, { name: "Shared cache check" });
    const before = await onB(adminA).get(`/programs/${programId}/teams`);
    expect(before.status).toBe(200);
    await before.text();
    // A new unit and team on A (every active team is in a program's pipeline); B's cached team
    // list is keyed by the data version kept in the database.
    const unitName = `Unit ${randomBytes(3).toString("hex")}`;
    const unit = await adminA.post("/org/units/new", { intent: "create", name: unitName, parentId: "" });
    expect(unit.status, await unit.clone().text()).toBe(302);
    const teamName = `Team ${randomBytes(3).toString("hex")}`;
    const unitId = ID.exec(unit.headers.get("location") ?? "")?.[0] ?? "";
    const team = await adminA.post("/org/teams/new", { intent: "create", name: teamName, unitId, leadEmail: "", size: "" });
    expect(team.status, await team.clone().text()).toBe(302);
    const after = await (await onB(adminA).get(`/programs/${programId}/teams`)).text();
    expect(after).toContain(teamName);
  });

  it("wrong passwords split across A and B lock the account as one", async () => {
    const user = await createUser(adminA, { role: "sponsor" });
    for (let i = 0; i < THROTTLE.accountLockAfter; i++) {
      const server = i % 2 === 0 ? a : b;
      const response = await new HttpClient(server.url).post("/login", { email: user.email, password: `wrong-${i}` });
      expect(response.status, `failure ${i + 1}`).toBe(401);
    }
    for (const server of [a, b]) {
      const refused = await new HttpClient(server.url).post("/login", { email: user.email, password: user.password });
      expect(refused.status).toBe(429);
      expect(pageMessage(await refused.text())).toMatch(/Too many failed sign-in attempts/);
    }
  });

  it("two editors of one RACI cell, one on A and one on B: one saves, the other gets 409 with the current value", async () => {
    const programId = await createProgram(adminA, { name: "RACI on two processes" });
    expect((await adminA.post(`/programs/${programId}/raci`, { intent: "create", source: "template" })).status).toBe(302);
    const page = await (await adminA.get(`/programs/${programId}/raci`)).text();
    const activityId = new RegExp(`raci/activities/(${ID.source})`).exec(page)![1];
    const row = await (await adminA.get(`/programs/${programId}/raci/activities/${activityId}`)).text();
    const [, roleId, version] = new RegExp(`name="version-(${ID.source})" value="(\\d+)"`).exec(row)!;
    const plo = await createUser(adminA, { role: "plo", name: "Pia Process" });
    const ploOnB = onB(await signIn(a.url, plo));
    const cell = { activityId, roleId, version };
    const [onA, onBAnswer] = await Promise.all([
      adminA.post(`/programs/${programId}/raci/cell`, { ...cell, value: "A" }),
      ploOnB.post(`/programs/${programId}/raci/cell`, { ...cell, value: "R" }),
    ]);
    expect([onA.status, onBAnswer.status].sort()).toEqual([200, 409]);
    const loser = onA.status === 409 ? onA : onBAnswer;
    const winnerValue = onA.status === 200 ? "A" : "R";
    expect(await loser.json()).toMatchObject({ current: { value: winnerValue, version: Number(version) + 1 } });
  });

  it("an HR import previewed on A commits on B", async () => {
    const x = randomBytes(3).toString("hex");
    const form = new FormData();
    form.append("intent", "upload");
    const file = [
      "Employee ID,Full Name,Work Email,Org Path,Team",
      `${x}-1,Ada Across,ada-${x}@example.com,Across ${x},Engines`,
      `${x}-2,Ben Across,ben-${x}@example.com,Across ${x},Engines`,
    ].join("\r\n");
    form.append("file", new Blob([file], { type: "text/csv" }), `across-${x}.csv`);
    const uploaded = await adminA.post("/org/import", form);
    expect(uploaded.status, await uploaded.clone().text()).toBe(302);
    const location = uploaded.headers.get("location")!;
    const preview = await (await adminA.get(location)).text();
    const fingerprint = /name="fingerprint" value="([0-9a-f]*)"/.exec(preview)?.[1] ?? "";
    const commit = await onB(adminA).post(location, { intent: "commit", fingerprint, leavers: "keep" });
    expect(commit.status, await commit.clone().text()).toBe(302);
    const people = await (await adminA.get(`/org/people?q=${encodeURIComponent(`ben-${x}`)}`)).text();
    expect(people).toContain("Ben Across");
  });
});
