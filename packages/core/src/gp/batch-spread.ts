import type { Params } from "@hpo/contracts";
import type { GpEncoding } from "./gp-encoding.js";

/**
 * Diagnostics of a batch: how close its points land to each other and to the pending trials, in the GP's
 * encoded unit cube (continuous columns; a categorical mismatch counts as distance 1). Plain constant liar
 * is known to fail either by collapsing a batch onto one spot or by pushing later points to corners; these
 * numbers make both visible (tests and the dev bench print them).
 */
export interface BatchSpread {
  /** Smallest distance between two points of the batch. */
  minWithinBatch: number;
  /** Smallest distance from a batch point to a pending (or earlier) trial. */
  minToPending: number;
  /** Fraction of the batch's points with every continuous coordinate on a bound (a corner). */
  cornerFraction: number;
}

export function measureBatchSpread(
  encoding: GpEncoding,
  batch: readonly Params[],
  pending: readonly Params[],
): BatchSpread {
  const rows = batch.map((p) => encoding.encode(p));
  const others = pending.map((p) => encoding.encode(p));
  const isCat = encoding.columns.isCategorical;
  const dist = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < a.length; j++) {
      if (isCat[j] === 1) s += a[j] === b[j] ? 0 : 1;
      else s += ((a[j] ?? 0) - (b[j] ?? 0)) ** 2;
    }
    return Math.sqrt(s);
  };
  let minWithinBatch = Infinity;
  let minToPending = Infinity;
  let corners = 0;
  rows.forEach((r, i) => {
    for (let k = 0; k < i; k++) minWithinBatch = Math.min(minWithinBatch, dist(r, rows[k] ?? r));
    for (const o of others) minToPending = Math.min(minToPending, dist(r, o));
    const cols = encoding.continuousColumns;
    if (cols.length > 0 && cols.every((j) => (r[j] ?? 0.5) <= 1e-9 || (r[j] ?? 0.5) >= 1 - 1e-9)) corners++;
  });
  return { minWithinBatch, minToPending, cornerFraction: rows.length > 0 ? corners / rows.length : 0 };
}
