/**
 * Compact limited-memory BFGS (Nocedal 1980; Nocedal & Wright, "Numerical Optimization", Alg. 7.4/7.5) with
 * simple box constraints handled by projection: variables at a bound whose step points outward are frozen
 * for that iteration, and the Armijo backtracking line search runs along the projected path. Good enough for
 * the few smooth, low-dimensional problems of the GP (hyperparameters, acquisition refinement).
 */

export type ObjectiveWithGradient = (x: Float64Array, gradOut: Float64Array) => number;

export interface LbfgsOptions {
  lower?: Float64Array;
  upper?: Float64Array;
  maxIterations?: number;
  /** History size m. */
  memory?: number;
  /** Stop when the projected gradient's max-norm falls below this. */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over one iteration is below this. */
  relativeTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

function project(x: Float64Array, lower: Float64Array | undefined, upper: Float64Array | undefined): void {
  for (let i = 0; i < x.length; i++) {
    let v = x[i] ?? 0;
    if (lower !== undefined && v < (lower[i] ?? -Infinity)) v = lower[i] ?? v;
    if (upper !== undefined && v > (upper[i] ?? Infinity)) v = upper[i] ?? v;
    x[i] = v;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/** Minimizes f from x0 (which is projected into the box first). Non-finite values count as +∞. */
export function minimizeLbfgs(
  f: ObjectiveWithGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const { lower, upper } = options;
  const maxIterations = options.maxIterations ?? 100;
  const memory = options.memory ?? 7;
  const gtol = options.gradientTolerance ?? 1e-6;
  const rtol = options.relativeTolerance ?? 1e-10;

  const x = new Float64Array(x0);
  project(x, lower, upper);
  const g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, evaluations };

  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    // Free variables: not at a bound with the gradient pushing outward.
    const free = new Uint8Array(n);
    let pgNorm = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i] ?? 0;
      const atLower = lower !== undefined && (x[i] ?? 0) <= (lower[i] ?? -Infinity) && gi > 0;
      const atUpper = upper !== undefined && (x[i] ?? 0) >= (upper[i] ?? Infinity) && gi < 0;
      if (!atLower && !atUpper) {
        free[i] = 1;
        pgNorm = Math.max(pgNorm, Math.abs(gi));
      }
    }
    if (pgNorm < gtol) break;

    // Two-loop recursion on the free subspace.
    for (let i = 0; i < n; i++) d[i] = free[i] === 1 ? -(g[i] ?? 0) : 0;
    const k = sHist.length;
    for (let h = k - 1; h >= 0; h--) {
      const s = sHist[h] ?? d;
      const y = yHist[h] ?? d;
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i] === 1) a += (s[i] ?? 0) * (d[i] ?? 0);
      a *= rhoHist[h] ?? 0;
      alpha[h] = a;
      for (let i = 0; i < n; i++) if (free[i] === 1) d[i] = (d[i] ?? 0) - a * (y[i] ?? 0);
    }
    if (k > 0) {
      const s = sHist[k - 1] ?? d;
      const y = yHist[k - 1] ?? d;
      const gamma = dot(s, y) / Math.max(dot(y, y), 1e-300);
      for (let i = 0; i < n; i++) d[i] = (d[i] ?? 0) * gamma;
    }
    for (let h = 0; h < k; h++) {
      const s = sHist[h] ?? d;
      const y = yHist[h] ?? d;
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i] === 1) b += (y[i] ?? 0) * (d[i] ?? 0);
      b *= rhoHist[h] ?? 0;
      const a = alpha[h] ?? 0;
      for (let i = 0; i < n; i++) if (free[i] === 1) d[i] = (d[i] ?? 0) + (a - b) * (s[i] ?? 0);
    }
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction (curvature info stale): restart from steepest descent.
      sHist.length = 0;
      yHist.length = 0;
      rhoHist.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] === 1 ? -(g[i] ?? 0) : 0;
      slope = dot(d, g);
    }
    let step = k === 0 ? Math.min(1, 1 / Math.max(Math.sqrt(dot(d, d)), 1e-300)) : 1;

    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] ?? 0) + step * (d[i] ?? 0);
      project(xNew, lower, upper);
      fNew = f(xNew, gNew);
      evaluations++;
      // Armijo on the actual (projected) displacement.
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += (g[i] ?? 0) * ((xNew[i] ?? 0) - (x[i] ?? 0));
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * Math.min(decrease, 0)) {
        accepted = true;
        break;
      }
      step *= 0.3;
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] ?? 0) - (x[i] ?? 0);
      y[i] = (gNew[i] ?? 0) - (g[i] ?? 0);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
      if (sHist.length > memory) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    const previous = fx;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (Math.abs(previous - fx) <= rtol * Math.max(1, Math.abs(fx))) {
      iterations++;
      break;
    }
  }
  return { x, value: fx, iterations, evaluations };
}
