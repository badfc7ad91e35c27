import { inverseFromCholesky, choleskyWithJitter, solveCholesky } from "./linalg.js";
import {
  buildKernelMatrix,
  inverseSquaredLengthScales,
  matern52FromSquared,
  matern52RadialFactor,
  type KernelColumns,
  type KernelHyper,
} from "./kernel.js";

/**
 * Log marginal likelihood of a zero-mean GP with the Matérn-5/2 ARD kernel and its analytic gradient
 * (Rasmussen & Williams 2006, eq. 5.8–5.9):
 *   log p(y|θ) = −½ yᵀK⁻¹y − ½ log|K| − n/2 log 2π,   ∂/∂θ_p = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_p),  α = K⁻¹y.
 *
 * Parameter vector θ (all logs): [log ℓ_1 … log ℓ_D, log σ_f², log σ_n²].
 */

const LOG_2PI = Math.log(2 * Math.PI);

export function hyperFromTheta(theta: Float64Array, dims: number): KernelHyper {
  const lengthScales = new Float64Array(dims);
  for (let j = 0; j < dims; j++) lengthScales[j] = Math.exp(theta[j] ?? 0);
  return {
    lengthScales,
    signalVariance: Math.exp(theta[dims] ?? 0),
    noiseVariance: Math.exp(theta[dims + 1] ?? 0),
  };
}

/** Returns log p(y | X, θ) and writes ∂/∂θ into grad. −Infinity if K cannot be factored. */
export function logMarginalLikelihood(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  theta: Float64Array,
  grad: Float64Array,
): number {
  const d = columns.dims;
  const hyper = hyperFromTheta(theta, d);
  const k = buildKernelMatrix(x, n, columns, hyper);
  let chol;
  try {
    chol = choleskyWithJitter(k, n);
  } catch {
    grad.fill(0);
    return -Infinity;
  }
  const l = chol.factor;
  const alpha = solveCholesky(l, n, y);
  let fit = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    fit += (y[i] ?? 0) * (alpha[i] ?? 0);
    logDet += Math.log(l[i * n + i] ?? 1);
  }
  const value = -0.5 * fit - logDet - 0.5 * n * LOG_2PI;

  // W = ααᵀ − K⁻¹ (symmetric); gradient terms are ½ Σ_ab W_ab ∂K_ab.
  const kinv = inverseFromCholesky(l, n);
  const invL2 = inverseSquaredLengthScales(hyper.lengthScales);
  const sf = hyper.signalVariance;
  grad.fill(0);
  let gradSignal = 0;
  let traceW = 0;
  for (let a = 0; a < n; a++) {
    const aa = alpha[a] ?? 0;
    const wDiag = aa * aa - (kinv[a * n + a] ?? 0);
    traceW += wDiag;
    gradSignal += 0.5 * wDiag * sf;
    const oa = a * d;
    for (let b = 0; b < a; b++) {
      const w = aa * (alpha[b] ?? 0) - (kinv[a * n + b] ?? 0);
      const ob = b * d;
      let r2 = 0;
      for (let j = 0; j < d; j++) {
        const u = x[oa + j] ?? 0;
        const v = x[ob + j] ?? 0;
        if (columns.isCategorical[j] === 1) {
          if (u !== v) r2 += invL2[j] ?? 0;
        } else r2 += (u - v) * (u - v) * (invL2[j] ?? 0);
      }
      // Off-diagonal pairs appear twice in the trace: ½·2 = 1.
      gradSignal += w * sf * matern52FromSquared(r2);
      // ∂k/∂log ℓ_j = σ_f² · (5/3)(1+√5r)e^{−√5r} · Δ_j²/ℓ_j².
      const g = w * sf * matern52RadialFactor(r2);
      if (g === 0) continue;
      for (let j = 0; j < d; j++) {
        const u = x[oa + j] ?? 0;
        const v = x[ob + j] ?? 0;
        const delta2 = columns.isCategorical[j] === 1 ? (u !== v ? 1 : 0) : (u - v) * (u - v);
        grad[j] = (grad[j] ?? 0) + g * delta2 * (invL2[j] ?? 0);
      }
    }
  }
  grad[d] = gradSignal;
  grad[d + 1] = 0.5 * traceW * hyper.noiseVariance;
  return value;
}
