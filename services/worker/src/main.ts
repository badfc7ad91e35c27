/**
 * The worker service: `npm run worker -- --concurrency N --gpus auto|none|0,1 --backend auto|gpu|node|wasm|cpu
 * [--in-process]`.
 * Needs REDIS_URL, HPO_API_URL and HPO_TOKEN (a worker key). SIGTERM: stop taking jobs, let running
 * trials finish within HPO_SHUTDOWN_GRACE_MS, hand the rest back, exit 0.
 */
import { createLogger } from "@hpo/queue";
import {
  canSwitchUsers,
  createWorkerApiClient,
  parseWorkerArgs,
  detectGpus,
  resolveGpus,
  startWorkerService,
  wantsHelp,
  workerUsage,
  type WorkerBackend,
} from "@hpo/worker";
import { parseWorkerEnv } from "./env.js";

/** The tfjs backend this machine would use, for GET /v1/workers; the requested one when not auto. */
async function describeBackend(backend: WorkerBackend): Promise<string> {
  if (backend !== "auto") return backend;
  try {
    const { detectTfjsBackends } = await import("@hpo/trainer");
    const available = await detectTfjsBackends();
    return available[0] ?? "cpu";
  } catch {
    return "auto";
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((arg) => arg !== "--");
  if (wantsHelp(argv)) {
    process.stdout.write(workerUsage);
    return;
  }
  const env = parseWorkerEnv(process.env);
  const args = parseWorkerArgs(argv);
  const logger = createLogger("worker", env.LOG_LEVEL, env.LOG_FORMAT);
  if (args.isolateProjects && !(await canSwitchUsers())) {
    throw new Error("--isolate-projects needs root, or CAP_SETUID, CAP_SETGID and CAP_CHOWN");
  }
  const detected = args.gpus.mode === "none" ? [] : await detectGpus();
  const gpuIds = await resolveGpus(args.gpus, () => Promise.resolve(detected));
  const used = detected.filter((gpu) => gpuIds.includes(gpu.id));
  // Each GPU's memory in GB (one decimal, as offered): `--gpu-memory-gb` for all, else what nvidia-smi says.
  const gpuMemoryGb: Record<string, number> = {};
  for (const id of gpuIds) {
    const memoryMiB = used.find((gpu) => gpu.id === id)?.memoryMiB ?? 0;
    const gb = args.gpuMemoryGb ?? Math.round((memoryMiB / 1024) * 10) / 10;
    if (gb > 0) gpuMemoryGb[id] = gb;
  }
  // The smallest GPU decides what memory this worker can promise a trial.
  const memories = Object.values(gpuMemoryGb);
  const offeredGb = memories.length > 0 ? Math.min(...memories) : 0;
  const service = await startWorkerService({
    api: createWorkerApiClient({ baseUrl: env.HPO_API_URL, token: env.HPO_TOKEN }),
    redisUrl: env.REDIS_URL,
    queuePrefix: env.HPO_QUEUE_PREFIX,
    ...(env.HPO_WORKER_ID ? { workerId: env.HPO_WORKER_ID } : {}),
    gpuIds,
    trialsPerGpu: args.trialsPerGpu,
    gpuMemoryGb,
    ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
    backend: args.backend,
    backendLabel: await describeBackend(args.backend),
    offer: {
      ...(args.pool ? { pool: args.pool } : {}),
      ...(used[0] ? { gpuModel: used[0].name } : {}),
      ...(offeredGb > 0 ? { gpuMemoryGb: offeredGb } : {}),
      ...(args.labels ? { labels: args.labels } : {}),
      ...(args.trainers ? { trainers: args.trainers } : {}),
    },
    heartbeatIntervalMs: env.HPO_HEARTBEAT_INTERVAL_MS,
    registerIntervalMs: env.HPO_WORKER_REGISTER_INTERVAL_MS,
    killGraceMs: env.HPO_KILL_GRACE_MS,
    ...(env.HPO_TRIAL_TIMEOUT_SECONDS === undefined
      ? {}
      : { trialTimeoutMs: env.HPO_TRIAL_TIMEOUT_SECONDS * 1000 }),
    syntheticInProcess: args.inProcess === true || env.HPO_IN_PROCESS,
    ...(env.HPO_CHECKPOINT_ROOT ? { checkpointRoot: env.HPO_CHECKPOINT_ROOT } : {}),
    ...(args.isolateProjects ? { isolation: args.isolateProjects } : {}),
    handBackDelayMs: { unfit: env.HPO_UNFIT_RETRY_MS, busy: env.HPO_BUSY_RETRY_MS },
    logger,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping: no new trials", { signal, graceMs: env.HPO_SHUTDOWN_GRACE_MS });
    const { released } = await service.shutdown(env.HPO_SHUTDOWN_GRACE_MS);
    logger.info("stopped", { released });
    process.exit(0);
  };
  // A stray rejection (a Redis or HTTP hiccup in some callback) is logged, not fatal: the reconciler
  // and the leases repair whatever it interrupted, while a crash would drop every running trial.
  process.on("unhandledRejection", (reason) =>
    logger.error("unhandled rejection", { error: String(reason) }),
  );
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
