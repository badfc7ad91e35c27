/**
 * The one place that decides the HTTP status of every error code the API can answer with.
 * HpoError codes thrown anywhere (core, db trial-store, routes) are looked up here; a code that is not
 * listed falls back to the error's own `status`, then 500.
 */
export const statusByErrorCode: Readonly<Record<string, number>> = {
  validation_failed: 400,
  invalid_definition: 400,
  invalid_json: 400,
  too_deep: 400,
  invalid_cursor: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  name_taken: 409,
  idempotency_conflict: 409,
  lease_conflict: 409,
  not_claimable: 409,
  propose_conflict: 409,
  invalid_transition: 409,
  study_finished: 409,
  study_not_running: 409,
  study_exhausted: 409,
  parallelism_reached: 409,
  worker_id_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  overloaded: 503,
  database_unavailable: 503,
};

/** Codes for framework errors that only carry a status. */
export const errorCodeByStatus: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
};

export function statusForErrorCode(code: string, fallback: number | undefined): number {
  return statusByErrorCode[code] ?? fallback ?? 500;
}
