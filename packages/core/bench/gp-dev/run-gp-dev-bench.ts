/**
 * Development benchmark for the GP sampler (median regret over a few seeds while iterating; the reported
 * figures come from `npm run bench:optimizers`):
 *   npm run bench:gp-dev -- --problems branin,hartmann3 --seeds 0-4 --mode seq|b4 --sampler gp|gp-cl|random|sobol
 * (gp-cl: the GP with plain constant liar for batches.) In b4 mode it also prints the batch spread
 * (mean over rounds of the smallest distance within a batch, and the share of batch points in corners).
 */
import { performance } from "node:perf_hooks";
import { createGpSampler } from "../../src/gp/index.js";
import { createRandomSampler } from "../../src/samplers/random-sampler.js";
import { createSobolSampler } from "../../src/samplers/sobol-sampler.js";
import type { HistoryTrial, Sampler } from "../../src/samplers/sampler-types.js";
import { devProblems } from "./dev-problems.js";
import { createGpEncoding } from "../../src/gp/gp-encoding.js";
import { measureBatchSpread } from "../../src/gp/batch-spread.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
function parseSeeds(s: string): number[] {
  if (s.includes("-")) {
    const [a, b] = s.split("-").map(Number);
    return Array.from({ length: (b ?? 0) - (a ?? 0) + 1 }, (_, i) => (a ?? 0) + i);
  }
  return s.split(",").map(Number);
}
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

const problems = arg("problems", "branin,hartmann3,rosenbrock4,mlp-surrogate-a").split(",");
const seeds = parseSeeds(arg("seeds", "0-4"));
const mode = arg("mode", "seq");
const samplerName = arg("sampler", "gp");
const budget = Number(arg("budget", "60"));
const batch = mode === "b4" ? 4 : 1;
const verbose = process.argv.includes("--verbose");

for (const name of problems) {
  const problem = devProblems[name];
  if (problem === undefined) throw new Error(`unknown problem ${name}`);
  const finals: number[] = [];
  const at20: number[] = [];
  const at30: number[] = [];
  let askTime = 0;
  const encoding = createGpEncoding(problem.space);
  let spreadSum = 0;
  let cornerSum = 0;
  let spreadCount = 0;
  let asks = 0;
  for (const seed of seeds) {
    const sampler: Sampler =
      samplerName === "random"
        ? createRandomSampler(problem.space)
        : samplerName === "sobol"
          ? createSobolSampler({}, problem.space)
          : createGpSampler({}, problem.space, samplerName === "gp-cl" ? "constant-liar" : "believer");
    const trials: HistoryTrial[] = [];
    let state = null as Parameters<Sampler["sample"]>[0]["state"];
    let best = Infinity;
    const curve: number[] = [];
    while (trials.length < budget) {
      const t0 = performance.now();
      const res = sampler.sample({
        space: problem.space,
        direction: "minimize",
        trials,
        count: batch,
        seed,
        firstNumber: trials.length,
        state,
      });
      askTime += performance.now() - t0;
      asks++;
      state = res.state;
      if (batch > 1 && trials.length >= 12) {
        const spread = measureBatchSpread(encoding, res.suggestions, []);
        spreadSum += spread.minWithinBatch;
        cornerSum += spread.cornerFraction;
        spreadCount++;
      }
      const fresh: HistoryTrial[] = res.suggestions.map((params, i) => ({
        number: trials.length + i,
        params,
        state: "running",
        reports: [],
      }));
      trials.push(...fresh);
      for (const t of fresh) {
        const v = problem.evaluate(t.params);
        t.state = "complete";
        t.value = v;
        best = Math.min(best, v);
        curve.push(Math.max(best - problem.optimum, 0));
      }
    }
    const final = curve[budget - 1] ?? NaN;
    finals.push(final);
    at20.push(curve[19] ?? NaN);
    at30.push(curve[29] ?? NaN);
    if (verbose)
      console.log(
        `  ${name} seed ${seed}: final ${final.toExponential(3)} @20 ${(curve[19] ?? 0).toExponential(2)}`,
      );
  }
  const s = (a: number[]): number[] => [...a].sort((x, y) => x - y);
  const f = s(finals);
  console.log(
    `${name.padEnd(16)} ${samplerName}/${mode} median ${quantile(f, 0.5).toPrecision(4)} [${quantile(f, 0.25).toPrecision(3)}, ${quantile(f, 0.75).toPrecision(3)}]` +
      ` @20 ${quantile(s(at20), 0.5).toPrecision(3)} @30 ${quantile(s(at30), 0.5).toPrecision(3)}  ask ${(askTime / asks).toFixed(1)} ms` +
      (spreadCount > 0
        ? `  batch min-dist ${(spreadSum / spreadCount).toFixed(3)} corners ${(cornerSum / spreadCount).toFixed(2)}`
        : ""),
  );
}
