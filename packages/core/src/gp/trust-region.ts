import type { AcquisitionRegion } from "./acquisition-optimizer.js";
import type { GpEncoding } from "./gp-encoding.js";

/**
 * A TuRBO-style trust region (Eriksson et al. 2019, "Scalable Global Optimization via Local Bayesian
 * Optimization", §3) that confines the acquisition to a box around the incumbent. It is what keeps a GP
 * on multimodal 6–10-dimensional problems from spending its budget on the corners of the cube (where the
 * posterior variance is largest and EI therefore looks best while the model is still poor).
 *
 * The side length is replayed from the history in trial order, so it needs no sampler state (identical in
 * every replica and after a rebuild): it starts at 0.8, doubles after 3 consecutive improvements, halves
 * after max(4, D) consecutive non-improvements, and when it falls below 2⁻⁷ the region restarts at the full
 * cube (global exploration), as TuRBO restarts.
 */

export const TRUST_REGION_INITIAL = 0.8;
const TRUST_REGION_MAX = 1.6;
const TRUST_REGION_MIN = Math.pow(0.5, 7);
const SUCCESS_TOLERANCE = 3;

/** values: completed values (minimization) in trial order. */
export function replayTrustRegionLength(values: readonly number[], nStartup: number, dims: number): number {
  const failureTolerance = Math.max(4, dims);
  let length = TRUST_REGION_INITIAL;
  let best = Infinity;
  let successes = 0;
  let failures = 0;
  values.forEach((v, i) => {
    if (i < nStartup) {
      best = Math.min(best, v);
      return;
    }
    if (v < best - 1e-3 * Math.abs(best)) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    best = Math.min(best, v);
    if (successes >= SUCCESS_TOLERANCE) {
      length = Math.min(2 * length, TRUST_REGION_MAX);
      successes = 0;
    } else if (failures >= failureTolerance) {
      length /= 2;
      failures = 0;
    }
    if (length < TRUST_REGION_MIN) length = TRUST_REGION_MAX;
  });
  return length;
}

/**
 * The box of side length·w_j around the center, w_j ∝ ℓ_j normalized to geometric mean 1 over the active
 * continuous columns (TuRBO: stretch along directions the model finds smooth), clipped to the unit cube.
 */
export function trustRegionBox(
  center: Float64Array,
  length: number,
  lengthScales: Float64Array,
  encoding: GpEncoding,
): AcquisitionRegion {
  const dims = encoding.columns.dims;
  const lower = new Float64Array(dims);
  const upper = new Float64Array(dims).fill(1);
  const cols = encoding.continuousColumns;
  if (cols.length === 0 || length >= 1.6 - 1e-12) return { lower, upper };
  let logMean = 0;
  for (const j of cols) logMean += Math.log(lengthScales[j] ?? 1);
  logMean /= cols.length;
  for (const j of cols) {
    const w = Math.exp(Math.log(lengthScales[j] ?? 1) - logMean);
    const half = 0.5 * length * w;
    const c = center[j] ?? 0.5;
    lower[j] = Math.max(0, c - half);
    upper[j] = Math.min(1, c + half);
  }
  return { lower, upper };
}

/** Intersection of two boxes (falls back to the first if empty in some column). */
export function intersectRegions(a: AcquisitionRegion, b: AcquisitionRegion | undefined): AcquisitionRegion {
  if (b === undefined) return a;
  const lower = new Float64Array(a.lower.length);
  const upper = new Float64Array(a.upper.length);
  for (let j = 0; j < lower.length; j++) {
    const lo = Math.max(a.lower[j] ?? 0, b.lower[j] ?? 0);
    const hi = Math.min(a.upper[j] ?? 1, b.upper[j] ?? 1);
    lower[j] = lo <= hi ? lo : (a.lower[j] ?? 0);
    upper[j] = lo <= hi ? hi : (a.upper[j] ?? 1);
  }
  return { lower, upper };
}
