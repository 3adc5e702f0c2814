import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { decodeEntities, tableRows } from "../../support/http-fixtures";
import { PLO, READERS } from "./roles";

// Authorization rows of the rollout plan's waves and team pipeline (see tests/http/authorization.test.ts),
// and the HTTP fixtures the plan's tests share: an organization imported through the org import,
// waves made through the waves form, and the team list read back from the page.

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/waves", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/waves",
    allow: PLO,
    form: () => ({
      intent: "create",
      name: `Matrix wave ${randomBytes(4).toString("hex")}`,
      startsOn: "2027-01-04",
      endsOn: "2027-03-31",
      goal: "",
    }),
  },
  { method: "GET", path: "/programs/:programId/waves/:waveId", allow: READERS },
  { method: "POST", path: "/programs/:programId/waves/:waveId", allow: PLO, form: { intent: "move", direction: "up" } },
  { method: "GET", path: "/programs/:programId/teams", allow: READERS },
  {
    method: "POST",
    path: "/programs/:programId/teams",
    allow: PLO,
    form: (c) => ({ intent: "status", teamId: c.teamId, status: "onboarding", changedOn: "" }),
  },
  { method: "GET", path: "/programs/:programId/teams.csv", allow: READERS, singleFetch: false },
  {
    method: "GET",
    path: "/programs/:programId/teams/bulk-preview?waveId=none&allMatching=on",
    allow: PLO,
    note: "what a bulk change would do, asked by the bar before a submit: writers only",
  },
  {
    method: "GET",
    path: "/programs/:programId/teams/:teamId",
    allow: READERS,
    note: "a team lead sees only the teams they lead; the fixture team is led by someone else",
  },
];

/** Creates this area's fixtures as the admin and names their ids in `context`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const suffix = randomBytes(3).toString("hex");
  await importOrg(admin, [
    { name: "Matrix Lead", email: `matrix-lead-${suffix}@example.com`, unitPath: `Plan Matrix ${suffix}`, team: "Matrix Team", lead: true },
  ]);
  const teams = await planTeams(admin, context.programId, `?q=${encodeURIComponent("Matrix Team")}`);
  const team = teams.get("Matrix Team");
  if (!team) throw new Error("the imported team is not in the program's team list");
  context.teamId = team.id;
  context.waveId = await createWave(admin, context.programId, { name: `Matrix wave ${suffix}` });
}

// ---------------------------------------------------------------------------------------------
// Shared HTTP fixtures of the rollout plan

export interface OrgRow {
  name: string;
  email: string;
  /** Units from the top, separated by " / " (created when missing). */
  unitPath: string;
  team: string;
  /** This person leads the team. */
  lead?: boolean;
}

/** Imports people, units and teams through the org import (upload, then commit). */
export async function importOrg(admin: HttpClient, people: OrgRow[]): Promise<void> {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const csv = [
    "Name,Email,Unit path,Team,Team lead email",
    ...people.map((p) => [p.name, p.email, p.unitPath, p.team, p.lead ? p.email : ""].map(quote).join(",")),
  ].join("\n");
  const upload = new FormData();
  upload.append("intent", "upload");
  upload.append("file", new Blob([csv], { type: "text/csv" }), "people.csv");
  const uploaded = await admin.post("/org/import", upload);
  expect(uploaded.status, `uploading the org CSV: ${uploaded.status}`).toBe(302);
  const location = uploaded.headers.get("location") ?? "";
  if (!/^\/org\/import\/[0-9a-f-]{36}$/.test(location)) throw new Error(`unexpected redirect after the upload: ${location}`);
  // Whoever else is in the organization (other tests' people) is kept.
  const committed = await admin.post(location, { intent: "commit", leavers: "keep" });
  if (committed.status !== 302)
    throw new Error(`the org import was refused (${committed.status}): ${(await committed.text()).slice(0, 2000)}`);
}

/** `count` teams under `unitPath`, each with its own lead unless `leads` is false. */
export function teamRows(unitPath: string, prefix: string, count: number, { leads = true } = {}): OrgRow[] {
  const tag = randomBytes(3).toString("hex");
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix} ${i + 1} ${leads ? "Lead" : "Member"}`,
    email: `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${i + 1}-${tag}@example.com`,
    unitPath,
    team: `${prefix} ${i + 1}`,
    lead: leads,
  }));
}

export interface TeamListEntry {
  id: string;
  /** The row's HTML. */
  row: string;
  text: string;
}

/** The program's team list as this client sees it (200 rows a page): team name → id and row. */
export async function planTeams(client: HttpClient, programId: string, search = ""): Promise<Map<string, TeamListEntry>> {
  const separator = search.includes("?") ? "&" : "?";
  const response = await client.get(`/programs/${programId}/teams${search}${separator}size=200`);
  expect(response.status, `GET the team list${search}`).toBe(200);
  const html = await response.text();
  const teams = new Map<string, TeamListEntry>();
  for (const [id, row] of tableRows(html, `/programs/${programId}/teams/`)) {
    const name = decodeEntities(new RegExp(`href="/programs/${programId}/teams/${id}"[^>]*>([^<]*)<`).exec(row)?.[1] ?? "");
    teams.set(name, { id, row, text: decodeEntities(row.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")) });
  }
  return teams;
}

/** The units offered by the team list's unit filter: name → id. */
export async function unitIds(client: HttpClient, programId: string): Promise<Map<string, string>> {
  const html = await (await client.get(`/programs/${programId}/teams`)).text();
  const select = /<select name="unit"[\s\S]*?<\/select>/.exec(html)?.[0] ?? "";
  const units = new Map<string, string>();
  for (const m of select.matchAll(/<option value="([^"]+)">([\s\S]*?)<\/option>/g)) {
    units.set(
      decodeEntities(m[2].replace(/<[^>]*>/g, ""))
        .replace(/\u00a0/g, "")
        .trim(),
      m[1],
    );
  }
  return units;
}

/** Creates a wave through the form and returns its id (from the redirect). */
export async function createWave(
  client: HttpClient,
  programId: string,
  input: Partial<Record<"name" | "startsOn" | "endsOn" | "goal", string>> = {},
): Promise<string> {
  const response = await client.post(`/programs/${programId}/waves`, {
    intent: "create",
    name: input.name ?? `Wave ${randomBytes(3).toString("hex")}`,
    startsOn: input.startsOn ?? "2027-01-04",
    endsOn: input.endsOn ?? "2027-03-31",
    goal: input.goal ?? "",
  });
  expect(response.status, "creating a wave").toBe(302);
  const id = new RegExp(`^/programs/${programId}/waves/([^/?]+)$`).exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after creating a wave: ${response.headers.get("location")}`);
  return id;
}

/** The team list's CSV export as text (everything matching `search`). */
export async function teamsCsv(client: HttpClient, programId: string, search = ""): Promise<string> {
  const response = await client.get(`/programs/${programId}/teams.csv${search}`);
  expect(response.status).toBe(200);
  return response.text();
}
