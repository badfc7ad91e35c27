import type { FastifyInstance } from "fastify";

/**
 * What every API answer carries (the dashboard's pages have their own, in serve-dashboard.ts). The API
 * answers JSON, CSV and SSE, never a page: nothing it sends may be run as a script, framed or sniffed
 * into HTML, and nothing a key can read is cached by a browser or a proxy.
 */
export const apiSecurityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/** Adds `apiSecurityHeaders` to every answer of the scope it is installed in (errors included). */
export function installApiSecurityHeaders(api: FastifyInstance): void {
  api.addHook("onSend", (_request, reply, payload, done) => {
    for (const [name, value] of Object.entries(apiSecurityHeaders)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    done(null, payload);
  });
}
