import type { Direction } from "@hpo/contracts";
import { dominatesLoss, toLosses } from "./pareto.js";

/**
 * Hypervolume: the measure of the region dominated by the points and bounded by the reference point
 * (Zitzler & Thiele 1998). Points that do not strictly beat the reference in every objective add nothing.
 * Exact algorithms: a sweep for 2 objectives (O(n log n)), slices along the third objective each solved by
 * the 2-D sweep for 3 (O(n² log n)), and WFG (While, Bradstreet & Barone 2012: HV as a sum of exclusive
 * contributions computed on "limited" sets) beyond, which bottoms out in the 3-D case.
 */
export function hypervolume(
  points: readonly (readonly number[])[],
  reference: readonly number[],
  directions: readonly Direction[],
): number {
  const ref = toLosses(reference, directions);
  const inside: number[][] = [];
  for (const p of points) {
    if (p.length !== ref.length) continue;
    const loss = toLosses(p, directions);
    if (loss.every((v, i) => Number.isFinite(v) && v < (ref[i] ?? -Infinity))) inside.push(loss);
  }
  return hvLoss(nonDominated(inside), ref);
}

/** Non-dominated, de-duplicated subset of loss vectors. */
function nonDominated(points: readonly number[][]): number[][] {
  const sorted = [...points].sort((a, b) => {
    for (let k = 0; k < a.length; k++) {
      const d = (a[k] ?? 0) - (b[k] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  const out: number[][] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.every((v, k) => v === p[k])) continue;
    if (!out.some((q) => dominatesLoss(q, p))) out.push(p);
  }
  return out;
}

/** HV of a non-dominated set of losses, all strictly inside the reference box. */
function hvLoss(points: readonly number[][], ref: readonly number[]): number {
  if (points.length === 0) return 0;
  const m = ref.length;
  if (m === 1) return (ref[0] ?? 0) - Math.min(...points.map((p) => p[0] ?? 0));
  if (m === 2) return hv2(points, ref[0] ?? 0, ref[1] ?? 0);
  if (m === 3) return hv3(points, ref);
  return wfg(points, ref);
}

function hv2(points: readonly (readonly number[])[], r0: number, r1: number): number {
  const sorted = [...points].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let area = 0;
  let y = r1;
  for (const p of sorted) {
    const p1 = p[1] ?? r1;
    if (p1 >= y) continue;
    area += (r0 - (p[0] ?? r0)) * (y - p1);
    y = p1;
  }
  return area;
}

function hv3(points: readonly number[][], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0));
  let volume = 0;
  const r0 = ref[0] ?? 0;
  const r1 = ref[1] ?? 0;
  for (let i = 0; i < sorted.length; i++) {
    const z = sorted[i]?.[2] ?? 0;
    const zNext = i + 1 < sorted.length ? (sorted[i + 1]?.[2] ?? 0) : (ref[2] ?? 0);
    if (zNext <= z) continue;
    volume += hv2(sorted.slice(0, i + 1), r0, r1) * (zNext - z);
  }
  return volume;
}

/** WFG: HV(S) = Σ_i exclusive(p_i, {p_{i+1}, …}), exclusive(p, T) = box(p) − HV(limit(T, p)). */
function wfg(points: readonly number[][], ref: readonly number[]): number {
  // Sorting by the last objective, worst first, keeps the limited sets small (WFG's ordering heuristic).
  const sorted = [...points].sort((a, b) => (b[b.length - 1] ?? 0) - (a[a.length - 1] ?? 0));
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] ?? [];
    let box = 1;
    for (let k = 0; k < ref.length; k++) box *= (ref[k] ?? 0) - (p[k] ?? 0);
    const limited = sorted.slice(i + 1).map((q) => q.map((v, k) => Math.max(v, p[k] ?? v)));
    total += box - hvLoss(nonDominated(limited), ref);
  }
  return total;
}
