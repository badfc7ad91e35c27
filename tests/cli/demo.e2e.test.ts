import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "../e2e/support/e2e-stack.js";
import { privateConfigPath, runCli } from "./support/run-cli.js";

/**
 * `hpo demo` end to end on a small budget (the default one, a few minutes on 2 cores, runs in the
 * fresh-clone check of .ci/run): real tfjs trials on digits, then the initializer report.
 */
describe("e2e: hpo demo", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({ label: "demo", workers: [{ concurrency: 2 }] });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("tunes the digits network and reports how each initializer fared and which trials were flagged", async () => {
    await stack.explain(async () => {
      const env = { HPO_API_URL: stack.apiUrl, HPO_TOKEN: stack.user.token, HPO_CONFIG: privateConfigPath() };
      const result = await runCli(
        ["demo", "--trials", "4", "--epochs", "1", "--samples", "600", "--name", "demo-small"],
        env,
        280_000,
      );
      expect(result.code, result.stderr).toBe(0);
      const out = result.stdout;
      expect(out).toContain("study demo-small completed (max_trials): 4/4 trials");
      expect(out).toContain("What the demo learned (val_accuracy, higher is better)");
      for (const initializer of ["zeros", "random", "xavier", "he"]) {
        expect(out).toMatch(new RegExp(`│ ${initializer} +│ [1-9]`));
      }
      expect(out).toMatch(/initializers from best to worst: (\w+ > ){3}zeros/);
      // All-zero weights never break the symmetry: the baseline zeros trial is flagged.
      expect(out).toMatch(/#\d+ zeros: val_accuracy \S+ {2}.*symmetric-weights/);
      expect(out).toContain("⚑ symmetric weights:");
    });
  }, 300_000);
});
