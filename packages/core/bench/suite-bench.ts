import type { SamplerConfig } from "@hpo/contracts";
import { formatNumber, median, quantile } from "./bench-stats.js";
import { runBenchmarkStudy } from "./run-benchmark-study.js";
import { suiteProblems, type SuiteProblem } from "./suite-problems.js";

/**
 * `npm run bench:optimizers -- --suite`: the widened single-objective suite (suite-problems.ts), sequential,
 * `budget` trials, our samplers side by side. Regret of the trial the study would report as best (its
 * best observed value; for the noisy problem, that trial's noise-free value).
 */

export interface SuiteRow {
  problem: SuiteProblem;
  sampler: string;
  finals: number[];
  seconds: number;
}

export function runSuiteBench(
  samplers: readonly SamplerConfig["type"][],
  seeds: readonly number[],
  budget: number,
  only?: readonly string[],
): SuiteRow[] {
  const rows: SuiteRow[] = [];
  for (const problem of suiteProblems) {
    if (only !== undefined && !only.includes(problem.name)) continue;
    for (const sampler of samplers) {
      const started = performance.now();
      const finals = seeds.map((seed) => {
        const { trials } = runBenchmarkStudy(
          { ...problem, name: "branin" },
          { type: sampler },
          seed,
          budget,
          1,
        );
        let best = trials[0];
        for (const t of trials) if ((t.value ?? Infinity) < (best?.value ?? Infinity)) best = t;
        const value = best === undefined ? Infinity : (problem.trueValue ?? problem.evaluate)(best.params);
        return Math.max(0, value - problem.optimum);
      });
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `  suite: ${problem.name} / ${sampler}: ${formatNumber(median(finals))} (${seconds.toFixed(0)} s)\n`,
      );
      rows.push({ problem, sampler, finals, seconds });
    }
  }
  return rows;
}

export function formatSuiteTable(rows: readonly SuiteRow[], samplers: readonly string[]): string {
  const lines = [
    `| problem | params | held out | ${samplers.map((s) => `${s} median [q25, q75]`).join(" | ")} | best |`,
    `|---|---|---|${samplers.map(() => "---").join("|")}|---|`,
  ];
  const problems = [...new Set(rows.map((r) => r.problem))];
  for (const problem of problems) {
    const mine = samplers.map((s) => rows.find((r) => r.problem === problem && r.sampler === s));
    const meds = mine.map((r) => (r === undefined ? Infinity : median(r.finals)));
    const best = Math.min(...meds);
    const cells = mine.map((r) =>
      r === undefined
        ? "—"
        : `${formatNumber(median(r.finals))} [${formatNumber(quantile(r.finals, 0.25))}, ${formatNumber(quantile(r.finals, 0.75))}]`,
    );
    const winner = samplers.filter((_, i) => meds[i] === best).join(", ");
    lines.push(
      `| ${problem.name} | ${problem.space.length} | ${problem.heldOut ? "yes" : "no"} | ${cells.join(" | ")} | ${winner} |`,
    );
  }
  return lines.join("\n");
}
