import { isFeasible, totalViolation } from "../constraints/constraint-violations.js";
import type { Observation, TrainingSet } from "./gp-fit-steps.js";

export interface Incumbents {
  /** The incumbent for expected improvement (warped, minimization). */
  best: number;
  /** No counted trial is feasible: the acquisition is the probability of feasibility alone. */
  feasibilityOnly: boolean;
  /** Observation indices in the order perturbation centers are taken (best first). */
  centerOrder: number[];
}

/**
 * The incumbent of expected improvement and the order of the perturbation centers.
 *
 * Constraints (Gardner et al. 2014): the incumbent is the best FEASIBLE value, centers are feasible first
 * (then least violating); with no feasible trial yet, the best value overall.
 *
 * Warm start (warm-start/gp-warm-start.ts): only the study's OWN trials count, as in multi-task BO
 * (Swersky, Snoek & Adams 2013), where EI measures improvement on the target task. A prior trial's value
 * is another study's, only mapped onto this one's scale: no value this study has reached. Prior trials
 * come after all own ones as centers, and count only while there is no own trial at all.
 */
export function rankIncumbents(
  set: TrainingSet,
  y: Float64Array,
  observed: readonly Observation[],
  withConstraints: boolean,
): Incumbents {
  const feasibleAt = (i: number): boolean => !withConstraints || isFeasible(observed[i]?.violations);
  const hasOwn = observed.some((o) => o.prior !== true);
  const countsAt = (i: number): boolean => !hasOwn || observed[i]?.prior !== true;
  let best = Infinity;
  let minY = Infinity;
  for (let r = 0; r < set.n; r++) {
    const i = set.selected[r] ?? 0;
    if (!countsAt(i)) continue;
    minY = Math.min(minY, y[r] ?? Infinity);
    if (feasibleAt(i)) best = Math.min(best, y[r] ?? Infinity);
  }
  const feasibilityOnly = best === Infinity;
  const rank = new Map(set.order.map((i, k) => [i, k]));
  const centerOrder = [...set.order].sort(
    (a, b) =>
      Number(!countsAt(a)) - Number(!countsAt(b)) ||
      (withConstraints ? Number(!feasibleAt(a)) - Number(!feasibleAt(b)) : 0) ||
      (withConstraints && !feasibleAt(a)
        ? totalViolation(observed[a]?.violations) - totalViolation(observed[b]?.violations)
        : 0) ||
      (rank.get(a) ?? 0) - (rank.get(b) ?? 0),
  );
  return { best: feasibilityOnly ? minY : best, feasibilityOnly, centerOrder };
}
