import { logFormats } from "@hpo/log";
import { z } from "zod";

const logLevel = z.enum(["debug", "info", "warn", "error"]);

/**
 * The worker's whole configuration, parsed once from the environment. A worker needs no database
 * credentials: Redis for jobs, the API and a worker-role key for everything else.
 */
export const workerEnvSchema = z.object({
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  HPO_API_URL: z.url(),
  HPO_TOKEN: z.string().min(1),
  HPO_QUEUE_PREFIX: z.string().min(1).default("hpo"),
  LOG_LEVEL: logLevel.default("info"),
  /** `pretty` lines, `json` lines, or `auto`: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(logFormats).default("auto"),
  HPO_WORKER_ID: z.string().min(1).optional(),
  HPO_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
  HPO_WORKER_REGISTER_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** On SIGTERM, how long running trials may finish before they are handed back. */
  HPO_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** After prune/stop/timeout, how long a trainer may wind down before SIGKILL. */
  HPO_KILL_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  /** Backstop timeout for trainers without their own (command trainers use timeoutSeconds). */
  HPO_TRIAL_TIMEOUT_SECONDS: z.coerce.number().positive().optional(),
  /**
   * Run synthetic (benchmark-function) trials inside the worker instead of a child process per trial (same
   * as `--in-process`): for trials of milliseconds, where booting a process would cost more than the trial.
   */
  HPO_IN_PROCESS: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function parseWorkerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const result = workerEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid worker configuration:\n${lines.join("\n")}`);
}
