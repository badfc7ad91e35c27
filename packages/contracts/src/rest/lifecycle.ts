import { z } from "zod";
import { MAX_OBJECTIVES, storedStudyDefinitionSchema } from "../definition/study-definition-schema.js";
import { paramsSchema } from "../definition/space-schema.js";
import { finalTrialStateSchema } from "../trial-states.js";
import { metricsSchema } from "./common.js";
import { trialReplySchema } from "./trials.js";

/**
 * The lease-fenced lifecycle of a trial, used by workers and by external ask/tell scripts alike. Every write
 * presents the lease token the ask or claim handed out; a stale one is a 409 that changes nothing.
 */
export const leaseTokenSchema = z.uuid("A lease token is the UUID that ask or claim returned");

/** POST /v1/studies/:id/ask (body optional). */
export const askBodySchema = z.strictObject({ workerId: z.string().min(1).max(200).optional() }).optional();
export type AskBody = z.infer<typeof askBodySchema>;

export const askReplySchema = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  params: paramsSchema,
  leaseToken: z.string().describe("Present it on every later write for this trial"),
  attempt: z.int(),
  origin: z.string(),
});
export type AskReply = z.infer<typeof askReplySchema>;

/** POST /v1/trials/:id/claim: a worker takes the trial its job names. */
export const claimBodySchema = z.strictObject({
  workerId: z.string().min(1).max(200),
  gpu: z.string().max(100).optional(),
  /**
   * A UUID the worker picks once per job and sends with every try of this claim: it becomes the lease
   * token, so a retried claim whose first answer was lost (a timeout) gets the same lease back instead of a
   * 409 that would strand the trial until its lease expired. Without it a claim is not repeatable.
   */
  claimToken: z.uuid().optional(),
});
export type ClaimBody = z.infer<typeof claimBodySchema>;

export const claimReplySchema = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  params: paramsSchema,
  leaseToken: z.string(),
  attempt: z.int(),
  definition: storedStudyDefinitionSchema,
  seed: z.int(),
  checkpointKey: z
    .uuid()
    .optional()
    .describe(
      "The id of this point's first attempt: a retry (a released or abandoned trial) keeps its checkpoint directory",
    ),
  projectNumber: z
    .int()
    .min(1)
    .optional()
    .describe("The trial's project's number: a worker isolating projects runs it as uid base + number"),
});
export type ClaimReply = z.infer<typeof claimReplySchema>;

export const heartbeatBodySchema = z.strictObject({ leaseToken: leaseTokenSchema });
export type HeartbeatBody = z.infer<typeof heartbeatBodySchema>;
export const heartbeatReplySchema = z.object({ stop: z.boolean() });
export type HeartbeatReply = z.infer<typeof heartbeatReplySchema>;

const finiteNumber = z.number();

/** POST /v1/trials/:id/report: one intermediate value (per epoch or step). */
export const reportBodySchema = z.strictObject({
  leaseToken: leaseTokenSchema,
  step: z.int().min(0).max(10_000_000),
  value: finiteNumber.optional(),
  metrics: metricsSchema.optional(),
});
export type ReportBody = z.input<typeof reportBodySchema>;

/** Whether the pruner wants the trial stopped, or the study was stopped. */
export const reportReplySchema = z.object({
  prune: z.boolean(),
  stop: z.boolean(),
  reason: z.string().optional(),
  duplicate: z
    .boolean()
    .optional()
    .describe("true: this step was already stored (a retry, or a second report); nothing new was stored"),
  storedValue: z
    .number()
    .optional()
    .describe(
      "With duplicate: the value stored for this step, which stands (it may differ from the one sent)",
    ),
});
export type ReportReply = z.infer<typeof reportReplySchema>;

/** POST /v1/trials/:id/tell: the trial's final result. `value` defaults to `metrics[objective.metric]`. */
export const tellBodySchema = z.strictObject({
  leaseToken: leaseTokenSchema,
  state: finalTrialStateSchema,
  value: finiteNumber.optional(),
  /** Several objectives: one value per objective in the definition's order (else read from metrics). */
  values: z.array(finiteNumber).min(1).max(MAX_OBJECTIVES).optional(),
  metrics: metricsSchema.optional(),
  error: z.string().max(10_000).optional(),
  backend: z.string().max(100).optional(),
  gpu: z.string().max(100).optional(),
  diagnostics: z.unknown().optional(),
});
export type TellBody = z.input<typeof tellBodySchema>;

/** POST /v1/trials/:id/logs: a chunk of the trainer's output, appended to the trial's log. */
export const logBodySchema = z.strictObject({
  leaseToken: leaseTokenSchema,
  text: z.string().max(1024 * 1024),
});
export type LogBody = z.infer<typeof logBodySchema>;

/** POST /v1/trials/:id/release: the holder hands the trial back (worker shutdown); it is retried. */
export const releaseBodySchema = z.strictObject({
  leaseToken: leaseTokenSchema,
  reason: z.string().min(1).max(1000),
});
export type ReleaseBody = z.infer<typeof releaseBodySchema>;

export const releaseReplySchema = z.object({
  trial: trialReplySchema,
  retry: trialReplySchema.nullable().describe("The new attempt that will retry the point, if any"),
});
export type ReleaseReply = z.infer<typeof releaseReplySchema>;
