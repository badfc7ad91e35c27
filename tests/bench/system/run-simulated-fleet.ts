/**
 * `npm run bench:fleet-sim [-- --workers=50,200,500,1000 --seconds=20 --trial-seconds=3-9 --studies=4]`:
 * a fleet of simulated workers in this one process against one real API and one real scheduler (from
 * sources, a private database and a private redis-server, so Redis's CPU is the fleet's alone). Each
 * simulated worker (simulated-worker.ts) behaves like packages/worker on the wire: registers every 5 s,
 * takes jobs from its BullMQ queue, claims, heartbeats every 5 s, reports one step and tells, with a
 * synthetic trial duration (3–9 s by default: long enough that most trials heartbeat at the real 5 s
 * cadence, short enough that a stage sees many claims and tells). The fleet grows stage by stage; each stage measures completed trials/s, call
 * latencies, error answers and the CPU of the API, the scheduler, this database's Postgres backends,
 * Redis and the fleet process per completed trial, and names what saturated first
 * (fleet-stage-summary.ts). A last phase measures heartbeats/s per API core alone. Bounded: every stage
 * has a fixed window and the run stops itself after 8 minutes.
 */
import { execFileSync } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { benchmarkProblems } from "@hpo/core";
import { E2eStack } from "../../e2e/support/e2e-stack.js";
import { PrivateRedis } from "../../e2e/support/private-redis.js";
import { formatNumber, percentile } from "./figures.js";
import { scrapeEventLoopP99 } from "./api-load.js";
import {
  cpuBetween,
  describeActivity,
  hostBetween,
  postgresActivity,
  readCpu,
  type CpuReading,
} from "./fleet-cpu.js";
import {
  stageLines,
  stageRow,
  stageTableHeader,
  summariseStage,
  type StageSummary,
} from "./fleet-stage-summary.js";
import { countHttpAnswers, FleetRecorder, SimulatedWorker } from "./simulated-worker.js";
import { workerStudy } from "./worker-throughput.js";

function argument(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const stages = argument("workers", "50,200,500,1000").split(",").map(Number);
const measureSeconds = Number(argument("seconds", "20"));
const warmUpSeconds = Number(argument("warm-up", "5"));
const [minTrial = 3, maxTrial = 9] = argument("trial-seconds", "3-9").split("-").map(Number);
const studyCount = Number(argument("studies", "4"));
/** How long a stage waits for its new workers to register before it measures anyway. */
const joinCapSeconds = 30;
/** The real worker's defaults (services/worker/src/env.ts). */
const heartbeatIntervalMs = 5_000;
const registerIntervalMs = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The bench's own control calls (PATCH a study, ask): under the fleet's load the API's admission gate
 * serves workers' lease writes first and may answer these 503 with Retry-After; retry them for a minute.
 */
async function control<T>(stack: E2eStack, method: string, path: string, body: unknown): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await stack.user.request<T>(method, path, body);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    if (answer.status !== 503 || Date.now() > deadline) {
      throw new Error(`${method} ${path} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    await sleep(1_000);
  }
}
const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    process.stderr.write("[fleet] ran past its 8-minute bound; stopping\n");
    process.exit(2);
  }, 8 * 60_000);
  hardStop.unref();
  process.stdout.write(`[fleet] start: ${uptime()}\n`);
  const redis = await PrivateRedis.start();
  const stack = await E2eStack.start({
    label: "fleet",
    redisUrl: redis.url,
    workers: [],
    // Production timings and load shedding (services' defaults), not the e2e suite's fast ones; only the
    // per-key rate limit is lifted: the whole fleet shares one worker key (see docs/scaling.md).
    env: {
      LOG_LEVEL: "warn",
      HPO_RATE_LIMIT_PER_MINUTE: "100000000",
      HPO_WORKER_RATE_LIMIT_PER_MINUTE: "100000000",
      HPO_HEARTBEAT_INTERVAL_MS: String(heartbeatIntervalMs),
      HPO_HEARTBEAT_GRACE_MS: "30000",
      HPO_SWEEP_INTERVAL_MS: "2000",
      HPO_SHED_EVENT_LOOP_DELAY_MS: "1000",
    },
  });
  const recorder = new FleetRecorder();
  countHttpAnswers(recorder);
  // The fleet's own event-loop delay: when it is large, latencies include the load generator's lag.
  const fleetLoop = monitorEventLoopDelay({ resolution: 20 });
  fleetLoop.enable();
  const fleet: SimulatedWorker[] = [];
  const summaries: StageSummary[] = [];
  const reading = (): Promise<CpuReading> =>
    readCpu({
      services: stack.services.map((service) => ({
        role: service.name.split(" ")[0] ?? service.name,
        pid: service.child.pid,
      })),
      prisma: stack.db.prisma,
      redisInfo: () => redis.cli("INFO", "cpu"),
    });
  try {
    // Keep-alive calls alone first, on the quiet stack: what each costs the API before any trial runs.
    await keepAlivePhase(stack, reading);
    const studyIds: string[] = [];
    for (let index = 0; index < studyCount; index++) {
      studyIds.push(await stack.createStudy(workerStudy(`fleet-${index}`, "random", 1_000_000, 1)));
    }
    for (const workers of stages) {
      // Parallelism = the fleet's size: every free worker has a trial to take once the scheduler refills.
      for (const studyId of studyIds) {
        await control(stack, "PATCH", `/v1/studies/${studyId}`, {
          parallelism: Math.ceil(workers / studyCount),
        });
      }
      // Workers join in waves of 50 every half second (a fleet scaling up), each retrying its registration
      // until the API accepts it; the stage waits for them at most `joinCapSeconds`, then measures anyway.
      const joinStarted = performance.now();
      const joining: Promise<void>[] = [];
      while (fleet.length < workers) {
        const worker = new SimulatedWorker({
          id: `sim-${fleet.length}-${stack.prefix}`,
          apiUrl: stack.apiUrl,
          workerKey: stack.worker.token,
          redisUrl: redis.url,
          queuePrefix: stack.prefix,
          heartbeatIntervalMs,
          registerIntervalMs,
          trialSeconds: { min: minTrial, max: maxTrial },
          recorder,
        });
        fleet.push(worker);
        joining.push(worker.start());
        if (fleet.length % 50 === 0) await sleep(500);
      }
      await Promise.race([Promise.all(joining), sleep(joinCapSeconds * 1000)]);
      process.stdout.write(
        `[fleet] ${fleet.filter((worker) => worker.joined).length} of ${workers} workers registered and consuming after ${((performance.now() - joinStarted) / 1000).toFixed(1)} s\n`,
      );
      // The first stage also warms the services up (JIT, pools, the scheduler's first fills): 3× as long.
      await sleep(warmUpSeconds * 1000 * (workers === stages[0] ? 3 : 1));
      const joined = fleet.filter((worker) => worker.joined).length;
      const abandonedBefore = await countAbandoned(stack, studyIds);
      const before = await reading();
      await apiLoopDelay(stack); // resets the API's gauge: the next scrape covers the window
      fleetLoop.reset();
      recorder.reset();
      recorder.recording = true;
      const started = performance.now();
      const activity: Map<string, number>[] = [];
      while (performance.now() - started < measureSeconds * 1000) {
        await sleep(2_000);
        activity.push(await postgresActivity(stack.db.prisma));
      }
      recorder.recording = false;
      const apiLoopMs = await apiLoopDelay(stack);
      const fleetLoopMs = fleetLoop.percentile(99) / 1e6;
      const windowSeconds = (performance.now() - started) / 1000;
      const after = await reading();
      const abandoned = (await countAbandoned(stack, studyIds)) - abandonedBefore;
      const summary = summariseStage({
        workers,
        joined,
        abandoned,
        meanTrialSeconds: (minTrial + maxTrial) / 2,
        windowSeconds,
        completed: recorder.completed,
        latenciesMs: recorder.latenciesMs,
        statuses: recorder.statuses,
        networkErrors: recorder.networkErrors,
        claimConflicts: recorder.claimConflicts,
        failedJobs: recorder.failedJobs,
        jobWaitMs: recorder.jobWaitMs,
        cpuSeconds: cpuBetween(before, after),
        host: hostBetween(before, after),
        diagnostics: `Postgres backends busy (mean of ${activity.length} samples): ${describeActivity(activity)}; event-loop delay p99: API ${formatNumber(apiLoopMs)} ms, fleet process ${formatNumber(fleetLoopMs)} ms`,
      });
      summaries.push(summary);
      for (const line of stageLines(summary)) process.stdout.write(`${line}\n`);
      process.stdout.write(`[fleet]   ${uptime()}\n`);
    }
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.stack : String(error)}\n${stack.describeServices()}\n`,
    );
    process.exitCode = 1;
  } finally {
    await Promise.all(fleet.map((worker) => worker.stop()));
    await stack.dispose();
    await redis.stop();
  }
  process.stdout.write(`\n${stageTableHeader}\n${summaries.map(stageRow).join("\n")}\n`);
  process.stdout.write(`[fleet] end: ${uptime()}\n`);
  process.exit(process.exitCode ?? 0);
}

/** The API's event-loop delay p99 (GET /metrics), or null when an overloaded API does not answer. */
function apiLoopDelay(stack: E2eStack): Promise<number | null> {
  return scrapeEventLoopP99(stack.apiUrl).catch(() => null);
}

/** Fleet trials the reconciler took back from their workers (their heartbeats came later than the grace). */
function countAbandoned(stack: E2eStack, studyIds: string[]): Promise<number> {
  return stack.db.prisma.trial.count({ where: { state: "abandoned", studyId: { in: studyIds } } });
}

/**
 * The calls every worker sends whatever its trials do, alone: heartbeats (200 leases from asks on an
 * ask/tell study, round robin) and registrations (200 worker ids), 64 concurrent loops for
 * `measureSeconds / 2` each after a 3 s warm-up of the same loop; API and Postgres CPU per call.
 */
async function keepAlivePhase(stack: E2eStack, reading: () => Promise<CpuReading>): Promise<void> {
  const studyId = await stack.createStudy({
    name: "fleet-heartbeats",
    objective: { metric: "loss", direction: "minimize" },
    space: benchmarkProblems.branin.space,
    sampler: { type: "random" },
    budget: { maxTrials: 1_000_000, parallelism: 10_000 },
    seed: 5,
  });
  const leases: { id: string; leaseToken: string }[] = [];
  for (let index = 0; index < 200; index++) {
    leases.push(await control(stack, "POST", `/v1/studies/${studyId}/ask`, {}));
  }
  const calls = {
    heartbeat: (index: number) => {
      const lease = leases[index % leases.length];
      return stack.user.request("POST", `/v1/trials/${lease?.id}/heartbeat`, {
        leaseToken: lease?.leaseToken,
      });
    },
    register: (index: number) =>
      stack.worker.request("POST", "/v1/workers", {
        id: `keepalive-${index % 200}-${stack.prefix}`,
        host: "fleet-sim",
        gpus: [],
        backend: "cpu",
        slots: 1,
        pool: "default",
      }),
  };
  for (const [name, send] of Object.entries(calls)) {
    const run = async (seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      const latencies: number[] = [];
      let failed = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (Date.now() < deadline) {
            const sent = performance.now();
            const answer = await send(next++);
            if (answer.status === 200 || answer.status === 201) latencies.push(performance.now() - sent);
            else failed++;
          }
        }),
      );
      return { latencies, failed };
    };
    await run(3);
    const before = await reading();
    const started = performance.now();
    const { latencies, failed } = await run(measureSeconds / 2);
    const seconds = (performance.now() - started) / 1000;
    const used = cpuBetween(before, await reading());
    const count = Math.max(1, latencies.length);
    const api = used.api ?? 0;
    process.stdout.write(
      `[fleet] ${name} alone: ${formatNumber(latencies.length / seconds)}/s, p50 ${formatNumber(percentile(latencies, 50))} / p99 ${formatNumber(percentile(latencies, 99))} ms, ${failed} failed; API ${formatNumber((api * 1000) / count)} ms CPU each = ${formatNumber(latencies.length / Math.max(api, 1e-9))}/s per API core; Postgres ${formatNumber(((used.postgres ?? 0) * 1000) / count)} ms, Redis ${formatNumber(((used.redis ?? 0) * 1000) / count)} ms each; ${uptime()}\n`,
    );
  }
}

void main();
