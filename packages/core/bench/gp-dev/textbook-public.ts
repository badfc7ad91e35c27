/**
 * Dev aid: the TypeScript textbook GP-EI anchor (../textbook-gp-ei.ts) on the public four, sequential, 60 trials,
 * beside the Python reference figures it renders (docs/benchmarks.md "Against the textbook GP-EI reference"),
 * to check the rendering is faithful before it serves as an anchor in the widened suite:
 *   npx tsx --conditions=source packages/core/bench/gp-dev/textbook-public.ts --seeds 0..14
 */
import { benchmarkProblems, type BenchmarkProblemName } from "@hpo/core";
import { formatNumber, median, quantile } from "../bench-stats.js";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { createTextbookGpEiSampler } from "../textbook-gp-ei.js";
import { arg, seedRange } from "./dev-args.js";

const seeds = seedRange(arg("seeds", "0..14"));
/** Median final regret of the Python original, sequential (shared benchmark brief). */
const reference: Record<string, number> = {
  branin: 8.84e-6,
  hartmann3: 1.11e-5,
  rosenbrock4: 13.2,
  "mlp-surrogate-a": 0.125,
};
for (const name of arg("problems", "branin,hartmann3,rosenbrock4,mlp-surrogate-a").split(",")) {
  const problem = benchmarkProblems[name as BenchmarkProblemName];
  const t0 = performance.now();
  const finals = seeds.map((seed) => {
    const { values } = runBenchmarkStudy(problem, createTextbookGpEiSampler, seed, 60, 1);
    return Math.max(0, Math.min(...values) - problem.optimum);
  });
  console.log(
    `${name}: ${formatNumber(median(finals))} [${formatNumber(quantile(finals, 0.25))}, ${formatNumber(quantile(finals, 0.75))}] (Python reference ${formatNumber(reference[name] ?? NaN)}; ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}
