/**
 * Before/after of warm trial processes (packages/worker/src/child/warm-child-pool.ts): wall time per
 * synthetic trial (Branin, one step, no delay) run through startChildTrial one after another, with a warm
 * process reused and with a fresh process per trial (the pool disabled). `tsx tests/bench/system/run-child-reuse-bench.ts`
 */
// Imported by path: the pool is an implementation detail of the worker package, not its API.
import { startChildTrial, warmChildPool } from "../../../packages/worker/src/child/run-child-trial.js";
import { load1 } from "./figures.js";

const trials = Number(process.argv[2] ?? 20);

async function runTrials(): Promise<number> {
  const started = performance.now();
  for (let number = 0; number < trials; number++) {
    const handle = startChildTrial({
      job: {
        trialId: `t${number}`,
        studyId: "s",
        number,
        params: { x1: 1, x2: 2 },
        seed: 1,
        objectiveMetric: "loss",
        gpuIds: [],
        backend: "cpu",
        trainer: { type: "synthetic", problem: "branin", steps: 1, stepDelayMs: 0 },
      },
      onReport: () => Promise.resolve({ prune: false, stop: false }),
    });
    const result = await handle.result;
    if (result.kind !== "outcome") throw new Error(`trial ${number} ended ${result.kind}`);
  }
  return (performance.now() - started) / trials;
}

const warm = await runTrials();
warmChildPool.close();
warmChildPool.options.maxIdlePerKey = 0;
const fresh = await runTrials();
process.stdout.write(
  `[child reuse] ${trials} synthetic trials one after another: warm process ${warm.toFixed(1)} ms/trial, fresh process ${fresh.toFixed(1)} ms/trial (${(fresh / warm).toFixed(1)}×); load ${load1().toFixed(1)}\n`,
);
process.exit(0);
