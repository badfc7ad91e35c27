import { z } from "zod";
import { constraintSchema } from "./constraint-schema.js";
import { prunerConfigSchema } from "./pruner-config-schema.js";
import { samplerConfigSchema } from "./sampler-config-schema.js";
import { directionSchema, paramsSchema, spaceSchema } from "./space-schema.js";
import { trainerSpecSchema } from "./trainer-spec-schema.js";
import { warmStartSchema } from "./warm-start-schema.js";

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

export type Objective = z.output<typeof objectiveSchema>;

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

/** The most objectives a study may have (hypervolume and Pareto plots stay meaningful up to here). */
export const MAX_OBJECTIVES = 4;

const definitionFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  /** One objective; or `objectives` (1 to 4) for a multi-objective study. Give one of the two. */
  objective: objectiveSchema.optional(),
  objectives: z.array(objectiveSchema).min(1).max(MAX_OBJECTIVES).optional(),
  /** Every constraint must hold on a trial's final metrics for it to count as feasible. */
  constraints: z.array(constraintSchema).max(16).default([]),
  space: spaceSchema,
  sampler: samplerConfigSchema.default({ type: "auto" }),
  pruner: prunerConfigSchema.default({ type: "none" }),
  budget: budgetSchema,
  trainer: trainerSpecSchema.default({ type: "external" }),
  /** Trials with fixed params run first, numbered 0, 1, ... in this order (they count toward maxTrials). */
  initialTrials: z.array(paramsSchema).max(1_000).optional(),
  warmStart: warmStartSchema.optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(0),
});

/**
 * A definition as stored and as replied (objectives normalized, every default applied): a plain object
 * schema, so the OpenAPI document can describe replies.
 */
export const storedStudyDefinitionSchema = definitionFieldsSchema.extend({
  objective: objectiveSchema,
  objectives: z.array(objectiveSchema).min(1).max(MAX_OBJECTIVES),
});

function sameObjective(a: Objective, b: Objective | undefined): boolean {
  return b !== undefined && a.metric === b.metric && a.direction === b.direction;
}

/**
 * The study definition with its objectives normalized: `objective` is always the first (primary) objective
 * and `objectives` always lists them all, so single-objective readers keep reading `objective`. A stored
 * definition (which has both) validates again unchanged.
 */
export const studyDefinitionSchema = definitionFieldsSchema
  .superRefine((definition, context) => {
    const { objective, objectives } = definition;
    if (objective === undefined && objectives === undefined) {
      context.addIssue({ code: "custom", path: ["objective"], message: "is required (or give objectives)" });
    }
    if (objective !== undefined && objectives !== undefined && !sameObjective(objective, objectives[0])) {
      context.addIssue({
        code: "custom",
        path: ["objectives", 0],
        message: "objective and objectives disagree: give only one of them",
      });
    }
    if ((objectives?.length ?? 1) > 1 && definition.budget.targetValue !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["budget", "targetValue"],
        message:
          "targetValue ends a study with one objective; with several, there is no single value to reach",
      });
    }
    const seen = new Set<string>();
    (objectives ?? []).forEach((item, index) => {
      if (seen.has(item.metric)) {
        context.addIssue({
          code: "custom",
          path: ["objectives", index, "metric"],
          message: `Metric ${item.metric} is already an objective`,
        });
      }
      seen.add(item.metric);
    });
  })
  .transform(({ objective, objectives, ...rest }): z.output<typeof storedStudyDefinitionSchema> => {
    const all = objectives ?? (objective === undefined ? [] : [objective]);
    const primary = all[0] ?? { metric: "value", direction: "minimize" as const };
    return { ...rest, objective: primary, objectives: all };
  });

/** A validated study definition, every default filled in. */
export type StudyDefinition = z.output<typeof storedStudyDefinitionSchema>;
/** What a user may submit (defaults may be omitted). */
export type StudyDefinitionInput = z.input<typeof studyDefinitionSchema>;
export type Budget = z.output<typeof budgetSchema>;
