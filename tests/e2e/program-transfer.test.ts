import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { fieldError, screenshot, signIn, signOut, useE2E, waitForPath } from "./support";

// A program moves house in the browser: the PLO downloads it from the program's settings, an
// administrator uploads it under Programs › Import a program, reads the summary and opens it.

const PASSWORD = "correct-horse-battery";

describe("moving a program in the browser", () => {
  const e2e = useE2E();

  it("the PLO exports a program from its settings and an administrator imports it as a new program", async () => {
    const http = e2e.http();
    expect((await http.post("/setup", { name: "Ada Admin", email: "ada@example.com", password: PASSWORD, confirm: PASSWORD })).status).toBe(
      302,
    );
    expect(
      (await http.post("/admin/users/new", { name: "Paula PLO", email: "paula@example.com", role: "plo", password: PASSWORD })).status,
    ).toBe(302);
    const created = await http.post("/programs/new", {
      name: "Pilot Nord",
      description: "",
      startsOn: "2027-01-01",
      endsOn: "",
      status: "active",
    });
    const programId = created.headers.get("location")!.split("/").pop()!;
    expect((await http.post(`/programs/${programId}/raci`, { intent: "create", source: "template" })).status).toBe(302);

    const page = await e2e.newPage();
    await signIn(page, "paula@example.com", PASSWORD);
    await page.goto(`/programs/${programId}/settings`);
    await page.getByRole("heading", { name: "Move to another installation" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export the whole program (JSON)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^program-pilot-nord-\d{4}-\d{2}-\d{2}\.json$/);
    const file = (await download.path())!;
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ format: "rollout-desk-program", program: { name: "Pilot Nord" } });
    await signOut(page);

    await signIn(page, "ada@example.com", PASSWORD);
    await page.goto("/programs");
    await page.getByRole("link", { name: "Import a program" }).click();
    await waitForPath(page, "/programs/import");

    // A file that is not an export: the reason beside the field, nothing imported.
    const input = page.getByLabel("Program export (.json)", { exact: true });
    await input.setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello":"world"}') });
    await page.getByRole("button", { name: "Import program" }).click();
    expect(await fieldError(page, "Program export (.json)")).toMatch(/Nothing was imported\. This is not a Rollout Desk program export/);

    await page.getByLabel("Program export (.json)", { exact: true }).setInputFiles(file);
    await page.getByRole("button", { name: "Import program" }).click();
    await page.getByRole("heading", { name: "Imported “Pilot Nord (imported)”" }).waitFor();
    await page.getByText("A program named “Pilot Nord” exists here already").waitFor();
    await screenshot(page, "program-import-summary");
    await page.getByRole("link", { name: "Open the imported program" }).click();
    await waitForPath(page, /^\/programs\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain(programId);
    await page
      .getByRole("heading", { name: /Pilot Nord \(imported\)/ })
      .first()
      .waitFor();
  });
});
