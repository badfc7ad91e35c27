import type { MedianPrunerConfig, PercentilePrunerConfig } from "@hpo/contracts";
import type { PruneDecision, PruneRequest, Pruner, StepReport } from "./pruner-types.js";
import {
  bestReportedValue,
  computePercentile,
  formatValue,
  isBetter,
  sortReportsByStep,
  valueAtStep,
} from "./report-math.js";

interface PercentileRule {
  percentile: number;
  warmupSteps: number;
  minTrials: number;
  intervalSteps: number;
}

/**
 * Optuna's `_is_first_in_interval_step`: with interval I after W warm-up steps, the checked steps are W, W+I,
 * W+2I, ...; a report is checked when it is the first one at or past the latest such step (so trials that
 * skip steps are still checked once per window).
 */
function isFirstInIntervalStep(sortedReports: readonly StepReport[], rule: PercentileRule): boolean {
  const last = sortedReports[sortedReports.length - 1];
  if (last === undefined) return false;
  const sinceWarmup = last.step - rule.warmupSteps;
  const nearestCheckStep =
    Math.floor(sinceWarmup / rule.intervalSteps) * rule.intervalSteps + rule.warmupSteps;
  const previous = sortedReports[sortedReports.length - 2];
  return previous === undefined || previous.step < nearestCheckStep;
}

/**
 * Optuna's PercentilePruner (MedianPruner = percentile 50): the trial's best value so far against the
 * given percentile of the values the COMPLETED trials reported at the same step. For maximization the
 * percentile is mirrored (100 - p) so that "keep the top p%" means the same in both directions.
 */
function decideByPercentile(rule: PercentileRule, label: string, req: PruneRequest): PruneDecision {
  const reports = sortReportsByStep(req.trial.reports);
  const last = reports[reports.length - 1];
  if (last === undefined) return { prune: false, reason: "no report yet", state: null };
  const { step } = last;
  if (step < rule.warmupSteps) {
    return {
      prune: false,
      reason: `step ${step} is within the ${rule.warmupSteps} warm-up steps`,
      state: null,
    };
  }
  if (!isFirstInIntervalStep(reports, rule)) {
    return {
      prune: false,
      reason: `step ${step} is not a checked step (every ${rule.intervalSteps})`,
      state: null,
    };
  }
  const best = bestReportedValue(reports, req.direction);
  if (Number.isNaN(best)) return { prune: true, reason: "every reported value is NaN", state: null };

  const peers: number[] = [];
  for (const trial of req.trials) {
    if (trial.number === req.trial.number || trial.state !== "complete") continue;
    const value = valueAtStep(trial.reports, step);
    if (value !== undefined && !Number.isNaN(value)) peers.push(value);
  }
  if (peers.length < rule.minTrials) {
    return {
      prune: false,
      reason: `only ${peers.length} completed trials reported step ${step} (minTrials ${rule.minTrials})`,
      state: null,
    };
  }
  const q = req.direction === "maximize" ? 100 - rule.percentile : rule.percentile;
  const threshold = computePercentile(peers, q);
  const prune = isBetter(threshold, best, req.direction);
  const relation = prune ? "worse than" : "not worse than";
  return {
    prune,
    reason:
      `best value ${formatValue(best)} is ${relation} the ${label} ${formatValue(threshold)} ` +
      `of ${peers.length} completed trials at step ${step}`,
    state: null,
  };
}

export function createMedianPruner(config: MedianPrunerConfig): Pruner {
  const rule: PercentileRule = { ...config, percentile: 50 };
  return { type: "median", decide: (req) => decideByPercentile(rule, "median", req) };
}

export function createPercentilePruner(config: PercentilePrunerConfig): Pruner {
  const rule: PercentileRule = { ...config };
  const label = `${formatValue(config.percentile)}th percentile`;
  return { type: "percentile", decide: (req) => decideByPercentile(rule, label, req) };
}
