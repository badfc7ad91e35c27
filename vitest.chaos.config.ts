import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The chaos suite (tests/chaos, `npm run test:chaos`): real services under injected faults, minutes long,
 * so never part of `npm test` (vitest.config.ts excludes tests/chaos). Files run one at a time: each starts
 * a whole stack on a 2-core machine.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/chaos/**/*.chaos.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    globalSetup: ["./tests/chaos/support/write-report.ts"],
  },
});
