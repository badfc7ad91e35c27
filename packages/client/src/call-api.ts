import { HpoError } from "@hpo/core";
import { errorReplySchema } from "@hpo/contracts";
import type { z } from "zod";
import { parseRetryAfterMs } from "./retry-after.js";

/** What every openapi-fetch call resolves to. */
export interface ApiCallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * An error answer of the API (its `{ error: { code, message, details } }` shape) or a failure to reach it
 * (`api_unreachable`). `retryable` is true for the network, 5xx and 429: a write is lease-fenced or
 * idempotent, so trying again is safe.
 */
export class HpoApiError extends HpoError {
  /** The wait the server asked for before a retry, when it said (`Retry-After`); else undefined. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    /** The server's own sentence (or the network error's). */
    readonly reason: string,
    /** `METHOD /path`, for messages. */
    readonly request: string,
    options: {
      status?: number;
      retryable: boolean;
      details?: unknown;
      cause?: unknown;
      /** What the answer's `Retry-After` asked for (a 503 or 429 says how long to stay away). */
      retryAfterMs?: number | undefined;
    },
  ) {
    super(code, `${request}: ${options.status === undefined ? "" : `${options.status} `}${reason}`, options);
    this.name = "HpoApiError";
    this.retryAfterMs = options.retryAfterMs;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return value.slice(0, 500);
  if (value === undefined) return "(no body)";
  return JSON.stringify(value).slice(0, 500);
}

export async function sendApiCall(label: string, call: () => Promise<ApiCallResult>): Promise<ApiCallResult> {
  let result: ApiCallResult;
  try {
    result = await call();
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new HpoApiError("api_unreachable", reason, label, { retryable: true, cause: error });
  }
  const { response } = result;
  if (response.ok) return result;
  // Anything in front of the API (a proxy, a load balancer) may answer without our error shape.
  const parsed = errorReplySchema.safeParse(result.error);
  throw new HpoApiError(
    parsed.success ? parsed.data.error.code : `http_${response.status}`,
    parsed.success ? parsed.data.error.message : describe(result.error),
    label,
    {
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
      details: parsed.success ? parsed.data.error.details : null,
      retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after"), Date.now()),
    },
  );
}

/**
 * Runs one typed call and parses its reply with the route's contract: a reply crosses a process boundary,
 * so it is parsed, never cast (a mismatch is `bad_reply`).
 */
export async function callApi<T extends z.ZodType>(
  label: string,
  call: () => Promise<ApiCallResult>,
  schema: T,
): Promise<z.output<T>> {
  const { data } = await sendApiCall(label, call);
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new HpoApiError(
    "bad_reply",
    `the reply does not match its contract: ${parsed.error.message}`,
    label,
    {
      retryable: false,
    },
  );
}

/** A call whose reply carries nothing the caller reads (204s, acknowledgements). */
export async function callApiVoid(label: string, call: () => Promise<ApiCallResult>): Promise<void> {
  await sendApiCall(label, call);
}

/** A call answered with text (trial logs, CSV); request it with `parseAs: "text"`. */
export async function callApiText(label: string, call: () => Promise<ApiCallResult>): Promise<string> {
  const { data } = await sendApiCall(label, call);
  return typeof data === "string" ? data : "";
}

/** The HTTP statuses that mean "this caller no longer holds the trial, or it is gone": drop it, write nothing more. */
export function isGone(error: unknown): boolean {
  return error instanceof HpoError && (error.status === 409 || error.status === 404);
}
