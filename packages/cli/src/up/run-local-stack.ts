import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createLogLineRenderer, resolveLogFormat, useColors, type LogFormatSetting } from "@hpo/log";
import { configPath, readCliConfig, saveProfile } from "../config/cli-config.js";
import { CliError, exitCodes } from "../exit-codes.js";
import { ensureDashboardBuilt } from "@hpo/dashboard";
import { dashboardUrl } from "../commands/dashboard-url.js";
import { issueLocalKeys, revokeKey } from "./local-keys.js";
import { assertPortFree, checkRedis, ensurePrismaClient, prepareDatabase } from "./prepare-local-stack.js";
import { startServiceChild, stopServiceChild, type ServiceChild } from "./service-children.js";

export interface LocalStackOptions {
  /** Worker slots (trials at once); default: the machine's cores, at least 2. */
  workers?: number;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  adminToken?: string;
  logFormat: LogFormatSetting;
  /** Save the API URL and user key as profile "local" of the CLI config. */
  saveProfile: boolean;
  env: NodeJS.ProcessEnv;
}

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export function defaultWorkerSlots(): number {
  return Math.max(2, availableParallelism());
}

/**
 * `hpo up` (and `npm start`): the whole service on this machine. Prepares the database, starts the API,
 * the scheduler and one worker with `workers` slots as child processes whose logs (JSON lines) are shown
 * as one stream in this process's format, issues the local keys, prints where everything is, and on
 * Ctrl-C / SIGTERM stops the worker (it hands its trials back), the scheduler, then the API.
 */
export async function runLocalStack(options: LocalStackOptions): Promise<number> {
  const format = resolveLogFormat(options.logFormat, process.stdout);
  const render = createLogLineRenderer(format, useColors(process.stdout, options.env));
  const write = (service: string, line: string) => void process.stdout.write(render(service, line));
  const say = (line: string) => write("hpo", line);
  const apiUrl = `http://127.0.0.1:${options.port}`;
  const adminToken = options.adminToken ?? `hpo_admin_${randomBytes(24).toString("base64url")}`;
  const slots = options.workers ?? defaultWorkerSlots();

  // The local stack listens on this machine only unless HOST says otherwise.
  const host = options.env["HOST"] ?? "127.0.0.1";
  await assertPortFree(options.port, host);
  ensurePrismaClient(repoRoot, say);
  await checkRedis(options.redisUrl);
  await prepareDatabase(options.databaseUrl, say);
  // The API serves the dashboard from its build: a fresh clone builds it here once (then only when stale).
  await ensureDashboardBuilt(say);

  const children: ServiceChild[] = [];
  let stopping = false;
  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let workerKeyId: string | null = null;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping: worker, scheduler, API");
    // Worker first (it hands its trials back through the API), then the scheduler, then the API.
    for (const child of [...children].reverse()) {
      if (child.name === "api" && workerKeyId !== null) {
        await revokeKey(apiUrl, adminToken, workerKeyId).catch(() => undefined);
      }
      await stopServiceChild(child, 40_000);
    }
    finished(code);
  };
  const baseEnv: NodeJS.ProcessEnv = {
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    LOG_FORMAT: "json",
  };
  const start = (name: string, entry: string, env: NodeJS.ProcessEnv, args: string[] = []) => {
    const child = startServiceChild({
      name,
      entry,
      cwd: repoRoot,
      env,
      args,
      onLine: write,
      onExit: (service, code, signal) => {
        say(`${service} exited (${signal ?? String(code)})`);
        if (!stopping) void stopAll(1);
      },
    });
    children.push(child);
    return child;
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  process.on("exit", () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
  });

  const api = start("api", "services/api/src/main.ts", {
    ...baseEnv,
    PORT: String(options.port),
    // The address checked free above, explicitly: the API binds exactly where `hpo up` said it would.
    HOST: host,
    HPO_ADMIN_TOKEN: adminToken,
  });
  const config = configPath(options.env);
  let keys: Awaited<ReturnType<typeof issueLocalKeys>>;
  try {
    await waitForReady(apiUrl, api);
    const saved = readCliConfig(config).profiles["local"];
    keys = await issueLocalKeys(apiUrl, adminToken, saved?.apiUrl === apiUrl ? saved.token : null);
  } catch (error) {
    await stopAll(1);
    throw error;
  }
  if (stopping) return done;
  workerKeyId = keys.workerKeyId;
  start("scheduler", "services/scheduler/src/main.ts", baseEnv);
  // The worker needs no database and no admin secret: the API and its own key.
  const workerEnv = Object.fromEntries(
    Object.entries(baseEnv).filter(([name]) => name !== "DATABASE_URL" && name !== "HPO_ADMIN_TOKEN"),
  );
  start(
    "worker",
    "services/worker/src/main.ts",
    { ...workerEnv, HPO_API_URL: apiUrl, HPO_TOKEN: keys.workerKey },
    ["--concurrency", String(slots)],
  );
  if (options.saveProfile) {
    const current = readCliConfig(config).profile;
    saveProfile(
      config,
      "local",
      { apiUrl, token: keys.userKey },
      current === undefined || current === "local",
    );
  }
  const dashboard = dashboardUrl(apiUrl, keys.userKey);
  if (format === "json") {
    process.stdout.write(
      `${JSON.stringify({
        level: 30,
        time: Date.now(),
        name: "hpo",
        msg: "hpo is running",
        apiUrl,
        docsUrl: `${apiUrl}/docs`,
        dashboardUrl: dashboard,
        adminToken,
        projectId: keys.projectId,
        userKey: keys.userKey,
        workerSlots: slots,
        ...(options.saveProfile ? { profile: config } : {}),
      })}\n`,
    );
  } else {
    const lines = [
      "",
      `hpo is running (${slots} worker slots). Ctrl-C stops everything.`,
      `  API:        ${apiUrl}   (OpenAPI docs: ${apiUrl}/docs)`,
      `  dashboard:  ${dashboard}`,
      `  user key:   ${keys.userKey}${keys.reusedUserKey ? "   (kept from the last run)" : ""}`,
      `  admin token (this run): ${adminToken}`,
      `  project "default": ${keys.projectId}`,
      ...(options.saveProfile ? [`  saved as profile "local" in ${config}: npx hpo commands use it`] : []),
      `  export HPO_API_URL=${apiUrl} HPO_TOKEN=${keys.userKey}`,
      "  try: npx hpo demo   or   npx hpo study create -f examples/synthetic/branin-study.json --watch",
      "",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return done;
}

async function waitForReady(apiUrl: string, api: ServiceChild): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if (api.process.exitCode !== null || api.process.signalCode !== null) {
      throw new CliError(
        `the API exited before it was ready (is port ${new URL(apiUrl).port} in use?)`,
        exitCodes.error,
      );
    }
    try {
      if ((await fetch(`${apiUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new CliError(`the API did not become ready at ${apiUrl}`, exitCodes.error);
}
