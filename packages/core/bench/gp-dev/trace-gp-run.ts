/**
 * Prints one GP run trial by trial (dev aid):
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-gp-run.ts --problem NAME --seed N [--batch 4]
 */
import { createGpSampler } from "../../src/gp/index.js";
import type { HistoryTrial, JsonValue } from "../../src/samplers/sampler-types.js";
import { devProblems } from "./dev-problems.js";
import { arg } from "./dev-args.js";

const problem = devProblems[arg("problem", "branin")];
if (problem === undefined) throw new Error("unknown problem");
const seed = Number(arg("seed", "0"));
const batch = Number(arg("batch", "1"));
const sampler = createGpSampler({}, problem.space);
const trials: HistoryTrial[] = [];
let state: JsonValue | null = null;
let best = Infinity;
while (trials.length < 60) {
  const r = sampler.sample({
    space: problem.space,
    direction: "minimize",
    trials,
    count: batch,
    seed,
    firstNumber: trials.length,
    state,
  });
  state = r.state;
  for (const params of r.suggestions) {
    const v = problem.evaluate(params);
    best = Math.min(best, v);
    trials.push({ number: trials.length, params, state: "complete", value: v, reports: [] });
    const shown = Object.entries(params).map(
      ([k, x]) => `${k}=${typeof x === "number" ? x.toPrecision(3) : String(x)}`,
    );
    console.log(
      `${trials.length - 1} ${r.origin} ${v.toPrecision(4)} best ${(best - problem.optimum).toExponential(2)} ${shown.join(" ")}`,
    );
  }
}
