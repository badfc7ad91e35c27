import type { Rng } from "../rng/create-rng.js";
import { createPredictScratch, type GpModel, type PredictScratch } from "./gp-model.js";
import type { GpEncoding } from "./gp-encoding.js";
import {
  logProbabilityOfFeasibility,
  logProbabilityOfFeasibilityWithGradient,
  type FeasibilityModel,
} from "./feasibility-model.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { revertCheapPolishMoves, revertibleColumns } from "./revert-cheap-polish-moves.js";
import { logExpectedImprovement, logExpectedImprovementWithGradient } from "./log-expected-improvement.js";

/**
 * Maximizes log EI over the mixed space, in the BoTorch style ("raw samples" → best starts → gradient):
 * 1. score a large candidate set: quasi-uniform points of the region plus perturbations of the best
 *    observed points (local exploitation, TuRBO-like perturbation of each coordinate);
 * 2. for the best few: choose the categoricals exactly (all combinations when few, else one column at a
 *    time), then polish the continuous columns by bounded L-BFGS on log EI with its analytic gradient;
 * 3. snap ints / steps, fix inactive columns, put back the polish's moves that bought almost no EI unless
 *    that restores an incumbent's copied value (revert-cheap-polish-moves.ts), re-score, keep the best.
 */

export interface AcquisitionRegion {
  lower: Float64Array;
  upper: Float64Array;
}

export interface AcquisitionInput {
  model: GpModel;
  encoding: GpEncoding;
  /** Incumbent (standardized, minimization). */
  best: number;
  rng: Rng;
  /** Observed rows ordered best first (perturbation centers). */
  incumbents: readonly Float64Array[];
  nCandidates: number;
  /** Continuous box per column (default the unit cube). */
  region?: AcquisitionRegion | undefined;
  /** Rows already evaluated or pending (canonical); never proposed again. */
  isTaken?: ((row: Float64Array) => boolean) | undefined;
  /** Optional source of quasi-random points in [0,1)^dims for the global candidates. */
  uniformPoint?: ((index: number, out: Float64Array) => void) | undefined;
  /** Constraints: log PoF is added to the acquisition (feasibility-model.ts). */
  feasibility?: FeasibilityModel | undefined;
  /** No feasible trial yet: maximize log PoF alone (EI has no feasible incumbent to improve on). */
  feasibilityOnly?: boolean | undefined;
}

export interface AcquisitionResult {
  row: Float64Array;
  logEi: number;
}

/** Above this many combinations of categorical values, they are chosen one column at a time. */
const MAX_ENUMERATED_COMBINATIONS = 64;
/** Best raw candidates polished by L-BFGS (the "restarts" of the BoTorch recipe). */
const REFINED_STARTS = 5;
/** Incumbents used as perturbation centers; center k is drawn with probability ~2^-(k+1). */
const MAX_CENTERS = 5;
/**
 * Local perturbations, after TuRBO's candidates (Eriksson et al. 2019, "Scalable Global Optimization via
 * Local Bayesian Optimization"): each active continuous column moves with probability
 * min(1, MOVED_COLUMNS / #active), so a few columns change at once as in TuRBO's perturbation mask; a moved
 * column steps by a normal draw with standard deviation PERTURBATION_SD_SCALE · radius · min(ℓ_j, 1), so steps
 * are relative to the column's length scale; the radius is log-uniform over two orders of magnitude,
 * 10^[RADIUS_LOG10_MIN, RADIUS_LOG10_MIN + RADIUS_LOG10_SPAN] (standard deviations from ~0.013 to ~1.3
 * length scales), so one pool holds both fine polishing steps and jumps to the next basin. A step that leaves
 * the region is mirrored back into it (reflectIntoRange), not clipped: on a weak column (ℓ ≥ 1) the longest
 * steps have a standard deviation of ~1.3 widths, and clipping put about half of them exactly on a bound, which
 * added to the polish's own pull towards the bounds (docs/benchmarks.md, "Weak params left at the box edge").
 */
const RADIUS_LOG10_MIN = -2.5;
const RADIUS_LOG10_SPAN = 2;
const PERTURBATION_SD_SCALE = 4;
const MOVED_COLUMNS = 4;
/** Chance that a local candidate whose continuous columns moved also gets one categorical re-drawn. */
const CATEGORICAL_REDRAW_PROBABILITY = 0.2;
/** Bounded L-BFGS polish of the continuous columns. */
const REFINE_MAX_ITERATIONS = 40;
const REFINE_GRADIENT_TOLERANCE = 1e-7;
/**
 * Polish moves worth less log EI than this in all are put back (revert-cheap-polish-moves.ts). Judged on 60
 * seeds of 14 problems against no revert; 0.05 nats (20 seeds) did not help the weak-param problem it targets.
 */
const REVERT_BUDGET_NATS = 0.2;

interface Candidate {
  row: Float64Array;
  value: number;
}

/** What the steps share: the scoring function and the parts of the input they read. */
interface SearchState {
  input: AcquisitionInput;
  dims: number;
  region: AcquisitionRegion;
  cats: { column: number; size: number }[];
  scratch: PredictScratch;
  isTaken: (row: Float64Array) => boolean;
  /** log EI at a row, −∞ where it does not evaluate to a finite number. */
  score: (row: Float64Array) => number;
  /** Scored raw candidates (taken rows score −∞). */
  pool: Candidate[];
}

function unitRegion(dims: number): AcquisitionRegion {
  return { lower: new Float64Array(dims), upper: new Float64Array(dims).fill(1) };
}

/** Categorical columns that can be chosen (not flags) with their number of real choices. */
function choiceColumns(encoding: GpEncoding): { column: number; size: number }[] {
  const out: { column: number; size: number }[] = [];
  for (const p of encoding.params) if (p.kind === "categorical") out.push({ column: p.column, size: p.size });
  return out;
}

/** Continuous columns whose param is active in this (canonical) row. */
function activeContinuousColumns(encoding: GpEncoding, row: Float64Array): number[] {
  const out: number[] = [];
  for (const p of encoding.params) {
    if (p.kind !== "numeric") continue;
    if (p.flagColumn >= 0 && row[p.flagColumn] !== 1) continue;
    if (p.gridSize === 1) continue;
    out.push(p.column);
  }
  return out;
}

function createSearchState(input: AcquisitionInput): SearchState {
  const { model, encoding, best } = input;
  const dims = encoding.columns.dims;
  const scratch = createPredictScratch(model.n);
  const feasibility = input.feasibility;
  // No feasible trial yet: the acquisition is log PoF alone (EI has no feasible incumbent to improve on).
  const eiWeight = input.feasibilityOnly === true && feasibility !== undefined ? 0 : 1;
  return {
    input,
    dims,
    region: input.region ?? unitRegion(dims),
    cats: choiceColumns(encoding),
    scratch,
    isTaken: input.isTaken ?? ((): boolean => false),
    score: (row) => {
      let v = eiWeight === 0 ? 0 : logExpectedImprovement(model, row, 0, best, scratch);
      if (feasibility !== undefined) v += logProbabilityOfFeasibility(feasibility, row);
      return Number.isFinite(v) ? v : -Infinity;
    },
    pool: [],
  };
}

/** Canonicalizes a raw candidate and adds it to the pool with its score. */
function addCandidate(state: SearchState, row: Float64Array): void {
  state.input.encoding.canonicalize(row);
  state.pool.push({ row, value: state.isTaken(row) ? -Infinity : state.score(row) });
}

/** Step 1a: quasi-uniform points of the region (categoricals from the same coordinates). */
function addGlobalCandidates(state: SearchState, count: number): void {
  const { input, dims, region } = state;
  const u = new Float64Array(dims);
  for (let c = 0; c < count; c++) {
    if (input.uniformPoint !== undefined) input.uniformPoint(c, u);
    else for (let j = 0; j < dims; j++) u[j] = input.rng.next();
    const row = new Float64Array(dims);
    for (let j = 0; j < dims; j++) {
      const uj = u[j] ?? 0.5;
      row[j] = (region.lower[j] ?? 0) + uj * ((region.upper[j] ?? 1) - (region.lower[j] ?? 0));
    }
    for (const { column, size } of state.cats)
      row[column] = Math.min(size - 1, Math.floor((u[column] ?? 0) * size));
    addCandidate(state, row);
  }
}

/** Step 1b: perturbations of the best observed rows (local exploitation). */
function addLocalCandidates(state: SearchState, count: number): void {
  const { input, region, cats } = state;
  const { rng, encoding } = input;
  const lengthScales = input.model.hyper.lengthScales;
  const nCenters = Math.min(input.incumbents.length, MAX_CENTERS);
  for (let c = 0; c < count; c++) {
    // Centers weighted towards the best: the best gets ~half the local candidates.
    let k = 0;
    while (k < nCenters - 1 && rng.next() < 0.5) k++;
    const center = input.incumbents[k];
    if (center === undefined) break;
    const row = new Float64Array(center);
    const radius = Math.pow(10, RADIUS_LOG10_MIN + RADIUS_LOG10_SPAN * rng.next());
    const active = activeContinuousColumns(encoding, row);
    const prob = Math.min(1, MOVED_COLUMNS / Math.max(active.length, 1));
    let moved = false;
    for (const j of active) {
      if (rng.next() > prob) continue;
      moved = true;
      const l = Math.min(lengthScales[j] ?? 1, 1);
      const v = (row[j] ?? 0.5) + radius * l * rng.normal() * PERTURBATION_SD_SCALE;
      row[j] = reflectIntoRange(v, region.lower[j] ?? 0, region.upper[j] ?? 1);
    }
    if (cats.length > 0 && (!moved || rng.next() < CATEGORICAL_REDRAW_PROBABILITY)) {
      const pick = cats[rng.nextInt(cats.length)];
      if (pick !== undefined) row[pick.column] = rng.nextInt(pick.size);
    }
    addCandidate(state, row);
  }
}

/**
 * v mirrored into [lower, upper] (a reflecting boundary, period 2·width), so a long random step lands inside
 * with a spread-out distribution instead of piling up on the bound as clipping does.
 */
export function reflectIntoRange(v: number, lower: number, upper: number): number {
  const width = upper - lower;
  if (!(width > 0)) return lower;
  let t = (v - lower) % (2 * width);
  if (t < 0) t += 2 * width;
  return lower + (t <= width ? t : 2 * width - t);
}

/** Step 2: the best distinct candidates of the pool. */
function pickStarts(state: SearchState): Candidate[] {
  const ranked = [...state.pool].sort((a, b) => b.value - a.value);
  const starts: Candidate[] = [];
  for (const cand of ranked) {
    if (starts.length >= REFINED_STARTS) break;
    if (starts.some((s) => s.row.every((v, j) => v === cand.row[j]))) continue;
    starts.push(cand);
  }
  return starts;
}

/**
 * Step 3: polish each start (categoricals exactly, then continuous columns by L-BFGS, then snap, then undo the
 * moves that bought almost nothing, except onto a value copied from an incumbent) and keep the best of the
 * polished rows and the raw starts that is not taken (polishing can land on a taken row).
 */
function polishStarts(state: SearchState, starts: readonly Candidate[]): AcquisitionResult {
  const { input, cats, region, scratch, score, isTaken } = state;
  let winner: AcquisitionResult = {
    row: starts[0]?.row ?? new Float64Array(state.dims).fill(0.5),
    logEi: starts[0]?.value ?? -Infinity,
  };
  const keepIfBetter = (row: Float64Array, value: number): void => {
    if (value > winner.logEi && !isTaken(row)) winner = { row, logEi: value };
  };
  for (const start of starts) {
    let row: Float64Array = new Float64Array(start.row);
    row = chooseCategoricals(row, cats, input.encoding, score);
    const beforePolish = row;
    row = refineContinuous(row, input, region, scratch);
    input.encoding.canonicalize(row);
    row = revertCheapPolishMoves(
      row,
      beforePolish,
      revertibleColumns(activeContinuousColumns(input.encoding, row), beforePolish, input.incumbents),
      REVERT_BUDGET_NATS,
      (r) => input.encoding.canonicalize(r),
      score,
    );
    keepIfBetter(row, score(row));
    keepIfBetter(start.row, start.value);
  }
  return winner;
}

export function maximizeLogEi(input: AcquisitionInput): AcquisitionResult {
  const state = createSearchState(input);
  // Half the raw candidates are local when there are incumbents to perturb.
  const nLocal = input.incumbents.length > 0 ? Math.floor(input.nCandidates / 2) : 0;
  addGlobalCandidates(state, input.nCandidates - nLocal);
  addLocalCandidates(state, nLocal);
  return polishStarts(state, pickStarts(state));
}

/** Picks categorical values exactly: every combination if there are few, else column by column. */
function chooseCategoricals(
  row: Float64Array,
  cats: readonly { column: number; size: number }[],
  encoding: GpEncoding,
  score: (row: Float64Array) => number,
): Float64Array {
  if (cats.length === 0) return row;
  let combos = 1;
  for (const c of cats) combos *= c.size;
  let bestRow = new Float64Array(row);
  encoding.canonicalize(bestRow);
  let bestValue = score(bestRow);
  const trial = new Float64Array(row.length);
  if (combos <= MAX_ENUMERATED_COMBINATIONS) {
    for (let index = 0; index < combos; index++) {
      trial.set(row);
      let rest = index;
      for (const c of cats) {
        trial[c.column] = rest % c.size;
        rest = Math.floor(rest / c.size);
      }
      encoding.canonicalize(trial);
      const v = score(trial);
      if (v > bestValue) {
        bestValue = v;
        bestRow = new Float64Array(trial);
      }
    }
    return bestRow;
  }
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const c of cats) {
      for (let k = 0; k < c.size; k++) {
        trial.set(bestRow);
        trial[c.column] = k;
        encoding.canonicalize(trial);
        const v = score(trial);
        if (v > bestValue) {
          bestValue = v;
          bestRow = new Float64Array(trial);
        }
      }
    }
  }
  return bestRow;
}

/** Bounded L-BFGS on −log EI over the active continuous columns (others frozen). */
function refineContinuous(
  row: Float64Array,
  input: AcquisitionInput,
  region: AcquisitionRegion,
  scratch: PredictScratch,
): Float64Array {
  const active = activeContinuousColumns(input.encoding, row);
  if (active.length === 0) return row;
  const full = new Float64Array(row);
  const fullGrad = new Float64Array(row.length);
  const x0 = Float64Array.from(active, (j) => row[j] ?? 0.5);
  const lower = Float64Array.from(active, (j) => region.lower[j] ?? 0);
  const upper = Float64Array.from(active, (j) => region.upper[j] ?? 1);
  const objective = (x: Float64Array, grad: Float64Array): number => {
    active.forEach((j, i) => (full[j] = x[i] ?? 0));
    let v = 0;
    fullGrad.fill(0);
    if (input.feasibilityOnly !== true || input.feasibility === undefined)
      v = logExpectedImprovementWithGradient(input.model, full, input.best, fullGrad, scratch);
    if (input.feasibility !== undefined)
      v += logProbabilityOfFeasibilityWithGradient(input.feasibility, full, fullGrad);
    active.forEach((j, i) => (grad[i] = -(fullGrad[j] ?? 0)));
    return Number.isFinite(v) ? -v : Infinity;
  };
  const result = minimizeLbfgs(objective, x0, {
    lower,
    upper,
    maxIterations: REFINE_MAX_ITERATIONS,
    gradientTolerance: REFINE_GRADIENT_TOLERANCE,
  });
  const out = new Float64Array(row);
  active.forEach((j, i) => (out[j] = result.x[i] ?? 0));
  return out;
}
