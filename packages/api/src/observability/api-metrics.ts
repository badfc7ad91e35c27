import type { PrismaClient } from "@hpo/db";
import type { Redis } from "ioredis";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { createOperatorMetrics, type OperatorMetrics } from "./operator-metrics.js";

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  trialsFinished: Counter<"state">;
  trialsProposed: Counter<"via">;
  /** Queue depth, trials by state, workers and slots, ask latency, trial duration (operator-metrics.ts). */
  operator: OperatorMetrics;
}

/** A registry per app (tests build many apps in one process; the global registry would collide). */
export function createApiMetrics(source: {
  prisma: PrismaClient;
  redis: Redis;
  queuePrefix: string;
}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "hpo_http_request_duration_seconds",
      help: "HTTP request duration by route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    trialsFinished: new Counter({
      name: "hpo_trials_finished_total",
      help: "Trials finished through the API, by final state",
      labelNames: ["state"],
      registers: [registry],
    }),
    trialsProposed: new Counter({
      name: "hpo_trials_proposed_total",
      help: "Trials created through the API, by how (ask, manual)",
      labelNames: ["via"],
      registers: [registry],
    }),
    operator: createOperatorMetrics(registry, source),
  };
}
