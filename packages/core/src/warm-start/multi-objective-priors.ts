import type { Direction, Space } from "@hpo/contracts";
import { trialValues, type HistoryTrial } from "../samplers/sampler-types.js";
import { priorsAgree } from "./prior-agreement.js";

/**
 * Warm start with several objectives: which prior trials the multi-objective samplers use, and the safety
 * gate. A prior is usable when it completed with a finite value for every objective (prepareWarmStart puts
 * them in `values`). At most `max` are kept, an even spread in input order (no single objective ranks them).
 * The gate is the single-objective one (prior-agreement.ts) applied to each objective on its own: the priors
 * are used only while they predict the ranking of the study's own trials on EVERY objective, so an earlier
 * study that is misleading on one objective is dropped after a handful of trials.
 */

export function usableMultiObjectivePriors(
  priors: readonly HistoryTrial[] | undefined,
  objectives: number,
  max: number,
): HistoryTrial[] {
  const ok = (priors ?? []).filter((t) => {
    const v = t.state === "complete" ? trialValues(t, objectives) : undefined;
    return v !== undefined && v.every((x) => Number.isFinite(x));
  });
  if (ok.length <= max) return ok;
  return Array.from({ length: max }, (_, k) => ok[Math.floor((k * ok.length) / max)]).filter(
    (t): t is HistoryTrial => t !== undefined,
  );
}

/** One objective of multi-objective trials, as single-objective trials (value = that objective). */
function projectObjective(trials: readonly HistoryTrial[], k: number, objectives: number): HistoryTrial[] {
  return trials.map((t) => {
    const v = trialValues(t, objectives)?.[k];
    const rest: HistoryTrial = { number: t.number, params: t.params, state: t.state, reports: t.reports };
    return v === undefined ? { ...rest, state: "failed" } : { ...rest, value: v };
  });
}

export function multiObjectivePriorsAgree(
  space: Space,
  priors: readonly HistoryTrial[],
  trials: readonly HistoryTrial[],
  directions: readonly Direction[],
): boolean {
  const m = directions.length;
  return directions.every((direction, k) =>
    priorsAgree(space, projectObjective(priors, k, m), projectObjective(trials, k, m), direction),
  );
}
