import type { Params, PrunerConfigInput } from "@hpo/contracts";
import { describe, expect, it } from "vitest";
import { benchmarkProblems, type BenchmarkProblemName } from "../bench-problems/benchmark-problems.js";
import { createRng } from "../rng/create-rng.js";
import { createPruner } from "./create-pruner.js";
import { simulatePrunedStudy } from "./simulate-pruned-study.js";

/**
 * Curves shaped like the worker's synthetic trainer (packages/worker/src/synthetic/synthetic-trainer.ts):
 * after step s of S the trial reports
 * v = f + (1 + |f|)·(S − s)/S, converging to the benchmark value f. Trials rank at every step as their final
 * values do, which is what lets the end-to-end test assert "the best trial is never pruned".
 */
function syntheticCurve(finalValue: number, steps: number): number[] {
  return Array.from(
    { length: steps },
    (_, k) => finalValue + (1 + Math.abs(finalValue)) * ((steps - (k + 1)) / steps),
  );
}

function randomParams(problem: BenchmarkProblemName, seed: number, count: number): Params[] {
  const rng = createRng(seed, 77);
  return Array.from({ length: count }, () => {
    const params: Params = {};
    for (const spec of benchmarkProblems[problem].space) {
      if (spec.type === "categorical")
        params[spec.name] = spec.choices[rng.nextInt(spec.choices.length)] ?? 0;
      else if (spec.log === true)
        params[spec.name] = Math.exp(Math.log(spec.low) + rng.next() * Math.log(spec.high / spec.low));
      else {
        const value = spec.low + rng.next() * (spec.high - spec.low);
        params[spec.name] = spec.type === "int" ? Math.round(value) : value;
      }
    }
    return params;
  });
}

const configs: PrunerConfigInput[] = [
  { type: "median" },
  { type: "median", warmupSteps: 2, minTrials: 3 },
  { type: "percentile", percentile: 25 },
  { type: "successive-halving", reductionFactor: 2 },
  { type: "hyperband", maxResource: 5, reductionFactor: 2 },
];

describe.each(["branin", "hartmann3", "rosenbrock4", "mlp-surrogate-a"] as const)(
  "pruners over synthetic-trainer curves of %s",
  (problem) => {
    it.each(configs)("$type: the best trial is never pruned, and pruning saves steps", (config) => {
      for (const seed of [0, 1, 2]) {
        const finals = randomParams(problem, seed, 40).map((p) => benchmarkProblems[problem].evaluate(p));
        const curves = finals.map((f) => syntheticCurve(f, 5));
        const study = simulatePrunedStudy({
          pruner: createPruner(config),
          direction: "minimize",
          curves,
          parallelism: 4,
        });
        const best = finals.indexOf(Math.min(...finals));
        expect(study.prunedAtStep[best], `seed ${seed}`).toBeUndefined();
        const steps = study.trials.reduce((sum, t) => sum + t.reports.length, 0);
        expect(steps).toBeLessThan(40 * 5);
      }
    });
  },
);
