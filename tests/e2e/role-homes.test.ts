import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createProgram, createUser, setUpInstallation } from "../support/http-fixtures";
import { assignTeam, createCoachAccount, dayFromToday, importTeams } from "../http/authz-rows/coaching-coach";
import { useE2E, waitForPath } from "./support";

// Each role's core task from sign-in, counted in interactions (a click, a key press or a form
// submit a person makes after signing in), with and without JavaScript (issue 18).

export const SHOTS_DIR = process.env.HOMES_SHOTS_DIR || "/tmp/homes-shots";

/** Counts the interactions a test makes on behalf of a person. */
class Interactions {
  count = 0;
  constructor(readonly page: Page) {}
  async click(name: string | RegExp, role: "button" | "link" = "button") {
    this.count += 1;
    await this.page.getByRole(role, { name }).first().click();
  }
}

/** Signs in through the form (not counted: every task starts here). */
async function signInAs(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

describe("a coach logs a session from sign-in", () => {
  const e2e = useE2E();

  let made: Awaited<ReturnType<typeof build>> | undefined;
  const world = async () => (made ??= await build());
  async function build() {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const programId = await createProgram(admin, { name: "Homes e2e", status: "active" });
    const [falcons, herons] = await importTeams(admin, programId, "Homes E2E Co", ["Falcons", "Herons"]);
    const coach = await createCoachAccount(admin, programId, { name: "Eve Coach" });
    await assignTeam(admin, programId, coach.coachId, falcons.id, dayFromToday(-30));
    await assignTeam(admin, programId, coach.coachId, herons.id, dayFromToday(-30));
    return { admin, programId, falcons, herons, coach };
  }

  it("with JavaScript: lands on their teams, logs in one click, undoes in one more (≤ 4)", async () => {
    const { programId, herons, coach } = await world();
    const page = await e2e.newPage();
    await signInAs(page, coach.user.email, coach.user.password);
    await waitForPath(page, `/programs/${programId}/my-teams`);
    const steps = new Interactions(page);
    await steps.click(`Log session with ${herons.name}`);
    const status = page.getByRole("status").filter({ hasText: `Training session logged for ${herons.name}.` });
    await status.waitFor();
    await shot(page, "coach-logged-1366");
    await page.getByRole("link", { name: new RegExp(`Training with ${herons.name}`) }).waitFor();
    await steps.click("Undo");
    // The removal is confirmed before the next page is opened (an undo still in flight would be cut off).
    await page
      .getByText(new RegExp(`Session with ${herons.name} on .+ removed\\.`))
      .first()
      .waitFor();
    expect(steps.count).toBeLessThanOrEqual(4);
    await page.goto(`/programs/${programId}/sessions`);
    await page.getByText("You have not logged a session yet.").waitFor();
  });

  it("without JavaScript: the same plain forms log and undo (≤ 4)", async () => {
    const { programId, falcons, coach } = await world();
    const context = await e2e.browser.newContext({
      baseURL: e2e.server.url,
      javaScriptEnabled: false,
      viewport: { width: 1366, height: 900 },
    });
    try {
      const page = await context.newPage();
      await signInAs(page, coach.user.email, coach.user.password);
      await waitForPath(page, `/programs/${programId}/my-teams`);
      const steps = new Interactions(page);
      await steps.click(`Log session with ${falcons.name}`);
      await page
        .getByRole("status")
        .filter({ hasText: `Training session logged for ${falcons.name}.` })
        .waitFor();
      await steps.click("Undo");
      await page.getByText(`Session with ${falcons.name}`).first().waitFor();
      expect(steps.count).toBeLessThanOrEqual(4);
      expect(await page.getByRole("status").filter({ hasText: "session logged for" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe("phones and every role's home", () => {
  const e2e = useE2E();

  /** Pages that are wider than the screen, with the widest element's tag and class (to fix it). */
  async function overflow(page: Page): Promise<{ width: number; culprit: string }> {
    return page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      let culprit = "";
      let right = 0;
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        if (r.right > right && r.width > 0) {
          right = r.right;
          culprit = `${el.tagName.toLowerCase()}.${(el.getAttribute("class") ?? "").replaceAll(" ", ".")} (${Math.round(r.right)})`;
        }
      }
      return { width, culprit };
    });
  }

  it("at 375 px the coach's and the sponsor's pages scroll only vertically; every role's home is screenshotted", async () => {
    const { client: admin, admin: adminUser } = await setUpInstallation(e2e.server.url);
    const programId = await createProgram(admin, { name: "Homes phones program with a long name", status: "active" });
    const teams = await importTeams(admin, programId, "Phones Co", ["Falcons", "Herons", "Owls"]);
    const coach = await createCoachAccount(admin, programId, { name: "Eve Coach" });
    for (const team of teams) await assignTeam(admin, programId, coach.coachId, team.id, dayFromToday(-30));
    const sponsor = await createUser(admin, { role: "sponsor", name: "Sam Sponsor" });
    const plo = await createUser(admin, { role: "plo", name: "Pat PLO" });
    const lead = await createUser(admin, { role: "team_lead", name: "Lee Lead" });
    const base = `/programs/${programId}`;
    const pages: Record<string, { user: { email: string; password: string }; paths: string[] }> = {
      coach: {
        user: coach.user,
        paths: [
          `${base}/my-teams`,
          `${base}/sessions`,
          `${base}/sessions/new`,
          `${base}/escalations`,
          `${base}/escalations/new`,
          `${base}/teams`,
          `${base}/timeline`,
          "/learnings",
        ],
      },
      sponsor: {
        user: sponsor,
        paths: [
          base,
          `${base}/teams`,
          `${base}/waves`,
          `${base}/milestones`,
          `${base}/timeline`,
          `${base}/risks`,
          `${base}/stakeholders`,
          `${base}/coverage`,
          `${base}/coaching-activity`,
          "/learnings",
        ],
      },
    };
    const wide: string[] = [];
    for (const [role, { user, paths }] of Object.entries(pages)) {
      const context = await e2e.browser.newContext({ baseURL: e2e.server.url, viewport: { width: 375, height: 800 } });
      try {
        const page = await context.newPage();
        await signInAs(page, user.email, user.password);
        for (const target of paths) {
          await page.goto(target);
          const { width, culprit } = await overflow(page);
          if (width > 375) wide.push(`${role} ${target}: ${width} px (${culprit})`);
        }
      } finally {
        await context.close();
      }
    }
    // Every role's home, as a person sees it after signing in, on a laptop and on a phone.
    const homes: Record<string, { email: string; password: string }> = {
      admin: adminUser,
      plo,
      coach: coach.user,
      sponsor,
      team_lead: lead,
    };
    for (const [role, user] of Object.entries(homes)) {
      for (const width of [1366, 375]) {
        const context = await e2e.browser.newContext({ baseURL: e2e.server.url, viewport: { width, height: 900 } });
        try {
          const page = await context.newPage();
          await signInAs(page, user.email, user.password);
          await page.goto("/");
          await shot(page, `${role}-home-${width}`);
          if (width === 1366) {
            const header = await page.locator(".app-header").boundingBox();
            expect(header?.height ?? 0, `${role}'s header on one row`).toBeLessThan(70);
          }
          expect(await page.getByRole("link", { name: "Home", exact: true }).count()).toBe(1);
        } finally {
          await context.close();
        }
      }
    }
    expect(wide).toEqual([]);
  });
});
