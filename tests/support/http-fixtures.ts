import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { ROLES, type Role } from "../../db/schema";
import { HttpClient } from "./http-client";

// Builders for HTTP tests: the first administrator, users of each role and programs, all made
// through the app's own forms (the server runs in another process, with its own database).

export const PASSWORD = "correct-horse-battery-staple";

/** An actor of the authorization tests: a role, or nobody signed in. */
export type Actor = Role | "anonymous";
export const ACTORS: readonly Actor[] = [...ROLES, "anonymous"];

/** An email no other test in the run uses. */
export function uniqueEmail(label = "user"): string {
  return `${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`;
}

/**
 * A client that adds headers to every request, e.g. `X-Forwarded-For` so that each test gets
 * its own client address (and login throttle) on a server started with TRUST_PROXY=1 (the test client is the one proxy).
 */
export class HeaderClient extends HttpClient {
  constructor(
    baseUrl: string,
    private readonly extraHeaders: Record<string, string>,
  ) {
    super(baseUrl);
  }

  override request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.extraHeaders)) if (!headers.has(name)) headers.set(name, value);
    return super.request(path, { ...init, headers });
  }
}

/** A client presenting itself as coming from the given (by default a new) IPv4 address. */
export function clientFromAddress(baseUrl: string, ip = newIp()): HeaderClient {
  return new HeaderClient(baseUrl, { "X-Forwarded-For": ip });
}

let ipCounter = 0;
/** An address no other client of this test file has used. */
export function newIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 256}.${(ipCounter % 250) + 1}`;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Completes setup on a fresh server and returns the administrator's signed-in client. */
export async function setUpInstallation(
  baseUrl: string,
  admin: { name?: string; email?: string; password?: string } = {},
): Promise<{ client: HttpClient; admin: TestUser }> {
  const client = new HttpClient(baseUrl);
  const name = admin.name ?? "Ada Admin";
  const email = admin.email ?? uniqueEmail("admin");
  const password = admin.password ?? PASSWORD;
  const response = await client.post("/setup", { name, email, password, confirm: password });
  expect(response.status, "setup should redirect").toBe(302);
  const id = await findUserId(client, email);
  return { client, admin: { id, email, name, role: "admin", password } };
}

/** The id of the account with this email, read from the admin's users list. */
export async function findUserId(admin: HttpClient, email: string): Promise<string> {
  const rows = await userRows(admin);
  for (const [id, html] of rows) if (html.includes(`>${email}<`)) return id;
  throw new Error(`no user ${email} in the users list`);
}

/** Creates an account through the admin form (the admin client must be signed in). */
export async function createUser(
  admin: HttpClient,
  input: { role: Role; name?: string; email?: string; password?: string },
): Promise<TestUser> {
  const user = {
    role: input.role,
    name: input.name ?? `Test ${input.role} ${randomBytes(2).toString("hex")}`,
    email: input.email ?? uniqueEmail(input.role),
    password: input.password ?? PASSWORD,
  };
  const response = await admin.post("/admin/users/new", user);
  expect(response.status, `creating ${user.email}`).toBe(302);
  return { ...user, id: await findUserId(admin, user.email) };
}

/** A new client signed in as this user. */
export async function signIn(baseUrl: string, user: { email: string; password: string }, client = new HttpClient(baseUrl)) {
  await client.login(user.email, user.password);
  return client;
}

/** One signed-in client per role (the given admin for "admin"), plus an anonymous one. */
export async function clientsForEveryRole(
  baseUrl: string,
  admin: HttpClient,
): Promise<{ clients: Record<Actor, HttpClient>; users: Record<Exclude<Role, "admin">, TestUser> }> {
  const users = {} as Record<Exclude<Role, "admin">, TestUser>;
  const clients = { admin, anonymous: new HttpClient(baseUrl) } as Record<Actor, HttpClient>;
  for (const role of ROLES) {
    if (role === "admin") continue;
    users[role] = await createUser(admin, { role });
    clients[role] = await signIn(baseUrl, users[role]);
  }
  return { clients, users };
}

/** Creates a program through the form and returns its id (taken from the redirect). */
export async function createProgram(
  client: HttpClient,
  input: Partial<Record<"name" | "description" | "startsOn" | "endsOn" | "status", string>> = {},
): Promise<string> {
  const response = await client.post("/programs/new", {
    name: `Program ${randomBytes(3).toString("hex")}`,
    description: "",
    startsOn: "",
    endsOn: "",
    status: "planned",
    ...input,
  });
  expect(response.status, "creating a program").toBe(302);
  const match = /^\/programs\/([^/?]+)$/.exec(response.headers.get("location") ?? "");
  if (!match) throw new Error(`unexpected redirect after creating a program: ${response.headers.get("location")}`);
  return match[1];
}

/**
 * The body rows of the first data table of an HTML page, keyed by the id in their first link
 * (e.g. `/admin/users/<id>`), so tests can compare rows byte for byte.
 */
export function tableRows(html: string, linkPrefix: string): Map<string, string> {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  const rows = new Map<string, string>();
  const escaped = linkPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const row of body.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
    const id = new RegExp(`href="${escaped}([^"/?]+)"`).exec(row)?.[1];
    if (id) rows.set(id, row);
  }
  return rows;
}

async function pageHtml(client: HttpClient, path: string): Promise<string> {
  const response = await client.get(path);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return response.text();
}

/** Every row of a server-paged list, page after page (the largest page size): id → table row. */
async function allTableRows(client: HttpClient, path: string, linkPrefix: string): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (let page = 1; page <= 1000; page++) {
    const html = await pageHtml(client, `${path}?size=200&page=${page}`);
    for (const [id, row] of tableRows(html, linkPrefix)) rows.set(id, row);
    if (!/rel="next"/.test(html)) break;
  }
  return rows;
}

/** The users list as the admin sees it, every page: id → table row. */
export async function userRows(admin: HttpClient): Promise<Map<string, string>> {
  return allTableRows(admin, "/admin/users", "/admin/users/");
}

/** The programs list as this client sees it, every page: id → table row. */
export async function programRows(client: HttpClient): Promise<Map<string, string>> {
  return allTableRows(client, "/programs", "/programs/");
}

/**
 * The newest audit events as the audit page shows them (its first page, newest first). Every
 * change records an event, so any change makes this text differ; it does not depend on how the
 * page counts or pages its events.
 */
export async function latestAuditEvents(admin: HttpClient): Promise<string> {
  const html = await pageHtml(admin, "/admin/audit");
  const body = /<tbody>[\s\S]*?<\/tbody>/.exec(html)?.[0];
  if (!body) throw new Error("the audit page shows no table");
  return body;
}

/** The first form error (role="alert") or the text of an error page, for asserting messages. */
export function pageMessage(html: string): string {
  return decodeEntities(/role="alert"[^>]*>([\s\S]*?)<\//.exec(html)?.[1] ?? "").trim();
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The SQL statements a page ran (the test server's X-Query-Count header); the page must answer 200. */
export async function queryCount(client: HttpClient, target: string): Promise<number> {
  const response = await client.get(target);
  expect(response.status, `GET ${target}`).toBe(200);
  await response.arrayBuffer();
  return Number(response.headers.get("x-query-count"));
}
