/**
 * HTTP calls of the database scenarios (5, 6), each one timed, and a tally of how they were answered:
 * a 5xx while PostgreSQL is away must be a 503 with Retry-After and a stable code, never a 500.
 */
export interface Answer {
  status: number;
  /** The error code of an error answer (`{ error: { code } }`), else null. */
  code: string | null;
  retryAfter: string | null;
  ms: number;
  body: unknown;
}

/** A request that got no answer at all (the connection broke or the client gave up) has status 0. */
export async function callApi(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 60_000,
): Promise<Answer> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    const code = (parsed as { error?: { code?: unknown } } | undefined)?.error?.code;
    return {
      status: response.status,
      code: typeof code === "string" ? code : null,
      retryAfter: response.headers.get("retry-after"),
      ms: Date.now() - startedAt,
      body: parsed,
    };
  } catch {
    return { status: 0, code: null, retryAfter: null, ms: Date.now() - startedAt, body: null };
  }
}

export class StatusTally {
  readonly answers: Answer[] = [];

  add(answer: Answer): Answer {
    this.answers.push(answer);
    return answer;
  }

  count(predicate: (answer: Answer) => boolean): number {
    return this.answers.filter(predicate).length;
  }

  /** `{ "200": n, "503 database_unavailable": m, ... }`, for failure messages. */
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const answer of this.answers) {
      const key = answer.status >= 400 ? `${answer.status} ${answer.code ?? "?"}` : String(answer.status);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  get serverErrors(): number {
    return this.count((answer) => answer.status >= 500);
  }

  /** 5xx answers that are not a 503 with Retry-After and an error code (a 500 is one), and non-answers. */
  get badServerErrors(): number {
    return this.count(
      (answer) =>
        answer.status === 0 ||
        (answer.status >= 500 &&
          (answer.status !== 503 || answer.retryAfter === null || answer.code === null)),
    );
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
