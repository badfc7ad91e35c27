import { HpoError, type Params, type StudyDefinition } from "@hpo/core";

export interface ClaimedTrial {
  id: string;
  studyId: string;
  number: number;
  params: Params;
  leaseToken: string;
  attempt: number;
  definition: StudyDefinition;
  seed: number;
}

export interface WorkerRegistration {
  id: string;
  host: string;
  gpus: string[];
  backend: string;
  slots: number;
  version?: string;
}

export interface TellBody {
  leaseToken: string;
  state: "complete" | "failed" | "pruned";
  value?: number;
  metrics?: Record<string, number>;
  error?: string;
  backend?: string;
  gpu?: string;
  diagnostics?: unknown;
}

export interface WorkerApiClient {
  registerWorker(body: WorkerRegistration): Promise<void>;
  claimTrial(trialId: string, body: { workerId: string; gpu?: string }): Promise<ClaimedTrial>;
  heartbeat(trialId: string, leaseToken: string): Promise<{ stop: boolean }>;
  report(
    trialId: string,
    body: { leaseToken: string; step: number; value?: number; metrics?: Record<string, number> },
  ): Promise<{ prune: boolean; stop: boolean }>;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
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
    const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
    const code = typeof error.code === "string" ? error.code : `http_${response.status}`;
    const message = typeof error.message === "string" ? error.message : text.slice(0, 500);
    throw new HpoError(code, `${method} ${path}: ${response.status} ${message}`, {
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
      details: error.details,
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

  const trialPath = (trialId: string, action: string) =>
    `/v1/trials/${encodeURIComponent(trialId)}/${action}`;

  return {
    async registerWorker(body) {
      await request("POST", "/v1/workers", body);
    },
    async claimTrial(trialId, body) {
      return (await request("POST", trialPath(trialId, "claim"), body)) as ClaimedTrial;
    },
    async heartbeat(trialId, leaseToken) {
      const answer = await request("POST", trialPath(trialId, "heartbeat"), { leaseToken });
      return { stop: isRecord(answer) && answer.stop === true };
    },
    async report(trialId, body) {
      const answer = await request("POST", trialPath(trialId, "report"), body);
      return {
        prune: isRecord(answer) && answer.prune === true,
        stop: isRecord(answer) && answer.stop === true,
      };
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
