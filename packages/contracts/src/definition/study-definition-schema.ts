import { z } from "zod";
import { prunerConfigSchema } from "./pruner-config-schema.js";
import { samplerConfigSchema } from "./sampler-config-schema.js";
import { directionSchema, spaceSchema } from "./space-schema.js";
import { trainerSpecSchema } from "./trainer-spec-schema.js";
import { resourcesSchema } from "./resources-schema.js";

/**
 * The study definition: one JSON shape for REST, the CLI's YAML files and the optimizer core.
 * Strict everywhere (an unknown field is an error, never silently dropped) and with every default applied,
 * so the stored definition is exactly what runs. `validateStudyDefinition` adds the cross-field checks and
 * turns problems into `{ path, message }` issues.
 */
export const objectiveSchema = z.strictObject({
  /** The reported metric to optimize, e.g. "val_loss". */
  metric: z.string().min(1).max(200),
  direction: directionSchema,
});

export const budgetSchema = z.strictObject({
  maxTrials: z.number().int().min(1).max(1_000_000),
  /** Trials queued + running at once. */
  parallelism: z.number().int().min(1).max(10_000).default(1),
  maxDurationSeconds: z.number().positive().optional(),
  /** The study ends once a trial reaches this value (in the objective's direction). */
  targetValue: z.number().optional(),
  /** Retries of a trial whose worker vanished (abandoned) before it is failed. */
  maxRetries: z.number().int().min(0).max(100).default(2),
});

export const studyDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  objective: objectiveSchema,
  space: spaceSchema,
  sampler: samplerConfigSchema.default({ type: "auto" }),
  pruner: prunerConfigSchema.default({ type: "none" }),
  budget: budgetSchema,
  trainer: trainerSpecSchema.default({ type: "external" }),
  /** What each trial needs from its worker (pool, GPUs, labels); see resources-schema.ts. */
  resources: resourcesSchema.optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(0),
});

/** A validated study definition, every default filled in. */
export type StudyDefinition = z.output<typeof studyDefinitionSchema>;
/** What a user may submit (defaults may be omitted). */
export type StudyDefinitionInput = z.input<typeof studyDefinitionSchema>;
export type Objective = z.output<typeof objectiveSchema>;
export type Budget = z.output<typeof budgetSchema>;
