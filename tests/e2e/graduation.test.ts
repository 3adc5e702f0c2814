import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { graduationWorld, type GraduationWorld } from "../support/health-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { launchBrowser, screenshot } from "./support";

// The PLO sees on the overview that proposals wait, opens them, ticks three teams with their
// evidence in front of them and confirms them in one go; the teams' pages then show the new
// status and the move in their history, and the health page the bands behind it.

let server: RunningServer;
let browser: Browser;
let w: GraduationWorld;
let contexts: BrowserContext[] = [];
let errors: string[] = [];

beforeAll(async () => {
  [{ server, world: w }, browser] = await Promise.all([startSeededServer((db) => graduationWorld(db)), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
  const found = errors;
  errors = [];
  expect(found, "the page threw or logged errors").toEqual([]);
});

async function signedInPage(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(w.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

describe("graduation in a browser", () => {
  it("the PLO confirms three proposals in bulk and the teams' histories show the moves", async () => {
    const page = await signedInPage(w.users.plo.email);
    await page.goto(`/programs/${w.programId}`);
    await page.getByRole("link", { name: "5 graduation proposals to confirm or reject" }).click();
    await page.getByRole("heading", { name: "Proposals (5)" }).waitFor();
    const alphaRow = page.getByRole("row", { name: /Alpha/ });
    await alphaRow.getByText("2026-Q3: retrospective run by the team itself").waitFor();
    await screenshot(page, "graduation-proposals");

    for (const team of ["Alpha", "Bravo", "Echo"])
      await page
        .getByRole("row", { name: new RegExp(team) })
        .getByRole("checkbox")
        .check();
    await page.getByLabel("Reason (optional)").fill("Reviewed with the coaches");
    await page.getByRole("button", { name: "Confirm the selected" }).click();
    await page.getByText("Confirmed 3 proposals.").waitFor();
    await page.getByRole("heading", { name: "Proposals (2)" }).waitFor();
    await page.getByRole("row", { name: /Charlie/ }).waitFor();
    expect(await page.locator("tbody").getByRole("row", { name: /Alpha/ }).count()).toBe(0);
    const decisions = page.locator("section", { has: page.getByRole("heading", { name: "Recent decisions" }) });
    await decisions.getByText(/Alpha: Running → Self-sufficient confirmed/).waitFor();
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
