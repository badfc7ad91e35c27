import { HpoError } from "@hpo/core";
import type { GpuOption } from "../gpu/detect-gpus.js";

export type WorkerBackend = "auto" | "gpu" | "node" | "wasm" | "cpu";

export interface WorkerArgs {
  /** Parallel trials; undefined means one per GPU slot, or 1 without GPUs. */
  concurrency?: number;
  gpus: GpuOption;
  backend: WorkerBackend;
  trialsPerGpu: number;
}

const BACKENDS: readonly WorkerBackend[] = ["auto", "gpu", "node", "wasm", "cpu"];

function invalid(flag: string, message: string): HpoError {
  return new HpoError("invalid_argument", `${flag}: ${message}`, { details: { path: [flag] } });
}

/** `--concurrency N --gpus auto|none|0,1 --backend auto|gpu|node|wasm|cpu --trials-per-gpu N` (also `--x=v`). */
export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw invalid(arg, "unexpected argument");
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw invalid(flag, "needs a value");
    values.set(flag, value);
  }
  const args: WorkerArgs = { gpus: { mode: "auto" }, backend: "auto", trialsPerGpu: 1 };
  for (const [flag, value] of values) {
    switch (flag) {
      case "--concurrency":
        args.concurrency = positiveInt(flag, value);
        break;
      case "--trials-per-gpu":
        args.trialsPerGpu = positiveInt(flag, value);
        break;
      case "--backend":
        if (!(BACKENDS as readonly string[]).includes(value)) {
          throw invalid(flag, `must be one of ${BACKENDS.join(", ")}, got "${value}"`);
        }
        args.backend = value as WorkerBackend;
        break;
      case "--gpus":
        args.gpus = parseGpuOption(flag, value);
        break;
      default:
        throw invalid(flag, "unknown option (known: --concurrency, --gpus, --backend, --trials-per-gpu)");
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
