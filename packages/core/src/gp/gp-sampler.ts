import type { Space, GpSamplerConfig, Params } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import type { Sampler, SampleRequest, SampleResult } from "../samplers/sampler-types.js";
import { requestDirections } from "../samplers/sampler-types.js";
import { fitFeasibilityModel, type FeasibilityModel } from "./feasibility-model.js";
import { sampleParego } from "./parego.js";
import { createSobolSampler } from "../samplers/sobol-sampler.js";
import { sobolCoordinate } from "../samplers/sobol-sequence.js";
import { maximizeLogEi, type AcquisitionRegion } from "./acquisition-optimizer.js";
import { createGpEncoding, type GpEncoding } from "./gp-encoding.js";
import { appendObservation, conditionGp, predict, type GpModel } from "./gp-model.js";
import { hyperFromTheta } from "./marginal-likelihood.js";
import { trustRegionAround } from "./training-subset.js";
import { rankIncumbents } from "./incumbents.js";
import {
  encodeHistory,
  fitWarpedHyperparameters,
  imputePruned,
  readWarmState,
  selectTrainingSet,
  type EncodedHistory,
  type Observation,
  type TrainingSet,
  type WarpedFit,
} from "./gp-fit-steps.js";
import { failureTolerance, replayOnModelScale, trustRegionBox } from "./stall-trust-region.js";
import { relevantSubspaceBox } from "./relevant-subspace-box.js";
import { withBoundaryMean } from "./boundary-mean.js";

/**
 * Gaussian-process Bayesian optimization sampler:
 * scrambled-Sobol start-up → Matérn-5/2 ARD GP (exact categoricals, conditional flags) on power-warped,
 * standardized outputs with MAP hyperparameters and, for one objective without constraints, a prior mean
 * rising towards the box's boundary (boundary-mean.ts) → log EI maximized over candidates + L-BFGS; batches and
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
/** ParEGO refits on a new scalarization at every ask: a smaller model keeps a 2-objective ask under 0.5 s. */
const MULTI_OBJECTIVE_MAX_MODEL_TRIALS = 150;
/** Incumbents whose neighbourhoods the acquisition optimizer perturbs (best first). */
const PERTURBATION_CENTERS = 5;
/** Minimum distance, in length scales, between a suggestion and pending / same-batch points. */
const BATCH_EXCLUSION = 0.1;

export type GpSamplerOptions = Omit<GpSamplerConfig, "type">;

/** What the batch loop reads and updates while it proposes points one after another. */
interface BatchState {
  /** Conditioned on the model rows plus fantasies of pending trials and earlier batch points. */
  model: GpModel;
  /** Incumbent (warped, minimization) for expected improvement. */
  best: number;
  incumbents: Float64Array[];
  region: AcquisitionRegion | undefined;
  /** The value a fantasy observation gets at a row. */
  fantasy: (row: Float64Array) => number;
  /** Minimum distance in length scales to `neighbours` (0 turns the radius off). */
  exclusion: number;
  /** Keys of evaluated, pending and proposed rows. */
  taken: Set<string>;
  neighbours: Float64Array[];
  /** Constraints: probability-of-feasibility models, and whether no trial is feasible yet. */
  feasibility: FeasibilityModel | undefined;
  feasibilityOnly: boolean;
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

const rowKey = (row: Float64Array): string => Array.from(row).join(",");

/**
 * Step 5: condition the GP and account for pending trials. Kriging believer: pending trials become fantasies
 * at the posterior mean, and suggestions keep BATCH_EXCLUSION length scales from pending and same-batch
 * points (the fantasy alone only shrinks the variance AT the pending point, so a batch would collapse onto
 * one spot next to the incumbent). Constant liar: fantasies at the worst model value, no radius.
 */
function prepareBatch(
  set: TrainingSet,
  fit: WarpedFit,
  history: EncodedHistory,
  observed: readonly Observation[],
  encoding: GpEncoding,
  strategy: GpBatchStrategy,
  constraintCount: number,
  stallRegion: boolean,
  nStartup: number,
  relevantBox: boolean,
  boundaryMean: boolean,
): BatchState {
  const dims = encoding.columns.dims;
  const { n } = set;
  const { y } = fit;
  const zeroMean = conditionGp(set.x, y, n, encoding.columns, hyperFromTheta(fit.theta, dims));
  // A prior mean that rises towards the box's boundary, against EI's boundary over-exploration
  // (boundary-mean.ts); kept zero where the data do not rise there.
  const model = boundaryMean ? withBoundaryMean(zeroMean, encoding) : zeroMean;
  // The incumbent and perturbation centers: the best feasible OWN trials first (incumbents.ts); with
  // constraints, one GP per constraint gives the probability of feasibility (feasibility-model.ts), and
  // with no feasible trial yet the acquisition is log PoF alone.
  const withConstraints = constraintCount > 0;
  const { best, feasibilityOnly, centerOrder } = rankIncumbents(set, y, observed, withConstraints);
  const bestOwnRow = observed[centerOrder[0] ?? 0]?.row ?? set.bestRow;
  const incumbents = centerOrder.slice(0, PERTURBATION_CENTERS).map((i) => observed[i]?.row ?? set.bestRow);
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
  let region = n < observed.length ? trustRegionAround(set.x, n, dims, encoding) : undefined;
  // When the global step has stalled: a TuRBO trust region around the incumbent (stall-trust-region.ts).
  if (stallRegion) {
    const schedule = replayOnModelScale(history.ownValues, fit.lambda, nStartup, failureTolerance(dims));
    const box = relevantBox ? relevantSubspaceBox : trustRegionBox;
    if (schedule.mode === "local")
      region = box(bestOwnRow, schedule.length, model.hyper.lengthScales, encoding, region);
  }

  let worstY = -Infinity;
  for (let i = 0; i < n; i++) worstY = Math.max(worstY, y[i] ?? -Infinity);
  const fantasy = (row: Float64Array): number =>
    strategy === "constant-liar" ? worstY : predict(model, row, 0).mean;
  for (const row of history.pending) appendObservation(model, row, fantasy(row));

  // Never propose an evaluated or pending point again.
  const taken = new Set<string>();
  for (const o of observed) taken.add(rowKey(o.row));
  for (const row of history.pending) taken.add(rowKey(row));
  return {
    model,
    best,
    incumbents,
    region,
    fantasy,
    exclusion: strategy === "constant-liar" ? 0 : BATCH_EXCLUSION,
    taken,
    neighbours: [...history.pending],
    feasibility,
    feasibilityOnly,
  };
}

/** Whether a row is taken or within the exclusion radius (in length scales) of a pending / batch point. */
function isTooClose(batch: BatchState, row: Float64Array, encoding: GpEncoding): boolean {
  if (batch.taken.has(rowKey(row))) return true;
  const dims = encoding.columns.dims;
  const invL2 = batch.model.invL2;
  const isCat = encoding.columns.isCategorical;
  const limit = batch.exclusion * batch.exclusion;
  for (const other of batch.neighbours) {
    let r2 = 0;
    for (let j = 0; j < dims; j++) {
      const d = isCat[j] === 1 ? (row[j] === other[j] ? 0 : 1) : (row[j] ?? 0) - (other[j] ?? 0);
      r2 += d * d * (invL2[j] ?? 0);
      if (r2 >= limit) break;
    }
    if (r2 < limit) return true;
  }
  return false;
}

/** The GP sampler, plus its entry for one ParEGO scalarization (used by the warm start, gp-warm-start.ts). */
export interface GpSampler extends Sampler {
  sampleScalarized(req: SampleRequest): SampleResult;
}

export function createGpSampler(
  options: GpSamplerOptions,
  space: Space,
  batchStrategy: GpBatchStrategy = "believer",
  stallRegion = true,
  /** The stall region's box over the columns it constrains (relevant-subspace-box.ts); else TuRBO's. */
  relevantBox = false,
  /** The boundary-rising prior mean (boundary-mean.ts), for single-objective unconstrained requests. */
  boundaryMean = true,
): GpSampler {
  const encoding = createGpEncoding(space);
  const sobol = createSobolSampler({}, space);
  const nStartup = options.nStartupTrials ?? defaultStartupTrials(encoding);
  const dims = encoding.columns.dims;
  const nCandidates = options.nCandidates ?? Math.min(4096, 1024 + 256 * dims);
  const maxModel = Math.max(options.maxTrainingTrials ?? DEFAULT_MAX_MODEL_TRIALS, 10);
  const maxModelMulti = Math.max(options.maxTrainingTrials ?? MULTI_OBJECTIVE_MAX_MODEL_TRIALS, 10);

  /** Step 6: one suggestion per batch slot; each becomes a fantasy and a neighbour for the next. */
  const proposeBatch = (req: SampleRequest, batch: BatchState): Params[] => {
    const suggestions: Params[] = [];
    for (let k = 0; k < req.count; k++) {
      const rng = createRng(req.seed, req.firstNumber + k, STREAM_GP);
      // Seeds the scrambled Sobol candidates of this slot (a 32-bit integer from the trial's stream).
      const pointSeed = Math.floor(rng.next() * 4294967296);
      const result = maximizeLogEi({
        model: batch.model,
        encoding,
        best: batch.best,
        rng,
        incumbents: batch.incumbents,
        nCandidates: candidateCount(nCandidates, batch.model.n, options.nCandidates !== undefined),
        region: batch.region,
        isTaken: (row) => isTooClose(batch, row, encoding),
        feasibility: batch.feasibility,
        feasibilityOnly: batch.feasibilityOnly,
        uniformPoint: (index, out) => {
          for (let j = 0; j < out.length; j++) out[j] = sobolCoordinate(index, j, pointSeed);
        },
      });
      suggestions.push(encoding.decode(result.row));
      batch.taken.add(rowKey(result.row));
      batch.neighbours.push(result.row);
      if (k < req.count - 1) appendObservation(batch.model, result.row, batch.fantasy(result.row));
    }
    return suggestions;
  };

  const sample = (req: SampleRequest): SampleResult => {
    // Several objectives: random scalarizations of one GP per suggestion (ParEGO, parego.ts).
    if (requestDirections(req).length >= 2) return sampleParego(req, sampleScalarized);
    return sampleSingle(req, maxModel, true);
  };

  const sampleScalarized = (req: SampleRequest): SampleResult => sampleSingle(req, maxModelMulti, false);

  /** One objective (`ownObjective`) or one ParEGO scalarization of several (no stall region, zero mean). */
  const sampleSingle = (req: SampleRequest, maxModel: number, ownObjective: boolean): SampleResult => {
    const constraintCount = req.constraintCount ?? 0;
    const history = encodeHistory(
      req.trials,
      encoding,
      req.direction === "maximize" ? -1 : 1,
      constraintCount,
    );
    if (history.observed.length < nStartup || history.observed.length < 2) {
      const s = sobol.sample({ ...req, state: null });
      return { suggestions: s.suggestions, state: req.state, exhausted: false, origin: "sobol" };
    }
    const observed = imputePruned(history);
    const set = selectTrainingSet(observed, maxModel, encoding);
    const fit = fitWarpedHyperparameters(set, encoding, readWarmState(req.state, dims));
    const batch = prepareBatch(
      set,
      fit,
      history,
      observed,
      encoding,
      batchStrategy,
      constraintCount,
      stallRegion && ownObjective && constraintCount === 0,
      nStartup,
      relevantBox,
      boundaryMean && ownObjective && constraintCount === 0,
    );
    return {
      suggestions: proposeBatch(req, batch),
      state: { lambda: fit.lambda, thetas: fit.thetas.map((t) => (t === undefined ? null : Array.from(t))) },
      exhausted: false,
      origin: "gp",
    };
  };

  return { type: "gp", sample, sampleScalarized };
}
