import { parentPort } from "node:worker_threads";
import { runMoBenchJob, type MoBenchJob } from "./mo-bench-jobs.js";

/** Worker thread: runs one multi-objective job per message and posts the result back. */
const port = parentPort;
if (port === null) throw new Error("mo-bench-worker must run as a worker thread");
port.on("message", (job: MoBenchJob) => {
  port.postMessage(runMoBenchJob(job));
});
