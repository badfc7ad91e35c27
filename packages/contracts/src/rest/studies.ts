import { z } from "zod";
import { storedStudyDefinitionSchema, studyDefinitionSchema } from "../definition/study-definition-schema.js";
import { paramsSchema } from "../definition/space-schema.js";
import { trialStates } from "../trial-states.js";
import { isoTimeSchema } from "./common.js";

export const studyStates = ["running", "paused", "completed", "stopped"] as const;
export const studyStateSchema = z.enum(studyStates);
export type StudyState = (typeof studyStates)[number];

/** POST /v1/studies takes the study definition itself (`studyDefinitionSchema`). */
export const createStudyBodySchema = studyDefinitionSchema;

/** PATCH /v1/studies/:id: an action, and/or new parallelism or maxTrials. */
export const patchStudyBodySchema = z
  .strictObject({
    action: z.enum(["pause", "resume", "stop"]).optional(),
    parallelism: z.int().min(1).max(10_000).optional(),
    maxTrials: z.int().min(1).max(1_000_000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "Give action, parallelism or maxTrials");
export type PatchStudyBody = z.infer<typeof patchStudyBodySchema>;

/** GET /v1/studies query. */
export const studyListQuerySchema = z.strictObject({
  state: z
    .string()
    .max(100)
    .transform((text) => text.split(","))
    .pipe(z.array(studyStateSchema))
    .optional()
    .describe("Comma-separated states"),
  name: z.string().max(200).optional().describe("Substring of the name, case-insensitive"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});
export type StudyListQuery = z.input<typeof studyListQuerySchema>;

/** Trials by state, and their total. */
export const trialCountsSchema = z.record(z.enum([...trialStates, "total"] as const), z.int());
export type TrialCounts = z.infer<typeof trialCountsSchema>;

export function emptyTrialCounts(): TrialCounts {
  return {
    waiting: 0,
    queued: 0,
    running: 0,
    complete: 0,
    pruned: 0,
    failed: 0,
    abandoned: 0,
    cancelled: 0,
    total: 0,
  };
}

export const bestTrialSchema = z.object({
  id: z.uuid(),
  number: z.int(),
  value: z.number().nullable(),
  /** One value per objective (several objectives); [value] with one. */
  values: z.array(z.number()),
  params: paramsSchema,
});
export type BestTrial = z.infer<typeof bestTrialSchema>;

export const studyReplySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  state: studyStateSchema,
  stateReason: z.string().nullable(),
  definition: storedStudyDefinitionSchema.describe("The validated definition, defaults applied"),
  counts: trialCountsSchema,
  best: bestTrialSchema
    .nullable()
    .describe("The best feasible trial; with several objectives, the front's best on the first objective"),
  bestTrials: z
    .array(bestTrialSchema)
    .describe("The Pareto front (non-dominated feasible trials, at most 100); [best] with one objective"),
  bestNote: z.string().nullable().describe("Why there is no best, e.g. no completed trial is feasible"),
  progress: z.object({ finished: z.int(), maxTrials: z.int(), fraction: z.number() }),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  finishedAt: isoTimeSchema.nullable(),
});
export type StudyReply = z.infer<typeof studyReplySchema>;
