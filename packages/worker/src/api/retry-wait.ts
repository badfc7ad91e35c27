/**
 * How long the worker waits before retry number `attempt` (0-based) of a request that failed with a
 * retryable error: its own exponential backoff, or longer when the API said so with `Retry-After` (a 503
 * from a restarting database or an overloaded API, a 429), capped so that a wrong header cannot park a
 * trial's writes past its lease.
 */
export function retryWaitMs(
  attempt: number,
  baseDelayMs: number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number,
): number {
  const backoff = baseDelayMs * 2 ** attempt;
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, maxRetryAfterMs));
}
