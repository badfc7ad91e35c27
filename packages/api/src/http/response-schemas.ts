import { z } from "zod";

/**
 * Response shapes, for the OpenAPI document only: the API scope serializes with JSON.stringify (see
 * build-app.ts), so a schema here can never turn a good answer into a 500. Tests check the real shapes.
 */
const isoDate = z.string().describe("ISO 8601 time");
const json = z.unknown();

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, e.g. validation_failed, lease_conflict"),
      message: z.string(),
      details: z
        .object({
          issues: z
            .array(
              z.object({
                in: z.enum(["body", "query", "params", "headers"]),
                path: z.array(z.union([z.string(), z.number()])),
                message: z.string(),
              }),
            )
            .optional(),
        })
        .nullable(),
    }),
  })
  .describe("The one error shape");

export const reportResponse = z.object({
  step: z.int(),
  value: z.number(),
  metrics: json,
  createdAt: isoDate,
});

export const trialResponse = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  state: z.string().describe("waiting | queued | running | complete | pruned | failed | abandoned"),
  params: json.describe("Active params by name"),
  value: z.number().nullable(),
  metrics: json.describe("Reported metrics by name, or null"),
  origin: z.string().describe("manual, grid, random, sobol, tpe, gp"),
  attempt: z.int(),
  retryOf: z.uuid().nullable(),
  workerId: z.string().nullable(),
  gpu: z.string().nullable(),
  backend: z.string().nullable(),
  createdAt: isoDate,
  queuedAt: isoDate.nullable(),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  reports: z
    .array(reportResponse)
    .optional()
    .describe("In GET /v1/trials/:id, and in lists with include=reports"),
  diagnostics: json,
});

export const studyResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  state: z.string().describe("running | paused | completed | stopped"),
  stateReason: z.string().nullable(),
  definition: json.describe("The validated definition, defaults applied"),
  counts: z.record(z.string(), z.int()).describe("Trials by state, and total"),
  best: z.object({ id: z.uuid(), number: z.int(), value: z.number().nullable(), params: json }).nullable(),
  progress: z.object({ finished: z.int(), maxTrials: z.int(), fraction: z.number() }),
  createdAt: isoDate,
  updatedAt: isoDate,
  finishedAt: isoDate.nullable(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const askResponse = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  params: json,
  leaseToken: z.string().describe("Present it on every later write for this trial"),
  attempt: z.int(),
  origin: z.string(),
});

export const claimResponse = z.object({
  id: z.uuid(),
  studyId: z.uuid(),
  number: z.int(),
  params: json,
  leaseToken: z.string(),
  attempt: z.int(),
  definition: json,
  seed: z.int(),
});

export const workerResponse = z.object({
  id: z.string(),
  host: z.string(),
  gpus: json,
  backend: z.string(),
  slots: z.int(),
  version: z.string().nullable(),
  startedAt: isoDate,
  lastSeen: isoDate,
  alive: z.boolean(),
  runningTrials: z.int(),
});

/** The usual error answers, to spread into a route's `response`. */
export const commonErrors = {
  400: errorResponse,
  401: errorResponse,
  404: errorResponse,
  409: errorResponse,
  429: errorResponse,
};
