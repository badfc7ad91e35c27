import type { Space } from "@hpo/contracts";
import type { Sampler, SampleRequest, SampleResult } from "./sampler-types.js";
import { createTpeSampler } from "./tpe/tpe-sampler.js";

/**
 * `auto`, the default sampler: the ONE place that decides which method a study gets.
 *
 * Rules (a pure function of the space and the budget, so every request of a study makes the same choice):
 * - no Gaussian-process sampler registered → multivariate TPE with constant liar: robust on mixed,
 *   conditional and high-dimensional spaces, cheap per ask even with thousands of trials;
 * - otherwise the GP, unless the space has more than AUTO_GP_MAX_PARAMS params or the budget more than
 *   AUTO_GP_MAX_TRIALS trials, where TPE's linear cost and dimension-free model win.
 * Evidence (docs/benchmarks.md and bench/quick-compare.ts on six held-out problems, 5 seeds): the GP
 * beat TPE by one to four orders of magnitude on smooth continuous problems, tied on the mixed
 * `mlp-surrogate-a`, won on a conditional mixed space sequentially and tied batched; TPE kept an edge on
 * Ackley-5 (a needle-in-haystack landscape where both are near random search) and on batched
 * Hartmann-6 / Levy-4.
 */
export interface AutoChoiceInput {
  space: Space;
  budget?: { maxTrials: number; parallelism: number } | undefined;
  gpAvailable: boolean;
}

/** The largest encoded space and budget the GP is preferred for (beyond: TPE scales better). */
export const AUTO_GP_MAX_PARAMS = 20;
export const AUTO_GP_MAX_TRIALS = 2000;

export function chooseAutoSampler(input: AutoChoiceInput): "gp" | "tpe" {
  if (!input.gpAvailable) return "tpe";
  if (input.space.length > AUTO_GP_MAX_PARAMS) return "tpe";
  if (input.budget !== undefined && input.budget.maxTrials > AUTO_GP_MAX_TRIALS) return "tpe";
  return "gp";
}

export function createAutoSampler(space: Space, createGp?: (space: Space) => Sampler): Sampler {
  const tpe = createTpeSampler({}, space);
  let gp: Sampler | undefined;
  return {
    type: "auto",
    sample(req: SampleRequest): SampleResult {
      const choice = chooseAutoSampler({ space, budget: req.budget, gpAvailable: createGp !== undefined });
      if (choice === "gp" && createGp !== undefined) {
        gp ??= createGp(space);
        return gp.sample(req);
      }
      return tpe.sample(req);
    },
  };
}
