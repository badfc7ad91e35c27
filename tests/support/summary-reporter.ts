import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the one closing line CI reads: `tests: N passed, N failed, N skipped`.
 * Vitest's own summary is not a format CI understands, so this reporter runs beside it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let failedInModule = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failedInModule += 1;
        else skipped += 1;
      }
      // A file can fail with every test green (it failed to load, or a beforeAll/afterAll hook threw or
      // timed out): count the file itself as a failure so CI never reports such a run as clean.
      if (testModule.state() === "failed" && failedInModule === 0) failedInModule = 1;
      failed += failedInModule;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
