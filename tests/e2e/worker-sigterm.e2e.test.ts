import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2eStack, printFigure, waitForRunningTrial } from "./support/e2e-stack.js";
import { countByState, findNumberingProblems } from "./support/invariants.js";
import { syntheticStudy } from "./support/study-fixtures.js";

/** SIGTERM to a worker mid-trial. */
describe("e2e: SIGTERM to a worker mid-trial", () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await E2eStack.start({ label: "sigterm", workers: [] });
  }, 90_000);
  afterAll(async () => {
    await stack.dispose();
  }, 60_000);

  it("lets a trial that fits in the grace period finish, then exits 0", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "short", maxTrials: 1, parallelism: 1, steps: 5, stepDelayMs: 300 }),
      );
      const worker = stack.startWorker({
        id: "graceful",
        concurrency: 1,
        env: { HPO_SHUTDOWN_GRACE_MS: "8000" },
      });
      const trial = await waitForRunningTrial(stack, studyId, { workerId: "graceful", minReports: 1 });
      const signalledAt = Date.now();
      worker.kill("SIGTERM");
      const exit = await worker.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(8_000);
      printFigure("SIGTERM, trial finishes within grace: exit after", (Date.now() - signalledAt) / 1000, "s");
      const finished = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
      expect(finished.state).toBe("complete");
      await stack.waitForStudyState(studyId, ["completed"], 30_000);
    });
  }, 120_000);

  it("hands back a trial that outlives the grace period; another worker completes the study", async () => {
    await stack.explain(async () => {
      const studyId = await stack.createStudy(
        syntheticStudy({ name: "long", maxTrials: 2, parallelism: 1, steps: 20, stepDelayMs: 400 }),
      );
      const worker = stack.startWorker({
        id: "impatient",
        concurrency: 1,
        env: { HPO_SHUTDOWN_GRACE_MS: "1000" },
      });
      const trial = await waitForRunningTrial(stack, studyId, { workerId: "impatient", minReports: 1 });
      const signalledAt = Date.now();
      worker.kill("SIGTERM");
      const exit = await worker.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      // Grace (1 s) + the trainer's wind-down, far less than the 8 s the trial still needed.
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      printFigure("SIGTERM, trial outlives 1 s grace: exit after", (Date.now() - signalledAt) / 1000, "s");
      const released = await stack.db.prisma.trial.findUniqueOrThrow({ where: { id: trial.id } });
      expect(released.state).toBe("abandoned");
      expect(released.error).toMatch(/released/);

      stack.startWorker({ id: "successor", concurrency: 1 });
      await stack.waitForStudyState(studyId, ["completed"], 90_000);
      const trials = await stack.trials(studyId);
      expect(findNumberingProblems(trials)).toEqual([]);
      expect(countByState(trials)).toEqual({ complete: 2, abandoned: 1 });
      const retry = trials.find((t) => t.retryOf === trial.id);
      expect(retry?.state).toBe("complete");
      expect(retry?.params).toEqual(trial.params);
    });
  }, 150_000);
});
