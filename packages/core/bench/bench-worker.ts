import { parentPort } from "node:worker_threads";
import { runBenchJob, type BenchJob } from "./bench-jobs.js";

/** Worker thread: runs one job per message and posts the result back. */
const port = parentPort;
if (port === null) throw new Error("bench-worker must run as a worker thread");
port.on("message", (job: BenchJob) => {
  port.postMessage(runBenchJob(job));
});
