import type { Space } from "@hpo/contracts";
import { requestDirections, type Sampler, type SampleRequest, type SampleResult } from "./sampler-types.js";
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
 *
 * Several objectives (objectives >= 2): the GP with ParEGO scalarizations (gp/parego.ts) under the same
 * space and budget limits; beyond them multi-objective TPE (cheap per ask, robust on mixed spaces), and
 * NSGA-II only for very large budgets (AUTO_NSGA2_MIN_TRIALS), where a population method has the
 * generations it needs and its ask cost stays flat. Evidence: the multi-objective section of
 * docs/benchmarks.md (ZDT1, ZDT2, DTLZ2 and the constrained gramacy problem against Optuna 3.1).
 */
export interface AutoChoiceInput {
  space: Space;
  budget?: { maxTrials: number; parallelism: number } | undefined;
  gpAvailable: boolean;
  /** Number of objectives (default 1). */
  objectives?: number | undefined;
}

/** The largest encoded space and budget the GP is preferred for (beyond: TPE scales better). */
export const AUTO_GP_MAX_PARAMS = 20;
export const AUTO_GP_MAX_TRIALS = 2000;
/** With several objectives, budgets from this size on go to NSGA-II. */
export const AUTO_NSGA2_MIN_TRIALS = 10_000;

export function chooseAutoSampler(input: AutoChoiceInput): "gp" | "tpe" | "nsga2" {
  const multi = (input.objectives ?? 1) >= 2;
  if (multi && input.budget !== undefined && input.budget.maxTrials >= AUTO_NSGA2_MIN_TRIALS) return "nsga2";
  if (!input.gpAvailable) return "tpe";
  if (input.space.length > AUTO_GP_MAX_PARAMS) return "tpe";
  if (input.budget !== undefined && input.budget.maxTrials > AUTO_GP_MAX_TRIALS) return "tpe";
  return "gp";
}

export function createAutoSampler(
  space: Space,
  createGp?: (space: Space) => Sampler,
  createNsga2?: (space: Space) => Sampler,
): Sampler {
  const tpe = createTpeSampler({}, space);
  let gp: Sampler | undefined;
  let nsga2: Sampler | undefined;
  return {
    type: "auto",
    sample(req: SampleRequest): SampleResult {
      const choice = chooseAutoSampler({
        space,
        budget: req.budget,
        gpAvailable: createGp !== undefined,
        objectives: requestDirections(req).length,
      });
      if (choice === "gp" && createGp !== undefined) {
        gp ??= createGp(space);
        return gp.sample(req);
      }
      if (choice === "nsga2" && createNsga2 !== undefined) {
        nsga2 ??= createNsga2(space);
        return nsga2.sample(req);
      }
      return tpe.sample(req);
    },
  };
}
