import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { editLine, getImport } from "~/models/org/import-stage.server";
import { confirmEmailMatches } from "~/models/org/import-stage.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, importFile, items, stage } from "../support/org-import";

// Issue 13, defect 1: a re-import overwrote E00201 Ben Okafor with E00202 Priya Novak, because a
// new employee number was matched by Ben's email. Identity is explicit now.

describe("who a line of a re-import is", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  const person = (email: string) => t.db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirst();

  it("with employee numbers mapped, an email that belongs to another number is an error on its line, never a re-keying", async () => {
    await importFile(t.db, plo, hrFixture("identity-2026-11.csv"));
    const ben = await person("ben.okafor@northwind.test");
    expect(ben).toMatchObject({ name: "Ben Okafor", external_id: "E00201" });

    const december = await stage(t.db, plo, hrFixture("identity-2026-12.csv"), "hr-2026-12.csv");
    expect(december.key).toBe("externalId");
    const problems = await items(t.db, december.id, "problems");
    expect(problems.map((p) => [p.kind, p.line, p.field, p.message])).toEqual([
      ["error", 4, "email", "This email belongs to E00201 Ben Okafor in Rollout Desk, not to E00202."],
    ]);
    // Nothing changes Ben while the line is wrong: the commit is refused.
    await expect(commit(t.db, plo, december.id, "keep")).rejects.toMatchObject({ status: 400 });
    expect(await person("ben.okafor@northwind.test")).toMatchObject({ id: ben!.id, name: "Ben Okafor", external_id: "E00201" });

    // The PLO corrects the email in the preview: Priya joins, Ben is a leaver (kept), nobody is overwritten.
    await editLine(t.db, december, 4, { email: "priya.novak@northwind.test" });
    const fixed = await getImport(t.db, december.id);
    expect(fixed.counts).toMatchObject({ error: 0, join: 1, update: 0, move: 0, leave: 1 });
    expect((await items(t.db, december.id, "leavers")).map((l) => [l.name, l.field])).toEqual([["Ben Okafor", "E00201"]]);
    await commit(t.db, plo, december.id, "keep");
    expect(await person("ben.okafor@northwind.test")).toMatchObject({
      id: ben!.id,
      name: "Ben Okafor",
      external_id: "E00201",
      archived_at: null,
    });
    expect(await person("priya.novak@northwind.test")).toMatchObject({ name: "Priya Novak", external_id: "E00202" });
  });
});

describe("re-importing with emails as the key", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("a changed email is a new person until the PLO confirms the match, then the person is updated in place", async () => {
    await importFile(t.db, plo, hrFixture("email-key-2026-11.csv"));
    const ben = await t.db.selectFrom("people").selectAll().where("email", "=", "ben.okafor@northwind.test").executeTakeFirstOrThrow();

    const december = await stage(t.db, plo, hrFixture("email-key-2026-12.csv"));
    expect(december.key).toBe("email");
    expect(december.counts).toMatchObject({ join: 1, leave: 1, email_candidate: 1, error: 0 });
    const [proposal] = await items(t.db, december.id, "emails");
    expect(proposal).toMatchObject({
      line: 2,
      refId: ben.id,
      name: "Ben Okafor",
      before: "ben.okafor@northwind.test",
      after: "b.okafor@northwind.test",
    });

    await confirmEmailMatches(t.db, december, [2], [2]);
    const confirmed = await getImport(t.db, december.id);
    expect(confirmed.counts).toMatchObject({ join: 0, leave: 0, email_candidate: 0, update: 1 });
    const [update] = await items(t.db, december.id, "updates");
    expect(update.message).toContain("email: ben.okafor@northwind.test → b.okafor@northwind.test");

    await commit(t.db, plo, december.id);
    const after = await t.db.selectFrom("people").selectAll().where("id", "=", ben.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ email: "b.okafor@northwind.test", title: "Senior Data Engineer", archived_at: null });
    const count = await t.db
      .selectFrom("people")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});
