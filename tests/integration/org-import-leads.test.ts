import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { listItems, reportChunks } from "~/models/org/import-review.server";
import { createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { commit, hrFixture, importFile, items, stage } from "../support/org-import";

// Issue 13, defect 2: on the month-later file the first row seen for a team decided its lead, so
// rows carrying the correct current lead were errors, and errors past the 200th could not be seen.

describe("team leads on a re-import", () => {
  const t = useTestDatabase();
  let plo: Actor;
  beforeAll(async () => {
    plo = await createTestUser(t.db, { role: "plo" });
  });

  const leadOf = async (team: string) => {
    const row = await t.db
      .selectFrom("teams as t")
      .leftJoin("people as p", "p.id", "t.lead_person_id")
      .select("p.email")
      .where("t.name", "=", team)
      .executeTakeFirstOrThrow();
    return row.email;
  };

  it("a team's lead is decided by its rows, with one warning per team naming the rows that disagree", async () => {
    await importFile(t.db, plo, hrFixture("leads-2026-11.csv"));
    expect(await leadOf("Checkout")).toBe("carl.berg@northwind.test");

    const december = await stage(t.db, plo, hrFixture("leads-2026-12.csv"));
    expect(december.counts).toMatchObject({ error: 0 });
    const warnings = (await items(t.db, december.id, "problems")).map((w) => [w.kind, w.line, w.message]);
    expect(warnings).toEqual([
      // Checkout: Amara's own row says she leads it; Mo's row (line 5) still names Carl.
      [
        "warning",
        5,
        "Team “Checkout”: the lead is amara.mensah@northwind.test (their own row, line 2); line 5 names carl.berg@northwind.test.",
      ],
      // Pipelines: no own row; two rows name Tomas, one names Sofia.
      [
        "warning",
        8,
        "Team “Pipelines”: the lead is tomas.ruiz@northwind.test (named on 2 of 3 rows); line 8 names sofia.lind@northwind.test.",
      ],
      [
        "warning",
        10,
        "Team “Ledger”: the lead ghost.lead@northwind.test (line 10) is neither in this file nor in Rollout Desk; the team keeps its current lead.",
      ],
    ]);
    const leads = await items(t.db, december.id, "teams");
    expect(leads.filter((i) => i.kind === "lead").map((i) => [i.name.split(" (")[0], i.after])).toEqual([
      ["Checkout", "Amara Mensah (amara.mensah@northwind.test)"],
      ["Platform", "Carl Berg (carl.berg@northwind.test)"],
    ]);

    await commit(t.db, plo, december.id, "keep");
    expect(await leadOf("Checkout")).toBe("amara.mensah@northwind.test");
    expect(await leadOf("Pipelines")).toBe("tomas.ruiz@northwind.test");
    expect(await leadOf("Platform")).toBe("carl.berg@northwind.test");
  });

  it("every error and warning can be seen, page by page and in the CSV with its line number", async () => {
    const rows = ["Full Name,Work Email,Org Path,Squad"];
    for (let i = 0; i < 260; i++) rows.push(`Person ${i},not-an-email-${i},Northwind › Big,Squad ${i % 5}`);
    const upload = await stage(t.db, plo, rows.join("\n"));
    expect(upload.counts).toMatchObject({ error: 260, errorLines: 260 });

    const lines: number[] = [];
    for (let page = 1; page <= 6; page++) {
      const shown = await listItems(t.db, upload.id, "problems", { q: "", sort: "line", dir: "asc", page, size: 50, filters: {} });
      expect(shown.total).toBe(260);
      lines.push(...shown.rows.map((r) => r.line!));
    }
    expect(lines).toEqual(Array.from({ length: 260 }, (_, i) => i + 2));

    const report: Array<Record<string, unknown>> = [];
    for await (const chunk of reportChunks(t.db, upload.id, { problemsOnly: true })) report.push(...chunk);
    expect(report).toHaveLength(260);
    expect(report[259]).toMatchObject({ Line: 261, Change: "Error", Details: "Email: “not-an-email-259” is not a valid email address." });
  });
});
