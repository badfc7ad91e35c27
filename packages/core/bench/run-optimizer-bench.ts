import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  availableSamplerTypes,
  benchmarkProblems,
  chooseAutoSampler,
  type BenchmarkProblemName,
} from "@hpo/core";
import { timeAsk, timingSpaces } from "./ask-timing.js";
import { runMoBench } from "./run-mo-bench.js";
import { BUDGET, type BenchJob, type BenchJobResult } from "./bench-jobs.js";
import {
  formatRegretTable,
  formatVerdicts,
  formatTimingTable,
  summarize,
  type OptunaReference,
  type TimingRow,
} from "./bench-report.js";
import { runExtraModes } from "./extra-modes.js";
import { writeDocSection } from "./write-doc-section.js";

/**
 * `npm run bench:optimizers`: the optimizer bench protocol (60 trials, seeds 0..14, sequential
 * and batched by 4) for our samplers beside Optuna 3.1.0's reference numbers, plus ask latency.
 *
 * Flags: --samplers random,sobol,tpe,auto,gp  --problems branin,...  --seeds 15 (or 0..4 / 3,7)
 *        --modes seq,b4  --workers 2  --timing / --no-timing  --timing-sizes 100,300,1000
 *        --write / --no-write (docs/benchmarks.md; default: write when the full protocol ran)
 *        --suite so,mo (single-objective, multi-objective + constrained; default both)
 *        --mo-seeds 10  --mo-samplers random,tpe,nsga2,gp,auto  --mo-problems zdt1,zdt2,dtlz2,gramacy
 *        (the multi-objective part writes its own section when its seeds are the protocol's 10, or --write)
 */
type Flags = Map<string, string>;
function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(arg.slice(2), next);
      i++;
    } else {
      flags.set(arg.slice(2), "true");
    }
  }
  return flags;
}

function parseSeeds(spec: string): number[] {
  if (/^\d+$/.test(spec)) return Array.from({ length: Number(spec) }, (_, i) => i);
  const range = /^(\d+)\.\.(\d+)$/.exec(spec);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  return spec.split(",").map(Number);
}

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const flags = parseFlags(process.argv.slice(2));
// --warm-start and --wide run instead of the protocol (extra-modes.ts).
if (await runExtraModes(flags, parseSeeds, repoRoot)) process.exit(0);
const allSamplers = ["random", "sobol", "tpe", "auto", "gp"].filter((s) =>
  availableSamplerTypes.includes(s as never),
);
const samplers = (flags.get("samplers")?.split(",") ?? allSamplers).filter((s) =>
  availableSamplerTypes.includes(s as never),
);
const problems = (flags.get("problems")?.split(",") ??
  Object.keys(benchmarkProblems)) as BenchmarkProblemName[];
const seeds = parseSeeds(flags.get("seeds") ?? "15");
const modes = (flags.get("modes") ?? "seq,b4").split(",").map((m) => (m === "seq" ? 1 : 4));
const workers = Math.max(1, Number(flags.get("workers") ?? Math.min(2, availableParallelism())));
const fullProtocol = seeds.length === 15 && problems.length === 4 && modes.length === 2;
const write = flags.has("write") || (fullProtocol && !flags.has("no-write"));
const doTiming = flags.has("timing") || (!flags.has("no-timing") && fullProtocol);
const timingSizes = (flags.get("timing-sizes") ?? "100,300,1000").split(",").map(Number);

const suites = (flags.get("suite") ?? "so,mo").split(",");
const moSeeds = parseSeeds(flags.get("mo-seeds") ?? "10");
const runMo = async (): Promise<void> =>
  runMoBench({
    samplers: (flags.get("mo-samplers") ?? "random,tpe,nsga2,gp,auto").split(",") as BenchJob["sampler"][],
    problems: (flags.get("mo-problems") ?? "zdt1,zdt2,dtlz2,gramacy").split(","),
    seeds: moSeeds,
    batches: modes,
    workers,
    write: flags.has("write") || (moSeeds.length === 10 && modes.length === 2 && !flags.has("no-write")),
    docPath: `${repoRoot}docs/benchmarks.md`,
  });
if (!suites.includes("so")) {
  if (suites.includes("mo")) await runMo();
  process.exit(0);
}

/** auto delegates to another sampler with the identical request, so when that sampler is run too its
 * studies ARE auto's studies; reuse them instead of computing the same points twice. */
const notes = new Map<string, string>();
const jobs: BenchJob[] = [];
for (const problem of problems) {
  const choice = chooseAutoSampler({
    space: benchmarkProblems[problem].space,
    budget: { maxTrials: BUDGET, parallelism: 1 },
    gpAvailable: availableSamplerTypes.includes("gp"),
  });
  for (const sampler of samplers) {
    if (sampler === "auto") notes.set(`${problem}|auto`, `= ${choice}`);
    if (sampler === "auto" && samplers.includes(choice)) continue;
    for (const batch of modes)
      for (const seed of seeds) jobs.push({ problem, sampler: sampler as BenchJob["sampler"], batch, seed });
  }
}

async function runPool(all: BenchJob[]): Promise<BenchJobResult[]> {
  const results: BenchJobResult[] = [];
  // Slow samplers first so the pool drains evenly.
  const queue = [...all].sort(
    (a, b) => Number(b.sampler === "gp") - Number(a.sampler === "gp") || a.batch - b.batch,
  );
  let done = 0;
  const workerUrl = new URL("./bench-worker-entry.mjs", import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(workers, queue.length) }, async () => {
      const worker = new Worker(workerUrl, { execArgv: ["--conditions=source"] });
      try {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          const current = job;
          const result = await new Promise<BenchJobResult>((resolve, reject) => {
            worker.once("message", resolve);
            worker.once("error", reject);
            worker.postMessage(current);
          });
          worker.removeAllListeners("error");
          results.push(result);
          done++;
          if (done % 20 === 0 || done === all.length)
            process.stderr.write(`  ${done}/${all.length} studies\n`);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}

const started = performance.now();
const load = loadavg()[0] ?? 0;
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}, load average ${load.toFixed(1)} at start`;
console.log(
  `optimizer bench: ${samplers.join(", ")} on ${problems.join(", ")}; seeds ${seeds.join(",")}; ${workers} worker(s)`,
);
const results = await runPool(jobs);
// Expand auto's reused studies.
for (const problem of problems) {
  const note = notes.get(`${problem}|auto`);
  const choice = note?.slice(2);
  if (choice === undefined || !samplers.includes("auto") || !samplers.includes(choice)) continue;
  for (const r of results.filter((x) => x.problem === problem && x.sampler === choice))
    results.push({ ...r, sampler: "auto" });
}
const order = (s: string): number => ["random", "sobol", "tpe", "gp", "auto"].indexOf(s);
results.sort(
  (a, b) =>
    problems.indexOf(a.problem) - problems.indexOf(b.problem) ||
    a.batch - b.batch ||
    order(a.sampler) - order(b.sampler) ||
    a.seed - b.seed,
);

const referencePath = `${here}optuna-reference.json`;
const reference = JSON.parse(readFileSync(referencePath, "utf8")) as OptunaReference;
const rows = summarize(results, reference, notes);
const regretTable = formatRegretTable(rows);
const verdicts = formatVerdicts(rows);
console.log(`\n${regretTable}\n\n${verdicts}\n`);
const studySeconds = (performance.now() - started) / 1000;

let timingTable = "";
if (doTiming) {
  const timingRows: TimingRow[] = [];
  const timingOrder = [...samplers].sort((a, b) => Number(a === "auto") - Number(b === "auto"));
  for (const sampler of timingOrder) {
    for (const target of timingSpaces) {
      const ms: Record<number, number> = {};
      let label = sampler;
      for (const n of timingSizes) {
        // auto runs exactly its chosen sampler's code: reuse that row's figure when it was timed.
        const choice = chooseAutoSampler({
          space: target.space,
          budget: { maxTrials: n + 1, parallelism: 1 },
          gpAvailable: availableSamplerTypes.includes("gp"),
        });
        const timed = timingRows.find((r) => r.sampler === choice && r.space === target.name)?.ms[n];
        if (sampler === "auto" && timed !== undefined) {
          ms[n] = timed;
          label = `auto (= ${choice})`;
        } else {
          ms[n] = timeAsk(sampler as BenchJob["sampler"], target, n);
        }
      }
      timingRows.push({ sampler: label, space: target.name, ms });
      console.log(
        `  ask timing ${sampler} / ${target.name}: ${timingSizes.map((n) => `${n}: ${(ms[n] ?? 0).toFixed(2)} ms`).join(", ")}`,
      );
    }
  }
  timingTable = formatTimingTable(timingRows, timingSizes);
  console.log(`\n${timingTable}\n`);
}
const totalSeconds = (performance.now() - started) / 1000;
console.log(`studies: ${studySeconds.toFixed(0)} s; total: ${totalSeconds.toFixed(0)} s (${machine})`);

if (write) {
  const docPath = `${repoRoot}docs/benchmarks.md`;
  const start = "<!-- optimizer-bench:start -->";
  const end = "<!-- optimizer-bench:end -->";
  const section = [
    start,
    "## Optimizers",
    "",
    `_Generated by \`npm run bench:optimizers\` (${results.length} studies, seeds ${seeds[0]}..${seeds[seeds.length - 1]}, ${BUDGET} trials; ${machine}; ${workers} worker threads; studies ${studySeconds.toFixed(0)} s, total ${totalSeconds.toFixed(0)} s). Regret = best value − optimum; medians and quartiles over seeds (numpy linear percentiles). Optuna 3.1.0 reference: packages/core/bench/optuna-reference.json. Ratios below 1 mean we are better._`,
    "",
    "### Median final regret after 60 trials",
    "",
    regretTable,
    "",
    "Verdicts (generated from the table above):",
    "",
    verdicts,
    "",
    ...(timingTable === ""
      ? []
      : [
          "### Time of one ask (median) by completed trials",
          "",
          "Optuna TPE reference on 6 continuous params: 15 / 23 / 52 ms; on 11 mixed params: 23 / 41 / 102 ms.",
          "",
          timingTable,
          "",
        ]),
    end,
  ].join("\n");
  writeDocSection(docPath, start, end, section);
}

if (suites.includes("mo")) await runMo();
