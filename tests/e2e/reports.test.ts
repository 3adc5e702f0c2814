import { describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { createProgram, createUser, setUpInstallation } from "../support/http-fixtures";
import { createWave } from "../http/authz-rows/plan-teams";
import { createMilestone } from "../http/authz-rows/plan-details";
import { screenshot, signIn, useE2E } from "./support";

// The sponsor's report end to end in a browser: the PLO drafts and publishes it, the sponsor
// lands on it after sign-in, acknowledges it, asks about a section and records a decision; the
// PDF has the summary on page one, numbered pages, and every chart whole on one page.

function monthsFromToday(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth() + months, 15)).toISOString().slice(0, 10);
}

async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // pdf.js expects Promise.withResolvers (Node 22); Node 20 lacks it.
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const p = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: p, resolve, reject };
  };
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await getDocument({ data: bytes, useSystemFonts: true }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    // Lower-cased: the print stylesheet capitalises some labels.
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join(" ")
        .replace(/\s+/g, " ")
        .toLowerCase(),
    );
  }
  return pages;
}

describe("a sponsor status report in the browser", () => {
  const e2e = useE2E();

  it("the PLO drafts and publishes; the sponsor acknowledges, asks and decides; the PDF holds together", async () => {
    const { client: admin } = await setUpInstallation(e2e.server.url);
    const programId = await createProgram(admin, {
      name: "E2E reporting",
      startsOn: monthsFromToday(-3),
      endsOn: monthsFromToday(9),
      status: "active",
    });
    await createWave(admin, programId, { name: "Wave One", startsOn: monthsFromToday(-2), endsOn: monthsFromToday(2) });
    await createMilestone(admin, programId, { title: "Coach training", dueOn: monthsFromToday(-1) });
    const plo = await createUser(admin, { role: "plo", name: "Paula PLO" });
    const sponsor = await createUser(admin, { role: "sponsor", name: "Sam Sponsor" });

    // The PLO drafts and publishes.
    const page = await e2e.newPage();
    await signIn(page, plo.email, plo.password);
    await page.goto(`/programs/${programId}/reports`);
    await page.getByRole("button", { name: "Start the draft" }).click();
    await page.getByRole("heading", { name: "Write the report" }).waitFor();
    await page.locator('textarea[name="summary"]').fill("Wave One is onboarding; coach training slipped by a month.");
    await page.getByRole("button", { name: "Save the draft" }).click();
    await page.getByText("Draft saved.").waitFor();
    await page.getByText("Request a decision").click();
    await page.locator('input[name="question"]').fill("Move wave two by a month?");
    await page.locator('input[name="dueOn"]').fill(monthsFromToday(1));
    await page.getByRole("button", { name: "Request the decision" }).click();
    await page.getByText("Decision requested.").waitFor();
    await page.getByRole("button", { name: "Publish (freezes the figures)" }).click();
    await page.getByText("Report published: its figures are frozen.").waitFor();
    const reportPath = new URL(page.url()).pathname;
    await screenshot(page, "report-published-plo");

    // The sponsor lands on it, acknowledges, asks and decides.
    const sponsorPage = await e2e.newPage();
    await signIn(sponsorPage, sponsor.email, sponsor.password);
    await sponsorPage.waitForURL((url) => url.pathname === reportPath);
    await sponsorPage.getByText("Wave One is onboarding; coach training slipped by a month.").waitFor();
    await sponsorPage.getByRole("button", { name: "Acknowledge this report" }).click();
    await sponsorPage.getByText("Report acknowledged.").waitFor();
    await sponsorPage.getByText("Ask about “Summary”").click();
    await sponsorPage.locator('textarea[name="question"]').first().fill("Who runs the coach training now?");
    await sponsorPage.getByRole("button", { name: "Ask the Program Lead Office" }).first().click();
    await sponsorPage.getByText("Question sent to the Program Lead Office.").waitFor();
    await sponsorPage.getByLabel("Your decision on “Move wave two by a month?”").fill("Yes, move it.");
    await sponsorPage.getByRole("button", { name: "Record the decision" }).click();
    await sponsorPage.getByText("Decision recorded in the decision log.").waitFor();
    await sponsorPage.goto(`/programs/${programId}/decisions`);
    await sponsorPage.getByText("Yes, move it.").waitFor();
    await screenshot(sponsorPage, "report-sponsor-decision-log");

    // The PDF: summary on page one, numbered pages, charts whole.
    const client = new HttpClient(e2e.server.url);
    await client.login(sponsor.email, sponsor.password);
    const response = await client.get(`${reportPath}.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const pages = await pdfPages(new Uint8Array(await response.arrayBuffer()));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]).toContain("overall status");
    expect(pages[0]).toContain("wave one is onboarding");
    expect(pages[0]).toContain("status by dimension");
    expect(pages[0]).toContain("decisions");
    expect(pages[0]).not.toContain("teams onboarded against the plan");
    pages.forEach((text, i) => expect(text).toContain(`page ${i + 1} of ${pages.length}`));
    // A chart is whole when its caption and its legend are on the same page.
    const burnUp = pages.findIndex((text) => text.includes("teams onboarded against the plan"));
    expect(burnUp).toBeGreaterThan(0);
    expect(pages[burnUp]).toMatch(/dashed line: plan|no team is planned in a dated wave/);
    const coverage = pages.findIndex((text) => text.includes("coach coverage by wave"));
    expect(coverage).toBeGreaterThan(0);
  }, 180_000);
});
