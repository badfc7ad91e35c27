import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandTrainerSpec, TrainerContext, TrainerOutcome } from "../trainer-types.js";
import { buildCommandInvocation } from "./command-invocation.js";
import { createLineSplitter } from "./line-splitter.js";
import { parseProtocolLine } from "./protocol-line.js";

export interface CommandTrainerOptions {
  /** Time between SIGTERM and SIGKILL when a run is pruned, stopped or times out. */
  killGraceMs?: number;
  /**
   * Grace after the worker aborts the trial (its AbortSignal). Shorter than killGraceMs because the worker
   * kills this process after its own grace, and a detached group outlives its parent.
   */
  abortGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 10_000;
const DEFAULT_ABORT_GRACE_MS = 2_000;
const STDERR_TAIL_LINES = 20;

type Ending = { kind: "pruned" } | { kind: "stopped"; reason: string } | { kind: "timeout"; seconds: number };

/**
 * Runs any training program as a trial (see packages/trainer/README.md for the protocol). The program runs
 * in its own process group (detached spawn) so that pruning, stopping or a timeout can end it together with
 * every process it started (data loaders, torchrun workers): SIGTERM to -pid, then SIGKILL after a grace.
 */
export async function runCommandTrainer(
  spec: CommandTrainerSpec,
  ctx: TrainerContext,
  options: CommandTrainerOptions = {},
): Promise<TrainerOutcome> {
  const folder = await mkdtemp(join(tmpdir(), "hpo-trial-"));
  const paramsFile = join(folder, "params.json");
  try {
    await writeFile(paramsFile, `${JSON.stringify(ctx.params, null, 2)}\n`);
    const invocation = buildCommandInvocation(spec, ctx, paramsFile);
    const wanted = spec.gpusPerTrial;
    if (wanted > ctx.gpuIds.length) {
      ctx.log(
        `[hpo] trainer.gpusPerTrial is ${wanted} but this worker pinned ${ctx.gpuIds.length === 0 ? "no GPU" : `only GPU ${ctx.gpuIds.join(",")}`}\n`,
      );
    }
    return await superviseProcess(spec, ctx, invocation, {
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      abortGraceMs: options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS,
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function superviseProcess(
  spec: CommandTrainerSpec,
  ctx: TrainerContext,
  invocation: ReturnType<typeof buildCommandInvocation>,
  grace: { killGraceMs: number; abortGraceMs: number },
): Promise<TrainerOutcome> {
  return new Promise<TrainerOutcome>((resolve) => {
    const child = spawn(invocation.file, invocation.args, {
      cwd: spec.cwd,
      env: invocation.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lastReport: Record<string, number> = {};
    let result: Record<string, number> | undefined;
    let device: string | undefined;
    let ending: Ending | undefined;
    let reportChain: Promise<void> = Promise.resolve();
    let nextStep = 0;
    const stderrTail: string[] = [];
    const timers: NodeJS.Timeout[] = [];
    let spawnError: Error | undefined;

    const signalGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const terminate = (why: Ending, graceMs = grace.killGraceMs): void => {
      if (ending) return;
      ending = why;
      signalGroup("SIGTERM");
      timers.push(setTimeout(() => signalGroup("SIGKILL"), graceMs));
    };
    // If this process exits first (the worker went away), take the program's whole group with it.
    const killOnExit = (): void => signalGroup("SIGKILL");
    process.once("exit", killOnExit);

    const onStdoutLine = (line: string): void => {
      const parsed = parseProtocolLine(line);
      if (!parsed) {
        ctx.log(`${line}\n`);
        return;
      }
      if (parsed.kind === "invalid") {
        ctx.log(`[hpo] ignored: ${parsed.reason}\n`);
        return;
      }
      device = parsed.device ?? device;
      if (parsed.kind === "result") {
        result = parsed.metrics;
        return;
      }
      const step = parsed.step ?? nextStep;
      nextStep = step + 1;
      lastReport = parsed.metrics;
      const metrics = parsed.metrics;
      // Reports go to the API one at a time, in order; the program keeps running meanwhile.
      reportChain = reportChain.then(async () => {
        if (ending) return;
        try {
          const answer = await ctx.report(step, metrics);
          if (answer.stop)
            terminate({ kind: "stopped", reason: `stopped by the scheduler after step ${step}` });
          else if (answer.prune) terminate({ kind: "pruned" });
        } catch (error) {
          ctx.log(
            `[hpo] report of step ${step} failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        }
      });
    };
    const stdout = createLineSplitter(onStdoutLine);
    const stderr = createLineSplitter((line) => {
      ctx.log(`${line}\n`);
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));

    const timeoutSeconds = spec.timeoutSeconds;
    timers.push(
      setTimeout(() => terminate({ kind: "timeout", seconds: timeoutSeconds }), timeoutSeconds * 1000),
    );
    const onAbort = (): void =>
      terminate({ kind: "stopped", reason: "stopped: the trial was cancelled" }, grace.abortGraceMs);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener("abort", onAbort, { once: true });

    child.on("error", (error) => {
      spawnError = error;
    });
    // The program is done; anything it left running in its group (a stray data loader) goes too, so the
    // pipes close and no process outlives the trial.
    child.on("exit", () => signalGroup("SIGTERM"));
    child.on("close", (code, signal) => {
      stdout.end();
      stderr.end();
      for (const timer of timers) clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort);
      process.removeListener("exit", killOnExit);
      void reportChain.then(() => {
        resolve(
          decideOutcome({
            ctx,
            file: invocation.file,
            code,
            signal,
            ending,
            spawnError,
            result,
            lastReport,
            stderrTail,
            backend: device === undefined ? "command" : `command:${device}`,
          }),
        );
      });
    });
  });
}

function decideOutcome(run: {
  ctx: TrainerContext;
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ending: Ending | undefined;
  spawnError: Error | undefined;
  result: Record<string, number> | undefined;
  lastReport: Record<string, number>;
  stderrTail: string[];
  backend: string;
}): TrainerOutcome {
  const { ctx, backend, ending } = run;
  const metrics = run.result ?? run.lastReport;
  const value = metrics[ctx.objectiveMetric];
  const withValue = value === undefined ? {} : { value };
  if (run.spawnError) {
    return {
      state: "failed",
      metrics: {},
      backend,
      error: `could not start ${run.file}: ${run.spawnError.message}`,
    };
  }
  if (ending?.kind === "pruned") return { state: "pruned", metrics, backend, ...withValue };
  if (ending?.kind === "stopped") return { state: "failed", metrics, backend, error: ending.reason };
  if (ending?.kind === "timeout") {
    return {
      state: "failed",
      metrics,
      backend,
      error: `timed out after ${ending.seconds} s (trainer.timeoutSeconds)`,
    };
  }
  if (run.code !== 0) {
    const how =
      run.code === null ? `was killed by ${run.signal ?? "a signal"}` : `exited with code ${run.code}`;
    const tail = run.stderrTail.filter((line) => line.trim() !== "").join("\n");
    return { state: "failed", metrics, backend, error: `${run.file} ${how}${tail ? `:\n${tail}` : ""}` };
  }
  if (Object.keys(metrics).length === 0) {
    return {
      state: "failed",
      metrics,
      backend,
      error: `${run.file} exited 0 without printing HPO_RESULT or HPO_REPORT`,
    };
  }
  if (value === undefined) {
    return {
      state: "failed",
      metrics,
      backend,
      error: `objective metric "${ctx.objectiveMetric}" missing from the program's ${run.result ? "HPO_RESULT" : "last HPO_REPORT"} (it has ${Object.keys(metrics).join(", ")})`,
    };
  }
  return { state: "complete", metrics, value, backend };
}
