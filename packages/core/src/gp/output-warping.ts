/**
 * Output warping before the GP: objectives of hyperparameter searches are skewed (losses spanning orders
 * of magnitude, Rosenbrock-like valleys), and a stationary GP on raw values wastes its variance on the bad
 * tail. Like HEBO (Cowen-Rivers et al. 2022, "HEBO: Pushing the Limits of Sample-Efficient Hyperparameter
 * Optimisation", §4.1) we use a power transform — Box–Cox when all values are positive, Yeo–Johnson
 * otherwise — then standardize. Both are strictly increasing, so the order of trials is preserved.
 *
 * Which exponent: the sampler fits the GP under a few candidate exponents and keeps the one with the best
 * warped-GP evidence, log p(T(y)) + Σ log T'(y) (Snelson, Rasmussen & Ghahramani 2004, "Warped Gaussian
 * processes"; Box & Cox 1964 for the Jacobian). Candidates are restricted to λ ≤ 1: only transforms that
 * stretch the low (good) end and compress the bad end, never ones that squash differences among good
 * trials (an objective saturating at a bad value would otherwise invite λ > 1).
 *
 * Input values are in the minimization direction.
 */

/** Exponents tried by the sampler (1 = no warping beyond standardization, 0 = log). */
export const WARP_LAMBDAS: readonly number[] = [1, 0.5, 0, -0.5];

function boxCox(y: number, lambda: number): number {
  return Math.abs(lambda) < 1e-9 ? Math.log(y) : (Math.pow(y, lambda) - 1) / lambda;
}

function yeoJohnson(y: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(y) : (Math.pow(y + 1, lambda) - 1) / lambda;
  const l2 = 2 - lambda;
  return Math.abs(l2) < 1e-9 ? -Math.log1p(-y) : -(Math.pow(1 - y, l2) - 1) / l2;
}

function meanAndVariance(values: Float64Array): { mean: number; variance: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= Math.max(values.length, 1);
  let s = 0;
  for (const v of values) s += (v - mean) * (v - mean);
  return { mean, variance: s / Math.max(values.length, 1) };
}

export interface WarpResult {
  /** Standardized warped values (mean 0, sd 1), same order as the input. */
  values: Float64Array;
  lambda: number;
  /** Per value: log |d(standardized T)/dy| up to a λ-independent constant; adds to the GP evidence. */
  logJacobian: Float64Array;
  method: "box-cox" | "yeo-johnson" | "constant";
}

/** Replaces non-finite values by the worst finite one (or 0). */
export function sanitizeValues(raw: readonly number[]): Float64Array {
  let worst = -Infinity;
  for (const v of raw) if (Number.isFinite(v) && v > worst) worst = v;
  return Float64Array.from(raw, (v) => (Number.isFinite(v) ? v : Number.isFinite(worst) ? worst : 0));
}

/** Warps with exponent λ and standardizes (values in the minimization direction). */
export function warpObjectiveValues(raw: readonly number[], lambda: number): WarpResult {
  const y = sanitizeValues(raw);
  const n = y.length;
  const stats = meanAndVariance(y);
  if (n === 0 || !(stats.variance > 0)) {
    return { values: new Float64Array(n), lambda: 1, logJacobian: new Float64Array(n), method: "constant" };
  }
  let min = Infinity;
  for (const v of y) min = Math.min(min, v);
  const positive = min > 0;
  // Scale first: Yeo–Johnson is not scale-free (Box–Cox is, up to an affine map).
  const scale = Math.sqrt(stats.variance);
  const transform = positive ? boxCox : yeoJohnson;
  const t = new Float64Array(n);
  const logJacobian = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = (y[i] ?? 0) / scale;
    t[i] = transform(s, lambda);
    // d/ds of Box–Cox is s^(λ−1); of Yeo–Johnson (1+|s|)^(±(λ−1)).
    logJacobian[i] = (lambda - 1) * (positive ? Math.log(s) : Math.sign(s) * Math.log1p(Math.abs(s)));
  }
  const ts = meanAndVariance(t);
  const sd = Math.sqrt(ts.variance);
  if (!(sd > 0) || !Number.isFinite(sd)) {
    const bad = new Float64Array(n).fill(-Infinity);
    return {
      values: new Float64Array(n),
      lambda,
      logJacobian: bad,
      method: positive ? "box-cox" : "yeo-johnson",
    };
  }
  const logSd = Math.log(sd);
  for (let i = 0; i < n; i++) logJacobian[i] = (logJacobian[i] ?? 0) - logSd;
  const values = Float64Array.from(t, (v) => (v - ts.mean) / sd);
  return { values, lambda, logJacobian, method: positive ? "box-cox" : "yeo-johnson" };
}
