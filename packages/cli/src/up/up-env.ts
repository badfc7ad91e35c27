import { logFormats } from "@hpo/log";
import { z } from "zod";

/** What `hpo up` reads from the environment (flags win), parsed once. */
export const upEnvSchema = z.object({
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/hpo"),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HPO_ADMIN_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  LOG_FORMAT: z.enum(logFormats).default("auto"),
});
export type UpEnv = z.infer<typeof upEnvSchema>;
