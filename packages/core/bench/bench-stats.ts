/** numpy.percentile's default (linear interpolation, "type 7"), as the protocol prescribes. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Compact significant-digit formatting for tables (regrets span 1e-9 … 1e4). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e4 || abs < 1e-3) return x.toExponential(2).replace("e+", "e");
  return Number(x.toPrecision(3)).toString();
}

/**
 * Two-sided exact sign test: the probability, if neither side were better, of a split of the non-tied
 * paired seeds at least as uneven as `wins` / `losses` (binomial with p = 1/2). A median over 8–20 seeds
 * of a bimodal outcome (a run ends in one basin or another) moves with a single seed; the per-seed split
 * and its p-value say whether a difference between two medians is more than that.
 */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  // log C(n, i) accumulated term by term, so 2^-n never underflows for the seed counts used here.
  let logChoose = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** A p-value for tables: two significant digits, "<0.001" below that. */
export function formatP(p: number): string {
  return p < 0.001 ? "<0.001" : Number(p.toPrecision(2)).toString();
}
