import {
  benchmarkProblems,
  createTpeSamplerWithSettings,
  DEFAULT_TPE_SETTINGS,
  type Sampler,
  type TpeSettings,
} from "@hpo/core";
import type { SamplerConfig, Space } from "@hpo/contracts";
import { extraProblems } from "./extra-problems.js";
import { runBenchmarkStudy } from "./run-benchmark-study.js";

/**
 * Developer helper for ablations (not the official bench): median final regret of TPE settings variants
 * (or sampler configs) over seeds, on the public and the held-out problems.
 * Usage: tsx quick-compare.ts <seeds> <batch> '<json list of partial TpeSettings or {"config":{...}}>' [problems]
 */
const seeds = Number(process.argv[2] ?? 5);
const batch = Number(process.argv[3] ?? 1);
const variants = JSON.parse(process.argv[4] ?? "[{}]") as (Partial<TpeSettings> & {
  config?: SamplerConfig;
})[];
const filter = process.argv[5]?.split(",");
const problems = [...Object.values(benchmarkProblems), ...extraProblems].filter(
  (p) => filter === undefined || filter.includes(p.name),
);
const scores = variants.map(() => 0);
for (const problem of problems) {
  const meds: number[] = [];
  variants.forEach((variant) => {
    const factory = (space: Space): Sampler =>
      createTpeSamplerWithSettings({ ...DEFAULT_TPE_SETTINGS, ...variant }, space);
    const finals: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const r = runBenchmarkStudy({ ...problem, name: "branin" }, variant.config ?? factory, seed, 60, batch);
      finals.push(Math.max(0, Math.min(...r.values) - problem.optimum));
    }
    finals.sort((a, b) => a - b);
    meds.push(finals[Math.floor(finals.length / 2)] ?? NaN);
  });
  const best = Math.min(...meds);
  meds.forEach((m, i) => (scores[i] = (scores[i] ?? 0) + Math.log10((m + 1e-9) / (best + 1e-9))));
  console.log(`${problem.name.padEnd(18)} ${meds.map((m) => m.toPrecision(3).padStart(9)).join(" ")}`);
}
console.log(`${"log-ratio sum".padEnd(18)} ${scores.map((s) => s.toFixed(2).padStart(9)).join(" ")}`);
