import type { Direction, Params } from "@hpo/contracts";
import {
  isPendingState,
  requestDirections,
  trialValues,
  type HistoryTrial,
  type SampleRequest,
  type SampleResult,
} from "../samplers/sampler-types.js";
import { sobolPoint } from "../samplers/sobol-sequence.js";
import { dominatesLoss, toLosses } from "../multi-objective/pareto.js";

/**
 * Several objectives with the single-objective GP: ParEGO (Knowles 2006, "ParEGO: a hybrid algorithm with
 * on-line landscape approximation for expensive multiobjective optimization problems"). Each suggestion
 * draws a weight vector λ on the simplex, normalizes every objective to [0, 1] between the ideal and nadir
 * points of the current Pareto front (trials beyond it get values above 1) and
 * minimizes the augmented Chebyshev scalarization
 *   s_λ(f) = max_k λ_k f_k + ρ Σ_k λ_k f_k,   ρ = 0.05,
 * whose minimizers cover the whole Pareto front (convex or not) as λ varies. The weights are a scrambled
 * Sobol point addressed by the trial number (mapped to the simplex by sorted spacings), so consecutive
 * trials spread over the front and the choice is deterministic per (seed, number).
 * Batches: one suggestion at a time, earlier ones of the batch passed on as pending (the GP's Kriging
 * believer and exclusion radius then keep them apart), each with its own λ. Constraints pass through
 * unchanged (log EI × probability of feasibility on the scalarized objective).
 */
const RHO = 0.05;
const STREAM_PAREGO = 0x50415245; // "PARE"

/** Point m-1 of [0,1)^(m-1) → weights on the m-simplex (uniform spacings of the sorted coordinates). */
export function simplexWeights(number: number, m: number, seed: number): number[] {
  const u = m > 1 ? sobolPoint(number, m - 1, (seed ^ STREAM_PAREGO) >>> 0) : [];
  const cuts = [0, ...Array.from(u), 1].sort((a, b) => a - b);
  const w: number[] = [];
  for (let k = 0; k < m; k++) w.push((cuts[k + 1] ?? 1) - (cuts[k] ?? 0));
  return w;
}

/**
 * Normalized losses of the completed trials: each objective scaled between the ideal and nadir points of
 * the non-dominated trials (not the whole observed range: far-off early trials would otherwise squeeze the
 * front into a corner of [0, 1]^m and bias the weights).
 */
function normalizedLosses(
  trials: readonly HistoryTrial[],
  directions: readonly Direction[],
): Map<number, number[]> {
  const m = directions.length;
  const losses = new Map<number, number[]>();
  for (const t of trials) {
    if (t.state !== "complete") continue;
    const v = trialValues(t, m);
    if (v === undefined || !v.every((x) => Number.isFinite(x))) continue;
    losses.set(t.number, toLosses(v, directions));
  }
  const lo = new Array<number>(m).fill(Infinity);
  const hi = new Array<number>(m).fill(-Infinity);
  const all = [...losses.values()];
  const front = all.filter((p) => !all.some((q) => dominatesLoss(q, p)));
  for (const loss of front.length >= 2 ? front : all)
    loss.forEach((x, k) => {
      lo[k] = Math.min(lo[k] ?? x, x);
      hi[k] = Math.max(hi[k] ?? x, x);
    });
  for (const loss of losses.values())
    loss.forEach((x, k) => {
      const span = (hi[k] ?? 0) - (lo[k] ?? 0);
      loss[k] = span > 0 ? (x - (lo[k] ?? 0)) / span : 0;
    });
  return losses;
}

/** The trials with `value` = the augmented Chebyshev scalarization under weights w (others as the GP reads them). */
function scalarize(
  trials: readonly HistoryTrial[],
  losses: ReadonlyMap<number, number[]>,
  w: readonly number[],
): HistoryTrial[] {
  return trials.map((t): HistoryTrial => {
    const rest: HistoryTrial = { number: t.number, params: t.params, state: t.state, reports: t.reports };
    if (t.constraintViolations !== undefined) rest.constraintViolations = t.constraintViolations;
    const loss = losses.get(t.number);
    if (loss === undefined || t.state !== "complete") {
      return isPendingState(t.state) || t.state === "pruned" ? rest : { ...rest, state: "failed" };
    }
    let max = -Infinity;
    let sum = 0;
    loss.forEach((f, j) => {
      max = Math.max(max, (w[j] ?? 0) * f);
      sum += (w[j] ?? 0) * f;
    });
    return { ...rest, value: max + RHO * sum };
  });
}

/**
 * Warm start (`priorTrials` with several objectives): the priors are scalarized with the same weights,
 * normalized by THEIR OWN front (an earlier study may sit on another scale), and passed on as the
 * single-objective request's `priorTrials`, where the GP's warm start (warm-start/gp-warm-start.ts) models
 * them as a correlated second task behind its agreement gate.
 */
export function sampleParego(
  req: SampleRequest,
  sampleSingle: (req: SampleRequest) => SampleResult,
): SampleResult {
  const directions = requestDirections(req);
  const m = directions.length;
  const losses = normalizedLosses(req.trials, directions);
  const priors = (req.priorTrials ?? []).filter((t) => t.state === "complete");
  const priorLosses = normalizedLosses(priors, directions);
  const trials: HistoryTrial[] = [...req.trials];
  const suggestions: Params[] = [];
  let state = req.state;
  let origin = "gp-parego";
  for (let k = 0; k < req.count; k++) {
    const number = req.firstNumber + k;
    const w = simplexWeights(number, m, req.seed);
    const single: SampleRequest = {
      ...req,
      direction: "minimize",
      directions: ["minimize"],
      trials: scalarize(trials, losses, w),
      count: 1,
      firstNumber: number,
      state,
    };
    if (priorLosses.size > 0) single.priorTrials = scalarize(priors, priorLosses, w);
    else delete single.priorTrials;
    const result = sampleSingle(single);
    state = result.state;
    origin = result.origin === "gp" ? "gp-parego" : result.origin;
    const params = result.suggestions[0];
    if (params === undefined) break;
    suggestions.push(params);
    trials.push({ number, params, state: "running", reports: [] });
  }
  return { suggestions, state, exhausted: false, origin };
}
