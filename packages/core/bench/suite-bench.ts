import type { SamplerConfig } from "@hpo/contracts";
import { formatNumber, formatP, median, quantile, signTestP } from "./bench-stats.js";
import { runBenchmarkStudy } from "./run-benchmark-study.js";
import { createTextbookGpEiSampler } from "./textbook-gp-ei.js";
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

/** Our samplers by type, plus "gp-ei": the textbook GP-EI anchor (textbook-gp-ei.ts), bench-only. */
export type SuiteSampler = SamplerConfig["type"] | "gp-ei";

export function runSuiteBench(
  samplers: readonly SuiteSampler[],
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
          sampler === "gp-ei" ? createTextbookGpEiSampler : { type: sampler },
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

/**
 * The suite table: development problems first, then the held-out ones (never used to choose a default), each
 * group closed by a summary line for the first sampler (the default, `auto`): on how many problems its median
 * is the lowest, and its worst ratio to the best other sampler's median (the best anchor: TPE, random
 * search or the textbook GP-EI). Per problem, the seeds on which the default beats / loses to the best
 * anchor (same seed, ties left out) and the two-sided sign test's p-value: with 20 seeds a ratio of medians
 * near 1 is often one seed's doing, and the summary names the problems where the split is significant.
 */
export function formatSuiteTable(rows: readonly SuiteRow[], samplers: readonly string[]): string {
  const lines = [
    `| problem | params | held out | ${samplers.map((s) => `${s} median [q25, q75]`).join(" | ")} | best | ${samplers[0] ?? ""} / best anchor | seeds ${samplers[0] ?? ""} better / worse (sign test p) |`,
    `|---|---|---|${samplers.map(() => "---").join("|")}|---|---|---|`,
  ];
  const problems = [...new Set(rows.map((r) => r.problem))];
  const summaries: string[] = [];
  for (const heldOut of [false, true]) {
    let wins = 0;
    let count = 0;
    let worst = { ratio: 0, name: "" };
    const significantlyWorse: string[] = [];
    const significantlyBetter: string[] = [];
    for (const problem of problems.filter((p) => p.heldOut === heldOut)) {
      const mine = samplers.map((s) => rows.find((r) => r.problem === problem && r.sampler === s));
      const meds = mine.map((r) => (r === undefined ? Infinity : median(r.finals)));
      const best = Math.min(...meds);
      const cells = mine.map((r) =>
        r === undefined
          ? "—"
          : `${formatNumber(median(r.finals))} [${formatNumber(quantile(r.finals, 0.25))}, ${formatNumber(quantile(r.finals, 0.75))}]`,
      );
      const winner = samplers.filter((_, i) => meds[i] === best).join(", ");
      const first = meds[0] ?? Infinity;
      const other = Math.min(...meds.slice(1));
      // Both at the optimum counts as a tie (ratio 1).
      const ratio = first === other ? 1 : other > 0 ? first / other : Infinity;
      const anchor = mine.slice(1).find((_, i) => meds[i + 1] === other);
      const own = mine[0]?.finals ?? [];
      const paired = own.map((v, i) => v - (anchor?.finals[i] ?? v));
      const better = paired.filter((d) => d < 0).length;
      const worse = paired.filter((d) => d > 0).length;
      const p = signTestP(better, worse);
      if (p < 0.05) (better > worse ? significantlyBetter : significantlyWorse).push(problem.name);
      count++;
      if (first <= best) wins++;
      if (ratio > worst.ratio) worst = { ratio, name: problem.name };
      lines.push(
        `| ${problem.name} | ${problem.space.length} | ${heldOut ? "yes" : "no"} | ${cells.join(" | ")} | ${winner} | ${formatNumber(ratio)} | ${better} / ${worse} (${formatP(p)}) |`,
      );
    }
    if (count > 0)
      summaries.push(
        `- ${heldOut ? "Held-out" : "Development"} problems: \`${samplers[0] ?? ""}\` has the lowest median on ${wins} of ${count}; its worst ratio to the best anchor is ${formatNumber(worst.ratio)} (${worst.name}); per seed against the best anchor (sign test p < 0.05) it is better on ${significantlyBetter.length} (${significantlyBetter.join(", ") || "none"}) and worse on ${significantlyWorse.length} (${significantlyWorse.join(", ") || "none"}).`,
      );
  }
  return `${lines.join("\n")}\n\n${summaries.join("\n")}`;
}
