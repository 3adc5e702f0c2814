import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { ConflictError, FieldError } from "~/models/errors";
import { createModule } from "~/models/enablement/curriculum.server";
import { commitImport, importDay, previewImport, stageImport } from "~/models/enablement/imports.server";
import { createSession, listRoster } from "~/models/enablement/sessions.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertTeam, insertUnit } from "../support/enablement";

// Attendance and e-learning imports: matched by employee number, then email; unmatched rows
// listed; errors with their line numbers; committed in one transaction, all or nothing, once.

const TODAY = "2027-01-20";

describe("enablement imports", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  async function setting() {
    const program = await createTestProgram(t.db, plo);
    const unit = await insertUnit(t.db, "Import");
    const team = await insertTeam(t.db, program.id, unit, null, 3);
    const people = await t.db
      .selectFrom("people")
      .select(["id", "email", "external_id", "name"])
      .where("team_id", "=", team.id)
      .orderBy("name")
      .execute();
    const moduleId = await createModule(t.db, plo, program.id, {
      title: "Drafting",
      kind: "drafting_workshop",
      delivery: "live",
      durationMinutes: 120,
      validityMonths: null,
      description: "",
      prerequisiteIds: [],
    });
    return { program, team, people, moduleId };
  }

  it("reads the dates tools write", () => {
    expect(importDay("2027-01-12")).toBe("2027-01-12");
    expect(importDay("2027-01-12T10:30:00Z")).toBe("2027-01-12");
    expect(importDay("12.1.2027")).toBe("2027-01-12");
    expect(importDay("2027-02-30")).toBeNull();
    expect(importDay("yesterday")).toBeNull();
  });

  it("imports a session's attendance: employee number first, then email; unmatched rows listed and left out", async () => {
    const s = await setting();
    const sessionId = await createSession(t.db, plo, s.program.id, {
      moduleId: s.moduleId,
      date: "2027-01-15",
      time: "23:30",
      timeZone: "America/New_York",
      durationMinutes: 90,
      location: "",
      url: "https://meet.example.com/x",
      trainerEmail: null,
      capacity: 10,
      state: "open",
    });
    const [a, b, c] = s.people;
    const csv = [
      "Name (original name),User Email,Employee ID,Duration (minutes)",
      `${a.name},wrong@example.com,${a.external_id},88`,
      `${b.name},${b.email.toUpperCase()},,90`,
      `Guest,guest@example.org,,30`,
    ].join("\r\n");
    const id = await stageImport(t.db, plo, s.program.id, { kind: "attendance", sessionId, moduleId: null, fileName: "zoom.csv", csv });
    const preview = await previewImport(t.db, s.program.id, id, TODAY);
    expect(preview.errors).toEqual([]);
    expect(preview.matched.map((m) => [m.line, m.personId])).toEqual([
      [2, a.id],
      [3, b.id],
    ]);
    expect(preview.unmatched.map((u) => [u.line, u.email])).toEqual([[4, "guest@example.org"]]);
    expect(await commitImport(t.db, plo, s.program.id, id, TODAY)).toEqual({ recorded: 2, unmatched: 1 });
    const roster = await listRoster(t.db, sessionId);
    expect(roster.map((r) => [r.personId, r.status]).sort()).toEqual(
      [
        [a.id, "attended"],
        [b.id, "attended"],
      ].sort(),
    );
    // The session's day on its own clock (23:30 in New York is the next day in UTC).
    const completions = await t.db
      .selectFrom("enablement_completions")
      .select(["person_id", "completed_on", "source"])
      .where("session_id", "=", sessionId)
      .execute();
    expect(completions.map((x) => x.completed_on)).toEqual(["2027-01-15", "2027-01-15"]);
    expect(completions.every((x) => x.source === "attendance")).toBe(true);
    expect(roster.some((r) => r.personId === c.id)).toBe(false);
    await expect(commitImport(t.db, plo, s.program.id, id, TODAY)).rejects.toBeInstanceOf(ConflictError);
  });

  it("refuses a completions file with errors, naming their lines, and writes nothing", async () => {
    const s = await setting();
    const [a, b] = s.people;
    const csv = ["Email;Completed on", `${a.email};2027-01-10`, `${b.email};next week`, `;2027-01-10`, `${b.email};2027-03-01`].join("\n");
    const id = await stageImport(t.db, plo, s.program.id, {
      kind: "elearning",
      sessionId: null,
      moduleId: s.moduleId,
      fileName: "lms.csv",
      csv,
    });
    const preview = await previewImport(t.db, s.program.id, id, TODAY);
    expect(preview.errors).toEqual([
      { line: 3, message: "“next week” is not a date (use YYYY-MM-DD)." },
      { line: 4, message: "The line has neither an email nor an employee number." },
      { line: 5, message: "The completion date 2027-03-01 is in the future." },
    ]);
    await expect(commitImport(t.db, plo, s.program.id, id, TODAY)).rejects.toBeInstanceOf(FieldError);
    const written = await t.db.selectFrom("enablement_completions").select("id").where("module_id", "=", s.moduleId).execute();
    expect(written).toEqual([]);
  });

  it("imports e-learning completions once per person and day", async () => {
    const s = await setting();
    const [a, b] = s.people;
    const csv = ["Email,Completion date", `${a.email},2027-01-10`, `${a.email},2027-01-10`, `${b.email},11.01.2027`].join("\n");
    const id = await stageImport(t.db, plo, s.program.id, {
      kind: "elearning",
      sessionId: null,
      moduleId: s.moduleId,
      fileName: "lms.csv",
      csv,
    });
    expect(await commitImport(t.db, plo, s.program.id, id, TODAY)).toEqual({ recorded: 2, unmatched: 0 });
    const written = await t.db
      .selectFrom("enablement_completions")
      .select(["person_id", "completed_on", "source", "evidence"])
      .where("module_id", "=", s.moduleId)
      .orderBy("completed_on")
      .execute();
    expect(written).toEqual([
      { person_id: a.id, completed_on: "2027-01-10", source: "import", evidence: "Imported from lms.csv, line 2" },
      { person_id: b.id, completed_on: "2027-01-11", source: "import", evidence: "Imported from lms.csv, line 4" },
    ]);
    const again = await stageImport(t.db, plo, s.program.id, {
      kind: "elearning",
      sessionId: null,
      moduleId: s.moduleId,
      fileName: "lms.csv",
      csv,
    });
    expect(await commitImport(t.db, plo, s.program.id, again, TODAY)).toEqual({ recorded: 0, unmatched: 0 });
  });
});
