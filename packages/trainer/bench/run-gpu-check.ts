/**
 * GPU check for the command trainer, meant for a GPU machine with Python, PyTorch and CUDA but no Node,
 * Postgres, Redis or network. `build-gpu-check.sh` bundles this script and the worker's per-trial child
 * (packages/worker/src/child/trainer-child.ts) into .gpu-check/ next to a Node binary; on the GPU machine
 * run `.gpu-check/node .gpu-check/run-gpu-check.mjs` from the repository root.
 *
 * It uses the worker's own pieces: nvidia-smi detection (detectGpus), GPU pinning (GpuAllocator +
 * CUDA_VISIBLE_DEVICES) and the trial runner (startChildTrial → trainer child → @hpo/trainer's command
 * trainer) on examples/pytorch/train.py, and checks that reports are parsed, that PyTorch trained on CUDA
 * (the program names its device in the protocol; nvidia-smi lists the process during training), and that
 * pruning ends the process group. Prints JSON lines; writes gpu-check.json to $OUT when set.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildTrialJob } from "@hpo/contracts";
import { detectGpus, GpuAllocator, startChildTrial } from "@hpo/worker";

interface RunSummary {
  run: string;
  cudaVisibleDevices: string;
  kind: string;
  state?: string;
  backend?: string;
  value?: number;
  error?: string;
  reports: number;
  steps: number[];
  medianEpochMs: number;
  wallSeconds: number;
  gpuProcessesSeenDuringTraining: string[];
  leftoverPythonProcesses: string[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function listGpuProcesses(): string[] {
  try {
    return execFileSync(
      "nvidia-smi",
      ["--query-compute-apps=pid,process_name,used_memory", "--format=csv,noheader"],
      {
        encoding: "utf8",
      },
    )
      .split("\n")
      .filter((line) => line.trim() !== "");
  } catch {
    return [];
  }
}

function listTrainPy(): string[] {
  try {
    return execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("examples/pytorch/train.py"));
  } catch {
    return [];
  }
}

async function runTrial(
  run: string,
  gpuIds: string[],
  epochs: number,
  pruneAtStep?: number,
): Promise<RunSummary> {
  const job: ChildTrialJob = {
    trialId: `gpu-check-${run}`,
    studyId: "gpu-check",
    number: 0,
    params: {
      learning_rate: 0.003,
      batch_size: 64,
      optimizer: "adam",
      layers: 2,
      hidden_units: 256,
      initializer: "he",
    },
    seed: 1,
    objectiveMetric: "val_accuracy",
    gpuIds,
    backend: "auto",
    trainer: {
      type: "command",
      command: ["python3", "examples/pytorch/train.py", "--dataset", "digits", "--epochs", String(epochs)],
      timeoutSeconds: 300,
      gpusPerTrial: gpuIds.length,
    },
  };
  const steps: number[] = [];
  const durations: number[] = [];
  let gpuProcesses: string[] = [];
  let output = "";
  const started = Date.now();
  const cudaVisibleDevices = gpuIds.join(",");
  const handle = startChildTrial({
    job,
    // The worker pins each trial's child this way; an empty value hides every GPU (the CPU baseline).
    env: { CUDA_VISIBLE_DEVICES: cudaVisibleDevices },
    onReport: (step, metrics) => {
      steps.push(step);
      if (metrics.duration_ms !== undefined) durations.push(metrics.duration_ms);
      if (step === 2) gpuProcesses = listGpuProcesses();
      return Promise.resolve({ prune: pruneAtStep !== undefined && step >= pruneAtStep, stop: false });
    },
    onOutput: (text) => {
      output += text;
    },
  });
  const result = await handle.result;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const summary: RunSummary = {
    run,
    cudaVisibleDevices,
    kind: result.kind,
    reports: steps.length,
    steps,
    medianEpochMs: median(durations),
    wallSeconds: (Date.now() - started) / 1000,
    gpuProcessesSeenDuringTraining: gpuProcesses,
    leftoverPythonProcesses: listTrainPy(),
  };
  if (result.kind === "outcome") {
    Object.assign(summary, {
      state: result.outcome.state,
      backend: result.outcome.backend,
      ...(result.outcome.value === undefined ? {} : { value: result.outcome.value }),
      ...(result.outcome.error === undefined ? {} : { error: result.outcome.error }),
    });
  } else {
    summary.error = result.kind === "error" ? result.message : `child exited ${String(result.code)}`;
  }
  console.log(JSON.stringify(summary));
  if (summary.state !== "complete" && summary.state !== "pruned") console.log(output.slice(-3000));
  else console.log(output.split("\n").find((line) => line.startsWith("pytorch example:")) ?? "");
  return summary;
}

const gpus = await detectGpus();
console.log(JSON.stringify({ detectedGpus: gpus }));
const allocator = new GpuAllocator(
  gpus.map((gpu) => gpu.id),
  1,
);
const grant = allocator.acquire(1);
const pinned = [...grant.ids];
const runs: RunSummary[] = [];
runs.push(await runTrial("gpu", pinned, 20));
runs.push(await runTrial("cpu-baseline", [], 20));
runs.push(await runTrial("gpu-pruned-at-3", pinned, 200, 3));
allocator.release(grant);
const checks = {
  gpuDetected: gpus.length > 0,
  gpuRunComplete: runs[0]?.state === "complete",
  gpuRunUsedCuda: runs[0]?.backend?.startsWith("command:cuda") === true,
  gpuRunListedByNvidiaSmi: (runs[0]?.gpuProcessesSeenDuringTraining.length ?? 0) > 0,
  reportsParsed: runs[0]?.reports === 20,
  cpuBaselineOnCpu: runs[1]?.backend === "command:cpu",
  prunedAtStep3: runs[2]?.state === "pruned" && (runs[2]?.reports ?? 0) <= 4,
  noProcessLeftAfterPrune: (runs[2]?.leftoverPythonProcesses.length ?? 1) === 0,
};
console.log(JSON.stringify({ checks }));
const out = process.env.OUT;
if (out) writeFileSync(join(out, "gpu-check.json"), `${JSON.stringify({ gpus, runs, checks }, null, 2)}\n`);
process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
