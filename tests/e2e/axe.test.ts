import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";
import { teamHomeWorld, type TeamHomeWorld } from "../support/team-home";
import { launchBrowser, signIn } from "./support";

// Accessibility (issue 18): axe-core runs in the page on each role's home after sign-in (admin,
// PLO, coach, sponsor, team lead, member) and finds no violation.

const axeSource: string = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

let server: RunningServer;
let browser: Browser;
let w: TeamHomeWorld;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  [{ server, world: w }, browser] = await Promise.all([startSeededServer((db) => teamHomeWorld(db)), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return found.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("axe on every role's home", () => {
  for (const role of ["admin", "plo", "coach", "sponsor", "teamLead", "member"] as const) {
    it(`the ${role}'s home after sign-in has no axe violation`, async () => {
      // The app's CSP allows no inline script; axe is the test's, injected past it.
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 }, bypassCSP: true });
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, w.users[role].email, w.password);
      await page.goto("/");
      await page.waitForLoadState("networkidle");
      expect(await violations(page), `${role} at ${new URL(page.url()).pathname}`).toEqual([]);
    });
  }
});
