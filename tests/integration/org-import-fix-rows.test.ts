import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { getLineToFix } from "~/models/org/import-review.server";
import { editLine, getImport, saveMapping, skipLine } from "~/models/org/import-stage.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, items, stage } from "../support/org-import";

// Issue 13, defects 5 and 6: bad rows could only be fixed outside the app, and the column
// mapping was forgotten between uploads.

describe("fixing bad lines in the preview", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("the PLO corrects cells and skips a line, the preview re-validates, and the record lists the skipped line", async () => {
    const upload = await stage(t.db, plo, hrFixture("fix-rows-2026-12.csv"), "hr-2026-12.csv");
    expect((await items(t.db, upload.id, "problems")).map((p) => [p.line, p.field])).toEqual([
      [3, "email"],
      [4, "unitPath"],
      [5, "email"],
    ]);
    const line3 = await getLineToFix(t.db, upload, 3);
    expect(line3.cells.find((c) => c.field === "email")).toMatchObject({
      header: "Work Email",
      value: "lukas.brandt@northwind",
      edited: false,
    });

    await editLine(t.db, upload, 3, { email: "lukas.brandt@northwind.test" });
    await editLine(t.db, await getImport(t.db, upload.id), 4, { unitPath: "Northwind › Data" });
    await skipLine(t.db, await getImport(t.db, upload.id), 5, true);
    const fixed = await getImport(t.db, upload.id);
    expect(fixed.counts).toMatchObject({ error: 0, join: 3, skipped: 1 });
    expect((await getLineToFix(t.db, fixed, 3)).cells.find((c) => c.field === "email")).toMatchObject({
      value: "lukas.brandt@northwind.test",
      edited: true,
    });

    await commit(t.db, plo, upload.id);
    const people = await t.db.selectFrom("people").select(["name", "email"]).orderBy("name").execute();
    expect(people).toEqual([
      { name: "Amara Mensah", email: "amara.mensah@northwind.test" },
      { name: "Lukas Brandt", email: "lukas.brandt@northwind.test" },
      { name: "Sofia Lind", email: "sofia.lind@northwind.test" },
    ]);
    const skipped = await items(t.db, upload.id, "skipped");
    expect(skipped.map((s) => s.line)).toEqual([5]);
    const event = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "org.imported").executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ skippedLines: [5] });
  });

  it("a line the file does not have cannot be corrected or skipped", async () => {
    const upload = await stage(t.db, plo, hrFixture("fix-rows-2026-12.csv"));
    await expect(skipLine(t.db, upload, 99, true)).rejects.toMatchObject({
      status: 400,
      fields: { line: "The file has no person on line 99." },
    });
    await expect(editLine(t.db, upload, 1, { email: "x@example.com" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("remembering the column mapping", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  it("the mapping chosen for a set of headers is pre-filled for the next file with the same headers", async () => {
    const november = await stage(t.db, plo, hrFixture("mapping-2026-11.csv"));
    expect(november.mapping).toEqual([null, "email", null]);
    expect(november.mappingSource).toBe("detected");
    await saveMapping(t.db, plo, november, ["name", "email", "unitPath"]);
    expect((await getImport(t.db, november.id)).counts).toMatchObject({ join: 2, unit_new: 3 });
    await commit(t.db, plo, november.id);

    const december = await stage(t.db, plo, hrFixture("mapping-2026-12.csv"));
    expect(december.mapping).toEqual(["name", "email", "unitPath"]);
    expect(december.mappingSource).toBe("remembered");
    expect(december.counts).toMatchObject({ move: 1, join: 0, error: 0 });
  });
});
