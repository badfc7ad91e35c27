import {
  callApi,
  callApiVoid,
  createHpoClient,
  HpoApiError,
  isGone,
  withoutUndefined,
  type ApiCallResult,
} from "@hpo/client";
import {
  claimReplySchema,
  heartbeatReplySchema,
  reportReplySchema,
  type ClaimBody,
  type ClaimReply,
  type HeartbeatReply,
  type ReportBody,
  type ReportReply,
  type TellBody,
  type WorkerRegistration,
  type WorkerRegistrationReply,
  workerRegistrationReplySchema,
} from "@hpo/contracts";
import { retryWaitMs } from "./retry-wait.js";

export type ClaimedTrial = ClaimReply;
export type { TellBody, WorkerRegistration };

export interface WorkerApiClient {
  /** Registers (or refreshes) the worker; the reply names the queues it consumes. */
  registerWorker(body: WorkerRegistration): Promise<WorkerRegistrationReply>;
  claimTrial(trialId: string, body: ClaimBody): Promise<ClaimedTrial>;
  heartbeat(trialId: string, leaseToken: string): Promise<HeartbeatReply>;
  report(trialId: string, body: ReportBody): Promise<ReportReply>;
  tell(trialId: string, body: TellBody): Promise<void>;
  appendLogs(trialId: string, leaseToken: string, text: string): Promise<void>;
  release(trialId: string, leaseToken: string, reason: string): Promise<void>;
}

export interface WorkerApiClientOptions {
  baseUrl: string;
  token: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries of a request that failed on the network or with a 5xx (writes are fenced, so a retry is safe). */
  retries?: number;
  retryDelayMs?: number;
  /**
   * Retries of the final write (tell): it carries the trial's result, so it keeps trying through a
   * database restart (the API answers 503 meanwhile) rather than leaving the trial to be abandoned and
   * run again. 7 doublings from 250 ms wait about 32 s in all, the default heartbeat grace; past the
   * grace the lease is gone and a late tell gets 409 anyway.
   */
  finalWriteRetries?: number;
  /**
   * The longest wait a `Retry-After` may ask for (default 10 s): the API's 503s and 429s ask for 1-2 s, and a
   * longer wait would let a trial's lease lapse while its writes wait.
   */
  maxRetryAfterMs?: number;
}

/**
 * The HTTP client a worker uses: it has no database credentials, only the API and a worker key. Calls go
 * through the typed @hpo/client; replies are parsed with their contracts.
 */
export function createWorkerApiClient(options: WorkerApiClientOptions): WorkerApiClient {
  const api = createHpoClient({
    baseUrl: options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 250;

  const finalWriteRetries = options.finalWriteRetries ?? 7;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;

  /**
   * Retries what may succeed on a second try (network, 5xx, 429), with exponential backoff, waiting at
   * least what the API's `Retry-After` asks (retry-wait.ts).
   */
  async function withRetries<T>(send: () => Promise<T>, maxRetries = retries): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof HpoApiError) || !error.retryable || attempt >= maxRetries) throw error;
        const waitMs = retryWaitMs(attempt, retryDelayMs, error.retryAfterMs, maxRetryAfterMs);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }
  const path = (id: string) => ({ params: { path: { id } } });
  const trialLabel = (trialId: string, action: string) => `POST /v1/trials/${trialId}/${action}`;
  const write = (label: string, call: () => Promise<ApiCallResult>) =>
    withRetries(() => callApiVoid(label, call));

  return {
    registerWorker(body) {
      return withRetries(() =>
        callApi(
          "POST /v1/workers",
          () => api.POST("/v1/workers", { body: withoutUndefined(body) }),
          workerRegistrationReplySchema,
        ),
      );
    },
    claimTrial(trialId, body) {
      return withRetries(() =>
        callApi(
          trialLabel(trialId, "claim"),
          () => api.POST("/v1/trials/{id}/claim", { ...path(trialId), body: withoutUndefined(body) }),
          claimReplySchema,
        ),
      );
    },
    heartbeat(trialId, leaseToken) {
      return withRetries(() =>
        callApi(
          trialLabel(trialId, "heartbeat"),
          () => api.POST("/v1/trials/{id}/heartbeat", { ...path(trialId), body: { leaseToken } }),
          heartbeatReplySchema,
        ),
      );
    },
    report(trialId, body) {
      return withRetries(() =>
        callApi(
          trialLabel(trialId, "report"),
          () => api.POST("/v1/trials/{id}/report", { ...path(trialId), body: withoutUndefined(body) }),
          reportReplySchema,
        ),
      );
    },
    tell(trialId, body) {
      return withRetries(
        () =>
          callApiVoid(trialLabel(trialId, "tell"), () =>
            api.POST("/v1/trials/{id}/tell", { ...path(trialId), body: withoutUndefined(body) }),
          ),
        finalWriteRetries,
      );
    },
    appendLogs(trialId, leaseToken, text) {
      return write(trialLabel(trialId, "logs"), () =>
        api.POST("/v1/trials/{id}/logs", { ...path(trialId), body: { leaseToken, text } }),
      );
    },
    release(trialId, leaseToken, reason) {
      return write(trialLabel(trialId, "release"), () =>
        api.POST("/v1/trials/{id}/release", { ...path(trialId), body: { leaseToken, reason } }),
      );
    },
  };
}

/**
 * A 409 means this worker no longer holds the trial (or never could), a 404 that the trial is gone (its
 * study was deleted): either way drop it and write nothing more.
 */
export function isConflict(error: unknown): boolean {
  return isGone(error);
}
