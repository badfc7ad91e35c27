/**
 * The `hpo` process: parse the command line, run the command, end with its exit code (see exit-codes.ts).
 * bin/hpo.js starts this file through tsx, so it runs from the sources on a fresh clone.
 */
import { HpoApiError } from "@hpo/client";
import { CommanderError } from "commander";
import { CliError, exitCodeOf, exitCodes } from "./exit-codes.js";
import { buildProgram } from "./program.js";

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = buildProgram(
    { env: process.env, stdout: process.stdout, stderr: process.stderr },
    (code) => {
      exitCode = code;
    },
  );
  program.exitOverride();
  const json = argv.includes("--json");
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end cleanly; anything else commander refused is a usage error (already printed).
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    const code = exitCodeOf(error);
    if (json) {
      const body =
        error instanceof HpoApiError
          ? {
              code: error.code,
              status: error.status ?? null,
              message: error.reason,
              details: error.details ?? null,
            }
          : error instanceof CliError
            ? { code: error.code, message: error.message, details: error.details ?? null }
            : { code: "error", message: error instanceof Error ? error.message : String(error) };
      process.stderr.write(`${JSON.stringify({ error: body, exitCode: code })}\n`);
    } else if (error instanceof HpoApiError) {
      process.stderr.write(
        `hpo: ${error.reason} (${error.request}: ${error.status ?? "no answer"} ${error.code})\n`,
      );
      if (error.code === "api_unreachable") {
        process.stderr.write(
          "hpo: is the API running? `npm start` starts one; --api-url or HPO_API_URL points elsewhere\n",
        );
      }
    } else if (error instanceof CliError) {
      process.stderr.write(`hpo: ${error.message}\n`);
    } else {
      process.stderr.write(
        `hpo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return code;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hpo: ${String(error)}\n`);
    process.exitCode = exitCodes.error;
  },
);
