import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { getImport } from "~/models/org/import-stage.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, importFile, items, stage } from "../support/org-import";

// Issue 13, defect 3: leavers were only counted ("25 people … are kept"), four of them still led
// teams. Now they are listed by name with the roles to replace, and the PLO chooses per import.

describe("people who are no longer in the HR file", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
    await importFile(t.db, plo, hrFixture("leavers-2026-11.csv"));
    // Rui coaches two teams in the rollout.
    const program = await createTestProgram(t.db, plo, { name: "Company-wide OKR rollout", status: "active" });
    const rui = await t.db.selectFrom("people").select("id").where("email", "=", "rui.costa@northwind.test").executeTakeFirstOrThrow();
    const coachId = crypto.randomUUID();
    await t.db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: rui.id, capacity: 4 }).execute();
    const teams = await t.db.selectFrom("teams").select("id").where("name", "in", ["Checkout", "Billing"]).execute();
    await t.db
      .insertInto("coach_assignments")
      .values(
        teams.map((team) => ({
          id: crypto.randomUUID(),
          program_id: program.id,
          coach_id: coachId,
          team_id: team.id,
          starts_on: "2026-11-01",
        })),
      )
      .execute();
  });

  const person = (email: string) => t.db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirstOrThrow();

  it("lists the leavers by name with the roles to replace, and the teams left without members or lead", async () => {
    const december = await stage(t.db, plo, hrFixture("leavers-2026-12.csv"));
    const leavers = await items(t.db, december.id, "leavers");
    expect(leavers.map((l) => [l.name, l.email, l.message])).toEqual([
      ["Greta Lund", "greta.lund@northwind.test", "To replace: leads “Ledger”"],
      ["Hana Sato", "hana.sato@northwind.test", "To replace: leads “Billing”"],
      ["Rui Costa", "rui.costa@northwind.test", "To replace: coach in “Company-wide OKR rollout” (2 teams)"],
    ]);
    const watched = (await items(t.db, december.id, "teams")).filter((i) => i.kind === "team_alert");
    expect(watched.map((w) => [w.name.split(" (")[0], w.message])).toEqual([
      ["Billing", "its lead Hana Sato is not in the file"],
      ["Ledger", "no one in the file is in this team (it has 1 member now); its lead Greta Lund is not in the file"],
    ]);
  });

  it("the commit asks what happens to the leavers, archives them when told, and deletes nothing", async () => {
    const december = await stage(t.db, plo, hrFixture("leavers-2026-12.csv"));
    await expect(commit(t.db, plo, december.id, null)).rejects.toMatchObject({
      status: 400,
      fields: { leavers: expect.stringMatching(/3 people/) },
    });

    const before = await t.db
      .selectFrom("people")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await commit(t.db, plo, december.id, "archive");
    const after = await t.db
      .selectFrom("people")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    for (const email of ["hana.sato@northwind.test", "greta.lund@northwind.test", "rui.costa@northwind.test"])
      expect((await person(email)).archived_at).not.toBeNull();
    expect((await person("omar.farouk@northwind.test")).archived_at).toBeNull();

    // Billing keeps Hana as its (archived) lead for history, and counts as a team without a lead.
    const billing = await t.db
      .selectFrom("teams as t")
      .select([
        "t.size",
        sql<boolean>`(t.lead_person_id is null or t.lead_person_id in (select ap.id from people ap where ap.archived_at is not null))`.as(
          "needsLead",
        ),
      ])
      .where("t.name", "=", "Billing")
      .executeTakeFirstOrThrow();
    expect(billing).toEqual({ size: 1, needsLead: true });
    // Rui's coaching assignments stay (history); his coach role is listed on the import's record to replace.
    expect((await getImport(t.db, december.id)).decisions.leavers).toBe("archive");
    const record = await items(t.db, december.id, "leavers");
    expect(record.map((l) => l.after)).toEqual(["archived", "archived", "archived"]);
  });

  it("kept leavers stay active and are listed again by the next import", async () => {
    const next = await stage(t.db, plo, hrFixture("leavers-2026-12.csv"));
    expect(next.counts).toMatchObject({ leave: 0 });
    await t.db.updateTable("people").set({ archived_at: null }).where("email", "=", "rui.costa@northwind.test").execute();
    const again = await stage(t.db, plo, hrFixture("leavers-2026-12.csv"));
    expect((await items(t.db, again.id, "leavers")).map((l) => l.name)).toEqual(["Rui Costa"]);
    await commit(t.db, plo, again.id, "keep");
    expect((await person("rui.costa@northwind.test")).archived_at).toBeNull();
  });
});
