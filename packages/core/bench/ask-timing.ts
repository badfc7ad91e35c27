import { benchmarkProblems, createRandomSampler, createSampler, type HistoryTrial } from "@hpo/core";
import type { SamplerConfig, Space } from "@hpo/contracts";
import { median } from "./bench-stats.js";

/**
 * Median wall time of one `ask` (sample of 1) with n completed trials, the figure Optuna's reference
 * gives (15/23/52 ms for its TPE at 100/300/1000 trials on 6 continuous params).
 */
export interface AskTimingSpace {
  name: string;
  space: Space;
  evaluate(params: Record<string, unknown>): number;
}

const six: Space = Array.from({ length: 6 }, (_, i) => ({
  name: `x${i}`,
  type: "float" as const,
  low: -5,
  high: 5,
}));

export const timingSpaces: AskTimingSpace[] = [
  {
    name: "6 continuous params",
    space: six,
    evaluate: (p) => Object.values(p).reduce<number>((a, v) => a + (Number(v) - 1) ** 2, 0),
  },
  {
    name: "mlp-surrogate-a",
    space: benchmarkProblems["mlp-surrogate-a"].space,
    evaluate: (p) => benchmarkProblems["mlp-surrogate-a"].evaluate(p as never),
  },
];

function history(target: AskTimingSpace, n: number): HistoryTrial[] {
  const random = createRandomSampler(target.space);
  const { suggestions } = random.sample({
    space: target.space,
    direction: "minimize",
    trials: [],
    count: n,
    seed: 99,
    firstNumber: 0,
    state: null,
  });
  return suggestions.map((params, number) => ({
    number,
    params,
    state: "complete",
    value: target.evaluate(params),
    reports: [],
  }));
}

/** Times up to `maxReps` asks (fewer when each is slow, so the whole stays within ~`budgetMs`). */
export function timeAsk(
  type: SamplerConfig["type"],
  target: AskTimingSpace,
  n: number,
  maxReps = 20,
  budgetMs = 8000,
): number {
  const trials = history(target, n);
  const sampler = createSampler({ type }, target.space);
  const times: number[] = [];
  let state = null;
  // Two untimed asks first: a scheduler is a long-running process, so steady-state (JIT-compiled) cost
  // is the relevant figure.
  for (let rep = 0; rep < 2; rep++) {
    state = sampler.sample({
      space: target.space,
      direction: "minimize",
      trials,
      count: 1,
      seed: 1000 + rep,
      firstNumber: n,
      state,
      budget: { maxTrials: n + 1, parallelism: 1 },
    }).state;
  }
  const started = performance.now();
  for (let rep = 0; rep < maxReps; rep++) {
    const t = performance.now();
    const r = sampler.sample({
      space: target.space,
      direction: "minimize",
      trials,
      count: 1,
      seed: rep,
      firstNumber: n,
      state,
      budget: { maxTrials: n + 1, parallelism: 1 },
    });
    times.push(performance.now() - t);
    state = r.state;
    if (performance.now() - started > budgetMs && times.length >= 3) break;
  }
  return median(times);
}
