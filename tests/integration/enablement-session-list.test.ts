import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/models/audit/audit.server";
import { createModule } from "~/models/enablement/curriculum.server";
import { createSession, getSession, listSessions } from "~/models/enablement/sessions.server";
import { createTestProgram, createTestUser } from "../support/builders";
import { useTestDatabase } from "../support/database";
import { insertTeam, insertUnit, moduleInput } from "../support/enablement";

// The list of training sessions counts each session's seats on its own (the bench found the list
// grouping the whole roster of the program on every read).

describe("the training session list", () => {
  const t = useTestDatabase();
  let plo: Actor;

  beforeAll(async () => {
    const user = await createTestUser(t.db, { role: "plo", name: "Pia Plo" });
    plo = { id: user.id, name: user.name };
  });

  it("counts the seats taken and the waiting list of every session, an empty roster as none", async () => {
    const program = await createTestProgram(t.db, plo);
    const team = await insertTeam(t.db, program.id, await insertUnit(t.db, "Seats"), null, 6);
    const people = await t.db.selectFrom("people").select("id").where("team_id", "=", team.id).orderBy("id").execute();
    const moduleId = await createModule(
      t.db,
      plo,
      program.id,
      moduleInput("Check-in practice", { kind: "check_in_practice", delivery: "live" }),
    );
    const session = (date: string) =>
      createSession(t.db, plo, program.id, {
        moduleId,
        date,
        time: "10:00",
        timeZone: "Europe/Berlin",
        durationMinutes: 60,
        location: "Room 1",
        url: "",
        trainerEmail: null,
        capacity: 4,
        state: "open",
      });
    const full = await session("2027-02-01");
    const empty = await session("2027-02-08");
    const statuses = ["invited", "registered", "attended", "waitlisted", "waitlisted", "no_show"] as const;
    await t.db
      .insertInto("enablement_roster")
      .values(people.map((p, i) => ({ session_id: full, person_id: p.id, status: statuses[i] })))
      .execute();

    const list = await listSessions(t.db, program.id);
    expect(list.map((s) => [s.id, s.seatsTaken, s.waitlisted])).toEqual([
      [full, 3, 2],
      [empty, 0, 0],
    ]);
    expect((await getSession(t.db, program.id, full)).seatsTaken).toBe(3);
  });
});
