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
  {
    // Migrations are typed `Kysely<any>` on purpose: they are frozen in time and must not depend
    // on today's `Database` interface (see STYLE: migrations never import app code).
    files: ["db/migrations/**/*.ts", "db/migrate.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
