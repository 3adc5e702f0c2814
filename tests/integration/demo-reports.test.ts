import { describe, expect, it } from "vitest";
import { DEMO_PROGRAMS, seedDemo } from "../../db/seed/demo";
import { getSnapshot } from "~/models/reports/reports.server";
import { today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";

describe("the demo's sponsor reporting", () => {
  const t = useTestDatabase({ demo: true });

  it("has three published reports with a trend, one open decision, one answered question and one overdue commitment", async () => {
    await seedDemo(t.db);
    const program = await t.db.selectFrom("programs").select("id").where("name", "=", DEMO_PROGRAMS[1].name).executeTakeFirstOrThrow();
    const reports = await t.db
      .selectFrom("status_reports")
      .select(["id", "state"])
      .where("program_id", "=", program.id)
      .orderBy("period_end")
      .execute();
    expect(reports.map((r) => r.state)).toEqual(["acknowledged", "acknowledged", "published"]);
    const latest = await getSnapshot(t.db, reports[2].id);
    expect(latest?.previous?.id).toBe(reports[1].id);
    expect(Object.values(latest?.trends ?? {}).some((figures) => Object.values(figures).some((d) => d !== null && d !== 0))).toBe(true);
    const decisions = await t.db
      .selectFrom("report_decisions")
      .select("state")
      .where("program_id", "=", program.id)
      .orderBy("created_at")
      .execute();
    expect(decisions.map((d) => d.state)).toEqual(["decided", "open"]);
    const answered = await t.db.selectFrom("report_questions").select("answer").where("program_id", "=", program.id).execute();
    expect(answered).toHaveLength(1);
    expect(answered[0].answer).toBeTruthy();
    const overdue = await t.db
      .selectFrom("sponsor_commitments")
      .select("title")
      .where("program_id", "=", program.id)
      .where("done_at", "is", null)
      .where("due_on", "<", today())
      .execute();
    expect(overdue.map((c) => c.title)).toEqual(["Announce the OKR rollout at the all-hands"]);
    // The whole demo (hundreds of people and sessions) loads first: slow on a busy machine.
  }, 300_000);
});
