import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAuthorizationMatrix } from "../support/authz-matrix";
import { HttpClient } from "../support/http-client";
import { latestAuditEvents, signIn, type Actor } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { preciseContext, preciseRows } from "./authz-rows/checkins";

// The team layer of check-ins, scores, retrospectives and carry-forward: who may do what to one
// team's set, with real people (the team's lead, a member owning one key result, the team's coach).
// The role layer of the same routes is in the installation-wide matrix (authorization.test.ts).

let server: RunningServer;
let w: CheckInWorld;
let clients: Record<Actor, HttpClient>;
let observer: HttpClient;

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => checkInWorld(db)));
  const as = (key: keyof CheckInWorld["users"]) => signIn(server.url, { email: w.users[key].email, password: w.password });
  clients = {
    admin: await as("admin"),
    plo: await as("plo"),
    coach: await as("coach"),
    sponsor: await as("sponsor"),
    team_lead: await as("teamLead"),
    member: await as("member"),
    anonymous: new HttpClient(server.url),
  };
  observer = await as("admin");
});
afterAll(async () => {
  await server?.stop();
});

describeAuthorizationMatrix(preciseRows, {
  clients: () => clients,
  context: () => preciseContext(w),
  fingerprint: () => latestAuditEvents(observer),
});

describe("the lead of another team", () => {
  it("is refused every page of this team's progress", async () => {
    const other = await signIn(server.url, { email: w.users.otherLead.email, password: w.password });
    const base = `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}`;
    for (const page of ["check-in", "score", "retro", "carry-forward"]) expect((await other.get(`${base}/${page}`)).status, page).toBe(403);
  });
});
