import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldValue, fuzzForm, type FuzzResponse } from "../support/form-fuzz";
import type { HttpClient } from "../support/http-client";
import { latestAuditEvents, signIn } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Hostile input to the team check-in, the scores and the retrospective: every answer is below
// 500; a refused form (400, 403, 404, 409) changes nothing (not the key results, not the audit
// log); a saved one (302) writes one audit event.

const RUNS = 40;

let server: RunningServer;
let w: CheckInWorld;
let lead: HttpClient;
let observer: HttpClient;

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => checkInWorld(db)));
  lead = await signIn(server.url, { email: w.users.teamLead.email, password: w.password });
  observer = await signIn(server.url, { email: w.users.admin.email, password: w.password });
});
afterAll(async () => {
  await server?.stop();
});

const base = () => `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}`;

/** The check-in page's rows as shown to the lead: what a refused form must leave alone. */
async function sheet(): Promise<string> {
  const html = await (await lead.get(`${base()}/check-in`)).text();
  return (html.match(/<p class="checkin-facts">[\s\S]*?<\/p>/g) ?? []).join("\n");
}

interface State {
  sheet: string;
  audit: string;
}
const observe = async (): Promise<State> => ({ sheet: await sheet(), audit: await latestAuditEvents(observer) });

function check(response: FuzzResponse, before: State, after: State) {
  expect([302, 400, 403, 404, 409], `answered ${response.status}`).toContain(response.status);
  if (response.status !== 302) {
    expect(after.sheet, "a refused form changed a key result").toBe(before.sheet);
    expect(after.audit, "a refused form wrote to the audit log").toBe(before.audit);
  } else expect(after.audit, "a saved form wrote no audit event").not.toBe(before.audit);
}

describe("fuzzing the team check-in", () => {
  it("answers every hostile check-in below 500 and saves nothing it refuses", async () => {
    const [a, b, c] = w.keyResultIds;
    const ids = fc.constantFrom(a, a, b, c, "nope", "../x", "");
    const version = fc.constantFrom("1", "2", "3", "0", "-1", "1.5", "x");
    const value = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom("3,5", "1 200", "1e99", "NaN", "", "  42 "));
    const confidence = fc.constantFrom("on_track", "needs_attention", "off_track", "", "ON_TRACK", "great");
    const text = fc.string({ maxLength: 40 });
    const valid = {
      kr: ids,
      [`version:${a}`]: version,
      [`was:${a}`]: fc.constantFrom("70", ""),
      [`value:${a}`]: value,
      [`confidence:${a}`]: confidence,
      [`note:${a}`]: text,
      [`blockers:${a}`]: text,
      [`done:${c}`]: fc.constantFrom("on", "off", ""),
    };
    const statuses = await fuzzForm({
      client: lead,
      path: `${base()}/check-in`,
      fields: Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fieldValue(v)])),
      validFields: valid,
      numRuns: RUNS,
      observe,
      check,
    });
    expect(statuses.get(400), "some forms were refused").toBeGreaterThan(0);
  });

  it("answers every hostile score and retrospective below 500", async () => {
    const [a] = w.keyResultIds;
    const scoreFields = {
      kr: fc.constantFrom(a, "nope"),
      [`score:${a}`]: fc.constantFrom("0.5", "70%", "1.5", "-0.1", "", "half"),
      [`version:${a}`]: fc.constantFrom("1", "2", "9", "x"),
    };
    await fuzzForm({
      client: lead,
      path: `${base()}/score`,
      fields: Object.fromEntries(Object.entries(scoreFields).map(([k, v]) => [k, fieldValue(v)])),
      validFields: scoreFields,
      numRuns: 20,
      observe,
      check,
    });
    const retroFields = {
      version: fc.constantFrom("0", "1", "2", "-1", "x"),
      heldOn: fc.constantFrom("2026-12-01", "2026-02-30", "", "yesterday"),
      wentWell: fc.string({ maxLength: 60 }),
      toImprove: fc.string({ maxLength: 60 }),
      processFeedback: fc.string({ maxLength: 60 }),
      share: fc.constantFrom("on", ""),
    };
    const statuses = await fuzzForm({
      client: lead,
      path: `${base()}/retro`,
      fields: Object.fromEntries(Object.entries(retroFields).map(([k, v]) => [k, fieldValue(v)])),
      validFields: retroFields,
      examples: [{ version: "0", heldOn: "2026-12-01", wentWell: "Weekly check-ins", toImprove: "", processFeedback: "", share: "on" }],
      numRuns: 20,
      observe: async () => ({ sheet: "", audit: await latestAuditEvents(observer) }),
      check,
    });
    expect(statuses.get(302) ?? 0, "some retrospectives were saved").toBeGreaterThan(0);
  });
});
