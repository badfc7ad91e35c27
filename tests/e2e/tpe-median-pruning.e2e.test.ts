import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems } from "./support/invariants.js";
import { evaluateProblem, syntheticStudy } from "./support/study-fixtures.js";

const STEPS = 6;
const STEP_DELAY_MS = 40;

/** A TPE study with the median pruner. */
describe("e2e: tpe with the median pruner", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "pruning",
      inProcess: true,
      workers: [{ concurrency: 2 }, { concurrency: 2 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("prunes some trials, never the best one, and pruned trials stop at the decision", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({
          name: "tpe-median",
          // Ten Sobol start-up points of mixed quality, compared once three trials completed: the
          // worse half gets pruned whatever order the workers finish in.
          sampler: { type: "tpe", nStartupTrials: 10 },
          pruner: { type: "median", warmupSteps: 1, minTrials: 3 },
          maxTrials: 24,
          parallelism: 2,
          steps: STEPS,
          stepDelayMs: STEP_DELAY_MS,
        }),
      );
      await stack.waitForStudyState(studyId, ["completed"], 150_000);
      const trials = await stack.trials(studyId);
      expect(findNumberingProblems(trials)).toEqual([]);
      const counts = countByState(trials);
      expect(counts.complete ?? 0).toBeGreaterThan(0);
      expect(counts.pruned ?? 0).toBeGreaterThan(0);
      printFigure("tpe + median pruner: pruned trials of 24", counts.pruned ?? 0, "trials");
      expect((counts.complete ?? 0) + (counts.pruned ?? 0)).toBe(24);
      expect(trials.some((trial) => trial.origin === "tpe")).toBe(true);

      // The synthetic curves keep the final ranking at every step, so the trial with the best f(params)
      // is never behind the median: pruning it would be a wrong decision.
      const withF = trials.map((trial) => ({
        trial,
        f: evaluateProblem("branin", trial.params as Record<string, number>),
      }));
      const best = withF.reduce((a, b) => (b.f < a.f ? b : a));
      expect(best.trial.state).toBe("complete");
      expect(best.trial.value).toBe(best.f);

      for (const { trial } of withF.filter(({ trial }) => trial.state === "pruned")) {
        const steps = trial.reports.map((report) => report.step);
        // It stopped early, reported no step after the pruning decision, and ended right after it.
        expect(steps.length).toBeLessThan(STEPS);
        expect(steps).toEqual([...Array(steps.length).keys()].map((i) => i + 1));
        const last = trial.reports.at(-1);
        expect(last).toBeDefined();
        if (last && trial.finishedAt) {
          expect(trial.finishedAt.getTime() - last.createdAt.getTime()).toBeLessThan(STEP_DELAY_MS + 2_000);
        }
      }
    });
  }, 180_000);
});
