import { benchmarkProblems, type BenchmarkProblemName } from "@hpo/core";
import type { SamplerConfig } from "@hpo/contracts";
import { runBenchmarkStudy } from "./run-benchmark-study.js";

/** One study of the protocol; what a worker thread runs. */
export interface BenchJob {
  problem: BenchmarkProblemName;
  sampler: SamplerConfig["type"];
  batch: number;
  seed: number;
}

export interface BenchJobResult extends BenchJob {
  /** Regret of the best value among the first k trials, for each protocol checkpoint. */
  regretAt: Record<number, number>;
  seconds: number;
}

export const BUDGET = 60;
export const CHECKPOINTS = [10, 20, 30, 45, 60] as const;

export function runBenchJob(job: BenchJob): BenchJobResult {
  const problem = benchmarkProblems[job.problem];
  const started = performance.now();
  const { values } = runBenchmarkStudy(problem, { type: job.sampler }, job.seed, BUDGET, job.batch);
  const regretAt: Record<number, number> = {};
  for (const k of CHECKPOINTS) {
    regretAt[k] = Math.max(0, Math.min(...values.slice(0, k)) - problem.optimum);
  }
  return { ...job, regretAt, seconds: (performance.now() - started) / 1000 };
}
