/**
 * The scheduler service: keeps every running study at its parallelism, ends studies, and repairs the
 * queue and stale trials from Postgres. `node --import tsx --conditions=source services/scheduler/src/main.ts`
 */
import { Redis } from "ioredis";
import { createPrismaClient } from "@hpo/db";
import { createLogger, publishStudyEvent, TrialQueues } from "@hpo/queue";
import { startSchedulerService } from "@hpo/scheduler";
import { parseSchedulerEnv } from "./env.js";

async function main(): Promise<void> {
  const env = parseSchedulerEnv(process.env);
  const logger = createLogger("scheduler", env.LOG_LEVEL, env.LOG_FORMAT);
  const prisma = createPrismaClient(env.DATABASE_URL, { maxConnections: env.HPO_DB_POOL_SIZE });
  const queues = new TrialQueues({ redisUrl: env.REDIS_URL, prefix: env.HPO_QUEUE_PREFIX });
  const publisher = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  publisher.on("error", () => undefined);
  const service = await startSchedulerService({
    deps: {
      prisma,
      queues,
      logger,
      publish: (event) => publishStudyEvent(publisher, env.HPO_REDIS_PREFIX, event),
      now: () => new Date(),
    },
    events: { redisUrl: env.REDIS_URL, redisPrefix: env.HPO_REDIS_PREFIX },
    sweepIntervalMs: env.HPO_SWEEP_INTERVAL_MS,
    heartbeatGraceMs: env.HPO_HEARTBEAT_GRACE_MS,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    await service.stop();
    await queues.close();
    publisher.disconnect();
    await prisma.$disconnect();
    logger.info("stopped");
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
  process.stderr.write(
    `scheduler failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
