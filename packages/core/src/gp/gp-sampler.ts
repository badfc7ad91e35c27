import type { Space, GpSamplerConfig, Params } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import type { JsonValue, Sampler, SampleRequest, SampleResult } from "../samplers/sampler-types.js";
import { isPendingState, requestDirections } from "../samplers/sampler-types.js";
import { isFeasible, totalViolation } from "../constraints/constraint-violations.js";
import { fitFeasibilityModel } from "./feasibility-model.js";
import { sampleParego } from "./parego.js";
import { createSobolSampler } from "../samplers/sobol-sampler.js";
import { sobolCoordinate } from "../samplers/sobol-sequence.js";
import { maximizeLogEi } from "./acquisition-optimizer.js";
import { createGpEncoding, type GpEncoding } from "./gp-encoding.js";
import { appendObservation, conditionGp, predict } from "./gp-model.js";
import { defaultHyperPrior, fitHyperparameters } from "./hyperparameter-fit.js";
import { hyperFromTheta } from "./marginal-likelihood.js";
import { WARP_LAMBDAS, warpObjectiveValues } from "./output-warping.js";
import { selectModelRows, trustRegionAround } from "./training-subset.js";

/**
 * Gaussian-process Bayesian optimization sampler (issue 4):
 * scrambled-Sobol start-up → Matérn-5/2 ARD GP (exact categoricals, conditional flags) on power-warped,
 * standardized outputs with MAP hyperparameters → log EI maximized over candidates + L-BFGS; batches and
 * pending trials by Kriging believer fantasies (rank-one Cholesky updates) plus an exclusion radius of
 * BATCH_EXCLUSION length scales around pending and same-batch points. Failed trials are ignored; pruned ones
 * count as the worst observed value.
 *
 * Determinism: all randomness comes from createRng(seed, trialNumber, STREAM_GP) and quasi-random points
 * addressed by index; the only state is the previous fit (θ per candidate warping and the chosen warping),
 * a warm start that the service stores with the study, so a rebuilt study continues identically.
 */

export const STREAM_GP = 0x47503031; // "GP01"
const DEFAULT_MAX_MODEL_TRIALS = 250;
const MULTI_OBJECTIVE_MAX_MODEL_TRIALS = 150;
const MAX_FIT_TRIALS = 80;
const SMALL_FIT_TRIALS = 64;
/** Minimum distance, in length scales, between a suggestion and pending / same-batch points. */
const BATCH_EXCLUSION = 0.1;

export type GpSamplerOptions = Omit<GpSamplerConfig, "type">;

interface Observation {
  row: Float64Array;
  value: number;
  /** Constraint violations (Optuna's convention) of a completed trial; undefined without constraints. */
  violations?: number[] | undefined;
}

interface WarmState {
  /** Previous θ per candidate warping (aligned with WARP_LAMBDAS; undefined where never fitted). */
  thetas: (Float64Array | undefined)[];
  lambda: number;
}

/** The previous fits carried in the sampler state; anything malformed is ignored (a cold fit instead). */
function readWarmState(state: JsonValue | null, dims: number): WarmState | undefined {
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

/**
 * Scoring a candidate costs O(n²) (a triangular solve), so beyond ~100 model rows the default candidate
 * count shrinks to keep candidates·n² ≈ 3·10⁷ (a few hundred ms at most on this machine); an explicit
 * nCandidates option is honoured as given.
 */
function candidateCount(base: number, n: number, explicit: boolean): number {
  if (explicit) return base;
  return Math.max(384, Math.min(base, Math.floor(3e7 / (n * n))));
}

export function defaultStartupTrials(encoding: GpEncoding): number {
  return Math.max(5, Math.min(encoding.space.length + 1, 12));
}

/**
 * How pending trials and earlier points of a batch are accounted for:
 * - "believer" (default): Kriging believer fantasies (value = posterior mean) plus an exclusion radius;
 * - "constant-liar": fantasies at the worst observed value and no radius (the textbook baseline whose
 *   failure modes the batch tests and the dev bench measure).
 */
export type GpBatchStrategy = "believer" | "constant-liar";

export function createGpSampler(
  options: GpSamplerOptions,
  space: Space,
  batchStrategy: GpBatchStrategy = "believer",
): Sampler {
  const encoding = createGpEncoding(space);
  const sobol = createSobolSampler({}, space);
  const nStartup = options.nStartupTrials ?? defaultStartupTrials(encoding);
  const dims = encoding.columns.dims;
  const nCandidates = options.nCandidates ?? Math.min(4096, 1024 + 256 * dims);
  const maxModel = Math.max(options.maxTrainingTrials ?? DEFAULT_MAX_MODEL_TRIALS, 10);
  // ParEGO refits on a new scalarization at every ask, so its model is kept smaller (ask latency target
  // of 0.5 s at 300 trials with 2 objectives; the subset keeps the best rows of the current scalarization).
  const maxModelMulti = Math.max(options.maxTrainingTrials ?? MULTI_OBJECTIVE_MAX_MODEL_TRIALS, 10);

  const sample = (req: SampleRequest): SampleResult => {
    // Several objectives: random scalarizations of one GP per suggestion (ParEGO, parego.ts).
    if (requestDirections(req).length >= 2) return sampleParego(req, (r) => sampleSingle(r, maxModelMulti));
    return sampleSingle(req, maxModel);
  };

  const sampleSingle = (req: SampleRequest, maxModel: number): SampleResult => {
    const constraintCount = req.constraintCount ?? 0;
    const sign = req.direction === "maximize" ? -1 : 1;
    const observed: Observation[] = [];
    const prunedRows: Float64Array[] = [];
    const pending: Float64Array[] = [];
    for (const t of req.trials) {
      if (t.state === "complete" && typeof t.value === "number" && !Number.isNaN(t.value)) {
        observed.push({
          row: encoding.encode(t.params),
          value: sign * t.value,
          violations:
            constraintCount > 0
              ? (t.constraintViolations ?? new Array<number>(constraintCount).fill(0))
              : undefined,
        });
      } else if (t.state === "pruned") prunedRows.push(encoding.encode(t.params));
      else if (isPendingState(t.state)) pending.push(encoding.encode(t.params));
    }
    if (observed.length < nStartup || observed.length < 2) {
      const s = sobol.sample({ ...req, state: null });
      return { suggestions: s.suggestions, state: req.state, exhausted: false, origin: "sobol" };
    }
    // Pruned trials stopped early because they looked bad: model them at the worst observed value.
    let worst = -Infinity;
    for (const o of observed) if (Number.isFinite(o.value)) worst = Math.max(worst, o.value);
    for (const row of prunedRows) observed.push({ row, value: worst });

    // Order and subset do not depend on the warping (all candidate warps are increasing).
    const rawValues = observed.map((o) => o.value);
    const order = rawValues
      .map((_, i) => i)
      .sort((a, b) => (rawValues[a] ?? 0) - (rawValues[b] ?? 0) || a - b);
    const bestRow = observed[order[0] ?? 0]?.row ?? new Float64Array(dims);
    const selected = selectModelRows(observed, order, maxModel, bestRow, encoding);
    const n = selected.length;
    const x = new Float64Array(n * dims);
    selected.forEach((i, r) => x.set(observed[i]?.row ?? new Float64Array(dims), r * dims));

    // Hyperparameters on at most MAX_FIT_TRIALS rows (the best ones and an even spread of the rest), for each
    // candidate output warping; keep the warping with the best warped-GP evidence (MAP value + Jacobian).
    const nFit = Math.min(n, MAX_FIT_TRIALS);
    const fitX = x.subarray(0, nFit * dims);
    const prior = defaultHyperPrior(dims);
    // Cost control: with a warm start and many trials, keep the previous warping and refine θ from the
    // previous fit only; while the study is small, re-select the warping.
    const warm = readWarmState(req.state, dims);
    const small = nFit <= SMALL_FIT_TRIALS;
    const thetas: (Float64Array | undefined)[] = WARP_LAMBDAS.map((_, i) => warm?.thetas[i]);
    let chosen: { theta: Float64Array; y: Float64Array; score: number; lambda: number } | undefined;
    WARP_LAMBDAS.forEach((lambda, index) => {
      if (warm !== undefined && !small && lambda !== warm.lambda) return;
      const warped = warpObjectiveValues(rawValues, lambda);
      const y = Float64Array.from(selected, (i) => warped.values[i] ?? 0);
      const warmTheta = thetas[index];
      const fit = fitHyperparameters(fitX, y.subarray(0, nFit), nFit, encoding.columns, prior, {
        warmStart: warmTheta,
        maxIterations: warmTheta === undefined ? 60 : 25,
      });
      thetas[index] = fit.theta;
      let score = -fit.negLogPosterior;
      for (let r = 0; r < nFit; r++) score += warped.logJacobian[selected[r] ?? 0] ?? 0;
      if (chosen === undefined || score > chosen.score) chosen = { theta: fit.theta, y, score, lambda };
    });
    if (chosen === undefined) throw new Error("unreachable: no warping candidates");
    const { theta, y } = chosen;
    const model = conditionGp(x, y, n, encoding.columns, hyperFromTheta(theta, dims));

    // With constraints: the incumbent is the best FEASIBLE value, perturbation centers are feasible first
    // (then least violating), and a GP per constraint gives the probability of feasibility.
    const withConstraints = constraintCount > 0;
    const feasibleAt = (i: number): boolean => !withConstraints || isFeasible(observed[i]?.violations);
    let best = Infinity;
    for (let r = 0; r < n; r++) if (feasibleAt(selected[r] ?? 0)) best = Math.min(best, y[r] ?? Infinity);
    let minY = Infinity;
    for (let r = 0; r < n; r++) minY = Math.min(minY, y[r] ?? Infinity);
    const eiBest = best === Infinity ? minY : best;
    const centerOrder = withConstraints
      ? [...order].sort(
          (a, b) =>
            Number(!feasibleAt(a)) - Number(!feasibleAt(b)) ||
            (feasibleAt(a)
              ? 0
              : totalViolation(observed[a]?.violations) - totalViolation(observed[b]?.violations)) ||
            order.indexOf(a) - order.indexOf(b),
        )
      : order;
    const incumbents = centerOrder.slice(0, 5).map((i) => observed[i]?.row ?? bestRow);
    const constrained = observed.filter((o) => o.violations !== undefined);
    const feasibility = withConstraints
      ? fitFeasibilityModel(
          constrained.map((o) => o.row),
          constrained.map((o) => o.violations ?? []),
          constraintCount,
          encoding,
        )
      : undefined;
    // Above maxModel trials the model is local: candidates stay inside the box of the rows it has seen.
    const region = n < observed.length ? trustRegionAround(x, n, dims, encoding) : undefined;

    // Kriging believer: pending trials become fantasies at the posterior mean.
    let worstY = -Infinity;
    for (let i = 0; i < n; i++) worstY = Math.max(worstY, y[i] ?? -Infinity);
    const fantasy = (row: Float64Array): number =>
      batchStrategy === "constant-liar" ? worstY : predict(model, row, 0).mean;
    const exclusion = batchStrategy === "constant-liar" ? 0 : BATCH_EXCLUSION;
    for (const row of pending) appendObservation(model, row, fantasy(row));

    // Never propose an evaluated point again; keep a batch's points and pending trials apart by at least
    // BATCH_EXCLUSION length scales (Kriging believer alone lets a batch collapse onto one spot next to the
    // incumbent: the fantasy only shrinks the variance AT the pending point).
    const taken = new Set<string>();
    const rowKey = (row: Float64Array): string => Array.from(row).join(",");
    for (const o of observed) taken.add(rowKey(o.row));
    const neighbours: Float64Array[] = [...pending];
    for (const row of pending) taken.add(rowKey(row));
    const invL2 = model.invL2;
    const isCat = encoding.columns.isCategorical;
    const tooClose = (row: Float64Array): boolean => {
      if (taken.has(rowKey(row))) return true;
      for (const other of neighbours) {
        let r2 = 0;
        for (let j = 0; j < dims; j++) {
          const d = isCat[j] === 1 ? (row[j] === other[j] ? 0 : 1) : (row[j] ?? 0) - (other[j] ?? 0);
          r2 += d * d * (invL2[j] ?? 0);
          if (r2 >= exclusion * exclusion) break;
        }
        if (r2 < exclusion * exclusion) return true;
      }
      return false;
    };

    const suggestions: Params[] = [];
    for (let k = 0; k < req.count; k++) {
      const number = req.firstNumber + k;
      const rng = createRng(req.seed, number, STREAM_GP);
      const pointSeed = Math.floor(rng.next() * 4294967296);
      const result = maximizeLogEi({
        model,
        encoding,
        best: eiBest,
        rng,
        incumbents,
        nCandidates: candidateCount(nCandidates, model.n, options.nCandidates !== undefined),
        region,
        isTaken: tooClose,
        feasibility,
        feasibilityOnly: best === Infinity,
        uniformPoint: (index, out) => {
          for (let j = 0; j < out.length; j++) out[j] = sobolCoordinate(index, j, pointSeed);
        },
      });
      suggestions.push(encoding.decode(result.row));
      taken.add(rowKey(result.row));
      neighbours.push(result.row);
      if (k < req.count - 1) appendObservation(model, result.row, fantasy(result.row));
    }
    return {
      suggestions,
      state: {
        lambda: chosen.lambda,
        thetas: thetas.map((t) => (t === undefined ? null : Array.from(t))),
        fittedOn: nFit,
      },
      exhausted: false,
      origin: "gp",
    };
  };

  return { type: "gp", sample };
}
