import type { AcquisitionRegion } from "./acquisition-optimizer.js";
import type { GpEncoding } from "./gp-encoding.js";
import { warpObjectiveValues } from "./output-warping.js";

/**
 * A trust region that takes over when the GP's global step stalls, after TuRBO (Eriksson et al. 2019,
 * "Scalable Global Optimization via Local Bayesian Optimization", §2 and Algorithm 1).
 *
 * Why: a global GP on a rugged or steep landscape (Rastrigin, Michalewicz, the Zakharov valley) keeps
 * proposing points on the boundary of the box, where its variance is largest and its extrapolated trend
 * lowest, and re-proposes near-copies of a corner incumbent; those trials teach it nothing. TuRBO's answer
 * is a box around the incumbent whose size follows the success of the last proposals: it doubles after
 * TAU_SUCCESS improvements in a row and halves after `tauFail` failures in a row; inside it the model is
 * locally right and the acquisition cannot run off to the corners.
 *
 * How it is used here: the acquisition stays GLOBAL (the plain GP, unchanged) while it keeps improving.
 * After `tauFail` global proposals in a row fail to improve the best value, the acquisition is restricted to
 * the trust region around the incumbent, starting at side LENGTH_INIT; once the region has shrunk below
 * LENGTH_MIN (the local search converged) the next proposals are global again (TuRBO's restart, except that
 * the model keeps every trial), and the cycle repeats.
 *
 * The schedule is a pure function of the history: it is REPLAYED from the trials' values in number order on
 * every ask, so it needs no sampler state and a rebuilt study continues identically.
 *
 * The success test: TuRBO counts a success when the value beats the best by 1e-3·|best|, which depends on
 * where the objective's zero is; here the thresholds are fractions of the gap between the start-up trials'
 * median and best value (shift- and scale-free). A proposal is a success when it beats the best by more than
 * MIN_GAIN_FRACTION of that gap AND either
 *   - by more than LARGE_GAIN_FRACTION of it (a real step), or
 *   - by at least STEADY_STEP_RATIO times the previous improvement (the search keeps the pace it had).
 * Why two tests: on a multimodal landscape (Michalewicz, Rastrigin) the region lands in a basin and then
 * polishes it with improvements that shrink geometrically; counting those as successes keeps the region
 * (and the study) in that basin for the rest of the budget, so they must count as failures for the region to
 * collapse and the global step to look elsewhere. Along a valley (Rosenbrock, Zakharov) progress also comes
 * in steps far below a tenth of the spread, but each about as large as the last; counting those as failures
 * collapses the region while the valley is still paying (measured in docs/benchmarks.md: with the plain 0.1
 * test Rosenbrock-4 at 60 trials lost on 24 of 30 seeds). The pace test tells the two apart.
 *
 * On the model's output scale (replayOnModelScale): the values are first mapped by the output warping the
 * GP chose (output-warping.ts; increasing, so only the threshold changes). On raw values a heavy-tailed
 * objective breaks the threshold: Zakharov's quartic term puts the start-up median at ~10⁴ with a best of
 * ~10², so the threshold is ~35 and steady 20% improvements at values near 50 all count as failures; the
 * region then halves while the search is progressing and the run crawls along the valley in a box of 1% of
 * the range (traced in docs/benchmarks.md). Under the log warping the GP picks there, the same steps are
 * successes.
 */

/** Side lengths in the unit cube (before the per-column length-scale weights), as in TuRBO. */
export const LENGTH_INIT = 0.8;
export const LENGTH_MIN = 2 ** -7;
export const LENGTH_MAX = 1.6;
export const TAU_SUCCESS = 3;
/** The success test's fractions of the start-up spread and its pace ratio (see above). */
const MIN_GAIN_FRACTION = 1e-3;
const LARGE_GAIN_FRACTION = 0.1;
const STEADY_STEP_RATIO = 0.3;

export interface TrustRegionSchedule {
  /** "local": the next proposal is restricted to the region of side `length` around the incumbent. */
  mode: "global" | "local";
  length: number;
}

/** TuRBO's failure tolerance: max(4, dims) proposals in a row without improvement. */
export function failureTolerance(dims: number): number {
  return Math.max(4, dims);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Replays the schedule over `values` (minimization, in trial-number order); the first `nStartup` values are
 * the space-filling start-up and only set the best value and the improvement threshold.
 */
export function replayTrustRegion(
  values: readonly number[],
  nStartup: number,
  tauFail: number,
): TrustRegionSchedule {
  const startup = values.slice(0, Math.max(1, nStartup)).filter((v) => Number.isFinite(v));
  let best = Math.min(...startup);
  const spread = startup.length > 0 ? median(startup) - best : 0;
  let mode: TrustRegionSchedule["mode"] = "global";
  let length = LENGTH_INIT;
  let failures = 0;
  let successes = 0;
  let lastGain = 0;
  for (let i = Math.max(1, nStartup); i < values.length; i++) {
    const v = values[i] ?? Infinity;
    const improved = !Number.isFinite(best) ? Number.isFinite(v) : isSuccess(best - v, lastGain, spread);
    if (Number.isFinite(best) && v < best) lastGain = best - v;
    if (v < best) best = v;
    if (improved) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    if (mode === "global") {
      if (failures >= tauFail) {
        mode = "local";
        length = LENGTH_INIT;
        failures = 0;
        successes = 0;
      }
      continue;
    }
    if (successes >= TAU_SUCCESS) {
      length = Math.min(2 * length, LENGTH_MAX);
      successes = 0;
    } else if (failures >= tauFail) {
      length /= 2;
      failures = 0;
    }
    if (length < LENGTH_MIN) {
      mode = "global";
      length = LENGTH_INIT;
      failures = 0;
      successes = 0;
    }
  }
  return { mode, length };
}

/** The success test (see the file's comment): `gain` = best − value, `spread` = start-up median − best. */
function isSuccess(gain: number, lastGain: number, spread: number): boolean {
  if (!(gain > MIN_GAIN_FRACTION * spread)) return false;
  return gain > LARGE_GAIN_FRACTION * spread || (lastGain > 0 && gain >= STEADY_STEP_RATIO * lastGain);
}

/**
 * The schedule replayed on the GP's output scale: `values` warped with the chosen exponent `lambda`
 * (output-warping.ts), so the success threshold is a fraction of the start-up spread as the model sees it.
 */
export function replayOnModelScale(
  values: readonly number[],
  lambda: number,
  nStartup: number,
  tauFail: number,
): TrustRegionSchedule {
  if (lambda === 1) return replayTrustRegion(values, nStartup, tauFail);
  return replayTrustRegion(Array.from(warpObjectiveValues(values, lambda).values), nStartup, tauFail);
}

/**
 * TuRBO's bounds on the length scales that shape its box, in cube widths (Eriksson et al. 2019, §2: ℓ in
 * [0.005, 2]). Our fit bounds ℓ only by [1e−3, 1e3] (hyperparameter-fit.ts), and where few params matter
 * the irrelevant ones drift to ℓ of 10–100; uncapped, they dominate the geometric mean and squeeze the
 * relevant sides to ~1% of their range (three-hump camel in 7 params: ℓ ≈ 0.12 and 0.27 on the relevant
 * columns, 20–100 on the others, relevant sides 0.007), so a run that turned local in a wrong basin cannot
 * leave it. Capped, an irrelevant column counts as ℓ = 2 (its side still spans the cube) and the relevant
 * sides start at ~10% of their range, as TuRBO's would. The fit itself is unchanged: the cap shapes only the
 * box (measured in docs/benchmarks.md, "TuRBO's cap on the length scales that shape the stall box, landed").
 */
export const BOX_LENGTH_SCALE_MIN = 0.005;
export const BOX_LENGTH_SCALE_MAX = 2;

/**
 * The region of side `length` around `center`: each continuous column's side is weighted by its length
 * scale (capped at TuRBO's bounds, above) over their geometric mean, so the box is longer along the
 * directions the model finds smooth; clipped to the unit cube (and to `within`, when the model is already
 * local). Categorical columns stay unrestricted.
 */
export function trustRegionBox(
  center: Float64Array,
  length: number,
  lengthScales: Float64Array,
  encoding: GpEncoding,
  within?: AcquisitionRegion,
): AcquisitionRegion {
  const constrained = continuousColumnSet(encoding);
  const capped = lengthScales.map((l) => Math.min(Math.max(l, BOX_LENGTH_SCALE_MIN), BOX_LENGTH_SCALE_MAX));
  return boxOverColumns(center, length, capped, constrained, encoding.columns.dims, within);
}

/** The encoded columns a box restricts: every column but the categorical ones. */
export function continuousColumnSet(encoding: GpEncoding): Set<number> {
  const columns = new Set<number>();
  const isCat = encoding.columns.isCategorical;
  for (let j = 0; j < encoding.columns.dims; j++) if (isCat[j] !== 1) columns.add(j);
  return columns;
}

/**
 * The box of side `length` around `center` over the `constrained` columns: each side is `length` times the
 * column's length scale over the geometric mean of the constrained columns' length scales, clipped to
 * `within` (default the unit cube); the other columns keep their whole range within `within`.
 */
export function boxOverColumns(
  center: Float64Array,
  length: number,
  lengthScales: Float64Array,
  constrained: ReadonlySet<number>,
  dims: number,
  within?: AcquisitionRegion,
): AcquisitionRegion {
  const geoMean = geometricMeanOver(lengthScales, constrained);
  const lower = new Float64Array(dims);
  const upper = new Float64Array(dims).fill(1);
  for (let j = 0; j < dims; j++) {
    const lo = within?.lower[j] ?? 0;
    const hi = within?.upper[j] ?? 1;
    if (!constrained.has(j)) {
      lower[j] = lo;
      upper[j] = hi;
      continue;
    }
    const half = (0.5 * length * (lengthScales[j] ?? 1)) / geoMean;
    const c = center[j] ?? 0.5;
    lower[j] = Math.max(lo, c - half);
    upper[j] = Math.min(hi, c + half);
    if ((upper[j] ?? 1) < (lower[j] ?? 0)) upper[j] = lower[j] ?? 0;
  }
  return { lower, upper };
}

/** The geometric mean of the length scales of `columns` (1 when there is none). */
export function geometricMeanOver(lengthScales: Float64Array, columns: ReadonlySet<number>): number {
  let logSum = 0;
  for (const j of columns) logSum += Math.log(lengthScales[j] ?? 1);
  return columns.size > 0 ? Math.exp(logSum / columns.size) : 1;
}
