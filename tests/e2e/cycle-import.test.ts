import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { seededE2E, signIn, visibleText } from "./support";

// The PLO imports OKR sets into a cycle in a browser: from the cycle's page to the upload, a
// preview naming the line with an error, a corrected file, and the import.

const e2e = seededE2E((db) => checkInWorld(db));
let w: CheckInWorld;
beforeAll(() => {
  ({ world: w } = e2e);
});

const newPage = () => e2e.newPage({ viewport: { width: 1280, height: 900 } });

async function upload(page: Page, csv: string) {
  const before = page.url();
  await page.getByLabel("The file holds").selectOption("okrs");
  await page.getByLabel("CSV file").setInputFiles({ name: "okrs.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload and preview" }).click();
  // Each upload has its own preview address (?id=…).
  await page.waitForURL((url) => url.searchParams.has("id") && url.href !== before);
  await page.getByRole("heading", { name: /Preview of okrs\.csv/ }).waitFor();
}

describe("importing OKR sets in a browser", () => {
  it("the PLO uploads a file, sees the line with an error, uploads it fixed and imports it", async () => {
    const page = await newPage();
    await signIn(page, w.users.plo.email, w.password);
    await page.goto(`/programs/${w.programId}/cycles/${w.cycleId}`);
    await page.getByRole("link", { name: "Import OKRs or check-ins" }).click();
    await page.getByRole("heading", { name: /Import OKRs/ }).waitFor();

    const header = "team,objective,key_result,kind,start,target,unit";
    await upload(
      page,
      [
        header,
        "Transport,Greener fleet,Electric vans,metric,2,10,vans",
        "Transport,Greener fleet,Charging points,metric,0,lots,points",
      ].join("\n"),
    );
    expect(await visibleText(page.getByRole("list", { name: "Errors" }))).toContain("Line 3: The target “lots” is not a number");
    expect(await page.getByRole("button", { name: /^Import \d+ changes$/ }).count()).toBe(0);

    await page.getByRole("link", { name: "Upload another file" }).click();
    await page.getByRole("heading", { name: /Preview of/ }).waitFor({ state: "detached" });
    await upload(
      page,
      [header, "Transport,Greener fleet,Electric vans,metric,2,10,vans", "Transport,Greener fleet,Charging points,metric,0,6,points"].join(
        "\n",
      ),
    );
    const counts = await visibleText(page.getByRole("list", { name: "What the import does" }));
    expect(counts).toContain("1 new objectives");
    expect(counts).toContain("2 new key results");
    await page.getByRole("button", { name: "Import 3 changes" }).click();
    await page.getByText("This file has been imported.").waitFor();
    await page.getByText(/Imported: 1 objective added, 0 updated, 2 key results added/).waitFor();

    await page.goto(`/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.otherTeamId}`);
    const objective = page.locator("article", { has: page.getByRole("heading", { name: "Greener fleet" }) });
    expect(await visibleText(objective.locator(".objective-state"))).toBe("Draft");
    await objective.getByText("Charging points").waitFor();
  });
});
