import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of the workspace packages, never stale dist/ builds.
    alias: [
      { find: /^@hpo\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      // Test helpers live behind a `testing` subpath, never in a production entry point.
      { find: /^@hpo\/([a-z-]+)\/testing$/, replacement: `${root}packages/$1/src/testing/index.ts` },
    ],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/web/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    // The fresh-clone check (npm ci in a clone, minutes) runs only when asked: .ci/run and npm run test:fresh-clone.
    exclude: [
      "**/node_modules/**",
      "**/dist/**",
      ...(process.env["HPO_FRESH_CLONE_TEST"] === "1" ? [] : ["tests/fresh-clone/**"]),
    ],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
