import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems, maxConcurrentTrials } from "./support/invariants.js";
import { evaluateProblem, syntheticStudy } from "./support/study-fixtures.js";

/** A random study of 20 synthetic trials, parallelism 4, two workers. */
describe("e2e: random study across two workers", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "random",
      workers: [{ concurrency: 2 }, { concurrency: 2 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("completes 20 trials numbered 0..19 whose values are the function at the stored params", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "random-20", maxTrials: 20, parallelism: 4, steps: 3, stepDelayMs: 20 }),
      );
      const started = Date.now();
      await stack.waitForStudyState(studyId, ["completed"], 120_000);
      const seconds = (Date.now() - started) / 1000;
      printFigure("random study, 20 synthetic trials, parallelism 4, 2 workers: wall time", seconds, "s");
      printFigure("random study throughput", 20 / seconds, "trials/s");
      const trials = await stack.trials(studyId);
      expect(countByState(trials)).toEqual({ complete: 20 });
      expect(trials.map((trial) => trial.number)).toEqual([...Array(20).keys()]);
      expect(findNumberingProblems(trials)).toEqual([]);
      for (const trial of trials) {
        expect(trial.value).toBe(evaluateProblem("branin", trial.params as Record<string, number>));
        expect(trial.origin).toBe("random");
        expect(trial.reports.map((report) => report.step)).toEqual([1, 2, 3]);
      }
      expect(maxConcurrentTrials(trials)).toBeLessThanOrEqual(4);
      // Both workers took part, and both are listed by the API.
      expect(new Set(trials.map((trial) => trial.workerId)).size).toBe(2);
      const workers = await stack.user.ok<{ items?: { id: string; slots: number }[] } | { id: string }[]>(
        "GET",
        "/v1/workers",
      );
      const listed = Array.isArray(workers) ? workers : (workers.items ?? []);
      expect(listed.map((worker) => worker.id).sort()).toEqual([...stack.workers.keys()].sort());
    });
  }, 150_000);
});
