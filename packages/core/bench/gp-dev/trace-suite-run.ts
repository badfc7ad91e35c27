/**
 * Prints one run of a widened-suite problem trial by trial (dev aid):
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-suite-run.ts --problem NAME --seed N [--budget 40] [--sampler auto|gp-ei|tpe|...]
 */
import type { SamplerConfig } from "@hpo/contracts";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { suiteProblems } from "../suite-problems.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg } from "./dev-args.js";

const problem = suiteProblems.find((p) => p.name === arg("problem", "zakharov4"));
if (problem === undefined) throw new Error("unknown problem");
const sampler = arg("sampler", "auto");
const { trials } = runBenchmarkStudy(
  { ...problem, name: "branin" },
  // "gp-ei": the textbook GP-EI anchor (../textbook-gp-ei.ts); else a sampler type of the study config.
  sampler === "gp-ei" ? createTextbookGpEiSampler : { type: sampler as SamplerConfig["type"] },
  Number(arg("seed", "0")),
  Number(arg("budget", "40")),
  1,
);
let best = Infinity;
for (const t of trials) {
  best = Math.min(best, t.value ?? Infinity);
  const shown = Object.entries(t.params).map(
    ([k, x]) => `${k}=${typeof x === "number" ? x.toPrecision(3) : String(x)}`,
  );
  console.log(
    `${t.number} ${(t.value ?? NaN).toPrecision(4)} best ${(best - problem.optimum).toPrecision(3)} ${shown.join(" ")}`,
  );
}
