import type { Direction } from "@hpo/contracts";

/**
 * Pareto dominance in the user's directions: a dominates b when a is no worse in every objective and
 * strictly better in one.
 */
export interface ParetoPoint {
  values: readonly number[];
  feasible: boolean;
}

/** Values turned into losses (minimization): maximized objectives are negated. */
export function toLosses(values: readonly number[], directions: readonly Direction[]): number[] {
  return values.map((v, i) => (directions[i] === "maximize" ? -v : v));
}

/** a dominates b, both already losses (minimization). */
export function dominatesLoss(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? Infinity;
    const y = b[i] ?? Infinity;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/**
 * Indices (in input order) of the feasible points no other feasible point dominates. Points with a
 * non-finite value are left out. Duplicate points are all kept (none dominates the other).
 */
export function paretoFront(points: readonly ParetoPoint[], directions: readonly Direction[]): number[] {
  const cand: { i: number; loss: number[] }[] = [];
  points.forEach((p, i) => {
    if (!p.feasible || p.values.length !== directions.length) return;
    if (!p.values.every((v) => Number.isFinite(v))) return;
    cand.push({ i, loss: toLosses(p.values, directions) });
  });
  // Sorting by the first loss (then the rest) means a point can only be dominated by earlier ones.
  cand.sort((a, b) => {
    for (let k = 0; k < a.loss.length; k++) {
      const d = (a.loss[k] ?? 0) - (b.loss[k] ?? 0);
      if (d !== 0) return d;
    }
    return a.i - b.i;
  });
  const front: { i: number; loss: number[] }[] = [];
  for (const c of cand) if (!front.some((f) => dominatesLoss(f.loss, c.loss))) front.push(c);
  return front.map((f) => f.i).sort((a, b) => a - b);
}

/**
 * Fast non-dominated sort (Deb et al. 2002, NSGA-II §III-A) of loss vectors: rank 0 is the Pareto front,
 * rank 1 the front once rank 0 is removed, and so on. O(M·N²).
 */
export function nonDominatedRanks(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = losses[i] ?? [];
      const b = losses[j] ?? [];
      if (dominatesLoss(a, b)) {
        dominatedBy[i]?.push(j);
        count[j] = (count[j] ?? 0) + 1;
      } else if (dominatesLoss(b, a)) {
        dominatedBy[j]?.push(i);
        count[i] = (count[i] ?? 0) + 1;
      }
    }
  }
  const rank = new Array<number>(n).fill(0);
  let current = [];
  for (let i = 0; i < n; i++) if (count[i] === 0) current.push(i);
  let r = 0;
  while (current.length > 0) {
    const next: number[] = [];
    for (const i of current) {
      rank[i] = r;
      for (const j of dominatedBy[i] ?? []) {
        count[j] = (count[j] ?? 0) - 1;
        if (count[j] === 0) next.push(j);
      }
    }
    current = next;
    r++;
  }
  return rank;
}
