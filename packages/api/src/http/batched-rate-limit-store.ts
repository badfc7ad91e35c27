import type { FastifyRateLimitOptions, FastifyRateLimitStore } from "@fastify/rate-limit";
import type { Redis } from "ioredis";

/**
 * Adds `delta` hits to a key's window and returns the window's total and remaining time. The first hits
 * of a window set its expiry; a key left without one (never expected) gets one, so it cannot live forever.
 */
const incrementScript = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == tonumber(ARGV[1]) or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {current, ttl}
`;

declare module "ioredis" {
  interface RedisCommander {
    hpoRateLimitAdd(key: string, delta: number, windowMs: number): Promise<[number, number]>;
  }
}

export interface BatchedRateLimitOptions {
  redis: Redis;
  /** Prefix of the Redis keys (one per rate-limit key and window). */
  nameSpace: string;
  /** Hits a replica may count locally before it adds them to Redis (default 32). */
  batch?: number;
  /** A key's local hits older than this are added to Redis at its next hit (default 250 ms). */
  syncIntervalMs?: number;
  now?: () => number;
}

interface KeyWindow {
  /** The key's total in Redis as of the last answer from Redis (all replicas' added hits). */
  known: number;
  /** Hits counted here and not yet added to Redis. */
  pending: number;
  /** Hits sent to Redis whose answer has not come yet. */
  inFlight: number;
  /** Whether Redis has answered for this window yet (until then every hit waits for Redis). */
  confirmed: boolean;
  endsAt: number;
  syncedAt: number;
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store that counts hits in Redis, shared by every API replica, but in batches: far
 * from the limit a replica counts a key's hits locally and adds them to Redis every `batch` hits or
 * `syncIntervalMs`, without waiting for the answer, so most requests make no Redis round trip (the
 * plugin's own RedisStore made one per request: the API's largest Redis cost under ask/tell load,
 * docs/scaling.md §1). Near the limit (within `batch` hits) and at the first hit of a window, each hit
 * waits for Redis, so a single replica is exact.
 *
 * Tolerance across replicas: a replica does not see the hits another replica holds locally, at most
 * `batch - 1` per key, so R replicas admit at most `max + (R - 1) × (batch - 1)` requests of one key in a
 * window (plus those admitted while an answer from Redis is on its way, one round trip's worth). Hits held locally when a window ends are dropped with it. If Redis fails, the hits stay counted
 * locally and the error goes to the plugin (skipOnError lets the request through).
 */
export class BatchedRateLimitStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, KeyWindow>();
  private readonly batch: number;
  private readonly syncIntervalMs: number;
  private readonly now: () => number;
  /** Redis round trips made (tests and benchmarks read it). */
  roundTrips = 0;

  constructor(private readonly options: BatchedRateLimitOptions) {
    this.batch = options.batch ?? 32;
    this.syncIntervalMs = options.syncIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
    options.redis.defineCommand("hpoRateLimitAdd", { numberOfKeys: 1, lua: incrementScript });
  }

  /** The constructor the plugin's `store` option takes (it calls `new Store(pluginOptions)`). */
  static ctor(
    options: BatchedRateLimitOptions,
  ): new (pluginOptions: FastifyRateLimitOptions) => BatchedRateLimitStore {
    return class extends BatchedRateLimitStore {
      // The plugin passes its own options; this store's come from the closure.
      constructor() {
        super(options);
      }
    };
  }

  incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
    const now = this.now();
    const window = this.windowOf(key, now, timeWindow);
    window.pending++;
    const estimate = window.known + window.inFlight + window.pending;
    if (!window.confirmed || estimate + this.batch > max) {
      // Exact where it matters: Redis's total right after this hit was added counts every earlier hit
      // (any replica's, and this replica's sent before it: one connection answers in order) and no
      // later one. The window's own figures at answer time would also count hits that came after this
      // one, and a concurrent burst would then be refused one request early.
      this.sync(key, window, timeWindow).then(
        (current) =>
          callback(null, {
            current,
            ttl: window.endsAt - this.now(),
          }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
      return;
    }
    if (window.pending >= this.batch || now - window.syncedAt >= this.syncIntervalMs) {
      // Not awaited: this request is far from the limit either way. A failed add keeps its hits pending.
      this.sync(key, window, timeWindow).catch(() => undefined);
    }
    callback(null, { current: estimate, ttl: window.endsAt - now });
  }

  child(): this {
    // Routes with their own limits are not used by the API; one budget per key across routes.
    return this;
  }

  private windowOf(key: string, now: number, timeWindow: number): KeyWindow {
    const found = this.windows.get(key);
    if (found && found.endsAt > now) return found;
    if (this.windows.size >= maxKeys) this.dropEndedWindows(now);
    const window: KeyWindow = {
      known: 0,
      pending: 0,
      inFlight: 0,
      confirmed: false,
      endsAt: now + timeWindow,
      syncedAt: now,
    };
    this.windows.set(key, window);
    return window;
  }

  /** Adds the key's pending hits to Redis; resolves to Redis's total for the window right after them. */
  private async sync(key: string, window: KeyWindow, timeWindow: number): Promise<number> {
    const delta = window.pending;
    window.pending = 0;
    window.inFlight += delta;
    window.syncedAt = this.now();
    this.roundTrips++;
    try {
      // Answers on one connection come in order, so `current` only grows within a window.
      const [current, ttl] = await this.options.redis.hpoRateLimitAdd(
        this.options.nameSpace + key,
        delta,
        timeWindow,
      );
      window.inFlight -= delta;
      window.known = current;
      window.confirmed = true;
      window.endsAt = this.now() + ttl;
      return current;
    } catch (error) {
      window.inFlight -= delta;
      window.pending += delta;
      throw error;
    }
  }

  private dropEndedWindows(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    // Still full (that many live keys): forget them all; each then pays one exact round trip again.
    if (this.windows.size >= maxKeys) this.windows.clear();
  }
}

const maxKeys = 10_000;
