import { parseTrialJobData, TRIAL_QUEUE_NAME, type TrialJobData } from "@hpo/contracts";
import { Queue } from "bullmq";

export const DEFAULT_QUEUE_PREFIX = "hpo";

export interface TrialQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (env HPO_QUEUE_PREFIX); tests use a unique one each. */
  prefix?: string;
}

/**
 * Job ids are `trial-<uuid>`: BullMQ rejects ids containing `:` and ids made of digits only
 * (docs guide/jobs/job-ids.md), and a custom id makes a duplicate add a no-op.
 */
export function trialJobId(trialId: string): string {
  return `trial-${trialId}`;
}

export function createTrialQueue(options: TrialQueueOptions): Queue<TrialJobData> {
  const queue = new Queue<TrialJobData>(TRIAL_QUEUE_NAME, {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    defaultJobOptions: trialJobOptions(),
  });
  // An unhandled 'error' event would crash the process on a Redis hiccup; ioredis reconnects by itself.
  queue.on("error", () => undefined);
  return queue;
}

/**
 * attempts: 1 because Postgres decides retries (a retried point is a new trial, a new job); BullMQ
 * must never run a trial a second time behind Postgres's back.
 * Finished jobs are removed so a re-enqueue of the same trial id is never swallowed by a stale
 * completed job (bullmq #1662); the reconciler also checks job states, not only existence.
 */
function trialJobOptions() {
  return { attempts: 1, removeOnComplete: true, removeOnFail: true } as const;
}

/** Adds the trial's job; a second add for the same trial while its job is live is a no-op. */
export async function enqueueTrialJob(queue: Queue<TrialJobData>, data: TrialJobData): Promise<void> {
  await queue.add("trial", data, { ...trialJobOptions(), jobId: trialJobId(data.trialId) });
}

/** Job states in which a worker will still pick the job up (or already holds it). */
const LIVE_JOB_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * Makes sure a `queued` trial has a live job: adds one when the job is missing, and replaces a job
 * that is stuck in a finished state (which would otherwise swallow the add, bullmq #1662).
 * Returns true when a job was (re)added.
 */
export async function ensureTrialJob(queue: Queue<TrialJobData>, data: TrialJobData): Promise<boolean> {
  const jobId = trialJobId(data.trialId);
  const state = await queue.getJobState(jobId);
  if (LIVE_JOB_STATES.has(state)) return false;
  if (state !== "unknown") await queue.remove(jobId);
  await enqueueTrialJob(queue, data);
  return true;
}

/** Removes a trial's job if it is still waiting for a worker (an active job is left to its worker). */
export async function removeWaitingTrialJob(queue: Queue<TrialJobData>, trialId: string): Promise<boolean> {
  const jobId = trialJobId(trialId);
  const state = await queue.getJobState(jobId);
  if (state !== "waiting" && state !== "delayed" && state !== "prioritized") return false;
  return (await queue.remove(jobId)) === 1;
}

/** Jobs not yet taken by a worker, to drop those whose trial Postgres already finished. */
export async function listPendingTrialJobs(
  queue: Queue<TrialJobData>,
  limit: number,
): Promise<TrialJobData[]> {
  const jobs = await queue.getJobs(["waiting", "delayed", "prioritized"], 0, limit - 1);
  const out: TrialJobData[] = [];
  for (const job of jobs) {
    const data = parseTrialJobData(job.data);
    if (data) out.push(data);
  }
  return out;
}
