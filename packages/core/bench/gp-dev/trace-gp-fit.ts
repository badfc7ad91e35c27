/**
 * Prints one GP run of a widened-suite problem trial by trial with what the model saw (dev aid): the chosen
 * output warping, the fitted length scales of the chosen warping (from the sampler state) and the stall
 * trust region's schedule replayed as the sampler does:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-gp-fit.ts --problem NAME --seed N [--budget 40] [--switches stallRegion+relevantBox]
 * (switches: createGpSampler's optional mechanisms, as in compare-gp-variants.ts; default "stallRegion").
 */
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { WARP_LAMBDAS } from "../../src/gp/output-warping.js";
import { failureTolerance, replayOnModelScale } from "../../src/gp/stall-trust-region.js";
import type { HistoryTrial, JsonValue } from "../../src/samplers/sampler-types.js";
import { suiteProblems } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg } from "./dev-args.js";

const problem = suiteProblems.find((p) => p.name === arg("problem", "goldstein-price-in-8d"));
if (problem === undefined) throw new Error("unknown problem");
const seed = Number(arg("seed", "0"));
const budget = Number(arg("budget", "40"));
const on = arg("switches", "stallRegion").split("+");
const sampler = on.includes("gp-ei")
  ? createTextbookGpEiSampler(problem.space)
  : createGpSampler({}, problem.space, "believer", on.includes("stallRegion"), on.includes("relevantBox"));
const dims = createGpEncoding(problem.space).columns.dims;
const nStartup = Math.max(5, Math.min(problem.space.length + 1, 12));
const trials: HistoryTrial[] = [];
let state: JsonValue | null = null;
let best = Infinity;
const f = (v: number): string => v.toPrecision(2);
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
  let fitInfo = "";
  if (state !== null && typeof state === "object" && !Array.isArray(state)) {
    const lambda = Number(state.lambda);
    const thetas = state.thetas;
    const theta = Array.isArray(thetas) ? thetas[WARP_LAMBDAS.indexOf(lambda)] : undefined;
    if (Array.isArray(theta)) {
      const ls = theta.slice(0, dims).map((t) => f(Math.exp(Number(t))));
      const schedule = replayOnModelScale(values, lambda, nStartup, failureTolerance(dims));
      const region =
        on.includes("stallRegion") && schedule.mode === "local" ? ` local(${f(schedule.length)})` : "";
      fitInfo = `λ=${lambda} ℓ=[${ls.join(" ")}] noise=${f(Math.exp(Number(theta[dims + 1])))}${region}`;
    }
  }
  for (const params of r.suggestions) {
    const v = problem.evaluate(params);
    best = Math.min(best, v);
    trials.push({ number: trials.length, params, state: "complete", value: v, reports: [] });
    const shown = Object.values(params).map((x) => (typeof x === "number" ? x.toFixed(3) : String(x)));
    console.log(
      `${trials.length - 1} ${r.origin} ${v.toPrecision(4)} best ${(best - problem.optimum).toExponential(2)} ${fitInfo} | ${shown.join(" ")}`,
    );
  }
}
