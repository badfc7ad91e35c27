/**
 * Prints one GP run of a widened-suite problem trial by trial with what the sampler saw at each ask (dev aid
 * for noisy objectives): the observed and noise-free regret, the regret of the trial a study would report
 * (best observed value, scored noise-free), the output warping λ, the fitted noise standard deviation on the
 * model's standardized scale, and the stall trust region's schedule:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-noisy-run.ts --problem hartmann3-noisy --seed N [--budget 40] [--stall off] [--sampler gp-ei]
 */
import type { HistoryTrial, JsonValue } from "../../src/samplers/sampler-types.js";
import { createGpSampler, defaultStartupTrials } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { WARP_LAMBDAS } from "../../src/gp/output-warping.js";
import { failureTolerance, replayOnModelScale } from "../../src/gp/stall-trust-region.js";
import { suiteProblems } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg } from "./dev-args.js";

const problem = suiteProblems.find((p) => p.name === arg("problem", "hartmann3-noisy"));
if (problem === undefined) throw new Error("unknown problem");
const seed = Number(arg("seed", "0"));
const budget = Number(arg("budget", "40"));
const stall = arg("stall", "on") === "on";
const encoding = createGpEncoding(problem.space);
const dims = encoding.columns.dims;
const nStartup = defaultStartupTrials(encoding);
const sampler =
  arg("sampler", "gp") === "gp-ei"
    ? createTextbookGpEiSampler(problem.space)
    : createGpSampler({}, problem.space, "believer", stall);
const truth = problem.trueValue ?? problem.evaluate;
const trials: HistoryTrial[] = [];
let state: JsonValue | null = null;
let bestObserved = Infinity;
let reported = Infinity;
while (trials.length < budget) {
  const values = trials.map((t) => t.value ?? Infinity);
  const r = sampler.sample({
    space: problem.space,
    direction: "minimize",
    trials,
    count: 1,
    seed,
    firstNumber: trials.length,
    state,
  });
  state = r.state;
  let info = "";
  if (r.origin === "gp" && state !== null && typeof state === "object" && !Array.isArray(state)) {
    const lambda = Number(state.lambda);
    const thetas = state.thetas;
    const theta = Array.isArray(thetas) ? thetas[WARP_LAMBDAS.indexOf(lambda)] : undefined;
    const logNoise = Array.isArray(theta) ? Number(theta[dims + 1]) : NaN;
    const logSignal = Array.isArray(theta) ? Number(theta[dims]) : NaN;
    const schedule = replayOnModelScale(values, lambda, nStartup, failureTolerance(dims));
    info = `λ=${lambda} σn=${Math.exp(logNoise / 2).toFixed(3)} σf=${Math.exp(logSignal / 2).toFixed(2)} ${schedule.mode}${schedule.mode === "local" ? `(${schedule.length.toPrecision(2)})` : ""}`;
  }
  for (const params of r.suggestions) {
    const v = problem.evaluate(params);
    const t = truth(params);
    if (v < bestObserved) {
      bestObserved = v;
      reported = t - problem.optimum;
    }
    trials.push({ number: trials.length, params, state: "complete", value: v, reports: [] });
    const shown = Object.values(params).map((x) => (typeof x === "number" ? x.toFixed(3) : String(x)));
    console.log(
      `${trials.length - 1} ${r.origin} obs ${(v - problem.optimum).toFixed(4)} true ${(t - problem.optimum).toFixed(4)} reported ${reported.toFixed(4)} ${info} [${shown.join(" ")}]`,
    );
  }
}
