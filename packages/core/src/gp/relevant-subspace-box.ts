import type { AcquisitionRegion } from "./acquisition-optimizer.js";
import type { GpEncoding } from "./gp-encoding.js";
import { boxOverColumns, continuousColumnSet, geometricMeanOver } from "./stall-trust-region.js";

/**
 * The stall trust region's box (stall-trust-region.ts) shaped over the columns it actually constrains.
 *
 * TuRBO (Eriksson et al. 2019, "Scalable Global Optimization via Local Bayesian Optimization", §2) gives
 * column j the side L·ℓ_j / G, G the geometric mean of all length scales, so the box's volume is L^d and its
 * shape follows the model. TuRBO bounds its length scales to [0.005, 2] cube widths; ours are bounded only
 * by [1e−3, 1e3] (hyperparameter-fit.ts), and on a space where few params matter the irrelevant ones drift
 * to ℓ of 10–100 as trials accumulate. G is then dominated by them: on Three-hump camel in 7 params
 * (suite-problems.ts) ℓ ≈ (0.12, 0.27) on the two relevant columns and 20–100 on the five others put G at
 * ~14, so the relevant sides were 0.8·0.12/14 ≈ 0.007 of their range, while the irrelevant sides were
 * nominally 3–6 cube widths, clipped to the cube. The "local" search then could not leave the basin of a
 * wrong incumbent in the only columns that matter, and 4 of 7 seeds ended at the local minimum 0.2986.
 * (The default box, trustRegionBox, now caps the length scales at TuRBO's bounds instead; this box is the
 * alternative measured against it, an A/B switch of createGpSampler, off by default.)
 *
 * Here the volume budget is spent only where the box is a restriction. A column whose nominal side is at
 * least the cube's width is released (its whole range, within `within`); G is recomputed over the columns
 * still constrained, which can release more, until no column changes. So the box has geometric-mean side
 * L over the columns it constrains: TuRBO's box in the subspace the model finds relevant. With all sides
 * below 1 (every column relevant) this is TuRBO's box exactly.
 */
export function relevantSubspaceBox(
  center: Float64Array,
  length: number,
  lengthScales: Float64Array,
  encoding: GpEncoding,
  within?: AcquisitionRegion,
): AcquisitionRegion {
  const constrained = continuousColumnSet(encoding);
  for (;;) {
    const geoMean = geometricMeanOver(lengthScales, constrained);
    const released = [...constrained].filter((j) => (length * (lengthScales[j] ?? 1)) / geoMean >= 1);
    if (released.length === 0) break;
    for (const j of released) constrained.delete(j);
  }
  return boxOverColumns(center, length, lengthScales, constrained, encoding.columns.dims, within);
}
