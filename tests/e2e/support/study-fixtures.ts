import { benchmarkProblems } from "@hpo/core";
import type { Params, Space } from "@hpo/contracts";

export interface SyntheticStudyOptions {
  name: string;
  problem?: "branin" | "hartmann3" | "rosenbrock4" | "mlp-surrogate-a";
  sampler?: Record<string, unknown>;
  pruner?: Record<string, unknown>;
  maxTrials: number;
  parallelism: number;
  steps?: number;
  stepDelayMs?: number;
  maxRetries?: number;
  seed?: number;
}

/** A study over a core benchmark function, trained by the synthetic trainer on the workers. */
export function syntheticStudy(options: SyntheticStudyOptions) {
  const problem = options.problem ?? "branin";
  return {
    name: options.name,
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems[problem].space,
    sampler: options.sampler ?? { type: "random" },
    pruner: options.pruner ?? { type: "none" },
    budget: {
      maxTrials: options.maxTrials,
      parallelism: options.parallelism,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    },
    trainer: {
      type: "synthetic",
      problem,
      steps: options.steps ?? 3,
      stepDelayMs: options.stepDelayMs ?? 20,
    },
    seed: options.seed ?? 1,
  };
}

export function evaluateProblem(problem: keyof typeof benchmarkProblems, params: Params): number {
  return benchmarkProblems[problem].evaluate(params);
}

export type { Space };
