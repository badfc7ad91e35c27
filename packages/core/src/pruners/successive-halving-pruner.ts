import type { Direction, SuccessiveHalvingPrunerConfig } from "@hpo/contracts";
import type { HistoryTrial } from "../samplers/sampler-types.js";
import type { PruneRequest, Pruner } from "./pruner-types.js";
import { firstReportAtOrAfter, formatValue, sortReportsByStep } from "./report-math.js";

export interface AshaRule {
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
  /** Rungs at or beyond this step are not decided (Hyperband: reaching maxResource means finishing). */
  maxRungStep?: number;
}

/** The step of rung k: r_k = minResource · η^(s + k) (Li et al. 2020, Algorithm 2, s = early-stopping rate). */
export function computeRungStep(rule: AshaRule, rung: number): number {
  return rule.minResource * rule.reductionFactor ** (rule.minEarlyStoppingRate + rung);
}

/**
 * ASHA's promotion test as Optuna runs it (a trial cannot be paused and resumed later, so "promote" means
 * "let it continue"): among the n values recorded at the rung (this trial's included), the trial continues iff
 * it is within the top ⌊n / η⌋; while n < η it continues only if it is the best so far.
 */
function isPromotable(value: number, competitors: number[], eta: number, direction: Direction): boolean {
  const sorted = competitors.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const index = Math.max(0, Math.floor(sorted.length / eta) - 1);
  if (direction === "minimize") return value <= (sorted[index] ?? Number.NaN);
  return value >= (sorted[sorted.length - 1 - index] ?? Number.NaN);
}

export interface AshaVerdict {
  prune: boolean;
  reason?: string;
}

/**
 * Decides one report under ASHA. Everything is derived from the stored reports instead of per-trial records
 * written at decision time (as Optuna's `completed_rung_k` attributes are): a trial's value at rung k is its
 * first report at or past r_k, and a rung is decided on the report that first crosses it. Lower rungs crossed
 * by an earlier report were already passed, so a promotion is final. Deriving instead of storing keeps every
 * decision a pure function of Postgres history: concurrent reports from many workers cannot lose an update,
 * and a rebuilt study decides exactly as before.
 */
export function decideByAsha(
  rule: AshaRule,
  req: PruneRequest,
  isCompetitor: (trial: HistoryTrial) => boolean,
  context = "",
): AshaVerdict {
  const reports = sortReportsByStep(req.trial.reports);
  const current = reports[reports.length - 1];
  if (current === undefined) return { prune: false, reason: "no report yet" };
  const eta = rule.reductionFactor;
  for (let rung = 0; ; rung++) {
    const rungStep = computeRungStep(rule, rung);
    if (rungStep > current.step) break;
    if (rule.maxRungStep !== undefined && rungStep >= rule.maxRungStep) break;
    // Crossed by an earlier report: this rung was decided then (and the trial continued).
    if (firstReportAtOrAfter(reports, rungStep) !== current) continue;
    const value = current.value;
    if (Number.isNaN(value)) {
      return { prune: true, reason: `${context}value at rung ${rung} (step ${rungStep}) is NaN` };
    }
    const competitors = [value];
    for (const trial of req.trials) {
      if (trial.number === req.trial.number || !isCompetitor(trial)) continue;
      const atRung = firstReportAtOrAfter(sortReportsByStep(trial.reports), rungStep);
      if (atRung !== undefined) competitors.push(atRung.value);
    }
    if (!isPromotable(value, competitors, eta, req.direction)) {
      return {
        prune: true,
        reason:
          `${context}value ${formatValue(value)} at rung ${rung} (step ${rungStep}) is not in the top 1/${eta} ` +
          `of the ${competitors.length} trials that reached it`,
      };
    }
  }
  return { prune: false };
}

export function createSuccessiveHalvingPruner(config: SuccessiveHalvingPrunerConfig): Pruner {
  const rule: AshaRule = {
    minResource: config.minResource,
    reductionFactor: config.reductionFactor,
    minEarlyStoppingRate: config.minEarlyStoppingRate,
  };
  return {
    type: "successive-halving",
    // Everything is derived from the reports, so SHA keeps no state.
    decide: (req) => ({ ...decideByAsha(rule, req, () => true), state: null }),
  };
}
