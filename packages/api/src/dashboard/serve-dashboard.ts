import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/**
 * What every dashboard response carries. The CSP allows only the dashboard's own files: no inline script
 * or style, no eval (zod runs jitless in the browser), no other origin; the charts draw on canvas and
 * build their tooltips with DOM calls, which a strict style-src permits.
 */
export const dashboardSecurityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** The dashboard's client-side routes: each answers index.html and the app draws the page. */
export const dashboardPagePaths = ["/", "/workers", "/studies/*"] as const;

function withSecurityHeaders(reply: FastifyReply): FastifyReply {
  for (const [name, value] of Object.entries(dashboardSecurityHeaders)) reply.header(name, value);
  return reply;
}

/**
 * Serves the built dashboard (`distDir`: Vite's output, index.html and assets/) at `/`, outside the API's
 * authenticated scope: the page and its scripts are public, every call the page makes carries the key.
 * Hashed assets are cached for a year; index.html never, so a new build is picked up on reload.
 */
export async function registerDashboard(app: FastifyInstance, distDir: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook("onSend", (_request, reply, payload, done) => {
      withSecurityHeaders(reply);
      done(null, payload);
    });
    await scope.register(fastifyStatic, {
      root: join(distDir, "assets"),
      prefix: "/assets/",
      index: false,
      wildcard: true,
      immutable: true,
      maxAge: "365d",
      decorateReply: false,
    });
    const indexHtml = join(distDir, "index.html");
    for (const path of dashboardPagePaths) {
      scope.get(path, { schema: { hide: true } }, async (_request, reply) => {
        let html: string;
        try {
          html = await readFile(indexHtml, "utf8");
        } catch {
          return reply
            .status(503)
            .type("text/plain; charset=utf-8")
            .send("The dashboard is not built: run `npm run build` (or `npm start`, which builds it).\n");
        }
        return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
      });
    }
  });
}
