import type { SamplerConfig } from "@hpo/contracts";
import { createSampler, hypervolume, type HistoryTrial, type JsonValue } from "@hpo/core";
import { moProblems } from "./mo-problems.js";

/**
 * One multi-objective or constrained study of the protocol described in docs/benchmarks.md: a fresh study, all
 * objectives minimized, sequential (ask 1, evaluate, tell) or batched (ask `batch` before telling any).
 * Scores: HV regret = trueHv − HV(found points, ref) at 50 and 100 trials; constrained: best feasible value
 * − optimum at 20/40/60 trials (Infinity while nothing feasible was found, as Optuna's reference does).
 */
export interface MoBenchJob {
  problem: string;
  sampler: SamplerConfig["type"];
  batch: number;
  seed: number;
}

export interface MoBenchJobResult extends MoBenchJob {
  scoreAt: Record<number, number>;
  askMs: number[];
  seconds: number;
}

export const MO_CHECKPOINTS = [50, 100];
export const CONSTRAINED_CHECKPOINTS = [20, 40, 60];

export function runMoBenchJob(job: MoBenchJob): MoBenchJobResult {
  const problem = moProblems.find((p) => p.name === job.problem);
  if (problem === undefined) throw new Error(`unknown problem ${job.problem}`);
  const started = performance.now();
  const sampler = createSampler({ type: job.sampler }, problem.space);
  const directions = new Array<"minimize">(problem.objectives).fill("minimize");
  const constraintCount = problem.kind === "constrained" ? 2 : 0;
  const trials: HistoryTrial[] = [];
  const askMs: number[] = [];
  let state: JsonValue | null = null;
  while (trials.length < problem.budget) {
    const count = Math.min(job.batch, problem.budget - trials.length);
    const t0 = performance.now();
    const result = sampler.sample({
      space: problem.space,
      direction: "minimize",
      directions,
      constraintCount,
      trials,
      count,
      seed: job.seed,
      firstNumber: trials.length,
      state,
      budget: { maxTrials: problem.budget, parallelism: job.batch },
    });
    askMs.push(performance.now() - t0);
    state = result.state;
    if (result.suggestions.length === 0) break;
    const asked = result.suggestions.map((params, k): HistoryTrial => ({
      number: trials.length + k,
      params,
      state: "running",
      reports: [],
    }));
    trials.push(...asked);
    for (const t of asked) {
      const x = problem.space.map((p) => Number(t.params[p.name]));
      const { f, c } = problem.evaluate(x);
      t.state = "complete";
      t.value = f[0] ?? Number.NaN;
      if (f.length > 1) t.values = f;
      if (c.length > 0) t.constraintViolations = c;
    }
  }
  const scoreAt: Record<number, number> = {};
  if (problem.kind === "mo") {
    for (const k of MO_CHECKPOINTS) {
      const pts = trials.slice(0, k).map((t) => t.values ?? []);
      scoreAt[k] = (problem.trueHv ?? 0) - hypervolume(pts, problem.ref ?? [], directions);
    }
  } else {
    for (const k of CONSTRAINED_CHECKPOINTS) {
      let best = Infinity;
      for (const t of trials.slice(0, k))
        if ((t.constraintViolations ?? []).every((v) => v <= 0)) best = Math.min(best, t.value ?? Infinity);
      scoreAt[k] = Math.max(0, best - (problem.optimum ?? 0));
    }
  }
  return { ...job, scoreAt, askMs, seconds: (performance.now() - started) / 1000 };
}
