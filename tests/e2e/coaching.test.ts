import { describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { createUser, setUpInstallation, createProgram } from "../support/http-fixtures";
import { assignTeam, createCoachAccount, dayFromToday, importTeams } from "../http/authz-rows/coaching-coach";
import { signIn, signOut, useE2E, waitForHydration, fieldError, screenshot } from "./support";

/** A wave through the PLO's form; returns its id. */
async function createWave(plo: HttpClient, programId: string, name: string, startsOn: string, endsOn: string): Promise<string> {
  const response = await plo.post(`/programs/${programId}/waves`, { intent: "create", name, startsOn, endsOn, goal: "" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("/").pop()!;
}

async function placeInWave(plo: HttpClient, programId: string, waveId: string, teamIds: string[]) {
  const form = new URLSearchParams({ intent: "assign", waveId });
  for (const id of teamIds) form.append("teamId", id);
  const response = await plo.post(`/programs/${programId}/teams`, form);
  expect(response.status).toBe(302);
}

describe("log a session with JavaScript", () => {
  const e2e = useE2E();
  it("stays on the page, resets keeping the team, announces, focuses the first field; undo works", async () => {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const programId = await createProgram(admin, { name: "E2E coaching", status: "active" });
    const [falcons, herons] = await importTeams(admin, programId, "E2E Co", ["Falcons", "Herons"]);
    const coach = await createCoachAccount(admin, programId, { name: "Eve Coach" });
    await assignTeam(admin, programId, coach.coachId, falcons.id, dayFromToday(-30));
    await assignTeam(admin, programId, coach.coachId, herons.id, dayFromToday(-30));
    const page = await e2e.newPage();
    await signIn(page, coach.user.email, coach.user.password);
    await page.goto(`/programs/${programId}/sessions/new?team=${herons.id}`);
    const form = page.getByRole("form", { name: "Log a support session" });
    await waitForHydration(page.getByLabel("Team", { exact: true }));
    expect(await page.getByLabel("Team", { exact: true }).inputValue()).toBe(herons.id);
    await page.getByLabel("Type", { exact: true }).selectOption("check_in");
    await page.getByLabel("Attendees", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Log session" }).click();
    expect(await fieldError(page, "Attendees")).toBe("Attendees must be a whole number from 1 to 500.");
    await page.getByLabel("Attendees", { exact: true }).fill("7");
    await page.getByLabel("Notes", { exact: true }).fill("Went well");
    await page.getByRole("button", { name: "Log session" }).click();
    const status = page.getByRole("status").filter({ hasText: "Session logged for" });
    await status.waitFor();
    expect((await status.textContent())?.replace(/\s+/g, " ")).toContain(`Session logged for ${herons.name} — undo / edit`);
    expect(new URL(page.url()).pathname).toBe(`/programs/${programId}/sessions/new`);
    expect(await page.getByLabel("Team", { exact: true }).inputValue()).toBe(herons.id);
    expect(await page.getByLabel("Notes", { exact: true }).inputValue()).toBe("");
    // Attendees start again at the team's size (its lead, imported into it).
    expect(await page.getByLabel("Attendees", { exact: true }).inputValue()).toBe("1");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("teamId");
    await screenshot(page, "coach-log-session");
    await page.getByRole("button", { name: "undo" }).click();
    await page.getByText(`Session with ${herons.name} removed.`).waitFor();
    void form;
    await page.goto(`/programs/${programId}/sessions`);
    await page.getByText("You have not logged a session yet.").waitFor();
    await page.goto(`/programs/${programId}/sessions/new?team=${falcons.id}`);
    await page.getByLabel("Type", { exact: true }).selectOption("drafting");
    await page.getByLabel("Attendees", { exact: true }).fill("4");
    await page.getByRole("button", { name: "Log session" }).click();
    await page.getByRole("status").filter({ hasText: "Session logged for" }).waitFor();
    await page.goto(`/programs/${programId}/escalations/new?team=${falcons.id}`);
    await page.getByLabel("About", { exact: true }).selectOption("method");
    await page.getByLabel("Question", { exact: true }).fill("How should the team grade a late key result?");
    await page.getByRole("button", { name: "Send the question" }).click();
    await page.getByText("Not answered yet.").waitFor();
    await page.goto(`/learnings/new`);
    await page.getByLabel("Title", { exact: true }).fill("Start drafting from last quarter's retro");
    await page.getByLabel("Text", { exact: true }).fill("It keeps the team honest about what did not work.");
    await page.getByLabel("Tags", { exact: true }).fill("drafting, retro");
    await page.getByRole("button", { name: "Share it" }).click();
    await page.getByText("Thanks for sharing").waitFor();
    await page.goto(`/learnings`);
    await screenshot(page, "coach-learnings");
    await page.goto(`/programs/${programId}/my-teams`);
    await screenshot(page, "coach-my-teams");
    await page.goto(`/programs/${programId}/sessions`);
    await screenshot(page, "coach-sessions");
  });
});

describe("coverage and escalations in the browser", () => {
  const e2e = useE2E();

  it("the PLO fills every coverage gap of the next wave from the board; a coach raises a question the PLO answers", async () => {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const plo = await createUser(admin, { role: "plo", name: "Paula PLO" });
    const programId = await createProgram(admin, { name: "Coverage rollout", status: "active" });
    const [alpha, bravo, charlie, delta] = await importTeams(admin, programId, "Coverage Co", ["Alpha", "Bravo", "Charlie", "Delta"]);
    const current = await createWave(admin, programId, "Wave 1", dayFromToday(-20), dayFromToday(40));
    const next = await createWave(admin, programId, "Wave 2", dayFromToday(45), dayFromToday(120));
    await placeInWave(admin, programId, current, [alpha.id]);
    await placeInWave(admin, programId, next, [bravo.id, charlie.id, delta.id]);
    const coach = await createCoachAccount(admin, programId, { name: "Cleo Coach" });
    await assignTeam(admin, programId, coach.coachId, alpha.id, dayFromToday(-20));

    // The PLO's board: the next wave has three teams without a primary coach.
    const page = await e2e.newPage();
    await signIn(page, plo.email, plo.password);
    await page.goto(`/programs/${programId}/coverage`);
    const waves = page.getByRole("region", { name: "Waves" });
    await expect.poll(async () => (await waves.textContent())?.replace(/\s+/g, " ")).toContain("3 ⚠ of 3 teams without a primary coach");
    const gaps = page.getByRole("table", { name: "Teams without a primary coach" });
    expect(await gaps.locator("tbody tr").count()).toBe(3);
    await screenshot(page, "coverage-gaps");

    // All three at once, to Cleo, from the bulk form.
    await waitForHydration(page.getByRole("checkbox", { name: "Select all rows on this page" }));
    await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
    const bulk = page.getByRole("form", { name: "Assign the selected teams to a coach" });
    const cleo = await bulk.getByLabel("to coach").locator("option", { hasText: "Cleo Coach" }).getAttribute("value");
    await bulk.getByLabel("to coach").selectOption(cleo!);
    await bulk.getByRole("button", { name: "Assign" }).click();
    await expect.poll(async () => (await waves.textContent())?.replace(/\s+/g, " ")).toContain("All 3 teams have a primary coach");
    await page.getByText("Every team of the current and next wave has a primary coach.").waitFor();
    await screenshot(page, "coverage-filled");

    // The wave's readiness now counts them as coached.
    await page.goto(`/programs/${programId}/waves/${next}`);
    await page.getByText("All 3 teams have a primary coach.").waitFor();
    await signOut(page);

    // The coach: a question to the PLO (a missing category is refused next to the field first).
    await signIn(page, coach.user.email, coach.user.password);
    await page.goto(`/programs/${programId}/escalations/new`);
    await page.getByLabel("Question", { exact: true }).fill("Bravo's lead wants company OKRs before drafting. Wait, or start bottom-up?");
    await page.getByRole("button", { name: "Send the question" }).click();
    expect(await fieldError(page, "About")).toMatch(/./);
    await page.getByLabel("About", { exact: true }).selectOption({ index: 1 });
    await page.getByRole("button", { name: "Send the question" }).click();
    await page.getByText("Your question was sent to the Program Lead Office.").waitFor();
    const questionPath = new URL(page.url()).pathname;
    await signOut(page);

    // The PLO answers it.
    await signIn(page, plo.email, plo.password);
    await page.goto(questionPath);
    await page
      .getByRole("textbox", { name: "Answer" })
      .fill("Start bottom-up with the draft; align once the company set is out in two weeks.");
    await page.getByRole("button", { name: "Send the answer" }).click();
    await page.getByText("Start bottom-up with the draft").first().waitFor();
    await signOut(page);

    // The coach sees the answer on their home page, opens it, and the notice is gone.
    await signIn(page, coach.user.email, coach.user.password);
    await page.goto(`/programs/${programId}/my-teams`);
    await page.getByRole("link", { name: /The PLO answered your question about/ }).click();
    await page.getByText("Start bottom-up with the draft").first().waitFor();
    await screenshot(page, "coach-sees-answer");
    await page.goto(`/programs/${programId}/my-teams`);
    await page.getByRole("heading", { name: "My teams" }).waitFor();
    expect(await page.getByRole("link", { name: /The PLO answered your question about/ }).count()).toBe(0);
  });
});
