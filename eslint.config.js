// ESLint flat config: JavaScript and TypeScript recommended rules, plus the rules of hooks.
// Type checking itself is `npm run typecheck` (tsc); lint stays fast and syntax-level.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// The Node globals the plain-JavaScript files (server entry, configs) may use. TypeScript files
// get theirs from tsc, which is why typescript-eslint turns `no-undef` off for them.
const nodeGlobals = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "URLSearchParams",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "structuredClone",
    "fetch",
    "Request",
    "Response",
    "Headers",
    "AbortController",
    "crypto",
    "__dirname",
  ].map((name) => [name, "readonly"]),
);

export default tseslint.config(
  {
    ignores: ["build/", "public/build/", "node_modules/", "tests/.tmp/", "data/", ".cache/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ["**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // A React Compiler-era hint (v7 preset): worth fixing, but not a correctness error in an
      // app that does not run the compiler, so it warns instead of failing the build.
      "react-hooks/set-state-in-effect": "warn",
    },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (e.g. a destructured field left out of a row).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  // The layering (STYLE.md): the database only through models, Lucia only through the auth module,
  // no Remix inside the domain.
  {
    files: ["app/routes/**", "app/components/**", "app/root.tsx", "app/entry.*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "kysely", message: "Routes and components call models (app/models); SQL lives there." },
            { name: "lucia", message: "Only app/utils/auth.server.ts talks to Lucia." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/models/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "lucia", message: "Only app/utils/auth.server.ts talks to Lucia." }],
          patterns: [{ group: ["@remix-run/*"], message: "Models are plain TypeScript: no Remix (return data; routes answer HTTP)." }],
        },
      ],
    },
  },
  {
    files: ["app/utils/**", "app/validation/**", "db/**", "tests/**", "server/**"],
    ignores: ["app/utils/auth.server.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "lucia", message: "Only app/utils/auth.server.ts talks to Lucia." }] }],
    },
  },
  {
    // Migrations are typed `Kysely<any>` on purpose: they are frozen in time and must not depend
    // on today's `Database` interface (see STYLE: migrations never import app code).
    files: ["db/migrations/**/*.ts", "db/migrate.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
