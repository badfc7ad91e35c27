import { minimizeLbfgs } from "./lbfgs.js";
import { logMarginalLikelihood } from "./marginal-likelihood.js";
import type { KernelColumns } from "./kernel.js";

/**
 * MAP estimation of the kernel hyperparameters: maximize log p(y|θ) + log p(θ) with L-BFGS from a few
 * deterministic starts (previous fit if any, prior mode, short length scales), keeping the best.
 *
 * Priors (on standardized outputs, inputs in the unit cube):
 * - log ℓ_j ~ N(½ log D, 3): the dimension scaling (median ℓ ∝ √D) of Hvarfner, Hellsten & Nardi 2024,
 *   "Vanilla Bayesian Optimization Performs Great in High Dimensions", which keeps distances from all
 *   looking "far" as D grows and keeps the model from explaining a handful of points with tiny length
 *   scales. Their extra e^√2 factor (BoTorch's default) targets D ≥ 25; at the 2–20 encoded dimensions of
 *   hyperparameter spaces it puts the prior median at 4–11 cube widths, which made the early model nearly
 *   linear: measured here, mixed 7-D spaces stayed at random-search level for 20 trials and a 3-D problem
 *   missed a weak coordinate (its length scale stuck near the prior). Without it both resolved.
 * - log σ_f² ~ N(0, 1): outputs are standardized, so the signal variance should be near 1.
 * - log σ_n² ~ N(−6, 2²) bounded to [1e−8, 1]: noise is learned but low noise is expected a priori (most
 *   objectives are deterministic up to small training noise); data showing real noise overrides it. A fit
 *   whose noise the data pushed well above this prior is checked against a low-noise refit (noise-regime.ts).
 */

export interface HyperPrior {
  lengthMean: number;
  lengthSd: number;
  signalMean: number;
  signalSd: number;
  noiseMean: number;
  noiseSd: number;
}

export function defaultHyperPrior(dims: number): HyperPrior {
  return {
    lengthMean: 0.5 * Math.log(Math.max(dims, 1)),
    lengthSd: Math.sqrt(3),
    signalMean: 0,
    signalSd: 1,
    noiseMean: -6,
    noiseSd: 2,
  };
}

const LOG_LENGTH_MIN = Math.log(1e-3);
const LOG_LENGTH_MAX = Math.log(1e3);
const LOG_SIGNAL_MIN = Math.log(1e-3);
const LOG_SIGNAL_MAX = Math.log(1e2);
const LOG_NOISE_MIN = Math.log(1e-8);
const LOG_NOISE_MAX = 0;

export function thetaBounds(dims: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(dims + 2).fill(LOG_LENGTH_MIN);
  const upper = new Float64Array(dims + 2).fill(LOG_LENGTH_MAX);
  lower[dims] = LOG_SIGNAL_MIN;
  upper[dims] = LOG_SIGNAL_MAX;
  lower[dims + 1] = LOG_NOISE_MIN;
  upper[dims + 1] = LOG_NOISE_MAX;
  return { lower, upper };
}

/** The prior's mode as a start point (length scales one e-fold below their prior median). */
export function priorModeTheta(dims: number, prior: HyperPrior): Float64Array {
  const theta = new Float64Array(dims + 2);
  // The prior median ℓ is √D cube widths (1.4–4.5 at D = 2–20): long next to the data's spread, so start a
  // factor e shorter, where the marginal likelihood still has curvature for the optimizer to follow.
  for (let j = 0; j < dims; j++) theta[j] = prior.lengthMean - 1;
  theta[dims] = prior.signalMean;
  theta[dims + 1] = prior.noiseMean;
  return theta;
}

/** Negative log posterior (to minimize) and its gradient. */
export function negativeLogPosterior(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  prior: HyperPrior,
  theta: Float64Array,
  grad: Float64Array,
): number {
  const d = columns.dims;
  let value = logMarginalLikelihood(x, y, n, columns, theta, grad);
  if (!Number.isFinite(value)) return Infinity;
  const gauss = (index: number, mean: number, sd: number): void => {
    const z = ((theta[index] ?? 0) - mean) / sd;
    value -= 0.5 * z * z;
    grad[index] = (grad[index] ?? 0) - z / sd;
  };
  for (let j = 0; j < d; j++) gauss(j, prior.lengthMean, prior.lengthSd);
  gauss(d, prior.signalMean, prior.signalSd);
  gauss(d + 1, prior.noiseMean, prior.noiseSd);
  for (let i = 0; i < grad.length; i++) grad[i] = -(grad[i] ?? 0);
  return -value;
}

export interface FitOptions {
  /** Previous θ (warm start), e.g. carried in the sampler state; tried first, besides the two cold starts. */
  warmStart?: Float64Array | undefined;
  maxIterations?: number;
}

export interface FitResult {
  theta: Float64Array;
  negLogPosterior: number;
}

/** Fits θ by MAP from the warm start (if given), the prior mode and short length scales; deterministic. */
export function fitHyperparameters(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  prior: HyperPrior,
  options: FitOptions = {},
): FitResult {
  const d = columns.dims;
  const { lower, upper } = thetaBounds(d);
  const starts: Float64Array[] = [priorModeTheta(d, prior)];
  const shortStart = priorModeTheta(d, prior);
  for (let j = 0; j < d; j++) shortStart[j] = Math.log(0.3);
  starts.push(shortStart);
  if (options.warmStart !== undefined && options.warmStart.length === d + 2)
    starts.unshift(options.warmStart);
  const objective = (theta: Float64Array, grad: Float64Array): number =>
    negativeLogPosterior(x, y, n, columns, prior, theta, grad);
  let best: FitResult = { theta: starts[0] ?? priorModeTheta(d, prior), negLogPosterior: Infinity };
  for (const start of starts) {
    const result = minimizeLbfgs(objective, start, {
      lower,
      upper,
      maxIterations: options.maxIterations ?? 60,
      gradientTolerance: 1e-4,
      relativeTolerance: 1e-8,
    });
    if (result.value < best.negLogPosterior) best = { theta: result.x, negLogPosterior: result.value };
  }
  return best;
}
