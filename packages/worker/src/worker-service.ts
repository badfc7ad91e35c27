import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { DelayedError, Worker, type Job } from "bullmq";
import { HpoError } from "@hpo/core";
import {
  DEFAULT_POOL,
  parseTrialJobData,
  unmetRequirement,
  type TrialJobData,
  type WorkerRegistrationReply,
} from "@hpo/contracts";
import { DEFAULT_QUEUE_PREFIX, type Logger } from "@hpo/queue";
import type { WorkerApiClient } from "./api/worker-api-client.js";
import { GpuAllocator } from "./gpu/gpu-allocator.js";
import { prepareCheckpointRoot, type ProjectIsolation } from "./child/project-isolation.js";
import type { WorkerBackend } from "./options/parse-worker-args.js";
import { executeTrialJob, type RunningTrialControl, type TrialJobResult } from "./trial/execute-trial-job.js";

export interface WorkerServiceOptions {
  api: WorkerApiClient;
  redisUrl: string;
  queuePrefix?: string;
  workerId?: string;
  gpuIds: readonly string[];
  trialsPerGpu: number;
  /**
   * Each GPU's memory by id (nvidia-smi or `--gpu-memory-gb`): trials that state a smaller
   * resources.gpuMemoryGb then share a GPU while their memory fits (gpu/choose-gpus.ts).
   */
  gpuMemoryGb?: Readonly<Record<string, number>>;
  /** Parallel trials; default: one per GPU slot, or 1 on a CPU machine. */
  concurrency?: number;
  backend: WorkerBackend;
  /** The backend shown in GET /v1/workers (detected tfjs backend, or the requested one). */
  backendLabel?: string;
  heartbeatIntervalMs: number;
  registerIntervalMs: number;
  killGraceMs: number;
  trialTimeoutMs?: number;
  logFlushIntervalMs?: number;
  /** Shared storage under which each trial gets its checkpoint directory (HPO_CHECKPOINT_DIR). */
  checkpointRoot?: string;
  /** `--isolate-projects`: each project's trial processes run as its own uid (child/project-isolation.ts). */
  isolation?: ProjectIsolation;
  /** Run synthetic trials in the worker process (no per-trial fork); other trainers always get a child. */
  syntheticInProcess?: boolean;
  version?: string;
  /** What this worker offers beyond its GPUs: pool, GPU model and memory, backends, trainers, labels. */
  offer?: WorkerOfferOptions;
  /** How long a job this worker cannot serve waits before a worker looks at it again. */
  handBackDelayMs?: { unfit: number; busy: number };
  logger: Logger;
  /** Called after each job, for tests and metrics. */
  onJobDone?(trialId: string, result: TrialJobResult | "error"): void;
}

export interface WorkerOfferOptions {
  pool?: string;
  gpuModel?: string;
  gpuMemoryGb?: number;
  backends?: string[];
  trainers?: string[];
  labels?: Record<string, string>;
}

export interface WorkerService {
  readonly id: string;
  readonly slots: number;
  /** The BullMQ queues it consumes, as the API assigned them at registration. */
  readonly queues: readonly string[];
  /** Stops taking jobs; running trials get `graceMs` to finish, then are handed back. Resolves when idle. */
  shutdown(graceMs: number): Promise<{ released: number }>;
}

/**
 * A worker: registers with the API, takes trial jobs from BullMQ (one per free slot) and runs each in
 * its own child process. BullMQ only delivers; the API (Postgres) decides whether the trial may run.
 */
export async function startWorkerService(options: WorkerServiceOptions): Promise<WorkerService> {
  const id = options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const gpus = new GpuAllocator(options.gpuIds, options.trialsPerGpu, options.gpuMemoryGb);
  const slots = options.concurrency ?? Math.max(1, options.gpuIds.length * options.trialsPerGpu);
  const running = new Map<string, RunningTrialControl>();
  const logger = options.logger;

  const offer = options.offer ?? {};
  const pool = offer.pool ?? DEFAULT_POOL;
  const matchable = { ...offer, pool, gpus: options.gpuIds };
  const register = () =>
    options.api.registerWorker({
      id,
      host: hostname(),
      gpus: [...options.gpuIds],
      backend: options.backendLabel ?? options.backend,
      slots,
      ...(options.version ? { version: options.version } : {}),
      ...offer,
      pool,
    });
  if (options.isolation && options.checkpointRoot !== undefined)
    await prepareCheckpointRoot(options.checkpointRoot);
  const registration = await registerUntilAccepted(register, logger);
  const registerTimer = setInterval(() => {
    register().then(
      (reply) => consume(reply.queues),
      (error: unknown) => logger.warn("worker registration failed", { error: String(error) }),
    );
  }, options.registerIntervalMs);

  const delays = options.handBackDelayMs ?? { unfit: 5_000, busy: 500 };
  /** Puts a job this worker will not run back on its queue, unclaimed (BullMQ's manual delay). */
  const handBack = async (job: Job, token: string | undefined, delayMs: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  };
  // A fleet worker consumes several queues, each with `slots` concurrency: one count of busy slots
  // across them all keeps it to `slots` trials; a job fetched beyond that goes straight back.
  let busy = 0;
  const runJob = async (job: Job, token: string | undefined) => {
    if (busy >= slots) return handBack(job, token, delays.busy);
    busy++;
    try {
      return await runSlot(job, token);
    } finally {
      busy--;
    }
  };
  const runSlot = async (job: Job, token: string | undefined) => {
    const data: TrialJobData | null = parseTrialJobData(job.data);
    if (!data) {
      logger.warn("malformed job dropped", { jobId: job.id });
      return "dropped";
    }
    // Checked before claiming: a job whose needs this worker lacks is never claimed, only handed back.
    const unmet = data.requirements ? unmetRequirement(matchable, data.requirements) : null;
    if (unmet !== null) {
      logger.debug("job needs what this worker lacks; handing it back", { trialId: data.trialId, unmet });
      return handBack(job, token, delays.unfit);
    }
    try {
      const result = await executeTrialJob(data, {
        api: options.api,
        workerId: id,
        backend: options.backend,
        gpus,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        killGraceMs: options.killGraceMs,
        ...(options.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: options.trialTimeoutMs }),
        logFlushIntervalMs: options.logFlushIntervalMs ?? 1_000,
        syntheticInProcess: options.syntheticInProcess ?? false,
        ...(options.checkpointRoot === undefined ? {} : { checkpointRoot: options.checkpointRoot }),
        ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
        logger,
        track(trialId, control) {
          running.set(trialId, control);
          // A claim that was in flight when the grace period ran out is handed back at once.
          if (handingBack) control.release("worker shutting down");
          return () => running.delete(trialId);
        },
      });
      if (result === "busy" || result === "unfit") {
        return await handBack(job, token, result === "busy" ? delays.busy : delays.unfit);
      }
      options.onJobDone?.(data.trialId, result);
      return result;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      options.onJobDone?.(data.trialId, "error");
      logger.error("trial job failed", { trialId: data.trialId, error: String(error) });
      throw error instanceof Error ? error : new Error(String(error));
    }
  };

  // One BullMQ consumer per assigned queue (a project key gets exactly one: its project's queue in its
  // pool; a fleet key one per member project of its pool), so jobs it may not claim never reach it.
  // Each re-registration may add or remove queues (a project joined or left the fleet).
  const consumers = new Map<string, Worker>();
  const consume = (queues: readonly string[]) => {
    if (shuttingDown) return;
    for (const [name, worker] of consumers) {
      if (queues.includes(name)) continue;
      consumers.delete(name);
      void worker.close().catch(() => undefined);
    }
    for (const name of queues) if (!consumers.has(name)) consumers.set(name, consumerOf(name));
  };
  const consumerOf = (queueName: string) => {
    const worker = new Worker(queueName, runJob, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.queuePrefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: slots,
      // A stalled job is never re-run by BullMQ: the trial's lease and the scheduler's reconciler
      // (heartbeat grace) decide about retries, from Postgres (docs/design.md, invariant 1).
      maxStalledCount: 0,
    });
    worker.on("error", (error) => logger.warn("queue connection error", { error: error.message }));
    return worker;
  };
  let shuttingDown: Promise<{ released: number }> | null = null;
  let handingBack = false;
  consume(registration.queues);
  const queues = registration.queues;
  logger.info("worker started", { id, slots, gpus: options.gpuIds, backend: options.backend, pool, queues });

  return {
    id,
    slots,
    get queues() {
      return [...consumers.keys()];
    },
    shutdown(graceMs: number) {
      shuttingDown ??= (async () => {
        clearInterval(registerTimer);
        // close() stops fetching at once and resolves when the active jobs are done.
        const closed = Promise.all([...consumers.values()].map((worker) => worker.close()));
        let released = 0;
        const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
        await Promise.race([closed, grace]);
        handingBack = true;
        for (const [trialId, control] of running) {
          logger.info("grace period over, handing trial back", { trialId });
          control.release("worker shutting down");
          released++;
        }
        await closed;
        return { released };
      })();
      return shuttingDown;
    },
  };
}

/**
 * A worker is useless until the API answers, so the first registration is retried (with a growing pause)
 * instead of crashing a worker that was started before the API; a rejected key (401/403) fails at once.
 */
async function registerUntilAccepted(
  register: () => Promise<WorkerRegistrationReply>,
  logger: Logger,
): Promise<WorkerRegistrationReply> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await register();
    } catch (error) {
      if (error instanceof HpoError && (error.status === 401 || error.status === 403)) throw error;
      logger.warn("API not reachable yet; retrying registration", { error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * 2 ** attempt)));
    }
  }
}
