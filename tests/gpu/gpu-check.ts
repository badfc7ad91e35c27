/**
 * The GPU path, checked on a real GPU machine (run by tests/gpu/run-on-device.sh, see docs/gpu.md).
 * It uses the worker's own pieces: nvidia-smi detection, the GPU allocator, the per-trial child process
 * with CUDA_VISIBLE_DEVICES pinning, and the command trainer running examples/pytorch/train.py. It prints
 * one JSON summary line, prefixed `GPU_CHECK `, that docs/gpu.md quotes.
 */
import { detectGpus, GpuAllocator, startChildTrial, type ChildRunResult } from "@hpo/worker";

interface RunSummary {
  label: string;
  cudaVisibleDevices: string;
  device: string;
  reports: number;
  seconds: number;
  result: ChildRunResult["kind"];
  state?: string;
  metrics?: Record<string, number>;
  error?: string;
}

const params = { layers: 3, hidden_units: 512, batch_size: 256, optimizer: "adam", initializer: "he" };

async function runTrial(label: string, gpuIds: string[], pruneAtStep?: number): Promise<RunSummary> {
  const output: string[] = [];
  let reports = 0;
  const started = performance.now();
  const handle = startChildTrial({
    job: {
      trialId: `gpu-check-${label}`,
      studyId: "gpu-check",
      number: 0,
      params: { ...params, learning_rate: 0.005 },
      seed: 1,
      objectiveMetric: "val_accuracy",
      gpuIds,
      backend: "auto",
      trainer: {
        type: "command",
        command: ["python3", "examples/pytorch/train.py", "--epochs", "20", "--dataset", "spirals"],
        timeoutSeconds: 240,
        gpusPerTrial: gpuIds.length,
      },
    },
    env: { CUDA_VISIBLE_DEVICES: gpuIds.join(",") },
    killGraceMs: 5_000,
    onOutput: (text) => output.push(text),
    onReport: (step) => {
      reports += 1;
      return Promise.resolve({ prune: pruneAtStep !== undefined && step >= pruneAtStep, stop: false });
    },
  });
  const result = await handle.result;
  const text = output.join("");
  const device = /pytorch example: \S+ on (.+?), torch/.exec(text)?.[1] ?? "unknown";
  const summary: RunSummary = {
    label,
    cudaVisibleDevices: gpuIds.join(","),
    device,
    reports,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    result: result.kind,
  };
  if (result.kind === "outcome") {
    summary.state = result.outcome.state;
    summary.metrics = result.outcome.metrics;
    if (result.outcome.error) summary.error = result.outcome.error;
  } else if (result.kind === "error") summary.error = result.message;
  else summary.error = result.stderrTail.slice(-500);
  if (summary.device === "unknown") summary.error = `${summary.error ?? ""} output: ${text.slice(-800)}`;
  return summary;
}

const gpus = await detectGpus();
const allocator = new GpuAllocator(
  gpus.map((gpu) => gpu.id),
  1,
);
const pinned = allocator.acquire(1);
const runs = [
  await runTrial("gpu", pinned),
  await runTrial("cpu-hidden", []),
  await runTrial("gpu-pruned", pinned, 3),
];
allocator.release(pinned);
process.stdout.write(`GPU_CHECK ${JSON.stringify({ gpus, pinned, runs })}\n`);
