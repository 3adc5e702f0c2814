import { describe, expect, it } from "vitest";
import type { HttpClient } from "./http-client";
import { ACTORS, type Actor } from "./http-fixtures";

/**
 * The authorization matrix: every route × every role, with what each role may do. One row per
 * request (method + path); a role not listed in `allow` must be refused:
 *   deny, signed in → 403;  deny, anonymous → redirect to /login (with redirectTo);
 *   allow           → neither 403 nor a redirect to /login (nor a server error).
 * A refused POST must also leave every stored thing as it was (see `fingerprint`).
 *
 * Adding a route is adding a row: `{ method: "GET", path: "/programs/:programId/waves", allow: READERS }`.
 */

export type Outcome = "allow" | "deny";

export interface AuthzRow {
  method: "GET" | "POST";
  /** The address; `:name` segments are filled from the context (e.g. `/programs/:programId`). */
  path: string;
  /** The roles let through; every other actor (including "anonymous") is refused. */
  allow: readonly Actor[];
  /** The posted form (a valid one, so that an allowed post does its work); empty when absent. */
  form?: Record<string, string> | ((context: AuthzContext) => Record<string, string>);
  /** Also check the single-fetch `.data` request for this row (default true; not for resource routes). */
  singleFetch?: boolean;
  /** Why the row's expectation is what it is, when it is not obvious. */
  note?: string;
}

/** Ids the rows' paths and forms refer to, known once the fixtures exist. */
export type AuthzContext = Record<string, string>;

export interface AuthzMatrixOptions {
  /** One client per actor; signed-in ones must stay signed in through the matrix. */
  clients: () => Record<Actor, HttpClient>;
  context: () => AuthzContext;
  /**
   * A text standing for everything stored (e.g. audit-event count + lists); it must read the
   * same before and after a refused POST. Read with a client that is not part of the test.
   */
  fingerprint?: () => Promise<string>;
  actors?: readonly Actor[];
}

const ARTICLE: Record<Actor, string> = {
  admin: "an admin",
  plo: "a PLO member",
  coach: "a coach",
  sponsor: "a sponsor",
  team_lead: "a team lead",
  member: "a team member",
  anonymous: "an anonymous visitor",
};

export function fillPath(path: string, context: AuthzContext): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = context[name];
    if (value === undefined) throw new Error(`no value for :${name} in the authorization context`);
    return encodeURIComponent(value);
  });
}

/** The single-fetch address of a page (`/a/b?x` → `/a/b.data?x`, `/` → `/_root.data`). */
export function singleFetchPath(path: string): string {
  const [pathname, query] = path.split("?", 2);
  const data = pathname === "/" ? "/_root.data" : `${pathname.replace(/\/$/, "")}.data`;
  return query === undefined ? data : `${data}?${query}`;
}

export function expectedOutcome(row: AuthzRow, actor: Actor): Outcome {
  return row.allow.includes(actor) ? "allow" : "deny";
}

async function send(client: HttpClient, row: AuthzRow, path: string, context: AuthzContext) {
  if (row.method === "GET") return client.get(path);
  const form = typeof row.form === "function" ? row.form(context) : (row.form ?? {});
  return client.post(path, form);
}

/** Asserts what one response means for the given actor and expected outcome. */
export async function expectAuthorization(
  response: Response,
  actor: Actor,
  outcome: Outcome,
  transport: "document" | "single-fetch" = "document",
): Promise<void> {
  const status = response.status;
  const location = response.headers.get("location") ?? "";
  // A single-fetch redirect is a 202 whose (turbo-stream) body names the target.
  const body = await response.text();
  const sentToLogin =
    transport === "single-fetch"
      ? status === 202 && body.includes('"redirect"') && body.includes('"/login')
      : status === 302 && location.startsWith("/login");
  const described = `${status}${location ? ` → ${location}` : ""}`;
  if (outcome === "deny") {
    if (actor === "anonymous") expect(sentToLogin, `expected a redirect to /login, got ${described}`).toBe(true);
    else expect(status, `expected 403, got ${described}`).toBe(403);
    return;
  }
  expect(status, `expected to be let through, got ${described}`).not.toBe(403);
  expect(sentToLogin, `expected to be let through, got ${described}`).toBe(false);
  expect(status, `expected no server error, got ${described}`).toBeLessThan(500);
}

/** Declares one test per row × actor (and per transport). */
export function describeAuthorizationMatrix(rows: readonly AuthzRow[], options: AuthzMatrixOptions): void {
  const actors = options.actors ?? ACTORS;
  for (const row of rows) {
    describe(`${row.method} ${row.path}`, () => {
      for (const actor of actors) {
        const outcome = expectedOutcome(row, actor);
        const transports = row.singleFetch === false ? (["document"] as const) : (["document", "single-fetch"] as const);
        for (const transport of transports) {
          const how = transport === "single-fetch" ? " (single-fetch data request)" : "";
          const verdict = outcome === "allow" ? "is let through" : actor === "anonymous" ? "is sent to sign in" : "is refused with 403";
          const changes = outcome === "deny" && row.method === "POST" ? " and nothing changes" : "";
          it(`${ARTICLE[actor]} ${verdict}${changes}${how}`, async () => {
            const context = options.context();
            const client = options.clients()[actor];
            const path = fillPath(row.path, context);
            const target = transport === "single-fetch" ? singleFetchPath(path) : path;
            const check = outcome === "deny" && row.method === "POST" ? options.fingerprint : undefined;
            const before = await check?.();
            const response = await send(client, row, target, context);
            await expectAuthorization(response, actor, outcome, transport);
            if (check) expect(await check(), "a refused post changed stored data").toBe(before);
          });
        }
      }
    });
  }
}
