import { randomBytes } from "node:crypto";
import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/seed/demo";
import { seedDemoOrg } from "../../db/seed/demo-org";
import type { Actor } from "~/models/audit/audit.server";
import {
  archivePerson,
  archiveTeam,
  archiveUnit,
  createPerson,
  createTeam,
  createUnit,
  findPersonByEmail,
  getPersonDetail,
  getTeamDetail,
  linkPersonAccount,
  listAllPeople,
  listPeople,
  listTeams,
  listUnitTree,
  loadUnitIndex,
  moveTeam,
  moveUnit,
  NO_SUCH_PERSON,
  PEOPLE_LIST_SPEC,
  resolvePersonEmail,
  restorePerson,
  restoreTeam,
  restoreUnit,
  searchPeople,
  setTeamLead,
  TEAM_LIST_SPEC,
  unlinkPersonAccount,
  updatePerson,
  updateTeam,
  updateUnit,
} from "~/models/org/org.server";
import type { DB } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import type { PersonInput } from "~/validation/org";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { FieldError } from "~/models/errors";

describe("the organization", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo" });
    plo = { id: user.id, name: user.name };
  });

  const tag = () => randomBytes(3).toString("hex");

  async function expectRule(promise: Promise<unknown>, field: string, message: string | RegExp) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, "expected the change to be refused").toBeInstanceOf(FieldError);
    expect((error as FieldError).field).toBe(field);
    if (typeof message === "string") expect((error as FieldError).message).toBe(message);
    else expect((error as FieldError).message).toMatch(message);
  }

  async function auditOf(entityId: string) {
    return t.db
      .selectFrom("audit_events")
      .select(["action", "summary", "details", "actor_id"])
      .where("entity_id", "=", entityId)
      .orderBy("id")
      .execute();
  }

  /** A company with Operations › Fleet and Sales, under a unique name. */
  async function company() {
    const root = await createUnit(t.db, plo, { name: `Northwind ${tag()}`, parentId: null });
    const operations = await createUnit(t.db, plo, { name: "Operations", parentId: root.id });
    const fleet = await createUnit(t.db, plo, { name: "Fleet", parentId: operations.id });
    const sales = await createUnit(t.db, plo, { name: "Sales", parentId: root.id });
    return { root, operations, fleet, sales };
  }

  const person = (overrides: Partial<PersonInput> = {}): PersonInput => ({
    name: `Person ${tag()}`,
    email: `person-${tag()}@example.com`,
    title: "",
    unitId: null,
    teamId: null,
    externalId: "",
    ...overrides,
  });

  describe("the unit tree", () => {
    it("lists units as a tree with paths and counts of active teams and people, sub-units included", async () => {
      const { root, operations, fleet, sales } = await company();
      expect(fleet.path).toBe(`${root.name} › Operations › Fleet`);
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      await createPerson(t.db, plo, person({ teamId: team.id }));
      await createPerson(t.db, plo, person({ unitId: operations.id }));
      const archived = await createPerson(t.db, plo, person({ unitId: fleet.id }));
      await archivePerson(t.db, plo, archived.id);

      const tree = await listUnitTree(t.db);
      const node = tree.find((n) => n.id === root.id)!;
      expect(node.children.map((c) => c.name)).toEqual(["Operations", "Sales"]);
      const ops = node.children[0];
      expect(ops).toMatchObject({ path: `${root.name} › Operations`, activeTeams: 0, activePeople: 1, totalTeams: 1, totalPeople: 2 });
      expect(ops.children[0]).toMatchObject({ id: fleet.id, depth: 2, activeTeams: 1, activePeople: 1 });
      expect(node).toMatchObject({ totalTeams: 1, totalPeople: 2 });
      expect(node.children[1].id).toBe(sales.id);

      const index = await loadUnitIndex(t.db);
      expect(index.byId.get(fleet.id)?.ancestorIds).toEqual([root.id, operations.id]);
    });

    it("keeps unit names unique among siblings, ignoring case, and says so on the name field", async () => {
      const { root, operations } = await company();
      await expectRule(
        createUnit(t.db, plo, { name: "OPERATIONS", parentId: root.id }),
        "name",
        "There is already a unit named “Operations” in this parent unit.",
      );
      // The same name under another parent is fine.
      const nested = await createUnit(t.db, plo, { name: "Operations", parentId: operations.id });
      expect(nested.path).toBe(`${root.name} › Operations › Operations`);
      await expectRule(
        updateUnit(t.db, plo, nested.id, { name: "operations", parentId: root.id }),
        "name",
        /already a unit named “Operations”/,
      );
    });

    it("refuses to move a unit under itself or one of its sub-units, with a clear message", async () => {
      const { root, operations, fleet } = await company();
      await expectRule(
        moveUnit(t.db, plo, operations.id, fleet.id),
        "parentId",
        `“${fleet.path}” is inside “Operations”: a unit cannot move under one of its own sub-units.`,
      );
      await expectRule(moveUnit(t.db, plo, operations.id, operations.id), "parentId", "A unit cannot be its own parent.");
      await expectRule(moveUnit(t.db, plo, operations.id, "no-such-unit"), "parentId", "Choose an existing unit as the parent.");
      expect((await loadUnitIndex(t.db)).byId.get(operations.id)?.parentId).toBe(root.id);
    });

    it("moving a unit moves its sub-units, and the move is audited with both paths", async () => {
      const { root, operations, fleet, sales } = await company();
      const moved = await moveUnit(t.db, plo, fleet.id, sales.id);
      expect(moved?.path).toBe(`${root.name} › Sales › Fleet`);
      const events = await auditOf(fleet.id);
      expect(events.at(-1)).toMatchObject({
        action: "unit.moved",
        actor_id: plo.id,
        summary: `Moved unit “${root.name} › Operations › Fleet” to “${root.name} › Sales › Fleet”`,
        details: { parent: { from: operations.path, to: sales.path } },
      });
      // Unchanged saves record nothing.
      await updateUnit(t.db, plo, fleet.id, { name: "Fleet", parentId: sales.id });
      expect(await auditOf(fleet.id)).toHaveLength(events.length);
    });

    it("refuses to archive a unit that still has active sub-units, teams or people, naming how many", async () => {
      const { root, operations, fleet } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      await createPerson(t.db, plo, person({ teamId: team.id }));
      await createPerson(t.db, plo, person({ teamId: team.id }));
      await expectRule(
        archiveUnit(t.db, plo, operations.id),
        "_form",
        /“Operations” still has 1 active sub-unit, 1 active team and 2 active people\./,
      );
      await expectRule(archiveUnit(t.db, plo, fleet.id), "_form", /“Fleet” still has 1 active team and 2 active people\./);
      expect((await loadUnitIndex(t.db)).byId.get(operations.id)?.archivedAt).toBeNull();
      // An empty unit archives at once.
      const empty = await createUnit(t.db, plo, { name: "Empty", parentId: root.id });
      expect((await archiveUnit(t.db, plo, empty.id))?.unit.archivedAt).toBeInstanceOf(Date);
    });

    it("archiving with everything inside archives the whole subtree, and a cascading restore brings exactly that back", async () => {
      const { root, operations, fleet } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      const member = await createPerson(t.db, plo, person({ teamId: team.id }));
      // Archived earlier on its own: a cascading restore must leave it archived.
      const gone = await createTeam(t.db, plo, { name: "Gone", unitId: fleet.id, leadEmail: null, size: null });
      await archiveTeam(t.db, plo, gone.id);
      // A team elsewhere led by someone inside Operations.
      const elsewhere = await createTeam(t.db, plo, {
        name: "Elsewhere",
        unitId: root.id,
        leadEmail: (await t.db.selectFrom("people").select("email").where("id", "=", member.id).executeTakeFirstOrThrow()).email,
        size: null,
      });

      const result = await archiveUnit(t.db, plo, operations.id, { cascade: true });
      expect(result?.archived).toEqual({ subUnits: 1, teams: 1, people: 1 });
      expect(result?.leadsCleared).toBe(1);
      const tree = await listUnitTree(t.db);
      expect(tree.find((n) => n.id === root.id)?.children.map((c) => c.name)).not.toContain("Operations");
      expect((await getTeamDetail(t.db, elsewhere.id))?.team.leadId).toBeNull();
      expect((await auditOf(operations.id)).at(-1)).toMatchObject({
        action: "unit.archived",
        details: { cascade: true, subUnits: 1, teams: 1, people: 1, leadsCleared: 1 },
      });

      // Restoring a sub-unit under an archived parent is refused.
      await expectRule(restoreUnit(t.db, plo, fleet.id), "_form", `Its parent unit “${operations.path}” is archived: restore that first.`);
      const restored = await restoreUnit(t.db, plo, operations.id, { cascade: true });
      expect(restored?.restored).toEqual({ subUnits: 1, teams: 1, people: 1 });
      expect((await getTeamDetail(t.db, team.id))?.team.archivedAt).toBeNull();
      expect((await getTeamDetail(t.db, gone.id))?.team.archivedAt).not.toBeNull();
      expect((await getPersonDetail(t.db, member.id))?.person.archivedAt).toBeNull();
    });
  });

  describe("teams", () => {
    it("keeps team names unique within a unit and resolves the lead by email", async () => {
      const { fleet, sales } = await company();
      const lead = await createPerson(t.db, plo, person({ unitId: fleet.id, email: `Lead-${tag()}@Example.com` }));
      const leadEmail = (await t.db.selectFrom("people").select("email").where("id", "=", lead.id).executeTakeFirstOrThrow()).email;
      expect(leadEmail).toBe(leadEmail.toLowerCase());
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail, size: null });
      expect((await getTeamDetail(t.db, team.id))?.team).toMatchObject({ leadId: lead.id, unitPath: fleet.path });
      await expectRule(
        createTeam(t.db, plo, { name: "engines", unitId: fleet.id, leadEmail: null, size: null }),
        "name",
        `There is already a team named “Engines” in “${fleet.path}”.`,
      );
      await createTeam(t.db, plo, { name: "Engines", unitId: sales.id, leadEmail: null, size: null });
      await expectRule(
        createTeam(t.db, plo, { name: "Other", unitId: fleet.id, leadEmail: "nobody@example.com", size: null }),
        "leadEmail",
        NO_SUCH_PERSON,
      );
      await expectRule(
        createTeam(t.db, plo, { name: "Other", unitId: "nope", leadEmail: null, size: null }),
        "unitId",
        "Choose one of the listed units.",
      );
    });

    it("a team's size is its active members, else its stored headcount", async () => {
      const { fleet } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: 12 });
      expect((await getTeamDetail(t.db, team.id))?.team).toMatchObject({ size: 12, memberCount: 0, storedSize: 12 });
      await createPerson(t.db, plo, person({ teamId: team.id }));
      const second = await createPerson(t.db, plo, person({ teamId: team.id }));
      expect((await getTeamDetail(t.db, team.id))?.team).toMatchObject({ size: 2, memberCount: 2 });
      await archivePerson(t.db, plo, second.id);
      expect((await getTeamDetail(t.db, team.id))?.team).toMatchObject({ size: 1, memberCount: 1 });
    });

    it("moving a team moves its members to the new unit, and is audited", async () => {
      const { fleet, sales } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      const member = await createPerson(t.db, plo, person({ teamId: team.id }));
      await moveTeam(t.db, plo, team.id, sales.id);
      expect((await getPersonDetail(t.db, member.id))?.person.unitId).toBe(sales.id);
      expect((await auditOf(team.id)).at(-1)).toMatchObject({
        action: "team.moved",
        summary: `Moved team “Engines” from “${fleet.path}” to “${sales.path}”`,
        details: { unit: { from: fleet.path, to: sales.path, membersMoved: 1 } },
      });
    });

    it("refuses to archive a team with members unless they are taken out of it, and restores it", async () => {
      const { fleet } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      const a = await createPerson(t.db, plo, person({ teamId: team.id }));
      await createPerson(t.db, plo, person({ teamId: team.id }));
      await expectRule(archiveTeam(t.db, plo, team.id), "_form", /^2 people are still members of “Engines”\./);
      const result = await archiveTeam(t.db, plo, team.id, { releaseMembers: true });
      expect(result?.released).toBe(2);
      const detail = await getPersonDetail(t.db, a.id);
      expect(detail?.person).toMatchObject({ teamId: null, unitId: fleet.id });
      await restoreTeam(t.db, plo, team.id);
      expect((await getTeamDetail(t.db, team.id))?.team.archivedAt).toBeNull();
      expect((await auditOf(team.id)).map((e) => e.action)).toEqual(["team.created", "team.archived", "team.restored"]);
    });

    it("refuses to restore a team whose unit is archived", async () => {
      const { root } = await company();
      const unit = await createUnit(t.db, plo, { name: "Short-lived", parentId: root.id });
      const team = await createTeam(t.db, plo, { name: "Temp", unitId: unit.id, leadEmail: null, size: null });
      await archiveUnit(t.db, plo, unit.id, { cascade: true });
      await expectRule(restoreTeam(t.db, plo, team.id), "_form", /Its unit “Short-lived” is archived/);
      await expectRule(
        createTeam(t.db, plo, { name: "New", unitId: unit.id, leadEmail: null, size: null }),
        "unitId",
        /is archived: choose an active unit/,
      );
    });
  });

  describe("people", () => {
    it("stores emails lower-cased and unique, with a clear error for a taken or archived one", async () => {
      const { fleet } = await company();
      const email = `Ana.${tag()}@Example.COM`;
      const ana = await createPerson(t.db, plo, person({ name: "Ana", email, unitId: fleet.id }));
      expect((await findPersonByEmail(t.db, email.toUpperCase()))?.id).toBe(ana.id);
      expect((await findPersonByEmail(t.db, email))?.email).toBe(email.toLowerCase());
      await expectRule(createPerson(t.db, plo, person({ email: email.toUpperCase() })), "email", "This email already belongs to Ana.");
      await archivePerson(t.db, plo, ana.id);
      await expectRule(
        createPerson(t.db, plo, person({ email })),
        "email",
        "This email belongs to Ana, who is archived: restore them instead.",
      );
      await expectRule(
        resolvePersonEmail(t.db, email, "ownerEmail"),
        "ownerEmail",
        "Ana is archived: choose someone in the organization today.",
      );
      await restorePerson(t.db, plo, ana.id);
      expect((await resolvePersonEmail(t.db, email, "ownerEmail"))?.id).toBe(ana.id);
    });

    it("puts a person in their team's unit and refuses a team of another unit", async () => {
      const { fleet, sales } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      const p = await createPerson(t.db, plo, person({ teamId: team.id }));
      expect((await getPersonDetail(t.db, p.id))?.person).toMatchObject({ unitId: fleet.id, unitPath: fleet.path, teamName: "Engines" });
      await expectRule(
        updatePerson(t.db, plo, p.id, person({ unitId: sales.id, teamId: team.id })),
        "teamId",
        `“Engines” belongs to “${fleet.path}”, not to “${sales.path}”: choose that unit or another team.`,
      );
      await expectRule(createPerson(t.db, plo, person({ teamId: "missing" })), "teamId", "Choose one of the listed teams.");
    });

    it("refuses to archive someone who leads active teams unless those teams are left without a lead", async () => {
      const { fleet } = await company();
      const lead = await createPerson(t.db, plo, person({ name: "Lars", unitId: fleet.id }));
      const email = (await getPersonDetail(t.db, lead.id))!.person.email;
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: email, size: null });
      await expectRule(archivePerson(t.db, plo, lead.id), "_form", /^Lars leads 1 active team \(“Engines”\)\./);
      expect((await archivePerson(t.db, plo, lead.id, { clearLeads: true }))?.leadsCleared).toBe(1);
      expect((await getTeamDetail(t.db, team.id))?.team.leadId).toBeNull();
      // An archived person cannot become a lead.
      await expectRule(setTeamLead(t.db, plo, team.id, email), "leadEmail", "Lars is archived: choose someone in the organization today.");
    });

    it("links a person to the account with the same email, one person per account, and shows its role", async () => {
      const user = await createTestUser(t.db, { role: "coach" });
      const p = await createPerson(t.db, plo, person({ email: user.email }));
      expect((await getPersonDetail(t.db, p.id))?.suggestedAccount).toMatchObject({ id: user.id, role: "coach" });
      await linkPersonAccount(t.db, plo, p.id, user.email.toUpperCase());
      const detail = await getPersonDetail(t.db, p.id);
      expect(detail?.account).toMatchObject({ id: user.id, role: "coach" });
      expect(detail?.person.accountRole).toBe("coach");
      const other = await createPerson(t.db, plo, person({ name: "Other" }));
      await expectRule(linkPersonAccount(t.db, plo, other.id, user.email), "accountEmail", /already linked to/);
      await expectRule(linkPersonAccount(t.db, plo, other.id, "nobody@example.com"), "accountEmail", /No account has this email/);
      await unlinkPersonAccount(t.db, plo, p.id);
      expect((await getPersonDetail(t.db, p.id))?.account).toBeNull();
      expect((await auditOf(p.id)).map((e) => e.action)).toEqual(["person.created", "person.account_linked", "person.account_unlinked"]);
    });

    it("search finds active people by name or email, names starting with the text first, at most the limit", async () => {
      const { fleet } = await company();
      const word = `zq${tag()}`;
      await createPerson(t.db, plo, person({ name: `Bea ${word}`, email: `bea-${tag()}@example.com`, unitId: fleet.id }));
      const ann = await createPerson(t.db, plo, person({ name: `${word} Ann`, email: `ann-${tag()}@example.com` }));
      await createPerson(t.db, plo, person({ name: "Carl", email: `${word}@example.com` }));
      const archived = await createPerson(t.db, plo, person({ name: `${word} Archived` }));
      await archivePerson(t.db, plo, archived.id);
      const found = await searchPeople(t.db, word.toUpperCase(), 20);
      // Name or email starting with the text first (then by name), then the other matches.
      expect(found.map((p) => p.name)).toEqual(["Carl", `${word} Ann`, `Bea ${word}`]);
      expect(found[1].id).toBe(ann.id);
      expect(found[2].unit).toBe(fleet.path);
      expect(await searchPeople(t.db, word, 2)).toHaveLength(2);
      expect(await searchPeople(t.db, "  ", 20)).toEqual([]);
      expect(await searchPeople(t.db, "%", 20)).toEqual(expect.any(Array));
    });
  });

  describe("lists", () => {
    /** Counts the queries a function sends. */
    async function countQueries<T>(fn: (db: DB) => Promise<T>): Promise<number> {
      let count = 0;
      const plugin: KyselyPlugin = {
        transformQuery: (args) => {
          count += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      await fn(t.db.withPlugin(plugin));
      return count;
    }

    it("pages, sorts and filters teams (unit with its sub-units, status), with the same number of queries for 3 or 60 teams", async () => {
      const { root, operations, fleet, sales } = await company();
      const params = (query: string) => parseListParams(new URLSearchParams(query), TEAM_LIST_SPEC);
      const list = async (query: string) => listTeams(t.db, params(query), await loadUnitIndex(t.db));
      await createTeam(t.db, plo, { name: "Alpha", unitId: fleet.id, leadEmail: null, size: 4 });
      await createTeam(t.db, plo, { name: "Bravo", unitId: operations.id, leadEmail: null, size: 9 });
      const charlie = await createTeam(t.db, plo, { name: "Charlie", unitId: sales.id, leadEmail: null, size: null });

      const small = await countQueries(async (db) => listTeams(db, params(`unit=${root.id}`), await loadUnitIndex(db)));
      expect((await list(`unit=${root.id}`)).rows.map((r) => r.name)).toEqual(["Alpha", "Bravo", "Charlie"]);
      expect((await list(`unit=${operations.id}`)).rows.map((r) => r.name)).toEqual(["Alpha", "Bravo"]);
      expect((await list(`unit=${root.id}&sort=size&dir=desc`)).rows.map((r) => r.name)).toEqual(["Bravo", "Alpha", "Charlie"]);
      expect((await list(`unit=${root.id}&sort=unit`)).rows.map((r) => r.unitPath)).toEqual([operations.path, fleet.path, sales.path]);
      expect((await list(`unit=${root.id}&q=rav`)).rows.map((r) => r.name)).toEqual(["Bravo"]);

      await archiveTeam(t.db, plo, charlie.id);
      expect((await list(`unit=${root.id}`)).total).toBe(2);
      expect((await list(`unit=${root.id}&status=archived`)).rows.map((r) => r.name)).toEqual(["Charlie"]);
      expect((await list(`unit=${root.id}&status=all`)).total).toBe(3);

      for (let i = 0; i < 57; i++)
        await createTeam(t.db, plo, { name: `Team ${String(i).padStart(2, "0")}`, unitId: sales.id, leadEmail: null, size: null });
      const page2 = await list(`unit=${root.id}&status=all&size=25&page=2`);
      expect(page2).toMatchObject({ total: 60, page: 2, size: 25 });
      expect(page2.rows).toHaveLength(25);
      const large = await countQueries(async (db) => listTeams(db, params(`unit=${root.id}`), await loadUnitIndex(db)));
      expect(large).toBe(small);
      expect(small).toBe(3); // the unit index, the page, its count
    });

    it("lists people with unit path, team and account, filtered by team, unit and search", async () => {
      const { root, fleet, sales } = await company();
      const team = await createTeam(t.db, plo, { name: "Engines", unitId: fleet.id, leadEmail: null, size: null });
      const a = await createPerson(t.db, plo, person({ name: "Zoe Engine", teamId: team.id, externalId: `E-${tag()}` }));
      await createPerson(t.db, plo, person({ name: "Yan Sales", unitId: sales.id, title: "Account Executive" }));
      const index = await loadUnitIndex(t.db);
      const params = (query: string) => parseListParams(new URLSearchParams(query), PEOPLE_LIST_SPEC);
      expect((await listPeople(t.db, params(`team=${team.id}`), index)).rows.map((r) => r.id)).toEqual([a.id]);
      const all = await listPeople(t.db, params(`unit=${root.id}&sort=name&dir=desc`), index);
      expect(all.rows.map((r) => r.name)).toEqual(["Zoe Engine", "Yan Sales"]);
      expect(all.rows[0]).toMatchObject({ unitPath: fleet.path, teamName: "Engines" });
      expect((await listAllPeople(t.db, params(`unit=${root.id}&q=executive`), index)).map((r) => r.name)).toEqual(["Yan Sales"]);
      expect((await listAllPeople(t.db, params(`unit=${root.id}&q=engines`), index)).map((r) => r.name)).toEqual(["Zoe Engine"]);
    });
  });

  describe("the audit log", () => {
    it("records who created, changed, archived and restored each unit, team and person", async () => {
      const { fleet } = await company();
      const unit = await createUnit(t.db, plo, { name: "Audited", parentId: fleet.id });
      await updateUnit(t.db, plo, unit.id, { name: "Audited unit", parentId: fleet.id });
      await archiveUnit(t.db, plo, unit.id);
      await restoreUnit(t.db, plo, unit.id);
      expect((await auditOf(unit.id)).map((e) => [e.action, e.summary])).toEqual([
        ["unit.created", `Created unit “${fleet.path} › Audited”`],
        ["unit.updated", `Renamed unit “${fleet.path} › Audited” to “Audited unit”`],
        ["unit.archived", `Archived unit “${fleet.path} › Audited unit”`],
        ["unit.restored", `Restored unit “${fleet.path} › Audited unit”`],
      ]);
      const team = await createTeam(t.db, plo, { name: "Audited team", unitId: unit.id, leadEmail: null, size: null });
      await updateTeam(t.db, plo, team.id, { name: "Audited team", unitId: unit.id, leadEmail: null, size: 5 });
      expect((await auditOf(team.id)).at(-1)).toMatchObject({ action: "team.updated", details: { size: { from: null, to: 5 } } });
      const p = await createPerson(t.db, plo, person({ name: "Audited person", teamId: team.id }));
      await updatePerson(
        t.db,
        plo,
        p.id,
        person({ name: "Audited person", title: "Analyst", email: (await getPersonDetail(t.db, p.id))!.person.email, teamId: team.id }),
      );
      expect((await auditOf(p.id)).map((e) => e.action)).toEqual(["person.created", "person.updated"]);
      expect((await auditOf(p.id)).every((e) => e.actor_id === plo.id)).toBe(true);
    });

    it("a refused change records nothing and changes nothing", async () => {
      const { operations, fleet } = await company();
      const before = await t.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      await expectRule(moveUnit(t.db, plo, operations.id, fleet.id), "parentId", /cannot move under/);
      const after = await t.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  });

  describe("the demo organization", () => {
    it("loads ~300 people in ~40 teams with leads (a few without) and links the demo accounts, and only once", async () => {
      // The demo accounts (seedDemo would load the organization itself, so it is not used here).
      for (const account of DEMO_ACCOUNTS) await createTestUser(t.db, { role: account.role, name: account.name, email: account.email });
      const actor = plo;
      // How fast it loads is the bench's business (tests/bench), not a correctness test's.
      const first = await seedDemoOrg(t.db, actor);
      expect(first.units).toBeGreaterThanOrEqual(12);
      expect(first.teams).toBeGreaterThanOrEqual(35);
      expect(first.people).toBeGreaterThanOrEqual(280);

      const auditCount = async () =>
        Number(
          (
            await t.db
              .selectFrom("audit_events")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const events = await auditCount();
      expect(await seedDemoOrg(t.db, actor)).toEqual({ units: 0, teams: 0, people: 0 });
      expect(await auditCount()).toBe(events);

      const index = await loadUnitIndex(t.db);
      const paths = index.units.map((u) => u.path);
      expect(paths).toContain("Northwind Logistics › Operations › Warehousing");
      expect(paths).toContain("Northwind Logistics › Fleet");
      expect(paths).toContain("Northwind Logistics › People & Strategy › OKR Program Lead Office");

      const northwind = index.units.find((u) => u.path === "Northwind Logistics")!;
      const teams = await listTeams(t.db, parseListParams(new URLSearchParams(`size=200&unit=${northwind.id}`), TEAM_LIST_SPEC), index);
      expect(teams.total).toBe(first.teams);
      const hamburg = teams.rows.find((r) => r.name === "Warehouse Operations Hamburg");
      expect(hamburg).toMatchObject({ leadName: "Diego Álvarez", leadEmail: "team-lead@demo.rollout-desk.test" });
      const leadless = teams.rows.filter((r) => r.leadId === null);
      expect(leadless.length).toBeGreaterThanOrEqual(2);
      expect(leadless.length).toBeLessThanOrEqual(5);

      for (const account of DEMO_ACCOUNTS) {
        const person = await findPersonByEmail(t.db, account.email);
        expect(person?.name, account.email).toBe(account.name);
        expect(person?.user_id, account.email).not.toBeNull();
      }
      const amara = (await getPersonDetail(t.db, (await findPersonByEmail(t.db, "coach@demo.rollout-desk.test"))!.id))!;
      expect(amara.person.unitPath).toBe("Northwind Logistics › People & Strategy › OKR Program Lead Office");
      expect(amara.account?.role).toBe("coach");
      const emails = await t.db.selectFrom("people").select("email").execute();
      expect(new Set(emails.map((e) => e.email)).size).toBe(emails.length);
    });
  });
});
