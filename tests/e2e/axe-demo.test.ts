import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo, type DemoSeedResult } from "../../db/seed/demo";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { launchBrowser, signIn } from "./support";

// Accessibility on real-looking data (issue 18): the demo installation — three waves, health,
// enablement, published reports — checked by axe-core on each role's home and on the PLO's main
// pages (the overview's chart, the timeline, the team list, health, the live status…). A small
// seeded program (axe.test.ts) cannot show what long names, many rows and every state look like.

const axeSource: string = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

let server: RunningServer;
let browser: Browser;
let demo: DemoSeedResult;

beforeAll(async () => {
  [{ server, world: demo }, browser] = await Promise.all([startSeededServer((db) => seedDemo(db)), launchBrowser()]);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function violations(page: Page): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> };
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<Result> } }).axe;
    return (await axe.run(document)).violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found;
}

async function signedIn(role: string): Promise<Page> {
  const account = demo.accounts.find((a) => a.role === role);
  if (!account) throw new Error(`the demo has no ${role}`);
  // The app's CSP allows no inline script; axe is the test's, injected past it.
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 }, bypassCSP: true });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await signIn(page, account.email, DEMO_PASSWORD);
  return page;
}

describe("axe on the demo installation", { timeout: 180_000 }, () => {
  for (const role of ["admin", "plo", "coach", "sponsor", "team_lead", "member"] as const) {
    it(`the ${role}'s home has no axe violation`, async () => {
      const page = await signedIn(role);
      try {
        expect(await violations(page), `${role} at ${new URL(page.url()).pathname}`).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }

  it("the PLO's main pages of the active rollout have no axe violation", async () => {
    const page = await signedIn("plo");
    try {
      const program = new URL(page.url()).pathname.replace(/\/$/, "");
      expect(program).toMatch(/^\/programs\/[^/]+$/);
      const found: string[] = [];
      for (const section of [
        "",
        "/teams",
        "/waves",
        "/timeline",
        "/milestones",
        "/health",
        "/graduation",
        "/status",
        "/reports",
        "/enablement",
        "/coverage",
        "/cycles",
      ]) {
        await page.goto(program + section);
        found.push(...(await violations(page)).map((v) => `${section || "/"}: ${v}`));
      }
      expect(found).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
