import { choiceKey, type Direction, type Space } from "@hpo/contracts";
import { createRng } from "../rng/create-rng.js";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import { createNumericEncoder } from "../space/space-encoding.js";
import { forestMainEffects, type FeatureMeasure } from "./fanova.js";
import { growTree, INACTIVE_NUMERIC, sortedRows, type ForestFeature, type Tree } from "./random-forest.js";

/**
 * Parameter importance: each param's share of the objective's variance, by fANOVA (Hutter, Hoos &
 * Leyton-Brown 2014, ICML, "An efficient approach for assessing hyperparameter importance") on a tree
 * ensemble fitted to the completed trials.
 *
 * Why fANOVA rather than PED-ANOVA (Watanabe et al. 2023): fANOVA answers "which params explain the
 * objective's variance over the whole space", i.e. it estimates first-order Sobol indices, which can be
 * checked against functions with known answers (Ishigami: 0.3139, 0.4424, 0) and needs no threshold γ;
 * PED-ANOVA answers a different, local question (what distinguishes the top γ-quantile). Trees handle
 * categoricals and conditional params directly (random-forest.ts, fanova.ts), and integrating the fitted
 * model over the space (not averaging the data) keeps the answer meaningful when an optimizer, not random
 * search, chose the trials.
 *
 * Which ensemble: fANOVA's exact integration works for any sum of trees. The paper's random forest of
 * fully grown trees smooths main effects away (measured on Ishigami from 1,000 random trials: x2's index
 * 0.33–0.41 instead of 0.44, even with the forest mean rather than per-tree fractions); stochastic
 * gradient boosting (Friedman 2002) of N_TREES shallow trees fits the additive part with many fine splits
 * and lands within 0.03 (compute-importance.test.ts).
 *
 * Direction: a variance decomposition is invariant under negating the objective, so minimize f and
 * maximize −f give identical importances by construction (the tail-choice bug of optuna-dashboard#1329
 * cannot occur); values are nevertheless taken in the minimization direction for consistency.
 *
 * Output per objective: `firstOrder` = the param's main-effect variance / total variance (first-order
 * Sobol index; what is not explained by main effects is in interactions), `importance` = firstOrder
 * normalized to sum to 1 over the params (all 0 when nothing varies), sorted descending (ties: space order).
 *
 * Cost bound: at most `maxTrials` (default MAX_IMPORTANCE_TRIALS) completed trials are used: above it, a
 * deterministic subsample — the trials sorted by number, then a seeded partial Fisher–Yates draw of
 * maxTrials of them (createRng(seed, STREAM_IMPORTANCE, objective)). Trees are depth-limited, so the cost
 * is O(N_TREES · maxTrials · params · depth) per objective whatever the history size.
 */

export const STREAM_IMPORTANCE = 0x494d5031; // "IMP1"
export const MAX_IMPORTANCE_TRIALS = 2000;
const N_TREES = 300;
const TREE_DEPTH = 4;
const LEARNING_RATE = 0.1;
const ROW_FRACTION = 0.5;

/** HistoryTrial with the multi-objective values it is gaining (read defensively until then). */
type TrialWithValues = HistoryTrial & { values?: readonly number[] };

export interface ImportanceInput {
  space: Space;
  trials: readonly HistoryTrial[];
  directions: readonly Direction[];
  seed: number;
  /** Most completed trials used per objective (a deterministic subsample above it). */
  maxTrials?: number;
}

export interface ParamImportance {
  name: string;
  /** Share of the explained main-effect variance; sums to 1 over the params (or all 0). */
  importance: number;
  /** Main-effect variance / total variance (first-order Sobol index estimate). */
  firstOrder: number;
}

export interface ObjectiveImportance {
  index: number;
  trialsUsed: number;
  params: ParamImportance[];
}

export interface ImportanceResult {
  method: string;
  objectives: ObjectiveImportance[];
}

export const IMPORTANCE_METHOD = "fanova (gradient-boosted trees)";

function objectiveValue(trial: TrialWithValues, index: number): number | undefined {
  if (trial.state !== "complete") return undefined;
  const v = trial.values?.[index] ?? trial.value;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function subsample(count: number, max: number, seed: number, objective: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= max) return all;
  const rng = createRng(seed, STREAM_IMPORTANCE, objective);
  for (let i = 0; i < max; i++) {
    const j = i + rng.nextInt(count - i);
    const t = all[i] ?? 0;
    all[i] = all[j] ?? 0;
    all[j] = t;
  }
  return all.slice(0, max).sort((a, b) => a - b);
}

/** Encodes the used trials into forest features and their fANOVA measures. */
function encodeFeatures(
  space: Space,
  trials: readonly HistoryTrial[],
): { features: ForestFeature[]; measures: FeatureMeasure[]; columns: Float64Array[] } {
  const features: ForestFeature[] = [];
  const measures: FeatureMeasure[] = [];
  const columns: Float64Array[] = [];
  const n = trials.length;
  for (const spec of space) {
    let inactive = 0;
    for (const t of trials) if (t.params[spec.name] === undefined) inactive++;
    const p = n > 0 ? inactive / n : 0;
    if (spec.type === "categorical") {
      const keys = spec.choices.map(choiceKey);
      const size = spec.choices.length + (inactive > 0 ? 1 : 0);
      columns.push(
        Float64Array.from(trials, (t) => {
          const v = t.params[spec.name];
          const k = v === undefined ? -1 : keys.indexOf(choiceKey(v));
          return k >= 0 ? k : spec.choices.length;
        }),
      );
      const weights = new Float64Array(size).fill((1 - p) / spec.choices.length);
      if (inactive > 0) weights[spec.choices.length] = p;
      features.push({ kind: "categorical", size });
      measures.push({ kind: "categorical", weights });
    } else {
      const encoder = createNumericEncoder(spec);
      columns.push(
        Float64Array.from(trials, (t) => {
          const v = t.params[spec.name];
          if (typeof v !== "number") return INACTIVE_NUMERIC;
          const u = encoder.toUnit(v);
          return Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : INACTIVE_NUMERIC;
        }),
      );
      features.push({ kind: "numeric", low: inactive > 0 ? -1 : 0 });
      measures.push({ kind: "numeric", inactiveMass: p });
    }
  }
  return { features, measures, columns };
}

function importanceOfObjective(input: ImportanceInput, index: number): ObjectiveImportance {
  const sign = input.directions[index] === "maximize" ? -1 : 1;
  const usable: { trial: HistoryTrial; value: number }[] = [];
  const sorted = [...input.trials].sort((a, b) => a.number - b.number);
  for (const trial of sorted) {
    const value = objectiveValue(trial, index);
    if (value !== undefined) usable.push({ trial, value: sign * value });
  }
  const max = Math.max(2, Math.floor(input.maxTrials ?? MAX_IMPORTANCE_TRIALS));
  const picked = subsample(usable.length, max, input.seed, index).map((i) => usable[i] ?? usable[0]);
  const used = picked.filter((u) => u !== undefined);
  const zeros = (): ParamImportance[] =>
    input.space.map((s) => ({ name: s.name, importance: 0, firstOrder: 0 }));
  if (used.length < 2) return { index, trialsUsed: used.length, params: zeros() };

  const { features, measures, columns } = encodeFeatures(
    input.space,
    used.map((u) => u.trial),
  );
  const y = Float64Array.from(used, (u) => u.value);
  // Stochastic gradient boosting (Friedman 2002) on the centred values: each tree fits the residual of
  // the previous ones on a subsample of the rows without replacement.
  const trees: Tree[] = [];
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const residual = Float64Array.from(y, (v) => v - mean);
  const point = new Float64Array(features.length);
  const order = sortedRows(columns);
  for (let t = 0; t < N_TREES; t++) {
    const rng = createRng(input.seed, STREAM_IMPORTANCE, index, t);
    const tree = growTree({ features, columns, order, y: residual }, rng, {
      fraction: ROW_FRACTION,
      maxDepth: TREE_DEPTH,
    });
    trees.push(tree);
    for (let i = 0; i < residual.length; i++) {
      columns.forEach((c, j) => (point[j] = c[i] ?? 0));
      residual[i] = (residual[i] ?? 0) - LEARNING_RATE * tree.predict(point);
    }
  }
  const mcRng = createRng(input.seed, STREAM_IMPORTANCE, index, -1);
  const effects = forestMainEffects(trees, measures, mcRng, LEARNING_RATE);
  const firstOrder = input.space.map((_, j) => effects?.[j] ?? 0);
  const total = firstOrder.reduce((a, b) => a + b, 0);
  const params = input.space
    .map((spec, j) => ({
      name: spec.name,
      firstOrder: firstOrder[j] ?? 0,
      importance: total > 0 ? (firstOrder[j] ?? 0) / total : 0,
      order: j,
    }))
    .sort((a, b) => b.importance - a.importance || a.order - b.order)
    .map(({ name, importance, firstOrder: f }) => ({ name, importance, firstOrder: f }));
  return { index, trialsUsed: used.length, params };
}

/** Each param's share of each objective's variance (fANOVA); pure and deterministic in (input, seed). */
export function computeImportance(input: ImportanceInput): ImportanceResult {
  return {
    method: IMPORTANCE_METHOD,
    objectives: input.directions.map((_, index) => importanceOfObjective(input, index)),
  };
}
