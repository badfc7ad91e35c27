import { HpoError } from "@hpo/core";
import type { FastifyInstance } from "fastify";

function nulRejected(where: "body" | "query"): HpoError {
  return new HpoError("validation_failed", `NUL characters are not allowed in the ${where}`, {
    status: 400,
    details: { issues: [{ in: where, path: [], message: "Contains a NUL (\\u0000) character" }] },
  });
}

/**
 * Postgres cannot store U+0000 in text or jsonb: such input would fail deep in a query as a 500. It is
 * refused up front instead (invariant 7: bad input is a 4xx), in JSON bodies and in URLs (%00).
 */
export function installNulGuard(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.includes("\\u0000") || text.includes("\u0000")) {
      done(nulRejected("body"), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  app.addHook("onRequest", (request, _reply, done) => {
    done(/%00/i.test(request.url) ? nulRejected("query") : undefined);
  });
}
