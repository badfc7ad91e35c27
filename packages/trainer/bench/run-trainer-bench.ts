/**
 * `npm run bench:trainer`: training throughput (samples per second) of the same 3-layer MLP
 * (784 → 128 → 128 → 10, relu, adam, batch 64, real digits) on every tfjs backend that loads here, beside the
 * network's theoretical FLOPs per sample. Prints a table and writes it into docs/benchmarks.md between the
 * trainer-bench markers (the rest of that file is left alone).
 *
 * Each backend trains WARMUP_EPOCHS + MEASURED_EPOCHS epochs; only the measured epochs' training time counts
 * (forward, backward and update; no validation, no data loading).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import {
  detectTfjsBackends,
  loadDataset,
  resolveTfjsHyperparameters,
  selectTfjsBackend,
  splitDataset,
  trainTfjsModel,
  type TfjsBackendLabel,
} from "@hpo/trainer";
import { computeMlpArithmetic } from "./mlp-flops.js";

const HIDDEN_UNITS = 128;
const BATCH_SIZE = 64;
const WARMUP_EPOCHS = 1;
const MEASURED_EPOCHS = 2;
/** Training samples per backend: the plain-JS backend is ~10× slower, so it gets fewer to stay quick. */
const TRAIN_SAMPLES: Record<TfjsBackendLabel, number> = {
  "tensorflow-gpu": 8000,
  tensorflow: 8000,
  wasm: 8000,
  cpu: 2000,
};
/** Read before the first backend runs: the bench itself adds about 1 to the load. */
const LOAD_AT_START = loadavg()[0] ?? 0;
const START = "<!-- trainer-bench:start -->";
const END = "<!-- trainer-bench:end -->";

interface BenchRow {
  backend: string;
  samplesPerSecond: number[];
  median: number;
  valAccuracy: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function benchBackend(backend: TfjsBackendLabel): Promise<BenchRow> {
  const preference = { "tensorflow-gpu": "gpu", tensorflow: "node", wasm: "wasm", cpu: "cpu" } as const;
  await selectTfjsBackend(preference[backend]);
  const trainSamples = TRAIN_SAMPLES[backend];
  const split = splitDataset(await loadDataset("digits"), {
    validationSplit: 0.1,
    maxSamples: Math.round(trainSamples / 0.9),
    seed: 1,
  });
  const result = await trainTfjsModel({
    hyperparameters: resolveTfjsHyperparameters({
      layers: 2,
      hidden_units: HIDDEN_UNITS,
      batch_size: BATCH_SIZE,
      epochs: WARMUP_EPOCHS + MEASURED_EPOCHS,
      learning_rate: 0.001,
    }),
    split,
    seed: 1,
  });
  const measured = result.history.slice(WARMUP_EPOCHS).map((m) => m.samples_per_second ?? 0);
  return {
    backend,
    samplesPerSecond: measured,
    median: median(measured),
    valAccuracy: result.metrics.val_accuracy ?? 0,
  };
}

function formatTable(rows: BenchRow[], arithmetic: ReturnType<typeof computeMlpArithmetic>): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:trainer\` on ${cpus().length} × ${cpu}, Node ${process.version}` +
      ` (load average ${LOAD_AT_START.toFixed(2)} at the start: the machine is shared, so treat the figures as ±30 %).`,
    "",
    `Network: 784 → ${HIDDEN_UNITS} → ${HIDDEN_UNITS} → 10 (relu, softmax cross-entropy, adam), batch ${BATCH_SIZE}, real digits;` +
      ` ${arithmetic.parameters.toLocaleString("en-US")} parameters.` +
      ` Theoretical arithmetic per sample: ${(arithmetic.forwardFlopsPerSample / 1e6).toFixed(3)} MFLOP forward,` +
      ` ${(arithmetic.trainingFlopsPerSample / 1e6).toFixed(3)} MFLOP per training step (forward + backward ≈ 3 × forward).`,
    "",
    "| backend | samples/s (median) | per measured epoch | achieved GFLOP/s (training) | val accuracy after 3 epochs |",
    "| --- | ---: | --- | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.backend} | ${Math.round(r.median).toLocaleString("en-US")} | ${r.samplesPerSecond.map((v) => v.toLocaleString("en-US")).join(", ")} |` +
        ` ${((r.median * arithmetic.trainingFlopsPerSample) / 1e9).toFixed(2)} | ${r.valAccuracy.toFixed(3)} |`,
    ),
    "",
    `Backends not listed did not load here (the native ones need \`@tensorflow/tfjs-node\` / \`-node-gpu\`, see docs/gpu.md).` +
      ` Each backend: ${WARMUP_EPOCHS} warm-up epoch, then ${MEASURED_EPOCHS} measured; training time only (no validation pass).`,
  ];
  return lines.join("\n");
}

function writeSection(table: string): string {
  const path = fileURLToPath(new URL("../../../docs/benchmarks.md", import.meta.url));
  const section = `${START}\n## Trainer throughput (tfjs backends)\n\n${table}\n${END}`;
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current}${current === "" || current.endsWith("\n") ? "" : "\n"}${current === "" ? "" : "\n"}${section}\n`;
  writeFileSync(path, next);
  return path;
}

const available = (await detectTfjsBackends()) as TfjsBackendLabel[];
console.log(`tfjs backends available here: ${available.join(", ")}`);
const arithmetic = computeMlpArithmetic([784, HIDDEN_UNITS, HIDDEN_UNITS, 10]);
const rows: BenchRow[] = [];
for (const backend of available) {
  const row = await benchBackend(backend);
  console.log(`${backend}: ${row.samplesPerSecond.join(", ")} samples/s`);
  rows.push(row);
}
const table = formatTable(rows, arithmetic);
console.log(`\n${table}\n`);
console.log(`written to ${writeSection(table)}`);
