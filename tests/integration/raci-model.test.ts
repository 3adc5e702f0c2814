import { beforeAll, describe, expect, it } from "vitest";
import { csvToMatrix, matrixToCsv } from "~/models/raci/csv";
import { contentOf, createMatrix, getMatrix, matrixIssues, raciStatus, setCell } from "~/models/raci/matrix.server";
import { addActivity, addRole, moveRow, removeRow, updateActivity } from "~/models/raci/rows.server";
import { diffStates, listChanges, matrixStateAt } from "~/models/raci/history.server";
import { replaceContent, restoreRevision } from "~/models/raci/restore.server";
import { TEMPLATE_ACTIVITIES, TEMPLATE_ROLES } from "~/models/raci/template";
import { createProgram } from "~/models/programs/programs.server";
import { createUser } from "~/models/accounts/users.server";
import { useTestDatabase } from "../support/database";
import { FieldError, NotFoundError, ConflictError } from "~/models/errors";

describe("RACI matrix model", () => {
  const t = useTestDatabase();
  let ada: { id: string; name: string };
  let bo: { id: string; name: string };
  const newProgram = async (name: string) =>
    (await createProgram(t.db, ada, { name, description: "", startsOn: null, endsOn: null, status: "active" })).id;

  beforeAll(async () => {
    ada = await createUser(t.db, null, { name: "Ada PLO", email: "ada@example.com", password: "correct-horse-battery", role: "plo" });
    bo = await createUser(t.db, null, { name: "Bo PLO", email: "bo@example.com", password: "correct-horse-battery", role: "plo" });
  });

  it("a matrix created from the template has the template's roles, activities and no errors", async () => {
    const programId = await newProgram("Template program");
    const matrix = await createMatrix(t.db, ada, programId, { kind: "template" });
    expect(matrix.roles.map((r) => r.name)).toEqual([...TEMPLATE_ROLES]);
    expect(matrix.activities).toHaveLength(TEMPLATE_ACTIVITIES.length);
    expect(matrixIssues(matrix).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("the one-query status counts the same errors and warnings as the full validation", async () => {
    const programId = await newProgram("Status program");
    expect(await raciStatus(t.db, programId)).toBeNull();
    const roles = ["PLO", "Coach", "Sponsor", "Lead"].map((name) => ({ name, holders: "" }));
    const activities = [
      { group: "Setup", name: "Two accountable", cells: { PLO: "A", Coach: "A", Lead: "R" } },
      { group: "Setup", name: "Nobody", cells: { Sponsor: "I" } },
      { group: "Setup", name: "Fine 1", cells: { PLO: "A", Coach: "R" } },
      { group: "Setup", name: "Fine 2", cells: { PLO: "A", Lead: "R", Sponsor: "I" } },
      { group: "Setup", name: "Fine 3", cells: { PLO: "A", Coach: "R" } },
      { group: "Setup", name: "Sponsor owns", cells: { Sponsor: "A", Lead: "R" } },
    ] as const;
    const matrix = await createMatrix(t.db, ada, programId, {
      kind: "content",
      content: { roles, activities: activities.map((a) => ({ ...a, cells: { ...a.cells } })) },
    });
    const expected = (m: NonNullable<Awaited<ReturnType<typeof getMatrix>>>) => {
      const issues = matrixIssues(m);
      return {
        errors: issues.filter((i) => i.severity === "error").length,
        warnings: issues.filter((i) => i.severity === "warning").length,
      };
    };
    expect(expected(matrix)).toEqual({ errors: 3, warnings: 1 });
    expect(await raciStatus(t.db, programId)).toEqual(expected(matrix));
    // A removed role's cells no longer count (the PLO's four A's go with it).
    const plo = matrix.roles.find((r) => r.name === "PLO")!;
    await removeRow(t.db, ada, programId, "role", plo.id, plo.version);
    const after = (await getMatrix(t.db, programId))!;
    expect(await raciStatus(t.db, programId)).toEqual(expected(after));
  });

  it("a cell edit based on a stale version is refused with the current value and who set it", async () => {
    const programId = await newProgram("Conflict program");
    const matrix = await createMatrix(t.db, ada, programId, { kind: "template" });
    const activity = matrix.activities[0];
    const role = matrix.roles.find((r) => !matrix.cells.some((c) => c.activityId === activity.id && c.roleId === r.id))!;
    const first = await setCell(t.db, ada, programId, { activityId: activity.id, roleId: role.id, value: "C", expectedVersion: 0 });
    expect(first).toMatchObject({ value: "C", version: 1 });
    const stale = setCell(t.db, bo, programId, { activityId: activity.id, roleId: role.id, value: "I", expectedVersion: 0 });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const error = (await stale.catch((e) => e)) as ConflictError<{ value: string }>;
    expect(error.current).toMatchObject({ value: "C", version: 1, updatedByLabel: "Ada PLO" });
    const second = await setCell(t.db, bo, programId, { activityId: activity.id, roleId: role.id, value: "I", expectedVersion: 1 });
    expect(second).toMatchObject({ value: "I", version: 2, updatedByLabel: "Bo PLO" });
  });

  it("a cell edit is one new revision in the history and one audit event; saving the same value again records nothing", async () => {
    const programId = await newProgram("Audited edits program");
    const matrix = await createMatrix(t.db, ada, programId, { kind: "template" });
    const activity = matrix.activities[1];
    const role = matrix.roles.find((r) => !matrix.cells.some((c) => c.activityId === activity.id && c.roleId === r.id))!;
    const auditRows = () =>
      t.db
        .selectFrom("audit_events")
        .select(["actor_label", "summary", "details", "entity_id"])
        .where("program_id", "=", programId)
        .where("action", "=", "raci.cell_changed")
        .execute();

    const first = await setCell(t.db, bo, programId, { activityId: activity.id, roleId: role.id, value: "C", expectedVersion: 0 });
    const afterFirst = (await getMatrix(t.db, programId))!;
    expect(afterFirst.revision).toBe(matrix.revision + 1);
    const { changes } = await listChanges(t.db, programId, { pageSize: 1 });
    expect(changes[0]).toMatchObject({
      revision: matrix.revision + 1,
      actorLabel: "Bo PLO",
      kind: "cell",
      activityName: activity.name,
      roleName: role.name,
      before: { value: null },
      after: { value: "C" },
    });
    expect(await auditRows()).toEqual([
      {
        actor_label: "Bo PLO",
        summary: `RACI: “${activity.name}” × ${role.name}: empty → C`,
        details: { activityId: activity.id, roleId: role.id, from: null, to: "C", revision: matrix.revision + 1 },
        entity_id: matrix.id,
      },
    ]);

    // The same value again: the cell's version moves on (the editor's next save names it), nothing is logged.
    const again = await setCell(t.db, bo, programId, {
      activityId: activity.id,
      roleId: role.id,
      value: "C",
      expectedVersion: first.version,
    });
    expect(again.version).toBe(first.version + 1);
    expect((await getMatrix(t.db, programId))!.revision).toBe(afterFirst.revision);
    expect(await auditRows()).toHaveLength(1);

    await setCell(t.db, ada, programId, { activityId: activity.id, roleId: role.id, value: null, expectedVersion: again.version });
    expect((await auditRows()).map((r) => r.summary)).toContain(`RACI: “${activity.name}” × ${role.name}: C → empty`);

    // A removed activity takes no more edits, and a refused edit leaves no trace.
    const removed = afterFirst.activities[2];
    await removeRow(t.db, ada, programId, "activity", removed.id, removed.version);
    const revision = (await getMatrix(t.db, programId))!.revision;
    await expect(
      setCell(t.db, bo, programId, { activityId: removed.id, roleId: role.id, value: "R", expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      setCell(t.db, bo, programId, { activityId: activity.id, roleId: role.id, value: "R", expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await getMatrix(t.db, programId))!.revision).toBe(revision);
    expect(await auditRows()).toHaveLength(2);
  });

  it("two simultaneous edits of the same empty cell produce one success and one conflict", async () => {
    const programId = await newProgram("Race program");
    const matrix = await createMatrix(t.db, ada, programId, { kind: "empty" });
    const roleId = await addRole(t.db, ada, programId, { name: "PLO", holders: "" });
    const activityId = await addActivity(t.db, ada, programId, { groupName: "Setup", name: "Plan" });
    expect(matrix.roles).toEqual([]);
    const results = await Promise.allSettled([
      setCell(t.db, ada, programId, { activityId, roleId, value: "A", expectedVersion: 0 }),
      setCell(t.db, bo, programId, { activityId, roleId, value: "R", expectedVersion: 0 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(ConflictError);
  });

  it("edits naming an activity or role of another program are refused as not found", async () => {
    const mine = await newProgram("Mine");
    const theirs = await newProgram("Theirs");
    await createMatrix(t.db, ada, mine, { kind: "template" });
    const other = await createMatrix(t.db, ada, theirs, { kind: "template" });
    await expect(
      setCell(t.db, ada, mine, { activityId: other.activities[0].id, roleId: other.roles[0].id, value: "R", expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("history rebuilds earlier states; restore brings one back as a new revision", async () => {
    const programId = await newProgram("History program");
    const created = await createMatrix(t.db, ada, programId, { kind: "template" });
    const startRevision = created.revision;
    const activity = created.activities[0];
    const accountable = created.cells.find((c) => c.activityId === activity.id && c.value === "A")!;
    await setCell(t.db, bo, programId, {
      activityId: activity.id,
      roleId: accountable.roleId,
      value: null,
      expectedVersion: accountable.version,
    });
    await updateActivity(t.db, bo, programId, activity.id, activity.version, { groupName: activity.groupName, name: "Renamed plan" });
    const extra = await addActivity(t.db, bo, programId, { groupName: "Reporting", name: "Weekly digest" });
    await removeRow(t.db, bo, programId, "role", created.roles.at(-1)!.id, created.roles.at(-1)!.version);

    const changed = (await getMatrix(t.db, programId))!;
    expect(matrixIssues(changed).some((i) => i.code === "no-accountable" && i.activityId === activity.id)).toBe(true);

    const before = await matrixStateAt(t.db, changed.id, startRevision);
    const after = await matrixStateAt(t.db, changed.id, changed.revision);
    const diff = diffStates(before, after);
    expect(diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "activity-renamed", from: activity.name, to: "Renamed plan" }),
        expect.objectContaining({ kind: "activity-added", to: "Weekly digest" }),
        expect.objectContaining({ kind: "role-removed", from: created.roles.at(-1)!.name }),
        expect.objectContaining({ kind: "cell", from: "A", to: null }),
      ]),
    );

    const restored = await restoreRevision(t.db, ada, programId, startRevision);
    expect(restored.revision).toBeGreaterThan(changed.revision);
    const now = (await getMatrix(t.db, programId))!;
    expect(contentOf(now)).toEqual(contentOf(created));
    expect(now.activities.some((a) => a.id === extra)).toBe(false);
    const history = await listChanges(t.db, programId, { page: 1, pageSize: 500 });
    expect(history.changes[0].revision).toBe(restored.revision);
  });

  it("moving an activity up swaps it with the one above", async () => {
    const programId = await newProgram("Move program");
    const m = await createMatrix(t.db, ada, programId, { kind: "template" });
    await moveRow(t.db, ada, programId, "activity", m.activities[1].id, "up");
    const after = (await getMatrix(t.db, programId))!;
    expect(after.activities.slice(0, 2).map((a) => a.id)).toEqual([m.activities[1].id, m.activities[0].id]);
    expect(await moveRow(t.db, ada, programId, "activity", m.activities[1].id, "up")).toBe(false);
  });

  it("the CSV export imports back to an identical matrix, and a bad CSV is refused line by line", async () => {
    const source = await newProgram("CSV source");
    const target = await newProgram("CSV target");
    const m = await createMatrix(t.db, ada, source, { kind: "template" });
    await updateRoleHolders(source, m.roles[0].id, m.roles[0].version);
    const csv = matrixToCsv(contentOf((await getMatrix(t.db, source))!));
    await createMatrix(t.db, ada, target, { kind: "empty" });
    const parsed = csvToMatrix(csv);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await replaceContent(t.db, ada, target, parsed.content, "CSV file");
    const copy = (await getMatrix(t.db, target))!;
    expect(contentOf(copy)).toEqual(contentOf((await getMatrix(t.db, source))!));
    expect(matrixToCsv(contentOf(copy))).toBe(csv);

    const bad = csvToMatrix("Group,Activity,PLO,Coach\nSetup,Plan,A,X\nSetup,,R,\n");
    expect(bad).toEqual({
      ok: false,
      errors: ["Line 2: “X” under Coach is not one of R, A, C, I or empty.", "Line 3: the activity has no name."],
    });
  });

  async function updateRoleHolders(programId: string, roleId: string, version: number) {
    const { updateRole } = await import("~/models/raci/rows.server");
    await updateRole(t.db, ada, programId, roleId, version, { name: "PLO", holders: "Maria Keller\nTom Berg, with “quotes”" });
  }
});

describe("RACI names", () => {
  const t = useTestDatabase();

  it("two roles, or two activities in one group, cannot share a name (case-insensitive)", async () => {
    const ada = await createUser(t.db, null, { name: "Ada", email: "ada2@example.com", password: "correct-horse-battery", role: "plo" });
    const programId = (await createProgram(t.db, ada, { name: "Names", description: "", startsOn: null, endsOn: null, status: "active" }))
      .id;
    await createMatrix(t.db, ada, programId, { kind: "template" });
    await expect(addRole(t.db, ada, programId, { name: "okr coach", holders: "" })).rejects.toBeInstanceOf(FieldError);
    await expect(addActivity(t.db, ada, programId, { groupName: "drafting", name: "DRAFT TEAM OKRS" })).rejects.toBeInstanceOf(FieldError);
    await expect(addActivity(t.db, ada, programId, { groupName: "Alignment", name: "Draft team OKRs" })).resolves.toBeTypeOf("string");
  });
});
