import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { createModule, updateModule } from "~/models/enablement/curriculum.server";
import { allOverdue, OVERDUE_LIST_SPEC, pageOverdue, type OverdueRow, type OverdueSort } from "~/models/enablement/overdue.server";
import { createRequirement, grantWaiver, recordCompletion } from "~/models/enablement/requirements.server";
import { listStates, type PersonRequirementState } from "~/models/enablement/resolve.server";
import { addDays, today, type Day } from "~/utils/dates";
import type { ListParams } from "~/utils/list-params";
import type { RequirementInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertPerson, insertTeam, insertUnit, insertWave, moduleInput, requirementInput } from "../support/enablement";

// The overdue list pages over the stored overdue rows (ADR 0014). Whatever the page, filter or
// change, its pages put together are exactly what the state query (the list's former source,
// `listStates` with the overdue state and required modules) answers, in the same order.

const DAY = today();
const SIZE = 25;

const requirement = (moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput =>
  requirementInput(moduleId, { dueOn: addDays(DAY, -20), ...extra });

const params = (changes: Partial<ListParams<OverdueSort>> = {}): ListParams<OverdueSort> => ({
  q: "",
  sort: OVERDUE_LIST_SPEC.defaultSort,
  dir: "asc",
  page: 1,
  size: SIZE,
  filters: {},
  ...changes,
});

const fromList = (r: OverdueRow) => ({
  key: `${r.personId}:${r.requirementId}`,
  name: r.personName,
  email: r.personEmail,
  module: r.moduleTitle,
  audience: r.audience,
  team: r.teamName,
  dueOn: r.dueOn,
});
const fromStates = (s: PersonRequirementState) => ({
  key: `${s.personId}:${s.requirementId}`,
  name: s.personName,
  email: s.personEmail,
  module: s.moduleTitle,
  audience: s.audience,
  team: s.teamName,
  dueOn: s.dueOn,
});

describe("the overdue list", () => {
  const t = useTestDatabase();
  let plo: Actor;
  let s: Awaited<ReturnType<typeof setting>>;

  async function setting() {
    const program = await createTestProgram(t.db, plo);
    const root = await insertUnit(t.db, "Company");
    const sales = await insertUnit(t.db, "Sales", root);
    const field = await insertUnit(t.db, "Field sales", sales);
    const ops = await insertUnit(t.db, "Ops", root);
    const wave1 = await insertWave(t.db, program.id, "Wave 1", addDays(DAY, 3), 1);
    const wave2 = await insertWave(t.db, program.id, "Wave 2", addDays(DAY, 60), 2);
    const teams = [
      ...(await Promise.all([1, 2, 3].map(() => insertTeam(t.db, program.id, sales, wave1, 8)))),
      ...(await Promise.all([1, 2].map(() => insertTeam(t.db, program.id, field, wave2, 8)))),
      ...(await Promise.all([1, 2].map(() => insertTeam(t.db, program.id, ops, null, 6)))),
    ];
    const coachPerson = await insertPerson(t.db, { unitId: root, name: "Coach Carla" });
    const coachId = crypto.randomUUID();
    await t.db.insertInto("coaches").values({ id: coachId, program_id: program.id, person_id: coachPerson.id, capacity: 3 }).execute();
    await t.db
      .insertInto("coach_assignments")
      .values({ id: crypto.randomUUID(), program_id: program.id, coach_id: coachId, team_id: teams[0].id, starts_on: addDays(DAY, -100) })
      .execute();
    const basics = await createModule(t.db, plo, program.id, moduleInput("Basics"));
    const leading = await createModule(t.db, plo, program.id, moduleInput("Leading"));
    const coaching = await createModule(t.db, plo, program.id, moduleInput("Coaching"));
    const later = await createModule(t.db, plo, program.id, moduleInput("Later"));
    const extra = await createModule(t.db, plo, program.id, moduleInput("Extra"));
    // Every member: overdue since 20 days. Wave 1's leads: due 7 days before the wave (4 days ago).
    const basicsReq = await createRequirement(t.db, plo, program.id, requirement(basics));
    await createRequirement(
      t.db,
      plo,
      program.id,
      requirement(leading, { audience: "team_lead", scope: "wave", waveId: wave1, dueRule: "before_wave", dueDays: 7, dueOn: null }),
    );
    await createRequirement(t.db, plo, program.id, requirement(coaching, { audience: "coach", dueOn: addDays(DAY, -1) }));
    // Not overdue: due in ten days; recommended only.
    await createRequirement(t.db, plo, program.id, requirement(later, { scope: "unit", unitId: sales, dueOn: addDays(DAY, 10) }));
    await createRequirement(t.db, plo, program.id, requirement(extra, { necessity: "recommended" }));
    const email = async (id: string) =>
      (await t.db.selectFrom("people").select("email").where("id", "=", id).executeTakeFirstOrThrow()).email;
    for (const member of [teams[0].memberIds[1], teams[3].memberIds[2]])
      await recordCompletion(t.db, plo, program.id, { email: await email(member), moduleId: basics, completedOn: DAY, evidence: "x" });
    await grantWaiver(t.db, plo, program.id, {
      email: await email(teams[5].memberIds[1]),
      requirementId: basicsReq,
      reason: "Trained before",
    });
    return { program, root, sales, field, ops, wave1, wave2, teams, basics, later, basicsReq, email };
  }

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
    s = await setting();
  });

  /** What the list showed before it was paged: the state query, overdue required states. */
  const oracle = (day: Day = DAY, filter: Parameters<typeof listStates>[3] = {}) =>
    listStates(t.db, s.program.id, day, { states: ["overdue"], necessity: "required", ...filter });

  /** Every page of the list, one after the other, until an empty one. */
  async function everyPage(p: ListParams<OverdueSort>, day: Day = DAY) {
    const rows: OverdueRow[] = [];
    const totals = new Set<number>();
    for (let page = 1; ; page += 1) {
      const got = await pageOverdue(t.db, s.program.id, day, { ...p, page });
      totals.add(got.total);
      expect(got.rows.length).toBeLessThanOrEqual(p.size);
      if (got.rows.length === 0) break;
      rows.push(...got.rows);
    }
    // Every page (the empty one after the last too) says the same total.
    expect(totals.size).toBe(1);
    return { rows, total: [...totals][0] };
  }

  const computedAt = async () =>
    (await t.db.selectFrom("enablement_coverage_stamps").select("computed_at").where("program_id", "=", s.program.id).executeTakeFirst())
      ?.computed_at ?? null;

  it("pages through exactly the overdue states of the state query, most overdue first, with their total", async () => {
    const expected = (await oracle()).map(fromStates);
    // Members, wave 1's leads and the coach; more than two pages.
    expect(expected.length).toBeGreaterThan(2 * SIZE);
    const { rows, total } = await everyPage(params());
    expect(total).toBe(expected.length);
    expect(rows.map(fromList)).toEqual(expected);
    // Nothing due later, recommended or done is listed.
    expect(new Set(rows.map((r) => r.moduleTitle))).toEqual(new Set(["Basics", "Leading", "Coaching"]));
    // A page past the last one: no rows, the same total.
    const past = await pageOverdue(t.db, s.program.id, DAY, params({ page: 99 }));
    expect(past).toMatchObject({ rows: [], total: expected.length });
    // The CSV's rows: all of them, in the same order.
    expect((await allOverdue(t.db, s.program.id, DAY, params())).map(fromList)).toEqual(expected);
  });

  it("filters by wave, by unit with its sub-units, by module and by a name as the state query does", async () => {
    const cases: Array<[Record<string, string>, Parameters<typeof listStates>[3]]> = [
      [{ wave: s.wave1 }, { waveId: s.wave1 }],
      [{ wave: "none" }, { waveId: "none" }],
      [{ unit: s.sales }, { unitId: s.sales }],
      [{ unit: s.field }, { unitId: s.field }],
      [{ module: s.basics }, { moduleIds: [s.basics] }],
      [
        { wave: s.wave1, module: s.basics },
        { waveId: s.wave1, moduleIds: [s.basics] },
      ],
    ];
    for (const [filters, filter] of cases) {
      const expected = (await oracle(DAY, filter)).map(fromStates);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      const { rows, total } = await everyPage(params({ filters }));
      expect(rows.map(fromList), JSON.stringify(filters)).toEqual(expected);
      expect(total).toBe(expected.length);
    }
    const someone = (await oracle())[5];
    const found = await everyPage(params({ q: someone.personName.toUpperCase() }));
    expect(found.rows.map(fromList)).toEqual((await oracle()).filter((x) => x.personName === someone.personName).map(fromStates));
    expect((await everyPage(params({ filters: { module: s.later } }))).total).toBe(0);
  });

  it("sorts by person or by module, each row once", async () => {
    const expected = (await oracle()).map(fromStates);
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    for (const sort of ["person", "module"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const { rows } = await everyPage(params({ sort, dir }));
        expect([...rows.map(fromList)].sort(byKey)).toEqual([...expected].sort(byKey));
        const column = rows.map((r) => (sort === "person" ? r.personName : r.moduleTitle));
        const ordered = [...column].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(column).toEqual(dir === "asc" ? ordered : ordered.reverse());
      }
    }
  });

  it("follows a completion and a waiver at once without computing everything again, and a new requirement", async () => {
    await pageOverdue(t.db, s.program.id, DAY, params());
    const stamped = await computedAt();
    expect(stamped).not.toBeNull();
    const [first, second] = await oracle(DAY, { moduleIds: [s.basics] });
    await recordCompletion(t.db, plo, s.program.id, {
      email: first.personEmail,
      moduleId: s.basics,
      completedOn: DAY,
      evidence: "Class list",
    });
    await grantWaiver(t.db, plo, s.program.id, { email: second.personEmail, requirementId: s.basicsReq, reason: "Trains it" });
    const after = await everyPage(params());
    expect(await computedAt()).toEqual(stamped);
    const keys = after.rows.map((r) => `${r.personId}:${r.requirementId}`);
    expect(keys).not.toContain(`${first.personId}:${first.requirementId}`);
    expect(keys).not.toContain(`${second.personId}:${second.requirementId}`);
    expect(after.rows.map(fromList)).toEqual((await oracle()).map(fromStates));
    // The total kept with the stored rows followed them.
    expect(after.total).toBe(after.rows.length);

    // A new requirement (no write keeps the rows for it): computed again, the same answer as the states.
    const refresher = await createModule(t.db, plo, s.program.id, moduleInput("Refresher"));
    await createRequirement(t.db, plo, s.program.id, requirement(refresher, { scope: "unit", unitId: s.field, dueOn: addDays(DAY, -2) }));
    const again = await everyPage(params());
    expect(again.rows.some((r) => r.moduleTitle === "Refresher")).toBe(true);
    expect(again.rows.map(fromList)).toEqual((await oracle()).map(fromStates));
    expect(again.total).toBe(again.rows.length);
  });

  it("is computed for the day asked: what is overdue later is listed then", async () => {
    const later = addDays(DAY, 11);
    const expected = (await oracle(later)).map(fromStates);
    const { rows } = await everyPage(params(), later);
    expect(rows.some((r) => r.moduleTitle === "Later")).toBe(true);
    expect(rows.map(fromList)).toEqual(expected);
    // Back to today: the later rows are gone again.
    expect((await everyPage(params())).rows.map(fromList)).toEqual((await oracle()).map(fromStates));
  });

  it("shows and sorts by a module's new title once it is renamed", async () => {
    await updateModule(t.db, plo, s.program.id, s.basics, moduleInput("Zz basics, renamed"));
    const { rows } = await everyPage(params({ sort: "module" }));
    expect(rows.at(-1)?.moduleTitle).toBe("Zz basics, renamed");
    expect(rows.some((r) => r.moduleTitle === "Basics")).toBe(false);
    expect((await everyPage(params())).rows.map(fromList)).toEqual((await oracle()).map(fromStates));
  });
});
