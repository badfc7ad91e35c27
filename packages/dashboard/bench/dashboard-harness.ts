import { randomBytes } from "node:crypto";
import { buildApp } from "@hpo/api";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { chromium, type Browser } from "playwright-core";
import { dashboardDistDir, ensureDashboardBuilt } from "../src/dashboard-build.js";

/** Debian's chromium package (`apt-get install -y chromium`): no browser is ever downloaded. */
export const chromiumPath = process.env["HPO_CHROMIUM"] ?? "/usr/bin/chromium";

export interface DashboardHarness {
  db: TestDatabase;
  app: FastifyInstance;
  redis: Redis;
  /** Where the API (and the dashboard at `/`) listens, e.g. http://127.0.0.1:41234. */
  url: string;
  adminToken: string;
  projectId: string;
  /** A user key of the harness's project, and its id (to revoke it). */
  userKey: string;
  userKeyId: string;
  /** A worker key of the same project. */
  workerKey: string;
  close(): Promise<void>;
}

/**
 * The real API over its own database and Redis prefix, listening on a free port and serving the built
 * dashboard (built first when missing or stale): what the browser tests and the benchmark drive.
 */
export async function startDashboardHarness(label: string): Promise<DashboardHarness> {
  await ensureDashboardBuilt();
  const db = await createTestDatabase(label);
  const redis = new Redis(process.env["HPO_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379", {
    maxRetriesPerRequest: 2,
  });
  const adminToken = `hpo_admin_${randomBytes(16).toString("hex")}`;
  const app = await buildApp({
    prisma: db.prisma,
    redis,
    adminToken,
    redisPrefix: `hpo-dash-${randomBytes(4).toString("hex")}`,
    rateLimit: false,
    dashboardDir: dashboardDistDir(),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const admin = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const project = await admin<{ id: string }>("/v1/projects", { name: `dash-${label}` });
  const user = await admin<{ id: string; key: string }>(`/v1/projects/${project.id}/keys`, { role: "user" });
  const worker = await admin<{ key: string }>(`/v1/projects/${project.id}/keys`, { role: "worker" });
  return {
    db,
    app,
    redis,
    url,
    adminToken,
    projectId: project.id,
    userKey: user.key,
    userKeyId: user.id,
    workerKey: worker.key,
    async close() {
      await app.close();
      await redis.quit();
      await db.dispose();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // Containers run as root without user namespaces; the sandbox cannot start there.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}
