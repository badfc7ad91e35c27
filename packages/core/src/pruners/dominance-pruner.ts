import type { DominancePrunerConfig } from "@hpo/contracts";
import { dominatesLoss, toLosses } from "../multi-objective/pareto.js";
import type { PruneDecision, PruneRequest, Pruner, StepReport } from "./pruner-types.js";
import { sortReportsByStep } from "./report-math.js";

/**
 * Pruning with several objectives (no anchor has one: optuna#5270, ray#8018). The rule:
 *
 *   At its latest step s (s >= warmupSteps), a trial reporting the vector v is pruned when, among the
 *   COMPLETED trials that reported a vector at step s (at least minTrials of them), the fraction whose
 *   vector at s Pareto-dominates v (no worse in every objective, strictly better in one, in the study's
 *   directions) is at least dominatedFraction.
 *
 * A trial on or near the Pareto front of the intermediate values is never dominated by many peers, so it
 * survives however it compares in any single objective; a trial behind most finished trials in EVERY
 * objective at the same point of training is stopped. With one objective, "dominates" is "strictly better",
 * so with dominatedFraction 0.5 it behaves like the median pruner (up to ties). Reports without `values`
 * count as the one-objective vector [value]; a report whose vector has the wrong length is ignored.
 */
function vectorOf(report: StepReport, m: number): number[] | undefined {
  const v = report.values ?? [report.value];
  if (v.length !== m || !v.every((x) => !Number.isNaN(x))) return undefined;
  return v;
}

export function decideByDominance(config: DominancePrunerConfig, req: PruneRequest): PruneDecision {
  const directions =
    req.directions !== undefined && req.directions.length > 0 ? req.directions : [req.direction];
  const m = directions.length;
  const reports = sortReportsByStep(req.trial.reports);
  const last = reports[reports.length - 1];
  if (last === undefined) return { prune: false, reason: "no report yet", state: null };
  const { step } = last;
  if (step < config.warmupSteps)
    return {
      prune: false,
      reason: `step ${step} is within the ${config.warmupSteps} warm-up steps`,
      state: null,
    };
  const mine = vectorOf(last, m);
  if (mine === undefined)
    return { prune: false, reason: `the report at step ${step} has no vector of ${m} values`, state: null };
  const loss = toLosses(mine, directions);
  let peers = 0;
  let dominating = 0;
  for (const t of req.trials) {
    if (t.number === req.trial.number || t.state !== "complete") continue;
    const r = [...t.reports].reverse().find((x) => x.step === step);
    const v = r === undefined ? undefined : vectorOf(r, m);
    if (v === undefined) continue;
    peers++;
    if (dominatesLoss(toLosses(v, directions), loss)) dominating++;
  }
  if (peers < config.minTrials)
    return {
      prune: false,
      reason: `only ${peers} completed trials reported step ${step} (minTrials ${config.minTrials})`,
      state: null,
    };
  const prune = dominating >= config.dominatedFraction * peers;
  return {
    prune,
    reason: `${dominating} of ${peers} completed trials dominate its values at step ${step} (prunes at ${Math.ceil(config.dominatedFraction * peers)})`,
    state: null,
  };
}

export function createDominancePruner(config: DominancePrunerConfig): Pruner {
  return { type: "dominance", decide: (req) => decideByDominance(config, req) };
}
