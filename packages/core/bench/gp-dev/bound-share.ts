/**
 * How often the GP proposes a numeric value exactly on a bound, without and with the boundary-rising prior
 * mean (dev aid; docs/benchmarks.md, "A prior mean that rises towards the boundary"):
 *   npx tsx --conditions=source packages/core/bench/gp-dev/bound-share.ts --problems a,b [--seeds 0..9] [--budget 40]
 * Counts the active numeric params of the trials after the start-up (trial 12 on).
 */
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { suiteProblems } from "../suite-problems.js";
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { arg } from "./dev-args.js";

const FIRST_COUNTED_TRIAL = 12;
const [fromSeed, toSeed] = arg("seeds", "0..9").split("..").map(Number);
const budget = Number(arg("budget", "40"));
for (const name of arg("problems", "conditional-gbm").split(",")) {
  const problem = suiteProblems.find((p) => p.name === name);
  if (problem === undefined) throw new Error(`unknown problem ${name}`);
  for (const boundaryMean of [false, true]) {
    let onBound = 0;
    let total = 0;
    for (let seed = fromSeed ?? 0; seed <= (toSeed ?? 9); seed++) {
      const { trials } = runBenchmarkStudy(
        { ...problem, name: "branin" },
        (space) => createGpSampler({}, space, "believer", true, false, boundaryMean),
        seed,
        budget,
        1,
      );
      for (const t of trials.slice(FIRST_COUNTED_TRIAL))
        for (const s of problem.space) {
          if (s.type === "categorical" || !(s.name in t.params)) continue;
          const v = Number(t.params[s.name]);
          total++;
          if (v <= s.low || v >= s.high) onBound++;
        }
    }
    console.log(
      `${name} boundaryMean=${String(boundaryMean)}: ${((100 * onBound) / Math.max(total, 1)).toFixed(1)}% of ${total} numeric values on a bound`,
    );
  }
}
