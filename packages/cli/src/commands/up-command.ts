import { logFormats, type LogFormatSetting } from "@hpo/log";
import type { Command } from "commander";
import { oneOf, positiveInteger } from "../arguments.js";
import type { CliEnvironment } from "../context.js";
import { CliError, exitCodes } from "../exit-codes.js";
import { upEnvSchema } from "../up/up-env.js";
import { defaultWorkerSlots, runLocalStack } from "../up/run-local-stack.js";

interface UpOptions {
  workers?: number;
  port?: number;
  logFormat?: LogFormatSetting;
  saveProfile: boolean;
}

export function registerUpCommand(
  program: Command,
  environment: CliEnvironment,
  setExitCode: (code: number) => void,
): void {
  program
    .command("up")
    .description(
      "run hpo on this machine: migrate the database, start the API, the scheduler and a worker, print the URLs and keys (npm start)",
    )
    .option(
      "--workers <n>",
      `worker slots, trials at once (default: the cores, at least 2; here ${defaultWorkerSlots()})`,
      positiveInteger,
    )
    .option("--port <port>", "the API's port (PORT, default 3000)", positiveInteger)
    .option("--log-format <format>", "auto, pretty or json (LOG_FORMAT)", oneOf(logFormats))
    .option("--no-save-profile", "do not save the URL and user key as the CLI's profile local")
    .action(async (options: UpOptions) => {
      const parsed = upEnvSchema.safeParse(environment.env);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
        throw new CliError(`invalid configuration:\n${problems.join("\n")}`, exitCodes.usage);
      }
      const env = parsed.data;
      setExitCode(
        await runLocalStack({
          ...(options.workers === undefined ? {} : { workers: options.workers }),
          port: options.port ?? env.PORT,
          databaseUrl: env.DATABASE_URL,
          redisUrl: env.REDIS_URL,
          ...(env.HPO_ADMIN_TOKEN === undefined ? {} : { adminToken: env.HPO_ADMIN_TOKEN }),
          logFormat: options.logFormat ?? env.LOG_FORMAT,
          saveProfile: options.saveProfile,
          env: environment.env,
        }),
      );
    });
}
