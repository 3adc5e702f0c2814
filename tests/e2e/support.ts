// Browser-test support: Debian's Chromium driven by playwright-core against the real built
// server on a fresh database. Every test gets a fresh browser context (no cookies) and fails
// when the page logged a console error, threw, or a static asset failed to load.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { HttpClient } from "../support/http-client";
import type { DB } from "~/utils/db.server";
import { startSeededServer } from "../support/seeded-server";
import { startServer, type RunningServer } from "../support/server";
import { TMP } from "../support/test-env";

export const SCREENS_DIR = path.join(TMP, "screens");

/** Never downloads a browser: uses the distribution's Chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Chromium; `launch` gives it a fresh temporary profile (user-data dir) every time. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Saves a full-page PNG to tests/.tmp/screens/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Something the browser reported that no assertion asked for. */
interface Problem {
  kind: "console" | "pageerror" | "asset" | "server";
  text: string;
}

function watch(page: Page, problems: Problem[], javaScriptEnabled: boolean) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every 4xx/5xx response as "Failed to load resource". Expected 4xx answers
    // (a form that did not validate: 400; the 403 page) are asserted by the tests themselves;
    // the response listener below catches the ones that matter (5xx, missing assets).
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    problems.push({ kind: "console", text: `${message.text()} (${message.location().url})` });
  });
  page.on("pageerror", (error) => problems.push({ kind: "pageerror", text: error.stack ?? error.message }));
  page.on("response", (response) => {
    const status = response.status();
    const type = response.request().resourceType();
    if (status >= 500) problems.push({ kind: "server", text: `${status} ${response.request().method()} ${response.url()}` });
    else if (status >= 400 && type !== "document" && type !== "fetch") {
      problems.push({ kind: "asset", text: `${status} ${type} ${response.url()}` });
    }
  });
  page.on("requestfailed", (request) => {
    // A failed script or stylesheet is a problem, but one cancelled by a navigation (ERR_ABORTED)
    // is not: on a slow machine a form can be sent before the page's scripts finished loading,
    // and it then works as plain HTML. A missing asset shows up as a 4xx response above.
    const type = request.resourceType();
    // Without JavaScript, Chromium refuses every script (reported as "csp"): that is the point.
    if (type === "script" && !javaScriptEnabled) return;
    if ((type === "script" || type === "stylesheet") && request.failure()?.errorText !== "net::ERR_ABORTED") {
      problems.push({ kind: "asset", text: `${type} failed: ${request.url()} (${request.failure()?.errorText})` });
    }
  });
}

export interface PageOptions {
  /** false: the page as a browser without JavaScript sees it (forms post and reload). */
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
}

export interface E2E {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A new page in a fresh context (no cookies), watched for console and page errors. */
  newPage(options?: PageOptions): Promise<Page>;
  /** An HTTP client on the same server, to arrange data the test is not about. */
  http(): HttpClient;
}

export interface SeededE2E<W> extends E2E {
  /** What the seed made (ids, accounts, the password). */
  readonly world: W;
}

/**
 * Per test file: one server on a fresh database, one browser. Per test: fresh contexts, closed
 * afterwards, and a failure if the browser reported an error.
 */
export function useE2E(): E2E {
  return browserFixture(async () => ({ server: await startServer(), world: null }));
}

/** As useE2E, on a database the seed filled first (its world is `.world`). */
export function seededE2E<W>(seed: (db: DB) => Promise<W>): SeededE2E<W> {
  return browserFixture(() => startSeededServer(seed));
}

function browserFixture<W>(start: () => Promise<{ server: RunningServer; world: W }>): SeededE2E<W> {
  let started: { server: RunningServer; world: W } | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let problems: Problem[] = [];

  beforeAll(async () => {
    [started, browser] = await Promise.all([start(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await started?.server.stop();
  });
  afterEach(async () => {
    const found = problems;
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    problems = [];
    if (found.length > 0) {
      throw new Error(`The browser reported problems during the test:\n${found.map((p) => `- [${p.kind}] ${p.text}`).join("\n")}`);
    }
  });

  const ready = () => {
    if (!started || !browser) throw new Error("The server and browser are not started yet: use them inside a test or a hook.");
    return { ...started, browser };
  };
  return {
    get server() {
      return ready().server;
    },
    get world() {
      return ready().world;
    },
    get browser() {
      return ready().browser;
    },
    async newPage(options: PageOptions = {}) {
      const { server, browser } = ready();
      const context = await browser.newContext({
        baseURL: server.url,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        viewport: options.viewport ?? { width: 1280, height: 800 },
      });
      context.setDefaultTimeout(20_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.push(context);
      const page = await context.newPage();
      watch(page, problems, options.javaScriptEnabled ?? true);
      return page;
    },
    http() {
      return new HttpClient(ready().server.url);
    },
  };
}

/** Waits for the locator to be visible and returns its trimmed text. */
export async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: "visible" });
  return ((await locator.textContent()) ?? "").trim();
}

/**
 * The error shown next to a form field: the field's alert, which must also be announced as the
 * input's description (aria-describedby) and mark the input invalid.
 */
export async function fieldError(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  const field = page.locator(".field", { has: input });
  const alert = field.getByRole("alert");
  const text = await visibleText(alert);
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  const errorId = await alert.getAttribute("id");
  expect(errorId).toBeTruthy();
  expect((await input.getAttribute("aria-describedby"))?.split(" ")).toContain(errorId);
  return text;
}

/** Waits until the page's URL path matches (client-side navigations included). */
export async function waitForPath(page: Page, pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof pathname === "string" ? url.pathname === pathname : pathname.test(url.pathname)));
}

/** Signs in through the login form. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Signs out with the header's button and waits for the login page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await waitForPath(page, "/login");
  await page.getByRole("heading", { name: "Sign in to Rollout Desk" }).waitFor();
}

/**
 * Waits until React has hydrated the element (its props are attached), for widgets that only
 * work with JavaScript, such as a table's search box. Forms and links work before hydration
 * (plain HTML), so they need no wait; a controlled input typed into too early would be reset.
 */
export async function waitForHydration(locator: Locator): Promise<void> {
  await locator.waitFor();
  const handle = await locator.elementHandle();
  await locator.page().waitForFunction((el) => el !== null && Object.keys(el).some((key) => key.startsWith("__reactProps$")), handle);
  await handle?.dispose();
}
