import { parseStudyEvent, type StudyEvent } from "@hpo/contracts";
import { events } from "fetch-event-stream";
import { HpoApiError, sendApiCall } from "./call-api.js";
import { createHpoClient } from "./create-hpo-client.js";

export interface FollowStudyEventsOptions {
  baseUrl: string;
  token: string;
  studyId: string;
  /** Ends the stream; followStudyEvents then resolves. */
  signal: AbortSignal;
  /** Each event of the study, parsed with its contract (a malformed one is dropped). */
  onEvent(event: StudyEvent): void;
  /**
   * Called on every (re)connection once the stream is live. Events are hints (Postgres holds the truth)
   * and some may have passed while disconnected, so this is where a caller reads the current state.
   */
  onConnected?(): void | Promise<void>;
  /** Called when the stream dropped and is being retried. */
  onDisconnected?(error: unknown): void;
  /** Wait before reconnecting; default 1 s. */
  reconnectDelayMs?: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Follows GET /v1/studies/:id/events (server-sent events) until `signal` aborts, reconnecting after a
 * network error or when the server ends the stream (a restart, a deploy). An answer that retrying cannot
 * change (401, 403, 404) rejects.
 */
export async function followStudyEvents(options: FollowStudyEventsOptions): Promise<void> {
  const api = createHpoClient({ baseUrl: options.baseUrl, token: options.token, timeoutMs: 0 });
  const label = `GET /v1/studies/${options.studyId}/events`;
  const { signal } = options;
  while (!signal.aborted) {
    try {
      const { response } = await sendApiCall(label, () =>
        api.GET("/v1/studies/{id}/events", {
          params: { path: { id: options.studyId } },
          parseAs: "stream",
          signal,
        }),
      );
      await options.onConnected?.();
      for await (const message of events(response, signal)) {
        const event = message.data === undefined ? null : parseStudyEvent(message.data);
        if (event && event.studyId === options.studyId) options.onEvent(event);
      }
      if (!signal.aborted) options.onDisconnected?.(new Error("the server ended the event stream"));
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof HpoApiError && !error.retryable) throw error;
      options.onDisconnected?.(error);
    }
    await sleep(options.reconnectDelayMs ?? 1_000, signal);
  }
}
