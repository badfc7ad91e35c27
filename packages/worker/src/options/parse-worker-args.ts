import { HpoError } from "@hpo/core";
import type { GpuOption } from "../gpu/detect-gpus.js";

export type WorkerBackend = "auto" | "gpu" | "node" | "wasm" | "cpu";

export interface WorkerArgs {
  /** Parallel trials; undefined means one per GPU slot, or 1 without GPUs. */
  concurrency?: number;
  gpus: GpuOption;
  backend: WorkerBackend;
  trialsPerGpu: number;
  /** `--gpu-memory-gb N`: the memory of each GPU, instead of what nvidia-smi reports. */
  gpuMemoryGb?: number;
  /** `--isolate-projects MIN-MAX`: run each project's trials as uid MIN + project number - 1. */
  isolateProjects?: { uidMin: number; uidMax: number };
  /** `--in-process`: synthetic trials run inside the worker instead of a child process each. */
  inProcess?: boolean;
  /** The pool it serves (default "default"). */
  pool?: string;
  /** Labels a study may require (`--labels zone=eu,disk=ssd`). */
  labels?: Record<string, string>;
  /** Trainer types it runs (`--trainers synthetic,command`); default: all. */
  trainers?: string[];
}

const BACKENDS: readonly WorkerBackend[] = ["auto", "gpu", "node", "wasm", "cpu"];

/** What `npm run worker -- --help` prints: the flags below and the environment the worker reads. */
export const workerUsage = `Usage: npm run worker -- [options]

Pulls trials from Redis, runs each in a child process and reports through the API.

Options:
  --concurrency N      trials at once (default: GPUs x --trials-per-gpu, or 1 without GPUs)
  --gpus auto|none|0,1 GPUs to use: detected with nvidia-smi, none, or a list of indexes (default auto)
  --trials-per-gpu N   trials sharing one GPU (default 1)
  --gpu-memory-gb N    each GPU's memory in GB (default: what nvidia-smi reports); trials stating a smaller
                       resources.gpuMemoryGb share a GPU while their memory fits (raise --concurrency)
  --backend B          TensorFlow.js backend for tfjs trials: auto, gpu, node, wasm or cpu (default auto)
  --in-process         run synthetic (benchmark-function) trials inside the worker, not in a child process
                       each: for fast trainers whose trials last milliseconds (also HPO_IN_PROCESS=true)
  --isolate-projects MIN-MAX  run each project's trial processes as its own uid/gid from this range, with
                       private temp and checkpoint directories (needs root or CAP_SETUID; docs/fleets.md)
  --pool NAME          the pool it serves; it only takes trials of studies with resources.pool NAME (default)
  --labels k=v,k2=v2   labels a study's resources.labels can require
  --trainers a,b       trainer types it runs (synthetic, tfjs, command; default all)
  -h, --help           print this help and exit

Environment: HPO_API_URL and HPO_TOKEN (a worker key) are required; REDIS_URL (redis://127.0.0.1:6379),
HPO_WORKER_ID, HPO_QUEUE_PREFIX, HPO_HEARTBEAT_INTERVAL_MS, HPO_WORKER_REGISTER_INTERVAL_MS,
HPO_SHUTDOWN_GRACE_MS, HPO_KILL_GRACE_MS, HPO_TRIAL_TIMEOUT_SECONDS, HPO_IN_PROCESS, HPO_UNFIT_RETRY_MS,
HPO_BUSY_RETRY_MS, HPO_CHECKPOINT_ROOT, LOG_LEVEL, LOG_FORMAT (see README.md and docs/fleets.md).
`;

/** `--help` or `-h` anywhere: print workerUsage and exit 0, before the environment is even read. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--help" || arg === "-h");
}

function invalid(flag: string, message: string): HpoError {
  return new HpoError("invalid_argument", `${flag}: ${message}`, { details: { path: [flag] } });
}

/**
 * `--concurrency N --gpus auto|none|0,1 --backend auto|gpu|node|wasm|cpu --trials-per-gpu N --gpu-memory-gb N`
 * (also `--x=v`),
 * and the switch `--in-process`.
 */
export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  const values = new Map<string, string>();
  let inProcess = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--in-process") {
      inProcess = true;
      continue;
    }
    if (!arg.startsWith("--")) throw invalid(arg, "unexpected argument");
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw invalid(flag, "needs a value");
    values.set(flag, value);
  }
  const args: WorkerArgs = { gpus: { mode: "auto" }, backend: "auto", trialsPerGpu: 1 };
  if (inProcess) args.inProcess = true;
  for (const [flag, value] of values) {
    switch (flag) {
      case "--concurrency":
        args.concurrency = positiveInt(flag, value);
        break;
      case "--trials-per-gpu":
        args.trialsPerGpu = positiveInt(flag, value);
        break;
      case "--gpu-memory-gb": {
        const gb = Number(value);
        if (!Number.isFinite(gb) || gb <= 0) throw invalid(flag, `must be a positive number, got "${value}"`);
        args.gpuMemoryGb = gb;
        break;
      }
      case "--backend":
        if (!(BACKENDS as readonly string[]).includes(value)) {
          throw invalid(flag, `must be one of ${BACKENDS.join(", ")}, got "${value}"`);
        }
        args.backend = value as WorkerBackend;
        break;
      case "--gpus":
        args.gpus = parseGpuOption(flag, value);
        break;
      case "--isolate-projects": {
        const match = /^(\d+)-(\d+)$/.exec(value);
        const uidMin = Number(match?.[1]);
        const uidMax = Number(match?.[2]);
        if (!match || uidMin < 1000 || uidMax < uidMin || uidMax > 2 ** 31 - 2) {
          throw invalid(flag, `must be a uid range MIN-MAX with 1000 <= MIN <= MAX, got "${value}"`);
        }
        args.isolateProjects = { uidMin, uidMax };
        break;
      }
      case "--pool":
        if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(value)) {
          throw invalid(flag, `use lowercase letters, digits, '_' and '-', got "${value}"`);
        }
        args.pool = value;
        break;
      case "--labels":
        args.labels = parseLabels(flag, value);
        break;
      case "--trainers":
        args.trainers = value.split(",").map((name) => name.trim());
        if (args.trainers.some((name) => !/^[a-z]+$/.test(name))) {
          throw invalid(flag, `must be a comma-separated list of trainer types, got "${value}"`);
        }
        break;
      default:
        throw invalid(
          flag,
          "unknown option (known: --concurrency, --gpus, --backend, --trials-per-gpu, --gpu-memory-gb, --isolate-projects, --in-process, --pool, --labels, --trainers)",
        );
    }
  }
  return args;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalid(flag, `must be a positive integer, got "${value}"`);
  return n;
}

function parseGpuOption(flag: string, value: string): GpuOption {
  if (value === "auto" || value === "none") return { mode: value };
  const ids = value.split(",").map((id) => id.trim());
  if (ids.length === 0 || ids.some((id) => !/^\d+$/.test(id))) {
    throw invalid(flag, `must be auto, none or a comma-separated list of GPU indexes, got "${value}"`);
  }
  return { mode: "list", ids };
}

function parseLabels(flag: string, value: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    const key = pair.slice(0, eq).trim();
    if (eq <= 0 || !/^[A-Za-z0-9._/-]{1,63}$/.test(key))
      throw invalid(flag, `expected k=v pairs, got "${pair}"`);
    labels[key] = pair.slice(eq + 1).trim();
  }
  return labels;
}
