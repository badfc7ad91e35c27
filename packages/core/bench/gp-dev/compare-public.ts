/**
 * Dev aid: the GP with and without the stall trust region (stall-trust-region.ts) on the public problems,
 * one line per study. Both variants follow the same trajectory until the region first turns local, so the
 * old variant is only run when it did (sequential mode; batched runs both):
 *   npx tsx --conditions=source packages/core/bench/gp-dev/compare-public.ts --problems branin --seeds 0..14 [--batch 4]
 */
import { benchmarkProblems, type BenchmarkProblemName } from "@hpo/core";
import { createGpSampler, defaultStartupTrials } from "../../src/gp/gp-sampler.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { failureTolerance, replayTrustRegion } from "../../src/gp/stall-trust-region.js";
import { withGpWarmStart } from "../../src/warm-start/gp-warm-start.js";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { arg, seedRange } from "./dev-args.js";

const seeds = seedRange(arg("seeds", "0..14"));
const batch = Number(arg("batch", "1"));
// Seeds outermost, so a run stopped early still covers every problem.
for (const seed of seeds) {
  for (const name of arg("problems", "branin").split(",") as BenchmarkProblemName[]) {
    const problem = benchmarkProblems[name];
    const encoding = createGpEncoding(problem.space);
    const nStartup = defaultStartupTrials(encoding);
    const tau = failureTolerance(encoding.columns.dims);
    const run = (stall: boolean): number[] =>
      runBenchmarkStudy(
        problem,
        (space) => withGpWarmStart(space, (s) => createGpSampler({}, s, "believer", stall)),
        seed,
        60,
        batch,
      ).values;
    const regret = (v: number[]): number => Math.max(0, Math.min(...v) - problem.optimum);
    const t0 = performance.now();
    const fresh = run(true);
    let firstLocal = -1;
    for (let k = nStartup; k < fresh.length && firstLocal < 0; k++)
      if (replayTrustRegion(fresh.slice(0, k), nStartup, tau).mode === "local") firstLocal = k;
    const old = batch === 1 && firstLocal < 0 ? fresh : run(false);
    console.log(
      `${name} b${batch} seed ${seed}: old ${regret(old).toPrecision(3)} new ${regret(fresh).toPrecision(3)} first-local ${firstLocal} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
}
