import type { Direction } from "@hpo/contracts";
import type { StepReport } from "./pruner-types.js";

/** Reports ordered by step; for a repeated step the later report wins (a re-sent report replaces the old). */
export function sortReportsByStep(reports: ReadonlyArray<StepReport>): readonly StepReport[] {
  // Fast path: stored reports usually arrive ordered by step already (UNIQUE(trial, step), ORDER BY step).
  let ordered = true;
  for (let i = 1; i < reports.length && ordered; i++)
    ordered = (reports[i - 1]?.step ?? 0) < (reports[i]?.step ?? 0);
  if (ordered) return reports;
  const byStep = new Map<number, StepReport>();
  for (const report of reports) byStep.set(report.step, report);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The value reported at exactly `step`, or undefined. */
export function valueAtStep(reports: ReadonlyArray<StepReport>, step: number): number | undefined {
  let found: number | undefined;
  for (const report of reports) if (report.step === step) found = report.value;
  return found;
}

/**
 * The first report at or after `step` in step order: the value a trial had when it reached a rung
 * (successive halving records a trial's value at the first report that crosses the rung's resource).
 */
export function firstReportAtOrAfter(
  sortedReports: ReadonlyArray<StepReport>,
  step: number,
): StepReport | undefined {
  return sortedReports.find((r) => r.step >= step);
}

/** `a` is strictly better than `b` in the study's direction. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === "minimize" ? a < b : a > b;
}

/** Best non-NaN value over all reports (NaN when there is none), like Optuna's nanmin / nanmax. */
export function bestReportedValue(reports: ReadonlyArray<StepReport>, direction: Direction): number {
  let best = Number.NaN;
  for (const { value } of reports) {
    if (Number.isNaN(value)) continue;
    if (Number.isNaN(best) || isBetter(value, best, direction)) best = value;
  }
  return best;
}

/**
 * The q-th percentile (0..100) of the values with linear interpolation between closest ranks, the default of
 * numpy.percentile (which Optuna's PercentilePruner uses). NaN values are ignored; NaN when none remain.
 */
export function computePercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo] ?? Number.NaN;
  const high = sorted[hi] ?? Number.NaN;
  // Equal neighbours (including ±Infinity) need no interpolation; avoids Infinity - Infinity = NaN.
  return low === high ? low : low + (high - low) * (rank - lo);
}

/** Formats a number for reasons shown to users: short but exact enough to compare. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
