import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createModule } from "~/models/enablement/curriculum.server";
import { createRequirement, recordCompletion } from "~/models/enablement/requirements.server";
import { createSession } from "~/models/enablement/sessions.server";
import { addDays, today } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import type { ModuleInput } from "~/validation/enablement";
import { createTestProgram, createTestUser } from "../support/builders";
import { screenshot, seededE2E, signIn, visibleText } from "./support";

// Enablement in a browser, as a PLO runs it: (a) schedule a workshop, invite the wave's members
// who still need it (whoever already has it is left out), mark the class list — and see the
// coverage heat map and the team's gaps change; (b) import a meeting tool's attendance export
// for a session held yesterday (a line that cannot be matched at all is an error to fix first;
// a guest is listed as not matched and left out), then see the session's class list and the
// heat map change. Navigation goes through the menus, as a user's would.

interface World {
  programId: string;
  plo: { email: string; password: string };
  heldSessionId: string;
  people: Record<string, { email: string; employeeId: string }>;
}

const PEOPLE: Array<[name: string, team: "Harbour" | "Lighthouse" | "Dune", lead?: boolean]> = [
  ["Ana Lima", "Harbour", true],
  ["Ben Okafor", "Harbour"],
  ["Chen Wei", "Harbour"],
  ["Dara Novak", "Harbour"],
  ["Farah Khan", "Lighthouse", true],
  ["Gus Berg", "Lighthouse"],
  ["Hana Sato", "Lighthouse"],
  ["Ivo Petrov", "Dune", true],
  ["Jia Li", "Dune"],
];

const moduleInput = (title: string, kind: ModuleInput["kind"]): ModuleInput => ({
  title,
  kind,
  delivery: "live",
  durationMinutes: 120,
  validityMonths: null,
  description: "",
  prerequisiteIds: [],
});

async function enablementWorld(db: DB): Promise<World> {
  const day = today();
  const plo = await createTestUser(db, { role: "plo", name: "Priya Patel" });
  const actor = { id: plo.id, name: plo.name };
  const program = await createTestProgram(db, actor, { name: "Northwind OKR rollout", status: "active" });
  // The organization and the plan as an HR import and the PLO would leave them.
  const unit = async (id: string, name: string, parent: string | null) => {
    await db.insertInto("org_units").values({ id, name, parent_id: parent }).execute();
    return id;
  };
  const root = await unit(crypto.randomUUID(), "Northwind", null);
  const units = { Sales: await unit(crypto.randomUUID(), "Sales", root), Operations: await unit(crypto.randomUUID(), "Operations", root) };
  const wave = async (name: string, startsOn: string, position: number) => {
    const id = crypto.randomUUID();
    await db.insertInto("waves").values({ id, program_id: program.id, name, position, starts_on: startsOn }).execute();
    return id;
  };
  const wave1 = await wave("Wave 1", addDays(day, 30), 1);
  const wave2 = await wave("Wave 2", addDays(day, 90), 2);
  const teams = {
    Harbour: { id: crypto.randomUUID(), unit: units.Sales, wave: wave1 },
    Lighthouse: { id: crypto.randomUUID(), unit: units.Operations, wave: wave1 },
    Dune: { id: crypto.randomUUID(), unit: units.Operations, wave: wave2 },
  };
  for (const [name, t] of Object.entries(teams)) {
    await db.insertInto("teams").values({ id: t.id, name, unit_id: t.unit }).execute();
    await db.insertInto("program_teams").values({ program_id: program.id, team_id: t.id, wave_id: t.wave }).execute();
  }
  const people: World["people"] = {};
  for (const [i, [name, team, lead]] of PEOPLE.entries()) {
    const id = crypto.randomUUID();
    const email = `${name.toLowerCase().replace(" ", ".")}@northwind.example`;
    const employeeId = `E-${1001 + i}`;
    people[name] = { email, employeeId };
    await db
      .insertInto("people")
      .values({ id, name, email, external_id: employeeId, unit_id: teams[team].unit, team_id: teams[team].id })
      .execute();
    if (lead) await db.updateTable("teams").set({ lead_person_id: id }).where("id", "=", teams[team].id).execute();
  }
  // Wave 1's members need the Fundamentals workshop a week before their wave; everyone needs
  // check-in practice within two weeks. Ben did the Fundamentals elsewhere.
  const fundamentals = await createModule(db, actor, program.id, moduleInput("OKR Fundamentals", "fundamentals"));
  const checkIns = await createModule(db, actor, program.id, moduleInput("Check-in practice", "check_in_practice"));
  const required = { necessity: "required" as const, unitId: null, dueOn: null };
  await createRequirement(db, actor, program.id, {
    ...required,
    moduleId: fundamentals,
    audience: "team_member",
    scope: "wave",
    waveId: wave1,
    dueRule: "before_wave",
    dueDays: 7,
  });
  await createRequirement(db, actor, program.id, {
    ...required,
    moduleId: checkIns,
    audience: "team_member",
    scope: "all",
    waveId: null,
    dueRule: "fixed",
    dueDays: null,
    dueOn: addDays(day, 14),
  });
  await recordCompletion(db, actor, program.id, {
    email: people["Ben Okafor"].email,
    moduleId: fundamentals,
    completedOn: addDays(day, -20),
    evidence: "Workshop at the previous employer",
  });
  // Yesterday's check-in practice, held in a meeting tool: its attendance is in the tool's export.
  const heldSessionId = await createSession(db, actor, program.id, {
    moduleId: checkIns,
    date: addDays(day, -1),
    time: "14:00",
    timeZone: "Europe/Berlin",
    durationMinutes: 90,
    location: "Online",
    url: "https://meet.example/checkins",
    trainerEmail: null,
    capacity: 30,
    state: "open",
  });
  return { programId: program.id, plo: { email: plo.email, password: plo.password }, heldSessionId, people };
}

const e2e = seededE2E(enablementWorld);
let w: World;
beforeAll(() => {
  ({ world: w } = e2e);
});

const newPage = () => e2e.newPage({ viewport: { width: 1280, height: 900 } });

/** Opens the program's overview, then an item of its menu's Enablement group. */
async function openEnablement(page: Page, item: "Coverage" | "Training sessions") {
  await page.goto(`/programs/${w.programId}`);
  await page.getByRole("group", { name: "Enablement" }).getByRole("link", { name: item }).click();
}

/** The text of the heat map cell of a wave (row) and a module (column). */
async function heatCell(page: Page, wave: string, module: string): Promise<string> {
  const table = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: module }) });
  await table.waitFor();
  const headers = await table.getByRole("columnheader").allTextContents();
  const column = headers.findIndex((h) => h.trim() === module);
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: wave, exact: true }) });
  return visibleText(row.locator("td").nth(column - 1));
}

describe("enablement in a browser", () => {
  it("the PLO schedules a workshop, invites those who still need it, marks the class list, and the coverage follows", async () => {
    const page = await newPage();
    await signIn(page, w.plo.email, w.plo.password);

    await openEnablement(page, "Coverage");
    await page.getByRole("heading", { name: "Enablement coverage" }).waitFor();
    // One of wave 1's seven members (Ben) has the Fundamentals.
    expect(await heatCell(page, "Wave 1", "OKR Fundamentals")).toMatch(/^14 % on time\s*0 overdue · 6 due later · 0 refresh · 7 people$/);

    await page.getByRole("navigation", { name: "Enablement" }).getByRole("link", { name: "Training sessions" }).click();
    await page.getByRole("heading", { name: "Training sessions", level: 1 }).waitFor();
    const schedule = page.locator("form", { has: page.getByRole("button", { name: "Schedule session" }) });
    await schedule.getByLabel("Module").selectOption({ label: "OKR Fundamentals" });
    await schedule.getByLabel("Date").fill(today());
    await schedule.getByLabel("Time", { exact: true }).fill("08:00");
    await schedule.getByLabel("Place").fill("Room Atlas, 3rd floor");
    await schedule.getByLabel("Capacity").fill("12");
    await schedule.getByRole("button", { name: "Schedule session" }).click();
    await page.getByRole("heading", { name: "OKR Fundamentals", level: 1 }).waitFor();
    await page.getByText("Session scheduled.").waitFor();

    // Invite wave 1's members: Ben already has it and is left out.
    const invite = page.locator("form", { has: page.getByRole("button", { name: "Invite", exact: true }) });
    await invite.getByLabel("Who").selectOption({ label: "Team members" });
    await invite.getByLabel("Wave").selectOption({ label: "Wave 1" });
    await invite.getByRole("button", { name: "Invite", exact: true }).click();
    await page.getByText("Invited 6; 0 on the waiting list; 1 left out (already met); 0 already on the roster.").waitFor();
    const classList = page.getByRole("region", { name: "Class list" });
    const rows = classList.getByRole("table").getByRole("row");
    expect(await rows.count()).toBe(7); // a header and six people
    expect(await classList.getByText("Ben Okafor").count()).toBe(0);

    // Everyone came but Dara.
    for (const name of ["Ana Lima", "Chen Wei", "Farah Khan", "Gus Berg", "Hana Sato"]) {
      await classList.getByRole("checkbox", { name: `${name} present` }).check();
    }
    await classList.getByRole("button", { name: "Save attendance" }).click();
    await page.getByText("Attendance saved: 5 attended, 1 no-show, 0 excused.").waitFor();
    expect(await page.locator("p", { hasText: "Trainer: none · Held · 5 of 12 seats" }).count()).toBe(1);

    // The coverage: six of seven now, on time.
    await page.getByRole("navigation", { name: "Enablement" }).getByRole("link", { name: "Coverage" }).click();
    await page.getByRole("heading", { name: "Enablement coverage" }).waitFor();
    expect(await heatCell(page, "Wave 1", "OKR Fundamentals")).toMatch(/^86 % on time\s*0 overdue · 1 due later · 0 refresh · 7 people$/);
    await screenshot(page, "enablement-coverage-after-attendance");

    // The names behind the figure, and Harbour's gaps: Dara still lacks the Fundamentals.
    await page
      .getByRole("row", { name: /Wave 1/ })
      .getByRole("link", { name: /86 % on time/ })
      .click();
    const names = page.getByRole("region", { name: "People behind the figure" });
    const dara = names.getByRole("row").filter({ hasText: "Dara Novak" });
    expect(await visibleText(dara)).toMatch(/Dara Novak.*Harbour.*OKR Fundamentals.*Due/);
    await dara.getByRole("link", { name: "Harbour" }).click();
    await page.getByRole("heading", { name: "Training of Harbour" }).waitFor();
    const gaps = await visibleText(page.locator(".gap-list"));
    expect(gaps).toContain("1 of 4 members lacks OKR Fundamentals");
    await screenshot(page, "enablement-team-gaps-after-attendance");
  });

  it("the PLO imports a meeting tool's attendance export for yesterday's session: an error to fix, a guest left out, the rest attended", async () => {
    const page = await newPage();
    await signIn(page, w.plo.email, w.plo.password);
    await openEnablement(page, "Coverage");
    expect(await heatCell(page, "Wave 1", "Check-in practice")).toMatch(/^0 % on time/);

    // From the schedule to yesterday's session, and from its class list to the import.
    await openEnablement(page, "Training sessions");
    await page.getByRole("link", { name: "Check-in practice" }).click();
    await page.getByRole("heading", { name: "Check-in practice", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Import its export (CSV)" }).click();
    await page.getByRole("heading", { name: "Import attendance or completions" }).waitFor();
    expect(await page.getByLabel("Session (attendance)").locator("option:checked").textContent()).toMatch(/^Check-in practice · /);

    const p = w.people;
    const header = "Name,Email,Employee ID,In-meeting duration";
    const dialIn = "+49 30 1234 5678,,,55m";
    const lines = [
      `Farah Khan,,${p["Farah Khan"].employeeId},1h 28m`,
      `Gus Berg,${p["Gus Berg"].email},,1h 30m`,
      `Hana Sato,${p["Hana Sato"].email.toUpperCase()},,1h 12m`,
      "Vera Vendor,vera@partner.example,,1h 30m",
    ];
    const upload = async (csv: string) => {
      const before = page.url();
      await page.getByLabel("The file holds").selectOption("attendance");
      await page.getByLabel("CSV file").setInputFiles({ name: "meeting-attendance.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByRole("button", { name: "Upload and preview" }).click();
      await page.waitForURL((url) => url.searchParams.has("id") && url.href !== before);
      await page.getByRole("heading", { name: /Preview of meeting-attendance\.csv for the session “Check-in practice”/ }).waitFor();
    };

    // The dial-in line names nobody: the file cannot be imported until it is fixed.
    await upload([header, ...lines.slice(0, 2), dialIn, ...lines.slice(2)].join("\n"));
    await page.getByText("Fix the lines with errors in the file and upload it again").waitFor();
    const errorRow = page.getByRole("row").filter({ hasText: "The line has neither an email nor an employee number." });
    expect(await visibleText(errorRow.locator("td").first())).toBe("4");
    expect(await page.getByRole("button", { name: /^Import/ }).count()).toBe(0);

    await page.getByRole("link", { name: "Upload another file" }).click();
    await page.getByRole("heading", { name: /Preview of/ }).waitFor({ state: "detached" });
    await page.getByLabel("Session (attendance)").selectOption({ label: await sessionLabel(page) });
    await upload([header, ...lines].join("\n"));
    const summary = await visibleText(page.locator("p", { hasText: "not matched (left out)" }));
    expect(summary).toContain("3 matched");
    expect(summary).toContain("1 not matched (left out)");
    expect(summary).toContain("0 lines with errors");
    expect(await visibleText(page.getByRole("row").filter({ hasText: "vera@partner.example" }))).toContain("Not matched");
    expect(await visibleText(page.getByRole("row").filter({ hasText: "Farah Khan" }).last())).toContain("Matched Farah Khan");
    await screenshot(page, "enablement-import-preview");
    await page.getByRole("button", { name: "Import 3 rows" }).click();
    await page.getByText("Imported: 3 recorded, 1 unmatched rows left out.").waitFor();
    await page.getByText("This file has been imported.").waitFor();

    // The session's class list shows them attended; the coverage counts them.
    await openEnablement(page, "Training sessions");
    await page.getByRole("link", { name: "Check-in practice" }).click();
    const classList = page.getByRole("region", { name: "Class list" });
    for (const name of ["Farah Khan", "Gus Berg", "Hana Sato"]) {
      expect(await visibleText(classList.getByRole("row").filter({ hasText: name }))).toContain("Attended");
    }
    await page.getByRole("navigation", { name: "Enablement" }).getByRole("link", { name: "Coverage" }).click();
    // Three of wave 1's seven members now have check-in practice.
    expect(await heatCell(page, "Wave 1", "Check-in practice")).toMatch(/^43 % on time\s*0 overdue · 4 due later · 0 refresh · 7 people$/);
    await screenshot(page, "enablement-coverage-after-import");
  });
});

/** The label of yesterday's check-in practice in the import's session picker. */
async function sessionLabel(page: Page): Promise<string> {
  const options = await page.getByLabel("Session (attendance)").locator("option").allTextContents();
  const label = options.find((o) => o.startsWith("Check-in practice · "));
  if (!label) throw new Error(`no check-in practice session among ${options.join(", ")}`);
  return label;
}
