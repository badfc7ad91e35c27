import { isHpoError } from "@hpo/core";
import { Prisma } from "@hpo/db";

/** The stable code of a 503 answered because PostgreSQL could not serve the request. */
export const databaseUnavailableCode = "database_unavailable";

/** Seconds a client is told to wait (Retry-After) before retrying a request PostgreSQL could not serve. */
export const databaseUnavailableRetryAfterSeconds = 1;

/**
 * Prisma codes of a server that cannot be reached or a connection that broke: P1001 unreachable, P1002
 * timed out, P1008 socket timeout, P1017 server closed the connection, P2024 pool timeout (the Rust
 * engine's), P2037 too many connections.
 */
const unavailablePrismaCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception), 53300
 * too_many_connections, 57P01 admin_shutdown (`pg_terminate_backend`, `pg_ctl stop -m fast`), 57P02
 * crash_shutdown (`-m immediate`), 57P03 cannot_connect_now (starting up, shutting down, recovering).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || ["53300", "57P01", "57P02", "57P03"].includes(code);
}

/**
 * What node-postgres throws without a SQLSTATE: the pool's acquire timeout (`connectionTimeoutMillis`),
 * a socket closed under a query, and a refused or reset TCP connection.
 */
const unavailableDriverMessages = [
  "timeout exceeded when trying to connect",
  "Connection terminated",
  "Client has encountered a connection error and is not queryable",
  "Cannot use a pool after calling end on the pool",
];
const unavailableSocketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Driver adapter error kinds (`meta.driverAdapterError.cause.kind`, @prisma/driver-adapter-utils) of a
 * server that is not there or a connection that broke. A raw statement (`$queryRaw`, the trial store's hot
 * paths) reports them under the generic P2010 "raw query failed", not under P1001 and its kin.
 */
const unavailableDriverKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

function driverCause(error: Prisma.PrismaClientKnownRequestError): unknown {
  return fieldOf(fieldOf(error.meta, "driverAdapterError"), "cause");
}

/** The SQLSTATE a driver adapter error carries (`meta.driverAdapterError.cause.originalCode`), if any. */
function driverSqlState(error: Prisma.PrismaClientKnownRequestError): string | undefined {
  const cause = driverCause(error);
  const code = fieldOf(cause, "originalCode") ?? fieldOf(cause, "code");
  return typeof code === "string" ? code : undefined;
}

function isUnavailableOnce(error: unknown): boolean {
  // The API's own refusal (request-admission.ts) carries the code already.
  if (isHpoError(error)) return error.code === databaseUnavailableCode;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (unavailablePrismaCodes.has(error.code)) return true;
    const kind = fieldOf(driverCause(error), "kind");
    if (typeof kind === "string" && unavailableDriverKinds.has(kind)) return true;
    const sqlState = driverSqlState(error);
    return sqlState !== undefined && isUnavailableSqlState(sqlState);
  }
  const code = fieldOf(error, "code");
  if (typeof code === "string") {
    // A SQLSTATE is five characters; socket errors carry a name such as ECONNRESET.
    if (unavailableSocketCodes.has(code) || (code.length === 5 && isUnavailableSqlState(code))) return true;
  }
  const message = error instanceof Error ? error.message : undefined;
  return message !== undefined && unavailableDriverMessages.some((text) => message.includes(text));
}

/**
 * Whether an error means PostgreSQL could not serve the request (restarting, unreachable, a connection
 * terminated, the pool exhausted past its acquire timeout) rather than that the request was wrong or the
 * code has a bug. Such requests are answered 503 `database_unavailable` with Retry-After: the same request
 * may succeed a moment later. Follows `cause` links, since Prisma and the routes wrap driver errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (isUnavailableOnce(current)) return true;
    current = fieldOf(current, "cause");
  }
  return false;
}

/** A one-line reason for the log: the Prisma code, if any, and the last line of the message. */
export function databaseUnavailableReason(error: unknown): string {
  const code = fieldOf(error, "code");
  const message = error instanceof Error ? error.message : String(error);
  const lastLine = message.trim().split("\n").pop() ?? "";
  return `${typeof code === "string" ? `${code}: ` : ""}${lastLine.slice(0, 300)}`;
}
