import { describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { createProgram, setUpInstallation } from "../support/http-fixtures";
import { assignTeam, createCoachAccount, dayFromToday, importTeams, raiseEscalation } from "../http/authz-rows/coaching-coach";
import { screenshot, signIn, useE2E } from "./support";

// "Seen" is what the asking coach does, not what a GET does: opening the answer in her browser
// marks it read (the page posts it), while fetching the page or its data — a prefetch, a crawler,
// the PLO — leaves it unread.

describe("a coach reading the PLO's answer", () => {
  const e2e = useE2E();

  it("opening the answer in the browser marks it read; fetching its address did not", async () => {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const programId = await createProgram(admin, { name: "E2E answers", status: "active" });
    const [team] = await importTeams(admin, programId, "E2E Answers", ["Kestrels"]);
    const coach = await createCoachAccount(admin, programId, { name: "Ines Coach" });
    await assignTeam(admin, programId, coach.coachId, team.id, dayFromToday(-10));
    const coachClient = new HttpClient(e2e.server.url);
    await coachClient.login(coach.user.email, coach.user.password);
    const escalationId = await raiseEscalation(coachClient, programId, { question: "Who grades the key results of a shared team?" });
    const answered = await admin.post(`/programs/${programId}/escalations/${escalationId}`, {
      intent: "answer",
      answer: "The team that owns the objective grades them.",
    });
    expect(answered.status).toBe(302);

    // A prefetch of the page's data and a plain fetch of the page: still unread.
    expect((await coachClient.get(`/programs/${programId}/escalations/${escalationId}.data`)).status).toBe(200);
    expect((await coachClient.get(`/programs/${programId}/escalations/${escalationId}`)).status).toBe(200);

    const page = await e2e.newPage();
    await signIn(page, coach.user.email, coach.user.password);
    await page.goto(`/programs/${programId}/my-teams`);
    await page.getByText("The PLO answered your question").waitFor();
    await page.goto(`/programs/${programId}/escalations/${escalationId}`);
    await page.getByText("The team that owns the objective grades them.").waitFor();
    await page.getByRole("status").filter({ hasText: "Marked as read." }).waitFor();
    await screenshot(page, "escalation-answer-seen");
    await page.goto(`/programs/${programId}/my-teams`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.getByText("The PLO answered your question").count()).toBe(0);
  });
});
