import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { importHistory, listImports, previousImport } from "~/models/org/import-history.server";
import { listItems, reportChunks } from "~/models/org/import-review.server";
import { getImport, planningSettled, stageUpload } from "~/models/org/import-stage.server";
import { today } from "~/utils/dates";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, importFile, items, stage } from "../support/org-import";

// Issue 13, defect 7 and "also expected": every change reviewable before the commit (counts,
// paged lists, a change report), the imports' history, moves and leavers in the audit log and in
// a person's history, and progress while a large file is planned.

describe("reviewing and remembering imports", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo", name: "Paula PLO" });
  });

  it("reads an export as HR writes it (BOM, `;`, quoted commas, a title over two lines) and lists every change, page by page", async () => {
    const upload = await stage(t.db, plo, hrFixture("review-2026-11.csv"), "hr-2026-11.csv");
    expect(upload.counts).toMatchObject({ rows: 62, join: 60, error: 2, errorLines: 2 });
    expect((await items(t.db, upload.id, "problems")).map((p) => [p.line, p.message])).toEqual([
      [63, "The email is missing."],
      [64, "The email “ada.andersen0@northwind.test” appears twice in the file: on line 2 and on line 64."],
    ]);
    const joiners = await items(t.db, upload.id, "joiners");
    expect(joiners.find((j) => j.field === "N1003")).toMatchObject({ name: "Andersen, Dmitri", line: 5 });
    expect(joiners.find((j) => j.field === "N1005")).toMatchObject({ message: "Engineer; nights,\nweekends", line: 7 });
    expect(joiners.find((j) => j.field === "N1006")?.line).toBe(9);

    // 60 joiners in pages of 25: every one is reachable, none twice.
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const shown = await listItems(t.db, upload.id, "joiners", { q: "", sort: "seq", dir: "asc", page, size: 25, filters: {} });
      seen.push(...shown.rows.map((r) => r.email));
    }
    expect(new Set(seen).size).toBe(60);
    // The change report holds every change, problem and team before anything is committed.
    const report: Array<Record<string, unknown>> = [];
    for await (const chunk of reportChunks(t.db, upload.id)) report.push(...chunk);
    expect(report.filter((r) => r.Change === "Joins")).toHaveLength(60);
    expect(report.filter((r) => r.Change === "Error").map((r) => r.Line)).toEqual([63, 64]);
    // Squads 4 and 7 span two units each: a team belongs to one unit, so they are two teams each.
    expect(report.filter((r) => r.Change === "New team")).toHaveLength(12);
  });

  it("records who imported which file, compares an import with the one before, and writes moves and leavers into the audit log and the person's history", async () => {
    await importFile(t.db, plo, hrFixture("leads-2026-11.csv"));
    const december = await stage(t.db, plo, hrFixture("leads-2026-12.csv"), "hr-2026-12.csv");
    const done = await commit(t.db, plo, december.id, "archive");

    const [latest, first] = await listImports(t.db);
    expect(latest).toMatchObject({
      id: december.id,
      number: done.number,
      fileName: "hr-2026-12.csv",
      committedBy: "Paula PLO",
      key: "externalId",
    });
    expect(latest.counts).toMatchObject({ move: 2, join: 2 });
    expect(first.number).toBe(done.number - 1);
    const previous = await previousImport(t.db, await getImport(t.db, december.id));
    expect(previous).toMatchObject({ number: done.number - 1, counts: expect.objectContaining({ join: 7 }) });

    const carl = await t.db.selectFrom("people").select("id").where("email", "=", "carl.berg@northwind.test").executeTakeFirstOrThrow();
    const history = await importHistory(t.db, carl.id);
    expect(history.map((h) => [h.number, h.sentence])).toEqual([
      [
        done.number,
        `moved from Checkout (Northwind › Technology › Payments) to Platform (Northwind › Technology › Platform) on ${today()}`,
      ],
      [done.number - 1, `joined Checkout (Northwind › Technology › Payments) on ${today()}`],
    ]);
    const events = await t.db
      .selectFrom("audit_events")
      .select(["action", "summary", "actor_label"])
      .where("entity_id", "=", carl.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => [e.action, e.actor_label])).toEqual([
      ["person.joined", "Paula PLO"],
      ["person.moved", "Paula PLO"],
    ]);
    expect(events[1].summary).toBe(
      `Moved Carl Berg from Checkout (Northwind › Technology › Payments) to Platform (Northwind › Technology › Platform) (import #${done.number})`,
    );
  });

  it("plans a large file in the background and shows how far it got", async () => {
    const rows = ["Name,Email,Unit path,Team"];
    for (let i = 0; i < 2_500; i++) rows.push(`Person ${i},bulk-${i}@northwind.test,Northwind › Bulk › Unit ${i % 9},Team ${i % 50}`);
    const { id, rows: count } = await stageUpload(t.db, plo, { fileName: "bulk.csv", content: rows.join("\n") }, { background: true });
    expect(count).toBe(2_500);
    const staged = await getImport(t.db, id);
    expect(staged.status).toBe("planning");
    expect(staged.progress.total).toBe(2_500);
    await planningSettled(id);
    const ready = await getImport(t.db, id);
    expect(ready).toMatchObject({ status: "ready", progress: { done: 2_500, total: 2_500 } });
    expect(ready.counts).toMatchObject({ join: 2_500, team_new: 450 });
  });
});
