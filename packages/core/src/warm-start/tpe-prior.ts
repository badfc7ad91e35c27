import type { Direction, Space } from "@hpo/contracts";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { countGood, rankObservations, type RankedObservation } from "../samplers/tpe/rank-observations.js";
import { selectPriorTrials } from "./gp-warm-start.js";
import { EXPLORE_TURNS, priorsAgree } from "./prior-agreement.js";
import { multiObjectivePriorsAgree, usableMultiObjectivePriors } from "./multi-objective-priors.js";

/**
 * Warm start for TPE: prior trials join the Parzen estimators as extra, lighter kernels. They are split
 * into good and bad by THEIR OWN ranking (the same γ rule as the study's trials), since an earlier study's
 * values may sit on another scale; their good ones add to l(x), the rest to g(x). Their weight starts at
 * PRIOR_WEIGHT (an own trial weighs 1) and decays as the study gathers its own evidence,
 * w = PRIOR_WEIGHT · PRIOR_HALF_LIFE / (PRIOR_HALF_LIFE + n), so a misleading prior fades out; with at
 * least MIN_PRIOR_TRIALS priors the Sobol start-up is skipped (the priors already cover the space). Priors
 * that fail the agreement gate (prior-agreement.ts) are not used at all, nor on its exploration turns (the
 * Sobol start-up point of that number is used then).
 * Several objectives (multi-objective TPE): the same, with the priors split by THEIR OWN non-domination
 * rank and hypervolume contribution (rankObservations, as the study's trials), an even spread of at most
 * MAX_TPE_PRIORS of them, and the agreement gate applied to every objective (multi-objective-priors.ts).
 * (In the spirit of Watanabe et al. 2022, "Speeding up multi-objective hyperparameter optimization by task
 * similarity-based meta-learning for the tree-structured Parzen estimator", without the similarity term.)
 */

export const PRIOR_WEIGHT = 0.5;
export const PRIOR_HALF_LIFE = 10;
export const MIN_PRIOR_TRIALS = 5;
/** Cost bound: at most this many priors (the best half, then an even spread: selectPriorTrials). */
export const MAX_TPE_PRIORS = 200;

export interface TpePrior {
  good: RankedObservation[];
  bad: RankedObservation[];
  weight: number;
}

export function rankPriorTrials(
  space: Space,
  priors: readonly HistoryTrial[] | undefined,
  trials: readonly HistoryTrial[],
  directions: readonly Direction[],
  gamma: number,
): TpePrior | undefined {
  if (priors === undefined || priors.length === 0) return undefined;
  const direction = directions[0] ?? "minimize";
  const multi = directions.length > 1;
  // Priors prepared for several objectives do not inform a single-objective study.
  if (!multi && priors.some((t) => (t.values?.length ?? 1) > 1)) return undefined;
  const capped = multi
    ? usableMultiObjectivePriors(priors, directions.length, MAX_TPE_PRIORS)
    : selectPriorTrials(priors, direction, MAX_TPE_PRIORS);
  const ownObserved = trials.filter((t) => t.state === "complete" || t.state === "pruned").length;
  if (EXPLORE_TURNS.includes(ownObserved)) return undefined;
  const agree = multi
    ? multiObjectivePriorsAgree(space, capped, trials, directions)
    : priorsAgree(space, capped, trials, direction);
  if (!agree) return undefined;
  const ranked = rankObservations(capped, directions, false);
  if (ranked.length < MIN_PRIOR_TRIALS) return undefined;
  const nGood = countGood(ranked.length, gamma, ranked.length);
  return {
    good: ranked.slice(0, nGood),
    bad: ranked.slice(nGood),
    weight: (PRIOR_WEIGHT * PRIOR_HALF_LIFE) / (PRIOR_HALF_LIFE + ownObserved),
  };
}
