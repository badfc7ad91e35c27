import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../e2e/support/service-process.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliResult>;
}

/** A config file of its own for each test, so no test reads or writes ~/.config/hpo. */
export function privateConfigPath(): string {
  return join(mkdtempSync(join(tmpdir(), "hpo-cli-config-")), "config.json");
}

/**
 * Starts the real `hpo` (packages/cli/bin/hpo.js, as `npx hpo` runs it) as a process with only the given
 * environment besides PATH and HOME.
 */
export function startCli(args: string[], env: Record<string, string>, cwd = repoRoot): RunningCli {
  const child = spawn(process.execPath, [join(repoRoot, "packages/cli/bin/hpo.js"), ...args], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<CliResult>((resolve) => {
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export async function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<CliResult> {
  const running = startCli(args, env);
  const timer = setTimeout(() => running.child.kill("SIGKILL"), timeoutMs);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Parses stdout as JSON, with the whole result in the message when it is not. */
export function jsonOf(result: CliResult): unknown {
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new Error(
      `not JSON (exit ${String(result.code)}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}
