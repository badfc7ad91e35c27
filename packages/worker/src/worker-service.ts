import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Worker } from "bullmq";
import { HpoError } from "@hpo/core";
import { TRIAL_QUEUE_NAME, parseTrialJobData } from "@hpo/contracts";
import { DEFAULT_QUEUE_PREFIX, type Logger } from "@hpo/queue";
import type { WorkerApiClient } from "./api/worker-api-client.js";
import { GpuAllocator } from "./gpu/gpu-allocator.js";
import type { WorkerBackend } from "./options/parse-worker-args.js";
import { executeTrialJob, type RunningTrialControl, type TrialJobResult } from "./trial/execute-trial-job.js";

export interface WorkerServiceOptions {
  api: WorkerApiClient;
  redisUrl: string;
  queuePrefix?: string;
  workerId?: string;
  gpuIds: readonly string[];
  trialsPerGpu: number;
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
  /** Run synthetic trials in the worker process (no per-trial fork); other trainers always get a child. */
  syntheticInProcess?: boolean;
  version?: string;
  logger: Logger;
  /** Called after each job, for tests and metrics. */
  onJobDone?(trialId: string, result: TrialJobResult | "error"): void;
}

export interface WorkerService {
  readonly id: string;
  readonly slots: number;
  /** Stops taking jobs; running trials get `graceMs` to finish, then are handed back. Resolves when idle. */
  shutdown(graceMs: number): Promise<{ released: number }>;
}

/**
 * A worker: registers with the API, takes trial jobs from BullMQ (one per free slot) and runs each in
 * its own child process. BullMQ only delivers; the API (Postgres) decides whether the trial may run.
 */
export async function startWorkerService(options: WorkerServiceOptions): Promise<WorkerService> {
  const id = options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const gpus = new GpuAllocator(options.gpuIds, options.trialsPerGpu);
  const slots = options.concurrency ?? Math.max(1, options.gpuIds.length * options.trialsPerGpu);
  const running = new Map<string, RunningTrialControl>();
  const logger = options.logger;

  const register = () =>
    options.api.registerWorker({
      id,
      host: hostname(),
      gpus: [...options.gpuIds],
      backend: options.backendLabel ?? options.backend,
      slots,
      ...(options.version ? { version: options.version } : {}),
    });
  await registerUntilAccepted(register, logger);
  const registerTimer = setInterval(() => {
    register().catch((error: unknown) => logger.warn("worker registration failed", { error: String(error) }));
  }, options.registerIntervalMs);

  const worker = new Worker(
    TRIAL_QUEUE_NAME,
    async (job) => {
      const data = parseTrialJobData(job.data);
      if (!data) {
        logger.warn("malformed job dropped", { jobId: job.id });
        return "dropped";
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
          logger,
          track(trialId, control) {
            running.set(trialId, control);
            // A claim that was in flight when the grace period ran out is handed back at once.
            if (handingBack) control.release("worker shutting down");
            return () => running.delete(trialId);
          },
        });
        options.onJobDone?.(data.trialId, result);
        return result;
      } catch (error) {
        options.onJobDone?.(data.trialId, "error");
        logger.error("trial job failed", { trialId: data.trialId, error: String(error) });
        throw error instanceof Error ? error : new Error(String(error));
      }
    },
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.queuePrefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: slots,
      // A stalled job is never re-run by BullMQ: the trial's lease and the scheduler's reconciler
      // (heartbeat grace) decide about retries, from Postgres (docs/design.md, invariant 1).
      maxStalledCount: 0,
    },
  );
  worker.on("error", (error) => logger.warn("queue connection error", { error: error.message }));
  logger.info("worker started", { id, slots, gpus: options.gpuIds, backend: options.backend });

  let shuttingDown: Promise<{ released: number }> | null = null;
  let handingBack = false;
  return {
    id,
    slots,
    shutdown(graceMs: number) {
      shuttingDown ??= (async () => {
        clearInterval(registerTimer);
        // close() stops fetching at once and resolves when the active jobs are done.
        const closed = worker.close();
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
async function registerUntilAccepted(register: () => Promise<void>, logger: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await register();
      return;
    } catch (error) {
      if (error instanceof HpoError && (error.status === 401 || error.status === 403)) throw error;
      logger.warn("API not reachable yet; retrying registration", { error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * 2 ** attempt)));
    }
  }
}
