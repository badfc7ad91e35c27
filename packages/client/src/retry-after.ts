/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta-seconds ("2") or an HTTP-date
 * (RFC 9110 §10.2.3). `undefined` when the header is absent or unreadable, so that the caller falls back to
 * its own backoff; a date in the past is 0.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
