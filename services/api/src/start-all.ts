/**
 * `npm start`: runs the whole service on this machine. Creates the database if needed, applies
 * migrations, then starts the API, the scheduler and one worker as child processes with readable,
 * prefixed logs, and prints the API URL and the keys to use. Ctrl-C (or SIGTERM) stops all three.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { ensureDashboardBuilt } from "@hpo/dashboard";
import { applyMigrations, createPrismaClient, ensureDatabaseExists } from "@hpo/db";

const databaseUrl = process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/hpo";
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
const port = Number(process.env["PORT"] ?? "3000");
const adminToken = process.env["HPO_ADMIN_TOKEN"] ?? `hpo_admin_${randomBytes(24).toString("base64url")}`;
const apiUrl = `http://127.0.0.1:${port}`;
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const howToStart = `Start them with \`docker compose up -d postgres redis\`, or on Debian:
  pg_ctlcluster --skip-systemctl-redirect 15 main start
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`;

function say(line: string): void {
  process.stdout.write(`[start] ${line}\n`);
}

async function checkRedis(): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function prepareDatabase(): Promise<void> {
  const created = await ensureDatabaseExists(databaseUrl);
  if (created) say(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const { applied } = await applyMigrations(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
}

const children: ChildProcess[] = [];

function startService(name: string, entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", entry], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: a terminal's Ctrl-C reaches only this supervisor, which then stops each service
    // once, in order (a service that got both the terminal's SIGINT and our SIGTERM would exit 1).
    detached: true,
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    say(`${name} exited (${signal ?? code ?? "?"})`);
    if (!shuttingDown) void shutdown(1);
  });
  children.push(child);
  return child;
}

async function waitForApi(): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      const response = await fetch(`${apiUrl}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not become ready at ${apiUrl}`);
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The local project "default" with a user key for you and a worker key for the local worker. */
async function issueLocalKeys(): Promise<{ projectId: string; userKey: string; workerKey: string }> {
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 1 });
  try {
    const existing = await prisma.project.findUnique({ where: { name: "default" } });
    const projectId =
      existing?.id ?? (await api<{ id: string }>("POST", "/v1/projects", { name: "default" })).id;
    const userKey = (await api<{ key: string }>("POST", `/v1/projects/${projectId}/keys`, { role: "user" }))
      .key;
    const workerKey = (
      await api<{ key: string }>("POST", `/v1/projects/${projectId}/keys`, { role: "worker" })
    ).key;
    return { projectId, userKey, workerKey };
  } finally {
    await prisma.$disconnect();
  }
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say("stopping: worker, scheduler, API");
  // Worker first (it hands its trials back through the API), then the scheduler, then the API.
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
  process.exit(code);
}

async function main(): Promise<void> {
  try {
    await checkRedis();
  } catch (error) {
    say(`Redis is not reachable at ${redisUrl}: ${(error as Error).message}\n${howToStart}`);
    process.exit(1);
  }
  try {
    await prepareDatabase();
  } catch (error) {
    say(`PostgreSQL is not usable at ${databaseUrl}: ${(error as Error).message}\n${howToStart}`);
    process.exit(1);
  }
  process.on("exit", () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  await ensureDashboardBuilt(say);
  startService("api", "services/api/src/main.ts", { PORT: String(port), HPO_ADMIN_TOKEN: adminToken });
  await waitForApi();
  const keys = await issueLocalKeys();
  startService("scheduler", "services/scheduler/src/main.ts", {});
  startService("worker", "services/worker/src/main.ts", { HPO_API_URL: apiUrl, HPO_TOKEN: keys.workerKey });
  say("");
  say(`hpo is running. API: ${apiUrl}  (OpenAPI docs: ${apiUrl}/docs)`);
  say(`dashboard (signs you in): ${apiUrl}/#key=${encodeURIComponent(keys.userKey)}`);
  say(`admin token:            ${adminToken}`);
  say(`project "default":      ${keys.projectId}`);
  say(`user key (use this):    ${keys.userKey}`);
  say(`  export HPO_API_URL=${apiUrl} HPO_TOKEN=${keys.userKey}`);
  say(`  curl -H "Authorization: Bearer $HPO_TOKEN" $HPO_API_URL/v1/studies`);
  say("Ctrl-C stops everything.");
}

main().catch((error: unknown) => {
  say(`failed: ${(error as Error).stack ?? String(error)}`);
  void shutdown(1);
});
