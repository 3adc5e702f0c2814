import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { fieldError, screenshot, signIn, useE2E, waitForPath } from "./support";

// Issue 3, end to end: a PLO goes from an empty program to a planned rollout for an imported
// organization without a spreadsheet — bad CSVs and bad input answered clearly, nothing half-saved.

const PASSWORD = "correct-horse-battery";

async function arrange(http: HttpClient) {
  const setup = await http.post("/setup", { name: "Ada Admin", email: "ada@example.com", password: PASSWORD, confirm: PASSWORD });
  expect(setup.status).toBe(302);
  const created = await http.post("/admin/users/new", { name: "Paula PLO", email: "paula@example.com", role: "plo", password: PASSWORD });
  expect(created.status).toBe(302);
}

/** An HR export as HR systems write it: a BOM, `;` separators, a quoted title with a separator in it. */
const GOOD_CSV =
  "\uFEFF" +
  [
    "Employee ID;Full name;Work email;Department path;Team;Team lead email;Job title",
    'E-1;Lina Berg;lina.berg@acme.test;Acme › Operations › Warehouse;Inbound;lina.berg@acme.test;"Team Lead; Inbound"',
    "E-2;Omar Haddad;omar.haddad@acme.test;Acme › Operations › Warehouse;Inbound;lina.berg@acme.test;Forklift Operator",
    "E-3;Sara Kim;sara.kim@acme.test;Acme › Operations › Warehouse;Outbound;sara.kim@acme.test;Team Lead",
    "E-4;Tomás Ruiz;tomas.ruiz@acme.test;Acme › Operations › Warehouse;Outbound;sara.kim@acme.test;Packer",
    "",
    "E-5;Yuki Sato;yuki.sato@acme.test;Acme › Operations › Transport;Linehaul;yuki.sato@acme.test;Team Lead",
    "E-6;Ivo Novak;ivo.novak@acme.test;Acme › Operations › Transport;Dispatch;;Dispatcher",
    "E-7;Maya Cohen;maya.cohen@acme.test;Acme › PMO;;;Head of PMO",
  ].join("\r\n");

/** The same export with two broken lines: a missing email and an email used twice. */
const BAD_CSV = [
  "Employee ID,Full name,Work email,Department path,Team,Team lead email,Job title",
  "E-1,Lina Berg,lina.berg@acme.test,Acme › Operations › Warehouse,Inbound,lina.berg@acme.test,Team Lead",
  "E-2,Omar Haddad,,Acme › Operations › Warehouse,Inbound,lina.berg@acme.test,Forklift Operator",
  "E-3,Sara Kim,lina.berg@acme.test,Acme › Operations › Warehouse,Outbound,,Team Lead",
].join("\n");

async function upload(page: Page, name: string, csv: string) {
  await page.goto("/org/import");
  await page.getByLabel("CSV file from your HR system").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "Upload and preview" }).click();
  await page.getByRole("heading", { name: "Preview" }).waitFor();
}

async function peopleCount(page: Page): Promise<string> {
  await page.goto("/org/people");
  return (await page.locator(".data-table__count").textContent())?.trim() ?? "";
}

describe("planning a rollout for an imported organization in the browser", () => {
  const e2e = useE2E();

  it("a PLO imports the org, plans a wave, assigns and onboards its teams, and sees the plan on the overview", async () => {
    await arrange(e2e.http());
    const page = await e2e.newPage();
    await signIn(page, "paula@example.com", PASSWORD);

    // A bad export: every broken line is named with its reason, and nothing is imported.
    await upload(page, "hr-export-broken.csv", BAD_CSV);
    const errorRows = page.getByRole("table", { name: "Errors and warnings" }).locator("tbody tr");
    await errorRows.first().waitFor();
    const errors = await errorRows.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const problemsOn = (line: string) =>
      errors
        .filter((cells) => cells[0] === line)
        .map((cells) => cells[3])
        .join(" ");
    expect(problemsOn("3")).toMatch(/email/i);
    expect(problemsOn("4")).toMatch(/line 2|twice|duplicate|already/i);
    await screenshot(page, "org-import-errors");
    const blocked = page.getByRole("button", { name: "Import (fix the errors first)" });
    expect(await blocked.getAttribute("aria-disabled")).toBe("true");
    expect(await peopleCount(page)).toBe("0 rows");

    // The real export: preview, then one commit.
    await upload(page, "hr-export.csv", GOOD_CSV);
    await page.getByRole("button", { name: /^Import \d+ changes$/ }).waitFor();
    expect(await page.locator(".facts div", { hasText: "Joiners" }).locator("dd").textContent()).toBe("7");
    await screenshot(page, "org-import-preview");
    await page.getByRole("button", { name: /^Import \d+ changes?$/ }).click();
    await page.getByText(/Import #1 done: 7 people joined/).waitFor();
    expect(await peopleCount(page)).toBe("7 rows");
    await page.goto("/org/teams");
    expect((await page.locator(".data-table__count").textContent())?.trim()).toBe("4 rows");

    // An empty program.
    await page.goto("/programs/new");
    await page.getByLabel("Name", { exact: true }).fill("Acme OKR rollout");
    await page.getByLabel("Status", { exact: true }).selectOption("active");
    await page.getByRole("button", { name: /Create program/ }).click();
    await waitForPath(page, /^\/programs\/[0-9a-f-]{36}$/);
    const programPath = new URL(page.url()).pathname;

    // A wave: an end before the start is refused next to the field, then fixed.
    await page.goto(`${programPath}/waves`);
    await page.getByLabel("Name", { exact: true }).fill("Wave 1 — Operations");
    await page.getByLabel("Starts", { exact: true }).fill("2027-01-11");
    await page.getByLabel("Ends", { exact: true }).fill("2027-01-04");
    await page.getByRole("button", { name: "Create wave" }).click();
    expect(await fieldError(page, "Ends")).toMatch(/after|before/i);
    await page.getByLabel("Ends", { exact: true }).fill("2027-03-31");
    await page.getByRole("button", { name: "Create wave" }).click();
    await page.getByText("Created wave “Wave 1 — Operations”").waitFor();

    // The teams: the Operations unit's teams, all selected, into the wave in one action.
    await page.goto(`${programPath}/teams`);
    await page.getByRole("combobox", { name: "Unit (with sub-units)" }).selectOption({ label: "\u00a0\u00a0Operations" });
    await page.waitForURL(/unit=/);
    await expect.poll(async () => (await page.locator(".data-table__count").textContent())?.trim()).toBe("4 rows");
    await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
    const bulk = page.getByRole("form", { name: "Change the selected teams" });
    await bulk.getByRole("combobox", { name: "Wave" }).selectOption({ label: "Wave 1 — Operations" });
    await page.getByRole("button", { name: "Assign" }).click();
    await page.getByText("Assigned 4 teams to “Wave 1 — Operations”.").waitFor();

    // Two of them start onboarding.
    await page.getByRole("checkbox", { name: "Select Inbound" }).check();
    await page.getByRole("checkbox", { name: "Select Outbound" }).check();
    await bulk.getByRole("combobox", { name: "Status" }).selectOption("onboarding");
    await page.getByRole("button", { name: "Apply" }).click();
    await page
      .getByText(/2 teams/)
      .first()
      .waitFor();
    await screenshot(page, "plan-teams");

    // A team's name in the list is a plain link that still navigates in place (no page reload).
    await page.evaluate(() => Object.assign(window, { stillThisDocument: true }));
    await page.getByRole("table", { name: /teams/i }).getByRole("link", { name: "Inbound" }).click();
    await page.waitForURL(new RegExp(`${programPath}/teams/[0-9a-f-]+$`));
    await page.getByRole("heading", { name: "Inbound" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);

    // The wave's readiness names what is missing: Dispatch has no lead.
    await page.goto(`${programPath}/waves`);
    await page.getByRole("link", { name: "Wave 1 — Operations" }).first().click();
    await page
      .getByText(/1 of 4 teams has no lead/)
      .first()
      .waitFor();
    await screenshot(page, "wave-readiness");

    // A milestone: an owner who is not in the organization is refused, then a real one is taken.
    await page.goto(`${programPath}/milestones`);
    await page.getByLabel("Title", { exact: true }).fill("Wave 1 teams drafted their first OKRs");
    await page.getByLabel("Due date", { exact: true }).fill("2027-02-15");
    await page.getByLabel("Owner", { exact: true }).fill("nobody@acme.test");
    await page.getByRole("button", { name: /Add milestone/ }).click();
    expect(await fieldError(page, "Owner")).toBe("No person with this email in the organization.");
    await page.getByLabel("Owner", { exact: true }).fill("maya.cohen@acme.test");
    await page.getByRole("button", { name: /Add milestone/ }).click();
    await page.getByText("Milestone “Wave 1 teams drafted their first OKRs” added.").waitFor();

    // The timeline shows the wave and the milestone.
    await page.goto(`${programPath}/timeline`);
    const chart = page.locator("svg[role=img]");
    await chart.waitFor();
    expect(await chart.textContent()).toContain("Wave 1 — Operations");
    await screenshot(page, "timeline");

    // The overview: teams per wave and status, each number a link to those teams.
    await page.goto(programPath);
    const pivot = page.getByRole("table", { name: /Number of teams per wave/ });
    const waveRow = pivot.getByRole("row", { name: /Wave 1 — Operations/ });
    expect(await waveRow.getByRole("link", { name: "2" }).count()).toBeGreaterThan(0);
    await waveRow.getByRole("link", { name: "4" }).click();
    await waitForPath(page, `${programPath}/teams`);
    await expect.poll(async () => (await page.locator(".data-table__count").textContent())?.trim()).toBe("4 rows");
    await page.goto(programPath);
    await screenshot(page, "program-overview");
  });
});
