import { z } from "zod";
import { paramsSchema } from "../definition/space-schema.js";
import { trialStateSchema, trialStates } from "../trial-states.js";
import { isoTimeSchema } from "./common.js";

export const trialReportReplySchema = z.object({
  step: z.int(),
  value: z.number(),
  metrics: z.record(z.string(), z.number()).nullable(),
  createdAt: isoTimeSchema,
});
export type TrialReportReply = z.infer<typeof trialReportReplySchema>;

/** The public shape of a trial. Never carries the lease token or the log text. */
export const trialReplySchema = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  state: trialStateSchema,
  params: paramsSchema.describe("Active params by name"),
  value: z.number().nullable(),
  values: z.array(z.number()).describe("One value per objective, in the definition's order; [] until known"),
  constraintViolations: z
    .array(z.number())
    .describe("Per constraint: <= 0 satisfied, > 0 violated by that much; [] without constraints"),
  feasible: z.boolean().nullable().describe("Whether every constraint held; null until complete"),
  metrics: z.record(z.string(), z.number()).nullable().describe("Reported metrics by name, or null"),
  origin: z.string().describe("manual, grid, random, sobol, tpe, gp, …"),
  attempt: z.int(),
  retryOf: z.uuid().nullable(),
  workerId: z.string().nullable(),
  gpu: z.string().nullable(),
  backend: z.string().nullable(),
  createdAt: isoTimeSchema,
  queuedAt: isoTimeSchema.nullable(),
  startedAt: isoTimeSchema.nullable(),
  finishedAt: isoTimeSchema.nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  reports: z
    .array(trialReportReplySchema)
    .optional()
    .describe("In GET /v1/trials/:id, and in lists with include=reports"),
  diagnostics: z.unknown().describe("The trainer's initialization diagnostics, or null"),
});
export type TrialReply = z.infer<typeof trialReplySchema>;

/** POST /v1/studies/:id/trials: a trial with fixed params, served before sampled points. */
export const manualTrialBodySchema = z.strictObject({ params: paramsSchema });
export type ManualTrialBody = z.infer<typeof manualTrialBodySchema>;

export const trialSorts = ["number", "-number", "value", "-value", "duration", "-duration"] as const;
/** Sort on one param or one metric: `param.<name>`, `metric.<name>`, `-` in front for descending. */
export type TrialFieldSort = `${"" | "-"}${"param" | "metric"}.${string}`;
export type TrialSort = (typeof trialSorts)[number] | TrialFieldSort;
const fieldSortPattern = /^-?(param|metric)\.[^,]{1,200}$/;

function isFieldSort(text: string): text is TrialFieldSort {
  return fieldSortPattern.test(text);
}

export const trialSortSchema = z.union([
  z.enum(trialSorts),
  z
    .string()
    .regex(fieldSortPattern, "number, value, duration, param.<name> or metric.<name>, - for descending")
    .transform((text, ctx): TrialFieldSort => {
      if (isFieldSort(text)) return text;
      ctx.addIssue({ code: "custom", message: "Not a sort" });
      return z.NEVER;
    }),
]);

/** Query keys that filter on one param or one metric by name, e.g. `paramMin.lr=0.001`. */
export const trialFieldFilterPrefixes = [
  "param.",
  "paramMin.",
  "paramMax.",
  "metricMin.",
  "metricMax.",
] as const;

const finiteQueryNumber = z.coerce.number().refine(Number.isFinite, "Expected a finite number");
const trialListKeys = new Set([
  "state",
  "numberMin",
  "numberMax",
  "valueMin",
  "valueMax",
  "sort",
  "limit",
  "cursor",
  "format",
  "include",
]);

/**
 * GET /v1/studies/:id/trials query. `param.<name>=v1,v2` keeps trials whose param takes one of the values;
 * `paramMin.<name>` / `paramMax.<name>` and `metricMin.<name>` / `metricMax.<name>` bound a numeric param or
 * a metric; `sort` also takes `param.<name>` and `metric.<name>`.
 */
export const trialListQuerySchema = z
  .object({
    state: z
      .string()
      .max(200)
      .transform((text) => text.split(","))
      .pipe(z.array(z.enum(trialStates)))
      .optional()
      .describe("Comma-separated trial states"),
    numberMin: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    numberMax: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    valueMin: finiteQueryNumber.optional(),
    valueMax: finiteQueryNumber.optional(),
    sort: trialSortSchema.default("number"),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
    format: z.enum(["json", "csv"]).default("json"),
    include: z.enum(["reports"]).optional(),
  })
  .catchall(z.string().max(1000))
  .superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (!trialListKeys.has(key) && !trialFieldFilterPrefixes.some((prefix) => key.startsWith(prefix))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message:
            "Unknown query parameter (param.<name>=v1,v2, paramMin.<name>, paramMax.<name>, metricMin.<name> and metricMax.<name> filter on params and metrics)",
        });
      }
    }
  });
export type TrialListQuery = z.output<typeof trialListQuerySchema>;
