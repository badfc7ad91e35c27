import type { Constraint } from "@hpo/contracts";

/**
 * Constraints on reported metrics become Optuna-style violations (the convention of Optuna's
 * constraints_func): one number per constraint, <= 0 satisfied, > 0 violated by that much.
 *   `metric <= value`  →  metric − value
 *   `metric >= value`  →  value − metric
 * A metric that was not reported (or is not finite) cannot be shown to hold: it counts as violated by
 * MISSING_METRIC_VIOLATION, larger than any plausible real violation so such trials rank last among the
 * infeasible ones, yet finite so sums and sorts stay well defined.
 */
export const MISSING_METRIC_VIOLATION = 1e12;

export function constraintViolations(
  constraints: readonly Pick<Constraint, "metric" | "op" | "value">[],
  metrics: Readonly<Record<string, number>>,
): number[] {
  return constraints.map((c) => {
    const m = metrics[c.metric];
    if (m === undefined || !Number.isFinite(m)) return MISSING_METRIC_VIOLATION;
    return c.op === "<=" ? m - c.value : c.value - m;
  });
}

/** Feasible when every violation is <= 0; no violations (absent or empty) is feasible. */
export function isFeasible(violations: readonly number[] | undefined): boolean {
  if (violations === undefined) return true;
  for (const v of violations) if (!(v <= 0)) return false;
  return true;
}

/** Total violation (sum of the positive parts): 0 for a feasible trial; NaN counts as missing. */
export function totalViolation(violations: readonly number[] | undefined): number {
  if (violations === undefined) return 0;
  let s = 0;
  for (const v of violations) s += Number.isNaN(v) ? MISSING_METRIC_VIOLATION : Math.max(0, v);
  return s;
}
