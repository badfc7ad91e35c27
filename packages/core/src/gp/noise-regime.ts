import { choleskyWithJitter, inverseFromCholesky, solveCholesky } from "./linalg.js";
import { buildKernelMatrix, type KernelColumns } from "./kernel.js";
import { hyperFromTheta } from "./marginal-likelihood.js";
import { fitHyperparameters, type HyperPrior } from "./hyperparameter-fit.js";

/**
 * A noisy-looking fit, checked. Under the default noise prior (log σ_n² ~ N(−6, 2²), hyperparameter-fit.ts)
 * a fit sometimes puts a large share of the variance in noise on an objective that has none: a steep or
 * rough deterministic function the stationary kernel cannot follow at the current length scales (traced on
 * three-hump-camel-in-7d: σ_n² ≈ e^−3.4 late in runs, while a low-noise fit explains the same points). The
 * model then smooths over the region near the optimum and the search stalls. The other cause is real noise,
 * where the noise term is right and a low-noise model chases it.
 *
 * The check: when the kept fit's log σ_n² lies above the prior mean by more than half a prior standard
 * deviation (the data, not the prior, put it there), refit under a low-noise prior and keep whichever fit
 * predicts held-out points better: the leave-one-out log predictive density (Rasmussen & Williams 2006,
 * §5.4.2, eq. 5.10–5.12; Sundararajan & Keerthi 2001), which, unlike the evidence, pays directly for a model
 * that interpolates noise (on real noise the default fit keeps winning).
 *
 * Measured (docs/benchmarks.md, "Tried for the default sampler"): applying the check to every fit, or from
 * the prior mean up, made the low-noise model win on smooth deterministic problems too, where the default
 * prior's nugget was helping (rosenbrock4 worse on 13 of 20 seeds, 139 vs 22.8); from half a standard
 * deviation up only fits the data pushed upward are checked.
 */

/** The low-noise refit's prior on log σ_n² (standardized outputs): noise down to ~1e−6 is plausible. */
export const LOW_NOISE_MEAN = -12;
export const LOW_NOISE_SD = 3;
/** Fits with log σ_n² above prior mean + this many prior standard deviations are checked. */
export const CHECK_ABOVE_PRIOR_SDS = 0.5;

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Σ_i log p(y_i | y_−i, θ): LOO means μ_i = y_i − [K⁻¹y]_i / [K⁻¹]_ii and variances 1 / [K⁻¹]_ii, all from one
 * factorization (R&W eq. 5.12). −Infinity if K cannot be factored.
 */
export function leaveOneOutLogPredictive(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  theta: Float64Array,
): number {
  const k = buildKernelMatrix(x, n, columns, hyperFromTheta(theta, columns.dims));
  let factor: Float64Array;
  try {
    factor = choleskyWithJitter(k, n).factor;
  } catch {
    return -Infinity;
  }
  const alpha = solveCholesky(factor, n, y);
  const kinv = inverseFromCholesky(factor, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const precision = kinv[i * n + i] ?? 0;
    if (!(precision > 0)) return -Infinity;
    const residual = (alpha[i] ?? 0) / precision;
    total += 0.5 * Math.log(precision) - 0.5 * residual * residual * precision - 0.5 * LOG_2PI;
  }
  return total;
}

export interface NoiseRegimeChoice {
  theta: Float64Array;
  /** The low-noise refit replaced the given fit. */
  lowNoise: boolean;
  /** The given fit's noise was high enough to be checked. */
  checked: boolean;
}

/**
 * `theta` (fitted under `prior`) unless its noise is high and a refit under the low-noise prior, started
 * from `theta` with the noise lowered, has the better leave-one-out log predictive density.
 */
export function chooseNoiseRegime(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  prior: HyperPrior,
  theta: Float64Array,
  maxIterations: number,
): NoiseRegimeChoice {
  const d = columns.dims;
  const logNoise = theta[d + 1] ?? 0;
  if (logNoise <= prior.noiseMean + CHECK_ABOVE_PRIOR_SDS * prior.noiseSd)
    return { theta, lowNoise: false, checked: false };
  const lowPrior: HyperPrior = { ...prior, noiseMean: LOW_NOISE_MEAN, noiseSd: LOW_NOISE_SD };
  const start = Float64Array.from(theta);
  start[d + 1] = LOW_NOISE_MEAN;
  const low = fitHyperparameters(x, y, n, columns, lowPrior, { warmStart: start, maxIterations });
  const lowScore = leaveOneOutLogPredictive(x, y, n, columns, low.theta);
  const keptScore = leaveOneOutLogPredictive(x, y, n, columns, theta);
  return lowScore > keptScore
    ? { theta: low.theta, lowNoise: true, checked: true }
    : { theta, lowNoise: false, checked: true };
}
