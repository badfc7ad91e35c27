import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";

/** The typed client: `api.GET("/v1/studies/{id}", { params: { path: { id } } })`, paths and bodies checked. */
export type HpoApi = Client<paths>;
export type { paths };

export interface HpoClientOptions {
  /** The API's base URL, e.g. http://127.0.0.1:3000 (HPO_API_URL). */
  baseUrl: string;
  /** An API key (HPO_TOKEN), sent as `Authorization: Bearer <key>`. */
  token: string;
  /** Per-request timeout; 0 for none (event streams). Default 30 s. */
  timeoutMs?: number;
}

/** An openapi-fetch client typed by the API's OpenAPI document, with the key and a timeout on every request. */
export function createHpoClient(options: HpoClientOptions): HpoApi {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    fetch: (request: Request) =>
      timeoutMs > 0
        ? fetch(request, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) })
        : fetch(request),
  });
  client.use({
    onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${options.token}`);
      return request;
    },
  });
  return client;
}
