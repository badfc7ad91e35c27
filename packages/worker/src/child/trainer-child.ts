/**
 * Entry point of the trial child process (forked by run-child-trial.ts). Training runs here, never in
 * the worker's own process: a crash, an out-of-memory or a hung run kills only this process, and the
 * worker's event loop stays free to renew BullMQ locks and send heartbeats. With HPO_TRIAL_CHILD_REUSE=1
 * (synthetic and tfjs trainers) the process stays after a trial and waits for the next `start` (see
 * warm-child-pool.ts); otherwise it exits after its one trial.
 */
import { runTrainerJob } from "./run-trainer-job.js";
import { parseParentMessage, type ChildMessage, type ChildTrialJob } from "@hpo/contracts";

const reuse = process.env["HPO_TRIAL_CHILD_REUSE"] === "1";
let abortController = new AbortController();
const pendingReports = new Map<number, (answer: { prune: boolean; stop: boolean }) => void>();
let nextReportId = 0;
let started = false;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function report(step: number, metrics: Record<string, number>): Promise<{ prune: boolean; stop: boolean }> {
  const id = nextReportId++;
  return new Promise((resolve) => {
    pendingReports.set(id, resolve);
    void send({ type: "report", id, step, metrics });
  });
}

async function run(job: ChildTrialJob): Promise<void> {
  try {
    const outcome = await runTrainerJob(job, {
      signal: abortController.signal,
      report,
      log: (text) => void send({ type: "log", text }),
    });
    await send({ type: "result", outcome });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await send({ type: "error", message });
  }
  if (!reuse) process.exit(0);
  // Ready for the next trial: fresh abort signal, no report of the last trial left waiting.
  abortController = new AbortController();
  pendingReports.clear();
  started = false;
}

process.on("message", (raw: unknown) => {
  const message = parseParentMessage(raw);
  if (!message) {
    process.stderr.write("[hpo] trainer process dropped a malformed message from its worker\n");
    return;
  }
  if (message.type === "start" && !started) {
    started = true;
    void run(message.job);
  } else if (message.type === "report-answer") {
    pendingReports.get(message.id)?.({ prune: message.prune, stop: message.stop });
    pendingReports.delete(message.id);
  } else if (message.type === "abort") {
    abortController.abort(new Error(message.reason));
  }
});

// The IPC channel closes when the worker dies (even by SIGKILL): abort, give a command trainer a moment
// to kill its process group, then exit, so no training run outlives its supervisor.
process.on("disconnect", () => {
  abortController.abort(new Error("worker process went away"));
  setTimeout(() => process.exit(1), 2_000).unref();
});
