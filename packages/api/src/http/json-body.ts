import { HpoError } from "@hpo/core";
import type { FastifyInstance } from "fastify";

/** The whole body (fastify's bodyLimit): past it a request is a 413 before anything is read into a string. */
export const maxBodyBytes = 1024 * 1024;

/**
 * Deepest nesting of objects and arrays a JSON body may have. A study definition nests about six levels;
 * 5,000 levels used to reach recursive code (validation, logging) and end in a 500 or a stack overflow.
 */
export const maxJsonDepth = 64;

function rejected(code: string, message: string, issue: string): HpoError {
  return new HpoError(code, message, {
    status: 400,
    details: { issues: [{ in: "body", path: [], message: issue }] },
  });
}

/**
 * The deepest `{`/`[` nesting of a JSON text, found by one linear scan that skips strings, stopping as
 * soon as `limit` is passed. Runs before JSON.parse so that nothing recursive ever sees a deep body.
 */
export function jsonDepthOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * The one body parser of the API: JSON only. fastify's built-in `text/plain` parser is removed so that any
 * other content type is a 415 (a JSON route must never see a string body). Before parsing, a body is
 * refused (400) when it holds a NUL (Postgres cannot store U+0000 in text or jsonb) or nests deeper than
 * `maxJsonDepth`. `__proto__` and `constructor.prototype` keys are refused by fastify's parser (400).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.includes("\\u0000") || text.includes("\u0000")) {
      done(
        rejected(
          "validation_failed",
          "NUL characters are not allowed in the body",
          "Contains a NUL (\\u0000) character",
        ),
        undefined,
      );
      return;
    }
    if (jsonDepthOver(text, maxJsonDepth)) {
      done(
        rejected(
          "too_deep",
          `The JSON body nests deeper than ${maxJsonDepth} levels`,
          `Nested deeper than ${maxJsonDepth} levels`,
        ),
        undefined,
      );
      return;
    }
    void parseJson(request, text, done);
  });
}
