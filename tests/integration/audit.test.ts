import { beforeAll, describe, expect, it } from "vitest";
import { listAuditActions, listAuditEvents, recordAudit, type Actor } from "~/models/audit/audit.server";
import { runWithRequestContext } from "~/utils/request-context.server";
import { useTestDatabase } from "../support/database";

describe("the audit log", () => {
  const t = useTestDatabase();
  const ada: Actor = { id: "", name: "Ada Admin" };

  const page = (filter: Omit<Parameters<typeof listAuditEvents>[1], "page" | "pageSize">, n = 1, size = 100) =>
    listAuditEvents(t.db, { ...filter, page: n, pageSize: size });

  beforeAll(async () => {
    ada.id = crypto.randomUUID();
    await t.db
      .insertInto("users")
      .values({ id: ada.id, email: "ada@example.com", name: ada.name, password_hash: "x", role: "admin" })
      .execute();
    const entries: Array<[string, string, string | null]> = [
      ["program.created", "Created program “100% adoption”", "p1"],
      ["program.updated", "Updated program “100 percent adoption”", "p1"],
      ["program.archived", "Archived program “snake_case”", "p2"],
      ["program.created", "Created program “snakeXcase”", "p2"],
      ["user.created", "Created account back\\slash@example.com", null],
      ["user.updated", "Updated account backslash@example.com", null],
      ["login.failed", "Failed login for mallory@example.com", null],
    ];
    for (const [action, summary, programId] of entries) {
      await recordAudit(t.db, { actor: ada, action, entityType: action.split(".")[0], programId, summary });
    }
  });

  it("lists the newest event first", async () => {
    const { events, total } = await page({});
    expect(total).toBe(7);
    expect(events.map((e) => e.action)).toEqual([
      "login.failed",
      "user.updated",
      "user.created",
      "program.created",
      "program.archived",
      "program.updated",
      "program.created",
    ]);
    expect(events[0]).toMatchObject({ actorId: ada.id, actorLabel: "Ada Admin", entityType: "login", programId: null });
    expect(events[0]).not.toHaveProperty("total");
  });

  it("an action filter matches by prefix", async () => {
    const programs = await page({ action: "program." });
    expect(programs.total).toBe(4);
    expect(programs.events.every((e) => e.action.startsWith("program."))).toBe(true);
    const exact = await page({ action: "program.created" });
    expect(exact.events.map((e) => e.summary)).toEqual(["Created program “snakeXcase”", "Created program “100% adoption”"]);
  });

  it("a search for a % sign matches it literally, not as a wildcard", async () => {
    const { events } = await page({ q: "100%" });
    expect(events.map((e) => e.summary)).toEqual(["Created program “100% adoption”"]);
  });

  it("a search for an underscore matches it literally, not as any character", async () => {
    const { events } = await page({ q: "snake_case" });
    expect(events.map((e) => e.summary)).toEqual(["Archived program “snake_case”"]);
  });

  it("a search for a backslash matches it literally", async () => {
    const { events } = await page({ q: "back\\slash" });
    expect(events.map((e) => e.summary)).toEqual(["Created account back\\slash@example.com"]);
  });

  it("a search ignores case and also looks at who acted", async () => {
    expect((await page({ q: "MALLORY" })).total).toBe(1);
    expect((await page({ q: "ada adm" })).total).toBe(7);
    expect(await page({ q: "nobody-matches-this" })).toEqual({ events: [], total: 0, olderBeforeId: null });
  });

  it("filters combine: program, action and search together", async () => {
    expect((await page({ programId: "p1" })).total).toBe(2);
    expect((await page({ programId: "p2", action: "program.archived" })).total).toBe(1);
    expect((await page({ programId: "p1", q: "percent" })).events.map((e) => e.action)).toEqual(["program.updated"]);
    expect((await page({ entityType: "user" })).total).toBe(2);
    expect((await page({ actorId: ada.id })).total).toBe(7);
    expect((await page({ actorId: "someone-else" })).total).toBe(0);
  });

  it("pages split the matching events without overlap and each page knows the total", async () => {
    const pages = await Promise.all([1, 2, 3].map((n) => page({}, n, 3)));
    expect(pages.map((p) => p.events.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    const ids = pages.flatMap((p) => p.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("the list of actions has each action once, in order", async () => {
    expect(await listAuditActions(t.db)).toEqual([
      "login.failed",
      "program.archived",
      "program.created",
      "program.updated",
      "user.created",
      "user.updated",
    ]);
  });

  it("details whose key mentions a password, token or secret are redacted", async () => {
    await recordAudit(t.db, {
      actor: ada,
      action: "test.scrubbed",
      entityType: "test",
      summary: "Scrub check",
      details: {
        password: "hunter2",
        newPassword: "hunter3",
        resetToken: "tok-123",
        clientSecret: "sec-456",
        passwordHash: "$argon2id$abc",
        email: "ada@example.com",
        role: { from: "coach", to: "plo" },
      },
    });
    const [event] = (await page({ action: "test.scrubbed" })).events;
    expect(event.details).toEqual({
      password: "[redacted]",
      newPassword: "[redacted]",
      resetToken: "[redacted]",
      clientSecret: "[redacted]",
      passwordHash: "[redacted]",
      email: "ada@example.com",
      role: { from: "coach", to: "plo" },
    });
    expect(JSON.stringify(event)).not.toMatch(/hunter|tok-123|sec-456|argon2/);
  });

  it("an event without an actor or details is stored with nulls and empty details", async () => {
    await recordAudit(t.db, { actor: null, action: "test.anonymous", entityType: "test", summary: "Nobody did it" });
    const [event] = (await page({ action: "test.anonymous" })).events;
    expect(event).toMatchObject({ actorId: null, actorLabel: null, entityId: null, programId: null, details: {}, ip: null });
  });

  it("an event recorded while serving a request keeps the client's address", async () => {
    await runWithRequestContext("203.0.113.9", () =>
      recordAudit(t.db, { actor: ada, action: "test.with-ip", entityType: "test", summary: "From a request" }),
    );
    const [event] = (await page({ action: "test.with-ip" })).events;
    expect(event.ip).toBe("203.0.113.9");
  });
});
