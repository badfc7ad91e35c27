import { bootstrapSecretPattern } from "@hpo/api";
import { logFormats } from "@hpo/log";
import { availableParallelism } from "node:os";
import { z } from "zod";

/** Compose passes `${VAR:-}` for a variable you did not set: an empty value means "not set". */
const unsetWhenEmpty = (value: unknown): unknown => (value === "" ? undefined : value);

/** The API service's whole configuration, parsed once from the environment. */
export const apiEnvSchema = z.object({
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/hpo"),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** This machine only by default; container images set HOST=0.0.0.0 (Dockerfile, Compose, Kubernetes). */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Bootstrap admin key; when unset a random one is generated and printed once. */
  HPO_ADMIN_TOKEN: z.preprocess(unsetWhenEmpty, z.string().min(16, "use at least 16 characters").optional()),
  /**
   * A worker key secret (`hpo_` + 32 or more random characters): on start the API makes sure a worker
   * key with this secret exists in the project "default", so workers given the same secret just work.
   */
  HPO_WORKER_TOKEN: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(bootstrapSecretPattern, "use hpo_ followed by at least 32 letters, digits, - or _")
      .optional(),
  ),
  HPO_REDIS_PREFIX: z.string().min(1).default("hpo"),
  /** BullMQ prefix of the trial queue (as the scheduler and workers use it), for /metrics' queue depth. */
  HPO_QUEUE_PREFIX: z.string().min(1).default("hpo"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** `pretty` lines, `json` lines, or `auto`: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(logFormats).default("auto"),
  /** Requests per API key per minute before 429. */
  HPO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  /**
   * A worker key's budget: every worker of a fleet shares its key, and an idle worker sends ~24 requests a
   * minute (heartbeat and registration), so 60,000 serves a fleet of ~2,500 (docs/scaling.md §6).
   */
  HPO_WORKER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  /** PostgreSQL connections the API's pool may open. */
  HPO_DB_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /**
   * How long a request waits for a pooled PostgreSQL connection, and to be let in at all (at most
   * HPO_DB_POOL_SIZE requests use the database at once), before it is answered 503
   * `database_unavailable` with Retry-After (the pool is exhausted or the database is restarting); 0
   * waits without bound.
   */
  HPO_DB_POOL_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Worker threads that run ask's model-based samplers (TPE, GP) off the event loop; 0 samples on the
   * event loop. Default: one fewer than the cores, at least one.
   */
  HPO_SAMPLER_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, availableParallelism() - 1)),
  /** Sampler calls allowed to wait for a thread; past it an ask gets 503 with Retry-After. */
  HPO_SAMPLER_QUEUE: z.coerce.number().int().min(1).default(64),
  /**
   * Load shedding: while the event loop's mean delay over a second is past this many ms, requests get
   * 503 with Retry-After (health routes never); 0 turns it off.
   */
  HPO_SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  /** Load shedding on event-loop utilization (0..1 over a second), e.g. 0.98; 0 (default) turns it off. */
  HPO_SHED_EVENT_LOOP_UTILIZATION: z.coerce.number().min(0).max(1).default(0),
  /** Seconds a shed request is told to wait (Retry-After). */
  HPO_SHED_RETRY_AFTER_S: z.coerce.number().int().min(1).max(3600).default(2),
  /** How long SIGTERM waits for in-flight requests before giving up. */
  HPO_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;

/** Parses the environment; on a bad value throws one message naming each variable and the problem. */
export function parseApiEnv(env: NodeJS.ProcessEnv): ApiEnv {
  const result = apiEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid API configuration:\n${lines.join("\n")}`);
}
