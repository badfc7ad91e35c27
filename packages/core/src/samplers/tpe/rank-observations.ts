import type { Direction, Params } from "@hpo/contracts";
import { isFeasible, totalViolation } from "../../constraints/constraint-violations.js";
import { dominanceOrder } from "../../multi-objective/dominance-order.js";
import { toLosses } from "../../multi-objective/pareto.js";
import { isPendingState, trialValues, type HistoryTrial } from "../sampler-types.js";

/**
 * Orders the history from best to worst for TPE's good/bad split:
 * 1. feasible complete trials by loss (value, negated when maximizing); with several objectives by
 *    non-domination rank, then hypervolume contribution (multi-objective TPE, see dominance-order.ts);
 * 1b. infeasible complete trials after every feasible one, least total violation first: Optuna's TPE with
 *    constraints_func does the same, so the good group is made of feasible points while any exist and of
 *    the nearest-to-feasible ones before that;
 * 2. pruned trials, those that got further first, then by their last reported loss (Optuna does the same:
 *    a trial pruned late was better than one pruned early);
 * 3. pending trials last when the constant liar is on: a worker's point is assumed to be as bad as
 *    possible until it reports, which pushes parallel suggestions away from it (Ginsbourger et al. 2010).
 * Failed and abandoned trials carry no information about the objective and are left out.
 */
export interface RankedObservation {
  number: number;
  params: Params;
  kind: "complete" | "pruned" | "pending";
}

export function rankObservations(
  trials: readonly HistoryTrial[],
  directions: readonly Direction[],
  constantLiar: boolean,
): RankedObservation[] {
  const sign = directions[0] === "maximize" ? -1 : 1;
  const complete: { t: HistoryTrial; loss: number[] }[] = [];
  const infeasible: { t: HistoryTrial; violation: number }[] = [];
  const pruned: { t: HistoryTrial; step: number; loss: number }[] = [];
  const pending: HistoryTrial[] = [];
  for (const t of trials) {
    const values = t.state === "complete" ? trialValues(t, directions.length) : undefined;
    if (values !== undefined && values.every((v) => Number.isFinite(v))) {
      if (isFeasible(t.constraintViolations)) complete.push({ t, loss: toLosses(values, directions) });
      else infeasible.push({ t, violation: totalViolation(t.constraintViolations) });
    } else if (t.state === "pruned") {
      const last = t.reports.reduce<{ step: number; value: number } | undefined>(
        (acc, r) => (Number.isFinite(r.value) && (acc === undefined || r.step >= acc.step) ? r : acc),
        undefined,
      );
      pruned.push({
        t,
        step: last?.step ?? -Infinity,
        loss: last === undefined ? Infinity : sign * last.value,
      });
    } else if (constantLiar && isPendingState(t.state)) {
      pending.push(t);
    }
  }
  complete.sort((a, b) => a.t.number - b.t.number);
  const order =
    directions.length >= 2
      ? dominanceOrder(complete.map((c) => c.loss))
      : complete
          .map((_, i) => i)
          .sort((a, b) => (complete[a]?.loss[0] ?? 0) - (complete[b]?.loss[0] ?? 0) || a - b);
  infeasible.sort((a, b) => a.violation - b.violation || a.t.number - b.t.number);
  pruned.sort((a, b) => b.step - a.step || a.loss - b.loss || a.t.number - b.t.number);
  pending.sort((a, b) => a.number - b.number);
  return [
    ...order.flatMap((i) => {
      const t = complete[i]?.t;
      return t === undefined ? [] : [{ number: t.number, params: t.params, kind: "complete" as const }];
    }),
    ...infeasible.map(({ t }) => ({ number: t.number, params: t.params, kind: "complete" as const })),
    ...pruned.map(({ t }) => ({ number: t.number, params: t.params, kind: "pruned" as const })),
    ...pending.map((t) => ({ number: t.number, params: t.params, kind: "pending" as const })),
  ];
}

/** The good group's cap in Optuna's default γ rule. */
export const maxGoodObservations = 25;

/** Optuna's default γ rule: the best ⌈γ·n⌉ observations, at most 25, form the good group. */
export function countGood(n: number, gamma: number, completeCount: number): number {
  return Math.min(Math.ceil(gamma * n), maxGoodObservations, completeCount);
}

/** Optuna's default_weights: the newest 25 trials weigh 1, older ones ramp down linearly to 1/n. */
export function recencyWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}
