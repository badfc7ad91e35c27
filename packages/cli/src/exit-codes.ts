import { HpoError } from "@hpo/core";
import { HpoApiError } from "@hpo/client";

/**
 * The CLI's exit codes (README, "CLI"): scripts branch on these, never on messages.
 */
export const exitCodes = {
  ok: 0,
  /** Anything unexpected, and API errors without a code of their own below. */
  error: 1,
  /** Bad command-line arguments or options. */
  usage: 2,
  /** The study file or a value was rejected (YAML syntax, the definition's checks: 400). */
  invalidInput: 3,
  /** No key, an unknown or revoked key, or a role that cannot do this (401, 403). */
  auth: 4,
  /** No such study, trial, key or project (404). */
  notFound: 5,
  /** The API refused for the current state: a name taken, a study not running (409). */
  conflict: 6,
  /** The API did not answer. */
  unreachable: 7,
  /** `watch`/`--watch`: the study ended without success (stopped, deleted, or no trial completed). */
  studyFailed: 8,
  /** Ctrl-C. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** An error of the CLI itself, with the exit code it ends the process with. */
export class CliError extends HpoError {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options: { details?: unknown } = {},
  ) {
    super(`cli_${exitCode}`, message, options);
    this.name = "CliError";
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof HpoApiError) {
    if (error.code === "api_unreachable") return exitCodes.unreachable;
    switch (error.status) {
      case 400:
      case 413:
      case 415:
        return exitCodes.invalidInput;
      case 401:
      case 403:
        return exitCodes.auth;
      case 404:
        return exitCodes.notFound;
      case 409:
        return exitCodes.conflict;
      default:
        return exitCodes.error;
    }
  }
  return exitCodes.error;
}
