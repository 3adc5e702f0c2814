import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { decodeEntities, signIn } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// The team's check-in screen over HTTP, as a browser without JavaScript uses it: one form, one
// row per key result, every row's input given back with a row's error beside its field, a 409
// with the current value when someone checked in first, and nothing saved unless all rows are.

let server: RunningServer;
let w: CheckInWorld;
const clients: Partial<Record<keyof CheckInWorld["users"], HttpClient>> = {};

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => checkInWorld(db)));
  for (const key of Object.keys(w.users) as Array<keyof CheckInWorld["users"]>)
    clients[key] = await signIn(server.url, { email: w.users[key].email, password: w.password });
});
afterAll(async () => {
  await server?.stop();
});

const path = () => `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}/check-in`;

/** The form of the page as the browser would send it untouched: every hidden and prefilled field. */
function formOf(html: string): Record<string, string[]> {
  const form: Record<string, string[]> = {};
  const add = (name: string, value: string) => (form[name] ??= []).push(decodeEntities(value));
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(m[1])?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(m[1])) {
      if (/\bchecked/.test(m[1])) add(name, "on");
      continue;
    }
    add(name, /value="([^"]*)"/.exec(m[1])?.[1] ?? "");
  }
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(m[1], m[2]);
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    add(m[1], /<option value="([^"]*)" selected/.exec(m[2])?.[1] ?? "");
  return form;
}

function body(form: Record<string, string[]>, changes: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(form)) {
    if (name in changes) continue;
    for (const v of values) params.append(name, v);
  }
  for (const [name, value] of Object.entries(changes)) params.append(name, value);
  return params;
}

describe("the team check-in screen", () => {
  it("saves the whole team's check-in from one form, and shows it", async () => {
    const lead = clients.teamLead!;
    const page = await lead.get(path());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Orders shipped same day");
    expect(html).toContain("Stale");
    const [a, b, c, d] = w.keyResultIds;
    const saved = await lead.post(
      path(),
      body(formOf(html), {
        [`value:${a}`]: "74",
        [`confidence:${a}`]: "on_track",
        [`value:${b}`]: "31",
        [`confidence:${b}`]: "needs_attention",
        [`blockers:${b}`]: "Scanner broken since Monday",
        [`done:${c}`]: "on",
        [`confidence:${c}`]: "on_track",
        [`confidence:${d}`]: "off_track",
        [`note:${d}`]: "Nobody reports near misses yet",
      }),
    );
    expect(saved.status).toBe(302);
    const after = await (await lead.get(path())).text();
    expect(after).toContain("<strong>74</strong>");
    expect(after).toContain("<strong>done</strong>");
    expect(after).not.toContain("Stale (");
    expect(after).toMatch(/At risk/); // the near-miss row said off track
  });

  it("keeps every row's input and shows the bad row's error beside its field, saving nothing", async () => {
    const lead = clients.teamLead!;
    const html = await (await lead.get(path())).text();
    const [a, b] = w.keyResultIds;
    const response = await lead.post(
      path(),
      body(formOf(html), {
        [`value:${a}`]: "seventy",
        [`confidence:${a}`]: "on_track",
        [`value:${b}`]: "29",
        [`confidence:${b}`]: "on_track",
        [`note:${b}`]: "Typed before the other row failed",
      }),
    );
    expect(response.status).toBe(400);
    const failed = await response.text();
    expect(failed).toContain("Typed before the other row failed");
    expect(failed).toContain('value="seventy"');
    expect(failed).toMatch(new RegExp(`id="${a}-value-error"[^>]*>Enter a number`));
    const now = await (await lead.get(path())).text();
    expect(now).toContain("<strong>31</strong>"); // b is unchanged
  });

  it("answers 409 with the current value when someone checked in on the key result first", async () => {
    const lead = clients.teamLead!;
    const member = clients.member!;
    const [a] = w.keyResultIds;
    const leadForm = formOf(await (await lead.get(path())).text());
    const memberForm = formOf(await (await member.get(path())).text());
    expect((await member.post(path(), body(memberForm, { [`value:${a}`]: "77", [`confidence:${a}`]: "on_track" }))).status).toBe(302);
    const late = await lead.post(path(), body(leadForm, { [`value:${a}`]: "80", [`confidence:${a}`]: "needs_attention" }));
    expect(late.status).toBe(409);
    const html = decodeEntities(await late.text());
    expect(html).toContain("Someone else checked in on this key result");
    expect(html).toContain("Now: 77, on track.");
    expect(html).toContain('value="80"');
    // Sent again after seeing it, it is the lead's deliberate choice: saved.
    const again = await lead.post(path(), body(formOf(html), { [`value:${a}`]: "80", [`confidence:${a}`]: "needs_attention" }));
    expect(again.status).toBe(302);
  });

  it("gives a member inputs for their own key result only, and refuses the others", async () => {
    const member = clients.member!;
    const html = await (await member.get(path())).text();
    const [a, b] = w.keyResultIds;
    expect(html).toContain(`name="value:${a}"`);
    expect(html).not.toContain(`name="value:${b}"`);
    const refused = await member.post(path(), { kr: b, [`version:${b}`]: "1", [`value:${b}`]: "1", [`confidence:${b}`]: "on_track" });
    expect(refused.status).toBe(403);
  });

  it("refuses coaches, sponsors and the lead of another team", async () => {
    for (const key of ["coach", "sponsor", "otherLead"] as const) {
      expect((await clients[key]!.get(path())).status, key).toBe(403);
      const [a] = w.keyResultIds;
      expect(
        (await clients[key]!.post(path(), { kr: a, [`version:${a}`]: "9", [`value:${a}`]: "1", [`confidence:${a}`]: "on_track" })).status,
      ).toBe(403);
    }
    const coachPage = await (await clients.coach!.get(path())).text();
    expect(coachPage).toMatch(/permission/i);
  });
});

describe("the cycle checklist on the pages", () => {
  it("shows the team's checklist and its next step on the team page", async () => {
    const html = decodeEntities(await (await clients.teamLead!.get(`/programs/${w.programId}/teams/${w.teamId}`)).text());
    expect(html).toContain("Cycle checklist · 2026-Q4");
    expect(html).toMatch(/Drafted<span class="visually-hidden">: done/);
    expect(html).toContain("Improve the draft until it passes the quality checks");
    expect(html).toContain(`/cycles/${w.cycleId}/teams/${w.teamId}/check-in`);
  });

  it("feeds the coach's “needs next” and the PLO's counts per wave", async () => {
    const coach = decodeEntities(await (await clients.coach!.get(`/programs/${w.programId}/my-teams`)).text());
    expect(coach).toContain("2026-Q4: Improve the draft until it passes the quality checks");
    const plo = await (await clients.plo!.get(`/programs/${w.programId}`)).text();
    expect(plo).toContain("Cycle checklist · 2026-Q4");
    expect(plo).toMatch(/<th scope="row">Wave 1<\/th><td>2<\/td><td>2<\/td>/);
  });
});

describe("exports of a cycle", () => {
  it("gives the PLO a CSV of every team's key results and a JSON document of the whole cycle", async () => {
    const csv = await clients.plo!.get(`/programs/${w.programId}/cycles/${w.cycleId}/checkins.csv`);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toContain("team,wave,objective");
    expect(text).toContain("Orders shipped same day");
    expect(text).toContain("Deliveries on time");
    const json = await clients.plo!.get(`/programs/${w.programId}/cycles/${w.cycleId}/export.json`);
    const doc = (await json.json()) as { cycle: { name: string }; objectives: Array<{ keyResults: Array<{ checkIns: unknown[] }> }> };
    expect(doc.cycle.name).toBe("2026-Q4");
    expect(doc.objectives).toHaveLength(3);
    expect(doc.objectives.flatMap((o) => o.keyResults).some((kr) => kr.checkIns.length > 0)).toBe(true);
    expect((await clients.teamLead!.get(`/programs/${w.programId}/cycles/${w.cycleId}/export.json`)).status).toBe(403);
  });
});
