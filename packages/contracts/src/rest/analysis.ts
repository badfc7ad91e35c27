import { z } from "zod";
import { paramsSchema, directionSchema } from "../definition/space-schema.js";

/**
 * Read-only analyses of a study's history, computed by the core on the server (the dashboard, the CLI and
 * clients never recompute them).
 */

/** GET /v1/studies/:id/importance: each param's share of the objective's variance, per objective. */
export const importanceReplySchema = z.object({
  method: z.string().describe("How importance was computed, e.g. fanova (random forest) or ped-anova"),
  objectives: z.array(
    z.object({
      metric: z.string(),
      direction: directionSchema,
      /** Completed trials the estimate used (a deterministic subsample above a bound). */
      trialsUsed: z.int(),
      /** Sorted by importance, most important first; importances sum to 1 (or are all 0). */
      params: z.array(z.object({ name: z.string(), importance: z.number().min(0).max(1) })),
    }),
  ),
});
export type ImportanceReply = z.infer<typeof importanceReplySchema>;

/** A trial seen as a point in objective space. */
export const objectivePointSchema = z.object({
  trialId: z.uuid(),
  number: z.int(),
  /** One value per objective, in the study's objective order and the user's directions. */
  values: z.array(z.number()),
  params: paramsSchema,
  feasible: z.boolean(),
});
export type ObjectivePoint = z.infer<typeof objectivePointSchema>;

/** GET /v1/studies/:id/pareto: the non-dominated feasible trials (the study's best, with several objectives). */
export const paretoReplySchema = z.object({
  objectives: z.array(z.object({ metric: z.string(), direction: directionSchema })),
  front: z.array(objectivePointSchema),
  /** Completed trials considered, and how many of them satisfied every constraint. */
  completed: z.int(),
  feasible: z.int(),
  /** Set when no completed trial is feasible (the front is then empty). */
  note: z.string().nullable(),
});
export type ParetoReply = z.infer<typeof paretoReplySchema>;
