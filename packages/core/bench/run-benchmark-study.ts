import {
  createSampler,
  type BenchmarkProblem,
  type HistoryTrial,
  type JsonValue,
  type Sampler,
} from "@hpo/core";
import type { SamplerConfig } from "@hpo/contracts";

/**
 * One benchmark run of the optimizer bench protocol (docs/benchmarks.md): a fresh study, minimize, `budget`
 * trials, sequential (ask 1, evaluate, tell) or batched (ask `batch` before telling any, then tell them
 * in ask order). Drives the sampler contract directly, as the scheduler does.
 */
export interface BenchRunResult {
  values: number[];
  /** Wall time of each sample() call in ms. */
  askMs: number[];
  trials: HistoryTrial[];
}

export function runBenchmarkStudy(
  problem: BenchmarkProblem,
  config: SamplerConfig | ((space: BenchmarkProblem["space"]) => Sampler),
  seed: number,
  budget: number,
  batch: number,
  /** Warm start: trials of earlier studies (prepareWarmStart), passed to every ask. */
  priorTrials?: readonly HistoryTrial[],
): BenchRunResult {
  const sampler = typeof config === "function" ? config(problem.space) : createSampler(config, problem.space);
  const trials: HistoryTrial[] = [];
  const values: number[] = [];
  const askMs: number[] = [];
  let state: JsonValue | null = null;
  while (trials.length < budget) {
    const count = Math.min(batch, budget - trials.length);
    const started = performance.now();
    const result = sampler.sample({
      space: problem.space,
      direction: "minimize",
      trials,
      count,
      seed,
      firstNumber: trials.length,
      state,
      budget: { maxTrials: budget, parallelism: batch },
      ...(priorTrials === undefined ? {} : { priorTrials }),
    });
    askMs.push(performance.now() - started);
    state = result.state;
    const asked = result.suggestions.map((params, k) => {
      const trial: HistoryTrial = { number: trials.length + k, params, state: "running", reports: [] };
      return trial;
    });
    if (asked.length === 0) break;
    trials.push(...asked);
    for (const trial of asked) {
      const value = problem.evaluate(trial.params);
      trial.state = "complete";
      trial.value = value;
      values.push(value);
    }
  }
  return { values, askMs, trials };
}
