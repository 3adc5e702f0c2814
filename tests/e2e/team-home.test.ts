import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { teamHomeWorld, type TeamHomeWorld } from "../support/team-home";
import { seededE2E, signIn, visibleText, waitForPath } from "./support";

// A team lead from sign-in to a saved check-in, counted in interactions (a click, a key press or
// a form submit a person makes after signing in), with and without JavaScript (issue 18).

const SHOTS_DIR = process.env.HOMES_SHOTS_DIR || "/tmp/homes-shots";

const e2e = seededE2E((db) => teamHomeWorld(db));
let w: TeamHomeWorld;
beforeAll(() => {
  ({ world: w } = e2e);
});

const newPage = (javaScriptEnabled: boolean, width = 1366) => e2e.newPage({ javaScriptEnabled, viewport: { width, height: 900 } });

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

describe("a team lead checks in from sign-in", () => {
  for (const js of [true, false]) {
    it(`${js ? "with" : "without"} JavaScript: lands on their team, opens the check-in and saves it in 4 interactions (open, value, confidence, save)`, async () => {
      const page = await newPage(js);
      await signIn(page, w.users.teamLead.email, w.password);
      await waitForPath(page, `/programs/${w.programId}/my-team`);
      if (js) await shot(page, "team-lead-home-1366");
      let interactions = 0;
      interactions += 1;
      await page.getByRole("link", { name: "Check in for Warehouse" }).click();
      await waitForPath(page, `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}/check-in`);
      const row = page.locator("fieldset", { hasText: "Picking errors per week" });
      interactions += 1;
      await row.getByLabel("Value").fill(js ? "30" : "29");
      interactions += 1;
      await row.getByLabel("Confidence").selectOption("on_track");
      interactions += 1;
      await page.getByRole("button", { name: "Save check-in" }).click();
      expect(await visibleText(page.getByRole("status").filter({ hasText: "Checked in on" }))).toContain("Checked in on 1 key result.");
      if (js) await shot(page, "team-lead-checked-in-1366");
      expect(interactions).toBeLessThanOrEqual(4);
    });
  }

  it("a member's home at 375 px fits the screen and leads to their own key result", async () => {
    const page = await newPage(true, 375);
    await signIn(page, w.users.member.email, w.password);
    await waitForPath(page, `/programs/${w.programId}/my-team`);
    await shot(page, "member-home-375");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.getByRole("link", { name: "Check in on my key results" }).click();
    await page.locator("fieldset", { hasText: "Orders shipped same day" }).waitFor();
  });
});
