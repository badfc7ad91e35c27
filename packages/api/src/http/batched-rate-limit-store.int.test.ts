import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchedRateLimitStore } from "./batched-rate-limit-store.js";

const redisUrl = process.env["HPO_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";
let redis: Redis;
let nameSpace: string;

beforeAll(() => {
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
});
afterAll(async () => {
  const keys = await redis.keys(`hpo-test-rl-*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function freshNameSpace(): string {
  nameSpace = `hpo-test-rl-${randomBytes(5).toString("hex")}:`;
  return nameSpace;
}

/** One hit as the plugin makes it: the store's answer, or its error. */
function hit(
  store: BatchedRateLimitStore,
  key: string,
  max: number,
  windowMs = 60_000,
): Promise<{ current: number; ttl: number }> {
  return new Promise((resolve, reject) => {
    store.incr(
      key,
      (error, result) => (error || !result ? reject(error ?? new Error("no result")) : resolve(result)),
      windowMs,
      max,
    );
  });
}

describe("BatchedRateLimitStore", () => {
  it("makes about one Redis round trip per batch far from the limit, and Redis holds the total", async () => {
    const store = new BatchedRateLimitStore({ redis, nameSpace: freshNameSpace(), batch: 32 });
    for (let i = 0; i < 320; i++) await hit(store, "key-a", 1_000_000);
    // The plugin's RedisStore made 320; batched: the first hit, then one per 32 hits.
    expect(store.roundTrips).toBeLessThanOrEqual(12);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // All but the last replica-local hits (fewer than a batch) are in Redis for the other replicas.
    expect(Number(await redis.get(`${nameSpace}key-a`))).toBeGreaterThan(320 - 32);
    expect(await redis.pttl(`${nameSpace}key-a`)).toBeGreaterThan(50_000);
  });

  it("is exact near the limit on one replica", async () => {
    const store = new BatchedRateLimitStore({ redis, nameSpace: freshNameSpace(), batch: 32 });
    const counts: number[] = [];
    for (let i = 0; i < 105; i++) counts.push((await hit(store, "key-b", 100)).current);
    expect(counts.filter((current) => current <= 100)).toHaveLength(100);
    expect(counts.slice(100)).toEqual([101, 102, 103, 104, 105]);
  });

  it("is exact for a concurrent burst on one replica: exactly `max` hits are admitted", async () => {
    const store = new BatchedRateLimitStore({ redis, nameSpace: freshNameSpace(), batch: 32 });
    for (const [burst, max] of [
      [50, 30],
      [200, 120],
    ] as const) {
      const key = `key-burst-${max}`;
      const answers = await Promise.all(Array.from({ length: burst }, () => hit(store, key, max)));
      expect(answers.filter((answer) => answer.current <= max)).toHaveLength(max);
    }
  });

  it("holds one budget across replicas within (replicas - 1) × (batch - 1)", async () => {
    const space = freshNameSpace();
    const batch = 16;
    const replicas = [0, 1, 2].map(() => new BatchedRateLimitStore({ redis, nameSpace: space, batch }));
    const max = 300;
    let admitted = 0;
    // Round robin over the replicas, as a load balancer would spread one key's requests.
    for (let i = 0; i < 600; i++) {
      const store = replicas[i % replicas.length];
      if (!store) throw new Error("no replica");
      if ((await hit(store, "key-c", max)).current <= max) admitted++;
      // Requests arrive through I/O, so Redis's answers are read between them (as in a real API). A PING on
      // the stores' own connection guarantees it: answers come in order, so every add sent before it has
      // been answered when it returns. One setImmediate did not: under CI load Redis answered after several
      // turns of the loop, the replicas kept counting on stale totals and admitted 507 of 600 (the store's
      // extra "one round trip's worth" of hits, here the whole loop).
      await redis.ping();
    }
    expect(admitted).toBeGreaterThanOrEqual(max - (replicas.length - 1) * (batch - 1));
    expect(admitted).toBeLessThanOrEqual(max + (replicas.length - 1) * (batch - 1));
  });

  it("starts a new budget when the window ends", async () => {
    const store = new BatchedRateLimitStore({ redis, nameSpace: freshNameSpace(), batch: 32 });
    const first = [await hit(store, "key-d", 2, 300), await hit(store, "key-d", 2, 300)];
    expect((await hit(store, "key-d", 2, 300)).current).toBe(3);
    expect(first.map((result) => result.current)).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await hit(store, "key-d", 2, 300)).current).toBe(1);
  });

  it("passes a Redis failure to the plugin (which lets the request through) and keeps the hit", async () => {
    const broken = new Redis(redisUrl, {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    broken.disconnect();
    const store = new BatchedRateLimitStore({ redis: broken, nameSpace: freshNameSpace(), batch: 32 });
    await expect(hit(store, "key-e", 10)).rejects.toThrow();
  });
});
