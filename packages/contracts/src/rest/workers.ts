import { z } from "zod";
import { isoTimeSchema } from "./common.js";

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
});
export type WorkerRegistration = z.infer<typeof workerRegistrationSchema>;

export const workerRegistrationReplySchema = z.object({
  id: z.string(),
  registered: z.boolean().describe("True when this call created the registration"),
  lastSeen: isoTimeSchema,
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
});
export type WorkerReply = z.infer<typeof workerReplySchema>;
