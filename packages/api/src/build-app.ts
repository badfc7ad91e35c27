import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { PrismaClient } from "@hpo/db";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from "fastify";
import {
  createJsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { ApiContext } from "./api-context.js";
import { installAuthentication } from "./auth/authenticate.js";
import { AuthenticatedKeys } from "./auth/authenticated-keys.js";
import { registerDashboard } from "./dashboard/serve-dashboard.js";
import { EventHub } from "./events/event-hub.js";
import { BatchedRateLimitStore } from "./http/batched-rate-limit-store.js";
import { installErrorHandler } from "./http/error-handler.js";
import { installOversizedBodyDrain } from "./http/drain-oversized-body.js";
import { installJsonBodyParser, maxBodyBytes } from "./http/json-body.js";
import { installLoadShedding, type LoadSheddingOptions } from "./http/load-shedding.js";
import { installNulGuard } from "./http/nul-guard.js";
import { installApiSecurityHeaders } from "./http/security-headers.js";
import { createApiMetrics } from "./observability/api-metrics.js";
import { registerAnalysisRoutes } from "./routes/analysis-routes.js";
import { registerDashboardRoutes } from "./routes/dashboard-routes.js";
import { registerEventRoutes } from "./routes/event-routes.js";
import { registerFleetRoutes } from "./routes/fleet-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerProjectRoutes } from "./routes/project-routes.js";
import { registerSessionRoutes } from "./routes/session-routes.js";
import { registerStudyRoutes } from "./routes/study-routes.js";
import { registerStudyTrialRoutes } from "./routes/study-trial-routes.js";
import { registerTrialRoutes } from "./routes/trial-routes.js";
import { registerWorkerRoutes } from "./routes/worker-routes.js";
import { createSamplerPool } from "./sampling/sampler-pool.js";
import { installRequestAdmission, type AdmissionOptions } from "./http/request-admission.js";

export interface BuildAppOptions {
  prisma: PrismaClient;
  redis: Redis;
  /** The bootstrap admin secret (HPO_ADMIN_TOKEN); "" disables it. */
  adminToken: string;
  logger?: FastifyServerOptions["logger"];
  /** A ready logger (the service's pino logger from @hpo/log, one format for every process); wins over `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** Prefix of the Redis keys and of the events channel `<prefix>:events` (HPO_REDIS_PREFIX). */
  redisPrefix?: string;
  /** BullMQ key prefix of the trial queue (HPO_QUEUE_PREFIX), for the queue depth in /metrics. */
  queuePrefix?: string;
  /**
   * Requests per key (or per IP without a key) per window; false turns limiting off. `workerMax` is the
   * budget of a worker key (default `max`): a whole fleet shares one worker key, and each idle worker
   * alone sends a heartbeat and a registration every few seconds.
   */
  rateLimit?: { max: number; workerMax?: number; timeWindowMs: number } | false;
  /** The built web dashboard (index.html and assets/), served at `/`; null or absent serves none. */
  dashboardDir?: string | null;
  /**
   * Worker threads for the ask route's sampler calls and how many calls may wait for one (then 503 +
   * Retry-After). Default 0 threads: sample on the event loop (tests); services/api sets HPO_SAMPLER_THREADS.
   */
  samplers?: { threads: number; maxQueue: number };
  /** Shed requests with 503 + Retry-After while the event loop lags (http/load-shedding.ts); absent: off. */
  loadShedding?: LoadSheddingOptions;
  /**
   * Requests let into the database stage at once, and how long one may wait to get in before a 503 with
   * Retry-After (http/request-admission.ts); absent: no limit (tests). services/api derives it from the
   * pool (HPO_DB_POOL_SIZE, HPO_DB_POOL_TIMEOUT_MS).
   */
  admission?: AdmissionOptions;
}

/**
 * The hpo REST API as a fastify instance, not listening yet (tests use inject; services/api listens).
 * Zod compilers are set inside the encapsulated API plugin, never at the root, so that plugin routes
 * with plain JSON schemas (swagger-ui) keep working: the zod compilers cannot compile those.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    bodyLimit: maxBodyBytes,
    requestTimeout: 120_000,
    return503OnClosing: true,
    // Trust nothing from proxies by default: the rate limit keys on the API key first anyway.
    trustProxy: false,
    // One line per request is noise next to heartbeats every few seconds; see the onResponse hook.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const prefix = options.redisPrefix ?? "hpo";
  const ctx: ApiContext = {
    prisma: options.prisma,
    redis: options.redis,
    events: new EventHub(options.redis, prefix, app.log),
    metrics: createApiMetrics({
      prisma: options.prisma,
      redis: options.redis,
      queuePrefix: options.queuePrefix ?? "hpo",
    }),
    openStreams: new Set(),
    authenticatedKeys: new AuthenticatedKeys(),
    samplers: createSamplerPool(options.samplers ?? { threads: 0, maxQueue: 0 }),
  };

  installErrorHandler(app);
  if (options.loadShedding) await installLoadShedding(app, options.loadShedding);
  installNulGuard(app);
  installJsonBodyParser(app);
  installOversizedBodyDrain(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "hpo", description: "Distributed hyperparameter tuning service", version: "0.1.0" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: createJsonSchemaTransform({
      skipList: [
        "/docs",
        "/docs/*",
        "/healthz",
        "/readyz",
        "/metrics",
        "/",
        "/workers",
        "/studies/*",
        "/assets/*",
      ],
    }),
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.addHook("onResponse", async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    // Refused requests are worth reading at the default level; the steady traffic only when debugging.
    if (reply.statusCode >= 400) request.log.info(line, "request refused");
    else request.log.debug(line, "request");
    ctx.metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  // SSE streams never end on their own: end them first so close() lets in-flight requests finish and returns.
  // Graceful shutdown: close() stops accepting, and every response finished from now on carries
  // `Connection: close`, so keep-alive sockets end with their last in-flight request instead of holding
  // close() open until their idle timeout.
  let closing = false;
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });
  app.addHook("preClose", (done) => {
    closing = true;
    for (const end of [...ctx.openStreams]) end();
    done();
  });
  app.addHook("onClose", async () => {
    await ctx.events.close();
    await ctx.metrics.operator.close();
    await ctx.samplers.close();
  });

  await app.register(async (api) => {
    const zodApi = api.withTypeProvider<ZodTypeProvider>();
    api.setValidatorCompiler(validatorCompiler);
    // Response schemas document the API (OpenAPI) but never gate an answer: a shape drift must not turn
    // a committed write into a 500 that the client would retry.
    api.setSerializerCompiler(() => (data) => JSON.stringify(data));
    installApiSecurityHeaders(api);
    // Before authentication: it queries the database too.
    if (options.admission) installRequestAdmission(api, options.admission);
    installAuthentication(api, options.prisma, options.adminToken, ctx.authenticatedKeys);
    if (options.rateLimit !== false) {
      const limit = options.rateLimit ?? { max: 3000, timeWindowMs: 60_000 };
      const workerMax = "workerMax" in limit ? (limit.workerMax ?? limit.max) : limit.max;
      await api.register(rateLimit, {
        max: (request) => (request.principal?.role === "worker" ? workerMax : limit.max),
        timeWindow: limit.timeWindowMs,
        // After authentication (onRequest hooks of this scope run first): one budget per API key.
        keyGenerator: (request) => request.principal?.keyId ?? request.ip,
        allowList: (request) => request.routeOptions.config.access === "public",
        // Counted in Redis so that every API replica shares one budget per key, in batches far from the
        // limit (tolerance in http/batched-rate-limit-store.ts); if Redis is down, requests are let
        // through rather than failed (Postgres, not Redis, is what the API needs).
        store: BatchedRateLimitStore.ctor({ redis: options.redis, nameSpace: `${prefix}:rate-limit:` }),
        skipOnError: true,
      });
    }
    registerHealthRoutes(zodApi, ctx);
    registerProjectRoutes(zodApi, ctx);
    registerSessionRoutes(zodApi, ctx);
    registerStudyRoutes(zodApi, ctx);
    registerStudyTrialRoutes(zodApi, ctx);
    registerEventRoutes(zodApi, ctx);
    registerTrialRoutes(zodApi, ctx);
    registerWorkerRoutes(zodApi, ctx);
    registerFleetRoutes(zodApi, ctx);
    registerDashboardRoutes(zodApi, ctx);
    registerAnalysisRoutes(zodApi, ctx);
  });
  if (options.dashboardDir) await registerDashboard(app, options.dashboardDir);
  return app;
}
