import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { commitImport, getImport, reviewImport, saveMapping, stageImport, type CommitResult } from "~/models/org/import.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";

describe("importing the organization from an HR export", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  /** A prefix that keeps each test's units, emails and ids apart. */
  const tag = () => randomBytes(3).toString("hex");

  async function review(csv: string) {
    const id = await stageImport(t.db, plo, { fileName: "hr.csv", csv });
    const upload = await getImport(t.db, id);
    return { id, review: await reviewImport(t.db, upload!) };
  }

  async function importCsv(csv: string, fileName = "hr.csv"): Promise<CommitResult & { id: string }> {
    const id = await stageImport(t.db, plo, { fileName, csv });
    return { ...(await commitImport(t.db, plo, id)), id };
  }

  async function counts() {
    const [people, units, teams, events] = await Promise.all([
      t.db
        .selectFrom("people")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom("org_units")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom("teams")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ]);
    return { people: Number(people.n), units: Number(units.n), teams: Number(teams.n), events: Number(events.n) };
  }

  const person = (email: string) => t.db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirstOrThrow();

  function sample(x: string) {
    return [
      "Employee ID,Full Name,Work Email,Job Title,Org Path,Team,Manager Email",
      `${x}-1,Ada Lovelace,ADA-${x}@example.com,Analyst,${x} Northwind › Operations › Fleet,Engines,ada-${x}@example.com`,
      `${x}-2,Grace Hopper,grace-${x}@example.com,Admiral,${x} Northwind › Operations › Fleet,Engines,ada-${x}@example.com`,
      `${x}-3,Alan Turing,alan-${x}@example.com,Engineer,${x} Northwind > Operations > Yard,Cranes,alan-${x}@example.com`,
      `${x}-4,Edsger Dijkstra,edsger-${x}@example.com,"Engineer, senior",${x} Northwind / Research,,`,
    ].join("\n");
  }

  it("creates the unit tree, teams with their leads and sizes, and the people, with one audit event", async () => {
    const x = tag();
    const before = await counts();
    const result = await importCsv(sample(x), "northwind.csv");
    expect(result).toMatchObject({
      ok: true,
      counts: { rows: 4, create: 4, update: 0, unchanged: 0, unitsToCreate: 5, teamsToCreate: 2, teamLeads: 2 },
    });
    const after = await counts();
    expect(after).toEqual({ people: before.people + 4, units: before.units + 5, teams: before.teams + 2, events: before.events + 1 });

    const ada = await person(`ada-${x}@example.com`);
    expect(ada).toMatchObject({ name: "Ada Lovelace", title: "Analyst", external_id: `${x}-1` });
    const fleet = await t.db.selectFrom("org_units").selectAll().where("id", "=", ada.unit_id!).executeTakeFirstOrThrow();
    const operations = await t.db.selectFrom("org_units").selectAll().where("id", "=", fleet.parent_id!).executeTakeFirstOrThrow();
    expect([fleet.name, operations.name]).toEqual(["Fleet", "Operations"]);
    const engines = await t.db.selectFrom("teams").selectAll().where("id", "=", ada.team_id!).executeTakeFirstOrThrow();
    expect(engines).toMatchObject({ name: "Engines", unit_id: fleet.id, lead_person_id: ada.id, size: 2 });
    expect((await person(`edsger-${x}@example.com`)).title).toBe("Engineer, senior");

    const event = await t.db.selectFrom("audit_events").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: "org.imported",
      actor_id: plo.id,
      entity_id: result.id,
      summary: "Imported “northwind.csv”: 4 people created, 0 updated, 5 units, 2 teams",
      details: expect.objectContaining({
        fileName: "northwind.csv",
        rows: 4,
        peopleCreated: 4,
        peopleUpdated: 0,
        unitsCreated: 5,
        teamsCreated: 2,
      }),
    });
  });

  it("importing the same file again creates and updates nothing", async () => {
    const x = tag();
    expect(await importCsv(sample(x))).toMatchObject({ ok: true });
    const before = await counts();
    const again = await importCsv(sample(x));
    expect(again).toMatchObject({
      ok: true,
      counts: { create: 0, update: 0, unchanged: 4, unitsToCreate: 0, teamsToCreate: 0, teamLeads: 0 },
    });
    expect(await counts()).toEqual({ ...before, events: before.events + 1 });
  });

  it("a newer file updates people in place, shows which fields change, and never duplicates", async () => {
    const x = tag();
    await importCsv(sample(x));
    const before = await counts();
    const ada = await person(`ada-${x}@example.com`);
    const newer = [
      "Employee ID,Full Name,Work Email,Job Title,Org Path,Team,Manager Email",
      `${x}-1,Ada King,ada-${x}@example.com,Lead Analyst,${x} Northwind › Operations › Fleet,Engines,ada-${x}@example.com`,
      `${x}-2,Grace Hopper,grace-${x}@example.com,Admiral,${x} Northwind › Operations › Yard,Cranes,alan-${x}@example.com`,
      `${x}-5,Barbara Liskov,barbara-${x}@example.com,Engineer,${x} Northwind › Operations › Yard,Cranes,alan-${x}@example.com`,
    ].join("\n");
    const { review: preview } = await review(newer);
    const plan = preview.plan!;
    expect(plan.errors).toEqual([]);
    expect(plan.peopleToUpdate.map((p) => [p.line, p.changes.map((c) => c.field)])).toEqual([
      [2, ["name", "title"]],
      [3, ["unit", "team"]],
    ]);
    expect(plan.peopleToUpdate[1].changes[0]).toEqual({
      field: "unit",
      from: `${x} Northwind › Operations › Fleet`,
      to: `${x} Northwind › Operations › Yard`,
    });
    // Alan and Edsger are not in this file: they stay.
    expect(plan.kept).toBe(before.people - 2);

    const result = await importCsv(newer);
    expect(result).toMatchObject({ ok: true, counts: { create: 1, update: 2, unchanged: 0, unitsToCreate: 0, teamsToCreate: 0 } });
    expect((await counts()).people).toBe(before.people + 1);
    expect(await person(`ada-${x}@example.com`)).toMatchObject({ id: ada.id, name: "Ada King", title: "Lead Analyst" });
    const cranes = await t.db
      .selectFrom("teams")
      .selectAll()
      .where("id", "=", (await person(`grace-${x}@example.com`)).team_id!)
      .executeTakeFirstOrThrow();
    expect(cranes).toMatchObject({ name: "Cranes", size: 3 });
    const engines = await t.db.selectFrom("teams").selectAll().where("id", "=", ada.team_id!).executeTakeFirstOrThrow();
    expect(engines.size).toBe(1);
  });

  it("matches people by external id when their email changed", async () => {
    const x = tag();
    await importCsv(sample(x));
    const grace = await person(`grace-${x}@example.com`);
    const result = await importCsv(["Employee ID,Full Name,Work Email", `${x}-2,Grace Hopper,grace.hopper-${x}@example.com`].join("\n"));
    expect(result).toMatchObject({ ok: true, counts: { create: 0, update: 1 } });
    expect(await person(`grace.hopper-${x}@example.com`)).toMatchObject({ id: grace.id, external_id: `${x}-2`, team_id: grace.team_id });
    const byOldEmail = await t.db.selectFrom("people").select("id").where("email", "=", `grace-${x}@example.com`).execute();
    expect(byOldEmail).toEqual([]);
  });

  it("lists each bad line with its number and reason", async () => {
    const x = tag();
    await importCsv(sample(x));
    const csv = [
      "Name,Email,Department,Parent Department,Team,Team Lead Email",
      `Ok Person,ok-${x}@example.com,Fleet,${x} Northwind,,`,
      `No Email,,Fleet,${x} Northwind,,`,
      `Bad Email,not-an-email,Fleet,${x} Northwind,,`,
      `Twice,twice-${x}@example.com,Fleet,${x} Northwind,,`,
      `Twice Again,TWICE-${x}@example.com,Fleet,${x} Northwind,,`,
      `Orphan,orphan-${x}@example.com,Sky,${x} Nowhere,,`,
      `Led,led-${x}@example.com,Fleet,${x} Northwind,Wheels,nobody-${x}@example.com`,
    ].join("\n");
    const { review: preview } = await review(csv);
    const errors = preview.plan!.errors;
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [3, "email"],
      [4, "email"],
      [6, "email"],
      [7, "parentUnit"],
      [8, "teamLeadEmail"],
    ]);
    expect(errors[0].message).toBe("The email is missing.");
    expect(errors[1].message).toBe("“not-an-email” is not a valid email address.");
    expect(errors[2].message).toContain("line 5");
    expect(errors[2].message).toContain("line 6");
    expect(errors[3].message).toBe(`Unknown parent unit “${x} Nowhere”: it is neither a unit in this file nor in Rollout Desk.`);
    expect(errors[4].message).toBe(`The team lead “nobody-${x}@example.com” is neither in this file nor in Rollout Desk.`);
  });

  it("a file with one bad line imports nothing", async () => {
    const x = tag();
    const csv = [
      "Name,Email,Unit path,Team",
      `Good One,one-${x}@example.com,${x} Acme › Sales,Hunters`,
      `Good Two,two-${x}@example.com,${x} Acme › Sales,Hunters`,
      `Bad,three-${x}@,${x} Acme › Support,Helpers`,
    ].join("\n");
    const before = await counts();
    const result = await importCsv(csv);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(result.ok ? "" : result.message).toMatch(/Nothing was imported: 1 line has errors/);
    expect(await counts()).toEqual(before);
    const upload = await getImport(t.db, result.id);
    expect(upload?.committedAt).toBeNull();
  });

  it("finds a parent unit in the file or in Rollout Desk, and reuses units by name under their parent", async () => {
    const x = tag();
    await importCsv(sample(x));
    const before = await counts();
    const csv = [
      "Name,Email,Unit,Parent Unit",
      `Root Person,root-${x}@example.com,${x} Contoso,`,
      `Child Person,child-${x}@example.com,Labs,${x} Contoso`,
      `Grand Person,grand-${x}@example.com,Lab 1,Labs`,
      `Ops Person,ops-${x}@example.com,OPERATIONS,${x} Northwind`,
      `Research Person,research-${x}@example.com,${x} Northwind,`,
    ].join("\n");
    const result = await importCsv(csv);
    expect(result).toMatchObject({ ok: true, counts: { create: 5, unitsToCreate: 3 } });
    expect((await counts()).units).toBe(before.units + 3);
    const ada = await person(`ada-${x}@example.com`);
    const fleet = await t.db.selectFrom("org_units").selectAll().where("id", "=", ada.unit_id!).executeTakeFirstOrThrow();
    expect((await person(`ops-${x}@example.com`)).unit_id).toBe(fleet.parent_id);
    const grand = await person(`grand-${x}@example.com`);
    const lab = await t.db.selectFrom("org_units").selectAll().where("id", "=", grand.unit_id!).executeTakeFirstOrThrow();
    expect((await person(`child-${x}@example.com`)).unit_id).toBe(lab.parent_id);
  });

  it("asks for the parent when a unit name is ambiguous", async () => {
    const x = tag();
    await importCsv(sample(x));
    await importCsv(sample(`${x}b`));
    const { review: preview } = await review(
      ["Name,Email,Department,Parent department", `P,p-${x}@example.com,Fleet,Operations`].join("\n"),
    );
    expect(preview.plan!.errors).toEqual([
      expect.objectContaining({
        line: 2,
        field: "parentUnit",
        message: expect.stringMatching(/units in Rollout Desk are called “Operations”/),
      }),
    ]);
  });

  it("refuses to commit the same upload twice", async () => {
    const x = tag();
    const first = await importCsv(sample(x));
    expect(first.ok).toBe(true);
    const before = await counts();
    const again = await commitImport(t.db, plo, first.id);
    expect(again).toMatchObject({ ok: false, reason: "committed" });
    expect(await counts()).toEqual(before);
  });

  it("refuses unknown, malformed and expired uploads", async () => {
    expect(await commitImport(t.db, plo, "not-an-id")).toMatchObject({ ok: false, reason: "not_found" });
    expect(await commitImport(t.db, plo, crypto.randomUUID())).toMatchObject({ ok: false, reason: "not_found" });
    const id = await stageImport(t.db, plo, { fileName: "old.csv", csv: sample(tag()) });
    await sql`update org_imports set created_at = now() - interval '25 hours' where id = ${id}`.execute(t.db);
    expect(await getImport(t.db, id)).toBeNull();
    expect(await commitImport(t.db, plo, id)).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("uses the mapping the user chose for columns it did not recognize", async () => {
    const x = tag();
    const csv = ["Mitarbeiter,Kontakt,Abteilung", `Ada,ada-m-${x}@example.com,${x} Forschung`].join("\n");
    const id = await stageImport(t.db, plo, { fileName: "de.csv", csv });
    const upload = (await getImport(t.db, id))!;
    expect((await reviewImport(t.db, upload)).mappingProblems).toEqual([expect.stringMatching(/name/)]);
    expect(await saveMapping(t.db, upload, ["email", "email", null])).toMatchObject({ ok: false });
    expect(await saveMapping(t.db, upload, ["name", "email", "unit"])).toEqual({ ok: true });
    const result = await commitImport(t.db, plo, id);
    expect(result).toMatchObject({ ok: true, counts: { create: 1, unitsToCreate: 1 } });
    expect(await person(`ada-m-${x}@example.com`)).toMatchObject({ name: "Ada" });
  });

  it("previews and commits with the same number of queries for 50 people as for 900", async () => {
    async function queriesFor(size: number) {
      const x = tag();
      let queries = 0;
      const counted = t.db.withPlugin({
        transformQuery: (args) => {
          queries += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const rows = Array.from(
        { length: size },
        (_, i) => `P ${i},p${i}-${x}@example.com,${x} Big › Unit ${i % 7},Team ${i % 40},p0-${x}@example.com`,
      );
      const id = await stageImport(t.db, plo, { fileName: "big.csv", csv: ["Name,Email,Unit path,Team,Lead email", ...rows].join("\n") });
      queries = 0;
      const upload = await getImport(counted, id);
      const preview = await reviewImport(counted, upload!);
      expect(preview.plan?.peopleToCreate).toHaveLength(size);
      const previewQueries = queries;
      queries = 0;
      expect(await commitImport(counted, plo, id)).toMatchObject({ ok: true, counts: { create: size, unitsToCreate: 8 } });
      return { previewQueries, commitQueries: queries };
    }
    expect(await queriesFor(50)).toEqual(await queriesFor(900));
  });
});
