import { randomUUID } from "node:crypto";
import { sql, type KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { listAllPeople, listPeople, loadUnitIndex, PEOPLE_LIST_SPEC, searchPeople } from "~/models/org/org.server";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { useTestDatabase } from "../support/database";

// The people search (issue 20): "contains" over names, emails, titles and team names, served by
// pg_trgm's indexes (migration 0090) on both databases — PGlite loads the extension on every open.

const SURNAMES = ["Tanaka", "Okafor", "Lindqvist", "Moreau", "Castillo", "Novak", "Haddad", "Kowalski"];
const FIRST = ["Ada", "Bo", "Chen", "Dara", "Emil", "Fatou", "Gus", "Hana", "Ivo", "Jun"];

describe("people search", () => {
  const t = useTestDatabase();
  const people: Array<{ id: string; name: string; email: string; title: string; team: string }> = [];

  beforeAll(async () => {
    const unitId = randomUUID();
    await t.db.insertInto("org_units").values({ id: unitId, name: "Search Corp", parent_id: null }).execute();
    const teams = ["Payments", "Logistics", "Warehouse North", "Data Platform"].map((name) => ({
      id: randomUUID(),
      name,
      unit_id: unitId,
    }));
    await t.db.insertInto("teams").values(teams).execute();
    for (let i = 0; i < 400; i++) {
      const team = teams[i % teams.length];
      people.push({
        id: randomUUID(),
        name: `${FIRST[i % FIRST.length]} ${SURNAMES[Math.floor(i / FIRST.length) % SURNAMES.length]} ${i}`,
        email: `person.${i}@search-corp.test`,
        title: i % 10 === 0 ? "Team Lead" : "Specialist",
        team: team.name,
      });
    }
    await t.db
      .insertInto("people")
      .values(
        people.map((p, i) => ({
          id: p.id,
          name: p.name,
          email: p.email,
          title: p.title,
          unit_id: unitId,
          team_id: teams[i % teams.length].id,
        })),
      )
      .execute();
    await sql`analyze people`.execute(t.db);
    await sql`analyze teams`.execute(t.db);
  });

  const params = (query: string) => parseListParams(new URLSearchParams(query), PEOPLE_LIST_SPEC);
  /** What the search promises, computed here: a case-insensitive "contains" over the four fields. */
  const expected = (text: string) =>
    people
      .filter((p) => [p.name, p.email, p.title, p.team].some((field) => field.toLowerCase().includes(text.toLowerCase())))
      .map((p) => p.id)
      .sort();

  it("finds people by part of a name, an email, a title or their team's name, in any case", async () => {
    const index = await loadUnitIndex(t.db);
    for (const text of ["anak", "TANAKA", "ovak 3", "person.12", "@search-corp", "lead", "house no", "data plat", "Ada Tanaka 0"]) {
      const found = (await listAllPeople(t.db, params(`q=${encodeURIComponent(text)}&status=all`), index)).map((p) => p.id).sort();
      expect(found, text).toEqual(expected(text));
      expect(found.length, text).toBeGreaterThan(0);
    }
  });

  it("pages the matches: page 1 and the next page, the total the same on both, with the same number of queries", async () => {
    const index = await loadUnitIndex(t.db);
    let queries = 0;
    // Counted as results come back: one a round trip to the database (subqueries are part of theirs).
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries += 1;
        return args.result;
      },
    };
    const db: DB = t.db.withPlugin(counting);
    const first = await listPeople(db, params("q=tanaka&size=25"), index);
    const afterFirst = queries;
    const second = await listPeople(db, params("q=tanaka&size=25&page=2"), index);
    const all = expected("tanaka");
    expect(first.total).toBe(all.length);
    expect(second.total).toBe(all.length);
    expect(first.rows).toHaveLength(25);
    expect(second.rows).toHaveLength(Math.min(25, all.length - 25));
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(first.rows.length + second.rows.length);
    expect(queries - afterFirst).toBe(afterFirst);
    expect(afterFirst).toBe(2); // the page and its count
  });

  it("treats %, _ and \\ in the search as text, and finds nobody for text nobody has", async () => {
    const index = await loadUnitIndex(t.db);
    for (const text of ["%", "_", "\\", "100%", "no-such-person-anywhere"])
      expect((await listPeople(t.db, params(`q=${encodeURIComponent(text)}`), index)).total, text).toBe(0);
  });

  it("the picker's search finds people by part of a name or email", async () => {
    const found = await searchPeople(t.db, "okafo", 50);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.name.includes("Okafor"))).toBe(true);
  });

  it("a trigram index can serve a 'contains' search of names, emails, titles and team names", async () => {
    // Forced off the sequential scan (a small table would otherwise be scanned): the plan names
    // the index when it exists and can answer ilike '%…%'.
    const plans = await t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = async (query: ReturnType<typeof sql>) =>
        (await sql<{ "QUERY PLAN": string }>`explain ${query}`.execute(trx)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      return {
        name: await plan(sql`select id from people where name ilike '%anak%'`),
        email: await plan(sql`select id from people where email ilike '%son.12%'`),
        title: await plan(sql`select id from people where title ilike '%pecial%'`),
        team: await plan(sql`select id from teams where name ilike '%house%'`),
      };
    });
    expect(plans.name).toContain("people_name_trgm_idx");
    expect(plans.email).toContain("people_email_trgm_idx");
    expect(plans.title).toContain("people_title_trgm_idx");
    expect(plans.team).toContain("teams_name_trgm_idx");
  });
});
