import { beforeAll, describe, expect, it } from "vitest";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { seededE2E, signIn, visibleText } from "./support";

// A team lead checks in the whole team from one screen in a browser without JavaScript (a row's
// error beside its field, the other rows' input kept), and carries unfinished objectives forward.

const e2e = seededE2E((db) => checkInWorld(db));
let w: CheckInWorld;
beforeAll(() => {
  ({ world: w } = e2e);
});

const newPage = (javaScriptEnabled: boolean) => e2e.newPage({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });

const base = () => `/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}`;

describe("the team check-in in a browser", () => {
  it("works without JavaScript: a bad row shows its error beside the field and keeps every row's input", async () => {
    const page = await newPage(false);
    await page.goto("/login");
    await page.getByLabel("Email", { exact: true }).fill(w.users.teamLead.email);
    await page.getByLabel("Password", { exact: true }).fill(w.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.goto(`${base()}/check-in`);

    const first = page.locator("fieldset", { hasText: "Orders shipped same day" });
    const second = page.locator("fieldset", { hasText: "Picking errors per week" });
    await first.getByLabel("Value (%)").fill("about 70");
    await first.getByLabel("Confidence").selectOption("on_track");
    await second.getByLabel("Value").fill("28");
    await second.getByLabel("Confidence").selectOption("needs_attention");
    await second.getByLabel("Blockers").fill("The scanner is broken");
    await page.getByRole("button", { name: "Save check-in" }).click();

    const error = first.getByRole("alert");
    expect(await visibleText(error)).toMatch(/Enter a number/);
    expect(await first.getByLabel("Value (%)").getAttribute("aria-describedby")).toBe(await error.getAttribute("id"));
    expect(await second.getByLabel("Blockers").inputValue()).toBe("The scanner is broken");
    expect(await second.getByLabel("Value").inputValue()).toBe("28");

    await first.getByLabel("Value (%)").fill("71");
    await page.getByRole("button", { name: "Save check-in" }).click();
    expect(await visibleText(page.getByRole("status"))).toContain("Checked in on 2 key results.");
    expect(await visibleText(page.locator("fieldset", { hasText: "Orders shipped same day" }).locator(".checkin-facts strong"))).toBe("71");
  });

  it("carries unfinished objectives forward once", async () => {
    const page = await newPage(true);
    await signIn(page, w.users.teamLead.email, w.password);
    await page.goto(`/programs/${w.programId}/teams/${w.teamId}`);
    await page.getByRole("link", { name: "Carry forward" }).click();
    await page.getByRole("heading", { name: /Carry forward: Warehouse/ }).waitFor();
    await page.getByRole("button", { name: "Carry 2 objectives to 2027-Q1" }).click();
    expect(await visibleText(page.getByRole("status"))).toContain("Carried 2 objectives to 2027-Q1 as drafts.");
    expect(await page.getByText("(carried already)").count()).toBe(2);
    expect(await page.getByRole("button", { name: /Carry \d objective/ }).count()).toBe(0);
  });
});
