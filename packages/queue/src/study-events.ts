import { Redis } from "ioredis";

export const DEFAULT_REDIS_PREFIX = "hpo";

/** The Redis pub/sub channel on which the API publishes study and trial changes (CONTRACTS "Events"). */
export function studyEventsChannel(prefix: string = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}:events`;
}

export interface StudyEvent {
  type: string;
  studyId: string;
  trialId?: string;
  state?: string;
}

/** Parses one event message; anything malformed is ignored (events are hints, Postgres is the truth). */
export function parseStudyEvent(message: string): StudyEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.type !== "string" || typeof record.studyId !== "string") return null;
  const event: StudyEvent = { type: record.type, studyId: record.studyId };
  if (typeof record.trialId === "string") event.trialId = record.trialId;
  if (typeof record.state === "string") event.state = record.state;
  return event;
}

export interface StudyEventSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes to study events on a dedicated connection (a subscribed ioredis client cannot run
 * other commands). ioredis re-subscribes by itself after a reconnect.
 */
export async function subscribeStudyEvents(
  redisUrl: string,
  prefix: string,
  onEvent: (event: StudyEvent) => void,
): Promise<StudyEventSubscription> {
  const channel = studyEventsChannel(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => undefined);
  redis.on("message", (received: string, message: string) => {
    if (received !== channel) return;
    const event = parseStudyEvent(message);
    if (event) onEvent(event);
  });
  await redis.subscribe(channel);
  return {
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Publishes one event (used by tests and by services that change studies outside the API). */
export async function publishStudyEvent(redis: Redis, prefix: string, event: StudyEvent): Promise<void> {
  await redis.publish(studyEventsChannel(prefix), JSON.stringify(event));
}
