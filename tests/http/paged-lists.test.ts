import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, TEST_PASSWORD } from "../support/builders";
import type { HttpClient } from "../support/http-client";
import { decodeEntities, signIn, tableRows } from "../support/http-fixtures";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// The users and programs lists are paged on the server (issue 20): an installation with hundreds
// of accounts or programs gets one page of 50, a pager, and search and filters that look at every
// row, not only the page shown.

const BULK_USERS = 130;
const BULK_PROGRAMS = 130;

let server: RunningServer;
let admin: HttpClient;
let plo: HttpClient;

beforeAll(async () => {
  let accounts: { admin: { email: string }; plo: { email: string } } | undefined;
  ({ server } = await startSeededServer(async (db) => {
    const adminUser = await createTestUser(db, { role: "admin", name: "Ada Admin" });
    const ploUser = await createTestUser(db, { role: "plo", name: "Pat Lead" });
    // Many accounts and programs, written directly (no password hashing for accounts nobody signs in with).
    await db
      .insertInto("users")
      .values(
        Array.from({ length: BULK_USERS }, (_, i) => ({
          id: randomUUID(),
          email: `bulk.user.${String(i).padStart(3, "0")}@example.com`,
          name: `Bulk User ${String(i).padStart(3, "0")}`,
          password_hash: "not-a-hash",
          role: i % 2 === 0 ? ("coach" as const) : ("sponsor" as const),
          active: i % 10 !== 0,
        })),
      )
      .execute();
    await db
      .insertInto("programs")
      .values(
        Array.from({ length: BULK_PROGRAMS }, (_, i) => ({
          id: randomUUID(),
          name: i === 77 ? "Zephyr division rollout" : `Rollout ${String(i).padStart(3, "0")}`,
          description: "",
          // Day i of 2026: the latest start is the last program.
          starts_on: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
          ends_on: null,
          status: i % 5 === 0 ? ("archived" as const) : ("active" as const),
          created_by: adminUser.id,
        })),
      )
      .execute();
    accounts = { admin: adminUser, plo: ploUser };
  }));
  admin = await signIn(server.url, { email: accounts!.admin.email, password: TEST_PASSWORD });
  plo = await signIn(server.url, { email: accounts!.plo.email, password: TEST_PASSWORD });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

/** The page's visible text (React's text separators removed). */
const text = (html: string) =>
  decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );

async function page(client: HttpClient, path: string) {
  const response = await client.get(path);
  expect(response.status, path).toBe(200);
  const html = await response.text();
  const next = /<a [^>]*href="([^"]+)"[^>]*rel="next"|<a [^>]*rel="next"[^>]*href="([^"]+)"/.exec(html);
  return {
    html,
    seen: text(html),
    next: next ? decodeEntities(next[1] ?? next[2]) : null,
    queries: Number(response.headers.get("x-query-count")),
  };
}

const names = (html: string, prefix: string) =>
  [...tableRows(html, prefix).values()].map((row) => decodeEntities(new RegExp(`href="${prefix}[^"/]+">([^<]+)</a>`).exec(row)?.[1] ?? ""));

describe("the users list", () => {
  const total = BULK_USERS + 2;

  it("shows the first 50 accounts by name, page 1 of 3, and links the next page, which shows the next 50", async () => {
    const first = await page(admin, "/admin/users");
    const firstNames = names(first.html, "/admin/users/");
    expect(firstNames).toHaveLength(50);
    expect(firstNames[0]).toBe("Ada Admin");
    expect(firstNames[1]).toBe("Bulk User 000");
    expect(first.seen).toContain(`1–50 of ${total} · page 1 of 3`);
    expect(first.next).toMatch(/page=2/);

    const second = await page(admin, `/admin/users${first.next!.replace(/^.*\?/, "?")}`);
    const secondNames = names(second.html, "/admin/users/");
    expect(secondNames).toHaveLength(50);
    expect(secondNames[0]).toBe("Bulk User 049");
    expect(second.seen).toContain(`51–100 of ${total} · page 2 of 3`);

    const third = await page(admin, "/admin/users?page=3");
    expect(names(third.html, "/admin/users/")).toHaveLength(total - 100);
    expect(third.next).toBeNull();
    // Every page costs the same number of queries, whatever the number of accounts.
    expect(second.queries).toBe(first.queries);
    expect(third.queries).toBe(first.queries);
  });

  it("search looks at every account by part of a name or email; role and status filters narrow it", async () => {
    const byName = await page(admin, "/admin/users?q=user%2012");
    expect(names(byName.html, "/admin/users/")).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk User 12${i}`));
    const byEmail = await page(admin, "/admin/users?q=USER.07");
    expect(names(byEmail.html, "/admin/users/")).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk User 07${i}`));
    const deactivated = await page(admin, "/admin/users?status=deactivated");
    expect(deactivated.seen).toContain(`${BULK_USERS / 10} rows`);
    expect(names(deactivated.html, "/admin/users/").every((n) => Number(n.slice(-3)) % 10 === 0)).toBe(true);
    const sponsors = await page(admin, "/admin/users?role=sponsor&q=bulk");
    expect(sponsors.seen).toContain(`${BULK_USERS / 2} rows`);
    expect(sponsors.html).toContain('<option value="sponsor" selected="">Executive sponsor</option>');
    const nobody = await page(admin, "/admin/users?q=nobody-by-this-name");
    expect(nobody.seen).toContain("No rows match these filters.");
  });

  it("the CSV export holds every account the search matches, not only the page shown", async () => {
    const response = await admin.get("/admin/users.csv?q=bulk&role=coach");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split(/\r\n/);
    expect(lines[0]).toBe("name,email,role,active,last_login_at"); // after the BOM, which text() drops
    expect(lines).toHaveLength(1 + BULK_USERS / 2);
    expect(lines[1]).toBe("Bulk User 000,bulk.user.000@example.com,coach,false,");
  });

  it("answers odd paging and search input with a page, never an error", async () => {
    for (const query of [
      "page=-1",
      "page=abc",
      "page=0",
      "page=99999",
      "size=7",
      "size=-5",
      "sort=password_hash&dir=sideways",
      "role=root",
      "status=deleted",
      `q=${"x".repeat(10_000)}`,
      "q=%25%27%3B--",
    ]) {
      const response = await admin.get(`/admin/users?${query}`);
      expect(response.status, query).toBe(200);
      const csv = await admin.get(`/admin/users.csv?${query}`);
      expect(csv.status, query).toBe(200);
    }
    expect(names((await page(admin, "/admin/users?page=-1")).html, "/admin/users/")[0]).toBe("Ada Admin");
  });

  it("is for administrators only, the CSV too", async () => {
    expect((await plo.get("/admin/users")).status).toBe(403);
    expect((await plo.get("/admin/users.csv")).status).toBe(403);
  });
});

describe("the programs list", () => {
  it("shows the 50 programs that start last, page 1 of 3, and links the next page", async () => {
    const first = await page(plo, "/programs");
    const firstNames = names(first.html, "/programs/");
    expect(firstNames).toHaveLength(50);
    expect(firstNames[0]).toBe("Rollout 129");
    expect(firstNames[1]).toBe("Rollout 128");
    expect(first.seen).toContain(`1–50 of ${BULK_PROGRAMS} · page 1 of 3`);
    expect(first.next).toMatch(/page=2/);
    const second = await page(plo, `/programs${first.next!.replace(/^.*\?/, "?")}`);
    expect(names(second.html, "/programs/")[0]).toBe("Rollout 079");
    expect(second.seen).toContain(`51–100 of ${BULK_PROGRAMS} · page 2 of 3`);
    expect(second.queries).toBe(first.queries);
  });

  it("search finds a program on any page by part of its name; the status filter keeps only that status", async () => {
    const found = await page(plo, "/programs?q=ephyr");
    expect(names(found.html, "/programs/")).toEqual(["Zephyr division rollout"]);
    const archived = await page(plo, "/programs?status=archived&sort=name&dir=asc");
    const archivedNames = names(archived.html, "/programs/");
    expect(archivedNames).toHaveLength(BULK_PROGRAMS / 5);
    expect(archivedNames[0]).toBe("Rollout 000");
    const none = await page(plo, "/programs?q=no-such-program");
    expect(none.seen).toContain("No rows match these filters.");
    expect(none.seen).not.toContain("No programs yet.");
  });

  it("answers odd paging and search input with a page, never an error", async () => {
    for (const query of ["page=-1", "page=abc", "page=99999", "size=1000", "sort=description", "status=deleted", `q=${"%25".repeat(3000)}`])
      expect((await plo.get(`/programs?${query}`)).status, query).toBe(200);
  });
});
