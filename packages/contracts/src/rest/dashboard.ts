import { z } from "zod";
import { directionSchema, paramsSchema, paramValueSchema } from "../definition/space-schema.js";
import { trialStateSchema } from "../trial-states.js";
import { isoTimeSchema } from "./common.js";
import { trialCountsSchema } from "./studies.js";

/**
 * The read models of the web dashboard: aggregates computed by the API from the whole history, so that a
 * browser draws a 100,000-trial study from a few hundred kilobytes instead of downloading every trial.
 */

/**
 * Finished trials on the optimization-history chart, as columns (entry i of each array is one trial): a
 * few arrays of numbers parse and draw far faster than thousands of small objects.
 */
export const historyColumnsSchema = z.object({
  number: z.array(z.int()),
  state: z.array(trialStateSchema),
  /** null: the trial failed without a value. */
  value: z.array(z.number().nullable()),
});
export type HistoryColumns = z.infer<typeof historyColumnsSchema>;

/** A trial that improved on every earlier one: the steps of the best-so-far line. */
export const bestStepSchema = z.object({ number: z.int(), value: z.number() });
export type BestStep = z.infer<typeof bestStepSchema>;

/** The objective's spread over a set of trials (whiskers at the 5th and 95th percentiles). */
export const boxStatsSchema = z.object({
  count: z.int(),
  p05: z.number(),
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
  p95: z.number(),
  mean: z.number(),
});
export type BoxStats = z.infer<typeof boxStatsSchema>;

/** How the complete trials spread over one param, and how the objective depends on its choices. */
export const paramSummarySchema = z.discriminatedUnion("type", [
  z.object({
    name: z.string(),
    type: z.enum(["float", "int"]),
    log: z.boolean(),
    low: z.number(),
    high: z.number(),
    /** Counts of complete trials in equal bins of [low, high] (equal in log space for log params). */
    histogram: z.array(z.int()),
  }),
  z.object({
    name: z.string(),
    type: z.literal("categorical"),
    /** One entry per choice, in the space's order; `box` is null for a choice no complete trial took. */
    choices: z.array(z.object({ choice: paramValueSchema, count: z.int(), box: boxStatsSchema.nullable() })),
  }),
]);
export type ParamSummary = z.infer<typeof paramSummarySchema>;

/**
 * Complete trials that parallel coordinates and slice plots draw, as columns: `params[name][i]` is the value
 * of trial `number[i]` (null where the param was inactive).
 */
export const sampleColumnsSchema = z.object({
  number: z.array(z.int()),
  value: z.array(z.number()),
  params: z.record(z.string(), z.array(paramValueSchema.nullable())),
});
export type SampleColumns = z.infer<typeof sampleColumnsSchema>;

/** One trial's intermediate values, down-sampled to at most a hundred steps (its last step always kept). */
export const intermediateCurveSchema = z.object({
  number: z.int(),
  state: trialStateSchema,
  steps: z.array(z.int()),
  values: z.array(z.number()),
});
export type IntermediateCurve = z.infer<typeof intermediateCurveSchema>;

/** GET /v1/studies/:id/summary: everything the study page draws, aggregated on the server. */
export const studySummaryReplySchema = z.object({
  studyId: z.uuid(),
  objective: z.object({ metric: z.string(), direction: directionSchema }),
  counts: trialCountsSchema,
  best: z.object({ number: z.int(), value: z.number(), params: paramsSchema }).nullable(),
  /** The highest trial number (null without trials). */
  maxNumber: z.int().nullable(),
  history: z.object({
    /** Finished trials (complete, pruned, failed) in the history; all of them when `sampled` is false. */
    points: historyColumnsSchema,
    /** Finished trials in the study. */
    finished: z.int(),
    /** True when `points` keeps, per bucket of trial numbers, only the lowest and highest value of each state. */
    sampled: z.boolean(),
  }),
  bestSoFar: z.array(bestStepSchema),
  /** Per param, from `distributionTrials` complete trials (an even spread of them above 5,000). */
  params: z.array(paramSummarySchema),
  distributionTrials: z.int(),
  sample: z.object({
    /** The best complete trials and an even spread of the others, ordered by number. */
    trials: sampleColumnsSchema,
    /** Complete trials with a value in the study. */
    complete: z.int(),
  }),
  intermediate: z.object({
    /** The best, the pruned, the running and an even spread of the other trials that reported. */
    curves: z.array(intermediateCurveSchema),
  }),
  /** Metric names the sampled trials reported (sortable and filterable in the trial table). */
  metrics: z.array(z.string()),
  computedMs: z.number().describe("Server time spent computing the summary"),
});
export type StudySummaryReply = z.infer<typeof studySummaryReplySchema>;

/** GET /v1/studies/:id/heatmap query: two params and the number of bins per numeric axis. */
export const heatmapQuerySchema = z.strictObject({
  x: z.string().min(1).max(200),
  y: z.string().min(1).max(200),
  bins: z.coerce.number().int().min(2).max(60).default(24),
});
export type HeatmapQuery = z.input<typeof heatmapQuerySchema>;

/** One axis of the heat map: numeric bins (edges in the param's own units) or the categorical choices. */
export const heatmapAxisSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("numeric"), name: z.string(), log: z.boolean(), edges: z.array(z.number()) }),
  z.object({ kind: z.literal("categorical"), name: z.string(), choices: z.array(paramValueSchema) }),
]);
export type HeatmapAxis = z.infer<typeof heatmapAxisSchema>;

/** GET /v1/studies/:id/heatmap: the best value and the count of complete trials per cell of two params. */
export const heatmapReplySchema = z.object({
  x: heatmapAxisSchema,
  y: heatmapAxisSchema,
  direction: directionSchema,
  /** Complete trials binned: an even spread of up to 5,000 and the 200 best. */
  trialsUsed: z.int(),
  cells: z.array(z.object({ x: z.int(), y: z.int(), count: z.int(), best: z.number(), mean: z.number() })),
});
export type HeatmapReply = z.infer<typeof heatmapReplySchema>;

/** GET /v1/running-trials: the project's running trials and who runs them (the workers page). */
export const runningTrialSchema = z.object({
  trialId: z.uuid(),
  studyId: z.uuid(),
  studyName: z.string(),
  number: z.int(),
  workerId: z.string().nullable(),
  gpu: z.string().nullable(),
  startedAt: isoTimeSchema.nullable(),
  heartbeatAt: isoTimeSchema.nullable(),
});
export type RunningTrial = z.infer<typeof runningTrialSchema>;
export const runningTrialsReplySchema = z.object({ items: z.array(runningTrialSchema) });
export type RunningTrialsReply = z.infer<typeof runningTrialsReplySchema>;

/** GET /v1/studies/:id/trials/count: how many trials match the trial list's filters (same query keys). */
export const trialCountReplySchema = z.object({ count: z.int() });
export type TrialCountReply = z.infer<typeof trialCountReplySchema>;
