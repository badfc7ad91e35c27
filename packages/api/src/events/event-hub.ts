import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import {
  parseStudyEvent,
  serializeStudyEvent,
  studyEventsChannel,
  type StudyEvent,
  type StudyEventInput,
} from "@hpo/contracts";

type Listener = (event: StudyEvent) => void;

/**
 * Publishes study events to Redis and fans the channel out to this process's SSE streams. One
 * subscriber connection per process (subscribed while anyone listens), whatever the number of streams.
 * Publishing never fails a request: Postgres already holds the change, events are only a nudge.
 */
export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber: Redis | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.channel = studyEventsChannel(prefix);
  }

  async publish(event: StudyEventInput): Promise<void> {
    try {
      await this.redis.publish(this.channel, serializeStudyEvent(event, new Date()));
    } catch (error) {
      this.log.warn({ err: error, event: event.type }, "could not publish a study event");
    }
  }

  /** Calls `listener` for each event of the study; resolves once the subscription is live. */
  async listen(studyId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(studyId);
    if (!set) {
      set = new Set();
      this.listeners.set(studyId, set);
    }
    set.add(listener);
    await this.ensureSubscribed();
    return () => {
      const current = this.listeners.get(studyId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(studyId);
    };
  }

  private ensureSubscribed(): Promise<void> {
    if (this.subscribing) return this.subscribing;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on("error", (error: unknown) => this.log.warn({ err: error }, "event subscriber error"));
    subscriber.on("message", (_channel: string, raw: string) => this.dispatch(raw));
    this.subscribing = subscriber.subscribe(this.channel).then(() => undefined);
    this.subscribing.catch(() => {
      this.subscribing = null;
    });
    return this.subscribing;
  }

  private dispatch(raw: string): void {
    // Other processes publish on this channel too: parse with the contract, drop (and log) what does not fit.
    const event = parseStudyEvent(raw);
    if (!event) {
      this.log.warn({ raw: raw.slice(0, 200) }, "dropped a malformed study event");
      return;
    }
    const set = this.listeners.get(event.studyId);
    if (!set) return;
    for (const listener of set) listener(event);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    this.subscribing = null;
    if (subscriber) {
      try {
        await subscriber.quit();
      } catch {
        subscriber.disconnect();
      }
    }
  }
}
