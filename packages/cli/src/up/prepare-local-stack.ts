import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { CliError, exitCodes } from "../exit-codes.js";

export const howToStartServers = `Start them with \`docker compose up -d postgres redis\`, or on Debian:
  pg_ctlcluster --skip-systemctl-redirect 15 main start
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`;

/**
 * The generated Prisma client is not in git: `npm ci` makes it (the root postinstall); if that was
 * skipped (`--ignore-scripts`), make it now, offline, before anything imports @hpo/db.
 */
export function ensurePrismaClient(repoRoot: string, say: (line: string) => void): void {
  if (existsSync(join(repoRoot, "packages/db/src/generated/prisma/client.ts"))) return;
  say("generating the Prisma client (npm run generate)");
  const result = spawnSync("npm", ["run", "--silent", "generate"], { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) throw new CliError("npm run generate failed", exitCodes.error);
}

export async function checkRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new CliError(
      `Redis is not reachable at ${redisUrl}: ${(error as Error).message}\n${howToStartServers}`,
      exitCodes.unreachable,
    );
  } finally {
    redis.disconnect();
  }
}

/** Creates the database if needed and applies pending migrations (PostgreSQL is the source of truth). */
export async function prepareDatabase(databaseUrl: string, say: (line: string) => void): Promise<void> {
  const { applyMigrations, ensureDatabaseExists } = await import("@hpo/db");
  try {
    if (await ensureDatabaseExists(databaseUrl))
      say(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
    const { applied } = await applyMigrations(databaseUrl);
    say(applied.length > 0 ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  } catch (error) {
    throw new CliError(
      `PostgreSQL is not usable at ${databaseUrl}: ${(error as Error).message}\n${howToStartServers}`,
      exitCodes.unreachable,
    );
  }
}

/** Fails early when the port is taken: another hpo (or anything) answering /readyz there would be mistaken for ours. */
export async function assertPortFree(port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new CliError(
          error.code === "EADDRINUSE"
            ? `port ${port} is in use (another \`npm start\`?): stop it, or pick another with --port or PORT`
            : `cannot listen on ${host}:${port}: ${error.message}`,
          exitCodes.usage,
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
