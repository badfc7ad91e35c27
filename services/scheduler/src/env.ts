import { logFormats } from "@hpo/log";
import { z } from "zod";

const logLevel = z.enum(["debug", "info", "warn", "error"]);

/** The scheduler's whole configuration, parsed once from the environment. */
export const schedulerEnvSchema = z.object({
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/hpo"),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  HPO_QUEUE_PREFIX: z.string().min(1).default("hpo"),
  HPO_REDIS_PREFIX: z.string().min(1).default("hpo"),
  LOG_LEVEL: logLevel.default("info"),
  /** `pretty` lines, `json` lines, or `auto`: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(logFormats).default("auto"),
  /** How often every running study is topped up and the reconciler runs (events act at once anyway). */
  HPO_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
  /** A running trial without a heartbeat for this long is abandoned and its point retried. */
  HPO_HEARTBEAT_GRACE_MS: z.coerce.number().int().min(100).default(30_000),
  HPO_DB_POOL_SIZE: z.coerce.number().int().min(1).default(5),
});

export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;

/** Parses the environment; on a bad value throws one message naming each variable and the problem. */
export function parseSchedulerEnv(env: NodeJS.ProcessEnv): SchedulerEnv {
  const result = schedulerEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid scheduler configuration:\n${lines.join("\n")}`);
}
