import {
  parseStudyEvent,
  serializeStudyEvent,
  studyEventsChannel,
  type StudyEvent,
  type StudyEventInput,
} from "@hpo/contracts";
import { Redis } from "ioredis";

export const DEFAULT_REDIS_PREFIX = "hpo";

export interface StudyEventSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes to study events on a dedicated connection (a subscribed ioredis client cannot run other
 * commands). ioredis re-subscribes by itself after a reconnect. Each message is parsed with the contract;
 * one that does not parse goes to `onMalformed` (to be logged) and is dropped.
 */
export async function subscribeStudyEvents(
  redisUrl: string,
  prefix: string,
  onEvent: (event: StudyEvent, raw: string) => void,
  onMalformed: (raw: string) => void = () => undefined,
): Promise<StudyEventSubscription> {
  const channel = studyEventsChannel(prefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => undefined);
  redis.on("message", (received: string, message: string) => {
    if (received !== channel) return;
    const event = parseStudyEvent(message);
    if (event) onEvent(event, message);
    else onMalformed(message);
  });
  await redis.subscribe(channel);
  return {
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Publishes one event, stamped with the publisher's time. */
export async function publishStudyEvent(
  redis: Redis,
  prefix: string,
  event: StudyEventInput,
  at: Date = new Date(),
): Promise<void> {
  await redis.publish(studyEventsChannel(prefix), serializeStudyEvent(event, at));
}
