/**
 * Dev aid: the GP with and without the stall trust region (stall-trust-region.ts) on widened-suite
 * problems, beside TPE and random search, per seed:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/compare-stall-region.ts --problems a,b --seeds 0..4 [--budget 40]
 */
import { createSampler } from "@hpo/core";
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { withGpWarmStart } from "../../src/warm-start/gp-warm-start.js";
import { median } from "../bench-stats.js";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { suiteProblems } from "../suite-problems.js";
import { arg, seedRange } from "./dev-args.js";

const seeds = seedRange(arg("seeds", "0..4"));
const budget = Number(arg("budget", "40"));
const names = arg("problems", "rastrigin3-asym,michalewicz2,griewank4,zakharov4").split(",");
const variants = arg("variants", "gp-old,gp-new,tpe,random").split(",");
for (const problem of suiteProblems.filter((p) => names.includes(p.name))) {
  const line: string[] = [];
  for (const variant of variants) {
    const finals = seeds.map((seed) => {
      const { trials } = runBenchmarkStudy(
        { ...problem, name: "branin" },
        variant.startsWith("gp")
          ? (space) => withGpWarmStart(space, (s) => createGpSampler({}, s, "believer", variant === "gp-new"))
          : (space) => createSampler({ type: variant as "tpe" | "random" }, space),
        seed,
        budget,
        1,
      );
      let best = trials[0];
      for (const t of trials) if ((t.value ?? Infinity) < (best?.value ?? Infinity)) best = t;
      const v = best === undefined ? Infinity : (problem.trueValue ?? problem.evaluate)(best.params);
      return Math.max(0, v - problem.optimum);
    });
    line.push(
      `${variant} ${median(finals).toPrecision(3)} [${finals.map((f) => f.toPrecision(3)).join(" ")}]`,
    );
  }
  console.log(`${problem.name}${problem.heldOut ? " (held out)" : ""}: ${line.join(" | ")}`);
}
