import { randomBytes } from "node:crypto";
import { buildApp, ensureBootstrapWorkerKey } from "@hpo/api";
import { dashboardDistDir } from "@hpo/dashboard";
import { createPrismaClient } from "@hpo/db";
import { createPinoLogger } from "@hpo/log";
import { Redis } from "ioredis";
import { parseApiEnv } from "./env.js";

/**
 * The API process: parse the environment, build the app, listen, and on SIGTERM/SIGINT stop accepting
 * connections, let in-flight requests finish, close Postgres and Redis, exit 0.
 */
async function main(): Promise<void> {
  const env = parseApiEnv(process.env);
  const logger = createPinoLogger("api", { level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  let adminToken = env.HPO_ADMIN_TOKEN;
  if (adminToken === undefined) {
    adminToken = `hpo_admin_${randomBytes(24).toString("base64url")}`;
    logger.warn(`HPO_ADMIN_TOKEN was not set; this run's admin token: ${adminToken}`);
  }
  const prisma = createPrismaClient(env.DATABASE_URL, {
    maxConnections: env.HPO_DB_POOL_SIZE,
    acquireTimeoutMs: env.HPO_DB_POOL_TIMEOUT_MS,
  });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
  const app = await buildApp({
    prisma,
    redis,
    adminToken,
    loggerInstance: logger,
    redisPrefix: env.HPO_REDIS_PREFIX,
    queuePrefix: env.HPO_QUEUE_PREFIX,
    rateLimit: {
      max: env.HPO_RATE_LIMIT_PER_MINUTE,
      workerMax: env.HPO_WORKER_RATE_LIMIT_PER_MINUTE,
      timeWindowMs: 60_000,
    },
    dashboardDir: dashboardDistDir(),
    samplers: { threads: env.HPO_SAMPLER_THREADS, maxQueue: env.HPO_SAMPLER_QUEUE },
    loadShedding: {
      maxEventLoopDelayMs: env.HPO_SHED_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: env.HPO_SHED_EVENT_LOOP_UTILIZATION,
      retryAfterSeconds: env.HPO_SHED_RETRY_AFTER_S,
    },
    // As many as the pool: a request holds one connection at a time, so an admitted one never queues
    // for a connection (each of its queries would go to the back of the pool's queue otherwise).
    ...(env.HPO_DB_POOL_TIMEOUT_MS > 0
      ? { admission: { maxInFlight: env.HPO_DB_POOL_SIZE, maxWaitMs: env.HPO_DB_POOL_TIMEOUT_MS } }
      : {}),
  });

  if (env.HPO_WORKER_TOKEN !== undefined) {
    const workerKey = await ensureBootstrapWorkerKey(prisma, env.HPO_WORKER_TOKEN);
    const log = { keyId: workerKey.keyId, projectId: workerKey.projectId, state: workerKey.state };
    if (workerKey.state === "revoked") {
      app.log.warn(log, "the HPO_WORKER_TOKEN key was revoked; workers using it are refused");
    } else {
      app.log.info(log, "worker key from HPO_WORKER_TOKEN is ready in project default");
    }
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, "shutting down: finishing in-flight requests");
    const forced = setTimeout(() => {
      app.log.error("in-flight requests did not finish in time");
      process.exit(1);
    }, env.HPO_SHUTDOWN_GRACE_MS);
    forced.unref();
    await app.close();
    await prisma.$disconnect();
    await redis.quit();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = new URL(address);
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]") url.hostname = "127.0.0.1";
  // Where it listens is shown whatever LOG_LEVEL says: supervisors and people look for this line.
  logger
    .child({}, { level: "info" })
    .info(
      { url: url.origin, dashboard: `${url.origin}/`, docs: `${url.origin}/docs` },
      `hpo API listening on ${url.origin}`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `hpo API failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
