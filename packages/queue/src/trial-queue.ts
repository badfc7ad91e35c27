import { parseTrialJobData, TRIAL_QUEUE_NAME, trialQueueName, type TrialJobData } from "@hpo/contracts";
import { Queue } from "bullmq";
import { Redis as IORedis, type Redis } from "ioredis";

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

/** One trial queue, by name (`trialQueueName(pool, projectId)`; the bare `trials` only in old tests). */
export function createTrialQueue(options: TrialQueueOptions, name = TRIAL_QUEUE_NAME): Queue<TrialJobData> {
  const queue = new Queue<TrialJobData>(name, {
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

/**
 * The trial queues a process writes to, opened on first use and kept: one per project and pool
 * (`trials.<pool>.<projectId>`), so no worker ever receives another project's or pool's jobs.
 */
export class TrialQueues {
  private readonly open = new Map<string, Queue<TrialJobData>>();

  constructor(private readonly options: TrialQueueOptions) {}

  /** The queue of a project's trials in a pool. */
  of(pool: string, projectId: string): Queue<TrialJobData> {
    return this.named(trialQueueName(pool, projectId));
  }

  named(name: string): Queue<TrialJobData> {
    let queue = this.open.get(name);
    if (!queue) {
      queue = createTrialQueue(this.options, name);
      this.open.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    const queues = [...this.open.values()];
    this.open.clear();
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

/**
 * The names of the trial queues that exist under a prefix (`<prefix>:trials.<pool>.<projectId>:meta`),
 * found with SCAN: for operator metrics per pool and for tests that clean up after themselves.
 */
export async function listTrialQueueNames(redis: Redis, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(
      cursor,
      "MATCH",
      `${prefix}:${TRIAL_QUEUE_NAME}.*:meta`,
      "COUNT",
      500,
    );
    cursor = next;
    for (const key of keys) names.add(key.slice(prefix.length + 1, -":meta".length));
  } while (cursor !== "0");
  return [...names].sort();
}

/** The pool a queue name belongs to (`trials.<pool>.<projectId>`), or null for another name. */
export function poolOfTrialQueue(name: string): string | null {
  const match = /^trials\.([a-z0-9][a-z0-9_-]*)\./.exec(name);
  return match?.[1] ?? null;
}

/** Removes every trial queue under a prefix (tests' cleanup). */
export async function obliterateTrialQueues(options: TrialQueueOptions): Promise<void> {
  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    for (const name of [...(await listTrialQueueNames(redis, prefix)), TRIAL_QUEUE_NAME]) {
      const queue = createTrialQueue(options, name);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  } finally {
    redis.disconnect();
  }
}
