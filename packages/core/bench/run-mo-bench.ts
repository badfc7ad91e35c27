import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import type { SamplerConfig } from "@hpo/contracts";
import { chooseAutoSampler, createSampler, type HistoryTrial } from "@hpo/core";
import { formatNumber, median } from "./bench-stats.js";
import { type MoBenchJob, type MoBenchJobResult } from "./mo-bench-jobs.js";
import { checkTestPoints, moProblems } from "./mo-problems.js";
import { writeDocSection } from "./write-doc-section.js";

/**
 * The multi-objective and constrained part of `npm run bench:optimizers` (the protocol in docs/benchmarks.md,
 * data copied to bench/data/): our samplers on ZDT1, ZDT2, DTLZ2 (HV regret at 50 and 100 trials) and the
 * constrained gramacy problem (regret of the best feasible value at 60 trials), sequential and batched ×4,
 * beside Optuna 3.1.0's best sampler per row; then the ask latency of `auto` with 2 objectives at 300 trials.
 */
export interface MoBenchOptions {
  samplers: SamplerConfig["type"][];
  problems: string[];
  seeds: number[];
  batches: number[];
  workers: number;
  write: boolean;
  docPath: string;
}

interface OptunaMoReference {
  problems: Record<
    string,
    { kind: string; score: string; medians: Record<string, number>; runs: Record<string, number | string>[] }
  >;
}

async function runPool(all: MoBenchJob[], workers: number): Promise<MoBenchJobResult[]> {
  const results: MoBenchJobResult[] = [];
  const queue = [...all].sort((a, b) => Number(b.sampler !== "random") - Number(a.sampler !== "random"));
  let done = 0;
  const url = new URL("./mo-bench-worker-entry.mjs", import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(workers, queue.length) }, async () => {
      const worker = new Worker(url, { execArgv: ["--conditions=source"] });
      try {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          const current = job;
          const result = await new Promise<MoBenchJobResult>((resolve, reject) => {
            worker.once("message", resolve);
            worker.once("error", reject);
            worker.postMessage(current);
          });
          worker.removeAllListeners("error");
          results.push(result);
          done++;
          if (done % 10 === 0 || done === all.length)
            process.stderr.write(`  mo: ${done}/${all.length} studies\n`);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}

/** Ask latency (median of 5) of a sampler with 2 objectives and `n` completed ZDT1 trials. */
export function timeMoAsk(type: SamplerConfig["type"], n: number): number {
  const zdt1 = moProblems.find((p) => p.name === "zdt1");
  if (zdt1 === undefined) throw new Error("zdt1 missing");
  const sampler = createSampler({ type }, zdt1.space);
  const trials: HistoryTrial[] = [];
  let x = 0.123;
  for (let i = 0; i < n; i++) {
    const u = zdt1.space.map(() => (x = (x * 9301 + 0.49297) % 1));
    const { f } = zdt1.evaluate(u);
    const params = Object.fromEntries(zdt1.space.map((p, j) => [p.name, u[j] ?? 0]));
    trials.push({ number: i, params, state: "complete", value: f[0] ?? 0, values: f, reports: [] });
  }
  const ms: number[] = [];
  let state = null;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const res = sampler.sample({
      space: zdt1.space,
      direction: "minimize",
      directions: ["minimize", "minimize"],
      trials,
      count: 1,
      seed: r,
      firstNumber: n,
      state,
      budget: { maxTrials: n + 100, parallelism: 1 },
    });
    ms.push(performance.now() - t0);
    state = res.state;
  }
  return median(ms);
}

export async function runMoBench(opts: MoBenchOptions): Promise<void> {
  const started = performance.now();
  const reference = JSON.parse(
    readFileSync(new URL("./data/optuna-mo-reference.json", import.meta.url), "utf8"),
  ) as OptunaMoReference;
  const problems = moProblems.filter((p) => opts.problems.includes(p.name));
  for (const p of problems) checkTestPoints(p);
  console.log(
    `multi-objective bench: ${opts.samplers.join(", ")} on ${problems.map((p) => p.name).join(", ")}; seeds ${opts.seeds.join(",")}`,
  );
  // auto hands the identical request to its choice: when that sampler runs too, its studies ARE auto's.
  const autoChoice = (p: (typeof problems)[number]): string =>
    chooseAutoSampler({
      space: p.space,
      budget: { maxTrials: p.budget, parallelism: 1 },
      gpAvailable: true,
      objectives: p.objectives,
    });
  const jobs: MoBenchJob[] = [];
  for (const p of problems)
    for (const sampler of opts.samplers) {
      if (sampler === "auto" && opts.samplers.includes(autoChoice(p) as SamplerConfig["type"])) continue;
      for (const batch of opts.batches)
        for (const seed of opts.seeds) jobs.push({ problem: p.name, sampler, batch, seed });
    }
  const results = await runPool(jobs, opts.workers);
  for (const p of problems) {
    const choice = autoChoice(p);
    if (!opts.samplers.includes("auto") || !opts.samplers.includes(choice as SamplerConfig["type"])) continue;
    for (const r of results.filter((x) => x.problem === p.name && x.sampler === choice))
      results.push({ ...r, sampler: "auto" });
  }
  const studySeconds = (performance.now() - started) / 1000;

  const lines: string[] = [];
  const verdicts: string[] = [];
  lines.push(
    "| problem | score | mode | " +
      opts.samplers.join(" | ") +
      " | best Optuna (sampler) | auto vs best Optuna |",
  );
  lines.push("|---|---|---|" + opts.samplers.map(() => "---|").join("") + "---|---|");
  for (const p of problems) {
    const checkpoints = p.kind === "mo" ? [50, 100] : [60];
    for (const batch of opts.batches) {
      const mode = batch === 1 ? "seq" : `b${batch}`;
      for (const k of checkpoints) {
        const ref = reference.problems[p.name];
        const key = p.kind === "mo" ? `hv_regret@${k}` : `regret@${k}`;
        let bestName = "";
        let best = Infinity;
        const perSampler = new Map<string, number[]>();
        for (const r of ref?.runs ?? []) {
          if (r.mode !== mode) continue;
          const v = r[key];
          const name = String(r.sampler);
          if (typeof v !== "number" && v !== null) continue;
          perSampler.set(name, [...(perSampler.get(name) ?? []), typeof v === "number" ? v : Infinity]);
        }
        for (const [name, vs] of perSampler) {
          const m = median(vs);
          if (m < best) {
            best = m;
            bestName = name;
          }
        }
        const ours = opts.samplers.map((s) =>
          median(
            results
              .filter((r) => r.problem === p.name && r.sampler === s && r.batch === batch)
              .map((r) => r.scoreAt[k] ?? Infinity),
          ),
        );
        const autoIndex = opts.samplers.indexOf("auto");
        const auto = autoIndex >= 0 ? (ours[autoIndex] ?? Infinity) : Infinity;
        const verdict =
          autoIndex < 0
            ? "—"
            : auto < best
              ? `wins (${formatNumber(auto / best)}×)`
              : `LOSES (${formatNumber(auto / best)}×)`;
        lines.push(
          `| ${p.name} | ${p.kind === "mo" ? "HV regret" : "regret"} @${k} | ${mode} | ${ours.map(formatNumber).join(" | ")} | ${formatNumber(best)} (${bestName}) | ${verdict} |`,
        );
        if (autoIndex >= 0 && k === (p.kind === "mo" ? 100 : 60))
          verdicts.push(
            `- **${p.name}, ${mode === "seq" ? "sequential" : "batched ×4"}**: auto ${formatNumber(auto)} vs Optuna's best ${bestName} ${formatNumber(best)}: ${auto < best ? "win" : "LOSS"}.`,
          );
      }
    }
  }
  const table = lines.join("\n");
  console.log(`\n${table}\n\n${verdicts.join("\n")}\n`);

  const choice = chooseAutoSampler({
    space: moProblems[0]?.space ?? [],
    budget: { maxTrials: 400, parallelism: 1 },
    gpAvailable: true,
    objectives: 2,
  });
  const latency = timeMoAsk("auto", 300);
  const latencyLine = `Ask latency of \`auto\` (= ${choice}) with 2 objectives (ZDT1, 6 params) and 300 completed trials: median of 5 asks ${latency.toFixed(0)} ms (target < 500 ms: ${latency < 500 ? "met" : "MISSED"}).`;
  console.log(latencyLine);
  const totalSeconds = (performance.now() - started) / 1000;
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}, load average ${(loadavg()[0] ?? 0).toFixed(1)}`;
  console.log(`mo studies: ${studySeconds.toFixed(0)} s; total ${totalSeconds.toFixed(0)} s (${machine})`);
  if (!opts.write) return;
  const start = "<!-- mo-bench:start -->";
  const end = "<!-- mo-bench:end -->";
  const section = [
    start,
    "## Several objectives and constraints",
    "",
    `_Generated by \`npm run bench:optimizers -- --suite mo\` (${results.length} studies, seeds ${opts.seeds[0]}..${opts.seeds[opts.seeds.length - 1]} (${opts.seeds.length} seeds; Optuna's reference used 10); ${machine}; ${opts.workers} worker threads; ${studySeconds.toFixed(0)} s). Problems and Optuna 3.1.0 figures: packages/core/bench/data/mo-problems.json and packages/core/bench/data/optuna-mo-reference.json (copies of the shared benchmark files). HV regret = true hypervolume − hypervolume of the trials found (points outside the reference box count for nothing); gramacy: best feasible value − optimum. Medians over seeds; lower is better; "best Optuna" is the best median over Optuna's random, TPE, multivariate TPE, NSGA-II (population 50 and 20) and QMC in the same mode._`,
    "",
    table,
    "",
    "Verdicts (generated from the table above, final checkpoint):",
    "",
    ...verdicts,
    "",
    latencyLine,
    "",
    end,
  ].join("\n");
  writeDocSection(opts.docPath, start, end, section);
}
