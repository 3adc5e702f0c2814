import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";
import { screenshot, seededE2E } from "./support";

// The PLO sees on the overview that proposals wait, opens them, ticks three teams with their
// evidence in front of them (with the mouse and with the keyboard; "select all" ticks every one
// and unticks them again), the buttons count the ticked moves, and confirms only those three in
// one go; then rejects one more, ticked alone. The teams' pages show the new status and the move
// in their history, the untouched proposals stay, and the health page shows the bands behind it.

const e2e = seededE2E((db) => graduationWorld(db));
let w: GraduationWorld;
beforeAll(() => {
  ({ world: w } = e2e);
});

async function signedInPage(email: string): Promise<Page> {
  const page = await e2e.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(w.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

describe("graduation in a browser", () => {
  it("the PLO ticks proposals (mouse, keyboard, select all), confirms three at once, rejects one alone; the histories show the moves", async () => {
    const page = await signedInPage(w.users.plo.email);
    await page.goto(`/programs/${w.programId}`);
    await page.getByRole("link", { name: "5 graduation proposals to confirm or reject" }).click();
    await page.getByRole("heading", { name: "Proposals (5)" }).waitFor();
    const alphaRow = page.getByRole("row", { name: /Alpha/ });
    await alphaRow.getByText("2026-Q3: retrospective run by the team itself").waitFor();
    await screenshot(page, "graduation-proposals");

    const box = (team: string) => page.getByRole("row", { name: new RegExp(team) }).getByRole("checkbox");
    const selectAll = page.getByRole("checkbox", { name: "Select all 5 proposals shown" });
    // "Select all" ticks every proposal shown, and unticks them again.
    await selectAll.check();
    await page.getByRole("button", { name: "Confirm 5 moves" }).waitFor();
    for (const team of ["Alpha", "Bravo", "Charlie", "Echo", "Foxtrot"]) expect(await box(team).isChecked()).toBe(true);
    await selectAll.uncheck();
    await page.getByText("None selected").waitFor();
    await page.getByRole("button", { name: "Confirm the selected" }).waitFor();

    await box("Alpha").check();
    await page.getByRole("button", { name: "Confirm 1 move" }).waitFor();
    // Keyboard: Tab from Alpha's box (past its team link) onto Bravo's, Space ticks it.
    await box("Alpha").focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await box("Bravo").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Space");
    await box("Echo").check();
    expect(await box("Bravo").isChecked()).toBe(true);
    expect(await selectAll.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await page.getByText("3 of 5 selected").waitFor();
    await page.getByLabel("Reason (optional)").fill("Reviewed with the coaches");
    await page.getByRole("button", { name: "Confirm 3 moves" }).click();
    await page.getByText("Confirmed 3 proposals.").waitFor();
    await page.getByRole("heading", { name: "Proposals (2)" }).waitFor();
    await page.getByRole("row", { name: /Charlie/ }).waitFor();
    expect(await page.locator("tbody").getByRole("row", { name: /Alpha/ }).count()).toBe(0);
    // Nothing stays ticked from before.
    await page.getByText("None selected").waitFor();

    // Only the ticked one is rejected: Foxtrot's proposal stays.
    await box("Charlie").check();
    await page.getByRole("button", { name: "Reject 1 move" }).click();
    await page.getByText("Rejected 1 proposal.").waitFor();
    await page.getByRole("heading", { name: "Proposals (1)" }).waitFor();
    await page.getByRole("row", { name: /Foxtrot/ }).waitFor();
    expect(
      await page
        .locator("tbody")
        .getByRole("row", { name: /Charlie/ })
        .count(),
    ).toBe(0);
    const decisions = page.locator("section", { has: page.getByRole("heading", { name: "Recent decisions" }) });
    await decisions.getByText(/Alpha: Running → Self-sufficient confirmed/).waitFor();
    await decisions.getByText(/Charlie: Running → Self-sufficient rejected/).waitFor();
    expect(await decisions.getByText(/Foxtrot/).count()).toBe(0);
    await decisions.getByText("Reviewed with the coaches").first().waitFor();

    await page.goto(`/programs/${w.programId}/teams/${w.teams.alpha}`);
    const history = page.getByRole("table", { name: /Onboarding history of Alpha/ });
    const move = history.getByRole("row").filter({ hasText: "Self-sufficient" });
    expect(await move.count()).toBe(1);
    expect(await move.innerText()).toMatch(/Running\s+Self-sufficient\s+Paula PLO/);

    await page.goto(`/programs/${w.programId}/health`);
    await page.getByRole("heading", { name: /2026-Q4/ }).waitFor();
    await page.getByRole("figure").filter({ hasText: "Health by cycle" }).waitFor();
    await screenshot(page, "health-page");
  });
});
