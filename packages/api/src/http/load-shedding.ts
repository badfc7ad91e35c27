import underPressure from "@fastify/under-pressure";
import { HpoError } from "@hpo/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface LoadSheddingOptions {
  /** Mean event-loop delay (ms, over one sample interval) past which requests are shed; 0 turns it off. */
  maxEventLoopDelayMs: number;
  /** Event-loop utilization (0..1, over one sample interval) past which requests are shed; 0 turns it off. */
  maxEventLoopUtilization: number;
  /** Seconds a shed client is told to wait (Retry-After). */
  retryAfterSeconds: number;
  /** How often the load is measured (ms). */
  sampleIntervalMs?: number;
}

/** The API is overloaded: a 503 with Retry-After (code `overloaded`, http/error-status.ts). */
export function overloadedError(measure: string, value: number | undefined): HpoError {
  return new HpoError("overloaded", "The API is overloaded; retry after the Retry-After delay", {
    status: 503,
    retryable: true,
    details: { measure, value: value === undefined ? null : Math.round(value * 1000) / 1000 },
  });
}

/**
 * Load shedding (@fastify/under-pressure): while the event loop lags past the bound, requests are
 * answered at once with 503 and Retry-After instead of queueing behind the ones already late, so the
 * API's latency stays bounded and clients back off. Public routes (`/healthz`, `/readyz`, `/metrics`)
 * are never shed: a liveness probe that failed under load would get a busy but healthy API restarted.
 * Registered at the root, before authentication, so a shed request costs no database lookup.
 */
export async function installLoadShedding(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  if (options.maxEventLoopDelayMs <= 0 && options.maxEventLoopUtilization <= 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxEventLoopUtilization: options.maxEventLoopUtilization,
    // The delay is the mean over the last interval; utilization over the same interval, not since start.
    eventLoopUtilizationMode: "interval",
    sampleInterval: options.sampleIntervalMs ?? 1000,
    retryAfter: options.retryAfterSeconds,
    pressureHandler: async (
      request: FastifyRequest,
      reply: FastifyReply,
      type: string,
      value: number | undefined,
    ) => {
      if (request.routeOptions.config.access === "public") return;
      void reply.header("retry-after", String(options.retryAfterSeconds));
      throw overloadedError(type, value);
    },
  });
}
