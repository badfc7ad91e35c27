import { z } from "zod";

/** A pool name: also part of BullMQ queue names (no `:`), so kept to a small alphabet. */
export const poolNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "Use lowercase letters, digits, '_' and '-'");

/** The pool a study (and a worker) belongs to when it names none. */
export const DEFAULT_POOL = "default";

const labelKeySchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9._/-]+$/, "Use letters, digits, '.', '_', '/' and '-'");

/** Labels a worker offers and a study may require (exact match of every required key). */
export const labelsSchema = z.record(labelKeySchema, z.string().max(100));

/**
 * What each trial of a study needs from the worker that runs it. Only a worker of `pool` that offers
 * every requirement ever takes one of its jobs; a trial that needs GPUs never runs without them.
 * `gpus` defaults to the trainer's own need (a command trainer's `gpusPerTrial`, else 0).
 */
export const resourcesSchema = z.strictObject({
  pool: poolNameSchema.optional(),
  gpus: z.number().int().min(0).max(64).optional(),
  /** Memory each of its GPUs must have (the worker's reported total per GPU). */
  gpuMemoryGb: z.number().positive().max(10_000).optional(),
  labels: labelsSchema.optional(),
});
export type Resources = z.output<typeof resourcesSchema>;
