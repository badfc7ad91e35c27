/**
 * Prints one GP run of a widened-suite problem trial by trial with what the model saw (dev aid): the chosen
 * output warping, the fitted length scales of the chosen warping (from the sampler state) and the stall
 * trust region's schedule replayed as the sampler does:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-gp-fit.ts --problem NAME --seed N [--budget 40] [--switches stallRegion+relevantBox]
 * (switches: createGpSampler's optional mechanisms, as in compare-gp-variants.ts; default
 * "stallRegion+boundaryMean", the default sampler).
 */
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { suiteProblems } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg } from "./dev-args.js";
import { runTracedGp, shownParams } from "./traced-gp-run.js";

const problem = suiteProblems.find((p) => p.name === arg("problem", "goldstein-price-in-8d"));
if (problem === undefined) throw new Error("unknown problem");
const seed = Number(arg("seed", "0"));
const budget = Number(arg("budget", "40"));
const on = arg("switches", "stallRegion+boundaryMean").split("+");
const sampler = on.includes("gp-ei")
  ? createTextbookGpEiSampler(problem.space)
  : createGpSampler(
      {},
      problem.space,
      "believer",
      on.includes("stallRegion"),
      on.includes("relevantBox"),
      on.includes("boundaryMean"),
    );
const dims = createGpEncoding(problem.space).columns.dims;
const f = (v: number): string => v.toPrecision(2);
let best = Infinity;
runTracedGp(sampler, problem.space, problem.evaluate, seed, budget, (t) => {
  best = Math.min(best, t.value);
  let fitInfo = "";
  if (t.fit !== undefined) {
    const { lambda, theta, schedule } = t.fit;
    const ls = theta.slice(0, dims).map((x) => f(Math.exp(x)));
    const region =
      on.includes("stallRegion") && schedule.mode === "local" ? ` local(${f(schedule.length)})` : "";
    fitInfo = `λ=${lambda} ℓ=[${ls.join(" ")}] noise=${f(Math.exp(theta[dims + 1] ?? Number.NaN))}${region}`;
  }
  console.log(
    `${t.number} ${t.origin} ${t.value.toPrecision(4)} best ${(best - problem.optimum).toExponential(2)} ${fitInfo} | ${shownParams(t.params)}`,
  );
});
