import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { signIn as signInHttp } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import type { RunningServer } from "../support/server";
import { seededE2E, signIn, visibleText } from "./support";

// Drafting a team's OKR set in a browser: the quality checks beside the set react to every
// objective and key result added, and a coach's comment on a draft reaches the team lead, who
// resolves it. (Carrying unfinished objectives forward is in checkins.test.ts.)

const e2e = seededE2E((db) => checkInWorld(db));
let server: RunningServer;
let w: CheckInWorld;
beforeAll(() => {
  ({ server, world: w } = e2e);
});

const newPage = () => e2e.newPage({ viewport: { width: 1280, height: 900 } });

const teamPage = (cycleId: string) => `/programs/${w.programId}/cycles/${cycleId}/teams/${w.teamId}`;

/** The set's quality score as the panel shows it ("75/100" → 75), once it reads `expected`. */
async function scoreBecomes(page: Page, expected: number): Promise<void> {
  const score = page.getByTestId("quality-score");
  await expect.poll(async () => (await score.textContent())?.trim(), { timeout: 20_000 }).toBe(`${expected}/100`);
}

describe("drafting a team's OKR set", () => {
  it("the quality checks react as the team lead drafts: one key result is flagged, more raise the score, a reason for standing alone passes", async () => {
    const page = await newPage();
    await signIn(page, w.users.teamLead.email, w.password);
    await page.goto(teamPage(w.nextCycleId));
    await page.getByRole("heading", { name: /Warehouse/ }).waitFor();
    expect(await visibleText(page.getByText("No objective drafted for this cycle yet."))).toBeTruthy();
    await scoreBecomes(page, 0);

    const add = page.locator("section", { has: page.getByRole("heading", { name: "Add an objective" }) });
    await add.getByLabel("Objective", { exact: true }).fill("Returns are painless for our customers");
    await add.getByRole("button", { name: "Add objective" }).click();
    expect(await visibleText(page.getByRole("status"))).toContain("added as a draft");
    await scoreBecomes(page, 15);
    const objective = page.locator("article", { has: page.getByRole("heading", { name: "Returns are painless for our customers" }) });
    expect(await visibleText(objective.locator(".objective-state"))).toBe("Draft");
    const keyResultsCheck = page.locator('[data-check="key_results"]');
    expect(await visibleText(keyResultsCheck)).toContain("has 0 key results");

    const owner = await page.locator("#team-people option").first().getAttribute("value");
    const addKeyResult = async (title: string, start: string, target: string) => {
      // The form stays open after a key result is added, for the next one: open it only when closed.
      const form = objective.locator("form", { has: page.getByRole("button", { name: "Add key result" }) });
      if ((await form.count()) === 0) await objective.getByRole("link", { name: /^Add a key result to/ }).click();
      await form.getByLabel("Key result", { exact: true }).fill(title);
      await form.getByLabel("Start", { exact: true }).fill(start);
      await form.getByLabel("Target", { exact: true }).fill(target);
      await form.getByLabel("Owner (email)", { exact: true }).fill(owner ?? "");
      await form.getByRole("button", { name: "Add key result" }).click();
      await objective.getByText(title).waitFor();
    };

    await addKeyResult("Returns refunded within 3 days", "40", "90");
    await scoreBecomes(page, 50);
    expect(await visibleText(keyResultsCheck)).toContain("has 1 key result.");
    expect(await keyResultsCheck.getAttribute("class")).toBe("quality-list__fail");

    await addKeyResult("Return labels printed at home", "10", "60");
    await scoreBecomes(page, 75);
    expect(await keyResultsCheck.getAttribute("class")).toBe("quality-list__ok");
    expect(await visibleText(page.locator('[data-check="alignment"]'))).toContain("is aligned to nothing and gives no reason");

    await objective.getByRole("link", { name: "Edit objective “Returns are painless for our customers”" }).click();
    // The form opens in place of its link, and the keyboard is in its first field.
    await objective.getByRole("button", { name: "Save objective" }).waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("title");
    await objective.getByLabel("Or: why it stands alone").fill("A team improvement the customers asked for.");
    await objective.getByRole("button", { name: "Save objective" }).click();
    await scoreBecomes(page, 100);
    expect(await visibleText(page.getByText("The set passes the drafting checks."))).toBeTruthy();
  });

  it("a coach comments on a draft objective; the team lead sees the comment and resolves it", async () => {
    const lead = await signInHttp(server.url, { email: w.users.teamLead.email, password: w.password });
    const added = await lead.post(teamPage(w.cycleId), { intent: "add-objective", title: "Fewer returns", type: "committed" });
    expect(added.status).toBe(302);

    const coach = await newPage();
    await signIn(coach, w.users.coach.email, w.password);
    await coach.goto(teamPage(w.cycleId));
    const draft = coach.locator("article", { has: coach.getByRole("heading", { name: "Fewer returns" }) });
    expect(await visibleText(draft.locator(".objective-state"))).toBe("Draft");
    await draft.getByRole("link", { name: "Comment on “Fewer returns”" }).click();
    await draft.getByLabel("Comment", { exact: true }).fill("How will you know there are fewer? Add a number to reach.");
    await draft.getByRole("button", { name: "Add comment" }).click();
    expect(await visibleText(coach.getByRole("status"))).toContain("Comment added.");
    await draft.getByText("How will you know there are fewer?").waitFor();

    const page = await newPage();
    await signIn(page, w.users.teamLead.email, w.password);
    await page.goto(teamPage(w.cycleId));
    const seen = page.locator("article", { has: page.getByRole("heading", { name: "Fewer returns" }) });
    const comment = seen.locator(".comment", { hasText: "How will you know there are fewer?" });
    expect(await visibleText(comment.locator("strong"))).toBe("Cora Coach");
    await comment.getByRole("button", { name: /Resolve the comment “How will you know there are fewer/ }).click();
    expect(await visibleText(page.getByRole("status"))).toContain("Comment resolved.");
    expect(await visibleText(seen.locator(".comment--resolved"))).toContain("Resolved by Tess Lead");
    expect(await seen.getByRole("button", { name: /Resolve the comment/ }).count()).toBe(0);

    // The coach sees it resolved too.
    await coach.reload();
    expect(await visibleText(draft.locator(".comment--resolved"))).toContain("Resolved by Tess Lead");
  });
});
