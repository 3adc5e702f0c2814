import { describe, expect, it } from "vitest";
import {
  createProgram,
  getProgram,
  listPrograms,
  listSwitcherPrograms,
  setProgramArchived,
  updateProgram,
} from "~/models/programs/programs.server";
import type { ProgramInput } from "~/validation/program";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";

describe("programs", () => {
  const t = useTestDatabase();

  const input = (overrides: Partial<ProgramInput> = {}): ProgramInput => ({
    name: "OKR rollout",
    description: "All divisions, three waves.",
    startsOn: "2027-01-04",
    endsOn: "2027-12-17",
    status: "active",
    ...overrides,
  });

  async function auditFor(programId: string) {
    return t.db.selectFrom("audit_events").selectAll().where("program_id", "=", programId).orderBy("id").execute();
  }

  it("creating a program stores it as entered and records program.created", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createProgram(t.db, plo, input());
    expect(program).toMatchObject({
      name: "OKR rollout",
      description: "All divisions, three waves.",
      starts_on: "2027-01-04",
      ends_on: "2027-12-17",
      status: "active",
      created_by: plo.id,
    });
    expect(await getProgram(t.db, program.id)).toEqual(program);
    const events = await auditFor(program.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "program.created",
      entity_type: "program",
      entity_id: program.id,
      actor_id: plo.id,
      summary: "Created program “OKR rollout”",
      details: { name: "OKR rollout", startsOn: "2027-01-04", endsOn: "2027-12-17", status: "active" },
    });
  });

  it("updating a program records program.updated with only the changed fields, from and to", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createProgram(t.db, plo, input());
    const updated = await updateProgram(t.db, plo, program.id, input({ name: "OKR rollout 2027", endsOn: "2027-12-31" }));
    expect(updated).toMatchObject({ name: "OKR rollout 2027", ends_on: "2027-12-31", starts_on: "2027-01-04" });
    const event = (await auditFor(program.id)).at(-1)!;
    expect(event).toMatchObject({ action: "program.updated", summary: "Updated program “OKR rollout 2027”: name, ends_on" });
    expect(event.details).toEqual({
      name: { from: "OKR rollout", to: "OKR rollout 2027" },
      ends_on: { from: "2027-12-17", to: "2027-12-31" },
    });
  });

  it("saving a program unchanged records nothing", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createProgram(t.db, plo, input());
    await updateProgram(t.db, plo, program.id, input());
    expect((await auditFor(program.id)).map((e) => e.action)).toEqual(["program.created"]);
  });

  it("archiving hides a program from the list unless archived ones are asked for, and unarchiving makes it active", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, plo, { status: "paused" });
    expect((await listPrograms(t.db)).map((p) => p.id)).toContain(program.id);

    const archived = await setProgramArchived(t.db, plo, program.id, true);
    expect(archived?.status).toBe("archived");
    expect((await listPrograms(t.db)).map((p) => p.id)).not.toContain(program.id);
    expect((await listPrograms(t.db, { includeArchived: true })).map((p) => p.id)).toContain(program.id);

    const restored = await setProgramArchived(t.db, plo, program.id, false);
    expect(restored?.status).toBe("active");
    expect((await listPrograms(t.db)).map((p) => p.id)).toContain(program.id);

    const events = await auditFor(program.id);
    expect(events.map((e) => e.action)).toEqual(["program.created", "program.archived", "program.updated"]);
    expect(events[1]).toMatchObject({
      summary: `Archived program “${program.name}”`,
      details: { status: { from: "paused", to: "archived" } },
    });
    expect(events[2].details).toEqual({ status: { from: "archived", to: "active" } });
  });

  it("unarchiving a program that is not archived leaves its status alone", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, plo, { status: "completed" });
    expect((await setProgramArchived(t.db, plo, program.id, false))?.status).toBe("completed");
    expect((await auditFor(program.id)).map((e) => e.action)).toEqual(["program.created"]);
  });

  it("an unknown program gives null to update and archive", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    expect(await updateProgram(t.db, plo, "no-such-id", input())).toBeNull();
    expect(await setProgramArchived(t.db, plo, "no-such-id", true)).toBeNull();
    expect(await getProgram(t.db, "no-such-id")).toBeUndefined();
  });

  it("the list shows the latest start first, then by name", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const tag = crypto.randomUUID().slice(0, 8);
    await createTestProgram(t.db, plo, { name: `${tag} B`, startsOn: "2031-05-01" });
    await createTestProgram(t.db, plo, { name: `${tag} A`, startsOn: "2031-05-01" });
    await createTestProgram(t.db, plo, { name: `${tag} C`, startsOn: "2031-09-01" });
    const names = (await listPrograms(t.db)).map((p) => p.name).filter((n) => n.startsWith(tag));
    expect(names).toEqual([`${tag} C`, `${tag} A`, `${tag} B`]);
  });

  it("the switcher offers the current program first among the latest, and returns it in full", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const tag = crypto.randomUUID().slice(0, 8);
    const old = await createTestProgram(t.db, plo, {
      name: `${tag} old`,
      status: "active",
      startsOn: "1950-01-02",
      description: "The first try.",
    });
    for (const year of [2990, 2991, 2992, 2993])
      await createTestProgram(t.db, plo, { name: `${tag} ${year}`, status: "active", startsOn: `${year}-01-01` });

    const { programs, total, current } = await listSwitcherPrograms(t.db, old.id, 3);
    expect(programs.map((p) => p.name)).toEqual([`${tag} 2993`, `${tag} 2992`, `${tag} old`]);
    expect(current).toEqual(old);
    expect(total).toBe((await listPrograms(t.db)).length);

    const withoutCurrent = await listSwitcherPrograms(t.db, undefined, 3);
    expect(withoutCurrent.programs.map((p) => p.name)).toEqual([`${tag} 2993`, `${tag} 2992`, `${tag} 2991`]);
    expect(withoutCurrent.current).toBeUndefined();
  });

  it("an archived program is not offered by the switcher, but its own pages still get it", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const program = await createTestProgram(t.db, plo, { status: "active", startsOn: "2999-12-01" });
    await setProgramArchived(t.db, plo, program.id, true);

    const { programs, total, current } = await listSwitcherPrograms(t.db, program.id);
    expect(current).toMatchObject({ id: program.id, status: "archived" });
    expect(programs.map((p) => p.id)).not.toContain(program.id);
    expect(total).toBe((await listPrograms(t.db)).length);
    expect((await listSwitcherPrograms(t.db, "no-such-id")).current).toBeUndefined();
  });

  it("the database refuses an end date before the start date, even without the form's check", async () => {
    const plo = await createTestUser(t.db, { role: "plo" });
    const before = await t.db.selectFrom("audit_events").select("id").execute();
    await expect(createProgram(t.db, plo, input({ name: "Backwards", startsOn: "2027-06-30", endsOn: "2027-06-01" }))).rejects.toThrow(
      /programs_dates_ordered/,
    );
    await expect(
      t.db
        .insertInto("programs")
        .values({
          id: crypto.randomUUID(),
          name: "Raw",
          description: "",
          status: "planned",
          starts_on: "2027-06-30",
          ends_on: "2027-06-29",
        })
        .execute(),
    ).rejects.toThrow(/programs_dates_ordered/);
    expect(await t.db.selectFrom("programs").select("id").where("name", "in", ["Backwards", "Raw"]).execute()).toEqual([]);
    // The audit entry was written in the same transaction, so it was rolled back too.
    expect(await t.db.selectFrom("audit_events").select("id").execute()).toEqual(before);
  });

  it("the database refuses a status outside the list", async () => {
    await expect(
      t.db
        .insertInto("programs")
        .values({ id: crypto.randomUUID(), name: "Odd", description: "", status: "deleted" as "planned" })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });
});
