/**
 * The pure half of the simulated-fleet bench (run-simulated-fleet.ts): what one stage's raw samples add
 * up to, and which resource ran out first. No I/O here, so fleet-stage-summary.test.ts checks it directly.
 */
import { formatNumber, percentile } from "./figures.js";

/** The calls a simulated worker makes, each timed from its first attempt to its answer (retries included). */
export const fleetCalls = ["claim", "heartbeat", "report", "tell", "register"] as const;
export type FleetCall = (typeof fleetCalls)[number];

/** What a stage's measurement window recorded. */
export interface StageSamples {
  /** Simulated workers offered in this stage. */
  workers: number;
  /** Of those, how many had registered and were consuming when the window opened. */
  joined: number;
  /** Mean synthetic trial duration in seconds (so workers / duration = trials/s the fleet could complete). */
  meanTrialSeconds: number;
  windowSeconds: number;
  /** Successful tells in the window. */
  completed: number;
  latenciesMs: Record<FleetCall, number[]>;
  /** Raw HTTP answers by status (every attempt, retries included), and requests that got no answer. */
  statuses: Record<number, number>;
  networkErrors: number;
  /** Claims answered 409/404: the trial was no longer claimable (a job of a stopped study, a duplicate). */
  claimConflicts: number;
  /** Trials the scheduler's reconciler reclaimed in the window (heartbeats too late: leases lost). */
  abandoned: number;
  /** BullMQ jobs whose processing threw (a call that failed after its retries). */
  failedJobs: number;
  /** Milliseconds a worker sat idle between finishing one trial and its next job arriving. */
  jobWaitMs: number[];
  /** CPU seconds each process (or process group) used in the window. */
  cpuSeconds: Record<string, number>;
  /** Free text measured beside the figures (Postgres backends' waits, event-loop delays), printed as is. */
  diagnostics: string;
  /** The whole machine over the window: busy fraction of all its cores (/proc/stat), and its load. */
  host: { cores: number; busyFraction: number; load1: number };
}

/** How many cores a resource can use at most: the Node services and Redis run one main thread. */
export function coreLimitOf(resource: string, hostCores: number): number {
  return resource === "postgres" ? hostCores : 1;
}

export interface ResourceUse {
  resource: string;
  /** Cores used over the window (CPU seconds / wall seconds). */
  cores: number;
  /** Fraction of what the resource can use (its core limit). */
  ofLimit: number;
  /** Milliseconds of CPU per completed trial; null when no trial completed. */
  msPerTrial: number | null;
}

export interface Verdict {
  /** The resource that saturated first, "host CPU" when the machine ran out before any one process, or null. */
  saturated: string | null;
  why: string;
}

/** A process is saturated when it uses this much of its core limit. */
export const SATURATED_AT = 0.85;
/** The machine is out of CPU when this much of all its cores is busy (other tenants included). */
export const HOST_BUSY_AT = 0.9;
/** Below this fraction of the fleet's demand the service is not keeping up. */
export const KEEPING_UP_AT = 0.8;

export function resourceUse(samples: StageSamples): ResourceUse[] {
  return Object.entries(samples.cpuSeconds)
    .map(([resource, seconds]) => {
      const cores = samples.windowSeconds > 0 ? seconds / samples.windowSeconds : 0;
      return {
        resource,
        cores,
        ofLimit: cores / coreLimitOf(resource, samples.host.cores),
        msPerTrial: samples.completed > 0 ? (seconds * 1000) / samples.completed : null,
      };
    })
    .sort((a, b) => b.ofLimit - a.ofLimit);
}

/**
 * Which resource ran out first: the process nearest its core limit if it is at SATURATED_AT or more;
 * otherwise, when the service completes less than KEEPING_UP_AT of what the fleet could run and the
 * machine's cores are all busy (a shared machine: other tenants count), the host's CPU; otherwise none.
 */
export function saturationVerdict(samples: StageSamples, uses = resourceUse(samples)): Verdict {
  const top = uses[0];
  if (top && top.ofLimit >= SATURATED_AT) {
    return {
      saturated: top.resource,
      why: `${top.resource} at ${Math.round(top.ofLimit * 100)}% of ${coreLimitOf(top.resource, samples.host.cores) === 1 ? "its core" : `${samples.host.cores} cores`}`,
    };
  }
  const demand = samples.meanTrialSeconds > 0 ? samples.joined / samples.meanTrialSeconds : 0;
  const served = samples.windowSeconds > 0 ? samples.completed / samples.windowSeconds : 0;
  const keepingUp = demand === 0 || served >= KEEPING_UP_AT * demand;
  const hostBusy = samples.host.busyFraction >= HOST_BUSY_AT;
  if (!keepingUp && hostBusy) {
    return {
      saturated: "host CPU",
      why: `all ${samples.host.cores} cores ${Math.round(samples.host.busyFraction * 100)}% busy (load ${samples.host.load1.toFixed(1)}) with no process at its limit; largest: ${top ? `${top.resource} ${top.cores.toFixed(2)} cores` : "n/a"}`,
    };
  }
  if (!keepingUp) {
    return {
      saturated: null,
      why: `served ${formatNumber(served)} of ${formatNumber(demand)} trials/s with CPU to spare: latency-bound, not CPU-bound`,
    };
  }
  return { saturated: null, why: `kept up: ${formatNumber(served)} of ${formatNumber(demand)} trials/s` };
}

export interface StageSummary {
  workers: number;
  joined: number;
  abandoned: number;
  demandPerSecond: number;
  trialsPerSecond: number;
  latency: Record<FleetCall, { p50: number | null; p99: number | null; count: number }>;
  jobWaitP50Ms: number | null;
  errors: { status5xx: number; status503: number; status429: number; other4xx: number; network: number };
  claimConflicts: number;
  failedJobs: number;
  uses: ResourceUse[];
  verdict: Verdict;
  /** Derived capacity: completed trials/s per core of the API and of Postgres (null without data). */
  trialsPerApiCore: number | null;
  trialsPerPostgresCore: number | null;
  diagnostics: string;
  load1: number;
}

export function summariseStage(samples: StageSamples): StageSummary {
  const latency = Object.fromEntries(
    fleetCalls.map((call) => {
      const values = samples.latenciesMs[call];
      return [call, { p50: percentile(values, 50), p99: percentile(values, 99), count: values.length }];
    }),
  ) as Record<FleetCall, { p50: number | null; p99: number | null; count: number }>;
  let status5xx = 0;
  let status503 = 0;
  let status429 = 0;
  let other4xx = 0;
  for (const [code, count] of Object.entries(samples.statuses)) {
    const status = Number(code);
    if (status === 503) status503 += count;
    if (status >= 500) status5xx += count;
    else if (status === 429) status429 += count;
    else if (status >= 400) other4xx += count;
  }
  const uses = resourceUse(samples);
  const perCore = (resource: string): number | null => {
    const use = uses.find((entry) => entry.resource === resource);
    return use?.msPerTrial ? 1000 / use.msPerTrial : null;
  };
  return {
    workers: samples.workers,
    joined: samples.joined,
    abandoned: samples.abandoned,
    demandPerSecond: samples.meanTrialSeconds > 0 ? samples.joined / samples.meanTrialSeconds : 0,
    trialsPerSecond: samples.windowSeconds > 0 ? samples.completed / samples.windowSeconds : 0,
    latency,
    jobWaitP50Ms: percentile(samples.jobWaitMs, 50),
    errors: { status5xx, status503, status429, other4xx, network: samples.networkErrors },
    claimConflicts: samples.claimConflicts,
    failedJobs: samples.failedJobs,
    uses,
    verdict: saturationVerdict(samples, uses),
    trialsPerApiCore: perCore("api"),
    trialsPerPostgresCore: perCore("postgres"),
    diagnostics: samples.diagnostics,
    load1: samples.host.load1,
  };
}

const ms = (value: number | null) => formatNumber(value);

/** One markdown row of the docs/scaling.md table. */
export function stageRow(summary: StageSummary): string {
  const l = summary.latency;
  const cpu = summary.uses
    .map((use) => `${use.resource} ${use.cores.toFixed(2)} (${ms(use.msPerTrial)} ms/trial)`)
    .join(", ");
  const e = summary.errors;
  const joined = summary.joined === summary.workers ? "" : ` (${summary.joined} joined)`;
  return `| ${summary.workers}${joined} | ${formatNumber(summary.demandPerSecond)} | ${formatNumber(summary.trialsPerSecond)} | ${ms(l.claim.p50)} / ${ms(l.claim.p99)} | ${ms(l.heartbeat.p50)} / ${ms(l.heartbeat.p99)} | ${ms(l.tell.p50)} / ${ms(l.tell.p99)} | ${ms(summary.jobWaitP50Ms)} | ${e.status5xx} / ${e.status503} / ${e.status429} / ${e.network} | ${summary.abandoned} | ${cpu} | ${summary.verdict.saturated ?? "none"}: ${summary.verdict.why} | ${summary.diagnostics} | ${summary.load1.toFixed(1)} |`;
}

export const stageTableHeader = [
  "| workers | demand trials/s | completed trials/s | claim p50 / p99 ms | heartbeat p50 / p99 ms | tell p50 / p99 ms | job wait p50 ms | 5xx / 503 / 429 / no answer | leases lost | cores used (CPU per trial) | saturated first | waits and event-loop delay | load |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
].join("\n");

/** The stage on one console line block. */
export function stageLines(summary: StageSummary): string[] {
  const l = summary.latency;
  const e = summary.errors;
  return [
    `[fleet] ${summary.workers} workers (${summary.joined} joined): ${formatNumber(summary.trialsPerSecond)} trials/s completed (the fleet could run ${formatNumber(summary.demandPerSecond)}); load ${summary.load1.toFixed(1)}`,
    `[fleet]   latency p50/p99 ms: ${fleetCalls.map((call) => `${call} ${ms(l[call].p50)}/${ms(l[call].p99)} (n=${l[call].count})`).join(", ")}; job wait p50 ${ms(summary.jobWaitP50Ms)}`,
    `[fleet]   errors: 5xx ${e.status5xx} (503 ${e.status503}), 429 ${e.status429}, other 4xx ${e.other4xx}, no answer ${e.network}, claim conflicts ${summary.claimConflicts}, leases lost (reclaimed) ${summary.abandoned}, failed jobs ${summary.failedJobs}`,
    `[fleet]   CPU: ${summary.uses.map((use) => `${use.resource} ${use.cores.toFixed(2)} cores, ${ms(use.msPerTrial)} ms/trial`).join("; ")}`,
    `[fleet]   ${summary.diagnostics}`,
    `[fleet]   saturated first: ${summary.verdict.saturated ?? "none"} (${summary.verdict.why}); trials/s per API core ${formatNumber(summary.trialsPerApiCore)}, per Postgres core ${formatNumber(summary.trialsPerPostgresCore)}`,
  ];
}
