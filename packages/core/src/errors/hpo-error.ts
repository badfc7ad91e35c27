/**
 * The one error type every hpo package throws on purpose.
 *
 * `code` is stable (clients and tests match on it, never on the message); `retryable` tells a caller
 * whether trying the same operation again can succeed (a lease conflict can, a bad search space cannot);
 * `status` is the HTTP status the API maps it to, when there is an obvious one.
 */
export interface HpoErrorOptions {
  retryable?: boolean;
  status?: number;
  details?: unknown;
  cause?: unknown;
}

export class HpoError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly details?: unknown;

  constructor(code: string, message: string, options: HpoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HpoError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.status !== undefined) this.status = options.status;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** Narrowing helper for catch blocks (`unknown` errors). */
export function isHpoError(error: unknown): error is HpoError {
  return error instanceof HpoError;
}
