import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { commitImport, type CommitResult } from "~/models/org/import-commit.server";
import { getImport, saveMapping, stageUpload } from "~/models/org/import-stage.server";
import { createPerson } from "~/models/org/org.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, items, stage } from "../support/org-import";

// The HR import's first-import behaviour (unit tree, teams, people, one summary event) and its
// refusals. Tests share one database, so people of earlier tests are "leavers" for later files:
// every commit here keeps them.

describe("importing the organization from an HR export", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  /** A prefix that keeps each test's units, emails and ids apart. */
  const tag = () => randomBytes(3).toString("hex");

  async function importCsv(csv: string, fileName = "hr.csv"): Promise<CommitResult & { id: string }> {
    const upload = await stage(t.db, plo, csv, fileName);
    return { ...(await commit(t.db, plo, upload.id, "keep")), id: upload.id };
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
        .where("action", "=", "org.imported")
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
      number: 1,
      counts: { rows: 4, join: 4, update: 0, move: 0, unchanged: 0, unit_new: 5, team_new: 2, lead: 2 },
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

    const event = await t.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "org.imported")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      actor_id: plo.id,
      entity_id: result.id,
      summary: "Import #1 of “northwind.csv”: 4 people joined, 0 moved, 0 updated, 0 leavers, 0 teams renamed, 2 new teams, 5 new units",
      details: expect.objectContaining({ fileName: "northwind.csv", rows: 4, joined: 4, updated: 0, unitsCreated: 5, teamsCreated: 2 }),
    });
    const joined = await t.db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "person.joined")
      .where("entity_id", "=", ada.id)
      .execute();
    expect(joined).toEqual([{ summary: `Ada Lovelace joined Engines (${x} Northwind › Operations › Fleet) (import #1)` }]);
  });

  it("importing the same file again creates and updates nothing", async () => {
    const x = tag();
    await importCsv(sample(x));
    const before = await counts();
    const again = await importCsv(sample(x));
    expect(again).toMatchObject({ counts: { join: 0, update: 0, move: 0, unchanged: 4, unit_new: 0, team_new: 0, lead: 0 } });
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
    const preview = await stage(t.db, plo, newer);
    expect(preview.counts).toMatchObject({ error: 0, update: 1, move: 1, join: 1 });
    expect((await items(t.db, preview.id, "updates")).map((u) => [u.line, u.message])).toEqual([
      [2, "name: Ada Lovelace → Ada King; title: Analyst → Lead Analyst"],
    ]);
    const [move] = await items(t.db, preview.id, "moves");
    expect(move).toMatchObject({
      line: 3,
      before: `Engines (${x} Northwind › Operations › Fleet)`,
      after: `Cranes (${x} Northwind › Operations › Yard)`,
    });
    // Alan and Edsger (and everyone of earlier tests) are not in this file: leavers, kept here.
    expect(preview.counts!.leave).toBe(before.people - 2);

    const result = await importCsv(newer);
    expect(result).toMatchObject({ counts: { join: 1, update: 1, move: 1, unchanged: 0, unit_new: 0, team_new: 0 } });
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
    expect(result).toMatchObject({ counts: { join: 0, update: 1 } });
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
    const preview = await stage(t.db, plo, csv);
    const problems = await items(t.db, preview.id, "problems");
    expect(problems.map((e) => [e.kind, e.line, e.field])).toEqual([
      ["error", 3, "email"],
      ["error", 4, "email"],
      ["error", 6, "email"],
      ["error", 7, "parentUnit"],
      ["warning", 8, "teamLeadEmail"],
    ]);
    expect(problems[0].message).toBe("The email is missing.");
    expect(problems[1].message).toBe("“not-an-email” is not a valid email address.");
    expect(problems[2].message).toContain("line 5");
    expect(problems[2].message).toContain("line 6");
    expect(problems[3].message).toBe(`Unknown parent unit “${x} Nowhere”: it is neither a unit in this file nor in Rollout Desk.`);
    expect(problems[4].message).toBe(
      `Team “Wheels”: the lead nobody-${x}@example.com (line 8) is neither in this file nor in Rollout Desk; the team keeps its current lead.`,
    );
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
    const upload = await stage(t.db, plo, csv);
    await expect(commit(t.db, plo, upload.id, "keep")).rejects.toMatchObject({
      status: 400,
      fields: { _form: expect.stringMatching(/Nothing was imported: 1 line has errors/) },
    });
    expect(await counts()).toEqual(before);
    expect((await getImport(t.db, upload.id)).committedAt).toBeNull();
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
    expect(result).toMatchObject({ counts: { join: 5, unit_new: 3 } });
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
    const preview = await stage(t.db, plo, ["Name,Email,Department,Parent department", `P,p-${x}@example.com,Fleet,Operations`].join("\n"));
    expect((await items(t.db, preview.id, "problems")).map((e) => [e.line, e.field])).toEqual([[2, "parentUnit"]]);
    expect((await items(t.db, preview.id, "problems"))[0].message).toMatch(/units in Rollout Desk are called “Operations”/);
  });

  it("refuses to commit the same upload twice", async () => {
    const x = tag();
    const first = await importCsv(sample(x));
    const before = await counts();
    await expect(commitImport(t.db, plo, first.id, { fingerprint: null, leavers: "keep" })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/already been imported/),
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses unknown, malformed and expired uploads", async () => {
    const input = { fingerprint: null, leavers: "keep" as const };
    await expect(commitImport(t.db, plo, "not-an-id", input)).rejects.toMatchObject({ status: 404 });
    await expect(commitImport(t.db, plo, crypto.randomUUID(), input)).rejects.toMatchObject({ status: 404 });
    const { id } = await stageUpload(t.db, plo, { fileName: "old.csv", content: sample(tag()) });
    await sql`update org_imports set created_at = now() - interval '25 hours' where id = ${id}`.execute(t.db);
    await expect(getImport(t.db, id)).rejects.toMatchObject({ status: 404 });
    await expect(commitImport(t.db, plo, id, input)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a commit when the organization changed since the preview, and prepares the preview again", async () => {
    const x = tag();
    const upload = await stage(t.db, plo, sample(x));
    // Someone adds a person meanwhile (every change is audited, which bumps the organization's data version).
    await createPerson(t.db, plo, {
      name: "Late Hire",
      email: `late-${x}@example.com`,
      title: "",
      unitId: null,
      teamId: null,
      externalId: "",
    });
    await expect(commit(t.db, plo, upload.id, "keep")).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/changed since this preview/),
    });
    const again = await getImport(t.db, upload.id);
    expect(again.committedAt).toBeNull();
    expect(again.fingerprint).not.toBe(upload.fingerprint);
    expect(await commit(t.db, plo, upload.id, "keep")).toMatchObject({ counts: { join: 4 } });
  });

  it("uses the mapping the user chose for columns it did not recognize", async () => {
    const x = tag();
    const csv = ["Mitarbeiter,Kontakt,Abteilung", `Ada,ada-m-${x}@example.com,${x} Forschung`].join("\n");
    const upload = await stage(t.db, plo, csv, "de.csv");
    expect(upload.mappingProblems).toEqual([expect.stringMatching(/name/)]);
    await expect(saveMapping(t.db, plo, upload, ["email", "email", null])).rejects.toMatchObject({ status: 400 });
    await saveMapping(t.db, plo, upload, ["name", "email", "unit"]);
    const result = await commit(t.db, plo, upload.id, "keep");
    expect(result).toMatchObject({ counts: { join: 1, unit_new: 1 } });
    expect(await person(`ada-m-${x}@example.com`)).toMatchObject({ name: "Ada" });
  });

  it("previews and commits with the same number of queries for 50 people as for 500 (statements write 1,000 rows each)", async () => {
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
        (_, i) => `P ${i},p${i}-${x}@example.com,${x} Big › Unit ${i % 4},Team ${i % 40},p0-${x}@example.com`,
      );
      const csv = ["Name,Email,Unit path,Team,Lead email", ...rows].join("\n");
      // Everyone of earlier runs has left: both sizes plan against an organization of the same shape.
      await t.db.updateTable("people").set({ archived_at: new Date() }).where("archived_at", "is", null).execute();
      queries = 0;
      const { id } = await stageUpload(counted, plo, { fileName: "big.csv", content: csv });
      const previewQueries = queries;
      queries = 0;
      expect(await commit(counted, plo, id, "keep")).toMatchObject({ counts: { join: size, unit_new: 5 } });
      return { previewQueries, commitQueries: queries };
    }
    expect(await queriesFor(50)).toEqual(await queriesFor(500));
  });
});
