import { createPredictScratch, predict, type GpModel } from "./gp-model.js";

/**
 * The incumbent of a noisy objective: the model row with the lowest POSTERIOR MEAN, not the lowest observed
 * value. On a noisy objective the lowest observation is mostly the luckiest draw; expected improvement over
 * it ("plug-in" EI with the raw minimum) then chases noise, and a trust region centered on it sits on a
 * lucky point. Using the minimum of the posterior mean over evaluated points is the standard remedy
 * (Picheny, Wagner & Ginsbourger 2013, "A benchmark of kriging-based infill criteria for noisy optimization",
 * §3.1 "plug-in" criteria; Vazquez et al. 2008). On a deterministic objective the fitted noise is tiny, the
 * posterior mean at a training row equals its value up to that noise, and the incumbent does not change.
 *
 * `eligible(r)` restricts the choice (e.g. to feasible rows); returns undefined when no row is eligible.
 */
export interface PosteriorIncumbent {
  /** Model row index. */
  row: number;
  /** Posterior mean there (warped, standardized, minimization). */
  mean: number;
}

export function posteriorIncumbent(
  model: GpModel,
  rows: number,
  eligible: (r: number) => boolean = () => true,
): PosteriorIncumbent | undefined {
  const scratch = createPredictScratch(model.n);
  let best: PosteriorIncumbent | undefined;
  for (let r = 0; r < rows; r++) {
    if (!eligible(r)) continue;
    const mean = predict(model, model.x, r, scratch).mean;
    if (best === undefined || mean < best.mean) best = { row: r, mean };
  }
  return best;
}
