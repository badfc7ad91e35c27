import { isHpoError } from "@hpo/core";
import { Prisma } from "@hpo/db";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import {
  databaseUnavailableCode,
  databaseUnavailableReason,
  databaseUnavailableRetryAfterSeconds,
  isDatabaseUnavailable,
} from "./database-unavailable.js";
import { describeIssues, errorBody, type PathIssue } from "./error-body.js";
import { errorCodeByStatus, statusForErrorCode } from "./error-status.js";

const partByContext: Record<string, PathIssue["in"]> = {
  body: "body",
  querystring: "query",
  params: "params",
  headers: "headers",
};

/** "/space/0/low" → ["space", 0, "low"] (fastify-type-provider-zod flattens zod's path this way). */
function pathFromPointer(pointer: string | undefined): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function frameworkCode(
  error: FastifyError,
  status: number,
): { code: string; message: string; details?: unknown } {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return {
      code: "payload_too_large",
      message: "The request body is over the 1 MiB limit",
      details: { issues: [{ in: "body", path: [], message: "Over 1 MiB" }] },
    };
  }
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return {
      code: "unsupported_media_type",
      message: "Send the body as application/json",
      details: {
        issues: [
          { in: "headers", path: ["content-type"], message: "Only application/json bodies are accepted" },
        ],
      },
    };
  }
  if (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return { code: "invalid_json", message: error.message };
  }
  if (error instanceof SyntaxError)
    return { code: "invalid_json", message: `Malformed JSON: ${error.message}` };
  if (status === 429) return { code: "rate_limited", message: error.message };
  return { code: errorCodeByStatus[status] ?? "bad_request", message: error.message };
}

/**
 * Maps every error to the one JSON error shape and its status. Validation problems list each issue with
 * the part of the request and the JSON path; anything unexpected is a logged 500 that reveals nothing.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = partByContext[error.validationContext ?? "body"] ?? "body";
      const issues: PathIssue[] = error.validation.map((issue) => ({
        in: part,
        path: pathFromPointer(issue.instancePath),
        message: issue.message ?? "Invalid value",
      }));
      return reply.status(400).send(errorBody("validation_failed", describeIssues(issues), { issues }));
    }
    // Before the HpoError branch: a route may wrap a driver error in an internal HpoError (as its cause).
    const clientError = isHpoError(error) && statusForErrorCode(error.code, error.status) < 500;
    if (!clientError && isDatabaseUnavailable(error)) {
      // PostgreSQL restarting, a connection terminated, the pool busy past its acquire timeout: the same
      // request may succeed a moment later, so say when to come back instead of a 500.
      // One short line: under pool exhaustion hundreds of these come at once, and a full Prisma error
      // (message with a code frame, stack) costs the event loop more than the request itself.
      request.log.warn({ reason: databaseUnavailableReason(error) }, "database unavailable");
      void reply.header("retry-after", String(databaseUnavailableRetryAfterSeconds));
      return reply
        .status(503)
        .send(
          errorBody(
            databaseUnavailableCode,
            "The database is unavailable; retry after the Retry-After delay",
          ),
        );
    }
    if (isHpoError(error)) {
      const status = statusForErrorCode(error.code, error.status);
      // A shed request is the API protecting itself, not a failure: one error line each would add to the load.
      if (status >= 500 && error.code !== "overloaded") request.log.error({ err: error }, "request failed");
      const told = error.code === "unavailable" || error.code === "overloaded";
      const message = status >= 500 && !told ? "Internal error" : error.message;
      return reply.status(status).send(errorBody(error.code, message, error.details ?? null));
    }
    if (error instanceof Prisma.PrismaClientKnownRequestError) {
      // Safety net for races the routes do not name (a row deleted between two statements, a unique
      // constraint hit by a concurrent twin): a 404 or 409, never a 500.
      if (error.code === "P2025") return reply.status(404).send(errorBody("not_found", "Not found"));
      if (error.code === "P2002") {
        return reply.status(409).send(errorBody("conflict", "A concurrent request changed this; try again"));
      }
    }
    const fastifyError = error as FastifyError;
    const status = typeof fastifyError.statusCode === "number" ? fastifyError.statusCode : 500;
    if (status >= 400 && status < 500) {
      const { code, message, details } = frameworkCode(fastifyError, status);
      // fastify's own 400s are about the body as a whole (malformed JSON, a __proto__ key): say so with
      // the body's root path, like every other 400.
      const withPath =
        details ?? (status === 400 ? { issues: [{ in: "body", path: [], message }] } : undefined);
      return reply.status(status).send(errorBody(code, message, withPath));
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send(errorBody("internal", "Internal error"));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorBody("not_found", `No route ${request.method} ${request.url.split("?")[0] ?? ""}`)),
  );
}
