/**
 * Traces warm-started GP runs of one warm-start bench pair trial by trial (dev aid): which requests used
 * the priors (agreement gate τ), the fitted task correlation ρ and the value found.
 *   npx tsx --conditions=source packages/core/bench/gp-dev/trace-warm-start.ts --pair mirrored --seeds 0..7
 */
import { createSampler, prepareWarmStart } from "../../src/index.js";
import type { HistoryTrial, JsonValue } from "../../src/samplers/sampler-types.js";
import { priorAgreement } from "../../src/warm-start/prior-agreement.js";
import { selectPriorTrials } from "../../src/warm-start/gp-warm-start.js";
import { matern52FromSquared } from "../../src/gp/kernel.js";
import { WARP_LAMBDAS } from "../../src/gp/output-warping.js";
import { runBenchmarkStudy } from "../run-benchmark-study.js";
import { PRIOR_TRIALS, TARGET_TRIALS, warmStartPairs } from "../warm-start-bench.js";
import { arg, seedRange } from "./dev-args.js";

const pair = warmStartPairs().find((p) => p.name.includes(arg("pair", "mirrored")));
if (pair === undefined) throw new Error("unknown pair");
const seeds = seedRange(arg("seeds", "0..7"));
const budget = Number(arg("budget", String(TARGET_TRIALS)));
const dims = pair.target.space.length;

function taskRho(state: JsonValue | null): string {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return "-";
  const { thetas, lambda } = state;
  if (!Array.isArray(thetas) || typeof lambda !== "number") return "-";
  const t = thetas[WARP_LAMBDAS.indexOf(lambda)];
  if (!Array.isArray(t) || t.length !== dims + 3) return "plain";
  const logL = Number(t[dims]);
  return matern52FromSquared(Math.exp(-2 * logL)).toFixed(3);
}

for (const s of seeds) {
  const prior = runBenchmarkStudy(pair.source, { type: "auto" }, 1000 + s, PRIOR_TRIALS, 1);
  const priors = prepareWarmStart(pair.target.space, prior.trials, ["minimize"]).trials;
  const cold = runBenchmarkStudy(pair.target, { type: "auto" }, s, budget, 1);
  const sampler = createSampler({ type: "auto" }, pair.target.space);
  const trials: HistoryTrial[] = [];
  let state: JsonValue | null = null;
  let best = Infinity;
  const lines: string[] = [];
  const selected = selectPriorTrials(priors, "minimize");
  while (trials.length < budget) {
    const tau = priorAgreement(pair.target.space, selected, trials, "minimize");
    const r = sampler.sample({
      space: pair.target.space,
      direction: "minimize",
      trials,
      count: 1,
      seed: s,
      firstNumber: trials.length,
      state,
      budget: { maxTrials: budget, parallelism: 1 },
      priorTrials: priors,
    });
    state = r.state;
    const params = r.suggestions[0];
    if (params === undefined) break;
    const v = pair.target.evaluate(params);
    best = Math.min(best, v);
    trials.push({ number: trials.length, params, state: "complete", value: v, reports: [] });
    const shown = Object.values(params).map((x) => (typeof x === "number" ? x.toFixed(3) : String(x)));
    lines.push(
      `  ${String(trials.length - 1).padStart(2)} ${r.origin ?? "?"} tau=${tau === undefined ? "  -  " : tau.toFixed(2).padStart(5)} rho=${taskRho(r.state)} v=${(v - pair.target.optimum).toFixed(4)} best=${(best - pair.target.optimum).toFixed(4)} x=(${shown.join(",")})`,
    );
  }
  const coldBest = Math.min(...cold.values) - pair.target.optimum;
  console.log(`seed ${s}: cold ${coldBest.toFixed(5)} warm ${(best - pair.target.optimum).toFixed(5)}`);
  console.log(lines.join("\n"));
}
