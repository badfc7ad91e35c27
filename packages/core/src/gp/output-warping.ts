/**
 * Output warping before the GP: objectives of hyperparameter searches are skewed (losses spanning orders
 * of magnitude, Rosenbrock-like valleys), and a stationary GP on raw values wastes its variance on the bad
 * tail. Like HEBO (Cowen-Rivers et al. 2022, "HEBO: Pushing the Limits of Sample-Efficient Hyperparameter
 * Optimisation", §4.1) we apply a power transform with its exponent fitted by maximum likelihood —
 * Box–Cox when all values are positive, Yeo–Johnson otherwise — then standardize. Both transforms are
 * strictly increasing, so the order of trials (and the incumbent) is preserved.
 *
 * Input values are in the minimization direction.
 */

const LAMBDA_GRID: number[] = [];
for (let l = -1; l <= 2.0001; l += 0.05) LAMBDA_GRID.push(Math.round(l * 100) / 100);

function boxCox(y: number, lambda: number): number {
  return Math.abs(lambda) < 1e-9 ? Math.log(y) : (Math.pow(y, lambda) - 1) / lambda;
}

function yeoJohnson(y: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(y) : (Math.pow(y + 1, lambda) - 1) / lambda;
  const l2 = 2 - lambda;
  return Math.abs(l2) < 1e-9 ? -Math.log1p(-y) : -(Math.pow(1 - y, l2) - 1) / l2;
}

function variance(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let s = 0;
  for (const v of values) s += (v - mean) * (v - mean);
  return s / values.length;
}

export interface WarpResult {
  /** Standardized warped values (mean 0, sd 1), same order as the input. */
  values: Float64Array;
  lambda: number;
  method: "box-cox" | "yeo-johnson" | "constant";
}

/** Warps and standardizes values (minimization direction). Non-finite values become the worst finite one. */
export function warpObjectiveValues(raw: readonly number[]): WarpResult {
  const n = raw.length;
  let worst = -Infinity;
  for (const v of raw) if (Number.isFinite(v) && v > worst) worst = v;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i] ?? 0;
    y[i] = Number.isFinite(v) ? v : Number.isFinite(worst) ? worst : 0;
  }
  if (n === 0 || !(variance(y) > 0)) {
    return { values: new Float64Array(n), lambda: 1, method: "constant" };
  }
  let min = Infinity;
  for (const v of y) min = Math.min(min, v);
  const positive = min > 0;
  // Scale first (the transforms are not scale-free for Yeo–Johnson; Box–Cox is up to an affine map).
  const scale = Math.sqrt(variance(y));
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = (y[i] ?? 0) / scale;
  // Jacobian term Σ log |dT/dy| of the profile likelihood (Box & Cox 1964; Yeo & Johnson 2000).
  let logSum = 0;
  for (const v of scaled) logSum += positive ? Math.log(v) : Math.sign(v) * Math.log1p(Math.abs(v));
  const transform = positive ? boxCox : yeoJohnson;
  let bestLambda = 1;
  let bestLl = -Infinity;
  const t = new Float64Array(n);
  for (const lambda of LAMBDA_GRID) {
    for (let i = 0; i < n; i++) t[i] = transform(scaled[i] ?? 0, lambda);
    const v = variance(t);
    if (!(v > 0) || !Number.isFinite(v)) continue;
    const ll = -0.5 * n * Math.log(v) + (lambda - 1) * logSum;
    if (ll > bestLl) {
      bestLl = ll;
      bestLambda = lambda;
    }
  }
  for (let i = 0; i < n; i++) t[i] = transform(scaled[i] ?? 0, bestLambda);
  let mean = 0;
  for (const v of t) mean += v;
  mean /= n;
  const sd = Math.sqrt(variance(t));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = sd > 0 ? ((t[i] ?? 0) - mean) / sd : 0;
  return { values, lambda: bestLambda, method: positive ? "box-cox" : "yeo-johnson" };
}
