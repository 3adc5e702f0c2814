import { describe, expect, it } from "vitest";
import { clientsForEveryRole, createProgram, setUpInstallation } from "../support/http-fixtures";
import { createWave, importOrg, planTeams, teamRows } from "../http/authz-rows/plan-teams";
import { screenshot, signIn, useE2E, visibleText } from "./support";

// A PLO assigns 50 teams to a wave in one action (issue 18): "all matching the filters", the
// server's exact counts in a confirmation step because some teams are under way in another wave,
// then the change with "Undo" offered.

describe("bulk wave assignment in a browser", () => {
  const e2e = useE2E();

  it("a PLO moves 50 teams into a wave in one action, confirming the move of the running ones, and can undo it", async () => {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const { clients, users } = await clientsForEveryRole(e2e.server.url, admin);
    const programId = await createProgram(admin, { name: "Bulk in a browser", status: "active" });
    await importOrg(admin, teamRows("Fifty Co / Ops", "Fifty", 50));
    await createWave(clients.plo, programId, { name: "Wave Target" });
    const other = await createWave(clients.plo, programId, { name: "Wave Other" });
    const ids = [...(await planTeams(clients.plo, programId, "?q=Fifty&sort=name")).values()].map((t) => t.id);
    expect(ids).toHaveLength(50);
    const form = (fields: Record<string, string>, teamIds: string[]) => {
      const body = new URLSearchParams(fields);
      for (const id of teamIds) body.append("teamId", id);
      return body;
    };
    const teams = `/programs/${programId}/teams`;
    await clients.plo.post(teams, form({ intent: "assign", waveId: other }, ids.slice(0, 7)));
    await clients.plo.post(teams, form({ intent: "status", status: "running" }, ids.slice(0, 7)));

    const page = await e2e.newPage();
    await signIn(page, users.plo.email, users.plo.password);
    await page.goto(`${teams}?q=Fifty`);
    let interactions = 0;
    const bulk = page.getByRole("form", { name: "Change the selected teams" });
    interactions += 1;
    await bulk.getByRole("checkbox", { name: "Apply to all 50 teams matching the filters" }).check();
    interactions += 1;
    await bulk.getByRole("combobox", { name: "Wave" }).selectOption({ label: "Wave Target" });
    // Before any submit, the bar says what the choice would do, counted by the server.
    await page.getByTestId("bulk-preview").filter({ hasText: "50 teams" }).waitFor();
    expect(await visibleText(page.getByTestId("bulk-preview"))).toBe(
      "Assign to “Wave Target”: 50 teams: 7 teams under way (onboarding, first cycle or running) would leave their current wave. 50 teams will change.",
    );
    interactions += 1;
    await bulk.getByRole("button", { name: "Assign" }).click();
    const question = page.getByRole("alert").filter({ hasText: "50 teams" });
    expect(await visibleText(question)).toBe(
      "50 teams: 7 teams under way (onboarding, first cycle or running) would leave their current wave. 50 teams will change.",
    );
    await screenshot(page, "bulk-confirm");
    interactions += 1;
    await page.getByRole("button", { name: "Move 50 teams to “Wave Target”" }).click();
    await page.getByRole("status").filter({ hasText: "Assigned 50 teams to wave “Wave Target”." }).waitFor();
    expect(interactions).toBeLessThanOrEqual(4);
    expect(await page.getByRole("button", { name: "Undo" }).count()).toBe(1);
    const inTarget = [...(await planTeams(clients.plo, programId, "?q=Fifty")).values()].filter((t) => t.text.includes("Wave Target"));
    expect(inTarget).toHaveLength(50);

    await page.getByRole("button", { name: "Undo" }).click();
    await page.getByText("back as they were").first().waitFor();
    const back = [...(await planTeams(clients.plo, programId, "?q=Fifty")).values()];
    expect(back.filter((t) => t.text.includes("Wave Other"))).toHaveLength(7);
    expect(back.filter((t) => t.text.includes("Wave Target"))).toHaveLength(0);

    // Rows ticked one by one: the preview follows the selection ("Fifty 1" runs in Wave Other).
    await page.goto(`${teams}?q=${encodeURIComponent("Fifty 1")}`);
    await bulk.getByRole("combobox", { name: "Wave" }).selectOption({ label: "Wave Target" });
    await page.getByRole("checkbox", { name: "Select Fifty 16", exact: true }).check();
    await page.getByTestId("bulk-preview").filter({ hasText: "1 team." }).waitFor();
    await page.getByRole("checkbox", { name: "Select Fifty 1", exact: true }).check();
    await page.getByTestId("bulk-preview").filter({ hasText: "2 teams" }).waitFor();
    expect(await visibleText(page.getByTestId("bulk-preview"))).toBe(
      "Assign to “Wave Target”: 2 teams: 1 team under way (onboarding, first cycle or running) would leave its current wave. 2 teams will change.",
    );
    await screenshot(page, "bulk-live-preview");
    await page.getByRole("checkbox", { name: "Select Fifty 1", exact: true }).uncheck();
    await page.getByRole("checkbox", { name: "Select Fifty 16", exact: true }).uncheck();
    await expect.poll(async () => ((await page.getByTestId("bulk-preview").textContent()) ?? "").trim()).toBe("");
  });
});
