import type { JsonValue } from "../samplers/sampler-types.js";
import { isPendingState, type HistoryTrial } from "../samplers/sampler-types.js";
import type { GpEncoding } from "./gp-encoding.js";
import { defaultHyperPrior, fitHyperparameters } from "./hyperparameter-fit.js";
import { WARP_LAMBDAS, warpObjectiveValues } from "./output-warping.js";
import { chooseNoiseRegime } from "./noise-regime.js";
import { selectModelRows } from "./training-subset.js";

/**
 * Steps 1–4 of the GP sampler (gp-sampler.ts): from the history to a fitted, output-warped model's
 * training set and hyperparameters. Step 5 (conditioning, pending trials) and 6 (the batch) stay there.
 */
const MAX_FIT_TRIALS = 80;
const SMALL_FIT_TRIALS = 64;
/** L-BFGS iterations of a hyperparameter fit: from scratch, and refining the previous fit. */
const COLD_FIT_ITERATIONS = 60;
const WARM_FIT_ITERATIONS = 25;

export interface Observation {
  row: Float64Array;
  value: number;
  /** Constraint violations (Optuna's convention) of a completed trial; undefined without constraints. */
  violations?: number[] | undefined;
  /** A warm-start prior trial (negative number, prepare-warm-start.ts): modelled, never the incumbent. */
  prior?: boolean;
}

/** The history as the model sees it: minimization, failed trials dropped. */
export interface EncodedHistory {
  /** Completed trials with a value (sign-adjusted to minimization). */
  observed: Observation[];
  /** Pruned trials (imputed later at the worst observed value). */
  pruned: Float64Array[];
  /** Trials still running or waiting: fantasized, never proposed again. */
  pending: Float64Array[];
  /**
   * Values of the study's OWN completed trials in number order (warm-start priors have negative numbers,
   * prepare-warm-start.ts): the stall trust region's schedule is replayed from these alone.
   */
  ownValues: number[];
}

/** The rows the GP is conditioned on (the first nFit of them also fit the hyperparameters). */
export interface TrainingSet {
  /** Observation values before warping, indexed like `observed`. */
  rawValues: number[];
  /** Observation indices, best first. */
  order: number[];
  /** Observation indices of the model rows (row r of x is observed[selected[r]]). */
  selected: number[];
  x: Float64Array;
  n: number;
  nFit: number;
  bestRow: Float64Array;
}

/** The kept output warping and its fit, plus the θ of every warping tried (the next ask's warm start). */
export interface WarpedFit {
  theta: Float64Array;
  /** Warped, standardized values of the model rows. */
  y: Float64Array;
  lambda: number;
  thetas: (Float64Array | undefined)[];
}

export interface WarmState {
  /** Previous θ per candidate warping (aligned with WARP_LAMBDAS; undefined where never fitted). */
  thetas: (Float64Array | undefined)[];
  lambda: number;
}

/** The previous fits carried in the sampler state; anything malformed is ignored (a cold fit instead). */
export function readWarmState(state: JsonValue | null, dims: number): WarmState | undefined {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return undefined;
  const { thetas, lambda } = state;
  if (!Array.isArray(thetas) || typeof lambda !== "number" || !WARP_LAMBDAS.includes(lambda))
    return undefined;
  return {
    lambda,
    thetas: WARP_LAMBDAS.map((_, i) => {
      const t = thetas[i];
      if (!Array.isArray(t) || t.length !== dims + 2) return undefined;
      if (!t.every((v) => typeof v === "number" && Number.isFinite(v))) return undefined;
      return Float64Array.from(t as number[]);
    }),
  };
}

/** Step 1: encode the history (minimization sign applied; failed trials ignored). */
export function encodeHistory(
  trials: readonly HistoryTrial[],
  encoding: GpEncoding,
  sign: number,
  constraintCount: number,
): EncodedHistory {
  const observed: Observation[] = [];
  const pruned: Float64Array[] = [];
  const pending: Float64Array[] = [];
  const own: { number: number; value: number }[] = [];
  for (const t of trials) {
    if (t.state === "complete" && typeof t.value === "number" && !Number.isNaN(t.value)) {
      if (t.number >= 0) own.push({ number: t.number, value: sign * t.value });
      observed.push({
        row: encoding.encode(t.params),
        value: sign * t.value,
        ...(t.number < 0 ? { prior: true } : {}),
        violations:
          constraintCount > 0
            ? (t.constraintViolations ?? new Array<number>(constraintCount).fill(0))
            : undefined,
      });
    } else if (t.state === "pruned") pruned.push(encoding.encode(t.params));
    else if (isPendingState(t.state)) pending.push(encoding.encode(t.params));
  }
  own.sort((a, b) => a.number - b.number);
  return { observed, pruned, pending, ownValues: own.map((o) => o.value) };
}

/** Step 2: pruned trials stopped early because they looked bad: model them at the worst observed value. */
export function imputePruned(history: EncodedHistory): Observation[] {
  let worst = -Infinity;
  for (const o of history.observed) if (Number.isFinite(o.value)) worst = Math.max(worst, o.value);
  return [...history.observed, ...history.pruned.map((row) => ({ row, value: worst }))];
}

/**
 * Step 3: the model rows (at most maxModel: the best and a spread of the rest, see training-subset.ts).
 * Order and subset do not depend on the warping (all candidate warps are increasing).
 */
export function selectTrainingSet(
  observed: readonly Observation[],
  maxModel: number,
  encoding: GpEncoding,
): TrainingSet {
  const dims = encoding.columns.dims;
  const rawValues = observed.map((o) => o.value);
  const order = rawValues.map((_, i) => i).sort((a, b) => (rawValues[a] ?? 0) - (rawValues[b] ?? 0) || a - b);
  const bestRow = observed[order[0] ?? 0]?.row ?? new Float64Array(dims);
  const selected = selectModelRows(observed, order, maxModel, bestRow, encoding);
  const n = selected.length;
  const x = new Float64Array(n * dims);
  selected.forEach((i, r) => x.set(observed[i]?.row ?? new Float64Array(dims), r * dims));
  return { rawValues, order, selected, x, n, nFit: Math.min(n, MAX_FIT_TRIALS), bestRow };
}

/**
 * Step 4: hyperparameters on at most MAX_FIT_TRIALS rows (the best ones and an even spread of the rest), for
 * each candidate output warping; keep the warping with the best warped-GP evidence (MAP value + Jacobian).
 * Cost control: with a warm start and many trials, only the previous warping is fitted, and a warping fitted
 * before is refined in WARM_FIT_ITERATIONS; while the study is small, every warping is fitted again. When the
 * kept fit puts much of the variance in noise, a low-noise refit may replace it (noise-regime.ts).
 */
export function fitWarpedHyperparameters(
  set: TrainingSet,
  encoding: GpEncoding,
  warm: WarmState | undefined,
): WarpedFit {
  const dims = encoding.columns.dims;
  const { nFit, selected } = set;
  const fitX = set.x.subarray(0, nFit * dims);
  const prior = defaultHyperPrior(dims);
  const small = nFit <= SMALL_FIT_TRIALS;
  const thetas: (Float64Array | undefined)[] = WARP_LAMBDAS.map((_, i) => warm?.thetas[i]);
  let chosen: { theta: Float64Array; y: Float64Array; score: number; lambda: number } | undefined;
  WARP_LAMBDAS.forEach((lambda, index) => {
    if (warm !== undefined && !small && lambda !== warm.lambda) return;
    const warped = warpObjectiveValues(set.rawValues, lambda);
    const y = Float64Array.from(selected, (i) => warped.values[i] ?? 0);
    const warmTheta = thetas[index];
    const fit = fitHyperparameters(fitX, y.subarray(0, nFit), nFit, encoding.columns, prior, {
      warmStart: warmTheta,
      maxIterations: warmTheta === undefined ? COLD_FIT_ITERATIONS : WARM_FIT_ITERATIONS,
    });
    thetas[index] = fit.theta;
    let score = -fit.negLogPosterior;
    for (let r = 0; r < nFit; r++) score += warped.logJacobian[selected[r] ?? 0] ?? 0;
    if (chosen === undefined || score > chosen.score) chosen = { theta: fit.theta, y, score, lambda };
  });
  if (chosen === undefined) throw new Error("unreachable: no warping candidates");
  // A noisy-looking fit is checked against a low-noise one (noise-regime.ts); the next ask still warm-starts
  // from the default fit (thetas), so the check is made afresh each time.
  const regime = chooseNoiseRegime(
    fitX,
    chosen.y.subarray(0, nFit),
    nFit,
    encoding.columns,
    prior,
    chosen.theta,
    WARM_FIT_ITERATIONS,
  );
  return { theta: regime.theta, y: chosen.y, lambda: chosen.lambda, thetas };
}
