import type { Rng } from "../../rng/create-rng.js";
import { logTruncatedMass, sampleTruncatedNormal } from "./truncated-normal.js";

/**
 * A (multivariate) Parzen estimator over one group of params in the unit cube: a weighted mixture with
 * one product kernel per observation (truncated normals for numerics, a smoothed one-hot distribution
 * for categoricals) plus one wide "prior" component (Bergstra et al. 2011; Falkner et al. 2018 for the
 * product kernels; Watanabe 2023 for the component choices).
 */
export interface ParzenObservation {
  /** Unit coordinates of the group's numeric params. */
  u: ArrayLike<number>;
  /** Choice index of the group's categorical params. */
  c: ArrayLike<number>;
  /** Relative weight (older trials may count less). */
  weight: number;
}

export interface ParzenOptions {
  /** Weight of the prior component relative to one observation (Optuna: 1). */
  priorWeight: number;
  /**
   * "scott": Scott's rule on the weighted sample spread, σ_d = s_d · n^(-1/(d+4)), so the kernels narrow
   * as good points cluster. "neighbor": Optuna's univariate rule, the larger gap to the sorted neighbours.
   * "range": Optuna's multivariate rule, σ = 0.2 · n^(-1/(d+4)) times the (unit) range.
   */
  bandwidth: "scott" | "neighbor" | "range";
  /** Smallest kernel width as a multiple of 1/min(100, 1 + kernels) (Optuna's "magic clip": factor 1). */
  minBandwidthFactor: number;
}

export interface ParzenEstimator {
  sample(rng: Rng): { u: Float64Array; c: Int32Array };
  logPdf(u: ArrayLike<number>, c: ArrayLike<number>): number;
}

function weightedSpread(values: readonly number[], weights: readonly number[]): number {
  let sw = 0;
  let mean = 0;
  values.forEach((v, i) => {
    const w = weights[i] ?? 0;
    sw += w;
    mean += w * v;
  });
  mean /= sw;
  let variance = 0;
  values.forEach((v, i) => {
    variance += (weights[i] ?? 0) * (v - mean) ** 2;
  });
  return Math.sqrt(variance / sw);
}

/** Optuna's univariate rule: each kernel as wide as its larger gap to a sorted neighbour (prior included). */
function neighborBandwidths(mus: readonly number[]): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => (mus[a] ?? 0) - (mus[b] ?? 0));
  const sigmas = new Array<number>(mus.length).fill(1);
  order.forEach((idx, r) => {
    const here = mus[idx] ?? 0;
    const left = r > 0 ? here - (mus[order[r - 1] ?? 0] ?? 0) : here;
    const right = r < order.length - 1 ? (mus[order[r + 1] ?? 0] ?? 0) - here : 1 - here;
    sigmas[idx] = Math.max(left, right);
  });
  return sigmas;
}

export function buildParzenEstimator(
  numericCount: number,
  categorySizes: readonly number[],
  observations: readonly ParzenObservation[],
  options: ParzenOptions,
): ParzenEstimator {
  const n = observations.length;
  const K = n + 1; // observations + prior (last)
  const D = numericCount;
  const C = categorySizes.length;
  const mus = new Float64Array(K * D);
  const invSigmas = new Float64Array(K * D);
  const sigmas = new Float64Array(K * D);
  const logConst = new Float64Array(K);
  const weights = new Float64Array(K);
  let total = options.priorWeight;
  observations.forEach((o) => (total += o.weight));
  observations.forEach((o, k) => (weights[k] = o.weight / total));
  weights[n] = options.priorWeight / total;

  const minSigma = Math.min(1, options.minBandwidthFactor / Math.min(100, 1 + K));
  const obsWeights = observations.map((o) => o.weight);
  for (let d = 0; d < D; d++) {
    const values = observations.map((o) => o.u[d] ?? 0.5);
    let perKernel: number[];
    if (options.bandwidth === "neighbor") {
      perKernel = neighborBandwidths([...values, 0.5]).slice(0, n);
    } else if (options.bandwidth === "range") {
      const width = 0.2 * Math.pow(Math.max(n, 1), -1 / (D + C + 4));
      perKernel = values.map(() => width);
    } else {
      const spread = n >= 2 ? weightedSpread(values, obsWeights) : 0.5;
      const scott = spread * Math.pow(Math.max(n, 1), -1 / (D + C + 4));
      perKernel = values.map(() => scott);
    }
    for (let k = 0; k < K; k++) {
      const isPrior = k === n;
      const mu = isPrior ? 0.5 : (values[k] ?? 0.5);
      const raw = isPrior ? 1 : (perKernel[k] ?? 1);
      const sigma = Math.min(1, Math.max(minSigma, raw));
      mus[k * D + d] = mu;
      sigmas[k * D + d] = sigma;
      invSigmas[k * D + d] = 1 / sigma;
    }
  }
  // Categorical kernels (Optuna 3.x): mass 1 on the observed choice plus a uniform floor of
  // priorWeight / (n + 1) on every choice, renormalized; the floor shrinks as evidence accumulates, so the
  // kernels sharpen with more observations while no choice ever gets probability 0.
  const catLogP: Float64Array[] = categorySizes.map((size) => new Float64Array(K * size));
  const catCum: Float64Array[] = categorySizes.map((size) => new Float64Array(K * size));
  categorySizes.forEach((size, j) => {
    const logP = catLogP[j] ?? new Float64Array(0);
    const cum = catCum[j] ?? new Float64Array(0);
    for (let k = 0; k < K; k++) {
      const observed = k < n ? (observations[k]?.c[j] ?? -1) : -1;
      const base = options.priorWeight / K;
      const norm = (k < n ? 1 : 0) + base * size;
      let acc = 0;
      for (let v = 0; v < size; v++) {
        const p = (base + (v === observed ? 1 : 0)) / norm;
        logP[k * size + v] = Math.log(p);
        acc += p;
        cum[k * size + v] = acc;
      }
    }
  });
  const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  for (let k = 0; k < K; k++) {
    let c = Math.log(weights[k] ?? 0);
    for (let d = 0; d < D; d++) {
      const mu = mus[k * D + d] ?? 0.5;
      const sigma = sigmas[k * D + d] ?? 1;
      c -= Math.log(sigma) + LOG_SQRT_2PI + logTruncatedMass(mu, sigma, 0, 1);
    }
    logConst[k] = c;
  }
  const cumWeights = new Float64Array(K);
  let accW = 0;
  for (let k = 0; k < K; k++) {
    accW += weights[k] ?? 0;
    cumWeights[k] = accW;
  }

  const terms = new Float64Array(K);
  return {
    sample(rng) {
      const r = rng.next() * accW;
      let k = 0;
      while (k < K - 1 && (cumWeights[k] ?? 0) <= r) k++;
      const u = new Float64Array(D);
      for (let d = 0; d < D; d++)
        u[d] = sampleTruncatedNormal(rng, mus[k * D + d] ?? 0.5, sigmas[k * D + d] ?? 1, 0, 1);
      const c = new Int32Array(C);
      categorySizes.forEach((size, j) => {
        const cum = catCum[j] ?? new Float64Array(0);
        const t = rng.next() * (cum[k * size + size - 1] ?? 1);
        let v = 0;
        while (v < size - 1 && (cum[k * size + v] ?? 1) <= t) v++;
        c[j] = v;
      });
      return { u, c };
    },
    logPdf(u, c) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = logConst[k] ?? 0;
        const off = k * D;
        for (let d = 0; d < D; d++) {
          const z = ((u[d] ?? 0) - (mus[off + d] ?? 0)) * (invSigmas[off + d] ?? 1);
          s -= 0.5 * z * z;
        }
        for (let j = 0; j < C; j++) {
          const size = categorySizes[j] ?? 1;
          s += catLogP[j]?.[k * size + (c[j] ?? 0)] ?? 0;
        }
        terms[k] = s;
        if (s > max) max = s;
      }
      if (max === -Infinity) return -Infinity;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp((terms[k] ?? 0) - max);
      return max + Math.log(sum);
    },
  };
}
