import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { uniqueEmail } from "../../support/http-fixtures";
import { PLO, READERS } from "./roles";

// Authorization rows of the organization screens (see tests/http/authorization.test.ts): everyone
// who reads the organization sees units, teams, people, exports and the people search; only the
// PLO and admins change anything. Allowed posts re-save the fixtures unchanged or add a new row.

const unique = () => uniqueEmail("matrix").split("@")[0];

export const rows: AuthzRow[] = [
  { method: "GET", path: "/org", allow: READERS },
  { method: "GET", path: "/org/units.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/org/units/new", allow: PLO },
  { method: "POST", path: "/org/units/new", allow: PLO, form: (c) => ({ name: `Matrix unit ${unique()}`, parentId: c.unitId }) },
  { method: "GET", path: "/org/units/:unitId", allow: READERS },
  { method: "POST", path: "/org/units/:unitId", allow: PLO, form: (c) => ({ intent: "save", name: c.unitName, parentId: "" }) },
  { method: "GET", path: "/org/teams", allow: READERS },
  { method: "GET", path: "/org/teams.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/org/teams/new", allow: PLO },
  {
    method: "POST",
    path: "/org/teams/new",
    allow: PLO,
    form: (c) => ({ name: `Matrix team ${unique()}`, unitId: c.unitId, leadEmail: "", size: "" }),
  },
  { method: "GET", path: "/org/teams/:teamId", allow: READERS },
  {
    method: "POST",
    path: "/org/teams/:teamId",
    allow: PLO,
    form: (c) => ({ intent: "save", name: c.teamName, unitId: c.unitId, leadEmail: c.personEmail, size: "" }),
  },
  { method: "GET", path: "/org/people", allow: READERS },
  { method: "GET", path: "/org/people.csv", allow: READERS, singleFetch: false },
  { method: "GET", path: "/org/people/search?q=matrix", allow: READERS, singleFetch: false, note: "JSON for the PersonPicker" },
  { method: "GET", path: "/org/people/new", allow: PLO },
  {
    method: "POST",
    path: "/org/people/new",
    allow: PLO,
    form: (c) => ({ name: "Matrix Person", email: uniqueEmail("matrix-person"), title: "", unitId: c.unitId, teamId: "", externalId: "" }),
  },
  { method: "GET", path: "/org/people/:personId", allow: READERS },
  {
    method: "POST",
    path: "/org/people/:personId",
    allow: PLO,
    form: (c) => ({
      intent: "save",
      name: c.personName,
      email: c.personEmail,
      title: "",
      unitId: c.unitId,
      teamId: c.teamId,
      externalId: "",
    }),
  },
];

/** The id in a redirect to `<prefix><id>`. */
function idFrom(response: Response, prefix: string): string {
  expect(response.status, `expected a redirect to ${prefix}…`).toBe(302);
  const location = response.headers.get("location") ?? "";
  const match = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}([^/?]+)$`).exec(location);
  if (!match) throw new Error(`unexpected redirect: ${location}`);
  return match[1];
}

/** Creates a unit, a team and a person in it (the person leads the team) as the admin, through the forms. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  context.unitName = `Matrix Org ${unique()}`;
  context.unitId = idFrom(await admin.post("/org/units/new", { name: context.unitName, parentId: "" }), "/org/units/");
  context.teamName = "Matrix Team";
  context.teamId = idFrom(
    await admin.post("/org/teams/new", { name: context.teamName, unitId: context.unitId, leadEmail: "", size: "" }),
    "/org/teams/",
  );
  context.personName = "Matrix Lead";
  context.personEmail = uniqueEmail("matrix-lead");
  context.personId = idFrom(
    await admin.post("/org/people/new", {
      name: context.personName,
      email: context.personEmail,
      title: "",
      unitId: "",
      teamId: context.teamId,
      externalId: "",
    }),
    "/org/people/",
  );
  const lead = await admin.post(`/org/teams/${context.teamId}`, {
    intent: "save",
    name: context.teamName,
    unitId: context.unitId,
    leadEmail: context.personEmail,
    size: "",
  });
  expect(lead.status, "setting the team's lead").toBe(302);
}
