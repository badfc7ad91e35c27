/**
 * Dev aid: GP variants on widened-suite or public problems, per seed:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/compare-gp-variants.ts --problems a,b --seeds 0..4 --variants base,stallRegion,tpe [--budget 40]
 * A variant is "base" (every switch of `switches` off) or a "+"-joined list of switches to turn on; "tpe" and
 * "random" run those samplers, "gp-ei" the textbook GP-EI anchor (../textbook-gp-ei.ts). Public problems (branin, ...), the gp-dev problems (ackley6, levy8, cond-mixed) and the off-centre checks (off-centre-problems.ts: rastrigin2-off, ...) are accepted too. The default sampler is
 * "stallRegion+boundaryMean". To A/B a new mechanism, add it as an argument of createGpSampler and a switch
 * here (docs/benchmarks.md lists what was measured this way).
 */
import { benchmarkProblems, createSampler } from "@hpo/core";
import { offCentreProblems } from "./off-centre-problems.js";
import { createGpSampler } from "../../src/gp/gp-sampler.js";
import { withGpWarmStart } from "../../src/warm-start/gp-warm-start.js";
import { median } from "../bench-stats.js";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { suiteProblems, type SuiteProblem } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg, seedRange } from "./dev-args.js";
import { devProblems } from "./dev-problems.js";

const seeds = seedRange(arg("seeds", "0..4"));
const budget = Number(arg("budget", "40"));
const names = arg("problems", "hartmann3-noisy").split(",");
const variants = arg("variants", "base,stallRegion").split(",");
const publicProblems: SuiteProblem[] = [
  ...Object.values(benchmarkProblems),
  ...Object.values(devProblems).filter((p) => !(p.name in benchmarkProblems)),
].map((p) => ({ ...p, heldOut: false }));
/** The GP's optional mechanisms (createGpSampler's arguments). */
const switches = ["stallRegion", "relevantBox", "startup2x", "boundaryMean"] as const;
for (const name of names) {
  const problem = [...suiteProblems, ...publicProblems, ...offCentreProblems].find((p) => p.name === name);
  if (problem === undefined) throw new Error(`unknown problem ${name}`);
  for (const variant of variants) {
    const on = variant === "base" ? [] : variant.split("+");
    const unknown = on.filter((s) => !(switches as readonly string[]).includes(s));
    if (unknown.length > 0 && variant !== "tpe" && variant !== "random" && variant !== "gp-ei")
      throw new Error(`unknown ${unknown.join()}`);
    const t0 = performance.now();
    const finals = seeds.map((seed) => {
      const { trials } = runBenchmarkStudy(
        { ...problem, name: "branin" },
        variant === "tpe" || variant === "random"
          ? (space) => createSampler({ type: variant }, space)
          : variant === "gp-ei"
            ? createTextbookGpEiSampler
            : (space) =>
                withGpWarmStart(space, (s) =>
                  createGpSampler(
                    // startup2x: 2·(params) + 1 Sobol start-up trials (at most 24) instead of the default D + 1.
                    on.includes("startup2x") ? { nStartupTrials: Math.min(2 * s.length + 1, 24) } : {},
                    s,
                    "believer",
                    on.includes("stallRegion"),
                    on.includes("relevantBox"),
                    on.includes("boundaryMean"),
                  ),
                ),
        seed,
        budget,
        1,
      );
      let best = trials[0];
      for (const t of trials) if ((t.value ?? Infinity) < (best?.value ?? Infinity)) best = t;
      const v = best === undefined ? Infinity : (problem.trueValue ?? problem.evaluate)(best.params);
      return Math.max(0, v - problem.optimum);
    });
    console.log(
      `${problem.name} ${variant}: median ${median(finals).toPrecision(3)} [${finals.map((f) => f.toPrecision(3)).join(" ")}] (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
}
