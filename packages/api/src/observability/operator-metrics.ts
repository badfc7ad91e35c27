import { trialStates, WORKER_ALIVE_WITHIN_MS } from "@hpo/contracts";
import { listTrialQueueNames, poolOfTrialQueue } from "@hpo/queue";
import { readAllTrialCounts, type PrismaClient } from "@hpo/db";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { Gauge, Histogram, type Registry } from "prom-client";

const aliveWithinMs = WORKER_ALIVE_WITHIN_MS;
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
  const aliveSince = () => new Date(Date.now() - aliveWithinMs);
  // One queue per project and pool (trials.<pool>.<projectId>), found by SCAN at each scrape.
  const queues = new Map<string, Queue>();
  const trialQueue = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: source.redis, prefix: source.queuePrefix });
      queues.set(name, queue);
    }
    return queue;
  };
  /** Job counts by pool and state, summed over the pool's project queues. */
  const countJobsByPool = async () => {
    const byPool = new Map<string, Record<string, number>>();
    for (const name of await listTrialQueueNames(source.redis, source.queuePrefix)) {
      const pool = poolOfTrialQueue(name);
      if (pool === null) continue;
      const counts = await trialQueue(name).getJobCounts(...queueStates);
      const sum = byPool.get(pool) ?? {};
      for (const state of queueStates) sum[state] = (sum[state] ?? 0) + (counts[state] ?? 0);
      byPool.set(pool, sum);
    }
    return byPool;
  };

  new Gauge({
    name: "hpo_queue_jobs",
    help: "Trial jobs in all trial queues by state (waiting: no worker has taken them yet)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      try {
        const byPool = await countJobsByPool();
        for (const state of queueStates) {
          let total = 0;
          for (const counts of byPool.values()) total += counts[state] ?? 0;
          this.set({ state }, total);
        }
      } catch {
        // Redis unreachable: keep the last values; /readyz reports the outage.
      }
    },
  });
  new Gauge({
    name: "hpo_pool_queue_jobs",
    help: "Trial jobs per worker pool by state: what an autoscaler scales each pool on",
    labelNames: ["pool", "state"],
    registers: [registry],
    async collect() {
      try {
        for (const [pool, counts] of await countJobsByPool()) {
          for (const state of queueStates) this.set({ pool, state }, counts[state] ?? 0);
        }
      } catch {
        // Redis unreachable: keep the last values.
      }
    },
  });
  new Gauge({
    name: "hpo_pool_worker_slots",
    help: "Trial slots of the live workers per pool, busy (running a trial) or free",
    labelNames: ["pool", "kind"],
    registers: [registry],
    async collect() {
      try {
        const workers = await source.prisma.worker.findMany({
          where: { lastSeen: { gte: aliveSince() } },
          select: { id: true, pool: true, slots: true },
        });
        const running = await source.prisma.trial.groupBy({
          by: ["workerId"],
          where: { state: "running", workerId: { in: workers.map((worker) => worker.id) } },
          _count: { _all: true },
        });
        const busyBy = new Map(running.map((group) => [group.workerId, group._count._all]));
        const sums = new Map<string, { busy: number; free: number }>();
        for (const worker of workers) {
          const busy = Math.min(worker.slots, busyBy.get(worker.id) ?? 0);
          const sum = sums.get(worker.pool) ?? { busy: 0, free: 0 };
          sum.busy += busy;
          sum.free += worker.slots - busy;
          sums.set(worker.pool, sum);
        }
        this.reset();
        for (const [pool, sum] of sums) {
          this.set({ pool, kind: "busy" }, sum.busy);
          this.set({ pool, kind: "free" }, sum.free);
        }
      } catch {
        // PostgreSQL unreachable: keep the last values.
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
        // The running counts (a few rows per study), not a count of every trial of every study.
        const counts = await readAllTrialCounts(source.prisma);
        for (const state of trialStates) this.set({ state }, counts[state]);
      } catch {
        // PostgreSQL unreachable: keep the last values.
      }
    },
  });
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
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
