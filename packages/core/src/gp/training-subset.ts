import type { GpEncoding } from "./gp-encoding.js";
import type { AcquisitionRegion } from "./acquisition-optimizer.js";

/**
 * Keeps the GP's cost bounded on long studies. Up to `maxModel` trials the model uses all of them (the
 * hyperparameter fit uses the first rows of the returned order: the best trials, then an even spread of the
 * rest). Beyond it the model becomes local, in the spirit of TuRBO (Eriksson et al. 2019, "Scalable Global
 * Optimization via Local Bayesian Optimization"): the `maxModel` trials nearest to the incumbent, with the
 * acquisition restricted to their bounding box, since a model that has not seen the far trials must not
 * propose points there.
 */
export function selectModelRows(
  all: readonly { row: Float64Array }[],
  order: readonly number[],
  maxModel: number,
  bestRow: Float64Array,
  encoding: GpEncoding,
): number[] {
  const total = all.length;
  if (total <= maxModel) {
    const nBest = Math.min(30, total);
    const head = order.slice(0, nBest);
    const taken = new Set(head);
    const rest: number[] = [];
    for (let i = 0; i < total; i++) if (!taken.has(i)) rest.push(i);
    // Interleave the rest by a stride so any prefix is an even spread over the study's history.
    const spread: number[] = [];
    const stride = 7;
    for (let s = 0; s < stride; s++) for (let i = s; i < rest.length; i += stride) spread.push(rest[i] ?? 0);
    return [...head, ...spread];
  }
  const dims = encoding.columns.dims;
  const isCat = encoding.columns.isCategorical;
  const dist = all.map((o, i) => {
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const a = o.row[j] ?? 0;
      const b = bestRow[j] ?? 0;
      s += isCat[j] === 1 ? (a === b ? 0 : 1) : (a - b) * (a - b);
    }
    return { i, s };
  });
  dist.sort((a, b) => a.s - b.s || a.i - b.i);
  return dist.slice(0, maxModel).map((d) => d.i);
}

/** Bounding box (continuous columns) of the model's rows, slightly padded; categoricals unrestricted. */
export function trustRegionAround(
  x: Float64Array,
  n: number,
  dims: number,
  encoding: GpEncoding,
): AcquisitionRegion {
  const lower = new Float64Array(dims).fill(Infinity);
  const upper = new Float64Array(dims).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++) {
      const v = x[i * dims + j] ?? 0;
      if (v < (lower[j] ?? 0)) lower[j] = v;
      if (v > (upper[j] ?? 1)) upper[j] = v;
    }
  }
  for (let j = 0; j < dims; j++) {
    if (encoding.columns.isCategorical[j] === 1) {
      lower[j] = 0;
      upper[j] = 1;
      continue;
    }
    const pad = 0.05 * ((upper[j] ?? 1) - (lower[j] ?? 0));
    lower[j] = Math.max(0, (lower[j] ?? 0) - pad);
    upper[j] = Math.min(1, (upper[j] ?? 1) + pad);
  }
  return { lower, upper };
}
