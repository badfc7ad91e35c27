import { describe, expect, it } from "vitest";
import { benchmarkProblems } from "@hpo/core";
import type { ChildTrialJob } from "@hpo/contracts";
import { startInProcessTrial } from "./run-in-process-trial.js";

const job: ChildTrialJob = {
  trialId: "t",
  studyId: "s",
  number: 0,
  params: { x1: 2, x2: 3 },
  seed: 1,
  objectiveMetric: "loss",
  gpuIds: [],
  backend: "cpu",
  trainer: { type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 1 },
};

describe("in-process synthetic trials", () => {
  it("give the same outcome as a child would", async () => {
    const steps: number[] = [];
    const handle = startInProcessTrial({
      job,
      onReport: (step) => {
        steps.push(step);
        return Promise.resolve({ prune: false, stop: false });
      },
    });
    const f = benchmarkProblems.branin.evaluate({ x1: 2, x2: 3 });
    expect(await handle.result).toEqual({
      kind: "outcome",
      outcome: { state: "complete", metrics: { loss: f }, value: f, backend: "synthetic" },
    });
    expect(steps).toEqual([1, 2, 3]);
  });

  it("abort ends the trainer with the reason; kill settles at once", async () => {
    const slow = {
      ...job,
      trainer: { type: "synthetic" as const, problem: "branin" as const, steps: 3, stepDelayMs: 60_000 },
    };
    const aborted = startInProcessTrial({
      job: slow,
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    aborted.abort("timeout");
    const result = await aborted.result;
    expect(result.kind === "error" && result.message).toMatch(/timeout/);
    const killed = startInProcessTrial({
      job: slow,
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    killed.kill();
    expect(await killed.result).toMatchObject({ kind: "exited", signal: "SIGKILL" });
  });
});
