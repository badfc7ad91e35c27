import { z } from "zod";
import { trialStateSchema } from "../trial-states.js";
import { studyStateSchema } from "../rest/studies.js";

/**
 * Study events: what changed, published on the Redis channel `<prefix>:events` by whoever changed it (the
 * API, the scheduler) and forwarded as they are to SSE clients (`GET /v1/studies/:id/events`). Events are
 * hints: Postgres holds the truth, so a reader that misses one loses nothing but latency. Readers parse with
 * `parseStudyEvent` and drop what does not parse; unknown extra fields are ignored (newer publishers).
 */
const base = {
  studyId: z.string().min(1).max(100),
  /** When the publisher made the change (ISO 8601). */
  at: z.iso.datetime(),
};
const trialBase = { ...base, trialId: z.string().min(1).max(100) };

export const studyEventSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("study.created"), state: studyStateSchema }),
  z.object({
    ...base,
    type: z.literal("study.updated"),
    /** The study's state after the change; `deleted` when it is gone. */
    state: z.union([studyStateSchema, z.literal("deleted")]),
    reason: z.string().optional(),
  }),
  z.object({ ...trialBase, type: z.literal("trial.created"), state: trialStateSchema, number: z.int() }),
  z.object({
    ...trialBase,
    type: z.literal("trial.updated"),
    state: trialStateSchema,
    number: z.int().optional(),
    value: z.number().nullable().optional(),
  }),
  z.object({
    ...trialBase,
    type: z.literal("trial.reported"),
    number: z.int(),
    step: z.int(),
    value: z.number(),
    prune: z.boolean(),
  }),
]);
export type StudyEvent = z.infer<typeof studyEventSchema>;
export type StudyEventType = StudyEvent["type"];
/** An event before it is stamped with its time. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type StudyEventInput = DistributiveOmit<StudyEvent, "at">;

/** The Redis pub/sub channel of study events. */
export function studyEventsChannel(prefix: string): string {
  return `${prefix}:events`;
}

/** Stamps an event with the publisher's time and serializes it for the channel. */
export function serializeStudyEvent(event: StudyEventInput, at: Date): string {
  return JSON.stringify({ ...event, at: at.toISOString() });
}

/** Parses one channel message; anything malformed is null (the caller logs and drops it). */
export function parseStudyEvent(raw: string): StudyEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = studyEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
