import type { HyperbandPrunerConfig } from "@hpo/contracts";
import type { JsonValue } from "../samplers/sampler-types.js";
import type { PruneRequest, Pruner } from "./pruner-types.js";
import { decideByAsha } from "./successive-halving-pruner.js";

/** Golden-ratio conjugate: the Weyl sequence frac(n·φ⁻¹) is the most evenly spread 1-D sequence. */
const GOLDEN_FRACTION = 0.6180339887498949;

export interface BracketLayout {
  /** s_max + 1 brackets; bracket i runs ASHA with early-stopping rate i (i = 0 is the most aggressive). */
  bracketCount: number;
  /** Li et al. 2018, Algorithm 1: bracket s = s_max - i starts n = ⌈(s_max+1)/(s+1) · η^s⌉ configurations. */
  trialsPerBracket: number[];
}

/** s_max = ⌊log_η(R / r)⌋ and the configurations each bracket gets in one Hyperband iteration. */
export function computeBracketLayout(minResource: number, maxResource: number, eta: number): BracketLayout {
  // The epsilon keeps exact powers (R/r = η^k) from rounding down to k - 1.
  const sMax = Math.max(0, Math.floor(Math.log(maxResource / minResource) / Math.log(eta) + 1e-9));
  const trialsPerBracket: number[] = [];
  for (let i = 0; i <= sMax; i++) {
    const s = sMax - i;
    trialsPerBracket.push(Math.ceil(((sMax + 1) / (s + 1)) * eta ** s));
  }
  return { bracketCount: sMax + 1, trialsPerBracket };
}

/**
 * The bracket of a trial, a pure function of its number: the Weyl point frac(number · φ⁻¹) is placed on the
 * brackets' cumulative shares. Every process agrees without shared state, the shares converge to Hyperband's
 * allocation, and consecutive trials land in different brackets (unlike blocks of numbers), so even a short
 * study exercises them all. Optuna hashes (study name, number) for the same purpose.
 */
export function assignBracket(trialNumber: number, layout: BracketLayout): number {
  const point = (trialNumber * GOLDEN_FRACTION) % 1;
  const total = layout.trialsPerBracket.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (let i = 0; i < layout.bracketCount; i++) {
    cumulative += layout.trialsPerBracket[i] ?? 0;
    if (point < cumulative / total) return i;
  }
  return layout.bracketCount - 1;
}

function readLearnedMaxResource(state: JsonValue | null): number | undefined {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return undefined;
  const value = state.maxResource;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Optuna's max_resource="auto": the last step of completed trials (they all train the full budget). */
function learnMaxResource(req: PruneRequest): number | undefined {
  let max: number | undefined;
  for (const trial of req.trials) {
    if (trial.state !== "complete" || trial.number === req.trial.number) continue;
    for (const { step } of trial.reports) if (max === undefined || step > max) max = step;
  }
  return max;
}

/**
 * Hyperband run asynchronously (Li et al. 2018 with ASHA inside each bracket, as Optuna's HyperbandPruner and
 * Ray Tune do): each trial belongs to one bracket; bracket i is an ASHA whose first rung is r·η^i and whose
 * trials only compete with trials of the same bracket. The last bracket never stops a trial early (plain
 * random search), hedging against a learning curve whose early ranking misleads.
 *
 * State: when maxResource is learned from history, it is pinned in `{ maxResource }` so the bracket layout
 * stays the same for the rest of the study.
 */
export function createHyperbandPruner(config: HyperbandPrunerConfig): Pruner {
  const layouts = new Map<number, BracketLayout>();
  const layoutFor = (maxResource: number): BracketLayout => {
    let layout = layouts.get(maxResource);
    if (layout === undefined) {
      layout = computeBracketLayout(config.minResource, maxResource, config.reductionFactor);
      layouts.set(maxResource, layout);
    }
    return layout;
  };

  return {
    type: "hyperband",
    decide(req) {
      const maxResource = config.maxResource ?? readLearnedMaxResource(req.state) ?? learnMaxResource(req);
      if (maxResource === undefined) {
        return {
          prune: false,
          reason: "maxResource is learned from the first completed trial; none has completed yet",
          state: req.state,
        };
      }
      const state: JsonValue | null = config.maxResource === undefined ? { maxResource } : null;
      const layout = layoutFor(maxResource);
      const bracket = assignBracket(req.trial.number, layout);
      if (bracket === layout.bracketCount - 1) {
        // Li et al.'s bracket s = 0: every configuration gets the full resource R (plain random search). With
        // R / r not an exact power of η its first rung r·η^s_max would fall below R, so it is skipped explicitly.
        return { prune: false, reason: `bracket ${bracket} never stops a trial early`, state };
      }
      const rule = {
        minResource: config.minResource,
        reductionFactor: config.reductionFactor,
        minEarlyStoppingRate: bracket,
        maxRungStep: maxResource,
      };
      const sameBracket = (trial: { number: number }) => assignBracket(trial.number, layout) === bracket;
      const verdict = decideByAsha(rule, req, sameBracket, `bracket ${bracket}: `);
      return { ...verdict, state };
    },
  };
}
