import {
  choleskyWithJitter,
  extendCholesky,
  solveCholesky,
  solveLower,
  solveLowerTransposed,
} from "./linalg.js";
import {
  buildKernelMatrix,
  crossCovariance,
  inverseSquaredLengthScales,
  matern52RadialFactor,
  scaledSquaredDistance,
  type KernelColumns,
  type KernelHyper,
} from "./kernel.js";
import { addBoundaryMeanGradient, boundaryMeanValue, type BoundaryMean } from "./boundary-mean.js";

/**
 * A conditioned GP: training rows, the Cholesky factor of K + σ_n²I and α = K⁻¹y. Zero prior mean (the
 * outputs are standardized beforehand) unless `priorMean` is set (boundary-mean.ts), in which case y and α
 * are the residuals from it. Rows can be appended in O(n²) (Kriging-believer fantasies).
 */
export interface GpModel {
  readonly columns: KernelColumns;
  readonly hyper: KernelHyper;
  readonly invL2: Float64Array;
  x: Float64Array;
  y: Float64Array;
  n: number;
  chol: Float64Array;
  alpha: Float64Array;
  priorMean?: BoundaryMean | undefined;
}

export function conditionGp(
  x: Float64Array,
  y: Float64Array,
  n: number,
  columns: KernelColumns,
  hyper: KernelHyper,
): GpModel {
  const k = buildKernelMatrix(x, n, columns, hyper);
  const { factor } = choleskyWithJitter(k, n);
  const alpha = solveCholesky(factor, n, y);
  return {
    columns,
    hyper,
    invL2: inverseSquaredLengthScales(hyper.lengthScales),
    x: x.slice(0, n * columns.dims),
    y: y.slice(0, n),
    n,
    chol: factor,
    alpha,
  };
}

export interface Prediction {
  mean: number;
  /** Latent (noise-free) posterior variance, floored at a tiny positive value. */
  variance: number;
}

/** Scratch buffers so the hot loop does not allocate per candidate. */
export interface PredictScratch {
  k: Float64Array;
  v: Float64Array;
  w: Float64Array;
}

export function createPredictScratch(n: number): PredictScratch {
  return { k: new Float64Array(n), v: new Float64Array(n), w: new Float64Array(n) };
}

const MIN_VARIANCE = 1e-12;

/** Posterior mean and variance at row q of xq. */
export function predict(model: GpModel, xq: Float64Array, q: number, scratch?: PredictScratch): Prediction {
  const n = model.n;
  const s = scratch !== undefined && scratch.k.length >= n ? scratch : createPredictScratch(n);
  crossCovariance(model.x, n, xq, q, model.columns, model.invL2, model.hyper.signalVariance, s.k);
  let mean =
    model.priorMean === undefined ? 0 : boundaryMeanValue(model.priorMean, xq, q, model.columns.dims);
  for (let i = 0; i < n; i++) mean += (s.k[i] ?? 0) * (model.alpha[i] ?? 0);
  solveLower(model.chol, n, s.k, s.v);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += (s.v[i] ?? 0) * (s.v[i] ?? 0);
  return { mean, variance: Math.max(model.hyper.signalVariance - vv, MIN_VARIANCE) };
}

export interface PredictionWithGradient extends Prediction {
  /** ∂mean/∂x_j and ∂variance/∂x_j for every column (0 for categorical columns). */
  meanGrad: Float64Array;
  varianceGrad: Float64Array;
}

/**
 * Posterior with gradients w.r.t. the continuous coordinates of the query:
 *   ∂μ/∂x_j = Σ_i α_i ∂k_i/∂x_j,   ∂σ²/∂x_j = −2 Σ_i (K⁻¹k*)_i ∂k_i/∂x_j,
 *   ∂k_i/∂x_j = −σ_f² · (5/3)(1+√5r)e^{−√5r} · (x_j − x_ij)/ℓ_j².
 */
export function predictWithGradient(
  model: GpModel,
  xq: Float64Array,
  q: number,
  scratch?: PredictScratch,
): PredictionWithGradient {
  const n = model.n;
  const d = model.columns.dims;
  const s = scratch !== undefined && scratch.k.length >= n ? scratch : createPredictScratch(n);
  crossCovariance(model.x, n, xq, q, model.columns, model.invL2, model.hyper.signalVariance, s.k);
  let mean =
    model.priorMean === undefined ? 0 : boundaryMeanValue(model.priorMean, xq, q, model.columns.dims);
  for (let i = 0; i < n; i++) mean += (s.k[i] ?? 0) * (model.alpha[i] ?? 0);
  solveLower(model.chol, n, s.k, s.v);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += (s.v[i] ?? 0) * (s.v[i] ?? 0);
  solveLowerTransposed(model.chol, n, s.v, s.w);
  const meanGrad = new Float64Array(d);
  const varianceGrad = new Float64Array(d);
  const sf = model.hyper.signalVariance;
  const oq = q * d;
  for (let i = 0; i < n; i++) {
    const r2 = scaledSquaredDistance(model.x, i, xq, q, model.columns, model.invL2);
    const factor = -sf * matern52RadialFactor(r2);
    const ai = model.alpha[i] ?? 0;
    const wi = s.w[i] ?? 0;
    const oi = i * d;
    for (let j = 0; j < d; j++) {
      if (model.columns.isCategorical[j] === 1) continue;
      const dk = factor * ((xq[oq + j] ?? 0) - (model.x[oi + j] ?? 0)) * (model.invL2[j] ?? 0);
      meanGrad[j] = (meanGrad[j] ?? 0) + ai * dk;
      varianceGrad[j] = (varianceGrad[j] ?? 0) - 2 * wi * dk;
    }
  }
  if (model.priorMean !== undefined) addBoundaryMeanGradient(model.priorMean, xq, q, d, meanGrad);
  const variance = sf - vv;
  if (variance < MIN_VARIANCE) varianceGrad.fill(0);
  return { mean, variance: Math.max(variance, MIN_VARIANCE), meanGrad, varianceGrad };
}

/**
 * Appends one observation (x row, y value) with the same hyperparameters: rank-one Cholesky extension,
 * O(n²). With y = the posterior mean this is the Kriging believer (Ginsbourger et al. 2010): the mean
 * surface is unchanged, only the uncertainty around the pending point collapses.
 */
export function appendObservation(model: GpModel, row: Float64Array, value: number): void {
  const n = model.n;
  const d = model.columns.dims;
  const cross = crossCovariance(model.x, n, row, 0, model.columns, model.invL2, model.hyper.signalVariance);
  const chol = extendCholesky(model.chol, n, cross, model.hyper.signalVariance + model.hyper.noiseVariance);
  const x = new Float64Array((n + 1) * d);
  x.set(model.x.subarray(0, n * d));
  x.set(row.subarray(0, d), n * d);
  const y = new Float64Array(n + 1);
  y.set(model.y.subarray(0, n));
  // y holds residuals from the prior mean, if any.
  y[n] = value - (model.priorMean === undefined ? 0 : boundaryMeanValue(model.priorMean, row, 0, d));
  model.x = x;
  model.y = y;
  model.n = n + 1;
  model.chol = chol;
  model.alpha = solveCholesky(chol, n + 1, y);
}
