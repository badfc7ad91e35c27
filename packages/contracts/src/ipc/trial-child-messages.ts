import { z } from "zod";
import { paramsSchema } from "../definition/space-schema.js";
import { backendPreferenceSchema, trainerSpecSchema } from "../definition/trainer-spec-schema.js";
import { finalTrialStateSchema } from "../trial-states.js";
import { metricsSchema } from "../rest/common.js";

/**
 * The IPC channel between a worker and the child process that runs one trial (Node's `process.send`, JSON
 * serialized). Both ends parse what they receive with these schemas; a message that does not parse is
 * logged and dropped, never cast.
 */

/** Everything the child needs to run one trainer. */
export const childTrialJobSchema = z.object({
  trialId: z.string().min(1),
  studyId: z.string().min(1),
  number: z.int().min(0),
  params: paramsSchema,
  seed: z.int().min(0),
  objectiveMetric: z.string().min(1),
  gpuIds: z.array(z.string()),
  backend: backendPreferenceSchema,
  trainer: trainerSpecSchema,
});
export type ChildTrialJob = z.output<typeof childTrialJobSchema>;

/** What a trainer returns, whichever it is: the final state, metrics, the backend it ran on. */
export const trainerOutcomeSchema = z.object({
  state: finalTrialStateSchema,
  metrics: metricsSchema,
  value: z.number().optional(),
  backend: z.string(),
  error: z.string().optional(),
  diagnostics: z.unknown().optional(),
});
export type TrainerOutcome = z.output<typeof trainerOutcomeSchema>;

/** Parent → child. */
export const parentMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), job: childTrialJobSchema }),
  z.object({ type: z.literal("report-answer"), id: z.int(), prune: z.boolean(), stop: z.boolean() }),
  z.object({ type: z.literal("abort"), reason: z.string() }),
]);
export type ParentMessage = z.input<typeof parentMessageSchema>;
export type ParsedParentMessage = z.output<typeof parentMessageSchema>;

/** Child → parent. */
export const childMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("report"), id: z.int(), step: z.int().min(0), metrics: metricsSchema }),
  z.object({ type: z.literal("log"), text: z.string() }),
  z.object({ type: z.literal("result"), outcome: trainerOutcomeSchema }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type ChildMessage = z.input<typeof childMessageSchema>;
export type ParsedChildMessage = z.output<typeof childMessageSchema>;

export function parseChildMessage(value: unknown): ParsedChildMessage | null {
  const parsed = childMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function parseParentMessage(value: unknown): ParsedParentMessage | null {
  const parsed = parentMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
