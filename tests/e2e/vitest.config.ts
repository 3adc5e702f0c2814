import path from "node:path";
import { defineConfig } from "vitest/config";

// Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driving the built server.
// One file at a time: each starts a server and a browser, and the machine has two cores.
const root = path.resolve(__dirname, "..", "..");

export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    // Creates the per-run PostgreSQL template when DATABASE_URL is set (startServer copies it).
    globalSetup: ["tests/support/global-setup.ts"],
    hookTimeout: 90_000,
    testTimeout: 90_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
