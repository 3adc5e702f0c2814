import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { createModule } from "~/models/enablement/curriculum.server";
import { enablementReportFigures } from "~/models/enablement/report-figures.server";
import { createRequirement, grantWaiver, recordCompletion } from "~/models/enablement/requirements.server";
import { liveStatus } from "~/models/reports/status.server";
import type { RequirementInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertTeam, insertUnit, insertWave, moduleInput, requirementInput } from "../support/enablement";

// Enablement's part of the sponsor report (issue 15 → issue 17): the required training due by
// today, completed or waived, overdue, and the trainer hours delivered — on a hand-made program
// whose answer is known.

const TODAY = "2027-02-01";

const requirement = (moduleId: string, extra: Partial<RequirementInput> = {}): RequirementInput =>
  requirementInput(moduleId, { dueOn: "2027-01-15", ...extra });

describe("enablement figures for the sponsor report", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  it("is not measured while the program requires no training", async () => {
    const program = await createTestProgram(t.db, plo);
    const optional = await createModule(t.db, plo, program.id, moduleInput("Optional reading"));
    await createRequirement(t.db, plo, program.id, requirement(optional, { necessity: "recommended" }));
    expect(await enablementReportFigures(t.db, program.id, TODAY)).toBeNull();
  });

  it("counts the required trainings due, completed or waived, overdue, and the hours of held sessions", async () => {
    const program = await createTestProgram(t.db, plo);
    const unit = await insertUnit(t.db, "Sales");
    const wave = await insertWave(t.db, program.id, "Wave 1", "2027-01-20");
    // Four people (a lead and three members): one completed, one waived, two overdue.
    const team = await insertTeam(t.db, program.id, unit, wave, 4);
    const people = await t.db.selectFrom("people").select(["id", "email"]).where("team_id", "=", team.id).orderBy("email").execute();
    expect(people).toHaveLength(4);
    const fundamentals = await createModule(t.db, plo, program.id, moduleInput("OKR fundamentals"));
    await createRequirement(t.db, plo, program.id, requirement(fundamentals));
    // Due next month: not counted as due yet.
    const later = await createModule(t.db, plo, program.id, moduleInput("Scoring and retros"));
    await createRequirement(t.db, plo, program.id, requirement(later, { dueOn: "2027-03-01" }));
    await recordCompletion(t.db, plo, program.id, {
      email: people[0].email,
      moduleId: fundamentals,
      completedOn: "2027-01-10",
      evidence: "",
    });
    const [req] = await t.db.selectFrom("enablement_requirements").select("id").where("module_id", "=", fundamentals).execute();
    await grantWaiver(t.db, plo, program.id, { email: people[1].email, requirementId: req.id, reason: "Trained at a previous employer" });
    // Sessions: two held (90 + 45 minutes), one planned, one cancelled.
    const session = (state: "held" | "planned" | "cancelled", minutes: number) => ({
      id: crypto.randomUUID(),
      program_id: program.id,
      module_id: fundamentals,
      starts_at: new Date("2027-01-12T09:00:00Z"),
      duration_minutes: minutes,
      capacity: 12,
      state,
      updated_at: new Date(),
    });
    await t.db
      .insertInto("enablement_sessions")
      .values([session("held", 90), session("held", 45), session("planned", 120), session("cancelled", 60)])
      .execute();

    const figures = await enablementReportFigures(t.db, program.id, TODAY);
    expect(figures).toEqual({ requiredDue: 4, completed: 2, overdue: 2, trainingHours: 2.3 });

    // The status page's enablement dimension reads them: amber or red, with the overdue count.
    const status = await liveStatus(t.db, { id: program.id, starts_on: "2026-10-01", ends_on: "2027-09-30" }, { unitId: null }, TODAY);
    const dimension = status.dimensions.find((d) => d.key === "enablement");
    expect(dimension?.computed).toMatchObject({ colour: "red", reason: "50% of the training due is completed (2 overdue)" });
  });
});
