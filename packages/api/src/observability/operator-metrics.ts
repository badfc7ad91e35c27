import { TRIAL_QUEUE_NAME, trialStates } from "@hpo/contracts";
import type { PrismaClient } from "@hpo/db";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { Gauge, Histogram, type Registry } from "prom-client";

/** A worker that has not registered for this long is not alive (it registers every ~5 s), as in GET /v1/workers. */
const aliveWithinMs = 30_000;
const queueStates = ["waiting", "active", "delayed", "prioritized"] as const;

export interface OperatorMetrics {
  /** POST /v1/studies/:id/ask, from request to answer: `trial` when a point was handed out, else `refused`. */
  askDuration: Histogram<"outcome">;
  /** Trials from start to their final state, observed when they are told. */
  trialDuration: Histogram<"state">;
  close(): Promise<void>;
}

/**
 * What an operator scales workers on and alerts on (GET /metrics): queue depth by job state, trials by state,
 * workers alive and their slots, busy slots, ask latency and trial duration. The gauges are read from Redis
 * and PostgreSQL when Prometheus scrapes; a read that fails leaves the last value rather than failing the scrape.
 */
export function createOperatorMetrics(
  registry: Registry,
  source: { prisma: PrismaClient; redis: Redis; queuePrefix: string },
): OperatorMetrics {
  let queue: Queue | null = null;
  const trialQueue = () =>
    (queue ??= new Queue(TRIAL_QUEUE_NAME, { connection: source.redis, prefix: source.queuePrefix }));

  new Gauge({
    name: "hpo_queue_jobs",
    help: "Trial jobs in the BullMQ queue by state (waiting: no worker has taken them yet)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      try {
        const counts = await trialQueue().getJobCounts(...queueStates);
        for (const state of queueStates) this.set({ state }, counts[state] ?? 0);
      } catch {
        // Redis unreachable: keep the last values; /readyz reports the outage.
      }
    },
  });
  new Gauge({
    name: "hpo_trials",
    help: "Trials by state, all projects",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      try {
        const groups = await source.prisma.trial.groupBy({ by: ["state"], _count: { _all: true } });
        const counts = new Map(groups.map((group) => [group.state, group._count._all]));
        for (const state of trialStates) this.set({ state }, counts.get(state) ?? 0);
      } catch {
        // PostgreSQL unreachable: keep the last values.
      }
    },
  });
  const aliveSince = () => new Date(Date.now() - aliveWithinMs);
  new Gauge({
    name: "hpo_workers_alive",
    help: "Workers that registered within the last 30 s",
    registers: [registry],
    async collect() {
      try {
        this.set(await source.prisma.worker.count({ where: { lastSeen: { gte: aliveSince() } } }));
      } catch {
        // PostgreSQL unreachable: keep the last value.
      }
    },
  });
  new Gauge({
    name: "hpo_worker_slots",
    help: "Trial slots of the workers alive (registered within the last 30 s)",
    registers: [registry],
    async collect() {
      try {
        const alive = await source.prisma.worker.aggregate({
          where: { lastSeen: { gte: aliveSince() } },
          _sum: { slots: true },
        });
        this.set(alive._sum.slots ?? 0);
      } catch {
        // PostgreSQL unreachable: keep the last value.
      }
    },
  });
  new Gauge({
    name: "hpo_worker_slots_busy",
    help: "Trials running now, each holding a worker slot (or an ask/tell client)",
    registers: [registry],
    async collect() {
      try {
        this.set(await source.prisma.trial.count({ where: { state: "running" } }));
      } catch {
        // PostgreSQL unreachable: keep the last value.
      }
    },
  });
  return {
    askDuration: new Histogram({
      name: "hpo_ask_duration_seconds",
      help: "Ask latency (POST /v1/studies/:id/ask), by outcome: trial handed out or refused",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    trialDuration: new Histogram({
      name: "hpo_trial_duration_seconds",
      help: "Trial duration from start to its final state, by final state",
      labelNames: ["state"],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400],
      registers: [registry],
    }),
    async close() {
      await queue?.close();
    },
  };
}
