import { HpoError } from "@hpo/core";
import {
  claimReplySchema,
  errorReplySchema,
  heartbeatReplySchema,
  reportReplySchema,
  type ClaimBody,
  type ClaimReply,
  type HeartbeatReply,
  type ReportBody,
  type ReportReply,
  type TellBody,
  type WorkerRegistration,
} from "@hpo/contracts";
import type { z } from "zod";

export type ClaimedTrial = ClaimReply;
export type { TellBody, WorkerRegistration };

export interface WorkerApiClient {
  registerWorker(body: WorkerRegistration): Promise<void>;
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
}

/** The HTTP client a worker uses: it has no database credentials, only the API and a worker key. */
export function createWorkerApiClient(options: WorkerApiClientOptions): WorkerApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 250;

  async function requestOnce(method: string, path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new HpoError(
        "api_unreachable",
        `${method} ${path}: ${error instanceof Error ? error.message : String(error)}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.ok) return parsed;
    // Anything in front of the API (a proxy, a load balancer) may answer without our error shape.
    const error = errorReplySchema.safeParse(parsed);
    const code = error.success ? error.data.error.code : `http_${response.status}`;
    const message = error.success ? error.data.error.message : text.slice(0, 500);
    throw new HpoError(code, `${method} ${path}: ${response.status} ${message}`, {
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
      details: error.success ? error.data.error.details : null,
    });
  }

  async function request(method: string, path: string, body: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await requestOnce(method, path, body);
      } catch (error) {
        if (!(error instanceof HpoError) || !error.retryable || attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** attempt));
      }
    }
  }

  /** A reply crosses a process boundary: parse it with its contract, never cast it. */
  async function requestParsed<T>(
    method: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const answer = await request(method, path, body);
    const parsed = schema.safeParse(answer);
    if (parsed.success) return parsed.data;
    throw new HpoError(
      "bad_reply",
      `${method} ${path}: the API's reply does not match its contract: ${parsed.error.message}`,
      {
        retryable: false,
      },
    );
  }

  const trialPath = (trialId: string, action: string) =>
    `/v1/trials/${encodeURIComponent(trialId)}/${action}`;

  return {
    async registerWorker(body) {
      await request("POST", "/v1/workers", body);
    },
    claimTrial(trialId, body) {
      return requestParsed("POST", trialPath(trialId, "claim"), body, claimReplySchema);
    },
    heartbeat(trialId, leaseToken) {
      return requestParsed("POST", trialPath(trialId, "heartbeat"), { leaseToken }, heartbeatReplySchema);
    },
    report(trialId, body) {
      return requestParsed("POST", trialPath(trialId, "report"), body, reportReplySchema);
    },
    async tell(trialId, body) {
      await request("POST", trialPath(trialId, "tell"), body);
    },
    async appendLogs(trialId, leaseToken, text) {
      await request("POST", trialPath(trialId, "logs"), { leaseToken, text });
    },
    async release(trialId, leaseToken, reason) {
      await request("POST", trialPath(trialId, "release"), { leaseToken, reason });
    },
  };
}

/**
 * A 409 means this worker no longer holds the trial (or never could), a 404 that the trial is gone (its
 * study was deleted): either way drop it and write nothing more.
 */
export function isConflict(error: unknown): boolean {
  return error instanceof HpoError && (error.status === 409 || error.status === 404);
}
