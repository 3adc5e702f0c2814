import { describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { screenshot, signIn, useE2E, waitForPath } from "./support";

// Issue 13, end to end: the monthly HR re-import a PLO runs twelve times a year. November's file
// is in; December's brings a move, a leaver, a renamed squad and a line with a broken email. The
// PLO corrects the line in place, confirms the rename, archives the leaver and imports; the
// record, the moved person's history and the organization show the result.

const PASSWORD = "correct-horse-battery";

const HEADER = "Employee No;Full Name;Work Email;Job Title;Org Path;Squad;Manager Email";
const NOVEMBER = [
  HEADER,
  "E100;Amara Mensah;amara.mensah@northwind.test;Engineering Manager;Northwind › Technology › Payments;Checkout;amara.mensah@northwind.test",
  "E101;Lukas Brandt;lukas.brandt@northwind.test;Engineer;Northwind › Technology › Payments;Checkout;amara.mensah@northwind.test",
  "E102;Carl Berg;carl.berg@northwind.test;Engineer;Northwind › Technology › Payments;Checkout;amara.mensah@northwind.test",
  "E200;Hana Sato;hana.sato@northwind.test;Risk Lead;Northwind › Risk;Risk;hana.sato@northwind.test",
  "E201;Omar Farouk;omar.farouk@northwind.test;Analyst;Northwind › Risk;Risk;hana.sato@northwind.test",
  "E202;Greta Lund;greta.lund@northwind.test;Analyst;Northwind › Risk;Risk;hana.sato@northwind.test",
  "E300;Rui Costa;rui.costa@northwind.test;Data Lead;Northwind › Technology › Data;Pipelines;rui.costa@northwind.test",
].join("\r\n");

// Carl moves to Pipelines, Greta has left, "Risk" is now "Risk & Fraud", and a new hire's email is broken.
const DECEMBER =
  "\uFEFF" +
  [
    HEADER,
    "E100;Amara Mensah;amara.mensah@northwind.test;Engineering Manager;Northwind › Technology › Payments;Checkout;amara.mensah@northwind.test",
    "E101;Lukas Brandt;lukas.brandt@northwind.test;Engineer;Northwind › Technology › Payments;Checkout;amara.mensah@northwind.test",
    "E102;Carl Berg;carl.berg@northwind.test;Engineer;Northwind › Technology › Data;Pipelines;rui.costa@northwind.test",
    "E200;Hana Sato;hana.sato@northwind.test;Risk Lead;Northwind › Risk;Risk & Fraud;hana.sato@northwind.test",
    "E201;Omar Farouk;omar.farouk@northwind.test;Analyst;Northwind › Risk;Risk & Fraud;hana.sato@northwind.test",
    "E300;Rui Costa;rui.costa@northwind.test;Data Lead;Northwind › Technology › Data;Pipelines;rui.costa@northwind.test",
    '"E301";"Nia Obi";"nia.obi@northwind";"Data Engineer, junior";"Northwind › Technology › Data";"Pipelines";"rui.costa@northwind.test"',
  ].join("\r\n");

async function arrange(http: HttpClient) {
  const setup = await http.post("/setup", { name: "Ada Admin", email: "ada@example.com", password: PASSWORD, confirm: PASSWORD });
  expect(setup.status).toBe(302);
  const created = await http.post("/admin/users/new", { name: "Paula PLO", email: "paula@example.com", role: "plo", password: PASSWORD });
  expect(created.status).toBe(302);
  // November's file, imported as the month before.
  const form = new FormData();
  form.append("intent", "upload");
  form.append("file", new Blob([NOVEMBER], { type: "text/csv" }), "hr-2026-11.csv");
  const uploaded = await http.post("/org/import", form);
  expect(uploaded.status).toBe(302);
  const committed = await http.post(uploaded.headers.get("location")!, { intent: "commit" });
  expect(committed.status).toBe(302);
}

describe("the monthly HR re-import in the browser", () => {
  const e2e = useE2E();

  it("a PLO corrects a line in place, confirms a rename, archives a leaver, imports, and sees the move in the person's history", async () => {
    await arrange(e2e.http());
    const page = await e2e.newPage();
    await signIn(page, "paula@example.com", PASSWORD);

    await page.goto("/org/import");
    await page.getByLabel("CSV file from your HR system").setInputFiles({
      name: "hr-2026-12.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(DECEMBER, "utf8"),
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.getByRole("heading", { name: "Preview" }).waitFor();
    expect(await page.getByTestId("identity-key").textContent()).toContain("People are matched by employee number");
    await screenshot(page, "org-import-monthly-preview");

    // The broken line is listed with its number; the PLO corrects the email right there.
    const problems = page.getByRole("table", { name: "Errors and warnings" });
    await expect
      .poll(() => problems.locator("tbody tr").first().textContent())
      .toContain("“nia.obi@northwind” is not a valid email address.");
    await page.getByRole("link", { name: "Correct line 8" }).click();
    await page.getByRole("heading", { name: "Line 8" }).waitFor();
    const email = page.getByLabel("Email (column “Work Email”)");
    expect(await email.inputValue()).toBe("nia.obi@northwind");
    await email.fill("nia.obi@northwind.test");
    await screenshot(page, "org-import-monthly-fix-line");
    await page.getByRole("button", { name: "Save and check again" }).click();
    await page.getByText("Line 8 corrected and checked again.").waitFor();
    await page.getByText("No problem on this line now.").waitFor();

    // The renamed squad is proposed; the PLO confirms it.
    await page.getByLabel(/“Risk” is now “Risk & Fraud”/).check();
    await page.getByRole("button", { name: "Confirm the ticked renames" }).click();
    await page.getByText("Renames saved; the preview is checked again.").waitFor();
    const renamed = page.getByRole("table", { name: "Renamed teams" });
    await expect.poll(() => renamed.locator("tbody tr").first().textContent()).toContain("Risk & Fraud");

    // Greta is listed as a leaver by name.
    await page.getByRole("link", { name: /^Leavers \(1\)$/ }).click();
    await expect.poll(() => page.getByRole("table", { name: "Leavers" }).locator("tbody tr").first().textContent()).toContain("Greta Lund");
    await screenshot(page, "org-import-monthly-leavers");

    // Import, archiving the leaver.
    await page.getByLabel(/^Archive them/).check();
    await page.getByRole("button", { name: /^Import \d+ changes?$/ }).click();
    await page.getByText(/Import #2 done: 1 person joined, 1 moved/).waitFor();
    await page.getByRole("heading", { name: "Record of import #2" }).waitFor();
    await screenshot(page, "org-import-monthly-record");

    // The moved person's history names the import.
    await page.goto("/org/people?q=Carl");
    await page.getByRole("link", { name: "Carl Berg" }).click();
    await waitForPath(page, /^\/org\/people\/[0-9a-f-]{36}$/);
    const history = page.getByRole("region", { name: "History from HR imports" });
    expect(await history.textContent()).toMatch(
      /Carl Berg moved from Checkout \(Northwind › Technology › Payments\) to Pipelines \(Northwind › Technology › Data\) on \d{4}-\d{2}-\d{2} by import #2/,
    );

    // The team kept its identity under its new name; the leaver is archived, not deleted.
    await page.goto("/org/teams?q=Risk");
    await expect.poll(() => page.locator(".data-table__count").textContent()).toBe("1 row");
    expect(await page.getByRole("link", { name: "Risk & Fraud" }).count()).toBe(1);
    await page.goto("/org/people?q=Greta&status=archived");
    await page.getByRole("link", { name: "Greta Lund" }).waitFor();
  });
});
