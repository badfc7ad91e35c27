import { afterAll, describe, expect, it } from "vitest";
import type { ChildTrialJob } from "@hpo/contracts";
import { startChildTrial, warmChildPool } from "./run-child-trial.js";

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

const noPrune = () => Promise.resolve({ prune: false, stop: false });
const quickTrainer = { type: "synthetic", problem: "branin", steps: 2, stepDelayMs: 0 } as const;
const slowTrainer = { type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 60_000 } as const;

afterAll(() => warmChildPool.close());

describe("warm trial processes", () => {
  it("runs the next synthetic trial in the process that ended the last one cleanly", async () => {
    const first = startChildTrial({ job: job(quickTrainer), onReport: noPrune });
    expect((await first.result).kind).toBe("outcome");
    const second = startChildTrial({ job: job(quickTrainer, { x1: 1, x2: 1 }), onReport: noPrune });
    const result = await second.result;
    expect(second.pid).toBe(first.pid);
    expect(second.pid).not.toBe(process.pid);
    expect(result.kind === "outcome" && result.outcome.state).toBe("complete");
  }, 30_000);

  it("never reuses a process that was killed (a crash): the next trial gets a fresh one and completes", async () => {
    const doomed = startChildTrial({ job: job(slowTrainer), onReport: noPrune });
    await new Promise((resolve) => setTimeout(resolve, 200));
    doomed.kill();
    expect(await doomed.result).toMatchObject({ kind: "exited", signal: "SIGKILL" });
    const next = startChildTrial({ job: job(quickTrainer), onReport: noPrune });
    expect(next.pid).not.toBe(doomed.pid);
    expect((await next.result).kind).toBe("outcome");
  }, 30_000);

  it("retires a process whose trial was aborted (a hung or timed-out trainer)", async () => {
    const hung = startChildTrial({ job: job(slowTrainer), onReport: noPrune, killGraceMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    hung.abort("timeout");
    await hung.result;
    const next = startChildTrial({ job: job(quickTrainer), onReport: noPrune });
    expect(next.pid).not.toBe(hung.pid);
    expect((await next.result).kind).toBe("outcome");
  }, 30_000);

  it("retires a process whose trainer threw, and keeps one apart per GPU pinning", async () => {
    const failing = startChildTrial({ job: job(quickTrainer, { x1: "bad" }), onReport: noPrune });
    expect((await failing.result).kind).toBe("error");
    const pinned = startChildTrial({
      job: job(quickTrainer),
      env: { CUDA_VISIBLE_DEVICES: "1" },
      onReport: noPrune,
    });
    expect(pinned.pid).not.toBe(failing.pid);
    await pinned.result;
    const unpinned = startChildTrial({ job: job(quickTrainer), onReport: noPrune });
    expect(unpinned.pid).not.toBe(pinned.pid);
    await unpinned.result;
  }, 30_000);

  it("gives every command-trainer trial a fresh process", async () => {
    const program = "console.log('HPO_RESULT ' + JSON.stringify({ loss: process.pid }))";
    const trainer: ChildTrialJob["trainer"] = {
      type: "command",
      command: [process.execPath, "-e", program],
      timeoutSeconds: 60,
      gpusPerTrial: 0,
    };
    const first = startChildTrial({ job: job(trainer, {}), onReport: noPrune });
    expect((await first.result).kind).toBe("outcome");
    const second = startChildTrial({ job: job(trainer, {}), onReport: noPrune });
    expect((await second.result).kind).toBe("outcome");
    expect(second.pid).not.toBe(first.pid);
  }, 60_000);
});

describe("a settled trial's handle", () => {
  it("cannot kill the warm process after it moved on to the next trial (a late prune-grace kill)", async () => {
    const first = startChildTrial({ job: job(quickTrainer), onReport: noPrune });
    await first.result;
    const second = startChildTrial({
      job: job({ type: "synthetic", problem: "branin", steps: 3, stepDelayMs: 100 }),
      onReport: noPrune,
    });
    expect(second.pid).toBe(first.pid);
    first.kill();
    first.abort("late");
    const result = await second.result;
    expect(result.kind === "outcome" && result.outcome.state).toBe("complete");
  }, 30_000);
});
