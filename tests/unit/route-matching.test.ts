import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The server's route matching is patched (ADR 0023, patches/ applied by `npm install`): route
// trees are flattened and ranked once instead of on every match, compiled path patterns are
// kept, branches with another number of segments are skipped, and the rendered route tree is
// built once per build. These tests hold the patched router (what Node loads: the CommonJS
// build) against React Router's own unpatched code (the ES module build of the same version,
// which only browsers' bundles use), over every route of the app.

const require = createRequire(import.meta.url);
const ROOT = path.resolve(__dirname, "..", "..");

type RouterModule = typeof import("@remix-run/router");
type RouteObject = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteObject[] };

const patched = require("@remix-run/router/dist/router.cjs.js") as RouterModule;
const unpatched = async () => (await import("@remix-run/router/dist/router.js")) as unknown as RouterModule;
/** Our plain route objects as the router's own type (its index/non-index union is stricter than needed here). */
const routerTree = (tree: RouteObject[]) => tree as unknown as Parameters<RouterModule["matchRoutes"]>[0];

/** The app's route tree, as Remix builds it from app/routes (remix.config.js: the same ignored files), and each route's full path. */
function appRoutes(): { tree: RouteObject[]; fullPaths: string[] } {
  type Entry = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };
  const { UNSAFE_flatRoutes } = require("@remix-run/dev") as {
    UNSAFE_flatRoutes: (appDirectory: string, ignored: string[]) => Record<string, Entry>;
  };
  const entries = Object.values(UNSAFE_flatRoutes(path.join(ROOT, "app"), ["**/.*", "**/*.test.*"]));
  const fullPaths: string[] = [];
  const below = (parentId: string, prefix: string): RouteObject[] =>
    entries
      .filter((r) => (r.parentId ?? "root") === parentId)
      .map((r) => {
        const full = r.path ? `${prefix}/${r.path}` : prefix;
        fullPaths.push(full || "/");
        const children = below(r.id, full);
        return { id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, ...(children.length ? { children } : {}) };
      });
  return { tree: [{ id: "root", path: "", children: below("root", "") }], fullPaths };
}

/** Addresses around every route: its own with sample parameters, with a trailing slash, in capitals, one segment longer or shorter. */
function samplePaths(fullPaths: string[]): string[] {
  const paths = new Set(["/", "//", "/programs/a%2Fb/teams", "/programs//x", "/a/b/c/d/e/f/g", "/_root"]);
  for (const full of fullPaths) {
    for (const value of ["x", "%C3%A9t%C3%A9"]) {
      const p = full.replace(/:[\w-]+/g, value).replace(/\*$/, `${value}/${value}`);
      for (const variant of [p, `${p}/`, p.toUpperCase(), `${p}/extra`, p.split("/").slice(0, -1).join("/") || "/"]) paths.add(variant);
    }
  }
  return [...paths];
}

const described = (matches: ReturnType<RouterModule["matchRoutes"]>) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

describe("route matching on the server", () => {
  it("runs the patched router (npm install applies patches/)", () => {
    const source = fs.readFileSync(require.resolve("@remix-run/router/dist/router.cjs.js"), "utf8");
    expect(source, "node_modules/@remix-run/router is not patched: run `npm install` (postinstall: patch-package)").toContain(
      "Rollout Desk patch",
    );
  });

  it("finds the same routes and parameters as React Router's own code for every address of the app, again and again", async () => {
    const reference = await unpatched();
    const { tree, fullPaths } = appRoutes();
    expect(fullPaths.length).toBeGreaterThan(100);
    const paths = samplePaths(fullPaths);
    const expected = new Map(paths.map((p) => [p, JSON.stringify(described(reference.matchRoutes(routerTree(tree), p)))]));
    const mismatches: string[] = [];
    // Twice: the second round is served from what the first one kept.
    for (let round = 0; round < 2; round++) {
      for (const p of paths) {
        const ours = JSON.stringify(described(patched.matchRoutes(routerTree(tree), p)));
        if (ours !== expected.get(p)) mismatches.push(`${p}: ${ours} instead of ${expected.get(p)}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("keeps siblings with the same path in the order they are declared, index routes and optional segments as React Router does", async () => {
    const reference = await unpatched();
    const tree: RouteObject[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "first", path: "same/:a" },
          { id: "second", path: "same/:b" },
          { id: "lang", path: ":lang?/about" },
          { id: "files", path: "files/*" },
          { id: "case", path: "Exact", caseSensitive: true },
          {
            id: "parent",
            path: "parent",
            children: [
              { id: "parent-index", index: true },
              { id: "child", path: ":id" },
            ],
          },
        ],
      },
    ];
    for (const p of [
      "/",
      "/same/1",
      "/about",
      "/en/about",
      "/files",
      "/files/a/b",
      "/Exact",
      "/exact",
      "/parent",
      "/parent/7",
      "/parent/7/8",
    ]) {
      expect(described(patched.matchRoutes(routerTree(tree), p)), p).toEqual(described(reference.matchRoutes(routerTree(tree), p)));
    }
    expect(described(patched.matchRoutes(routerTree(tree), "/same/1"))?.at(-1)?.id).toBe("first");
  });

  it("matches a route tree afresh after routes are patched into it", () => {
    const router = patched.createRouter({
      routes: [{ id: "root", path: "/", children: [{ id: "known", path: "known" }] }],
      history: patched.createMemoryHistory(),
    });
    expect(patched.matchRoutes(router.routes, "/later")).toBeNull();
    router.patchRoutes("root", [{ id: "later", path: "later" }]);
    expect(described(patched.matchRoutes(router.routes, "/later"))?.map((m) => m.id)).toEqual(["root", "later"]);
    router.dispose();
  });

  it("gives every render its own router state even though the route tree is converted once", () => {
    const { createStaticRouter } = require("react-router-dom/server") as typeof import("react-router-dom/server");
    const routes = [{ id: "root", path: "/", children: [{ id: "page", path: ":name" }] }];
    const contextFor = (name: string) => {
      const matches = patched.matchRoutes(routes, `/${name}`)!;
      return {
        basename: "/",
        location: { pathname: `/${name}`, search: "", hash: "", state: null, key: "default" },
        matches,
        loaderData: { root: { user: name }, page: { name } },
        actionData: null,
        errors: null,
        statusCode: 200,
        loaderHeaders: {},
        actionHeaders: {},
        activeDeferreds: null,
        _deepestRenderedBoundaryId: null,
      } as unknown as Parameters<typeof createStaticRouter>[1];
    };
    const ada = createStaticRouter(routes, contextFor("ada"));
    const ben = createStaticRouter(routes, contextFor("ben"));
    expect(ada.state.location.pathname).toBe("/ada");
    expect(ben.state.location.pathname).toBe("/ben");
    expect(ada.state.loaderData).toEqual({ root: { user: "ada" }, page: { name: "ada" } });
    expect(ben.state.loaderData).toEqual({ root: { user: "ben" }, page: { name: "ben" } });
    expect(ada.state.matches.map((m) => m.params.name)).toEqual(["ada", "ada"]);
    expect(ben.state.matches.map((m) => m.params.name)).toEqual(["ben", "ben"]);
  });
});
