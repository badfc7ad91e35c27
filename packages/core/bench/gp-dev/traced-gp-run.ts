import type { Params, Space } from "@hpo/contracts";
import { defaultStartupTrials } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { WARP_LAMBDAS } from "../../src/gp/output-warping.js";
import {
  failureTolerance,
  replayOnModelScale,
  type TrustRegionSchedule,
} from "../../src/gp/stall-trust-region.js";
import type { HistoryTrial, JsonValue, Sampler } from "../../src/samplers/sampler-types.js";

/** What the GP fitted at one ask (from its stored state) and the stall schedule it replayed. */
export interface AskFit {
  lambda: number;
  /** θ of the chosen warping: log length scales, log signal variance, log noise variance. */
  theta: number[];
  schedule: TrustRegionSchedule;
}

export interface TracedTrial {
  number: number;
  params: Params;
  value: number;
  origin: string;
  /** Undefined when the sampler stored no GP fit (start-up, or another sampler). */
  fit: AskFit | undefined;
}

/**
 * The gp-dev trace scripts' loop: asks `sampler` one trial at a time for `budget` trials on `evaluate`
 * (minimization), and hands each trial to `onTrial` with the fit the GP stored at that ask.
 */
export function runTracedGp(
  sampler: Sampler,
  space: Space,
  evaluate: (params: Params) => number,
  seed: number,
  budget: number,
  onTrial: (trial: TracedTrial) => void,
): void {
  const encoding = createGpEncoding(space);
  const dims = encoding.columns.dims;
  const nStartup = defaultStartupTrials(encoding);
  const trials: HistoryTrial[] = [];
  let state: JsonValue | null = null;
  while (trials.length < budget) {
    const values = trials.map((t) => t.value ?? Infinity);
    const r = sampler.sample({
      space,
      direction: "minimize",
      trials,
      count: 1,
      seed,
      firstNumber: trials.length,
      state,
    });
    state = r.state;
    let fit: AskFit | undefined;
    if (state !== null && typeof state === "object" && !Array.isArray(state)) {
      const lambda = Number(state.lambda);
      const thetas = state.thetas;
      const theta = Array.isArray(thetas) ? thetas[WARP_LAMBDAS.indexOf(lambda)] : undefined;
      if (Array.isArray(theta))
        fit = {
          lambda,
          theta: theta.map(Number),
          schedule: replayOnModelScale(values, lambda, nStartup, failureTolerance(dims)),
        };
    }
    for (const params of r.suggestions) {
      const value = evaluate(params);
      trials.push({ number: trials.length, params, state: "complete", value, reports: [] });
      onTrial({ number: trials.length - 1, params, value, origin: r.origin, fit });
    }
  }
}

/** Params as a short line of numbers and choices. */
export function shownParams(params: Params): string {
  return Object.values(params)
    .map((x) => (typeof x === "number" ? x.toFixed(3) : String(x)))
    .join(" ");
}
