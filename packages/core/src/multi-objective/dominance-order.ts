import { hypervolume } from "./hypervolume.js";
import { nonDominatedRanks } from "./pareto.js";

/**
 * Orders loss vectors (minimization) from best to worst for several objectives, as multi-objective TPE
 * does (Ozaki et al. 2020, "Multiobjective tree-structured Parzen estimator for computationally expensive
 * optimization problems"; 2022 JAIR version): first by non-domination rank, then, inside a rank, by
 * hypervolume contribution (the volume only that point dominates; largest first), so the cut between the
 * good and the bad group keeps a well-spread subset of the boundary front, the greedy form of Ozaki et
 * al.'s hypervolume subset selection. The reference point is the nadir of all points pushed out by 10% of
 * each objective's range, so extreme points get a finite, positive contribution.
 * Ties (equal contribution) fall back to the input order, which keeps the result deterministic.
 */
const MAX_CONTRIBUTION_FRONT = 200;

export function dominanceOrder(losses: readonly (readonly number[])[]): number[] {
  const n = losses.length;
  if (n === 0) return [];
  const m = losses[0]?.length ?? 0;
  const ranks = nonDominatedRanks(losses);
  const ref: number[] = [];
  for (let k = 0; k < m; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of losses) {
      lo = Math.min(lo, p[k] ?? 0);
      hi = Math.max(hi, p[k] ?? 0);
    }
    ref.push(hi + 0.1 * (hi - lo) + 1e-12 * (1 + Math.abs(hi)));
  }
  const directions = new Array<"minimize">(m).fill("minimize");
  const contribution = new Array<number>(n).fill(0);
  const byRank = new Map<number, number[]>();
  ranks.forEach((r, i) => {
    const list = byRank.get(r) ?? [];
    list.push(i);
    byRank.set(r, list);
  });
  for (const members of byRank.values()) {
    if (members.length < 2 || members.length > MAX_CONTRIBUTION_FRONT) continue;
    const pts = members.map((i) => losses[i] ?? []);
    const total = hypervolume(pts, ref, directions);
    members.forEach((i, j) => {
      const others = pts.filter((_, k) => k !== j);
      contribution[i] = total - hypervolume(others, ref, directions);
    });
  }
  return Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (ranks[a] ?? 0) - (ranks[b] ?? 0) || (contribution[b] ?? 0) - (contribution[a] ?? 0) || a - b,
  );
}
