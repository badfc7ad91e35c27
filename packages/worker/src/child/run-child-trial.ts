import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { trialProcessEnv } from "./trial-env.js";
import {
  parseChildMessage,
  type TrainerOutcome,
  type ChildTrialJob,
  type ParentMessage,
} from "@hpo/contracts";

export type ChildRunResult =
  | { kind: "outcome"; outcome: TrainerOutcome }
  /** The trainer threw (or was aborted): its error text. */
  | { kind: "error"; message: string }
  /** The process died without a result: crash, out-of-memory, SIGKILL. */
  | { kind: "exited"; code: number | null; signal: string | null; stderrTail: string };

export interface ChildTrialOptions {
  job: ChildTrialJob;
  /** Extra environment for the child (CUDA_VISIBLE_DEVICES pinning). */
  env?: Record<string, string>;
  onReport(step: number, metrics: Record<string, number>): Promise<{ prune: boolean; stop: boolean }>;
  /** The child's stdout, stderr and trainer log lines, for the trial's log. */
  onOutput?(text: string): void;
  /** After an abort, how long the trainer may take to wind down before SIGKILL. */
  killGraceMs?: number;
}

export interface ChildTrialHandle {
  readonly pid: number | undefined;
  readonly result: Promise<ChildRunResult>;
  /** Asks the trainer to stop (its AbortSignal fires), then SIGKILLs it after the grace period. */
  abort(reason: string): void;
  /** SIGKILL now. */
  kill(): void;
}

const STDERR_TAIL_CHARS = 4_000;

/**
 * The child entry sits next to this file: `.ts` when running from sources (tsx), `.js` once built.
 * Running from sources, the child needs the tsx loader and the `source` export condition too.
 */
function childEntry(): { path: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(new URL(`./trainer-child.${fromSources ? "ts" : "js"}`, import.meta.url));
  if (!fromSources) return { path, execArgv: [] };
  let tsx = "tsx";
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    // Fall back to resolving "tsx" from the working directory.
  }
  return { path, execArgv: ["--import", tsx, "--conditions=source"] };
}

export function startChildTrial(options: ChildTrialOptions): ChildTrialHandle {
  const entry = childEntry();
  const child: ChildProcess = fork(entry.path, [], {
    execArgv: entry.execArgv,
    // An allow-list of the worker's environment: its key and Redis never reach a trial (trial-env.ts).
    env: trialProcessEnv(process.env, options.env),
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let stderrTail = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => options.onOutput?.(text));
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
    options.onOutput?.(text);
  });

  let settled: ChildRunResult | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const result = new Promise<ChildRunResult>((resolve) => {
    const settle = (value: ChildRunResult) => {
      if (settled) return;
      settled = value;
      resolve(value);
      // A child that sent its result exits by itself; make sure it does.
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, 5_000).unref();
    };
    child.on("message", (raw: unknown) => {
      const message = parseChildMessage(raw);
      if (!message) {
        // The child runs trainer code: a message that does not parse is reported in the trial's log, never cast.
        options.onOutput?.(`[hpo] dropped a malformed message from the trainer process: ${preview(raw)}\n`);
        return;
      }
      if (message.type === "report") {
        options.onReport(message.step, message.metrics).then(
          (answer) => sendToChild({ type: "report-answer", id: message.id, ...answer }),
          () => sendToChild({ type: "report-answer", id: message.id, prune: false, stop: false }),
        );
      } else if (message.type === "log") {
        options.onOutput?.(message.text.endsWith("\n") ? message.text : `${message.text}\n`);
      } else if (message.type === "result") {
        settle({ kind: "outcome", outcome: message.outcome });
      } else {
        settle({ kind: "error", message: message.message });
      }
    });
    child.on("error", (error) =>
      settle({ kind: "error", message: `trainer process error: ${error.message}` }),
    );
    child.on("exit", (code, signal) => {
      clearTimeout(killTimer);
      // Give a result that raced the exit a moment to be delivered first.
      setImmediate(() => settle({ kind: "exited", code, signal, stderrTail }));
    });
  });

  function sendToChild(message: ParentMessage): void {
    if (child.connected) child.send(message, () => undefined);
  }

  sendToChild({ type: "start", job: options.job });

  return {
    pid: child.pid,
    result,
    abort(reason: string) {
      sendToChild({ type: "abort", reason });
      if (killTimer === undefined && child.exitCode === null) {
        killTimer = setTimeout(() => child.kill("SIGKILL"), options.killGraceMs ?? 3_000);
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** One line saying how a child that left no result ended, for the trial's error text. */
export function describeChildExit(result: {
  code: number | null;
  signal: string | null;
  stderrTail: string;
}): string {
  const how = result.signal
    ? `was killed by ${result.signal}`
    : `exited with code ${result.code ?? "unknown"}`;
  const tail = result.stderrTail.trim().split("\n").slice(-10).join("\n");
  const oom = /heap out of memory|ENOMEM|Killed/i.test(tail) ? " (out of memory)" : "";
  return `trainer process ${how}${oom} before reporting a result${tail ? `:\n${tail}` : ""}`;
}
