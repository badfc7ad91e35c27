import { readFileSync } from "node:fs";
import {
  commandTrainerSpecSchema,
  tfjsTrainerSpecSchema,
  type BackendPreference,
  type CommandTrainerSpec,
  type Params,
  type TfjsTrainerSpec,
} from "@hpo/contracts";
import type { TrainerContext } from "@hpo/trainer";
import type { z } from "zod";

/** A tfjs spec as a trainer receives it: parsed by the contract, defaults applied. */
export function tfjsSpec(input: Omit<z.input<typeof tfjsTrainerSpecSchema>, "type">): TfjsTrainerSpec {
  return tfjsTrainerSpecSchema.parse({ type: "tfjs", ...input });
}

/** A command spec as a trainer receives it: parsed by the contract, defaults applied. */
export function commandSpec(
  input: Omit<z.input<typeof commandTrainerSpecSchema>, "type">,
): CommandTrainerSpec {
  return commandTrainerSpecSchema.parse({ type: "command", ...input });
}

export interface RecordingContext extends TrainerContext {
  reports: { step: number; metrics: Record<string, number> }[];
  logs: string[];
  abort(): void;
}

/** A TrainerContext that records reports and logs; `answer` decides each report's prune/stop reply. */
export function createRecordingContext(
  options: {
    params?: Params;
    seed?: number;
    objectiveMetric?: string;
    backend?: BackendPreference;
    gpuIds?: string[];
    answer?: (step: number, metrics: Record<string, number>) => { prune: boolean; stop: boolean };
  } = {},
): RecordingContext {
  const controller = new AbortController();
  const reports: RecordingContext["reports"] = [];
  const logs: string[] = [];
  return {
    trialId: "trial-1",
    studyId: "study-1",
    number: 0,
    params: options.params ?? {},
    seed: options.seed ?? 1,
    objectiveMetric: options.objectiveMetric ?? "val_accuracy",
    gpuIds: options.gpuIds ?? [],
    backend: options.backend ?? "auto",
    signal: controller.signal,
    report(step, metrics) {
      reports.push({ step, metrics });
      return Promise.resolve(options.answer?.(step, metrics) ?? { prune: false, stop: false });
    },
    log(text) {
      logs.push(text);
    },
    reports,
    logs,
    abort: () => controller.abort(),
  };
}

/** Alive = exists and is not a zombie (an orphan's exit may wait for a busy init to reap it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Waits up to `ms` for a process to be gone (signals are delivered asynchronously). */
export async function waitForProcessExit(pid: number, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isProcessAlive(pid);
}
