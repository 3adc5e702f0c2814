// What a read-only role sees, and signing in with the keyboard alone. The accounts and the
// program are arranged over HTTP (the browser flows for creating them are covered elsewhere).
import { beforeAll, describe, expect, it } from "vitest";
import { screenshot, signIn, useE2E, waitForPath } from "./support";

const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct-horse-battery" };
const SPONSOR = { name: "Sam Sponsor", email: "sam.sponsor@example.com", password: "sponsor-password-2026", role: "sponsor" };
const COACH = { name: "Cleo Coach", email: "cleo.coach@example.com", password: "coach-password-2026", role: "coach" };

describe("roles and keyboard use in the browser", () => {
  const e2e = useE2E();

  beforeAll(async () => {
    const admin = e2e.http();
    const setup = await admin.post("/setup", { ...ADMIN, confirm: ADMIN.password });
    expect(setup.status).toBe(302);
    for (const { name, email, password, role } of [SPONSOR, COACH]) {
      const created = await admin.post("/admin/users/new", { name, email, password, role });
      expect(created.status).toBe(302);
    }
    const program = await admin.post("/programs/new", {
      intent: "save",
      name: "OKR pilot — Customer Operations",
      description: "",
      startsOn: "2027-01-04",
      endsOn: "2027-06-30",
      status: "active",
    });
    expect(program.status).toBe(302);
  });

  it("shows an executive sponsor neither “New program” nor “Users”, and answers “Not allowed” at /programs/new", async () => {
    const page = await e2e.newPage();
    await signIn(page, SPONSOR.email, SPONSOR.password);
    // The sponsor's home: the active program's latest report — with none published yet, its live status.
    await waitForPath(page, /^\/programs\/[\w-]+\/status$/);
    await page.getByRole("heading", { name: "Live status" }).waitFor();
    expect(await page.locator(".user-menu__name .badge").textContent()).toBe("Executive sponsor");

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Programs" }).click();
    await waitForPath(page, "/programs");
    await page.getByRole("table", { name: "Programs" }).getByRole("row").nth(1).waitFor();
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Home", "Programs", "Organization", "Learnings"]);
    expect(await page.getByRole("link", { name: "New program" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Users" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await screenshot(page, "programs-list-sponsor");

    // Typed address, full page load: the server refuses, the page says so in plain words.
    const response = await page.goto("/programs/new");
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.getByText("If you think you should have access, ask an administrator.").count()).toBe(1);
    // Still inside the app layout: the sponsor can find their way back.
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await screenshot(page, "forbidden");

    const users = await page.goto("/admin/users");
    expect(users?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
  });

  it("signs in with the keyboard alone: Tab to the fields, type, Enter", async () => {
    const page = await e2e.newPage();
    await page.goto("/login");
    await page.getByRole("heading", { name: "Sign in to Rollout Desk" }).waitFor();
    const email = page.getByLabel("Email");
    const password = page.getByLabel("Password");
    const focused = (locator: typeof email) => locator.evaluate((el) => el === document.activeElement);

    // The email field may hold the focus already (autofocus); otherwise Tab gets there within a
    // few presses (the skip link comes first).
    for (let presses = 0; !(await focused(email)); presses++) {
      if (presses >= 4) throw new Error("Tab never reached the email field");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.type(COACH.email);
    await page.keyboard.press("Tab");
    expect(await focused(password)).toBe(true);
    await page.keyboard.type(COACH.password);
    await page.keyboard.press("Enter");

    await page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(await page.locator(".user-menu__name").textContent()).toContain(COACH.name);
    await page.getByRole("heading", { name: "My teams" }).waitFor();

    // A wrong password typed the same way shows the form error and keeps the email.
    const other = await e2e.newPage();
    await other.goto("/login");
    await other.getByLabel("Email").focus();
    await other.keyboard.type(COACH.email);
    await other.keyboard.press("Tab");
    await other.keyboard.type("not-the-password");
    await other.keyboard.press("Enter");
    await other.getByText("Email or password is incorrect.").waitFor();
    expect(await other.getByLabel("Email").inputValue()).toBe(COACH.email);
  });
});
