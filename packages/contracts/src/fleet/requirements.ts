import { z } from "zod";
import {
  DEFAULT_POOL,
  labelsSchema,
  poolNameSchema,
  type Resources,
} from "../definition/resources-schema.js";

/**
 * A study's needs with every default resolved: what the scheduler routes by, what travels in each trial
 * job (so a worker checks it before claiming) and what the API checks again at claim.
 */
export const trialRequirementsSchema = z.object({
  pool: poolNameSchema,
  gpus: z.int().min(0).max(64),
  gpuMemoryGb: z.number().positive().optional(),
  labels: labelsSchema.optional(),
  trainer: z.string().min(1).max(40),
});
export type TrialRequirements = z.infer<typeof trialRequirementsSchema>;

/** What a worker offers, as it registers it (see rest/workers.ts) and as the matcher reads it. */
export interface WorkerOffer {
  pool: string;
  gpus: readonly string[];
  /** Total memory of each GPU in GB, when known (nvidia-smi); unknown memory never satisfies a need. */
  gpuMemoryGb?: number | undefined;
  /** Trainer types this worker can run; absent means every type. */
  trainers?: readonly string[] | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
}

/** The definition fields the requirements are resolved from. */
export interface RequirementSource {
  resources?: Resources | undefined;
  trainer: { type: string; gpusPerTrial?: number | undefined };
}

export function resolveRequirements(definition: RequirementSource): TrialRequirements {
  const resources = definition.resources ?? {};
  const trainerGpus = definition.trainer.type === "command" ? (definition.trainer.gpusPerTrial ?? 0) : 0;
  return {
    pool: resources.pool ?? DEFAULT_POOL,
    gpus: resources.gpus ?? trainerGpus,
    ...(resources.gpuMemoryGb === undefined ? {} : { gpuMemoryGb: resources.gpuMemoryGb }),
    ...(resources.labels === undefined ? {} : { labels: resources.labels }),
    trainer: definition.trainer.type,
  };
}

/**
 * Why `offer` cannot serve a trial with these requirements, or null when it can. Checks the worker's
 * capacity, not its current load: a worker that could run the trial once a slot frees is a match.
 */
export function unmetRequirement(offer: WorkerOffer, need: TrialRequirements): string | null {
  if (offer.pool !== need.pool) return `pool ${offer.pool} is not ${need.pool}`;
  if (offer.trainers !== undefined && !offer.trainers.includes(need.trainer))
    return `runs no ${need.trainer} trainer`;
  if (offer.gpus.length < need.gpus) return `offers ${offer.gpus.length} GPUs, needs ${need.gpus}`;
  if (need.gpus > 0 && need.gpuMemoryGb !== undefined && (offer.gpuMemoryGb ?? 0) < need.gpuMemoryGb)
    return `GPU memory ${offer.gpuMemoryGb ?? "unknown"} GB is below ${need.gpuMemoryGb} GB`;
  for (const [key, value] of Object.entries(need.labels ?? {})) {
    if (offer.labels?.[key] !== value) return `label ${key}=${value} missing`;
  }
  return null;
}

/** A sentence for a study that no live worker can serve, e.g. "needs 1 GPU in pool a100; no live worker offers it". */
export function describeRequirements(need: TrialRequirements): string {
  const parts: string[] = [];
  if (need.gpus > 0) parts.push(`${need.gpus} GPU${need.gpus === 1 ? "" : "s"}`);
  if (need.gpuMemoryGb !== undefined && need.gpus > 0) parts.push(`${need.gpuMemoryGb} GB of GPU memory`);
  const labels = Object.entries(need.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) parts.push(`labels ${labels.join(", ")}`);
  parts.push(`a ${need.trainer} trainer`);
  return `needs ${parts.join(", ")} in pool ${need.pool}; no live worker offers it`;
}

/**
 * The BullMQ queue of a project's trials in a pool. Workers consume only the queues the API hands them at
 * registration, so a worker never receives a job it may not claim (a project key: its own project's
 * queue in its pool). BullMQ refuses `:` in queue names, hence the dots.
 */
export function trialQueueName(pool: string, projectId: string): string {
  return `trials.${pool}.${projectId}`;
}

/** A worker that has not registered for this long is not alive (it registers every ~5 s). */
export const WORKER_ALIVE_WITHIN_MS = 30_000;

/** A stored worker row's offer columns (JSON read defensively: a bad value offers nothing). */
export function readWorkerOffer(row: {
  pool: string;
  gpus: unknown;
  gpuMemoryGb: number | null;
  trainers: unknown;
  labels: unknown;
}): WorkerOffer {
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  const labels: Record<string, string> = {};
  if (row.labels !== null && typeof row.labels === "object" && !Array.isArray(row.labels)) {
    for (const [key, value] of Object.entries(row.labels)) if (typeof value === "string") labels[key] = value;
  }
  return {
    pool: row.pool,
    gpus: strings(row.gpus),
    gpuMemoryGb: row.gpuMemoryGb ?? undefined,
    trainers: Array.isArray(row.trainers) ? strings(row.trainers) : undefined,
    labels,
  };
}
