// A new installation, step by step as its first people would click through it: setup of the
// administrator, the administrator creating the Program Lead Office account, the PLO creating
// and archiving a program. The tests run in order and build on each other's data.
import { describe, expect, it } from "vitest";
import { fieldError, screenshot, signIn, signOut, useE2E, visibleText, waitForHydration, waitForPath } from "./support";

const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct-horse-battery" };
const PLO = { name: "Paula Lead", email: "paula.lead@example.com", password: "plo-password-2026" };
const PROGRAM = "Company-wide OKR rollout 2027";

describe("a new installation in the browser", () => {
  const e2e = useE2E();

  it("sends the first visitor to setup, explains a mistake next to the field, then signs the new administrator in", async () => {
    const page = await e2e.newPage();
    await page.goto("/");
    await waitForPath(page, "/setup");
    await page.getByRole("heading", { name: "Set up Rollout Desk" }).waitFor();
    await screenshot(page, "setup");

    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Repeat password").fill("something-else-entirely");
    await page.getByRole("button", { name: "Create administrator" }).click();

    expect(await fieldError(page, "Repeat password")).toBe("The passwords do not match.");
    // Only that field is marked: the others were fine.
    expect(await page.locator(".field--invalid").count()).toBe(1);
    expect(await page.getByLabel("Your name").inputValue()).toBe(ADMIN.name);
    expect(await page.getByLabel("Email").inputValue()).toBe(ADMIN.email);
    await screenshot(page, "setup-error");

    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Repeat password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create administrator" }).click();

    await waitForPath(page, "/programs");
    await page.getByRole("heading", { name: "Programs", level: 1 }).waitFor();
    expect(await visibleText(page.getByRole("status"))).toContain("Welcome! Your administrator account is ready.");
    expect(await visibleText(page.locator(".user-menu__name"))).toContain(ADMIN.name);
    expect(await page.locator(".user-menu__name .badge").textContent()).toBe("Administrator");
    await screenshot(page, "programs-empty-admin");

    // Setup is gone for good: another visitor is sent to sign in.
    const stranger = await e2e.newPage();
    await stranger.goto("/setup");
    await waitForPath(stranger, "/login");
    await stranger.getByRole("heading", { name: "Sign in to Rollout Desk" }).waitFor();
  });

  it("lets the administrator create a Program Lead Office account, find it in the users table, and sign out", async () => {
    const page = await e2e.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await waitForPath(page, "/admin/users");
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("link", { name: "New user" }).click();
    await waitForPath(page, "/admin/users/new");
    await page.getByRole("heading", { name: "New user" }).waitFor();

    await page.getByLabel("Name", { exact: true }).fill(PLO.name);
    await page.getByLabel("Email").fill("paula.lead-at-example.com");
    await page.getByLabel("Role").selectOption({ label: "Program Lead Office" });
    await page.getByLabel("Initial password").fill(PLO.password);
    await page.getByRole("button", { name: "Create user" }).click();

    expect(await fieldError(page, "Email")).toBe("Enter a valid email address, like name@example.com.");
    expect(await page.locator(".field--invalid").count()).toBe(1);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(PLO.name);
    expect(await page.getByLabel("Role").inputValue()).toBe("plo");
    await screenshot(page, "new-user-error");

    await page.getByLabel("Email").fill(PLO.email);
    // The server never sends a password back (without JavaScript the field comes back empty).
    await page.getByLabel("Initial password").fill(PLO.password);
    await page.getByRole("button", { name: "Create user" }).click();

    await waitForPath(page, "/admin/users");
    expect(await visibleText(page.getByRole("status"))).toContain(`Account for ${PLO.name} created.`);
    const table = page.getByRole("table", { name: "Users" });
    const row = table.getByRole("row").filter({ hasText: PLO.email });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual([PLO.name, PLO.email, "Program Lead Office", "Active", "Never"]);
    expect(await table.getByRole("row").count()).toBe(3); // header, the administrator, the new account
    await screenshot(page, "users-table");

    const search = page.getByRole("searchbox", { name: "Search users" });
    await waitForHydration(search);
    // The list is paged on the server: the search goes there as you type, and the URL keeps it.
    await search.fill("paula");
    await page.getByText("1 row", { exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("paula");
    expect(await table.getByRole("row").count()).toBe(2);
    expect(await table.getByRole("row").nth(1).getByRole("link").textContent()).toBe(PLO.name);
    await search.fill("nobody-by-this-name");
    await table.getByText("No rows match these filters.").waitFor();
    await search.fill("");
    await page.getByText("2 rows", { exact: true }).waitFor();

    await signOut(page);
    // Signed out for real: a protected page sends back to sign in.
    await page.goto("/admin/users");
    await waitForPath(page, "/login");
  });

  it("lets the Program Lead Office create a program, find it in the switcher, and archive it", async () => {
    const page = await e2e.newPage();
    await signIn(page, PLO.email, PLO.password);
    expect(await page.locator(".user-menu__name .badge").textContent()).toBe("Program Lead Office");
    // No program yet: the start page is the programs list.
    await waitForPath(page, "/programs");
    await page.getByText("No programs yet.").waitFor();
    await screenshot(page, "programs-empty-plo");

    await page.getByRole("link", { name: "New program" }).click();
    await waitForPath(page, "/programs/new");
    await page.getByRole("heading", { name: "New program" }).waitFor();
    await page.getByRole("button", { name: "Create program" }).click();
    expect(await fieldError(page, "Name")).toBe("Name is required.");
    await screenshot(page, "new-program-error");

    await page.getByLabel("Name").fill(PROGRAM);
    await page.getByLabel("Description").fill("All divisions, three waves, four quarterly cycles.");
    await page.getByLabel("Start date").fill("2027-01-04");
    await page.getByLabel("End date").fill("2027-12-17");
    await page.getByLabel("Status").selectOption({ label: "Active" });
    await page.getByRole("button", { name: "Create program" }).click();

    await waitForPath(page, /^\/programs\/[\w-]+$/);
    await page.getByRole("heading", { name: PROGRAM, level: 1 }).waitFor();
    expect(await visibleText(page.getByRole("status"))).toContain(`Program “${PROGRAM}” created.`);
    const switcher = page.getByRole("combobox", { name: "Program" });
    await switcher.waitFor();
    expect(await switcher.locator("option:checked").textContent()).toBe(PROGRAM);
    expect(await page.getByText("Created program “Company-wide OKR rollout 2027”").count()).toBe(1);
    await screenshot(page, "program-overview");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Programs" }).click();
    await waitForPath(page, "/programs");
    const table = page.getByRole("table", { name: "Programs" });
    const row = table.getByRole("row").filter({ hasText: PROGRAM });
    await row.waitFor();
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("Active");
    await screenshot(page, "programs-list");

    await row.getByRole("link", { name: "Settings" }).click();
    await waitForPath(page, /^\/programs\/[\w-]+\/settings$/);
    await page.getByRole("heading", { name: "Program settings" }).waitFor();
    await page.getByRole("button", { name: "Archive program" }).click();

    await waitForPath(page, "/programs");
    expect(await visibleText(page.getByRole("status"))).toContain(`Program “${PROGRAM}” archived.`);
    const archivedRow = table.getByRole("row").filter({ hasText: PROGRAM });
    await archivedRow.getByRole("cell", { name: "Archived" }).waitFor();
    // Archived programs leave the switcher (with no other program, the switcher is gone).
    expect(await page.locator("#program-switcher option", { hasText: PROGRAM }).count()).toBe(0);
  });
});
