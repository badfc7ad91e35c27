import { benchmarkProblems, prepareWarmStart, type BenchmarkProblem } from "@hpo/core";
import type { Params, SamplerConfig } from "@hpo/contracts";
import { formatNumber, formatP, median, quantile, signTestP } from "./bench-stats.js";
import { runBenchmarkStudy } from "./run-benchmark-study.js";

/**
 * `npm run bench:optimizers -- --warm-start`: does starting from an earlier, related study help, and never
 * hurt? For each pair (source → target, the target's optimum moved), a prior study of PRIOR_TRIALS trials
 * runs on the source with the default sampler (seed 1000 + s); then the target is optimized for
 * TARGET_TRIALS trials from scratch (cold) and with the prior study's trials (warm), same seed s.
 * Pairs: Branin and Hartmann-3 shifted by 5% of the box, mlp-surrogate-a against a variant whose optimal
 * learning rate, momentum and decay moved ("another seed" of the surrogate), and a deliberately
 * misleading pair (Hartmann-3 mirrored, x → 1 − x: the prior's optimum is far from the target's) that
 * checks warm start degrades gracefully.
 */

export const PRIOR_TRIALS = 30;
export const TARGET_TRIALS = 20;
const CHECKPOINTS = [10, 20] as const;

function shifted(problem: BenchmarkProblem, fraction: number): BenchmarkProblem {
  return {
    ...problem,
    evaluate: (p: Params) => {
      const moved: Params = { ...p };
      for (const spec of problem.space)
        if (spec.type === "float")
          moved[spec.name] = Number(p[spec.name]) - fraction * (spec.high - spec.low);
      return problem.evaluate(moved);
    },
  };
}

function mirrored(problem: BenchmarkProblem): BenchmarkProblem {
  return {
    ...problem,
    evaluate: (p: Params) => {
      const moved: Params = { ...p };
      for (const spec of problem.space)
        if (spec.type === "float") moved[spec.name] = spec.low + spec.high - Number(p[spec.name]);
      return problem.evaluate(moved);
    },
  };
}

/**
 * mlp-surrogate-a with its optimum moved: the best log10 learning rate +0.3 (via the learning rate only:
 * the formula couples it with momentum), the best decay −0.02. All terms keep their minimum value inside
 * the box, so the optimum value is unchanged.
 */
function mlpVariant(problem: BenchmarkProblem): BenchmarkProblem {
  return {
    ...problem,
    evaluate: (p: Params) =>
      problem.evaluate({
        ...p,
        learning_rate: Number(p.learning_rate) / 10 ** 0.3,
        lr_decay: Number(p.lr_decay) + 0.02,
      }),
  };
}

interface Pair {
  name: string;
  source: BenchmarkProblem;
  target: BenchmarkProblem;
}

export function warmStartPairs(): Pair[] {
  const p = benchmarkProblems;
  return [
    { name: "branin → shifted 5%", source: p.branin, target: shifted(p.branin, 0.05) },
    { name: "hartmann3 → shifted 5%", source: p.hartmann3, target: shifted(p.hartmann3, 0.05) },
    {
      name: "mlp-surrogate-a → variant",
      source: p["mlp-surrogate-a"],
      target: mlpVariant(p["mlp-surrogate-a"]),
    },
    { name: "hartmann3 → mirrored (misleading)", source: p.hartmann3, target: mirrored(p.hartmann3) },
  ];
}

interface Row {
  pair: string;
  sampler: string;
  cold: Record<number, number[]>;
  warm: Record<number, number[]>;
}

const regretAt = (values: readonly number[], k: number, optimum: number): number =>
  Math.max(0, Math.min(...values.slice(0, k)) - optimum);

export function runWarmStartBench(
  samplers: readonly SamplerConfig["type"][],
  seeds: readonly number[],
): Row[] {
  const rows: Row[] = [];
  for (const pair of warmStartPairs()) {
    const priors = seeds.map((s) => {
      const prior = runBenchmarkStudy(pair.source, { type: "auto" }, 1000 + s, PRIOR_TRIALS, 1);
      return prepareWarmStart(pair.target.space, prior.trials, ["minimize"]).trials;
    });
    for (const sampler of samplers) {
      const row: Row = { pair: pair.name, sampler, cold: { 10: [], 20: [] }, warm: { 10: [], 20: [] } };
      seeds.forEach((s, i) => {
        const cold = runBenchmarkStudy(pair.target, { type: sampler }, s, TARGET_TRIALS, 1);
        const warm = runBenchmarkStudy(pair.target, { type: sampler }, s, TARGET_TRIALS, 1, priors[i]);
        for (const k of CHECKPOINTS) {
          row.cold[k]?.push(regretAt(cold.values, k, pair.target.optimum));
          row.warm[k]?.push(regretAt(warm.values, k, pair.target.optimum));
        }
      });
      process.stderr.write(`  warm start: ${pair.name} / ${sampler} done\n`);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Wins/losses per seed at the final checkpoint with the two-sided sign test's p-value, and the medians;
 * "noise" = the cold runs' IQR.
 */
export function formatWarmStartTable(rows: readonly Row[]): string {
  const lines = [
    `| pair | sampler | cold @10 | warm @10 | cold @${TARGET_TRIALS} [q25, q75] | warm @${TARGET_TRIALS} [q25, q75] | seeds warm better / worse @${TARGET_TRIALS} | sign test p | verdict |`,
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const c = r.cold[TARGET_TRIALS] ?? [];
    const w = r.warm[TARGET_TRIALS] ?? [];
    const better = c.filter((v, i) => (w[i] ?? Infinity) < v).length;
    const worse = c.filter((v, i) => (w[i] ?? -Infinity) > v).length;
    const cm = median(c);
    const wm = median(w);
    const noise = quantile(c, 0.75) - quantile(c, 0.25);
    const verdict =
      wm <= cm
        ? "warm better or equal"
        : wm - cm <= noise
          ? "warm worse, within noise (cold IQR)"
          : "WARM WORSE";
    const fmt = (xs: number[]): string =>
      `${formatNumber(median(xs))} [${formatNumber(quantile(xs, 0.25))}, ${formatNumber(quantile(xs, 0.75))}]`;
    lines.push(
      `| ${r.pair} | ${r.sampler} | ${formatNumber(median(r.cold[10] ?? []))} | ${formatNumber(median(r.warm[10] ?? []))} | ${fmt(c)} | ${fmt(w)} | ${better} / ${worse} | ${formatP(signTestP(better, worse))} | ${verdict} |`,
    );
  }
  return lines.join("\n");
}
