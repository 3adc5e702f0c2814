import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModule } from "~/models/enablement/curriculum.server";
import { createRequirement } from "~/models/enablement/requirements.server";
import { addDays, today } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { insertTeam, insertUnit, insertWave, moduleInput } from "../support/enablement";
import type { HttpClient } from "../support/http-client";
import { decodeEntities, signIn } from "../support/http-fixtures";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Long enablement lists are paged on the server: a year of training sessions (130 of them), the
// preview of a 260-line attendance export and 142 overdue training items show one page, say which
// page of how many, and their "Next" link leads to the following rows — with the filters kept.

interface World {
  programId: string;
  sessionId: string;
  plo: { email: string; password: string };
  /** Emails of people who exist (the export's rows match them). */
  emails: string[];
  /** The overdue list's world: two teams of 70, one in a wave; their leads also owe "Leading". */
  overdue: { waveId: string; leadingId: string };
}

const SESSIONS = 130;
const PEOPLE = 250;
const TEAM_SIZE = 70;
/** Every member of the two teams owes "Check-in practice", and both leads "Leading" too. */
const OVERDUE = 2 * TEAM_SIZE + 2;

/** The list's modules are live check-in practice sessions. */
const liveModule = (title: string) => moduleInput(title, { kind: "check_in_practice", delivery: "live" });

async function world(db: DB): Promise<World> {
  const plo = await createTestUser(db, { role: "plo", name: "Paula Plo" });
  const actor = { id: plo.id, name: plo.name };
  const program = await createTestProgram(db, actor, { name: "Paged enablement", status: "active" });
  const moduleId = await createModule(db, actor, program.id, liveModule("Check-in practice"));
  // Session n starts on 2027-01-01 + n days, at 09:00 in Berlin (08:00 UTC); n = 0 … 129.
  await sql`insert into enablement_sessions (id, program_id, module_id, starts_at, duration_minutes, time_zone, location, url, capacity, state)
    select 'session-' || lpad(n::text, 3, '0'), ${program.id}, ${moduleId},
      timestamptz '2027-01-01 08:00:00+00' + n * interval '1 day', 60, 'Europe/Berlin', 'Room ' || n, '', 20, 'open'
    from generate_series(0, ${SESSIONS - 1}) n`.execute(db);
  await sql`insert into people (id, name, email, external_id)
    select 'person-' || n, 'Person ' || lpad(n::text, 3, '0'), 'person' || n || '@paged.example', 'P-' || n
    from generate_series(1, ${PEOPLE}) n`.execute(db);
  // Overdue: the members since ten days (most overdue), the leads' "Leading" since two.
  const unit = await insertUnit(db, "Sales");
  const waveId = await insertWave(db, program.id, "Wave 1", addDays(today(), 30));
  await insertTeam(db, program.id, unit, waveId, TEAM_SIZE);
  await insertTeam(db, program.id, unit, null, TEAM_SIZE);
  const requirement = { scope: "all", waveId: null, unitId: null, necessity: "required", dueRule: "fixed", dueDays: null } as const;
  await createRequirement(db, actor, program.id, { ...requirement, moduleId, audience: "team_member", dueOn: addDays(today(), -10) });
  const leadingId = await createModule(db, actor, program.id, liveModule("Leading"));
  await createRequirement(db, actor, program.id, {
    ...requirement,
    moduleId: leadingId,
    audience: "team_lead",
    dueOn: addDays(today(), -2),
  });
  return {
    programId: program.id,
    sessionId: "session-000",
    plo: { email: plo.email, password: plo.password },
    emails: Array.from({ length: PEOPLE }, (_, i) => `person${i + 1}@paged.example`),
    overdue: { waveId, leadingId },
  };
}

let server: RunningServer;
let w: World;
let plo: HttpClient;

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer(world));
  plo = await signIn(server.url, w.plo);
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

async function page(target: string): Promise<{ html: string; text: string; queries: number }> {
  const response = await plo.get(target);
  expect(response.status, `GET ${target}`).toBe(200);
  const html = await response.text();
  return { html, text: text(html), queries: Number(response.headers.get("x-query-count")) };
}

/** The pager's "Next →" link (HTML-decoded). */
function nextHref(html: string): string | null {
  const match = /<a[^>]*href="([^"]*)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]*)"/.exec(html);
  return match ? decodeEntities(match[1] ?? match[2]) : null;
}

describe("the training sessions list", () => {
  const list = () => `/programs/${w.programId}/enablement/sessions`;

  it("shows the first 50 of 130 sessions in time order, page 1 of 3, and the next page the following 50", async () => {
    const first = await page(list());
    expect(first.text).toContain("1–50 of 130 · page 1 of 3");
    expect(first.text).toContain("Room 0 ");
    expect(first.text).toContain("Room 49 ");
    expect(first.text).not.toContain("Room 50 ");
    const next = nextHref(first.html);
    expect(next).toMatch(/page=2/);

    const second = await page(next!);
    expect(second.text).toContain("51–100 of 130 · page 2 of 3");
    expect(second.text).toContain("Room 50 ");
    expect(second.text).toContain("Room 99 ");
    expect(second.text).not.toContain("Room 49 ");
    expect(second.text).toContain("← Previous");
  });

  it("keeps a search while paging, and says when nothing matches", async () => {
    // "Room 1" matches Room 1, 10–19 and 100–129: 41 sessions.
    const found = await page(`${list()}?q=Room+1&size=25`);
    expect(found.text).toContain("1–25 of 41 · page 1 of 2");
    const next = nextHref(found.html);
    expect(next).toContain("q=Room+1");
    const second = await page(next!);
    expect(second.text).toContain("26–41 of 41 · page 2 of 2");
    expect(nextHref(second.html)).toBeNull();

    const none = await page(`${list()}?state=cancelled`);
    expect(none.text).toContain("No rows match these filters.");
  });
});

describe("the attendance import's preview", () => {
  const importPath = () => `/programs/${w.programId}/enablement/import`;
  let previewPath: string;

  beforeAll(async () => {
    // 250 people of the organization and 10 guests nobody knows: 260 lines after the header.
    const rows = [
      "Name,Email",
      ...w.emails.map((email, i) => `Person ${i + 1},${email}`),
      ...Array.from({ length: 10 }, (_, i) => `Guest ${i + 1},guest${i + 1}@elsewhere.example`),
    ];
    const body = new FormData();
    body.set("intent", "upload");
    body.set("kind", "attendance");
    body.set("sessionId", w.sessionId);
    body.set("file", new Blob([rows.join("\n")], { type: "text/csv" }), "attendance.csv");
    const uploaded = await plo.post(importPath(), body);
    expect(uploaded.status).toBe(302);
    previewPath = uploaded.headers.get("location")!;
    expect(previewPath).toMatch(/\?id=/);
  });

  it("shows the first 100 of 260 lines, page 1 of 3, and the next page lines 102–201 of the file", async () => {
    const first = await page(previewPath);
    expect(first.text).toContain("250 matched · 10 not matched (left out) · 0 lines with errors");
    expect(first.text).toContain("1–100 of 260 · page 1 of 3");
    expect(first.text).toContain("person1@paged.example");
    expect(first.text).toContain("person100@paged.example");
    expect(first.text).not.toContain("person101@paged.example");
    expect(first.text).toContain("Import 250 rows");
    const next = nextHref(first.html);
    expect(next).toContain("page=2");
    expect(next).toContain("id=");

    const second = await page(next!);
    expect(second.text).toContain("101–200 of 260 · page 2 of 3");
    expect(second.text).toContain("person101@paged.example");
    expect(second.text).not.toContain("person100@paged.example");
    // Still the same import: its summary and its commit button.
    expect(second.text).toContain("250 matched");
    expect(second.text).toContain("Import 250 rows");
  });

  it("lists only the unmatched lines when asked, with their line numbers", async () => {
    const id = new URL(previewPath, server.url).searchParams.get("id");
    const unmatched = await page(`${importPath()}?id=${id}&show=unmatched`);
    expect(unmatched.text).toContain("1–10 of 10 · page 1 of 1");
    expect(unmatched.text).toContain("252 Guest 1 · guest1@elsewhere.example Not matched");
    expect(unmatched.text).not.toContain("person1@paged.example");
  });
});

describe("the overdue list", () => {
  const list = () => `/programs/${w.programId}/enablement/overdue`;
  /** The overdue items of a page, as "email module" (a lead owes two modules). */
  const items = (html: string) => {
    const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
    return (body.match(/<tr[\s\S]*?<\/tr>/g) ?? []).flatMap((row) => {
      const email = /p-[a-z0-9]+@example\.com/.exec(row)?.[0];
      const module = /Check-in practice|Leading/.exec(row)?.[0];
      return email && module ? [`${email} ${module}`] : [];
    });
  };

  it("shows the 50 most overdue of 142 items, page 1 of 3, and the next pages the others, at the same cost", async () => {
    // The first read after the requirements were made computes the stored overdue rows (another
    // page size, so that the pages below are not the read cache's).
    await page(`${list()}?size=25`);
    const first = await page(list());
    expect(first.text).toContain(`1–50 of ${OVERDUE} · page 1 of 3`);
    const next = nextHref(first.html);
    expect(next).toMatch(/page=2/);
    const second = await page(next!);
    expect(second.text).toContain(`51–100 of ${OVERDUE} · page 2 of 3`);
    const third = await page(nextHref(second.html)!);
    expect(third.text).toContain(`101–${OVERDUE} of ${OVERDUE} · page 3 of 3`);
    expect(nextHref(third.html)).toBeNull();

    const seen = [first, second, third].map((p) => items(p.html));
    expect(seen.map((rows) => rows.length)).toEqual([50, 50, OVERDUE - 100]);
    expect(new Set(seen.flat()).size).toBe(OVERDUE);
    // Most overdue first: the leads' "Leading" (due two days ago) comes last.
    expect(
      seen
        .flat()
        .slice(-2)
        .every((item) => item.endsWith("Leading")),
    ).toBe(true);
    // Every page costs the same number of queries, whatever the number of overdue items.
    expect(second.queries).toBe(first.queries);
    expect(third.queries).toBe(first.queries);
  });

  it("filters by wave and by module, keeping the filter while paging, and exports what the filters match", async () => {
    const inWave = await page(`${list()}?wave=${w.overdue.waveId}`);
    // The team in the wave: its 70 members and its lead's "Leading".
    expect(inWave.text).toContain(`1–50 of ${TEAM_SIZE + 1} · page 1 of 2`);
    expect(nextHref(inWave.html)).toContain(`wave=${w.overdue.waveId}`);
    const noWave = await page(`${list()}?wave=none&size=100`);
    expect(noWave.text).toContain(`1–${TEAM_SIZE + 1} of ${TEAM_SIZE + 1} · page 1 of 1`);
    const leading = await page(`${list()}?module=${w.overdue.leadingId}`);
    expect(items(leading.html)).toHaveLength(2);
    expect(leading.text).toContain("2 rows");
    expect(leading.queries).toBe(inWave.queries);

    const csv = async (query: string) => {
      const response = await plo.get(`${list()}.csv${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      return (await response.text()).trim().split(/\r\n/);
    };
    const all = await csv("");
    expect(all[0]).toBe("person,email,audience,module,due_on");
    expect(all).toHaveLength(1 + OVERDUE);
    expect(await csv(`?module=${w.overdue.leadingId}`)).toHaveLength(1 + 2);
  });

  it("answers a page past the last one with the total and a way back, and odd input with a page", async () => {
    const past = await page(`${list()}?page=99`);
    expect(items(past.html)).toHaveLength(0);
    expect(past.text).toContain(`${OVERDUE} rows`);
    expect(past.text).toContain("There are only 3 pages.");
    expect(past.html).toMatch(/href="[^"]*page=3[^"]*"[^>]*>Go to the last page/);
    for (const query of [
      "page=-1",
      "page=abc",
      "size=7",
      "sort=password&dir=sideways",
      "wave=nope",
      "unit=nope",
      "module=nope",
      "q=%25%27%3B--",
    ])
      expect((await plo.get(`${list()}?${query}`)).status, query).toBe(200);
    expect((await page(`${list()}?unit=nope`)).text).toContain("No rows match these filters.");
  });
});
