import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { HpoError } from "@hpo/core";
import { createPrismaClient, type PrismaClient } from "@hpo/db";
import { createTestDatabase, type TestDatabase } from "@hpo/db/testing";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type BuildAppOptions } from "../build-app.js";
import { databaseUnavailableCode, isDatabaseUnavailable } from "./database-unavailable.js";

const redisUrl = process.env["HPO_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

let db: TestDatabase;
/** One connection, 300 ms to get it: holding it in a transaction exhausts the pool. */
let tiny: PrismaClient;
beforeAll(async () => {
  db = await createTestDatabase("db_unavailable");
  tiny = createPrismaClient(db.url, { maxConnections: 1, acquireTimeoutMs: 300 });
});
afterAll(async () => {
  await tiny.$disconnect();
  await db.dispose();
});

async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Runs `work` while `tiny`'s only connection is held by an open transaction. */
async function whilePoolExhausted<T>(work: () => Promise<T>): Promise<T> {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = (): void => undefined;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const transaction = tiny.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      held();
      await released;
    },
    { maxWait: 5_000, timeout: 20_000 },
  );
  await holding;
  try {
    return await work();
  } finally {
    release();
    await transaction;
  }
}

function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
    });
  });
}

describe("isDatabaseUnavailable on the real driver's errors", () => {
  it("is true for a pool exhausted past its acquire timeout", async () => {
    const error = await whilePoolExhausted(() => rejection(() => tiny.study.count()));
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it("is true for a backend terminated under a query (pg_terminate_backend)", async () => {
    const client = createPrismaClient(db.url, { maxConnections: 1 });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const sleeping = rejection(() => client.$queryRaw`SELECT pg_sleep(30)`);
      // Terminate it once it is running (its own pid is the one running pg_sleep).
      for (let i = 0; i < 100; i++) {
        const { rowCount } = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()",
          [db.name],
        );
        if (rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const error = await sleeping;
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    } finally {
      await admin.end();
      await client.$disconnect();
    }
  });

  it("is true for a server that is not there", async () => {
    const client = createPrismaClient(`postgresql://postgres@127.0.0.1:${await unusedPort()}/none`, {
      acquireTimeoutMs: 2_000,
    });
    try {
      const error = await rejection(() => client.study.count());
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      // A raw statement (the trial store's hot paths) fails with another code (P2010) for the same cause.
      const raw = await rejection(() => client.$queryRaw`SELECT 1`);
      expect(isDatabaseUnavailable(raw), String(raw)).toBe(true);
    } finally {
      await client.$disconnect();
    }
  });

  it("is false for what a request or the code got wrong", async () => {
    expect(isDatabaseUnavailable(await rejection(() => db.prisma.$queryRawUnsafe("SELECT nope")))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new HpoError("not_found", "Study not found"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("bad input"), { code: "22P02" }))).toBe(false);
  });
});

/**
 * An API over `tiny` for the tests of one describe block: built before them, closed after; `app()` is
 * the instance once built.
 */
function apiOnTinyPool(adminToken: string, admission?: BuildAppOptions["admission"]): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    const prefix = `hpo-test-${randomBytes(5).toString("hex")}`;
    app = await buildApp({
      prisma: tiny,
      redis,
      adminToken,
      redisPrefix: prefix,
      queuePrefix: prefix,
      rateLimit: false,
      ...(admission ? { admission } : {}),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await redis?.quit();
  });
  return () => {
    if (!app) throw new Error("the API is built in beforeAll");
    return app;
  };
}

describe("the API answers 503 database_unavailable with Retry-After", () => {
  const adminToken = `admin-${randomBytes(16).toString("hex")}`;
  const app = apiOnTinyPool(adminToken);

  const createProject = (name: string) =>
    app().inject({
      method: "POST",
      url: "/v1/projects",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      payload: JSON.stringify({ name }),
    });

  it("when the pool stays exhausted past its acquire timeout, and serves again once it frees", async () => {
    const startedAt = Date.now();
    const refused = await whilePoolExhausted(() => createProject("pool-busy"));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json<{ error: { code: string } }>().error.code).toBe(databaseUnavailableCode);
    // Bounded by the acquire timeout (300 ms), not by how long the connection stays held.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect((await createProject("pool-free")).statusCode).toBe(201);
  });
});

describe("the admission gate in front of the database stage", () => {
  const adminToken = `admin-${randomBytes(16).toString("hex")}`;
  const app = apiOnTinyPool(adminToken, { maxInFlight: 1, maxWaitMs: 50 });

  const listProjects = () =>
    app().inject({ method: "GET", url: "/v1/projects", headers: { authorization: `Bearer ${adminToken}` } });

  it("refuses what it cannot let in with 503 + Retry-After, and frees every slot afterwards", async () => {
    const answers = await whilePoolExhausted(() => Promise.all(Array.from({ length: 5 }, listProjects)));
    for (const answer of answers) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers["retry-after"]).toBe("1");
      expect(answer.json<{ error: { code: string } }>().error.code).toBe(databaseUnavailableCode);
    }
    // One at a time (a slot each): a slot leaked by the refusals above would turn these into 503s.
    for (let i = 0; i < 3; i++) expect((await listProjects()).statusCode).toBe(200);
    expect((await app().inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
