import type { Rng } from "../rng/create-rng.js";
import { INACTIVE_NUMERIC, type Leaf, type Tree } from "./random-forest.js";

/**
 * Functional ANOVA of a tree ensemble F = Σ_t w_t·tree_t (Hutter, Hoos & Leyton-Brown 2014). Each tree is a
 * piecewise constant function over a product domain, so its marginal E[tree | x_j] can be integrated
 * EXACTLY from the leaves' regions; F's marginal is the weighted sum of its trees' marginals (expectation
 * is linear), so each feature's main-effect variance Var_{x_j}(E[F | x_j]) is exact too. F's total
 * variance has no cheap exact form (it needs the intersection of every pair of trees' partitions), so it
 * is estimated by Monte Carlo over MC_POINTS points drawn from the measure.
 *
 * Why the ensemble's function and not the average of per-tree fractions (the original paper, Optuna):
 * each tree alone carries its own fitting noise, which inflates its total variance and biases all
 * first-order shares low (on Ishigami, 0.62 summed instead of 0.756).
 *
 * The measure on each feature is a product measure:
 * - numeric: uniform on the active part [0, 1] (the param's unit encoding, log-aware), with total mass
 *   1 − p; when the param is conditional, its inactive band [−1, 0) carries mass p = the fraction of
 *   trials in which the param was inactive;
 * - categorical: mass (1 − p)/size on each choice and p on the "inactive" index when there is one.
 * (Treating activity as independent of the parent params is an approximation; it keeps the integrals exact
 * and still credits a conditional param with the variance its own values explain.)
 */

export type FeatureMeasure =
  { kind: "numeric"; inactiveMass: number } | { kind: "categorical"; weights: Float64Array };

const MC_POINTS = 8192;

/** Mass of [lo, hi) under a numeric feature's measure. */
function intervalMass(lo: number, hi: number, inactiveMass: number): number {
  const band = Math.max(0, Math.min(hi, 0) - Math.max(lo, -1));
  const active = Math.max(0, Math.min(hi, 1) - Math.max(lo, 0));
  return band * inactiveMass + active * (1 - inactiveMass);
}

function regionMass(leaf: Leaf, j: number, m: FeatureMeasure): number {
  if (m.kind === "numeric") return intervalMass(leaf.lo[j] ?? 0, leaf.hi[j] ?? 1, m.inactiveMass);
  const mask = leaf.masks[j];
  let s = 0;
  m.weights.forEach((w, c) => (s += mask?.[c] === 1 ? w : 0));
  return s;
}

/** One leaf's share of the forest marginal: F-weight · value · mass outside feature j, per feature. */
interface LeafTerms {
  leaf: Leaf;
  /** contribution[j] = value · vol / μ_j / trees. */
  contribution: Float64Array;
}

function drawPoint(measures: readonly FeatureMeasure[], rng: Rng, out: Float64Array): void {
  measures.forEach((m, j) => {
    const u = rng.next();
    if (m.kind === "numeric") {
      const p = m.inactiveMass;
      out[j] = u < p ? INACTIVE_NUMERIC : p > 0 ? (u - p) / (1 - p) : u;
    } else {
      let acc = 0;
      let c = 0;
      for (; c < m.weights.length - 1; c++) {
        acc += m.weights[c] ?? 0;
        if (u < acc) break;
      }
      out[j] = c;
    }
  });
}

/**
 * Each feature's main-effect variance of the forest mean as a fraction of its total variance, or
 * undefined when the forest is constant (no variance to share).
 */
export function forestMainEffects(
  trees: readonly Tree[],
  measures: readonly FeatureMeasure[],
  rng: Rng,
  /** F = weight · Σ_t tree_t (a forest: 1/T; boosting: the learning rate). */
  weight: number = 1 / trees.length,
): number[] | undefined {
  const d = measures.length;
  const T = trees.length;
  if (T === 0) return undefined;
  const terms: LeafTerms[] = [];
  let mean = 0;
  for (const tree of trees) {
    for (const leaf of tree.leaves) {
      const mu = measures.map((m, j) => regionMass(leaf, j, m));
      const vol = mu.reduce((a, b) => a * b, 1);
      if (!(vol > 0)) continue;
      mean += leaf.value * vol * weight;
      const contribution = Float64Array.from(mu, (mj) => ((leaf.value * vol) / mj) * weight);
      terms.push({ leaf, contribution });
    }
  }

  const mainEffects = measures.map((m, j) => {
    let variance = 0;
    if (m.kind === "categorical") {
      const a = new Float64Array(m.weights.length);
      for (const t of terms) {
        const mask = t.leaf.masks[j];
        for (let c = 0; c < a.length; c++) if (mask?.[c] === 1) a[c] = (a[c] ?? 0) + (t.contribution[j] ?? 0);
      }
      m.weights.forEach((w, c) => (variance += w * ((a[c] ?? 0) - mean) ** 2));
      return variance;
    }
    // E[F | x_j] is piecewise constant between the leaves' breakpoints: a difference array over them.
    const points = new Set<number>();
    for (const t of terms) {
      points.add(t.leaf.lo[j] ?? 0);
      points.add(t.leaf.hi[j] ?? 1);
    }
    const sorted = Float64Array.from(points).sort();
    const index = new Map<number, number>();
    sorted.forEach((p, i) => index.set(p, i));
    const diff = new Float64Array(sorted.length);
    for (const t of terms) {
      const c = t.contribution[j] ?? 0;
      const a = index.get(t.leaf.lo[j] ?? 0) ?? 0;
      const b = index.get(t.leaf.hi[j] ?? 1) ?? 0;
      diff[a] = (diff[a] ?? 0) + c;
      diff[b] = (diff[b] ?? 0) - c;
    }
    let a = 0;
    for (let i = 0; i < sorted.length - 1; i++) {
      a += diff[i] ?? 0;
      variance += intervalMass(sorted[i] ?? 0, sorted[i + 1] ?? 0, m.inactiveMass) * (a - mean) ** 2;
    }
    return variance;
  });

  let total = 0;
  const point = new Float64Array(d);
  for (let k = 0; k < MC_POINTS; k++) {
    drawPoint(measures, rng, point);
    let f = 0;
    for (const tree of trees) f += tree.predict(point);
    total += (f * weight - mean) ** 2;
  }
  total /= MC_POINTS;
  // Main effects are exact, the total is estimated: it can never be below their sum.
  total = Math.max(
    total,
    mainEffects.reduce((s, v) => s + v, 0),
  );
  if (!(total > 1e-300)) return undefined;
  return mainEffects.map((v) => Math.min(1, Math.max(0, v / total)));
}
