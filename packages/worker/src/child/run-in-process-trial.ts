import type { ChildRunResult, ChildTrialHandle, ChildTrialOptions } from "./run-child-trial.js";
import { runTrainerJob } from "./run-trainer-job.js";

/**
 * Runs a trainer inside the worker's own process, behind the same handle as a child process. Only for
 * the synthetic trainer (pure arithmetic that cannot crash or leak memory), where forking and booting a
 * process per trial would cost far more than the trial itself and distort system benchmarks (the worker's
 * `--in-process` option, README "Scaling workers"). `kill` cannot stop
 * JavaScript in this process, so it aborts the trainer and settles the result at once as killed.
 */
export function startInProcessTrial(options: ChildTrialOptions): ChildTrialHandle {
  const controller = new AbortController();
  let settle: (result: ChildRunResult) => void = () => undefined;
  const result = new Promise<ChildRunResult>((resolve) => {
    let settled = false;
    settle = (value) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
  });
  runTrainerJob(options.job, {
    signal: controller.signal,
    report: (step, metrics) => options.onReport(step, metrics),
    log: (text) => options.onOutput?.(text.endsWith("\n") ? text : `${text}\n`),
  }).then(
    (outcome) => settle({ kind: "outcome", outcome }),
    (error: unknown) =>
      settle({
        kind: "error",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
  return {
    pid: process.pid,
    result,
    abort(reason: string) {
      controller.abort(new Error(reason));
    },
    kill() {
      controller.abort(new Error("killed"));
      settle({ kind: "exited", code: null, signal: "SIGKILL", stderrTail: "" });
    },
  };
}
