/**
 * Prints one GP run of a widened-suite problem trial by trial with what the sampler saw at each ask (dev aid
 * for noisy objectives): the observed and noise-free regret, the regret of the trial a study would report
 * (best observed value, scored noise-free), the output warping λ, the fitted noise standard deviation on the
 * model's standardized scale, and the stall trust region's schedule:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-noisy-run.ts --problem hartmann3-noisy --seed N [--budget 40] [--stall off] [--sampler gp-ei]
 */
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { suiteProblems } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg } from "./dev-args.js";
import { runTracedGp, shownParams } from "./traced-gp-run.js";

const problem = suiteProblems.find((p) => p.name === arg("problem", "hartmann3-noisy"));
if (problem === undefined) throw new Error("unknown problem");
const seed = Number(arg("seed", "0"));
const budget = Number(arg("budget", "40"));
const stall = arg("stall", "on") === "on";
const dims = createGpEncoding(problem.space).columns.dims;
const sampler =
  arg("sampler", "gp") === "gp-ei"
    ? createTextbookGpEiSampler(problem.space)
    : createGpSampler({}, problem.space, "believer", stall);
const truth = problem.trueValue ?? problem.evaluate;
let bestObserved = Infinity;
let reported = Infinity;
runTracedGp(sampler, problem.space, problem.evaluate, seed, budget, (trial) => {
  const t = truth(trial.params);
  if (trial.value < bestObserved) {
    bestObserved = trial.value;
    reported = t - problem.optimum;
  }
  let info = "";
  if (trial.origin === "gp" && trial.fit !== undefined) {
    const { lambda, theta, schedule } = trial.fit;
    const noise = Math.exp((theta[dims + 1] ?? Number.NaN) / 2);
    const signal = Math.exp((theta[dims] ?? Number.NaN) / 2);
    info = `λ=${lambda} σn=${noise.toFixed(3)} σf=${signal.toFixed(2)} ${schedule.mode}${schedule.mode === "local" ? `(${schedule.length.toPrecision(2)})` : ""}`;
  }
  console.log(
    `${trial.number} ${trial.origin} obs ${(trial.value - problem.optimum).toFixed(4)} true ${(t - problem.optimum).toFixed(4)} reported ${reported.toFixed(4)} ${info} [${shownParams(trial.params)}]`,
  );
});
