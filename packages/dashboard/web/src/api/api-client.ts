import { errorReplySchema } from "@hpo/contracts";
import type { z } from "zod";

/** An API answer that was not a success: the stable code and message of the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The JSON paths and messages of a 400 (`details.issues`), for forms to show next to the fields. */
  get issues(): { path: (string | number)[]; message: string }[] {
    const issues = this.details?.["issues"];
    if (!Array.isArray(issues)) return [];
    return issues.flatMap((issue: unknown) => {
      if (typeof issue !== "object" || issue === null) return [];
      const { path, message } = issue as { path?: unknown; message?: unknown };
      return Array.isArray(path) && typeof message === "string"
        ? [
            {
              path: path.filter((p): p is string | number => typeof p === "string" || typeof p === "number"),
              message,
            },
          ]
        : [];
    });
  }
}

export interface ApiClientOptions {
  key: string;
  /** Called on any 401: the key was revoked or is wrong; the app returns to the sign-in form. */
  onUnauthorized: () => void;
  baseUrl?: string;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const parsed = errorReplySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      return new ApiError(response.status, code, message, details);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, "http_error", `${response.status} ${response.statusText}`.trim());
}

/**
 * Every call of the dashboard: the key goes in the Authorization header (never in a URL), and every reply
 * is parsed with its contract schema before the app sees it.
 */
export class ApiClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? "";
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.options.key}`, ...extra };
  }

  /** The raw response of an authorized request; throws ApiError unless it is a success. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: this.headers((init.headers as Record<string, string> | undefined) ?? {}),
    });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) this.options.onUnauthorized();
    throw error;
  }

  async get<T extends z.ZodType>(path: string, schema: T, signal?: AbortSignal): Promise<z.output<T>> {
    const response = await this.fetch(path, signal ? { signal } : {});
    return schema.parse(await response.json());
  }

  /** Like get, but a 404 is null (routes that exist only in some deployments, e.g. importance). */
  async getOptional<T extends z.ZodType>(
    path: string,
    schema: T,
    signal?: AbortSignal,
  ): Promise<z.output<T> | null> {
    try {
      return await this.get(path, schema, signal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async getText(path: string, signal?: AbortSignal): Promise<string> {
    const response = await this.fetch(path, signal ? { signal } : {});
    return response.text();
  }

  async send<T extends z.ZodType>(
    method: "POST" | "PATCH",
    path: string,
    body: unknown,
    schema: T,
  ): Promise<z.output<T>> {
    const response = await this.fetch(path, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return schema.parse(await response.json());
  }

  /** Downloads an authorized file (a CSV export) through a blob, so no key ever appears in a URL. */
  async download(path: string, fallbackName: string): Promise<void> {
    const response = await this.fetch(path);
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
