import type { Rng } from "../rng/create-rng.js";
import { createPredictScratch, type GpModel } from "./gp-model.js";
import type { GpEncoding } from "./gp-encoding.js";
import {
  logProbabilityOfFeasibility,
  logProbabilityOfFeasibilityWithGradient,
  type FeasibilityModel,
} from "./feasibility-model.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { logExpectedImprovement, logExpectedImprovementWithGradient } from "./log-expected-improvement.js";

/**
 * Maximizes log EI over the mixed space, in the BoTorch style ("raw samples" → best starts → gradient):
 * 1. score a large candidate set: quasi-uniform points of the region plus perturbations of the best
 *    observed points (local exploitation, TuRBO-like perturbation of each coordinate);
 * 2. for the best few: choose the categoricals exactly (all combinations when few, else one column at a
 *    time), then polish the continuous columns by bounded L-BFGS on log EI with its analytic gradient;
 * 3. snap ints / steps, fix inactive columns, re-score, keep the best.
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

const MAX_ENUMERATED_COMBINATIONS = 64;
const REFINED_STARTS = 5;

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

export function maximizeLogEi(input: AcquisitionInput): AcquisitionResult {
  const { model, encoding, best, rng } = input;
  const dims = encoding.columns.dims;
  const region = input.region ?? unitRegion(dims);
  const cats = choiceColumns(encoding);
  const scratch = createPredictScratch(model.n);
  const feasibility = input.feasibility;
  const eiWeight = input.feasibilityOnly === true && feasibility !== undefined ? 0 : 1;
  const score = (row: Float64Array): number => {
    let v = eiWeight === 0 ? 0 : logExpectedImprovement(model, row, 0, best, scratch);
    if (feasibility !== undefined) v += logProbabilityOfFeasibility(feasibility, row);
    return Number.isFinite(v) ? v : -Infinity;
  };

  // 1. Raw candidates.
  const nLocal = input.incumbents.length > 0 ? Math.floor(input.nCandidates / 2) : 0;
  const nGlobal = input.nCandidates - nLocal;
  const u = new Float64Array(dims);
  const lengthScales = model.hyper.lengthScales;
  const ranked: { row: Float64Array; value: number }[] = [];
  const isTaken = input.isTaken ?? ((): boolean => false);
  const consider = (row: Float64Array): void => {
    encoding.canonicalize(row);
    ranked.push({ row, value: isTaken(row) ? -Infinity : score(row) });
  };
  for (let c = 0; c < nGlobal; c++) {
    if (input.uniformPoint !== undefined) input.uniformPoint(c, u);
    else for (let j = 0; j < dims; j++) u[j] = rng.next();
    const row = new Float64Array(dims);
    for (let j = 0; j < dims; j++) {
      const uj = u[j] ?? 0.5;
      row[j] = (region.lower[j] ?? 0) + uj * ((region.upper[j] ?? 1) - (region.lower[j] ?? 0));
    }
    for (const { column, size } of cats)
      row[column] = Math.min(size - 1, Math.floor((u[column] ?? 0) * size));
    consider(row);
  }
  const nCenters = Math.min(input.incumbents.length, 5);
  for (let c = 0; c < nLocal; c++) {
    // Centers weighted towards the best: the best gets ~half the local candidates.
    let k = 0;
    while (k < nCenters - 1 && rng.next() < 0.5) k++;
    const center = input.incumbents[k];
    if (center === undefined) break;
    const row = new Float64Array(center);
    // Perturbation radius spans two orders of magnitude, relative to each column's length scale.
    const radius = Math.pow(10, -2.5 + 2 * rng.next());
    const active = activeContinuousColumns(encoding, row);
    const prob = Math.min(1, 4 / Math.max(active.length, 1));
    let moved = false;
    for (const j of active) {
      if (rng.next() > prob) continue;
      moved = true;
      const l = Math.min(lengthScales[j] ?? 1, 1);
      const v = (row[j] ?? 0.5) + radius * l * rng.normal() * 4;
      row[j] = Math.min(region.upper[j] ?? 1, Math.max(region.lower[j] ?? 0, v));
    }
    if (cats.length > 0 && (!moved || rng.next() < 0.2)) {
      const pick = cats[rng.nextInt(cats.length)];
      if (pick !== undefined) row[pick.column] = rng.nextInt(pick.size);
    }
    consider(row);
  }
  ranked.sort((a, b) => b.value - a.value);

  // 2. Starts: the best distinct candidates.
  const starts: { row: Float64Array; value: number }[] = [];
  for (const cand of ranked) {
    if (starts.length >= REFINED_STARTS) break;
    if (starts.some((s) => s.row.every((v, j) => v === cand.row[j]))) continue;
    starts.push(cand);
  }

  let winner: AcquisitionResult = {
    row: starts[0]?.row ?? new Float64Array(dims).fill(0.5),
    logEi: starts[0]?.value ?? -Infinity,
  };
  const consider2 = (row: Float64Array, value: number): void => {
    if (value > winner.logEi && !isTaken(row)) winner = { row, logEi: value };
  };
  for (const start of starts) {
    let row: Float64Array = new Float64Array(start.row);
    row = chooseCategoricals(row, cats, encoding, score);
    row = refineContinuous(row, input, region, scratch);
    encoding.canonicalize(row);
    consider2(row, score(row));
    consider2(start.row, start.value);
  }
  return winner;
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
  scratch: ReturnType<typeof createPredictScratch>,
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
  const result = minimizeLbfgs(objective, x0, { lower, upper, maxIterations: 40, gradientTolerance: 1e-7 });
  const out = new Float64Array(row);
  active.forEach((j, i) => (out[j] = result.x[i] ?? 0));
  return out;
}
