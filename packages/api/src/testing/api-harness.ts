import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@hpo/db";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { buildApp, type BuildAppOptions } from "../build-app.js";

export interface InjectResult<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw payload (for 413/415 checks); overrides body. */
  payload?: string;
}

export interface TenantKeys {
  projectId: string;
  admin: string;
  user: string;
  worker: string;
}

export interface ApiHarness {
  app: FastifyInstance;
  prisma: PrismaClient;
  redis: Redis;
  db: TestDatabase;
  adminToken: string;
  redisPrefix: string;
  request<T = unknown>(method: string, url: string, options?: RequestOptions): Promise<InjectResult<T>>;
  createTenant(name: string): Promise<TenantKeys>;
  close(): Promise<void>;
}

const redisUrl = process.env["HPO_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/** A real API over its own fresh database and a Redis key prefix of its own. */
export async function startApiHarness(
  label: string,
  overrides: Partial<Pick<BuildAppOptions, "rateLimit" | "dashboardDir" | "samplers" | "loadShedding">> = {},
): Promise<ApiHarness> {
  const db = await createTestDatabase(label);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const redisPrefix = `hpo-test-${randomBytes(5).toString("hex")}`;
  const adminToken = `admin-${randomBytes(16).toString("hex")}`;
  const app = await buildApp({
    prisma: db.prisma,
    redis,
    adminToken,
    redisPrefix,
    queuePrefix: redisPrefix,
    rateLimit: overrides.rateLimit ?? false,
    dashboardDir: overrides.dashboardDir ?? null,
    ...(overrides.samplers ? { samplers: overrides.samplers } : {}),
    ...(overrides.loadShedding ? { loadShedding: overrides.loadShedding } : {}),
  });
  await app.ready();

  const request = async <T>(
    method: string,
    url: string,
    options: RequestOptions = {},
  ): Promise<InjectResult<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers["authorization"] = `Bearer ${token}`;
    let payload: string | undefined = options.payload;
    if (payload === undefined && options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await app.inject({
      method: method as "GET",
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    let body: unknown = null;
    const type = response.headers["content-type"];
    if (typeof type === "string" && type.includes("application/json") && response.body !== "") {
      body = JSON.parse(response.body) as unknown;
    }
    return { status: response.statusCode, body: body as T, text: response.body, headers: response.headers };
  };

  const createTenant = async (name: string): Promise<TenantKeys> => {
    const project = await request<{ id: string }>("POST", "/v1/projects", { body: { name } });
    if (project.status !== 201) throw new Error(`project: ${project.status} ${project.text}`);
    const key = async (role: string) => {
      const created = await request<{ key: string }>("POST", `/v1/projects/${project.body.id}/keys`, {
        body: { role },
      });
      if (created.status !== 201) throw new Error(`key: ${created.status} ${created.text}`);
      return created.body.key;
    };
    return {
      projectId: project.body.id,
      admin: await key("admin"),
      user: await key("user"),
      worker: await key("worker"),
    };
  };

  return {
    app,
    prisma: db.prisma,
    redis,
    db,
    adminToken,
    redisPrefix,
    request,
    createTenant,
    async close() {
      await app.close();
      await redis.quit();
      await db.dispose();
    },
  };
}

/** A small valid definition for an external (ask/tell) study. */
export function exampleDefinition(
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    objective: { metric: "loss", direction: "minimize" },
    space: [
      { name: "x", type: "float", low: -5, high: 5 },
      { name: "opt", type: "categorical", choices: ["sgd", "adam"] },
    ],
    sampler: { type: "random" },
    budget: { maxTrials: 20, parallelism: 4 },
    seed: 1,
    ...overrides,
  };
}
