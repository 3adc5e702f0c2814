import { describe, expect, it } from "vitest";
import { listAuditActions, listAuditEvents, recordAudit } from "~/models/audit/audit.server";
import { checkThrottle, recordLoginFailure, THROTTLE } from "~/models/accounts/login-throttle.server";
import { useTestDatabase } from "../support/database";

describe("audit and throttling edge cases", () => {
  const t = useTestDatabase();

  it("failed logins arriving at the same moment are all counted, up to the lock", async () => {
    const now = new Date();
    await Promise.all(Array.from({ length: THROTTLE.accountLockAfter + 3 }, () => recordLoginFailure(t.db, "race@example.com", null, now)));
    const row = await t.db.selectFrom("login_throttle").selectAll().where("key", "=", "email:race@example.com").executeTakeFirstOrThrow();
    expect(row.failures).toBe(THROTTLE.accountLockAfter);
    expect(await checkThrottle(t.db, "race@example.com", null, now)).toMatchObject({ locked: true });
  });

  it("secrets nested inside audit details are redacted too", async () => {
    await recordAudit(t.db, {
      actor: null,
      action: "test.nested",
      entityType: "test",
      summary: "nested secret",
      details: { change: { password: "hunter2hunter2", name: "Ada" }, list: [{ token: "abc" }] },
    });
    const { events } = await listAuditEvents(t.db, { action: "test.nested", page: 1, pageSize: 5 });
    expect(events[0].details).toEqual({ change: { password: "[redacted]", name: "Ada" }, list: [{ token: "[redacted]" }] });
  });

  it("the action filter treats % and _ literally", async () => {
    await recordAudit(t.db, { actor: null, action: "user_created", entityType: "test", summary: "underscore" });
    await recordAudit(t.db, { actor: null, action: "userXcreated", entityType: "test", summary: "x" });
    const { events } = await listAuditEvents(t.db, { action: "user_", page: 1, pageSize: 10 });
    expect(events.map((e) => e.action)).toEqual(["user_created"]);
  });

  it("a page past the last one still reports the total", async () => {
    const { events, total } = await listAuditEvents(t.db, { page: 1000, pageSize: 10 });
    expect(events).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(3);
  });
});

describe("audit log keyset paging", () => {
  const t = useTestDatabase();

  it("pages newest first by id without counting, and says when the oldest event is reached", async () => {
    for (let i = 1; i <= 5; i++) await recordAudit(t.db, { actor: null, action: "test.page", entityType: "test", summary: `event ${i}` });
    const first = await listAuditEvents(t.db, { action: "test.page", page: 1, pageSize: 2, beforeId: Number.MAX_SAFE_INTEGER });
    expect(first.events.map((e) => e.summary)).toEqual(["event 5", "event 4"]);
    expect(first.total).toBeNull();
    const second = await listAuditEvents(t.db, { action: "test.page", page: 1, pageSize: 2, beforeId: first.olderBeforeId! });
    expect(second.events.map((e) => e.summary)).toEqual(["event 3", "event 2"]);
    const last = await listAuditEvents(t.db, { action: "test.page", page: 1, pageSize: 2, beforeId: second.olderBeforeId! });
    expect(last.events.map((e) => e.summary)).toEqual(["event 1"]);
    expect(last.olderBeforeId).toBeNull();
  });

  it("lists each action once, in order", async () => {
    expect(await listAuditActions(t.db)).toEqual(["test.page"]);
  });
});
