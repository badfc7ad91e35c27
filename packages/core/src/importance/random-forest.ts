import type { Rng } from "../rng/create-rng.js";

/**
 * Regression trees grown for fANOVA (Hutter, Hoos & Leyton-Brown 2014, "An efficient approach for
 * assessing hyperparameter importance"): every leaf keeps the axis-aligned REGION of the input space it
 * covers, so the variance decomposition can integrate the tree exactly. Each tree is grown on a subsample
 * of the rows drawn without replacement, to a maximum depth, considering every feature at each node
 * (squared-error splits, at least 2 rows to split).
 *
 * Features:
 * - numeric: a value in [0, 1]; an inactive conditional param is encoded as INACTIVE_NUMERIC (−0.5), inside
 *   an "inactive band" [−1, 0) of the feature's domain. A split between an inactive and an active value is
 *   placed exactly at 0, so every leaf holds either the whole band or none of it.
 * - categorical: a choice index (an inactive conditional categorical gets its own extra index). Splits
 *   order the node's categories by mean response (optimal for squared error, Breiman et al. 1984) and cut
 *   that order; categories absent from the node go right.
 * Presorted index lists per feature keep one level of the tree O(n·d) instead of O(n·d·log n).
 */

export const INACTIVE_NUMERIC = -0.5;

export type ForestFeature =
  | { kind: "numeric"; /** −1 when the feature has an inactive band, else 0. */ low: number }
  | { kind: "categorical"; size: number };

export interface Leaf {
  value: number;
  /** Numeric features: the leaf's interval [lo, hi) (unused for categoricals). */
  lo: Float64Array;
  hi: Float64Array;
  /** Categorical features: 1 for each category inside the leaf (undefined for numerics). */
  masks: (Uint8Array | undefined)[];
}

/** A grown tree: its leaves (with regions) and a point predictor. */
export interface Tree {
  leaves: Leaf[];
  /** Prediction at a point given as one value per feature (same encoding as the data). */
  predict(point: ArrayLike<number>): number;
}

export interface ForestData {
  features: readonly ForestFeature[];
  /** Column per feature, one value per row. */
  columns: readonly Float64Array[];
  /** Per feature, the row indices sorted by that feature's value (sortedRows). */
  order: readonly Int32Array[];
  y: Float64Array;
}

/** The `order` of ForestData: computed once, shared by every tree. */
export function sortedRows(columns: readonly Float64Array[]): Int32Array[] {
  return columns.map((x) =>
    Int32Array.from({ length: x.length }, (_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0) || a - b),
  );
}

interface Region {
  lo: Float64Array;
  hi: Float64Array;
  masks: (Uint8Array | undefined)[];
}

interface Split {
  gain: number;
  feature: number;
  threshold: number;
  leftMask: Uint8Array | undefined;
}

/** Grows one tree on a bootstrap sample. */
export interface TreeOptions {
  /** Rows per tree as a fraction of the data, drawn without replacement. */
  fraction: number;
  maxDepth: number;
}

export function growTree(data: ForestData, rng: Rng, options: TreeOptions): Tree {
  const d = data.features.length;
  const all = data.y.length;
  const perm = Int32Array.from({ length: all }, (_, i) => i);
  const m = Math.max(2, Math.min(all, Math.round(options.fraction * all)));
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(all - i);
    const t = perm[i] ?? 0;
    perm[i] = perm[j] ?? 0;
    perm[j] = t;
  }
  const rows = perm.slice(0, m);
  const n = rows.length;
  const ys = Float64Array.from(rows, (r) => data.y[r] ?? 0);
  const xs = data.columns.map((col) => Float64Array.from(rows, (r) => col[r] ?? 0));
  // Each feature's rows in value order, from the data's global order (no sort per tree).
  const position = new Int32Array(all).fill(-1);
  rows.forEach((r, i) => (position[r] = i));
  const lists = data.order.map((order) => {
    const list = new Int32Array(n);
    let k = 0;
    for (const r of order) {
      const i = position[r] ?? -1;
      if (i >= 0) list[k++] = i;
    }
    return list;
  });
  const region: Region = {
    lo: Float64Array.from(data.features, (f) => (f.kind === "numeric" ? f.low : 0)),
    hi: new Float64Array(d).fill(1),
    masks: data.features.map((f) => (f.kind === "categorical" ? new Uint8Array(f.size).fill(1) : undefined)),
  };
  const leaves: Leaf[] = [];
  // Nodes: feature −1 = leaf (value in `threshold`); children indices in left/right.
  const nodeFeature: number[] = [];
  const nodeThreshold: number[] = [];
  const nodeMask: (Uint8Array | undefined)[] = [];
  const nodeLeft: number[] = [];
  const nodeRight: number[] = [];
  const goLeft = new Uint8Array(n);
  grow(lists, region, 0);
  const predict = (point: ArrayLike<number>): number => {
    let node = 0;
    for (;;) {
      const f = nodeFeature[node] ?? -1;
      if (f < 0) return nodeThreshold[node] ?? 0;
      const v = point[f] ?? 0;
      const mask = nodeMask[node];
      const left = mask !== undefined ? mask[v] === 1 : v < (nodeThreshold[node] ?? 0);
      node = (left ? nodeLeft[node] : nodeRight[node]) ?? 0;
    }
  };
  return { leaves, predict };

  function grow(nodeLists: Int32Array[], reg: Region, depth: number): number {
    const id = nodeFeature.length;
    nodeFeature.push(-1);
    nodeThreshold.push(0);
    nodeMask.push(undefined);
    nodeLeft.push(-1);
    nodeRight.push(-1);
    const first = nodeLists[0] ?? new Int32Array(0);
    const count = first.length;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const s of first) {
      const v = ys[s] ?? 0;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const split = count >= 2 && depth < options.maxDepth && max > min ? bestSplit(nodeLists, sum) : undefined;
    if (split === undefined) {
      const value = count > 0 ? sum / count : 0;
      nodeThreshold[id] = value;
      leaves.push({ value, lo: reg.lo, hi: reg.hi, masks: reg.masks });
      return id;
    }
    nodeFeature[id] = split.feature;
    nodeThreshold[id] = split.threshold;
    nodeMask[id] = split.leftMask;
    const x = xs[split.feature] ?? new Float64Array(0);
    const catMask = split.leftMask;
    for (const s of first) {
      const v = x[s] ?? 0;
      goLeft[s] = catMask !== undefined ? (catMask[v] ?? 0) : v < split.threshold ? 1 : 0;
    }
    let nLeft = 0;
    for (const s of first) nLeft += goLeft[s] ?? 0;
    const left: Int32Array[] = [];
    const right: Int32Array[] = [];
    for (const list of nodeLists) {
      const l = new Int32Array(nLeft);
      const r = new Int32Array(count - nLeft);
      let a = 0;
      let b = 0;
      for (const s of list) {
        if (goLeft[s] === 1) l[a++] = s;
        else r[b++] = s;
      }
      left.push(l);
      right.push(r);
    }
    const leftReg: Region = { lo: reg.lo.slice(), hi: reg.hi.slice(), masks: [...reg.masks] };
    const rightReg: Region = { lo: reg.lo.slice(), hi: reg.hi.slice(), masks: [...reg.masks] };
    const parentMask = reg.masks[split.feature];
    if (catMask !== undefined && parentMask !== undefined) {
      leftReg.masks[split.feature] = catMask;
      rightReg.masks[split.feature] = parentMask.map((m, c) => (m === 1 && catMask[c] !== 1 ? 1 : 0));
    } else {
      leftReg.hi[split.feature] = split.threshold;
      rightReg.lo[split.feature] = split.threshold;
    }
    nodeLeft[id] = grow(left, leftReg, depth + 1);
    nodeRight[id] = grow(right, rightReg, depth + 1);
    return id;
  }

  function bestSplit(nodeLists: Int32Array[], total: number): Split | undefined {
    const first = nodeLists[0] ?? new Int32Array(0);
    const count = first.length;
    // Maximizing sl²/nl + sr²/nr minimizes the children's squared error; require a real improvement.
    let best: Split | undefined;
    let bestGain = (total * total) / count + 1e-12 * Math.abs(total);
    data.features.forEach((feature, j) => {
      const x = xs[j] ?? new Float64Array(0);
      const list = nodeLists[j] ?? first;
      if (feature.kind === "numeric") {
        let sl = 0;
        for (let i = 0; i < count - 1; i++) {
          const s = list[i] ?? 0;
          sl += ys[s] ?? 0;
          const a = x[s] ?? 0;
          const b = x[list[i + 1] ?? 0] ?? 0;
          if (!(b > a)) continue;
          const nl = i + 1;
          const sr = total - sl;
          const gain = (sl * sl) / nl + (sr * sr) / (count - nl);
          if (gain > bestGain) {
            bestGain = gain;
            best = { gain, feature: j, threshold: a < 0 && b >= 0 ? 0 : (a + b) / 2, leftMask: undefined };
          }
        }
      } else {
        const sums = new Float64Array(feature.size);
        const counts = new Float64Array(feature.size);
        for (const s of first) {
          const c = x[s] ?? 0;
          sums[c] = (sums[c] ?? 0) + (ys[s] ?? 0);
          counts[c] = (counts[c] ?? 0) + 1;
        }
        const present: number[] = [];
        for (let c = 0; c < feature.size; c++) if ((counts[c] ?? 0) > 0) present.push(c);
        if (present.length < 2) return;
        const mean = (c: number): number => (sums[c] ?? 0) / (counts[c] ?? 1);
        present.sort((a, b) => mean(a) - mean(b) || a - b);
        let sl = 0;
        let nl = 0;
        for (let k = 0; k < present.length - 1; k++) {
          const c = present[k] ?? 0;
          sl += sums[c] ?? 0;
          nl += counts[c] ?? 0;
          const sr = total - sl;
          const gain = (sl * sl) / nl + (sr * sr) / (count - nl);
          if (gain > bestGain) {
            bestGain = gain;
            const leftMask = new Uint8Array(feature.size);
            for (let m = 0; m <= k; m++) leftMask[present[m] ?? 0] = 1;
            best = { gain, feature: j, threshold: 0, leftMask };
          }
        }
      }
    });
    return best;
  }
}
