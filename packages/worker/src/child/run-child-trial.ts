import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { trialProcessEnv } from "./trial-env.js";
import {
  parseChildMessage,
  type TrainerOutcome,
  type ChildTrialJob,
  type ParentMessage,
} from "@hpo/contracts";
import { WarmChildPool } from "./warm-child-pool.js";

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
  /** Run the child as this uid and gid (--isolate-projects); such a child is never reused. */
  identity?: { uid: number; gid: number };
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

/**
 * Trainers whose processes may run another trial after a clean end: they run in-process JavaScript that
 * the worker ships (synthetic arithmetic, tfjs models disposed per trial). The command trainer runs the
 * user's own program and keeps a fresh process per trial.
 */
const reusableTrainers = new Set(["synthetic", "tfjs"]);

/** Warm processes per kind; tfjs retires sooner, as backend and tensor memory are process-wide. */
export const warmChildPool = new WarmChildPool({
  maxIdlePerKey: 16,
  maxTrialsPerProcess: 500,
  idleMs: 60_000,
});
const maxTfjsTrialsPerProcess = 20;

function spawnTrainerChild(
  env: Record<string, string> | undefined,
  reusable: boolean,
  identity: ChildTrialOptions["identity"],
): ChildProcess {
  const entry = childEntry();
  return fork(entry.path, [], {
    execArgv: entry.execArgv,
    ...(identity === undefined ? {} : { uid: identity.uid, gid: identity.gid }),
    // An allow-list of the worker's environment: its key and Redis never reach a trial (trial-env.ts).
    env: { ...trialProcessEnv(process.env, env), ...(reusable ? { HPO_TRIAL_CHILD_REUSE: "1" } : {}) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
}

export function startChildTrial(options: ChildTrialOptions): ChildTrialHandle {
  const trainerType = options.job.trainer.type;
  const reusable = reusableTrainers.has(trainerType) && options.identity === undefined;
  const key = `${trainerType}|${options.job.backend}|${JSON.stringify(options.env ?? {})}`;
  const warm = reusable ? warmChildPool.take(key) : null;
  const child: ChildProcess = warm?.child ?? spawnTrainerChild(options.env, reusable, options.identity);
  const trialsBefore = warm?.trials ?? 0;
  const maxTrials = trainerType === "tfjs" ? maxTfjsTrialsPerProcess : Number.POSITIVE_INFINITY;
  let stderrTail = "";
  const onStdout = (text: string) => options.onOutput?.(text);
  const onStderr = (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
    options.onOutput?.(text);
  };
  child.stdout?.setEncoding("utf8").on("data", onStdout);
  child.stderr?.setEncoding("utf8").on("data", onStderr);

  let settled: ChildRunResult | null = null;
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const result = new Promise<ChildRunResult>((resolve) => {
    const detach = () => {
      child.stdout?.off("data", onStdout);
      child.stderr?.off("data", onStderr);
      child.off("message", onMessage);
      child.off("error", onError);
      child.off("exit", onExit);
    };
    const settle = (value: ChildRunResult) => {
      if (settled) return;
      settled = value;
      clearTimeout(killTimer);
      resolve(value);
      // Only a process that ended its trial cleanly, never aborted or killed, runs another one.
      const clean = value.kind === "outcome" && !interrupted;
      if (reusable && clean && trialsBefore + 1 < maxTrials) {
        detach();
        warmChildPool.give(key, child, trialsBefore + 1);
        return;
      }
      if (reusable) {
        detach();
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        return;
      }
      // A fresh child that sent its result exits by itself; make sure it does.
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, 5_000).unref();
    };
    function onMessage(raw: unknown): void {
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
    }
    function onError(error: Error): void {
      settle({ kind: "error", message: `trainer process error: ${error.message}` });
    }
    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      clearTimeout(killTimer);
      // Give a result that raced the exit a moment to be delivered first.
      setImmediate(() => settle({ kind: "exited", code, signal, stderrTail }));
    }
    child.on("message", onMessage);
    child.on("error", onError);
    child.on("exit", onExit);
  });

  function sendToChild(message: ParentMessage): void {
    if (settled === null && child.connected) child.send(message, () => undefined);
  }

  sendToChild({ type: "start", job: options.job });

  return {
    pid: child.pid,
    result,
    // Once settled the handle lets go of its process: a warm one may already run another trial, which a
    // late kill (the prune grace timer of execute-trial-job) must never reach.
    abort(reason: string) {
      if (settled !== null) return;
      interrupted = true;
      sendToChild({ type: "abort", reason });
      if (killTimer === undefined && settled === null && child.exitCode === null) {
        killTimer = setTimeout(() => child.kill("SIGKILL"), options.killGraceMs ?? 3_000);
      }
    },
    kill() {
      if (settled !== null) return;
      interrupted = true;
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
