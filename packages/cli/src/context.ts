import type { Command } from "commander";
import { resolveConnection } from "./config/resolve-connection.js";
import { createOutput, type Output } from "./output/output.js";
import { Session } from "./session.js";

export interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  profile?: string;
  json?: boolean;
}

/** What every command gets: the process's environment and streams, and the session once it needs one. */
export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  output: Output;
  globals: GlobalOptions;
  /** Resolves the API and key (flags, environment, profile) on first use. */
  session(): Session;
}

export function contextOf(command: Command, environment: CliEnvironment): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const output = createOutput({
    json: globals.json === true,
    stdout: environment.stdout,
    stderr: environment.stderr,
    env: environment.env,
  });
  let session: Session | null = null;
  return {
    env: environment.env,
    output,
    globals,
    session() {
      session ??= new Session(
        resolveConnection(
          {
            ...(globals.apiUrl === undefined ? {} : { apiUrl: globals.apiUrl }),
            ...(globals.token === undefined ? {} : { token: globals.token }),
            ...(globals.profile === undefined ? {} : { profile: globals.profile }),
          },
          environment.env,
        ),
      );
      return session;
    },
  };
}
