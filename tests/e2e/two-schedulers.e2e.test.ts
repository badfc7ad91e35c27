import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems, maxConcurrentTrials } from "./support/invariants.js";
import { syntheticStudy } from "./support/study-fixtures.js";

const PARALLELISM = [1, 2, 3, 2, 1];
const SAMPLERS = ["random", "sobol", "tpe", "random", "random"];

/** Done-when 4: two scheduler processes at once on five studies. */
describe("e2e: two schedulers, five studies", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({
      label: "twosched",
      syntheticInProcess: true,
      schedulers: 2,
      workers: [{ concurrency: 4 }, { concurrency: 4 }],
    });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("never duplicates a number and never exceeds a study's parallelism", async () => {
    await stack.explain(async () => {
      const ids = await Promise.all(
        PARALLELISM.map((parallelism, index) =>
          stack.createStudy(
            syntheticStudy({
              name: `study-${index}`,
              sampler: { type: SAMPLERS[index] ?? "random" },
              maxTrials: 8,
              parallelism,
              steps: 2,
              stepDelayMs: 30,
              seed: index,
            }),
          ),
        ),
      );
      for (const id of ids) await stack.waitForStudyState(id, ["completed"], 150_000);
      for (const [index, id] of ids.entries()) {
        const trials = await stack.trials(id);
        expect(findNumberingProblems(trials), `study ${index}`).toEqual([]);
        expect(countByState(trials), `study ${index}`).toEqual({ complete: 8 });
        expect(maxConcurrentTrials(trials), `study ${index}`).toBeLessThanOrEqual(PARALLELISM[index] ?? 0);
      }
      // Both schedulers really ran (each logged its start) and neither crashed.
      const schedulers = stack.services.filter((service) => service.name === "scheduler");
      expect(schedulers).toHaveLength(2);
      for (const scheduler of schedulers) expect(scheduler.child.exitCode).toBeNull();
    });
  }, 200_000);
});
