import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAuthorizationMatrix, type AuthzContext, type AuthzRow } from "../support/authz-matrix";
import { HttpClient } from "../support/http-client";
import {
  latestAuditEvents,
  clientsForEveryRole,
  createProgram,
  createUser,
  programRows,
  setUpInstallation,
  signIn,
  uniqueEmail,
  userRows,
  type Actor,
  type TestUser,
} from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { ROOT } from "../support/test-env";
import * as checkinsArea from "./authz-rows/checkins";
import * as coachingCoachArea from "./authz-rows/coaching-coach";
import * as coachingPloArea from "./authz-rows/coaching-plo";
import * as enablementArea from "./authz-rows/enablement";
import * as healthArea from "./authz-rows/health";
import * as cyclesArea from "./authz-rows/cycles";
import * as orgImportArea from "./authz-rows/org-import";
import * as orgArea from "./authz-rows/org";
import * as planDetailsArea from "./authz-rows/plan-details";
import * as planTeamsArea from "./authz-rows/plan-teams";
import * as reportsArea from "./authz-rows/reports";
import * as transferArea from "./authz-rows/transfer";
import { ADMIN, PLO, SIGNED_IN } from "./authz-rows/roles";

/** Areas keep their rows and fixtures in tests/http/authz-rows/<area>.ts. */
const AREAS: Array<{
  rows: AuthzRow[];
  coachWrites?: string[];
  sponsorWrites?: string[];
  publicRoutes?: string[];
  setUp: (admin: HttpClient, context: AuthzContext) => Promise<void>;
}> = [
  orgArea,
  orgImportArea,
  planTeamsArea,
  planDetailsArea,
  coachingPloArea,
  coachingCoachArea,
  checkinsArea,
  enablementArea,
  reportsArea,
  cyclesArea,
  transferArea,
  healthArea,
];

// Who may do what, route by route. A row per request; the roles in `allow` are let through,
// every other role gets 403 and an anonymous visitor is sent to sign in. Add a row with every
// new route (the last test fails until you do).

const CORE: AuthzRow[] = [
  // Programs
  { method: "GET", path: "/programs", allow: SIGNED_IN },
  { method: "GET", path: "/programs/switch?id=:programId", allow: SIGNED_IN },
  { method: "GET", path: "/programs/new", allow: PLO },
  { method: "POST", path: "/programs/new", allow: PLO, form: () => ({ name: `Matrix ${uniqueEmail("p")}`, status: "planned" }) },
  { method: "GET", path: "/programs/:programId", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/settings", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/settings",
    allow: PLO,
    form: (c) => ({ intent: "save", name: c.programName, description: "Kept as it was.", startsOn: "", endsOn: "", status: "active" }),
  },
  // RACI
  { method: "GET", path: "/programs/:programId/raci", allow: SIGNED_IN },
  { method: "POST", path: "/programs/:programId/raci", allow: PLO, form: { intent: "settings", overloadPercent: "50" } },
  {
    method: "GET",
    path: "/programs/:programId/raci/activities/:activityId",
    allow: PLO,
    note: "the plain-form row editor; readers see the grid instead",
  },
  { method: "POST", path: "/programs/:programId/raci/activities/:activityId", allow: PLO, form: {} },
  { method: "POST", path: "/programs/:programId/raci/cell", allow: PLO, form: {}, singleFetch: false },
  { method: "GET", path: "/programs/:programId/raci/history", allow: SIGNED_IN },
  { method: "POST", path: "/programs/:programId/raci/history", allow: PLO, form: { intent: "restore" } },
  { method: "GET", path: "/programs/:programId/raci/roles", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/raci/print", allow: SIGNED_IN },
  { method: "GET", path: "/programs/:programId/raci.csv", allow: SIGNED_IN, singleFetch: false },
  { method: "GET", path: "/programs/:programId/raci/import", allow: PLO },
  { method: "GET", path: "/programs/:programId/raci/structure", allow: PLO },
  { method: "POST", path: "/programs/:programId/raci/structure", allow: PLO, form: { intent: "settings", overloadPercent: "50" } },
  { method: "POST", path: "/programs/:programId/raci/import", allow: PLO, form: {} },
  // Accounts
  { method: "GET", path: "/admin/users", allow: ADMIN },
  { method: "GET", path: "/admin/users.csv", allow: ADMIN, singleFetch: false },
  { method: "GET", path: "/admin/users/new", allow: ADMIN },
  {
    method: "POST",
    path: "/admin/users/new",
    allow: ADMIN,
    form: () => ({ name: "Matrix User", email: uniqueEmail("matrix"), role: "team_lead", password: "matrix-password-123" }),
  },
  { method: "GET", path: "/admin/users/:userId", allow: ADMIN },
  {
    method: "POST",
    path: "/admin/users/:userId",
    allow: ADMIN,
    form: (c) => ({ intent: "save", name: c.userName, email: c.userEmail, role: "team_lead", active: "on" }),
  },
  { method: "GET", path: "/admin/audit", allow: ADMIN },
  { method: "GET", path: "/admin/backups", allow: ADMIN },
  // An unknown intent: allowed means "gets to the action" (400), no backup is written.
  { method: "POST", path: "/admin/backups", allow: ADMIN, form: { intent: "nothing" } },
  { method: "GET", path: "/account/password", allow: SIGNED_IN },
  {
    method: "POST",
    path: "/account/password",
    allow: SIGNED_IN,
    // A wrong current password: allowed means "gets to the form's check", and nobody's password changes.
    form: { current: "not-the-current-password", password: "matrix-new-password", confirm: "matrix-new-password" },
  },
];

const MATRIX: AuthzRow[] = [...CORE, ...AREAS.flatMap((area) => area.rows)];

/** Routes anyone may reach (they decide for themselves what to show). */
const PUBLIC_ROUTES = ["/", "/*", "/login", "/logout", "/setup", ...AREAS.flatMap((area) => area.publicRoutes ?? [])];

/** Writes a coach or sponsor may make: only to their own account, for now. */
const OWN_ACCOUNT_WRITES = ["/account/password"];

let server: RunningServer;
let clients: Record<Actor, HttpClient>;
let observer: HttpClient;
const context: AuthzContext = {};

beforeAll(async () => {
  server = await startServer();
  const installation = await setUpInstallation(server.url);
  ({ clients } = await clientsForEveryRole(server.url, installation.client));
  // A second admin session that reads the fingerprint, apart from the clients under test.
  observer = await signIn(server.url, installation.admin);

  const admin = clients.admin;
  context.programName = "Matrix rollout";
  context.programId = await createProgram(admin, { name: context.programName, description: "Kept as it was.", status: "active" });
  const created = await admin.post(`/programs/${context.programId}/raci`, { intent: "create", source: "template" });
  expect(created.status).toBe(302);
  const raci = await (await admin.get(`/programs/${context.programId}/raci`)).text();
  const activity = new RegExp(`/programs/${context.programId}/raci/activities/([\\w-]+)`).exec(raci);
  if (!activity) throw new Error("the RACI page links no activity");
  context.activityId = activity[1];

  const target: TestUser = await createUser(admin, { role: "team_lead", name: "Matrix Target" });
  Object.assign(context, { userId: target.id, userName: target.name, userEmail: target.email });
  for (const area of AREAS) await area.setUp(admin, context);
});
afterAll(async () => {
  await server?.stop();
});

/** The last fingerprint read, and how many requests had been sent once it was read. */
let lastRead: { text: string; sentAfter: number } | undefined;

/**
 * Everything a refused post could have changed: the audit trail, programs and accounts. Stored
 * data changes only by a request, so when no client sent one since the last reading (a refused
 * post's "after" is the next one's "before"), that reading is still the state: it is reused
 * rather than read again (three list pages per reading, twice per refused post).
 */
async function fingerprint(): Promise<string> {
  if (lastRead && lastRead.sentAfter === HttpClient.sent) return lastRead.text;
  const [events, programs, users] = await Promise.all([latestAuditEvents(observer), programRows(observer), userRows(observer)]);
  lastRead = { text: JSON.stringify({ events, programs: [...programs], users: [...users] }), sentAfter: HttpClient.sent };
  return lastRead.text;
}

describeAuthorizationMatrix(MATRIX, {
  clients: () => clients,
  context: () => context,
  fingerprint,
});

describe("the matrix itself", () => {
  it("lets no sponsor write anything but their own account and the writes declared as theirs (training feedback, their reporting part, company objectives)", () => {
    const sponsorWrites = new Set([...OWN_ACCOUNT_WRITES, ...AREAS.flatMap((area) => area.sponsorWrites ?? [])]);
    const open = MATRIX.filter((row) => row.method === "POST" && !sponsorWrites.has(row.path) && row.allow.includes("sponsor"));
    expect(open.map((row) => row.path)).toEqual([]);
  });

  it("lets a coach write only their own account and the coaching writes declared as theirs", () => {
    const coachWrites = new Set([...OWN_ACCOUNT_WRITES, ...AREAS.flatMap((area) => area.coachWrites ?? [])]);
    const open = MATRIX.filter((row) => row.method === "POST" && !coachWrites.has(row.path) && row.allow.includes("coach"));
    expect(open.map((row) => row.path)).toEqual([]);
  });

  it("has a row for every route module, so a new route cannot skip its authorization check", () => {
    // Parameter names are the rows' own (an area may fill :checkinCycleId where the route says :cycleId).
    const shape = (route: string) => route.replace(/:\w+/g, ":param");
    const covered = new Set([...PUBLIC_ROUTES, ...MATRIX.map((row) => row.path.split("?")[0])].map(shape));
    const files = fs.readdirSync(path.join(ROOT, "app", "routes"));
    const missing = files.map(routePath).filter((route) => !covered.has(shape(route)));
    expect(missing).toEqual([]);
  });
});

/** The URL pattern of a flat-routes file: `programs.$programId.raci[.]csv.tsx` → `/programs/:programId/raci.csv`. */
function routePath(file: string): string {
  const segments = file
    .replace(/\.tsx?$/, "")
    .replaceAll("[.]", "\uE000")
    .split(".")
    .filter((segment) => segment !== "_index" && !segment.startsWith("_"))
    .map((segment) => (segment === "$" ? "*" : segment.replace(/^\$/, ":").replace(/_$/, "")).replaceAll("\uE000", "."));
  return `/${segments.join("/")}`;
}
