import { HpoError } from "@hpo/core";
import type { FastifyInstance } from "fastify";

/**
 * Postgres cannot store U+0000 in text or jsonb: such input would fail deep in a query as a 500. It is
 * refused up front instead (invariant 7: bad input is a 4xx) in URLs (%00); JSON bodies are checked by
 * the body parser (json-body.ts).
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => {
    done(
      /%00/i.test(request.url)
        ? new HpoError("validation_failed", "NUL characters are not allowed in the query", {
            status: 400,
            details: { issues: [{ in: "query", path: [], message: "Contains a NUL (\\u0000) character" }] },
          })
        : undefined,
    );
  });
}
