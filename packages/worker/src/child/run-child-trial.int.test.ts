import { describe, expect, it } from "vitest";
import { benchmarkProblems } from "@hpo/core";
import { describeChildExit, startChildTrial } from "./run-child-trial.js";
import type { ChildTrialJob } from "@hpo/contracts";

function job(
  trainer: ChildTrialJob["trainer"],
  params: ChildTrialJob["params"] = { x1: 2, x2: 3 },
): ChildTrialJob {
  return {
    trialId: "t",
    studyId: "s",
    number: 0,
    params,
    seed: 1,
    objectiveMetric: "loss",
    gpuIds: [],
    backend: "cpu",
    trainer,
  };
}

describe("per-trial child process", () => {
  it("runs the synthetic trainer in a child, relays reports over IPC and returns the outcome", async () => {
    const steps: number[] = [];
    const handle = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 1 }),
      onReport: (step) => {
        steps.push(step);
        return Promise.resolve({ prune: false, stop: false });
      },
    });
    expect(handle.pid).toBeGreaterThan(0);
    expect(handle.pid).not.toBe(process.pid);
    const result = await handle.result;
    expect(result).toEqual({
      kind: "outcome",
      outcome: {
        state: "complete",
        metrics: { loss: benchmarkProblems.branin.evaluate({ x1: 2, x2: 3 }) },
        value: benchmarkProblems.branin.evaluate({ x1: 2, x2: 3 }),
        backend: "synthetic",
      },
    });
    expect(steps).toEqual([1, 2, 3]);
  }, 30_000);

  it("passes the prune answer to the trainer, which ends pruned", async () => {
    const handle = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 5, stepDelayMs: 0 }),
      onReport: (step) => Promise.resolve({ prune: step === 1, stop: false }),
    });
    const result = await handle.result;
    expect(result.kind === "outcome" && result.outcome.state).toBe("pruned");
  }, 30_000);

  it("turns a trainer error into an error result with its text", async () => {
    const handle = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 2, stepDelayMs: 0 }, { x1: "not a number" }),
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    const result = await handle.result;
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.message).toMatch(/x1/);
  }, 30_000);

  it("survives the child being killed (crash / OOM) and reports how it died", async () => {
    const handle = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 60_000 }),
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    handle.kill();
    const result = await handle.result;
    expect(result).toMatchObject({ kind: "exited", signal: "SIGKILL" });
    if (result.kind === "exited") expect(describeChildExit(result)).toMatch(/killed by SIGKILL/);
  }, 30_000);

  it("aborts a running trainer through its signal, well before the SIGKILL deadline", async () => {
    const handle = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 60_000 }),
      onReport: () => Promise.resolve({ prune: false, stop: false }),
      killGraceMs: 2_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    handle.abort("timeout");
    const result = await handle.result;
    // The synthetic trainer honours its AbortSignal, so it ends before the kill.
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.message).toMatch(/timeout/);
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 30_000);

  it("pins the child to its GPUs with CUDA_VISIBLE_DEVICES (seen by a command trainer's program)", async () => {
    const program =
      "console.log('HPO_RESULT ' + JSON.stringify({ loss: Number(process.env.CUDA_VISIBLE_DEVICES) }))";
    const handle = startChildTrial({
      job: job(
        { type: "command", command: [process.execPath, "-e", program], timeoutSeconds: 60, gpusPerTrial: 0 },
        {},
      ),
      env: { CUDA_VISIBLE_DEVICES: "3" },
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    const result = await handle.result;
    expect(result.kind === "outcome" && result.outcome).toMatchObject({ state: "complete", value: 3 });
  }, 60_000);

  it("keeps the worker's key and Redis out of a trial's process; allowed variables pass", async () => {
    const saved = {
      token: process.env.HPO_TOKEN,
      redis: process.env.REDIS_URL,
      omp: process.env.OMP_NUM_THREADS,
    };
    process.env.HPO_TOKEN = "hpo_secret_of_the_worker";
    process.env.REDIS_URL = "redis://secret-host:6379";
    process.env.OMP_NUM_THREADS = "7";
    const program = [
      "const seen = ['HPO_TOKEN', 'REDIS_URL'].filter((name) => process.env[name] !== undefined).length;",
      "console.log('HPO_RESULT ' + JSON.stringify({ loss: seen, omp: Number(process.env.OMP_NUM_THREADS) }))",
    ].join("\n");
    try {
      const handle = startChildTrial({
        job: job(
          {
            type: "command",
            command: [process.execPath, "-e", program],
            timeoutSeconds: 60,
            gpusPerTrial: 0,
          },
          {},
        ),
        onReport: () => Promise.resolve({ prune: false, stop: false }),
      });
      const result = await handle.result;
      expect(result.kind === "outcome" && result.outcome).toMatchObject({
        state: "complete",
        value: 0,
        metrics: { omp: 7 },
      });
    } finally {
      // Restored with Reflect (the lint rule forbids `delete` on computed keys).
      for (const [name, value] of [
        ["HPO_TOKEN", saved.token],
        ["REDIS_URL", saved.redis],
        ["OMP_NUM_THREADS", saved.omp],
      ] as const) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    }
  }, 60_000);
});
