import { studyEventSchema, type StudyEvent } from "@hpo/contracts";
import { createParser } from "eventsource-parser";
import type { ApiClient } from "./api-client.js";

export type StreamStatus = "connecting" | "live" | "reconnecting" | "closed";

export interface StudyEventStream {
  close(): void;
}

const maxBackoffMs = 15_000;

/**
 * Follows `GET /v1/studies/:id/events`. EventSource cannot send an Authorization header, so this reads the
 * stream with fetch (the key stays in a header) and parses it with an SSE parser; every event is checked
 * against the contract, and the stream reconnects with backoff when it drops.
 */
export function followStudyEvents(
  client: ApiClient,
  studyId: string,
  onEvent: (event: StudyEvent) => void,
  onStatus: (status: StreamStatus) => void,
): StudyEventStream {
  const controller = new AbortController();
  let attempt = 0;
  let closed = false;

  const connect = async (): Promise<void> => {
    onStatus(attempt === 0 ? "connecting" : "reconnecting");
    try {
      const response = await client.fetch(`/v1/studies/${encodeURIComponent(studyId)}/events`, {
        signal: controller.signal,
        headers: { accept: "text/event-stream" },
      });
      const body = response.body;
      if (!body) throw new Error("the event stream has no body");
      const parser = createParser({
        onEvent: (message) => {
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          const parsed = studyEventSchema.safeParse(data);
          if (parsed.success) onEvent(parsed.data);
        },
      });
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      onStatus("live");
      attempt = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // aborted, network error or 4xx: retried below unless closed (a 401 has already signed out)
    }
    if (closed) return;
    attempt += 1;
    onStatus("reconnecting");
    const delay = Math.min(maxBackoffMs, 500 * 2 ** Math.min(attempt, 5));
    setTimeout(() => void connect(), delay);
  };
  void connect();
  return {
    close() {
      closed = true;
      controller.abort();
      onStatus("closed");
    },
  };
}
