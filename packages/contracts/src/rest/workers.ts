import { z } from "zod";
import { isoTimeSchema } from "./common.js";
import { labelsSchema, poolNameSchema } from "../definition/resources-schema.js";

/** POST /v1/workers: a worker registers, and refreshes its registration every few seconds. */
export const workerRegistrationSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._@-]+$/, "Use letters, digits, '.', '_', '@' and '-'"),
  host: z.string().min(1).max(255),
  gpus: z.array(z.string().max(100)).max(64),
  backend: z.string().min(1).max(100),
  slots: z.int().min(0).max(1024),
  version: z.string().max(100).optional(),
  /** The pool this worker serves (default "default"); it only ever receives that pool's trials. */
  pool: poolNameSchema.optional(),
  /** GPU model and memory per GPU as nvidia-smi reports them (the smallest when they differ). */
  gpuModel: z.string().max(200).optional(),
  gpuMemoryGb: z.number().min(0).max(10_000).optional(),
  /** tfjs backends that loaded on this machine, best first. */
  backends: z.array(z.string().min(1).max(100)).max(20).optional(),
  /** Trainer types it can run (e.g. no `command` where the interpreter is missing); absent: all. */
  trainers: z.array(z.string().min(1).max(40)).max(20).optional(),
  labels: labelsSchema.optional(),
});
export type WorkerRegistration = z.infer<typeof workerRegistrationSchema>;

export const workerRegistrationReplySchema = z.object({
  id: z.string(),
  registered: z.boolean().describe("True when this call created the registration"),
  lastSeen: isoTimeSchema,
  pool: z.string(),
  /** The BullMQ queues this worker consumes: only jobs it may claim are ever put there. */
  queues: z.array(z.string()),
});
export type WorkerRegistrationReply = z.infer<typeof workerRegistrationReplySchema>;

export const workerReplySchema = z.object({
  id: z.string(),
  host: z.string(),
  gpus: z.array(z.string()),
  backend: z.string(),
  slots: z.int(),
  version: z.string().nullable(),
  startedAt: isoTimeSchema,
  lastSeen: isoTimeSchema,
  alive: z.boolean(),
  runningTrials: z.int(),
  pool: z.string(),
  gpuModel: z.string().nullable(),
  gpuMemoryGb: z.number().nullable(),
  backends: z.array(z.string()),
  trainers: z.array(z.string()).nullable(),
  labels: z.record(z.string(), z.string()),
  /** Slots not running a trial (slots − runningTrials, never below 0). */
  freeSlots: z.int(),
});
export type WorkerReply = z.infer<typeof workerReplySchema>;
