import { benchmarkProblems, createRng } from "@hpo/core";
import type { Params, SyntheticTrainerSpec, TrainerOutcome } from "@hpo/contracts";

export interface SyntheticTrainerContext {
  number: number;
  params: Params;
  seed: number;
  objectiveMetric: string;
  signal: AbortSignal;
  report(step: number, metrics: Record<string, number>): Promise<{ prune: boolean; stop: boolean }>;
}

export type SyntheticOutcome = TrainerOutcome & { state: "complete" | "pruned"; value: number };

/**
 * The value reported after `step` of `steps`: v = f + (1 + |f|)·r with r = (steps − step)/steps.
 * r falls linearly to 0, so the last report is exactly f(params); and v is strictly increasing in f for
 * r < 1, so at every step the trials rank exactly as their final values do. That makes pruning
 * decisions on synthetic studies checkable: the best trial is never behind the median at any step.
 */
export function syntheticIntermediateValue(finalValue: number, step: number, steps: number): number {
  const remaining = (steps - step) / steps;
  return finalValue + (1 + Math.abs(finalValue)) * remaining;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`aborted: ${String(reason)}`);
}

/**
 * Evaluates a core benchmark function as if it were a training run: `steps` reports converging to
 * f(params), `stepDelayMs` apart. Optional Gaussian `noise` (σ, seeded by study seed and trial number)
 * is added to every value, the final one included; without it the final value is exactly f(params).
 */
export async function runSyntheticTrainer(
  spec: SyntheticTrainerSpec,
  ctx: SyntheticTrainerContext,
): Promise<SyntheticOutcome> {
  const problem = benchmarkProblems[spec.problem];
  const steps = spec.steps;
  const stepDelayMs = spec.stepDelayMs;
  const rng = createRng(ctx.seed, ctx.number);
  const noise = () => (spec.noise ? spec.noise * rng.normal() : 0);
  const finalValue = problem.evaluate(ctx.params) + noise();
  let metrics: Record<string, number> = {};
  for (let step = 1; step <= steps; step++) {
    if (stepDelayMs > 0) await sleep(stepDelayMs, ctx.signal);
    else if (ctx.signal.aborted) throw abortError(ctx.signal);
    const value = step === steps ? finalValue : syntheticIntermediateValue(finalValue, step, steps) + noise();
    metrics = { [ctx.objectiveMetric]: value };
    const answer = await ctx.report(step, metrics);
    if (answer.stop) throw new Error("stopped: the service asked this trial to stop");
    if (answer.prune && step < steps) {
      return { state: "pruned", metrics, value, backend: "synthetic" };
    }
  }
  return { state: "complete", metrics, value: finalValue, backend: "synthetic" };
}
